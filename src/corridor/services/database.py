"""The database's schema for `corridor db current` and `db upgrade`: which revision it is at
(read without creating anything, through lock conflicts, errors mapped to exit codes), and an
upgrade with what it loaded and which stored values today's rules refuse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from corridor.db.connect import (
    SCHEMA_HEAD,
    Location,
    make_engine,
    schema_mismatch,
)
from corridor.store import migrate
from corridor.store.legacy import Refused, refused_values
from corridor.store.open import schema_revision


@dataclass(frozen=True)
class Schema:
    """The database's revision (None: never migrated) and the one this corridor needs."""

    current: str | None
    head: str
    missing: bool  # a SQLite file that does not exist yet: left uncreated

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema(location: Location) -> Schema:
    """The revision the database is at. Changes nothing: a missing SQLite file is not created.
    Unreachable is a DatabaseError; a revision from a newer corridor too (exit 4)."""
    version = None
    missing = _missing_sqlite_file(location)
    if not missing:  # connecting would create an empty file: never here
        version = schema_revision(location)
    if version is not None and not (version.isdigit() and version <= SCHEMA_HEAD):
        raise schema_mismatch(location, version)  # written by a newer corridor: exit 4
    return Schema(version, SCHEMA_HEAD, missing)


def _missing_sqlite_file(location: Location) -> bool:
    if not location.url.startswith("sqlite:///") or "?" in location.url:
        return False
    name = location.url[len("sqlite:///") :]
    return name not in ("", ":memory:") and not Path(name).exists()


@dataclass(frozen=True)
class Upgrade:
    """What `db upgrade` did: the revisions before and after, whether the reference dataset
    was loaded, and every stored value today's rules refuse (corridor.store.legacy)."""

    before: str | None
    after: str
    seeded: bool
    refused: list[Refused]


def upgrade(location: Location, *, seed: bool, now: datetime, notify) -> Upgrade:
    """Create or migrate the database to this corridor's schema (corridor.store.migrate); with
    `seed`, a new database is loaded with the bundled reference dataset."""
    before, after, seeded = migrate.upgrade(location, seed=seed, now=now, notify=notify)
    return Upgrade(before, after, seeded, _refused(location))


def _refused(location: Location) -> list[Refused]:
    engine = make_engine(location, read_only=True)
    try:
        with engine.connect() as conn:
            return refused_values(conn)
    finally:
        engine.dispose()
