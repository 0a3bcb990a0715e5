"""Re-deriving one instrument's coverage and deadline rows (corridor.core.derive.plan) in the
caller's transaction. Only that instrument's rows are touched."""

from __future__ import annotations

import sqlalchemy as sa

from corridor.core.derive import (
    AltEnd,
    AutoRenew,
    Instrument,
    Objection,
    Period,
    Plan,
    Report,
    Review,
    Termination,
    plan,
)
from corridor.db import tables as t


def load(conn: sa.Connection, instrument_id: int) -> Instrument:
    """Read one instrument and its periods, reviews and reports as plain values."""
    i = t.instruments.c
    row = conn.execute(
        sa.select(
            i.symbol,
            i.timezone,
            i.known_from,
            i.known_at,
            i.source,
            i.terminated_effective,
            i.terminated_known,
            i.terminated_by,
            i.terminated_source,
            i.terminated_known_at,
        ).where(i.id == instrument_id)
    ).one()
    scope: dict[int, list[tuple[int, str]]] = {}
    for pid, cid, slug in conn.execute(
        sa.select(t.period_crossings.c.period_id, t.crossings.c.id, t.crossings.c.slug)
        .join(t.crossings, t.crossings.c.id == t.period_crossings.c.crossing_id)
        .join(t.periods, t.periods.c.id == t.period_crossings.c.period_id)
        .where(t.periods.c.instrument_id == instrument_id)
    ):
        scope.setdefault(pid, []).append((cid, slug))
    p, o, e = t.periods.c, t.objections.c, t.period_ends.c
    objections: dict[int, list[Objection]] = {}
    alt_ends: dict[int, list[AltEnd]] = {}
    in_instrument = sa.select(p.id).where(p.instrument_id == instrument_id)
    for ob in conn.execute(
        sa.select(o.period_id, o.notified_on, o.party, o.notified_at)
        .where(o.period_id.in_(in_instrument))
        .order_by(o.notified_on, o.party)
    ):
        objections.setdefault(ob.period_id, []).append(
            Objection(ob.notified_on, ob.party, ob.notified_at)
        )
    for r in conn.execute(
        sa.select(e.period_id, e.end_date, e.source)
        .where(e.period_id.in_(in_instrument))
        .order_by(e.end_date)
    ):
        alt_ends.setdefault(r.period_id, []).append(AltEnd(r.end_date, r.source))
    periods = tuple(
        Period(
            r.id,
            r.start_date,
            r.end_date,
            tuple(sorted(scope.get(r.id, []))),
            r.stated,
            r.conditional_review_id,
            r.term,
            AutoRenew(
                r.renew_for,
                r.renew_notice,
                r.renew_max,
                r.renew_until,
                tuple(objections.get(r.id, [])),
            )
            if r.auto_renews
            else None,
            tuple(alt_ends.get(r.id, [])),
        )
        for r in conn.execute(
            sa.select(
                p.id,
                p.start_date,
                p.end_date,
                p.stated,
                p.conditional_review_id,
                p.term,
                p.auto_renews,
                p.renew_for,
                p.renew_notice,
                p.renew_max,
                p.renew_until,
            )
            .where(p.instrument_id == instrument_id)
            .order_by(p.position, p.id)
        )
    )
    rv = t.reviews.c
    reviews = tuple(
        Review(r.id, r.review_date, r.condition, r.outcome, r.decided_on, r.decided_at)
        for r in conn.execute(
            sa.select(rv.id, rv.review_date, rv.condition, rv.outcome, rv.decided_on, rv.decided_at)
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
    termination = None
    if row.terminated_effective is not None:
        termination = Termination(
            row.terminated_effective,
            row.terminated_known,
            row.terminated_by,
            row.terminated_source,
            row.terminated_known_at,
        )
    return Instrument(
        instrument_id,
        row.symbol,
        row.timezone,
        row.known_from,
        periods,
        reviews,
        reports,
        row.source,
        termination,
        row.known_at,
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
