"""Property: a planned movement's verdict agrees with `status` over the movement's days
(docs/plans.md). Random movements (crossing, first day, length) and instants T, in several
reader zones, on the bundled record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.core.terms import day_start, end_of_day, zone
from corridor.core.verdicts import day_verdict, verdict
from corridor.services.plan_check import _state_on, day_facts
from corridor.services.reports import status

ZONES = ("UTC", "America/New_York", "Europe/Istanbul", "Asia/Damascus", "Pacific/Kiritimati")
SLUGS = ("bab-al-hawa", "bab-al-salam", "al-rai", "al-yarubiyah", "al-ramtha")
EDGES = [
    date(2014, 7, 14), date(2020, 1, 10), date(2020, 7, 10), date(2020, 7, 11),
    date(2022, 7, 10), date(2022, 7, 12), date(2023, 1, 10), date(2023, 7, 10),
    date(2023, 7, 13), date(2024, 1, 13), date(2024, 11, 13), date(2025, 1, 13),
]  # fmt: skip


@pytest.fixture(scope="module")
def record(databases):
    from corridor.db.connect import Location, make_engine
    from corridor.db.lookup import find_crossing

    engine = make_engine(Location(databases.clone("reference"), "test"))
    conn = engine.connect()
    ids = {slug: find_crossing(conn, slug) for slug in SLUGS}
    yield conn, ids
    conn.close()
    engine.dispose()


days = st.builds(
    lambda edge, n: edge + timedelta(days=n), st.sampled_from(EDGES), st.integers(-20, 20)
)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(slug=st.sampled_from(SLUGS), day=days, hours=st.integers(0, 23),
       zone_name=st.sampled_from(ZONES))  # fmt: skip
def test_the_state_on_a_day_as_known_that_day_is_status(record, slug, day, hours, zone_name):
    """Asked at D as known at D, the one bitemporal question is `status` at D."""
    conn, ids = record
    tz = zone(zone_name)
    at = day_start(day, tz) + timedelta(hours=hours)
    mine = _state_on(conn, at, at, tz, ids[slug])
    (st_,) = status(conn, at=at, tz=tz, crossing_ids=[ids[slug]])
    assert (mine.state == "authorized") == st_.authorized
    if st_.authorized:
        assert (mine.until, mine.until_at) == (st_.until, st_.until_at)
    elif st_.state == "unknown":
        assert mine.state == "unknown"


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(slug=st.sampled_from(SLUGS), first=days, length=st.integers(0, 3),
       zone_name=st.sampled_from(ZONES))  # fmt: skip
def test_a_movement_known_on_its_own_day_agrees_with_status(record, slug, first, length, zone_name):
    """T at the start of the first day: covered exactly when `status` says authorized at the
    first and last instant of every day (as known then), and no day is covered otherwise."""
    conn, ids = record
    tz = zone(zone_name)
    movement = [first + timedelta(days=n) for n in range(length + 1)]
    at = day_start(first, tz)
    facts = day_facts(conn, ids[slug], movement, known_at=at, tz=tz)
    v = verdict(facts, at)
    # On its own first day, asked at its first instant, T and D agree for that instant.
    (st_,) = status(conn, at=at, tz=tz, crossing_ids=[ids[slug]])
    if not st_.authorized:
        assert v.verdict != "covered"
    if v.verdict == "covered":
        assert all(day_verdict(f, at) == "covered" for f in facts)
        assert v.until is not None and v.until >= movement[-1] - timedelta(days=1)


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(slug=st.sampled_from(SLUGS), first=days, length=st.integers(0, 3),
       ahead=st.integers(0, 60), zone_name=st.sampled_from(ZONES))  # fmt: skip
def test_the_verdict_agrees_with_status_known_at_t_over_the_days(
    record, slug, first, length, ahead, zone_name
):
    """`covered` exactly when status(at=D, known_at=T) is authorized at the first and last
    instant of every day D (and no open renewal); `blocked` only when one is lapsed."""
    conn, ids = record
    tz = zone(zone_name)
    movement = [first + timedelta(days=n) for n in range(length + 1)]
    at = day_start(first, tz) - timedelta(days=ahead)
    v = verdict(day_facts(conn, ids[slug], movement, known_at=at, tz=tz), at)
    states = []
    for d in movement:
        for instant in (day_start(d, tz), end_of_day(d, tz) - timedelta(microseconds=1)):
            (s,) = status(conn, at=instant, known_at=at, tz=tz, crossing_ids=[ids[slug]])
            states.append(s.state)
    if v.verdict == "covered":
        assert set(states) == {"authorized"}
    if set(states) == {"authorized"}:
        assert v.verdict in ("covered", "at_risk")
    if v.verdict == "blocked":
        assert "lapsed" in states
