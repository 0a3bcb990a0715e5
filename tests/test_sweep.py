"""Every date 2014-2025 against a brute-force oracle: status must agree with interval
arithmetic done directly on the stored periods (no coverage table, no SQL logic), at the first
instant of every third day and of every day around a period boundary.

The oracle (tests/oracle.py) applies the time rules of docs/time.md on its own."""

from __future__ import annotations

from datetime import date, timedelta

from corridor.core.terms import day_start, zone
from corridor.services.reports import status
from oracle import oracle, periods


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
