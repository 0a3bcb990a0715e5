"""The native record format: read, validate, write, JSON Schema. No database."""
