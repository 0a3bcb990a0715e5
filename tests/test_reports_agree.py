"""Every report agrees to the instant (docs/time.md).

A property test over random instants (weighted towards the period boundaries) and reader zones
from UTC-11 to UTC+14 checks that `status`, `upcoming` and `crossing show` give the same state,
last day, end instant and days left, and that "authorized" holds exactly when an instrument
known at that instant covers the crossing, by an oracle that works from the stored periods
(tests/oracle.py). Then the same agreement through the command line, on fixed instants.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.core.terms import zone
from corridor.db.lookup import find_crossing
from corridor.services.history import crossing_history
from corridor.services.reports import status, upcoming
from oracle import oracle, periods

ZONES = [
    "Pacific/Pago_Pago",  # UTC-11
    "America/Los_Angeles",
    "America/New_York",
    "America/St_Johns",  # UTC-3:30 / -2:30
    "UTC",
    "Europe/Istanbul",
    "Asia/Damascus",
    "Asia/Kathmandu",  # UTC+5:45
    "Asia/Tokyo",
    "Pacific/Kiritimati",  # UTC+14
]
START = datetime(2014, 7, 1, tzinfo=UTC)
END = datetime(2026, 12, 31, tzinfo=UTC)


@pytest.fixture(scope="module")
def record(databases):
    """One reference database for the whole module: the property test only reads."""
    from corridor.db.connect import Location, make_engine

    engine = make_engine(Location(databases.clone("reference"), "test"))
    conn = engine.connect()
    spans = periods(conn)
    edges = sorted({x for _s, a, b, k, _d in spans for x in (a, b, k)})
    slugs = {slug: find_crossing(conn, slug) for slug in sorted({s[0] for s in spans})}
    yield conn, spans, edges, slugs
    conn.close()
    engine.dispose()


def instants(edges):
    near = st.builds(
        lambda edge, minutes: edge + timedelta(minutes=minutes),
        st.sampled_from(edges),
        st.integers(min_value=-36 * 60, max_value=36 * 60),
    )
    exact = st.builds(
        lambda edge, us: edge + timedelta(microseconds=us),
        st.sampled_from(edges),
        st.sampled_from([-1, 0, 1]),
    )
    anywhere = st.datetimes(
        min_value=START.replace(tzinfo=None), max_value=END.replace(tzinfo=None)
    ).map(lambda d: d.replace(tzinfo=UTC))
    return st.one_of(near, exact, anywhere)


def knowledge(edges):
    """The knowledge instant K for an instant T: T itself (what was known then) most often,
    else later (an audit as known later), up to "now" for the record."""
    return st.one_of(
        st.just(None),
        st.just(None),
        st.integers(min_value=1, max_value=3 * 365 * 24).map(lambda h: timedelta(hours=h)),
        st.just(END - START),
    )


def test_reports_agree_at_every_instant_in_every_zone(record):
    """status, upcoming, crossing show, the timeline, check and the calendar feed agree at
    3 000 instants T, each asked as known at T or at a later K, in ten zones; "authorized"
    is what the oracle computes from the stored periods (tests/oracle.py)."""
    conn, spans, edges, slugs = record
    checked = []

    @settings(
        max_examples=3000,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        at=instants(edges),
        zone_name=st.sampled_from(ZONES),
        pick=st.integers(0, 4),
        later=knowledge(edges),
    )
    def check(at, zone_name, pick, later):
        tz = zone(zone_name)
        k = at if later is None else min(at + later, END)
        states = {s.slug: s for s in status(conn, at=at, tz=tz, known_at=k)}
        expiries = [
            d
            for d in upcoming(conn, at=at, within=4000, tz=tz, kinds=("expiry",), known_at=k)
            if not d.conditional
        ]
        for slug in slugs:
            s = states[slug]
            authorized, until, ends_at = oracle(spans, slug, at, k)
            assert (s.authorized, s.until, s.until_at) == (authorized, until, ends_at), slug
            assert (s.lapsed_since is not None) == (s.state in ("lapsed", "unrenewed")), slug
            mine = [d for d in expiries if slug in d.slugs]
            if s.authorized:
                # The soonest live expiry of the crossing is the end of the chain status sees.
                first = min(mine, key=lambda d: d.due_at)
                assert (first.date, first.due_at, first.days_left) == (
                    s.until,
                    s.until_at,
                    s.days_left,
                ), slug
                assert s.days_left >= 0
        slug = sorted(slugs)[pick]
        shown = crossing_history(conn, slugs[slug], at=at, tz=tz, known_at=k).now
        s = states[slug]
        assert (shown.state, shown.until, shown.until_at, shown.days_left, shown.reason) == (
            s.state,
            s.until,
            s.until_at,
            s.days_left,
            s.reason,
        )
        if later is None and len(checked) % 5 == 0:  # the live outputs, at T as known at T
            _live_outputs_agree(conn, at, tz, states)
        checked.append(at)

    check()
    assert len(checked) >= 3000


def _live_outputs_agree(conn, at, tz, states) -> None:
    """The timeline draws every authorized crossing's day inside a bar; check is CRITICAL
    exactly when an authority ended in the last 30 days; the calendar's live events are
    upcoming's deadlines."""
    from corridor.services.calendar import all_deadlines
    from corridor.services.monitor import Thresholds, check, day_range
    from corridor.services.timeline import timeline

    rows = {r.slug: r for r in timeline(conn, at=at, tz=tz).rows}
    for slug, s in states.items():
        if s.authorized:
            day = at.astimezone(zone(s.authority_timezone or "UTC")).date()
            assert any(b.start <= day <= b.end for b in rows[slug].bars), (slug, at)
    today = at.astimezone(tz).date()
    recent = [
        s
        for s in states.values()
        if s.state in ("lapsed", "unrenewed") and (today - s.lapsed_since).days < 30
    ]
    limits = Thresholds(day_range("30", what="-w"), day_range("7", what="-c"))
    verdict = check(
        conn, at=at, tz=tz, thresholds=limits, kinds=("expiry", "review"), crossing_ids=None
    )
    assert (verdict.code == 2) >= bool(recent), (at, verdict.text)
    live = {d.uid for d in upcoming(conn, at=at, within=3000, tz=tz)}
    feed = {
        d.uid
        for d in all_deadlines(conn, at=at, tz=tz)
        if not getattr(d, "cancelled", None) and d.due_at > at
    }
    assert live == feed, at


@pytest.mark.parametrize(
    "as_of, tz", [("2023-07-11", "Europe/Istanbul"), ("2022-07-11", "Asia/Tokyo")]
)
def test_status_upcoming_and_crossing_show_agree(cli, reference_url, as_of, tz):
    args = ("--db", reference_url, "--as-of", as_of, "--tz", tz, "-f", "json")
    st_item = json.loads(cli("status", *args, "-c", "bab al hawa").out)["items"][0]
    shown = json.loads(cli("crossing", "show", "bab al hawa", *args).out)["now"]
    assert shown == st_item
    assert st_item["state"] == "authorized" and st_item["days_left"] == 0
    due = json.loads(cli("upcoming", *args, "-c", "bab al hawa", "-k", "expiry").out)["items"]
    first = due[0]
    assert (first["date"], first["due_at"], first["days_left"]) == (
        st_item["until"],
        st_item["until_at"],
        st_item["days_left"],
    )
