"""Options shared by many commands, and the settings they resolve to: the reader's zone and
instant (--tz, --as-of), the database (--db), the output format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
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
        metavar="WHEN",
        help="Answer as the tool would have at WHEN: a date (2023-07-11, the start of that day "
        "in your timezone) or an instant (2023-07-11T04:30:00Z, 2023-07-11T07:30+03:00). "
        "Later instruments and decisions are invisible. Default: now.",
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

CrossingsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--crossing",
        "-c",
        metavar="NAME",
        autocompletion=complete_crossing,
        help="Only these crossings (any name, alias, spelling or script). Repeat the option or "
        "separate names with commas.",
    ),
]
KindsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help="Only these deadline kinds: expiry, review, report. Repeat the option or separate "
        "kinds with commas. Default: all.",
    ),
]


def split_values(values: list[str] | None) -> list[str]:
    """Repeated options and comma lists, in order, without duplicates or blanks. A comma that
    is part of a name is written `\\,` (README "Everyday use"): -c 'Gate 1\\, north'."""
    import re

    out: list[str] = []
    for value in values or []:
        parts = re.split(r"(?<!\\),", value)
        out.extend(p.replace("\\,", ",").strip() for p in parts if p.strip())
    return list(dict.fromkeys(out))


def crossing_ids(conn, values: list[str] | None) -> list[int] | None:
    """The crossings named by -c/--crossing (every one of them), or None for all."""
    from corridor.db.lookup import find_crossing

    names = split_values(values)
    if not names:
        return None
    return list(dict.fromkeys(find_crossing(conn, name) for name in names))


def deadline_kinds(values: list[str] | None) -> tuple[str, ...]:
    from corridor.core.errors import UsageError
    from corridor.core.vocab import DEADLINE_KINDS

    kinds = split_values(values)
    bad = [k for k in kinds if k not in DEADLINE_KINDS]
    if bad:
        raise UsageError(
            f'unknown deadline kind "{", ".join(bad)}" (from --kind)',
            f"use one or more of: {', '.join(DEADLINE_KINDS)}",
        )
    return tuple(kinds) if kinds else DEADLINE_KINDS


@dataclass
class Reader:
    """Who is asking and when: the reader's zone, and the instant the answer is for."""

    zone_name: str
    tz: tzinfo
    as_of: date  # the reader's calendar date at `at`
    config: dict
    at: datetime  # the instant (aware, UTC): --as-of, else now
    explicit: bool = False  # --as-of was given
    timed: bool = False  # ... as an instant, not a date

    @property
    def label(self) -> str:
        """How to say "as of" to a person: the date, or the local time when one was given."""
        if self.timed:
            return f"{self.at.astimezone(self.tz):%Y-%m-%d %H:%M} {self.zone_name}"
        return str(self.as_of)


def read_settings(tz_opt: str | None, as_of_opt: str | None) -> Reader:
    from corridor.cli.config import load_config, reader_zone
    from corridor.core.terms import parse_instant

    config = load_config()
    name, tz = reader_zone(tz_opt, config)  # errors name the source (corridor.cli.config)
    at = parse_instant(as_of_opt, tz, what="--as-of") if as_of_opt else clock.now_utc()
    timed = ":" in (as_of_opt or "")
    return Reader(name, tz, at.astimezone(tz).date(), config, at, as_of_opt is not None, timed)


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
    from corridor.core.terms import parse_day_count  # range-checked (README "Limits")

    return parse_day_count(text, what="--within", start=as_of)


def knowledge_warning(conn, reader: Reader, crossing_ids: list[int] | None) -> None:
    """Say on stderr which crossings' answers rest on the absence of facts (docs/time.md)."""
    from corridor.services.reports import beyond_record

    by_end: dict = {}
    for name, ends in beyond_record(conn, at=reader.at, tz=reader.tz, crossing_ids=crossing_ids):
        by_end.setdefault(ends, []).append(name)
    for ends, names in sorted(by_end.items()):
        say(
            f"Note: the record knows nothing of {', '.join(names)} after {ends}. Record what "
            'happened since, or confirm with "corridor crossing checked NAME --on DATE".'
        )


# ---------------------------------------------------------------- reports
