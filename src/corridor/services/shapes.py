"""Recording the time-shaped facts of docs/records.md ("Shapes beyond a plain period"): an
objection to an automatic renewal, a termination, a span marked unknown.

Like every editing service (corridor.services.edit), each one loads the record in the native
format's shape, changes it, and writes it through the one writer (corridor.store.writer.apply):
the same validation, re-derivation, horizons and audit trail as an import.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import sqlalchemy as sa

from corridor.core.errors import InvalidDataError, UsageError
from corridor.db import tables as t
from corridor.record.format import (
    Document,
    ObjectionRec,
    TerminationRec,
    UnknownRec,
    Where,
    parse_crossing,
)
from corridor.services.edit import (
    Result,
    _load_instrument,
    fact_instant,
    find_crossing,
    find_instrument,
    result_of,
)
from corridor.store.audit import Change
from corridor.store.snapshot import crossing_dict
from corridor.store.writer import apply


def record_objection(
    conn,
    symbol: str,
    on: date,
    by: str,
    change: Change,
    *,
    period: int | None = None,
    source: str | None = None,
    note: str | None = None,
    at: datetime | None = None,
    recorded_at: datetime | None = None,
) -> Result:
    """A party objects to an instrument's automatic renewal, notified on `on` (at `at` when
    given; recorded on its own day, from the instant it is recorded: docs/time.md)."""
    iid, symbol = find_instrument(conn, symbol)
    _stored, rec = _load_instrument(conn, iid)
    renewing = [n for n, p in enumerate(rec.periods) if p.auto_renew is not None]
    if not renewing:
        raise InvalidDataError(
            f"{symbol} does not renew automatically: there is nothing to object to",
            "record its automatic renewal first: corridor correct SYMBOL "
            '"periods[0].auto_renew.for=60d"',
        )
    if period is None:
        if len(renewing) > 1:
            raise UsageError(
                f"{symbol} has {len(renewing)} periods that renew automatically",
                f"say which with --period N (one of {', '.join(map(str, renewing))})",
            )
        period = renewing[0]
    if period not in renewing:
        raise UsageError(f"periods[{period}] of {symbol} does not renew automatically")
    if not (by or "").strip():
        raise UsageError("say which party objects with --party PARTY")
    if rec.adopted is not None and on < rec.adopted:
        raise InvalidDataError(f"{symbol}: an objection on {on} is before its adoption")
    auto = rec.periods[period].auto_renew
    if auto is None:  # `renewing` lists only periods that renew automatically
        raise UsageError(f"periods[{period}] of {symbol} does not renew automatically")
    if any(o.on == on and o.by == by.strip() for o in auto.objections):
        raise InvalidDataError(f"{symbol}: {by} objecting on {on} is already recorded")
    when = fact_instant(on, at, recorded_at, rec.timezone)
    objection = ObjectionRec(on, by.strip(), source, note, when)
    renewing_period = replace(
        rec.periods[period], auto_renew=replace(auto, objections=(*auto.objections, objection))
    )
    rec = replace(
        rec,
        periods=tuple(renewing_period if n == period else p for n, p in enumerate(rec.periods)),
    )
    summary = apply(conn, Document(instruments=[rec], source=change.source), change=change)
    return result_of(
        conn,
        f"Recorded {by.strip()}'s objection of {on} to the automatic renewal of {symbol}.",
        summary,
        iid,
    )


def record_termination(
    conn,
    symbol: str,
    effective: date,
    known: date,
    change: Change,
    *,
    by: str | None = None,
    source: str | None = None,
    note: str | None = None,
    known_at: datetime | None = None,
    recorded_at: datetime | None = None,
) -> Result:
    """An instrument ends early "with effect from" `effective`, known from `known` (at
    `known_at` when given; recorded on its own day, from the instant it is recorded)."""
    iid, symbol = find_instrument(conn, symbol)
    _stored, rec = _load_instrument(conn, iid)
    if rec.adopted is not None and known < rec.adopted:
        raise InvalidDataError(f"{symbol}: known on {known}, before its adoption ({rec.adopted})")
    first = conn.execute(
        sa.select(sa.func.min(t.periods.c.start_date)).where(t.periods.c.instrument_id == iid)
    ).scalar()
    if first is not None and effective < first:
        raise UsageError(
            f"--effective {effective} is before {symbol} starts ({first}): a termination ends "
            "coverage from that day, and there is none before it",
            "give the first day it no longer covers, on or after its start; to undo an "
            "instrument entered by mistake: corridor remove SYMBOL",
        )
    before = rec.terminated
    when = fact_instant(known, known_at, recorded_at, rec.timezone)
    rec = replace(rec, terminated=TerminationRec(effective, known, by, source, note, when))
    summary = apply(conn, Document(instruments=[rec], source=change.source), change=change)
    return result_of(
        conn,
        f"Recorded the termination of {symbol} with effect from {effective} (known {known}).",
        summary,
        iid,
        destructive=before is not None and summary.changed > 0,
        question=f"{symbol} is already recorded as terminated with effect from "
        f"{before.effective if before else ''}. Replace that termination?",
    )


def mark_unknown(
    conn,
    crossing: str,
    start: date,
    until: date,
    change: Change,
    *,
    note: str | None = None,
    source: str | None = None,
    timezone: str | None = None,
    recorded_at: datetime | None = None,
) -> Result:
    """Mark a span of a crossing's history unknown: reports say "unknown (no source)" there,
    as known from `recorded_at` (the instant the command runs: docs/time.md)."""
    cid = find_crossing(conn, crossing)
    stored = crossing_dict(conn, cid)
    rec = parse_crossing(stored, Where(stored["slug"]))
    span = UnknownRec(start, until, timezone or "UTC", note, source, recorded_at)
    if until < start:
        raise UsageError(f"the span ends on {until}, before it starts on {start}")
    rec = replace(rec, unknown=(*rec.unknown, span))
    parse_crossing(  # the same checks as an import (a valid zone)
        {**stored, "unknown": [*stored.get("unknown", []), _span_dict(span)]},
        Where(stored["slug"]),
    )
    summary = apply(conn, Document(crossings=[rec], source=change.source), change=change)
    name = conn.execute(sa.select(t.crossings.c.name).where(t.crossings.c.id == cid)).scalar_one()
    return Result(
        f"Marked {name} unknown (no source) from {start} to {until}.",
        summary,
        crossing_dict(conn, cid),
    )


def _span_dict(span: UnknownRec) -> dict:
    return {
        k: v
        for k, v in (
            ("start", span.start),
            ("until", span.until),
            ("timezone", span.timezone),
            ("note", span.note),
            ("source", span.source),
            ("known", span.known_at),
        )
        if v is not None
    }
