"""The real 2014-2025 history, replayed with --as-of: before and after each renewal, the gaps,
the dropped crossings and the consent periods. Expected values come from
the public record (the sources named in src/corridor/data/reference.yaml), not from
the code."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.core.terms import day_start, zone
from corridor.db.lookup import find_crossing
from corridor.services.history import crossing_history
from corridor.services.reports import status, upcoming

NY = zone("America/New_York")
HAWA, SALAM, RAI, YARUBIYAH, RAMTHA = (
    "bab-al-hawa",
    "bab-al-salam",
    "al-rai",
    "al-yarubiyah",
    "al-ramtha",
)


@pytest.fixture
def conn(reference_url, engine_for):
    with engine_for(reference_url).connect() as c:
        yield c


def state_of(conn, as_of: str, slug: str, tz=NY):
    rows = {s.slug: s for s in status(conn, at=day_start(date.fromisoformat(as_of), tz), tz=tz)}
    return rows[slug]


D = date.fromisoformat

# (as_of, crossing, state, until, instruments that must be listed). A date is the start of that
# day in New York; a fact dated D is known from the end of D in its authority's zone
# (docs/time.md), so an adoption shows from the next day's start here.
CASES = [
    ("2014-07-14", HAWA, "never", None, []),  # S/RES/2165 was adopted that day
    ("2014-07-15", HAWA, "authorized", "2015-01-10", ["S/RES/2165 (2014)"]),
    ("2014-07-15", RAMTHA, "authorized", "2015-01-10", ["S/RES/2165 (2014)"]),
    ("2014-07-15", RAI, "never", None, []),
    ("2014-12-17", YARUBIYAH, "authorized", "2015-01-10", ["S/RES/2165 (2014)"]),
    (
        "2014-12-18",
        YARUBIYAH,
        "authorized",
        "2016-01-10",
        ["S/RES/2165 (2014)", "S/RES/2191 (2014)"],
    ),
    ("2017-06-01", SALAM, "authorized", "2018-01-10", ["S/RES/2332 (2016)"]),
    ("2019-12-31", RAMTHA, "authorized", "2020-01-10", ["S/RES/2449 (2018)"]),
    # 2504 dropped Al Yarubiyah and Al-Ramtha on the day 2449 expired.
    ("2020-01-10", YARUBIYAH, "authorized", "2020-01-10", ["S/RES/2449 (2018)"]),
    ("2020-01-11", YARUBIYAH, "lapsed", None, []),
    ("2020-01-11", RAMTHA, "lapsed", None, []),
    ("2020-01-10", HAWA, "authorized", "2020-01-10", ["S/RES/2449 (2018)"]),
    ("2020-01-11", HAWA, "authorized", "2020-07-10", ["S/RES/2504 (2020)"]),
    # 2533 came the day after 2504 expired, and dropped Bab al-Salam.
    ("2020-07-10", SALAM, "authorized", "2020-07-10", ["S/RES/2504 (2020)"]),
    ("2020-07-11", SALAM, "lapsed", None, []),
    ("2020-07-11", HAWA, "lapsed", None, []),  # vetoed drafts; 2533 adopted later that day
    ("2020-07-12", HAWA, "authorized", "2021-07-10", ["S/RES/2533 (2020)"]),
    # 2585: six months, then six more subject to the SG's report, decided at the review point.
    ("2021-07-26", HAWA, "authorized", "2022-01-10", ["S/RES/2585 (2021)"]),
    ("2022-01-10", HAWA, "authorized", "2022-01-10", ["S/RES/2585 (2021)"]),
    ("2022-01-11", HAWA, "authorized", "2022-07-10", ["S/RES/2585 (2021)"]),
    # The 2022 gap: 2585 ended 10 July, 2642 was adopted 12 July.
    ("2022-07-11", HAWA, "lapsed", None, []),
    ("2022-07-12", HAWA, "lapsed", None, []),
    ("2022-07-13", HAWA, "authorized", "2023-01-10", ["S/RES/2642 (2022)"]),
    ("2022-12-20", HAWA, "authorized", "2023-01-10", ["S/RES/2642 (2022)"]),
    ("2023-01-10", HAWA, "authorized", "2023-07-10", ["S/RES/2642 (2022)", "S/RES/2672 (2023)"]),
    # Earthquake consents for Bab al-Salam and Al-Rai, three months at a time.
    ("2023-02-13", RAI, "never", None, []),
    ("2023-02-14", RAI, "authorized", "2023-05-13", []),
    ("2023-02-14", SALAM, "authorized", "2023-05-13", []),
    ("2023-06-01", SALAM, "authorized", "2023-08-13", []),
    # The Council's authority ended 10 July 2023: no reason is known at once (the veto of
    # 11 July is known from the end of that day); Syria's consent for Bab al-Hawa began 13 July.
    ("2023-07-11", HAWA, "unrenewed", None, []),
    ("2023-07-12", HAWA, "lapsed", None, []),
    ("2023-07-14", HAWA, "authorized", "2024-01-13", []),
    ("2024-07-12", HAWA, "authorized", "2025-01-13", []),
    ("2024-08-13", RAI, "authorized", "2024-11-13", []),
    ("2025-01-13", HAWA, "authorized", "2025-01-13", []),
    # Where the record stops, an ended authority is an alarm, never an invented period; a
    # crossing dropped by a renewal lapsed for that reason.
    ("2024-11-14", SALAM, "unrenewed", None, []),
    ("2025-01-14", HAWA, "unrenewed", None, []),
    ("2026-11-24", YARUBIYAH, "lapsed", None, []),
]


@pytest.mark.parametrize("as_of,slug,state,until,instruments", CASES)
def test_status_as_of(conn, as_of, slug, state, until, instruments):
    s = state_of(conn, as_of, slug)
    assert s.state == state, s.note
    assert s.authorized == (state == "authorized")
    assert s.until == (D(until) if until else None)
    for symbol in instruments:
        assert symbol in s.instruments


def test_lapsed_crossings_say_since_when(conn):
    assert state_of(conn, "2020-03-01", YARUBIYAH).lapsed_since == D("2020-01-11")
    assert state_of(conn, "2020-03-01", YARUBIYAH).last_instrument == "S/RES/2449 (2018)"
    assert state_of(conn, "2022-07-11", HAWA).lapsed_since == D("2022-07-11")
    assert state_of(conn, "2023-07-12", HAWA).lapsed_since == D("2023-07-11")


def test_record_end_is_stated(conn):
    s = state_of(conn, "2026-11-24", HAWA)
    assert s.horizon == D("2025-01-13")
    assert "2025-01-13" in s.note
    assert state_of(conn, "2024-12-01", SALAM).horizon == D("2024-11-13")


def test_days_left_in_new_york_and_gaziantep(conn):
    assert state_of(conn, "2022-12-20", HAWA).days_left == 21
    assert state_of(conn, "2022-12-20", HAWA, tz=zone("Europe/Istanbul")).days_left == 22


def items(conn, as_of, within=60, **kw):
    return upcoming(conn, at=day_start(D(as_of), NY), within=within, tz=NY, **kw)


def test_design_example_2642_expiry_is_live_on_2022_12_20(conn):
    found = items(conn, "2022-12-20", 30)
    expiry = [d for d in found if d.kind == "expiry"]
    assert [(d.date, d.instrument) for d in expiry] == [(D("2023-01-10"), "S/RES/2642 (2022)")]
    assert expiry[0].crossings == ["Bab al-Hawa"]
    assert expiry[0].days_left == 21
    assert any(d.kind == "review" and d.date == D("2023-01-10") for d in found)


def test_2672_supersedes_the_2642_expiry_once_its_adoption_is_known(conn):
    assert [d.date for d in items(conn, "2023-01-09", 30) if d.kind == "expiry"] == [
        D("2023-01-10")
    ]
    assert not [d for d in items(conn, "2023-01-10", 30) if d.kind == "expiry"]


def test_design_example_2585_review_pending_on_2021_07_26(conn):
    found = items(conn, "2021-07-26", 200, kinds=("review",))
    assert [(d.date, d.instrument) for d in found] == [(D("2022-01-10"), "S/RES/2585 (2021)")]
    assert "2022-07-10" in found[0].note


def test_2585_review_disappears_once_decided(conn):
    assert items(conn, "2022-01-10", 30, kinds=("review",))  # decided that day: known at its end
    assert not items(conn, "2022-01-11", 30, kinds=("review",))
    expiries = items(conn, "2022-01-11", 200, kinds=("expiry",))
    assert [d.date for d in expiries] == [D("2022-07-10")]


def test_reports_are_deadlines(conn):
    found = items(conn, "2022-11-20", 30, kinds=("report",))
    assert [d.date for d in found] == [D("2022-12-10")]


def test_2504_expiry_lists_both_crossings_and_2533_is_invisible_before_adoption(conn):
    found = items(conn, "2020-07-01", 30, kinds=("expiry",))
    assert [(d.date, sorted(d.crossings)) for d in found] == [
        (D("2020-07-10"), ["Bab al-Hawa", "Bab al-Salam"])
    ]


def test_2449_expiry_shows_only_the_dropped_crossings_once_2504_is_known(conn):
    # 2504 was adopted on the day 2449 expired: as known that morning, all four crossings
    # expire; as known once 2504 is (--known-at), only the two it dropped.
    found = items(conn, "2020-01-10", 10, kinds=("expiry",))
    assert [(d.date, len(d.crossings)) for d in found] == [(D("2020-01-10"), 4)]
    later = items(
        conn, "2020-01-10", 10, kinds=("expiry",), known_at=day_start(D("2020-01-11"), NY)
    )
    assert [(d.date, sorted(d.crossings)) for d in later] == [
        (D("2020-01-10"), ["Al Yarubiyah", "Al-Ramtha"])
    ]


def test_consent_expiry_is_counted_in_damascus_time(conn):
    found = items(conn, "2023-04-20", 30, kinds=("expiry",))
    assert {d.date for d in found} == {D("2023-05-13")}
    assert found[0].authority_timezone == "Asia/Damascus"
    assert found[0].due_at.isoformat() == "2023-05-13T21:00:00+00:00"


def test_crossing_filter(conn):
    rai = find_crossing(conn, "al-rai")
    found = items(conn, "2023-04-20", 30, crossing_ids=[rai])
    assert found and all(d.crossings == ["Al-Rai"] for d in found)


def test_history_shows_periods_gaps_reviews_and_failed_drafts(conn):
    h = crossing_history(
        conn, find_crossing(conn, "Bab al-Hawa"), at=day_start(D("2025-01-01"), NY), tz=NY
    )
    gaps = [e for e in h.entries if e.kind == "gap"]
    # After the whole-day gaps, S/RES/2642 and the July 2023 consent were adopted during their
    # first day: no authority from that midnight until the adoption (a hole in what was known).
    assert [e.date for e in gaps] == [
        D("2020-07-11"),
        D("2022-07-11"),
        D("2022-07-12"),
        D("2023-07-11"),
        D("2023-07-13"),
    ]
    assert "S/RES/2533 (2020)" in gaps[0].text
    assert "until S/RES/2642 (2022), adopted later that day, was known" in gaps[2].text
    events = [e for e in h.entries if e.kind == "event"]
    assert len(events) == 10  # every failed or vetoed draft named Bab al-Hawa
    assert any(e.date == D("2023-07-11") and e.detail["outcome"] == "vetoed" for e in events)
    reviews = [e for e in h.entries if e.kind == "review"]
    assert [e.detail["outcome"] for e in reviews] == ["extended", "extended"]
    assert h.now.authorized and h.now.until == D("2025-01-13")


def test_history_as_of_hides_the_future(conn):
    h = crossing_history(
        conn, find_crossing(conn, "Bab al-Hawa"), at=day_start(D("2021-07-26"), NY), tz=NY
    )
    assert max(e.date for e in h.entries if e.kind != "review") <= D("2022-01-11")
    review = [e for e in h.entries if e.kind == "review"]
    assert review[0].detail["outcome"] == "pending"
    assert not [e for e in h.entries if e.kind == "event" and e.date > D("2021-07-26")]
