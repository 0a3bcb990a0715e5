"""What every read command needs, without Typer: who is reading and when (--tz, --as-of), the
database (--db), and the crossings and kinds asked for. The hot read paths (corridor.cli.hot)
run on these without importing Typer; corridor.cli.options declares the options themselves."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from corridor.cli import clock
from corridor.cli.config import Settings, load_settings, reader_zone
from corridor.cli.output import is_quiet, note
from corridor.core.errors import UsageError
from corridor.core.terms import parse_day_count, parse_instant
from corridor.core.vocab import DEADLINE_KINDS
from corridor.db.connect import Location
from corridor.db.sql import ReadConn
from corridor.store.open import open_database, open_reader


def locate(db_opt: str | None, settings: Settings) -> Location:
    """The database location from --db, the environment, the config file or the default."""
    return settings.location(db_opt)


def split_values(values: list[str] | None) -> list[str]:
    """Repeated options and comma lists, in order, without duplicates or blanks. A comma that
    is part of a name is written `\\,` (README "Everyday use"): -c 'Gate 1\\, north'."""
    out: list[str] = []
    for value in values or []:
        parts = re.split(r"(?<!\\),", value)
        out.extend(p.replace("\\,", ",").strip() for p in parts if p.strip())
    return list(dict.fromkeys(out))


def crossing_ids(conn: ReadConn, values: list[str] | None) -> list[int] | None:
    """The crossings named by -c/--crossing (every one of them), or None for all."""
    names = split_values(values)
    if not names:
        return None
    from corridor.db.lookup import find_crossing  # only when a crossing is named: the hot path

    return list(dict.fromkeys(find_crossing(conn, name) for name in names))


def deadline_kinds(values: list[str] | None) -> tuple[str, ...]:
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
    settings: Settings
    at: datetime  # the instant (aware, UTC): --as-of, else now
    explicit: bool = False  # --as-of was given
    timed: bool = False  # ... as an instant, not a date
    known_at: datetime | None = None  # --known-at: the knowledge instant K (None: K = at)

    @property
    def config(self) -> Settings:
        """The settings (an older name: commands pass it to open_read and open_writer)."""
        return self.settings

    @property
    def alerts(self) -> Mapping[str, Any]:
        """The [alerts] table of the config file, validated (corridor.cli.config)."""
        return self.settings.alerts

    @property
    def known(self) -> datetime:
        """The knowledge instant K: --known-at, else the instant asked about."""
        return self.at if self.known_at is None else self.known_at

    @property
    def label(self) -> str:
        """How to say "as of" to a person: the date, or the local time when one was given."""
        if self.timed:
            return f"{self.at.astimezone(self.tz):%Y-%m-%d %H:%M} {self.zone_name}"
        return str(self.as_of)


def read_settings(
    tz_opt: str | None, as_of_opt: str | None, known_at_opt: str | None = None
) -> Reader:
    settings = load_settings()
    name, tz = reader_zone(tz_opt, settings)  # errors name the source (corridor.cli.config)
    at = parse_instant(as_of_opt, tz, what="--as-of") if as_of_opt else clock.now_utc()
    timed = ":" in (as_of_opt or "")
    known = None
    if known_at_opt is not None:  # --known-at: an instant, a date, or now (docs/time.md)
        if known_at_opt.strip().lower() == "now":
            known = clock.now_utc()
        else:
            known = parse_instant(known_at_opt, tz, what="--known-at")
    return Reader(
        name, tz, at.astimezone(tz).date(), settings, at, as_of_opt is not None, timed, known
    )


def open_writer(
    db_opt: str | None, settings: Settings, *, read_only: bool = False, create: bool = True
):
    """An engine whose transactions are write transactions (the write lock is taken before the
    first read), or with `read_only` consistent snapshots that never wait for a writer. With
    create=False a missing, empty or older database is refused (corridor.store.open)."""
    return open_database(
        settings.location(db_opt),
        load_reference=settings.reference,
        notify=note,
        now=clock.now_utc(),
        read_only=read_only,
        create=create,
    )


def open_read(
    db_opt: str | None, settings: Settings, *, create: bool = True, timeout: float | None = None
):
    """A read-only connection for the report commands: no SQLAlchemy import (corridor.db.sql).
    Unattended commands (check, alerts run, alerts status) pass create=False: a missing, empty
    or older database is refused, never created, migrated or loaded (corridor.store.open)."""
    return open_reader(
        settings.location(db_opt),
        load_reference=settings.reference,
        notify=note,
        now=clock.now_utc(),
        create=create,
        timeout=timeout,
    )


def within_days(text: str, as_of: date) -> int:
    return parse_day_count(text, what="--within", start=as_of)


def knowledge_notes(conn: ReadConn, reader: Reader, crossing_ids: list[int] | None) -> list[str]:
    """Which crossings' answers rest on the absence of facts (docs/time.md), one note per
    date: on stderr for the reports, on check's -v lines."""
    # lazy: a quiet alerts run says no notes, and never needs the reports
    from corridor.services.reports import past_horizon

    by_end: dict = {}
    for name, ends in past_horizon(
        conn, at=reader.at, tz=reader.tz, crossing_ids=crossing_ids, known_at=reader.known
    ):
        by_end.setdefault(ends, []).append(name)
    return [
        f"Note: no renewal of {', '.join(names)} is recorded after its authority ended "
        f'on {ends}. Record the renewal, or confirm the lapse with "corridor crossing '
        'checked NAME --on DATE".'
        for ends, names in sorted(by_end.items())
    ]


def knowledge_warning(conn: ReadConn, reader: Reader, crossing_ids: list[int] | None) -> None:
    """Say the knowledge notes on stderr; nothing with -q/--quiet."""
    if is_quiet():
        return
    for text in knowledge_notes(conn, reader, crossing_ids):
        note(text)
