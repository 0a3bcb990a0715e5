"""Deriving coverage and deadlines from one instrument.

`plan()` is pure: plain values in, rows out. `corridor.store.rederive` replaces one
instrument's derived rows in the caller's transaction and touches no other instrument's rows:
whether a later instrument supersedes an expiry is decided at query time from `coverage`
(corridor.services.reports), so recording a renewal never rewrites its predecessor.

Which periods count, and from when, is decided here and only here (docs/time.md):
- an ordinary period counts from the instrument's `known_at`: the first instant of its adoption
  (or announcement) day in the authority's zone;
- a conditional extension counts only once its review is decided `extended`, from the first
  instant of the decision day; pending or refused, it has no coverage row.
Every row carries instants: `starts_at`, `ends_at`, `known_at`, and for deadlines `void_at` (a
review is void once decided; a conditional expiry once its extension is refused). The
meaning of those instants at a given moment is corridor.core.coverage.

A deadline's `uid` is its identity (docs/architecture.md): the instrument (by its symbol key,
so a respelling does not change it), the kind, and which one of that kind it is. It does not
depend on the date (a corrected date moves the calendar event), the crossings, or a filter.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from corridor.core.terms import day_start, end_of_day, zone

Day = date  # a field named `date` shadows the type inside a class body


@dataclass(frozen=True)
class Review:
    id: int
    date: Day
    condition: str | None
    outcome: str
    decided_on: Day | None


@dataclass(frozen=True)
class Period:
    id: int
    start: date
    end: date
    crossings: tuple[tuple[int, str], ...]  # (crossing id, slug)
    stated: str | None = None
    conditional_review_id: int | None = None


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


@dataclass
class Plan:
    coverage: list[dict] = field(default_factory=list)
    deadlines: list[dict] = field(default_factory=list)


def symbol_key(symbol: str) -> str:
    """Symbols that differ only in spacing or case name the same instrument."""
    return re.sub(r"\s+", "", symbol).casefold()


def uid(kind: str, symbol: str, ordinal: int) -> str:
    """The stable identity of the `ordinal`-th deadline of `kind` of the instrument `symbol`."""
    digest = hashlib.sha1(f"{kind}|{symbol_key(symbol)}|{ordinal}".encode()).hexdigest()[:24]
    return f"{kind}-{digest}@corridor"


def _scope(inst: Instrument) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for p in inst.periods:
        for cid, slug in p.crossings:
            seen.setdefault(cid, slug)
    return sorted(seen.items(), key=lambda kv: kv[1])


def plan(inst: Instrument) -> Plan:
    tz = zone(inst.timezone)
    out = Plan()
    known_at = day_start(inst.known_from, tz)
    reviews = {r.id: r for r in inst.reviews}
    extension_after = {  # review id -> the conditional period it decides
        p.conditional_review_id: p for p in inst.periods if p.conditional_review_id
    }

    def decided_at(review: Review | None) -> datetime | None:
        if review is None or review.decided_on is None or review.outcome == "pending":
            return None
        return max(day_start(review.decided_on, tz), known_at)

    for ordinal, p in enumerate(inst.periods):
        starts_at, ends_at = day_start(p.start, tz), end_of_day(p.end, tz)
        review = reviews.get(p.conditional_review_id) if p.conditional_review_id else None
        counts_from: datetime | None = known_at
        void_at = None
        if review is not None:
            counts_from = decided_at(review) if review.outcome == "extended" else None
            if review.outcome == "not_extended":
                void_at = decided_at(review)
        if counts_from is not None:
            for cid, _slug in p.crossings:
                out.coverage.append(
                    dict(
                        instrument_id=inst.id,
                        period_id=p.id,
                        crossing_id=cid,
                        start_date=p.start,
                        continues_after=p.start - timedelta(days=1),
                        end_date=p.end,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        known_from=counts_from.astimezone(tz).date(),
                        known_at=counts_from,
                    )
                )
        note = _expiry_note(p, review, inst.reviews)
        for cid, _slug in p.crossings:
            out.deadlines.append(
                _deadline(
                    inst,
                    uid("expiry", inst.symbol, ordinal),
                    cid,
                    "expiry",
                    p.end,
                    ends_at,
                    known_at,
                    void_at,
                    tz,
                    conditional=review is not None,
                    review_id=review.id if review else None,
                    note=note,
                )
            )

    scope = _scope(inst)
    for ordinal, r in enumerate(inst.reviews):
        extension = extension_after.get(r.id)
        if extension is not None:
            note = f"review: extension to {extension.end} subject to {r.condition or 'a decision'}"
        else:
            note = f"review: {r.condition}" if r.condition else "review point"
        for cid, _slug in scope:
            out.deadlines.append(
                _deadline(
                    inst,
                    uid("review", inst.symbol, ordinal),
                    cid,
                    "review",
                    r.date,
                    end_of_day(r.date, tz),
                    known_at,
                    decided_at(r),
                    tz,
                    review_id=r.id,
                    note=note,
                )
            )
    for ordinal, rep in enumerate(inst.reports):
        for cid, _slug in scope:
            out.deadlines.append(
                _deadline(
                    inst,
                    uid("report", inst.symbol, ordinal),
                    cid,
                    "report",
                    rep.due,
                    end_of_day(rep.due, tz),
                    known_at,
                    None,
                    tz,
                    note=f"report due: {rep.description}",
                )
            )
    return out


def _deadline(
    inst: Instrument,
    key: str,
    crossing_id: int,
    kind: str,
    due: date,
    due_at: datetime,
    known_at: datetime,
    void_at: datetime | None,
    tz,
    *,
    conditional: bool = False,
    review_id: int | None = None,
    note: str,
) -> dict:
    return dict(
        uid=key,
        instrument_id=inst.id,
        crossing_id=crossing_id,
        kind=kind,
        due_date=due,
        due_at=due_at,
        known_from=known_at.astimezone(tz).date(),
        known_at=known_at,
        void_from=void_at.astimezone(tz).date() if void_at else None,
        void_at=void_at,
        conditional=conditional,
        review_id=review_id,
        note=note,
    )


def _expiry_note(p: Period, review: Review | None, reviews: tuple[Review, ...]) -> str:
    if review is not None:
        return f"end of the extension granted at the {review.date} review, if granted"
    ending_review = next((r for r in reviews if r.date == p.end), None)
    if ending_review is not None:
        return f"expires unless continued at the {p.end} review: {ending_review.condition}"
    return f"authorization ends ({p.stated})" if p.stated else "authorization ends"
