"""Opening the record for use: a database at the schema head, created and loaded on first use.

A brand-new database is migrated and (unless told otherwise) loaded with the bundled reference
dataset in one transaction (corridor.store.migrate); a database at any other revision is
refused with what to do. Read connections stay free of SQLAlchemy for SQLite and psycopg URLs
(corridor.db.sql)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.core.errors import DatabaseError
from corridor.db.connect import (
    SCHEMA_HEAD,
    Location,
    _driver_error,
    _is_sqlalchemy,
    connect_reader,
    make_engine,
    schema_mismatch,
    schema_version,
    unreachable,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def no_database(location: Location) -> DatabaseError:
    """What an unattended command (check, alerts run, alerts status) says instead of creating,
    migrating or loading a database: a mistyped --db must not be monitored as a new record."""
    return DatabaseError(
        f"no corridor database at {location.display}; create it with `corridor db upgrade`"
    )


def _missing_file(location: Location) -> bool:
    """A SQLite URL whose file does not exist or is empty (nothing to open yet)."""
    url = location.url
    if not url.startswith("sqlite:///") or "?" in url:
        return False
    path = Path(url[len("sqlite:///") :]).expanduser()
    return not path.is_file() or path.stat().st_size == 0


def schema_revision(location: Location) -> str | None:
    """The revision the database is at (None: never migrated), read on a snapshot that never
    waits for a writer, through lock conflicts ($CORRIDOR_BUSY_TIMEOUT). Connecting to a
    missing SQLite file creates it: the caller decides first. Unreachable is a DatabaseError."""
    # lazy: the read paths open no engine (tests/test_read_paths.py)
    from sqlalchemy.exc import SQLAlchemyError

    from corridor.store.retry import retrying

    probe = make_engine(location, read_only=True)

    def read_version() -> str | None:
        with probe.connect() as conn:
            return schema_version(conn)

    try:
        return retrying(read_version, seconds=location.busy_seconds)
    except SQLAlchemyError as exc:
        raise unreachable(location, exc) from None
    finally:
        probe.dispose()


def open_database(
    location: Location,
    *,
    now: datetime,
    load_reference: bool = True,
    notify=None,
    read_only: bool = False,
    create: bool = True,
) -> Engine:
    """An engine on a database at SCHEMA_HEAD. A brand-new database is migrated and, unless
    told otherwise, loaded with the bundled reference dataset; `notify(message)` hears of it.
    With create=False a missing, empty or older database is refused instead (`no_database`).
    Its transactions are write transactions, or with `read_only` snapshots that never wait for
    a writer (corridor.db.connect.make_engine)."""
    if not create and _missing_file(location):
        raise no_database(location)
    version = schema_revision(location)
    if version != SCHEMA_HEAD:
        if not create:
            raise no_database(location) if version is None else schema_mismatch(location, version)
        _first_use(location, version, load_reference, notify, now)
    return make_engine(location, read_only=read_only)


def _first_use(
    location: Location, version: str | None, load_reference: bool, notify, now: datetime
) -> None:
    """Migrate and load a database corridor has never touched; refuse any other version."""
    if version is not None:
        raise schema_mismatch(location, version)
    from corridor.store.migrate import upgrade  # lazy: loads alembic, for a first use only

    before, _after, loaded = upgrade(location, seed=load_reference, now=now)
    if notify is not None and before is None:  # else another process created it meanwhile
        what = "loaded the bundled reference dataset" if loaded else "left it empty"
        notify(f"Created a new corridor database at {location.display} and {what}.")


def open_reader(
    location: Location,
    *,
    now: datetime,
    load_reference: bool = True,
    notify=None,
    create: bool = True,
    timeout: float | None = None,
):
    """A read connection (corridor.db.sql.Reader) on a database at SCHEMA_HEAD, without importing
    SQLAlchemy for SQLite and psycopg URLs. A brand-new database is first migrated and loaded,
    as in `open_database`; with create=False a missing, empty or older database is refused
    instead and nothing is written. `timeout` (seconds) bounds how long a statement waits for
    a lock (corridor.db.connect.connect_reader)."""
    if not create and _missing_file(location):
        raise no_database(location)
    try:
        rd = connect_reader(location, create=create, timeout=timeout)
        try:
            version = (
                rd.scalar("SELECT version_num FROM alembic_version")
                if rd.has_table("alembic_version")
                else None
            )
        except BaseException:
            rd.close()
            raise
    except Exception as exc:
        if isinstance(exc, DatabaseError) or not (_driver_error(exc) or _is_sqlalchemy(exc)):
            raise
        raise unreachable(location, exc) from None
    if version == SCHEMA_HEAD:
        return rd
    rd.close()
    if not create:
        raise no_database(location) if version is None else schema_mismatch(location, version)
    _first_use(location, version, load_reference, notify, now)
    return connect_reader(location)
