"""Options shared by many commands, and the settings they resolve to: the reader's zone and
instant (--tz, --as-of), the database (--db), the output format."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Annotated

import typer

from corridor.cli import clock
from corridor.cli.output import say
from corridor.present.render import Format


def complete_crossing(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        from corridor.cli.config import load_config
        from corridor.db.connect import SCHEMA_HEAD, connect_reader
        from corridor.db.lookup import complete

        location = locate(ctx.params.get("db"), load_config())
        with connect_reader(location, create=False) as rd:
            if not rd.has_table("alembic_version"):
                return []
            if rd.scalar("SELECT version_num FROM alembic_version") != SCHEMA_HEAD:
                return []
            return complete(rd, incomplete)
    except Exception:  # completion must never print a traceback into the user's prompt
        return []


def locate(db_opt: str | None, config: dict):
    """The database location from --db, the environment, the config file or the default."""
    from corridor.cli.config import config_path
    from corridor.db.connect import resolve_location

    return resolve_location(db_opt, config, str(config_path()))


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Database URL or SQLite file. Default: $CORRIDOR_DATABASE_URL, the config file, "
        "then a SQLite file in your data dir (see: corridor db path).",
    ),
]
TzOpt = Annotated[
    str | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        help="Your IANA timezone, for times and days left. Default: $CORRIDOR_TZ, the config "
        "file, then the system zone.",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Answer as the tool would have on DATE (YYYY-MM-DD): later instruments and "
        "decisions are invisible. Default: today in your timezone.",
    ),
]
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="table for people; json (stable, documented) or csv for scripts."
    ),
]
CrossingOpt = Annotated[
    str | None,
    typer.Option(
        "--crossing",
        "-c",
        metavar="NAME",
        autocompletion=complete_crossing,
        help="Only this crossing (any name, alias, spelling or script).",
    ),
]


@dataclass
class Reader:
    zone_name: str
    tz: tzinfo
    as_of: date
    config: dict


def read_settings(tz_opt: str | None, as_of_opt: str | None) -> Reader:
    from corridor.cli.config import load_config
    from corridor.core.terms import parse_date, zone

    config = load_config()
    name = (
        tz_opt
        or os.environ.get("CORRIDOR_TZ")
        or config.get("timezone")
        or clock.system_zone_name()
    )
    tz = zone(name)
    as_of = parse_date(as_of_opt, what="--as-of") if as_of_opt else clock.today_in(tz)
    return Reader(name, tz, as_of, config)


def open_writer(db_opt: str | None, config: dict, *, read_only: bool = False):
    """An engine whose transactions are write transactions (the write lock is taken before the
    first read), or with `read_only` consistent snapshots that never wait for a writer."""
    from corridor.db.connect import reference_wanted
    from corridor.store.open import open_database

    return open_database(
        locate(db_opt, config),
        load_reference=reference_wanted(config),
        notify=say,
        now=clock.now_utc(),
        read_only=read_only,
    )


def open_read(db_opt: str | None, config: dict):
    """A read-only connection for the report commands: no SQLAlchemy import (corridor.db.sql)."""
    from corridor.db.connect import reference_wanted
    from corridor.store.open import open_reader

    return open_reader(
        locate(db_opt, config),
        load_reference=reference_wanted(config),
        notify=say,
        now=clock.now_utc(),
    )


def within_days(text: str, as_of: date) -> int:
    from corridor.core.terms import parse_term

    if text.strip().isdigit():
        return int(text)
    term = parse_term(text, what="--within")
    return (term.after(as_of) - as_of).days


def knowledge_warning(conn, as_of: date) -> None:
    from corridor.services.reports import knowledge_ends

    ends = knowledge_ends(conn)
    if ends is not None and as_of > ends:
        say(
            f"Note: the record's knowledge ends {ends}; nothing later is known to it. "
            "Record newer instruments to keep these answers true."
        )


# ---------------------------------------------------------------- reports
