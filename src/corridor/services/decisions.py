"""Decisions recorded after the fact: a review point's outcome (`corridor review`) and a failed
or vetoed draft (`corridor draft`). Like every editing service (corridor.services.edit), each
takes an open connection and a `Change`, writes through corridor.store.writer.apply, and
returns a `Result`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import sqlalchemy as sa

from corridor.core.coverage import DRAFT_ZONE
from corridor.core.errors import InvalidDataError, NotFoundError, UsageError
from corridor.db import tables as t
from corridor.record.format import Document, Where, parse_event
from corridor.services.edit import (
    Result,
    _load_instrument,
    fact_instant,
    find_instrument,
    result_of,
    slugs_for,
)
from corridor.store.audit import Change
from corridor.store.writer import apply


def record_review(
    conn,
    symbol: str,
    on: date,
    outcome: str,
    decided_on: date | None,
    change: Change,
    decided_by: str | None = None,
    note: str | None = None,
    *,
    decided_at: datetime | None = None,
    recorded_at: datetime | None = None,
) -> Result:
    """Record a review point's outcome: extended, not_extended, or back to pending."""
    iid, symbol = find_instrument(conn, symbol)
    _stored, rec = _load_instrument(conn, iid)
    review = next((r for r in rec.reviews if r.date == on), None)
    if review is None:
        dates = ", ".join(str(r.date) for r in rec.reviews)
        raise NotFoundError(
            f"{symbol} has no review point on {on}",
            f"its review points: {dates}" if dates else "it has no review points",
        )
    if outcome == "pending":
        decided_on = decided_by = None
    elif decided_on is None:
        raise UsageError("give the date the outcome was decided with --on DATE")
    if decided_on is not None and rec.adopted is not None and decided_on < rec.adopted:
        raise InvalidDataError(
            f"{symbol}: decided on {decided_on}, before it was adopted ({rec.adopted})"
        )
    before = review.outcome
    if decided_by is None and outcome == before:
        decided_by = review.decided_by  # a new decision date alone keeps what decided it
    outcome_rec = replace(
        review,
        outcome=outcome,
        decided_on=decided_on,
        decided_at=fact_instant(decided_on, decided_at, recorded_at, rec.timezone),
        decided_by=decided_by,
        note=review.note if note is None else note,
    )
    rec = replace(rec, reviews=tuple(outcome_rec if r is review else r for r in rec.reviews))
    doc = Document(instruments=[rec], source=change.source)
    summary = apply(conn, doc, change=change)
    words = {"extended": "extended", "not_extended": "not extended", "pending": "pending"}
    decided = f" (decided {decided_on})" if decided_on else ""
    return result_of(
        conn,
        f"Recorded the {on} review of {symbol}: {words[outcome]}{decided}.",
        summary,
        iid,
        destructive=before != "pending" and summary.changed > 0,
        question=f"The {on} review of {symbol} is already recorded as {words[before]}. "
        f"Record it as {words[outcome]}{decided} instead?",
    )


def add_draft(
    conn,
    day: date,
    kind: str,
    title: str,
    crossings: list[str],
    change: Change,
    vote: str | None = None,
    source: str | None = None,
    note: str | None = None,
    *,
    at: datetime | None = None,
    recorded_at: datetime | None = None,
) -> Result:
    """Record a failed or vetoed draft (or another dated event) touching some crossings; `at`
    is the vote's instant when given, else (recorded on its own day in New York) the instant
    it is recorded (docs/time.md)."""
    title = (title or "").strip()
    if not title:
        raise UsageError('the draft needs a title, e.g. "Ireland, Norway: Bab al-Hawa 6+6 months"')
    e = t.events.c
    if conn.execute(sa.select(e.id).where(e.event_date == day, e.title == title)).first():
        raise InvalidDataError(
            f'a draft on {day} titled "{title}" is already recorded',
            "give it a different title, or change it with: corridor correct --draft",
        )
    slugs = slugs_for(conn, crossings)
    if not slugs:  # a draft moves its crossings' horizons: it must say which (docs/time.md)
        raise UsageError(
            "a draft must name the crossings it is about",
            'add -c NAME for each, e.g. -c "Bab al-Hawa"',
        )
    raw = {"date": str(day), "kind": kind, "title": title, "crossings": slugs}
    raw.update({k: v for k, v in (("vote", vote), ("source", source), ("note", note)) if v})
    rec = parse_event(raw, Where(f"draft {day}"))
    rec = replace(rec, at=fact_instant(day, at, recorded_at, DRAFT_ZONE))
    doc = Document(events=[rec], source=change.source)
    summary = apply(conn, doc, change=change)
    what = {"vetoed": "vetoed draft", "failed": "failed draft"}.get(kind, "event")
    return Result(f'Recorded the {what} of {day}: "{title}".', summary)
