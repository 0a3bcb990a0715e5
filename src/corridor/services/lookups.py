"""Finding what a person names, for the commands: a crossing by any name, alias, slug, accent
or script (the matching itself is corridor.db.lookup), every crossing, and the record's own
name. Light: plain SQL, on the read paths (tests/test_read_paths.py)."""

from __future__ import annotations

from corridor.db import lookup
from corridor.db.sql import reader


def find_crossing(conn, name: str) -> int:
    """The id of the crossing `name` names, or NotFoundError with "did you mean"."""
    return lookup.find_crossing(conn, name)


def crossing_slug(conn, name: str) -> str:
    """The slug of the crossing `name` names (an [alerts] rule or recipient filter)."""
    cid = lookup.find_crossing(conn, name)
    return reader(conn).scalar("SELECT slug FROM crossings WHERE id = :id", id=cid)


def crossing_list(conn) -> list[dict]:
    """Every crossing, by name: slug, name, kind, its countries and its aliases."""
    return lookup.crossing_list(conn)


def learn_latin_names(conn) -> None:
    """Remember each non-Latin alias's Latin name, so an ASCII-only terminal shows an Arabic
    alias as the crossing's Latin name (corridor.present.safe)."""
    lookup.crossing_names(conn)


def record_name(conn) -> str | None:
    """The record's name (`dataset.name` in the record format), if it has one."""
    return reader(conn).scalar("SELECT value FROM record_meta WHERE key = 'name'")
