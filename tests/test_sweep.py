"""Every date 2014-2025 against a brute-force oracle: status must agree with interval
arithmetic done directly on the stored periods (no coverage table, no SQL logic), at the first
instant of every third day and of every day around a period boundary.

The oracle applies the time rules of docs/time.md on its own: a period covers from the first
instant of its first day to the end of its last day in the authority's zone, and is known from
the first instant of the adoption (or, for a conditional extension, the decision) day there."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from corridor.core.terms import day_start, end_of_day, zone
from corridor.db import tables as t
from corridor.services.reports import status


def periods(conn):
    """(slug, starts_at, ends_at, known_at, end_date) of every period that ever applied."""
    p, i, r, pc, c = t.periods.c, t.instruments.c, t.reviews.c, t.period_crossings.c, t.crossings.c
    rows = conn.execute(
        sa.select(
            c.slug,
            p.start_date,
            p.end_date,
            i.known_from,
            i.timezone,
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
    for slug, start, end, known, tzname, conditional, outcome, decided in rows:
        tz = zone(tzname)
        if conditional is not None:
            if outcome != "extended":
                continue
            known = max(known, decided)
        out.append((slug, day_start(start, tz), end_of_day(end, tz), day_start(known, tz), end))
    return out


def oracle(spans, slug: str, at: datetime):
    """(authorized, last covered day, end instant) as known at `at`, by merging intervals."""
    visible = sorted((s, e, d) for x, s, e, k, d in spans if x == slug and k <= at)
    merged: list[list] = []
    for s, e, d in visible:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1][1], merged[-1][2] = e, d
        else:
            merged.append([s, e, d])
    for s, e, d in merged:
        if s <= at < e:
            return True, d, e
    return False, None, None


def test_status_matches_the_oracle_on_every_boundary_and_every_third_day(reference_url, engine_for):
    utc = zone("UTC")
    with engine_for(reference_url).connect() as conn:
        spans = periods(conn)
        slugs = sorted({p[0] for p in spans})
        instants = {day_start(date(2014, 7, 1) + timedelta(days=n), utc) for n in range(0, 3900, 3)}
        for _slug, starts, ends, known, _end in spans:
            for x in (starts, ends, known):
                instants |= {x - timedelta(days=1), x - timedelta(microseconds=1), x}
        checked = 0
        for at in sorted(instants):
            got = {s.slug: s for s in status(conn, at=at, tz=utc)}
            for slug in slugs:
                authorized, until, ends_at = oracle(spans, slug, at)
                st = got[slug]
                assert (st.authorized, st.until, st.until_at) == (authorized, until, ends_at), (
                    at,
                    slug,
                )
                checked += 1
        assert checked > 5 * 1300
