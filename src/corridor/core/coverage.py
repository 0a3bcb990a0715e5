"""The coverage rule, in one place (docs/time.md).

A crossing is **covered at instant T, as known at T**, when a coverage row for it satisfies

    known_at <= T < void_at  and  starts_at <= T < ends_at

- `starts_at` is the first instant of the period's first day and `ends_at` the instant its last
  day ends, both in the authority's zone (corridor.core.terms);
- `known_at` is the first instant of the day the fact became known in the authority's zone: the
  adoption (or announcement) for an ordinary period, the decision for an extension granted at
  a review. A conditional extension that is pending or refused has no coverage row at all
  (corridor.core.derive decides which periods count; this module decides what they mean at T).

`void_at` (null for most rows) is the instant from which a row no longer counts: a termination
became known, and a row cut short at its effective instant (known from then) takes over.

Coverage **continues** from one row to another when the next row is known at T, starts no later
than the instant the current one ends, and ends later. Following that chain from the rows that
cover T gives the last covered instant: the `until` of `status`, the expiry `upcoming` shows and
the `now` of `crossing show` are all this one chain.

Days left count calendar days in the reader's zone, from the reader's date at T to the reader's
date of the last covered moment (the instant just before `ends_at`).

Everything here is pure: T and the reader's zone are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Generic, Protocol, TypeVar


class Span(Protocol):
    """Anything with the three instants of a coverage row."""

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...

    @property
    def known_at(self) -> datetime: ...

    @property
    def void_at(self) -> datetime | None: ...


def known(known_at: datetime, at: datetime, void_at: datetime | None = None) -> bool:
    """A fact is visible at `at` from `known_at` on, until it is voided (a decision)."""
    return known_at <= at and (void_at is None or void_at > at)


def covers(span: Span, at: datetime) -> bool:
    """The coverage rule: the row is known at `at` and `at` falls inside it."""
    return known(span.known_at, at, span.void_at) and span.starts_at <= at < span.ends_at


def continues(span: Span, end: datetime, at: datetime) -> bool:
    """`span` carries coverage on, without a gap, past the instant `end`, as known at `at`."""
    return known(span.known_at, at, span.void_at) and span.starts_at <= end < span.ends_at


S = TypeVar("S", bound=Span)


@dataclass(frozen=True)
class Chain(Generic[S]):
    """The coverage in force at T and every known row that continues it without a gap."""

    rows: tuple[S, ...]  # in the order they were followed: the covering rows first
    ends_at: datetime  # the last covered instant (exclusive)
    last: S  # the row that ends the chain


def chain(spans: Iterable[S], at: datetime) -> Chain[S] | None:
    """The chain of coverage at `at`, or None when nothing known covers `at`."""
    rows = [s for s in spans if known(s.known_at, at, s.void_at) and s.ends_at > at]
    covering = [s for s in rows if s.starts_at <= at]
    if not covering:
        return None
    last = max(covering, key=lambda s: s.ends_at)
    followed = list(covering)
    rest = sorted((s for s in rows if s.starts_at > at), key=lambda s: (s.starts_at, s.ends_at))
    for s in rest:
        if s.starts_at <= last.ends_at < s.ends_at:
            last = s
            followed.append(s)
    return Chain(tuple(followed), last.ends_at, last)


def local_today(at: datetime, tz: tzinfo) -> date:
    """The reader's calendar date at `at`."""
    return at.astimezone(tz).date()


def last_local_day(ends_at: datetime, tz: tzinfo) -> date:
    """The reader's calendar date of the last covered moment before `ends_at`."""
    return (ends_at - timedelta(microseconds=1)).astimezone(tz).date()


def days_left(ends_at: datetime, at: datetime, tz: tzinfo) -> int:
    """Calendar days in the reader's zone from `at` to the last covered moment; 0 = today."""
    return (last_local_day(ends_at, tz) - local_today(at, tz)).days


def pending(due_at: datetime, decided_at: datetime | None, at: datetime) -> bool:
    """A review point is pending at `at` until its day ends or its decision is known."""
    return due_at > at and (decided_at is None or decided_at > at)


def first_after(spans: Sequence[S], at: datetime) -> S | None:
    """The earliest known row that starts after `at` (an adopted renewal after a gap)."""
    later = [s for s in spans if known(s.known_at, at, s.void_at) and s.starts_at > at]
    return min(later, key=lambda s: (s.starts_at, s.ends_at)) if later else None


def within(starts_at: datetime, ends_at: datetime, at: datetime) -> bool:
    """`at` falls in [starts_at, ends_at): a span the record marks unknown (docs/time.md)."""
    return starts_at <= at < ends_at


@dataclass(frozen=True)
class Hole:
    """Days without authority between coverage that ended and the next period (a gap).

    `first` is the first day not covered (authority's dates). A hole of whole days ends at
    `last`; a hole "until adopted" is a period that covers the days on paper but was adopted
    (known) only on `known_from`: no authority from the start of `first` until that adoption.
    """

    first: date
    last: date
    until_adopted: bool
    partial: bool  # only part of `last` had no authority (adopted that day)


def hole_before(
    covered_until: date, start: date, known_from: date, adopted: date | None
) -> Hole | None:
    """The gap before a period starting on `start`, after coverage that lasted until
    `covered_until` (both inclusive); None when it continues without one. With no adoption
    date on record, `known_from` is only a stand-in and no intraday gap is claimed."""
    first = covered_until + timedelta(days=1)
    if start > first:
        return Hole(first, start - timedelta(days=1), False, False)
    if adopted is None or known_from <= covered_until:
        return None
    last = known_from - timedelta(days=1) if known_from > first else first
    return Hole(first, last, True, known_from == first)
