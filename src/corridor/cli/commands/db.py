"""`corridor db path|current|upgrade`: where the record lives, and its schema.
Registered by corridor.cli.main.register_commands()."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli import clock
from corridor.cli.app import db_app
from corridor.cli.options import DbOpt, TableFormat, TableFormatOpt, locate
from corridor.cli.output import json_text, out, say
from corridor.present.render import Format


@db_app.command("path")
def db_path(table_format: TableFormatOpt = TableFormat.table, db: DbOpt = None) -> None:
    """Which database is in use, and which rule chose it.

    \b
    Example:
      corridor db path
    """
    from corridor.cli.config import load_settings

    fmt = Format(table_format)
    loc = locate(db, load_settings())
    if fmt is Format.json:
        out(json_text(dict(url=loc.display, source=loc.source)))
    else:
        out(f"{loc.display}\n")
        say(f"(from {loc.source})")


@db_app.command("current")
def db_current(table_format: TableFormatOpt = TableFormat.table, db: DbOpt = None) -> None:
    """The database's schema revision, and the one this corridor needs. Changes nothing.

    \b
    Example:
      corridor db current
    """
    from sqlalchemy.exc import SQLAlchemyError

    from corridor.cli.config import load_settings
    from corridor.db.connect import (
        SCHEMA_HEAD,
        make_engine,
        schema_mismatch,
        schema_version,
        unreachable,
    )
    from corridor.store.retry import retrying

    fmt = Format(table_format)
    loc = locate(db, load_settings())
    version = None
    missing = _missing_sqlite_file(loc)
    if not missing:  # connecting would create an empty file: never here
        engine = make_engine(loc, read_only=True)

        def read_version() -> str | None:
            with engine.connect() as conn:
                return schema_version(conn)

        try:
            version = retrying(read_version, seconds=loc.busy_seconds)
        except SQLAlchemyError as exc:
            raise unreachable(loc, exc) from None
        finally:
            engine.dispose()
    if version is not None and not (version.isdigit() and version <= SCHEMA_HEAD):
        raise schema_mismatch(loc, version)  # written by a newer corridor: exit 4, as elsewhere
    if fmt is Format.json:
        out(json_text(dict(current=version, head=SCHEMA_HEAD, up_to_date=version == SCHEMA_HEAD)))
        return
    state = (
        "up to date"
        if version == SCHEMA_HEAD
        else (
            "no database file yet: the first command that needs it creates it"
            if missing
            else "new database"
            if version is None
            else f"needs upgrade to {SCHEMA_HEAD}"
        )
    )
    out(f"{version or 'none'} ({state})\n")


def _missing_sqlite_file(loc) -> bool:
    from pathlib import Path

    if not loc.url.startswith("sqlite:///") or "?" in loc.url:
        return False
    name = loc.url[len("sqlite:///") :]
    return name not in ("", ":memory:") and not Path(name).exists()


@db_app.command("upgrade")
def db_upgrade(
    empty: Annotated[
        bool,
        typer.Option(
            "--empty", help="On a new database, do not load the bundled reference dataset."
        ),
    ] = False,
    db: DbOpt = None,
) -> None:
    """Create or migrate the database to this corridor's schema.

    A new database is also loaded with the bundled reference dataset (Syria cross-border
    authorizations 2014-2025), unless --empty, CORRIDOR_REFERENCE=0 or `reference = false`
    in the config file. Loading is idempotent.

    \b
    Examples:
      corridor db upgrade
      corridor db upgrade --empty --db sqlite:///team.sqlite3
    """
    from corridor.cli.config import load_settings
    from corridor.store.migrate import upgrade

    config = load_settings()
    loc = locate(db, config)
    before, after, seeded = upgrade(
        loc, seed=not empty and config.reference, now=clock.now_utc(), notify=say
    )
    if before == after:
        say(f"Schema already at {after}: nothing to do.")
    else:
        say(f"Schema migrated from {before or 'nothing'} to {after}.")
    if seeded:
        say("Loaded the bundled reference dataset.")
    _report_refused(loc)


def _report_refused(loc) -> None:
    """Every stored value today's rules refuse, each with the command that fixes it
    (corridor.store.legacy). They stay readable meanwhile: shown and exported escaped."""
    from corridor.db.connect import make_engine
    from corridor.present.safe import safe
    from corridor.store.legacy import refused_values

    engine = make_engine(loc, read_only=True)
    try:
        with engine.connect() as conn:
            found = refused_values(conn)
    finally:
        engine.dispose()
    if not found:
        return
    say(
        f"Warning: {len(found)} stored value(s) break today's rules (written by an older "
        "corridor). They are shown and exported with the characters escaped, and edits of "
        "other fields work; fix each with the command below it:"
    )
    for item in found:
        say(f"  {safe(item.where, newlines=False)}: {item.problem}")
        say(f"    {safe(item.fix, newlines=False)}")
