"""`corridor db path|current|upgrade`: where the record lives, and its schema.
Registered by corridor.cli.register_commands()."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli import DbOpt, FormatOpt, _json, _out, _say, db_app
from corridor.render import Format


@db_app.command("path")
def db_path(fmt: FormatOpt = Format.table, db: DbOpt = None) -> None:
    """Which database is in use, and which rule chose it.

    \b
    Example:
      corridor db path
    """
    from corridor.config import load_config
    from corridor.db import resolve_location

    loc = resolve_location(db, load_config())
    if fmt is Format.json:
        _out(_json(dict(url=loc.display, source=loc.source)))
    else:
        _out(f"{loc.display}\n")
        _say(f"(from {loc.source})")


@db_app.command("current")
def db_current(fmt: FormatOpt = Format.table, db: DbOpt = None) -> None:
    """The database's schema revision, and the one this corridor needs. Changes nothing.

    \b
    Example:
      corridor db current
    """
    from sqlalchemy.exc import SQLAlchemyError

    from corridor.config import load_config
    from corridor.db import SCHEMA_HEAD, make_engine, resolve_location, schema_version, unreachable

    loc = resolve_location(db, load_config())
    try:
        with make_engine(loc).connect() as conn:
            version = schema_version(conn)
    except SQLAlchemyError as exc:
        raise unreachable(loc, exc) from None
    if fmt is Format.json:
        _out(_json(dict(current=version, head=SCHEMA_HEAD, up_to_date=version == SCHEMA_HEAD)))
        return
    state = (
        "up to date"
        if version == SCHEMA_HEAD
        else ("new database" if version is None else f"needs upgrade to {SCHEMA_HEAD}")
    )
    _out(f"{version or 'none'} ({state})\n")


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
    from corridor.config import load_config
    from corridor.db import reference_wanted, resolve_location
    from corridor.migrate import upgrade

    config = load_config()
    loc = resolve_location(db, config)
    before, after, seeded = upgrade(loc, seed=not empty and reference_wanted(config))
    if before == after:
        _say(f"Schema already at {after}: nothing to do.")
        return
    _say(f"Schema migrated from {before or 'nothing'} to {after}.")
    if seeded:
        _say("Loaded the bundled reference dataset.")
