"""One truth: every report agrees to the instant (docs/time.md).

A property test over random instants (weighted towards the period boundaries) and reader zones
from UTC-11 to UTC+14 checks that `status`, `upcoming` and `crossing show` give the same state,
last day, end instant and days left, and that "authorized" holds exactly when an instrument
known at that instant covers the crossing, by an oracle that works from the stored periods.
Then one regression test per defect of the "One truth" issue (filters, instants, agreement,
per-crossing knowledge, stable uids).
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


# ---------------------------------------------------------------- defect 2: filters

NY = ("--tz", "America/New_York")


def test_repeated_crossing_and_kind_filters_keep_every_value(cli, reference_url):
    """Before: the last -c and the last -k won, silently."""
    args = ("upcoming", "--db", reference_url, "--as-of", "2022-12-29", *NY, "-f", "json")
    both = cli(*args, "-c", "bab al hawa", "-c", "bab al salam")
    assert both.code == 0
    hawa = json.loads(cli(*args, "-c", "bab al hawa").out)["items"]
    assert hawa and json.loads(both.out)["items"] == hawa  # Bab al-Salam has none then
    assert any(i["kind"] == "expiry" and i["days_left"] == 12 for i in hawa)
    kinds = {i["kind"] for i in json.loads(cli(*args, "-k", "expiry", "-k", "review").out)["items"]}
    assert kinds == {"expiry", "review"}
    commas = json.loads(cli(*args, "-k", "expiry,review").out)["items"]
    assert commas == json.loads(cli(*args, "-k", "expiry", "-k", "review").out)["items"]
    st_args = ("status", "--db", reference_url, "--as-of", "2023-03-01", "-f", "json")
    shown = json.loads(cli(*st_args, "-c", "bab al hawa, al-rai", "-c", "cilvegozu").out)
    assert [i["slug"] for i in shown["items"]] == ["al-rai", "bab-al-hawa"]


def test_an_unknown_name_in_a_repeated_filter_is_refused_not_dropped(cli, reference_url):
    r = cli("upcoming", "--db", reference_url, "-c", "bab al hawa", "-c", "nowhere")
    assert r.code == 3 and r.out == "" and "nowhere" in r.err


# ---------------------------------------------------------------- defect 3: instants

CONSENT_END = "2025-01-13T21:00:00Z"  # "to 2025-01-13" at midnight in Damascus (UTC+3)


def test_a_consent_ends_at_midnight_in_damascus_whatever_the_readers_zone(cli, reference_url):
    la = ("--tz", "America/Los_Angeles", "--db", reference_url, "-c", "bab al hawa")
    before = json.loads(cli("status", *la, "--as-of", "2025-01-13T20:30:00Z", "-f", "json").out)
    after = json.loads(cli("status", *la, "--as-of", "2025-01-13T22:30:00Z", "-f", "json").out)
    (b,), (a,) = before["items"], after["items"]
    assert (b["state"], b["days_left"], b["until_at"]) == ("authorized", 0, CONSENT_END)
    assert (a["state"], a["authorized"], a["days_left"]) == ("unrenewed", False, None)
    due = json.loads(cli("upcoming", *la, "--as-of", "2025-01-13T20:30Z", "-f", "json").out)
    assert [(i["due_at"], i["days_left"]) for i in due["items"]] == [(CONSENT_END, 0)]
    gone = cli("upcoming", *la, "--as-of", "2025-01-13T14:30-08:00")
    assert gone.out == ""  # 22:30 UTC: it has ended, it is not "today 13:00 PST" any more


def test_as_of_accepts_dates_and_instants_and_refuses_a_bare_time(cli, reference_url):
    r = cli("status", "--db", reference_url, "--as-of", "2023-07-11T07:30+03:00", "-f", "json")
    assert r.code == 0 and json.loads(r.out)["at"] == "2023-07-11T04:30:00Z"
    r = cli("status", "--db", reference_url, "--as-of", "2023-07-11T07:30")
    assert r.code == 2 and "no timezone" in r.err
    r = cli("status", "--db", reference_url, "--as-of", "2023-07-11T99:00Z")
    assert r.code == 2 and "ISO 8601" in r.err


def test_a_fact_is_known_from_the_end_of_its_day_in_its_authoritys_zone(cli, reference_url):
    """S/RES/2672 was adopted on 2023-01-09 in New York, at a time the record does not give:
    known from the end of that day there, 05:00 UTC on 2023-01-10 (docs/time.md)."""
    args = ("status", "--db", reference_url, "-c", "bab al hawa", "-f", "json")
    ny = json.loads(cli(*args, "--as-of", "2023-01-09T23:00-05:00").out)["items"][0]
    assert ny["instruments"][-1] == "S/RES/2642 (2022)" and ny["until"] == "2023-01-10"
    early = json.loads(cli(*args, "--as-of", "2023-01-10T04:59:59Z").out)["items"][0]
    assert early["until"] == "2023-01-10"
    known = json.loads(cli(*args, "--as-of", "2023-01-10T05:00:00Z").out)["items"][0]
    assert known["instruments"][-1] == "S/RES/2672 (2023)" and known["until"] == "2023-07-10"
    tokyo = json.loads(cli(*args, "--as-of", "2023-01-10", "--tz", "Asia/Tokyo").out)["items"][0]
    assert tokyo["until"] == "2023-01-10"  # the 10th began in Tokyo before the 9th ended in NY


# ---------------------------------------------------------------- defect 4: agreement


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


# ---------------------------------------------------------------- defect 5: knowledge


def test_a_renewal_moves_only_its_own_crossings_horizon(cli, reference_url):
    r = cli("renew", "Syria consent: Bab al-Hawa, extension 2 (to 2025-01-13)",
            "-s", "Example consent: Bab al-Hawa, extension 3", "--adopted", "2025-01-20",
            "--by", "t", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    items = {
        i["slug"]: i
        for i in json.loads(
            cli("status", "--db", reference_url, "--as-of", "2025-03-01", "-f", "json").out
        )["items"]
    }
    assert items["bab-al-hawa"]["state"] == "authorized"
    assert items["bab-al-hawa"]["record_ends"] == "2025-01-20"
    assert items["bab-al-salam"]["record_ends"] == "2024-11-13"
    warned = cli("status", "--db", reference_url, "--as-of", "2025-03-01").err
    assert "Bab al-Hawa" not in warned and "Bab al-Salam" in warned


def test_a_draft_moves_only_its_crossings_and_must_name_one(cli, reference_url):
    r = cli("draft", "2025-03-05", "A vetoed draft", "--kind", "vetoed", "--db", reference_url)
    assert r.code == 2 and "crossings" in r.err
    r = cli("draft", "2025-03-05", "A vetoed draft", "--kind", "vetoed", "-c", "bab al hawa",
            "--by", "t", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    items = {
        i["slug"]: i
        for i in json.loads(
            cli("status", "--db", reference_url, "--as-of", "2025-03-07", "-f", "json").out
        )["items"]
    }
    assert items["bab-al-salam"]["state"] == "unrenewed"
    assert items["bab-al-hawa"]["state"] == "lapsed"  # the veto is the reason
    assert items["bab-al-hawa"]["reason"]["kind"] == "vetoed"
    assert items["bab-al-hawa"]["record_ends"] == "2025-03-05"
    # A replay before the veto was known is unchanged by it.
    before = json.loads(
        cli("status", "--db", reference_url, "--as-of", "2025-03-05", "-f", "json").out
    )["items"]
    hawa = next(i for i in before if i["slug"] == "bab-al-hawa")
    assert (hawa["state"], hawa["record_ends"]) == ("unrenewed", "2025-01-13")


def test_a_second_corridor_has_its_own_horizon(cli, reference_url, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(
        "corridor: 1\n"
        "dataset: {name: Another corridor, knowledge_ends: 2026-06-30}\n"
        "crossings:\n"
        "  - {slug: port-x, name: Port X, countries: [SY, TR]}\n"
    )
    r = cli("import", str(other), "--yes", "--by", "t", "--db", reference_url)
    assert r.code == 0, r.err
    items = {
        i["slug"]: i
        for i in json.loads(
            cli("status", "--db", reference_url, "--as-of", "2026-07-02", "-f", "json").out
        )["items"]
    }
    assert items["port-x"]["record_ends"] == "2026-06-30"
    assert items["port-x"]["state"] == "never"
    assert items["bab-al-hawa"]["record_ends"] == "2025-01-13"


def test_crossing_checked_declares_the_record_complete(cli, reference_url):
    r = cli("crossing", "checked", "bab al salam", "al-rai", "--on", "2025-02-01",
            "--by", "t", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    # A check dated D is known once D is over everywhere: before, it is invisible. (The record
    # keeps one declaration per crossing: the one it replaced is in the audit trail only.)
    shown = cli("crossing", "show", "al-rai", "--db", reference_url, "--as-of", "2025-01-20")
    assert "Record known up to: 2025-02-01" not in shown.out
    shown = cli("crossing", "show", "al-rai", "--db", reference_url, "--as-of", "2025-02-03")
    assert "Record known up to: 2025-02-01" in shown.out
    item = json.loads(
        cli(
            "status", "-c", "al-rai", "--db", reference_url, "--as-of", "2025-02-03", "-f", "json"
        ).out
    )["items"][0]
    assert (item["state"], item["record_ends"]) == ("lapsed", "2025-02-01")
    assert item["reason"]["kind"] == "checked"  # the check past the end confirms the lapse
    assert "crossing checked" in cli("log", "--db", reference_url).out
    back = cli("crossing", "checked", "al-rai", "--on", "2025-01-01", "--db", reference_url)
    assert back.code == 2 and "already recorded as complete as of 2025-02-01" in back.err


# ---------------------------------------------------------------- defect 6: uids


def _uids(cli, url, *extra):
    r = cli("upcoming", "--db", url, "--as-of", "2020-01-01", "--within", "30", "-f", "json",
            *NY, *extra)  # fmt: skip
    return {(i["kind"], i["date"]): i["uid"] for i in json.loads(r.out)["items"]}


def test_uids_do_not_depend_on_the_filter_the_spelling_or_the_database(
    cli, reference_url, new_url, tmp_path
):
    everything = _uids(cli, reference_url)
    # S/RES/2449's expiry on 2020-01-10 covers four crossings in one row.
    key = ("expiry", "2020-01-10")
    for name in ("bab al hawa", "al yarubiyah", "al-ramtha"):
        assert _uids(cli, reference_url, "-c", name)[key] == everything[key]
    backup = tmp_path / "backup.yaml"
    assert cli("export", "-o", str(backup), "--db", reference_url).code == 0
    assert cli("import", str(backup), "--db", new_url).code == 0
    assert _uids(cli, new_url) == everything
    r = cli("correct", "S/RES/2449 (2018)", "symbol=S/RES/2449(2018)", "--yes", "--by", "t",
            "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    assert _uids(cli, reference_url) == everything


def test_a_corrected_date_keeps_the_uid(cli, reference_url):
    args = (
        "upcoming",
        "--db",
        reference_url,
        "--as-of",
        "2022-11-20",
        "-k",
        "report",
        "-f",
        "json",
    )
    (before,) = json.loads(cli(*args).out)["items"]
    r = cli("correct", "S/RES/2642 (2022)", "reports[0].due=2022-12-12", "--yes",
            "--by", "t", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    (after,) = json.loads(cli(*args).out)["items"]
    assert (after["date"], after["uid"]) == ("2022-12-12", before["uid"])
