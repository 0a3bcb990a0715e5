"""The one writer: apply, re-derive, audit, migrate, first use."""
