"""Re-deriving one instrument's coverage and deadline rows (corridor.core.derive.plan) in the
caller's transaction. Only that instrument's rows are touched."""

from __future__ import annotations

import sqlalchemy as sa

from corridor.core.derive import Instrument, Period, Plan, Report, Review, plan
from corridor.db import tables as t


def load(conn: sa.Connection, instrument_id: int) -> Instrument:
    """Read one instrument and its periods, reviews and reports as plain values."""
    row = conn.execute(
        sa.select(
            t.instruments.c.symbol, t.instruments.c.timezone, t.instruments.c.known_from
        ).where(t.instruments.c.id == instrument_id)
    ).one()
    scope: dict[int, list[tuple[int, str]]] = {}
    for pid, cid, slug in conn.execute(
        sa.select(t.period_crossings.c.period_id, t.crossings.c.id, t.crossings.c.slug)
        .join(t.crossings, t.crossings.c.id == t.period_crossings.c.crossing_id)
        .join(t.periods, t.periods.c.id == t.period_crossings.c.period_id)
        .where(t.periods.c.instrument_id == instrument_id)
    ):
        scope.setdefault(pid, []).append((cid, slug))
    p = t.periods.c
    periods = tuple(
        Period(
            r.id,
            r.start_date,
            r.end_date,
            tuple(sorted(scope.get(r.id, []))),
            r.stated,
            r.conditional_review_id,
        )
        for r in conn.execute(
            sa.select(p.id, p.start_date, p.end_date, p.stated, p.conditional_review_id)
            .where(p.instrument_id == instrument_id)
            .order_by(p.position, p.id)
        )
    )
    rv = t.reviews.c
    reviews = tuple(
        Review(r.id, r.review_date, r.condition, r.outcome, r.decided_on)
        for r in conn.execute(
            sa.select(rv.id, rv.review_date, rv.condition, rv.outcome, rv.decided_on)
            .where(rv.instrument_id == instrument_id)
            .order_by(rv.review_date, rv.id)
        )
    )
    rp = t.reports.c
    reports = tuple(
        Report(r.due_date, r.description)
        for r in conn.execute(
            sa.select(rp.due_date, rp.description)
            .where(rp.instrument_id == instrument_id)
            .order_by(rp.due_date, rp.id)
        )
    )
    return Instrument(
        instrument_id, row.symbol, row.timezone, row.known_from, periods, reviews, reports
    )


def rederive(
    conn: sa.Connection, instrument_id: int, inst: Instrument | None = None, *, fresh: bool = False
) -> Plan:
    """Replace this instrument's coverage and deadline rows, inside the caller's transaction.
    A caller that has just written the instrument passes it as `inst` (no re-read), and
    `fresh=True` when it is new (nothing to delete)."""
    result = plan(inst if inst is not None else load(conn, instrument_id))
    if not fresh:
        conn.execute(sa.delete(t.coverage).where(t.coverage.c.instrument_id == instrument_id))
        conn.execute(sa.delete(t.deadlines).where(t.deadlines.c.instrument_id == instrument_id))
    if result.coverage:
        conn.execute(sa.insert(t.coverage), result.coverage)
    if result.deadlines:
        conn.execute(sa.insert(t.deadlines), result.deadlines)
    return result
