"""`corridor db path|current|upgrade`: where the record lives, and its schema.
Registered by corridor.cli.main.register_commands()."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli import clock
from corridor.cli.app import db_app
from corridor.cli.config import load_settings
from corridor.cli.options import DbOpt, TableFormat, TableFormatOpt, locate
from corridor.cli.output import json_text, out, say
from corridor.present.documents import database_path, schema_document
from corridor.present.render import Format
from corridor.present.safe import safe


@db_app.command("path")
def db_path(table_format: TableFormatOpt = TableFormat.table, db: DbOpt = None) -> None:
    """Which database is in use, and which rule chose it.

    \b
    Example:
      corridor db path
    """
    fmt = Format(table_format)
    loc = locate(db, load_settings())
    if fmt is Format.json:
        out(json_text(database_path(loc.display, loc.source)))
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
    # lazy: keeps sqlalchemy off the read paths, which register this (tests/test_read_paths.py)
    from corridor.services import database

    fmt = Format(table_format)
    found = database.schema(locate(db, load_settings()))
    if fmt is Format.json:
        out(json_text(schema_document(found)))
        return
    version = found.current
    state = (
        "up to date"
        if found.up_to_date
        else (
            "no database file yet: the first command that needs it creates it"
            if found.missing
            else "new database"
            if version is None
            else f"needs upgrade to {found.head}"
        )
    )
    out(f"{version or 'none'} ({state})\n")


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
    # lazy: keeps alembic off the read paths, which register this (tests/test_read_paths.py)
    from corridor.services import database

    config = load_settings()
    done = database.upgrade(
        locate(db, config),
        seed=not empty and config.reference,
        now=clock.now_utc(),
        notify=say,
    )
    if done.before == done.after:
        say(f"Schema already at {done.after}: nothing to do.")
    else:
        say(f"Schema migrated from {done.before or 'nothing'} to {done.after}.")
    if done.seeded:
        say("Loaded the bundled reference dataset.")
    if not done.refused:
        return
    # Stored values today's rules refuse (corridor.store.legacy): readable meanwhile, shown and
    # exported escaped; each with the command that fixes it.
    say(
        f"Warning: {len(done.refused)} stored value(s) break today's rules (written by an older "
        "corridor). They are shown and exported with the characters escaped, and edits of "
        "other fields work; fix each with the command below it:"
    )
    for item in done.refused:
        say(f"  {safe(item.where, newlines=False)}: {item.problem}")
        say(f"    {safe(item.fix, newlines=False)}")
