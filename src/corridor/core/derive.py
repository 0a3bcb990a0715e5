"""Deriving coverage and deadlines from one instrument.

`plan()` is pure: plain values in, rows out. `corridor.store.rederive` replaces one
instrument's derived rows in the caller's transaction and touches no other instrument's rows:
whether a later instrument supersedes an expiry is decided at query time from `coverage`
(corridor.services.reports), so recording a renewal never rewrites its predecessor.

Visibility for --as-of (docs/time.md) is carried by two dates on each row:
- known_from: the instrument's adoption or announcement date; for a conditional extension,
  the date its review was decided `extended`;
- void_from: for a review, the date it was decided; for a conditional extension's expiry,
  the date its review was decided `not_extended`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from corridor.core.terms import end_of_day, zone


@dataclass(frozen=True)
class Review:
    id: int
    date: date
    condition: str | None
    outcome: str
    decided_on: date | None


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


def uid(kind: str, symbol: str, slug: str, day: date) -> str:
    digest = hashlib.sha1(f"{kind}|{symbol}|{slug}|{day}".encode()).hexdigest()[:20]
    return f"{kind}-{day:%Y%m%d}-{digest}@corridor"


def _scope(inst: Instrument) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for p in inst.periods:
        for cid, slug in p.crossings:
            seen.setdefault(cid, slug)
    return sorted(seen.items(), key=lambda kv: kv[1])


def plan(inst: Instrument) -> Plan:
    tz = zone(inst.timezone)
    out = Plan()
    reviews = {r.id: r for r in inst.reviews}
    extension_after = {  # review id -> the conditional period it decides
        p.conditional_review_id: p for p in inst.periods if p.conditional_review_id
    }

    for p in inst.periods:
        ends_at = end_of_day(p.end, tz)
        review = reviews.get(p.conditional_review_id) if p.conditional_review_id else None
        known_from = inst.known_from
        void_from = None
        if review is not None:
            if review.outcome == "extended":
                known_from = max(inst.known_from, review.decided_on)
            if review.outcome == "not_extended":
                void_from = review.decided_on
        if review is None or review.outcome == "extended":
            for cid, _slug in p.crossings:
                out.coverage.append(
                    dict(
                        instrument_id=inst.id,
                        period_id=p.id,
                        crossing_id=cid,
                        start_date=p.start,
                        continues_after=p.start - timedelta(days=1),
                        end_date=p.end,
                        ends_at=ends_at,
                        known_from=known_from,
                    )
                )
        note = _expiry_note(p, review, inst.reviews)
        for cid, slug in p.crossings:
            out.deadlines.append(
                dict(
                    uid=uid("expiry", inst.symbol, slug, p.end),
                    instrument_id=inst.id,
                    crossing_id=cid,
                    kind="expiry",
                    due_date=p.end,
                    due_at=ends_at,
                    known_from=inst.known_from,
                    void_from=void_from,
                    conditional=review is not None,
                    review_id=review.id if review else None,
                    note=note,
                )
            )

    scope = _scope(inst)
    for r in inst.reviews:
        extension = extension_after.get(r.id)
        if extension is not None:
            note = f"review: extension to {extension.end} subject to {r.condition or 'a decision'}"
        else:
            note = f"review: {r.condition}" if r.condition else "review point"
        for cid, slug in scope:
            out.deadlines.append(
                dict(
                    uid=uid("review", inst.symbol, slug, r.date),
                    instrument_id=inst.id,
                    crossing_id=cid,
                    kind="review",
                    due_date=r.date,
                    due_at=end_of_day(r.date, tz),
                    known_from=inst.known_from,
                    void_from=r.decided_on if r.outcome != "pending" else None,
                    conditional=False,
                    review_id=r.id,
                    note=note,
                )
            )
    for rep in inst.reports:
        for cid, slug in scope:
            out.deadlines.append(
                dict(
                    uid=uid("report", inst.symbol, slug, rep.due),
                    instrument_id=inst.id,
                    crossing_id=cid,
                    kind="report",
                    due_date=rep.due,
                    due_at=end_of_day(rep.due, tz),
                    known_from=inst.known_from,
                    void_from=None,
                    conditional=False,
                    review_id=None,
                    note=f"report due: {rep.description}",
                )
            )
    return out


def _expiry_note(p: Period, review: Review | None, reviews: tuple[Review, ...]) -> str:
    if review is not None:
        return f"end of the extension granted at the {review.date} review, if granted"
    ending_review = next((r for r in reviews if r.date == p.end), None)
    if ending_review is not None:
        return f"expires unless continued at the {p.end} review: {ending_review.condition}"
    return f"authorization ends ({p.stated})" if p.stated else "authorization ends"
