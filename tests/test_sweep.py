"""Every date 2014-2025 against a brute-force oracle: status must agree, day by day, with
interval arithmetic done directly on the stored periods (no coverage table, no SQL logic)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from corridor.core.terms import zone
from corridor.db import tables as t
from corridor.services.reports import status


def _periods(conn):
    """(slug, start, end, known_from) of every period that ever applied, with the date from
    which the record knows it: a conditional period only once its review was decided extended."""
    p, i, r, pc, c = t.periods.c, t.instruments.c, t.reviews.c, t.period_crossings.c, t.crossings.c
    rows = conn.execute(
        sa.select(
            c.slug,
            p.start_date,
            p.end_date,
            i.known_from,
            p.conditional_review_id,
            r.outcome,
            r.decided_on,
        ).select_from(
            t.periods.join(t.instruments, i.id == p.instrument_id)
            .join(t.period_crossings, pc.period_id == p.id)
            .join(t.crossings, c.id == pc.crossing_id)
            .outerjoin(t.reviews, r.id == p.conditional_review_id)
        )
    ).all()
    out = []
    for slug, start, end, known, conditional, outcome, decided in rows:
        if conditional is not None:
            if outcome != "extended":
                continue
            known = max(known, decided)
        out.append((slug, start, end, known))
    return out


def _oracle(periods, slug: str, day: date):
    """(authorized, until) as known on `day`, by merging visible intervals."""
    spans = sorted((s, e) for x, s, e, k in periods if x == slug and k <= day)
    merged: list[list[date]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    for s, e in merged:
        if s <= day <= e:
            return True, e
    return False, None


def test_status_matches_the_oracle_on_every_boundary_and_every_third_day(reference_url, engine_for):
    with engine_for(reference_url).connect() as conn:
        periods = _periods(conn)
        slugs = sorted({p[0] for p in periods})
        days = {date(2014, 7, 1) + timedelta(days=n) for n in range(0, 3900, 3)}
        for _slug, start, end, known in periods:
            for d in (start, end, known):
                days |= {d - timedelta(days=1), d, d + timedelta(days=1)}
        checked = 0
        for day in sorted(days):
            got = {s.slug: s for s in status(conn, as_of=day, tz=zone("UTC"))}
            for slug in slugs:
                authorized, until = _oracle(periods, slug, day)
                assert (got[slug].authorized, got[slug].until) == (authorized, until), (day, slug)
                checked += 1
        assert checked > 5 * 1300
