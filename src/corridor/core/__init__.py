"""Pure rules: time arithmetic, names, derivation, the coverage rule. Time is passed in; no I/O."""
