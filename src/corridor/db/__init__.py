"""Connecting, the tables, their column types, and the shared plain-SQL reads."""
