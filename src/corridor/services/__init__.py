"""Use cases: reports, history, editing, corrections, transfer. Nothing here knows the terminal."""
