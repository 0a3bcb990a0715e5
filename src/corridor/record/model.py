"""The record as values: one immutable model of each kind of record (docs/records.md).

A `*Rec` is what a record says, whoever wrote it: the file parser (corridor.record.format)
builds them from a file, the editing services from the command line, and the store reads them
back from its rows (corridor.store.instruments `instrument_rec`). They are frozen, and their
sequences are tuples, so a record is changed by making a new one (`dataclasses.replace`).

`where` says where a record came from, for error messages; it is not part of the record and
does not take part in comparisons: two records that say the same thing are equal.

`Document` is not a record but the batch the one writer takes (corridor.store.writer.apply):
the records of one file or one command, gathered as they are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from corridor.core.terms import Term

Day = date  # for dataclasses with a field named `date`, which shadows the type there


def _has(container: Any, key: str | int) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(key, int) and 0 <= key < len(container)


def _line_of(container: Any, key: str | int) -> int | None:
    if isinstance(container, dict):
        return getattr(container, "key_lines", {}).get(key)
    lines = getattr(container, "item_lines", None)
    return lines[key] if lines and isinstance(key, int) and key < len(lines) else None


@dataclass(frozen=True, eq=False, slots=True)  # slots: an import holds one per record part
class Where:
    """Where a value came from, for error messages: `origin, line N: path.key`.

    `origin` is a file name, or for a record built from the command line the record's own
    label (an instrument's symbol); `line` is known only for values read from a file."""

    origin: str | None = None
    path: str = ""
    line: int | None = None
    key_lines: Mapping[str, int] = field(default_factory=dict)

    def at(self, key: str | None = None) -> str:
        path = ".".join(p for p in (self.path, key) if p)
        line = self.key_lines.get(key, self.line) if key else self.line
        if self.origin is None:
            return path
        head = f"{self.origin}, line {line}" if line else self.origin
        return f"{head}: {path}" if path else head

    def child(self, container: Any, key: str | int, path: str) -> Where:
        """The Where of `container[key]`, whose path is `path`."""
        value = container[key] if _has(container, key) else None
        line = getattr(value, "line", None) or _line_of(container, key) or self.line
        return Where(self.origin, path, line, getattr(value, "key_lines", {}))


def _where() -> Any:
    """A record's `where`: not compared, so equal records say the same thing."""
    return field(default_factory=Where, compare=False)


class Declaration(NamedTuple):
    """An earlier "complete as of" declaration of a crossing: its day, and its instant when
    the record gives one."""

    on: date
    at: datetime | None


class Holiday(NamedTuple):
    day: date
    name: str


@dataclass(frozen=True, slots=True)
class UnknownRec:
    """A span of a crossing's history the record marks unknown (no source gives its dates)."""

    start: date
    until: date
    timezone: str = "UTC"
    note: str | None = None
    source: str | None = None
    # When the record learnt it (docs/time.md): the instant the span was recorded from the
    # command line, or `known:` in a file; None: known for as long as the record has held it.
    known_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CrossingRec:
    slug: str
    name: str
    countries: tuple[str, ...]  # one or more, in the order written
    aliases: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    notes: str | None = None
    known_until: date | None = None
    known_until_note: str | None = None
    where: Where = _where()
    kind: str = "land"  # corridor.core.vocab.CROSSING_KINDS
    unknown: tuple[UnknownRec, ...] = ()
    known_until_at: datetime | None = None  # when the check was declared, if given
    # Earlier declarations, replaced by `known_until`, oldest first.
    checked_before: tuple[Declaration, ...] = ()


@dataclass(frozen=True, slots=True)
class ObjectionRec:
    on: date
    by: str
    source: str | None = None
    note: str | None = None
    at: datetime | None = None  # the instant of the notice, when the record gives one


@dataclass(frozen=True, slots=True)
class AutoRenewRec:
    """The period renews automatically unless a party objects (docs/records.md)."""

    term: Term | None = None  # `for`: the renewal term; None: the period's own
    notice: Term | None = None
    max: int | None = None
    until: date | None = None
    objections: tuple[ObjectionRec, ...] = ()


@dataclass(frozen=True, slots=True)
class AltEndRec:
    until: date
    source: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TerminationRec:
    effective: date  # "with effect from": the first day no longer covered
    known: date  # the day it became known
    by: str | None = None
    source: str | None = None
    note: str | None = None
    known_at: datetime | None = None  # the instant it became known, when given


@dataclass(frozen=True, slots=True)
class PeriodRec:
    """A period as the text states it. Once resolved (corridor.store.renewals
    `resolve_periods`, and every period the store reads back), `start` and `until` are both
    set: its first and last covered days."""

    crossings: tuple[str, ...]
    start: date | None
    until: date | None
    term: Term | None
    term_from: str | None  # "start" | "adoption" | "previous" | "YYYY-MM-DD"
    stated: str | None
    conditional_on: date | None
    where: Where = _where()
    auto_renew: AutoRenewRec | None = None
    alternative_ends: tuple[AltEndRec, ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewRec:
    date: Day
    condition: str | None = None
    outcome: str = "pending"
    decided_on: Day | None = None
    decided_by: str | None = None
    note: str | None = None
    decided_at: datetime | None = None  # the decision's instant, when the record gives one


@dataclass(frozen=True, slots=True)
class ReportRec:
    due: date
    description: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PartyRec:
    name: str
    role: str  # corridor.core.vocab.PARTY_ROLES
    note: str | None = None


@dataclass(frozen=True, slots=True)
class InstrumentRec:
    symbol: str
    kind: str
    authority: str
    timezone: str
    adopted: date | None
    periods: tuple[PeriodRec, ...]
    title: str | None = None
    vote: str | None = None
    source: str | None = None
    source_url: str | None = None
    unconfirmed: str | None = None
    renews: str | None = None
    relation: str | None = None
    notes: str | None = None
    reviews: tuple[ReviewRec, ...] = ()
    reports: tuple[ReportRec, ...] = ()
    where: Where = _where()
    parties: tuple[PartyRec, ...] = ()
    signed_in: str | None = None  # the place of signature (its zone governs if no authority's)
    terminated: TerminationRec | None = None
    adopted_at: datetime | None = None  # the adoption's instant, when the record gives one
    # What a calendar has already seen of it in the database it was exported from (docs/format.md
    # "Moving a record"): its revision (the events' SEQUENCE) and last change (LAST-MODIFIED).
    revision: int | None = None
    modified: datetime | None = None
    # A sourced reservation on an authorization that holds in law but not yet in practice
    # (docs/format.md, "caveat"): reports show it beside "authorized".
    caveat: str | None = None


@dataclass(frozen=True, slots=True)
class EventRec:
    date: Day
    kind: str
    title: str
    crossings: tuple[str, ...] = ()
    vote: str | None = None
    source: str | None = None
    note: str | None = None
    where: Where = _where()
    at: datetime | None = None  # the vote's instant, when the record gives one


@dataclass(frozen=True, slots=True)
class CalendarRec:
    applies_to: str  # an authority as recorded, or a country's ISO code
    weekend: tuple[str, ...] = ()  # empty: the shipped default's (corridor.core.workdays)
    holidays: tuple[Holiday, ...] = ()  # in date order
    source: str | None = None
    note: str | None = None
    where: Where = _where()


@dataclass
class Document:
    """The records of one file or one command, for the one writer (not itself a record)."""

    dataset: dict[str, Any] = field(default_factory=dict)
    crossings: list[CrossingRec] = field(default_factory=list)
    instruments: list[InstrumentRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    calendars: list[CalendarRec] = field(default_factory=list)
    source: str | None = None  # the file it was read from, for the audit trail
