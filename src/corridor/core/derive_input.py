"""An instrument as derivation takes it (corridor.core.derive.plan): the record
(corridor.record.model) resolved against the database. It cannot be the record itself: the
core imports no record module, and derivation needs what only the database adds: row ids
(deadlines and coverage rows point at them), each period's first and last covered days
resolved, and the instant the instrument became known (corridor.store.horizon may move it).
corridor.store.instrument_rows.derive_input is the one place that builds it from a record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple


class CrossingRef(NamedTuple):
    """A crossing a period covers: its row id and its slug."""

    id: int
    slug: str


Day = date  # a field named `date` shadows the type inside a class body


@dataclass(frozen=True)
class Review:
    id: int
    date: Day
    condition: str | None
    outcome: str
    decided_on: Day | None
    decided_at: datetime | None = None  # the decision's instant, when the record gives one


@dataclass(frozen=True)
class Objection:
    on: Day  # the day it was notified: known from the end of it in the authority's zone
    by: str
    at: datetime | None = None  # ... or from this instant, when the record gives one


@dataclass(frozen=True)
class AutoRenew:
    term: str | None = None  # "60d", "3mo"; None: the period's own term
    notice: str | None = None  # how long before the end of a term an objection must come
    max: int | None = None  # at most this many renewals (None: DEFAULT_RENEWALS)
    until: Day | None = None  # no renewal runs past this day
    objections: tuple[Objection, ...] = ()


@dataclass(frozen=True)
class AltEnd:
    end: Day
    source: str


@dataclass(frozen=True)
class Termination:
    effective: Day  # "with effect from": the first day no longer covered
    known: Day
    by: str | None = None
    source: str | None = None
    known_at: datetime | None = None  # the instant it became known, when given


@dataclass(frozen=True)
class Period:
    id: int
    start: date
    end: date
    crossings: tuple[CrossingRef, ...]
    stated: str | None = None
    conditional_review_id: int | None = None
    term: str | None = None  # as recorded ("120d"), for "renews for the same term"
    auto: AutoRenew | None = None
    alt_ends: tuple[AltEnd, ...] = ()


@dataclass(frozen=True)
class Report:
    due: date
    description: str


@dataclass(frozen=True)
class Instrument:
    id: int
    symbol: str
    timezone: str
    known_from: date
    periods: tuple[Period, ...]
    reviews: tuple[Review, ...] = ()
    reports: tuple[Report, ...] = ()
    source: str | None = None
    termination: Termination | None = None
    # When the instrument became known (corridor.store.horizon resolves it: the adoption's
    # instant, the end of its day, or for an inferred step the announcement that implies it);
    # None: the end of `known_from` in its zone.
    known_at: datetime | None = None
