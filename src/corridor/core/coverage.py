"""The knowledge and coverage rule, in one place (docs/time.md).

**When a fact is known.** Every fact (an adoption, an announcement, a review decision, an
objection, a termination notice, a vetoed or failed draft, a declared check) has a *known
instant*: the instant the record gives (a meeting's time, or the instant it was recorded from
the command line on its own day), else the **end** of its day in its authority's zone
(`fact_known_at`). Before that instant the fact does not exist for any output.

**Two times.** A report asks about an instant T (`--as-of`) as known at an instant K
(`--known-at`, by default K = T). A derived row is *known at K* when

    known_at <= K < void_at (if any)

(`known`, and its SQL twin `known_sql`: the only place that condition is written), and a
crossing is **covered at T, as known at K**, when a row known at K has

    starts_at <= T < ends_at

- `starts_at` is the first instant of the period's first day and `ends_at` the instant its last
  day ends, both in the authority's zone (corridor.core.terms);
- `known_at` is the instant the fact that makes the row count became known;
- `void_at` (null for most rows) is the instant from which a row no longer counts: a
  termination became known, and a row cut short at its effective instant takes over.

Coverage **continues** from one row to another when the next row is known at K, starts no later
than the instant the current one ends, and ends later. Following that chain from the rows that
cover T gives the last covered instant: the `until` of `status`, the expiry `upcoming` shows and
the `now` of `crossing show` are all this one chain.

Days left count calendar days in the reader's zone, from the reader's date at T to the reader's
date of the last covered moment (the instant just before `ends_at`).

Everything here is pure: T, K and the reader's zone are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Generic, Protocol, TypeVar

from corridor.core.terms import day_start, end_of_day


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


# Facts with no zone of their own (a declared check) are known once their day is over
# everywhere: the end of the day "anywhere on earth" (UTC-12).
ANYWHERE_ON_EARTH = timezone(timedelta(hours=-12))
# Recorded drafts (vetoed or failed) are the Security Council's: their day is New York's.
DRAFT_ZONE = "America/New_York"


def fact_known_at(day: date, tz: tzinfo, given: datetime | None = None) -> datetime:
    """When a fact dated `day` became known: the instant the record gives, else the end of
    `day` in the authority's zone `tz`. Nobody can rely on a fact dated D before D is over."""
    if given is not None:
        return given.astimezone(UTC)
    return end_of_day(day, tz)


def known(known_at: datetime, at: datetime, void_at: datetime | None = None) -> bool:
    """A row is known at `at` from `known_at` on, until it is voided. `known_sql` is its twin."""
    return known_at <= at and (void_at is None or void_at > at)


def known_sql(
    alias: str, param: str = "known", *, voids: bool = True, optional: bool = False
) -> str:
    """The SQL twin of `known` for a row of table alias `alias`, bound to `:param` (the
    knowledge instant K). `voids=False` for tables with no `void_at` (instruments, facts);
    `optional=True` where a null `known_at` means "always known" (unknown spans). Every query
    that filters by knowledge builds its condition here (a test checks that no other module
    writes it)."""
    cond = f"{alias}.known_at <= :{param}"
    if optional:
        cond = f"{alias}.known_at IS NULL OR {cond}"
    if voids:
        cond += f" AND ({alias}.void_at IS NULL OR {alias}.void_at > :{param})"
    return f"({cond})"


def covers(span: Span, at: datetime, known_at: datetime | None = None) -> bool:
    """The coverage rule: the row is known at K (default T) and T falls inside it."""
    k = at if known_at is None else known_at
    return known(span.known_at, k, span.void_at) and span.starts_at <= at < span.ends_at


def continues(span: Span, end: datetime, known_at: datetime) -> bool:
    """`span` carries coverage on, without a gap, past the instant `end`, as known at K."""
    return known(span.known_at, known_at, span.void_at) and span.starts_at <= end < span.ends_at


S = TypeVar("S", bound=Span)


@dataclass(frozen=True)
class Chain(Generic[S]):
    """The coverage in force at T and every known row that continues it without a gap."""

    rows: tuple[S, ...]  # in the order they were followed: the covering rows first
    ends_at: datetime  # the last covered instant (exclusive)
    last: S  # the row that ends the chain


def chain(spans: Iterable[S], at: datetime, known_at: datetime | None = None) -> Chain[S] | None:
    """The chain of coverage at T as known at K (default T), or None when nothing known at K
    covers T."""
    k = at if known_at is None else known_at
    rows = [s for s in spans if known(s.known_at, k, s.void_at) and s.ends_at > at]
    covering = [s for s in rows if s.starts_at <= at]
    if not covering:
        return None
    last = max(covering, key=lambda s: s.ends_at)
    followed = list(covering)
    rest = sorted((s for s in rows if s.starts_at > at), key=lambda s: (s.starts_at, s.ends_at))
    for s in rest:
        if continues(s, last.ends_at, k):
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


def pending(
    due_at: datetime, decided_at: datetime | None, at: datetime, known_at: datetime | None = None
) -> bool:
    """A review point is pending at T until its day ends, or its decision is known at K."""
    k = at if known_at is None else known_at
    return due_at > at and (decided_at is None or decided_at > k)


def lapse_start(ended_at: datetime, spans: Iterable[tuple[datetime, datetime]]) -> datetime:
    """Where a lapse starts, for authority that ended at `ended_at`: never inside a span the
    record marks unknown, but where that span ends (spans as (starts_at, ends_at))."""
    start = ended_at
    ordered = sorted(spans)
    moved = True
    while moved:
        moved = False
        for s, e in ordered:
            if s <= start < e:
                start, moved = e, True
    return start


def first_after(spans: Sequence[S], at: datetime, known_at: datetime | None = None) -> S | None:
    """The earliest row known at K (default T) that starts after T (a renewal after a gap)."""
    k = at if known_at is None else known_at
    later = [s for s in spans if known(s.known_at, k, s.void_at) and s.starts_at > at]
    return min(later, key=lambda s: (s.starts_at, s.ends_at)) if later else None


def within(starts_at: datetime, ends_at: datetime, at: datetime) -> bool:
    """`at` falls in [starts_at, ends_at): a span the record marks unknown (docs/time.md)."""
    return starts_at <= at < ends_at


@dataclass(frozen=True)
class Hole:
    """Days without authority between coverage that ended and the next period (a gap).

    `first` is the first day not covered (authority's dates). A hole of whole days ends at
    `last`; a hole "until adopted" is a period that covers the days on paper but became known
    only later: no authority, as known at the time, from the start of `first` until its known
    instant, whose day is `last` (`partial`: that instant falls inside `last`, a time the
    record gives; without one a fact is known at the end of its day, so `last` is whole).
    """

    first: date
    last: date
    until_adopted: bool
    partial: bool


def hole_before(
    covered_until: date, start: date, known_local: datetime, adopted: date | None
) -> Hole | None:
    """The gap before a period starting on `start`, after coverage that lasted until
    `covered_until` (both inclusive); None when it continues without one. `known_local` is
    the instant the period became known, in its authority's zone. With no adoption date on
    record the known instant is only a stand-in, and no gap in what was known is claimed."""
    first = covered_until + timedelta(days=1)
    if start > first:
        return Hole(first, start - timedelta(days=1), False, False)
    tz = known_local.tzinfo
    if adopted is None or tz is None or known_local <= day_start(first, tz):
        return None
    last = (known_local - timedelta(microseconds=1)).date()
    partial = known_local.timetz().replace(tzinfo=None) != datetime.min.time()
    return Hole(first, last, True, partial)
