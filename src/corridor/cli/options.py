"""Options shared by many commands, and the settings they resolve to: the reader's zone and
instant (--tz, --as-of), the database (--db), the output format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Annotated

import typer

from corridor.cli import clock
from corridor.cli.complete import complete_crossing, complete_zone  # noqa: F401 (re-exported)
from corridor.cli.output import say
from corridor.present.render import Format


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
        autocompletion=complete_zone,
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
    from corridor.cli.config import load_config, reader_zone
    from corridor.core.terms import parse_date

    config = load_config()
    name, tz = reader_zone(tz_opt, config)  # errors name the source (corridor.cli.config)
    as_of = parse_date(as_of_opt, what="--as-of") if as_of_opt else clock.today_in(tz)
    return Reader(name, tz, as_of, config)


def open_writer(db_opt: str | None, config: dict):
    from corridor.db.connect import reference_wanted
    from corridor.store.open import open_database

    return open_database(
        locate(db_opt, config),
        load_reference=reference_wanted(config),
        notify=say,
        now=clock.now_utc(),
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
