"""The iCalendar feed (docs/sharing.md): `upcoming --format ics` and `export --format ics`,
checked with the icalendar parser and with a real client, khal (the Debian package; .ci/run
installs it)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from khal import _events, _khal, needs_khal

NY = ("--tz", "America/New_York")


def _feed(cli, url, *args) -> str:
    r = cli(*args, "--db", url)
    assert r.code == 0, r.err
    return r.out


def test_upcoming_feed_has_one_event_per_deadline_with_the_json_uid(cli, reference_url):
    window = ("upcoming", "--as-of", "2021-12-31", "--within", "730", *NY)
    items = json.loads(_feed(cli, reference_url, *window, "--format", "json"))["items"]
    text = _feed(cli, reference_url, *window, "--format", "ics")
    events = _events(text)
    assert len(items) >= 3
    assert [str(e["UID"]) for e in events] == [i["uid"] for i in items]
    for event, item in zip(events, items, strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start == date.fromisoformat(item["date"])  # the authority's date, all day
        assert end == start + timedelta(days=1)  # DTEND is exclusive
        triggers = sorted(a.decoded("TRIGGER") for a in event.walk("VALARM"))
        assert triggers == sorted(timedelta(days=-n, hours=9) for n in (90, 60, 30, 14, 7, 3, 1, 0))
        description = str(event["DESCRIPTION"])
        assert item["due_at"].replace("T", " ")[:16] + " UTC" in description
        assert item["authority_timezone"] in description
        assert event["SUMMARY"].startswith(", ".join(item["crossings"]) + ": ")
    assert "DTSTART;VALUE=DATE:" in text and "\r\n" in text


def test_calendar_properties_and_the_summary_names_crossing_kind_and_instrument(cli, reference_url):
    from icalendar import Calendar

    text = _feed(cli, reference_url, "export", "--format", "ics")
    cal = Calendar.from_ical(text)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "corridor: Syria cross-border reference"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in text
    assert "X-PUBLISHED-TTL:PT6H\r\n" in text
    summaries = {(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in cal.walk("VEVENT")}
    assert (
        date(2023, 1, 10),
        "Bab al-Hawa: UNSC authorization expires (S/RES/2642)",
    ) in summaries
    assert (
        date(2024, 11, 13),
        "Al-Rai, Bab al-Salam: consent expires "
        "(Syria consent: Bab al-Salam and Al-Rai, extension 6 (to 2024-11-13))",
    ) in summaries


def test_export_feed_matches_the_deadlines_table(cli, reference_url):
    table = list(csv.DictReader(io.StringIO(_feed(cli, reference_url, "export", "-f", "csv"))))
    events = _events(_feed(cli, reference_url, "export", "--format", "ics"))
    by_uid = {str(e["UID"]): e for e in events}
    assert len(by_uid) == len(events)
    dates = {r["uid"]: r["date"] for r in table}
    for uid, event in by_uid.items():
        assert event.decoded("DTSTART").isoformat() == dates[uid]
    # Past deadlines carry no alarm (a client would pop them all up as missed).
    today = datetime.now(UTC).date()
    for event in events:
        if event.decoded("DTSTART") < today - timedelta(days=1):
            assert event.walk("VALARM") == []
    # A conditional extension decided not_extended is a cancelled event, without alarms
    # (tests/test_ics_cancelled.py has one).
    voided = {r["uid"] for r in table if r["conditional"] == "yes" and r["void_from"]}
    for uid in voided & set(by_uid):
        assert str(by_uid[uid]["STATUS"]) == "CANCELLED" and by_uid[uid].walk("VALARM") == []


def test_two_exports_differ_at_most_in_dtstamp(cli, reference_url):
    first = _feed(cli, reference_url, "export", "--format", "ics").splitlines()
    second = _feed(cli, reference_url, "export", "--format", "ics").splitlines()
    assert len(first) == len(second)
    differing = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
    assert all(a.startswith("DTSTAMP:") and b.startswith("DTSTAMP:") for a, b in differing)
    assert sum(line.startswith("DTSTAMP:") for line in first) == len(_events("\r\n".join(first)))


def _event_of(events, symbol_short: str, kind: str = "expiry"):
    found = [
        e
        for e in events
        if f"({symbol_short})" in str(e["SUMMARY"]) and str(e["CATEGORIES"].cats[0]) == kind
    ]
    assert len(found) == 1, [str(e["SUMMARY"]) for e in found]
    return found[0]


def test_a_corrected_date_moves_the_event_and_bumps_sequence(cli, reference_url):
    before = _event_of(_events(_feed(cli, reference_url, "export", "-f", "ics")), "S/RES/2672")
    assert before.decoded("DTSTART") == date(2023, 7, 10)
    r = cli(
        "correct",
        "2672",
        "periods[0].for=",
        "periods[0].until=2023-07-11",
        "--yes",
        "--db",
        reference_url,
    )
    assert r.code == 0, r.err
    after = _event_of(_events(_feed(cli, reference_url, "export", "-f", "ics")), "S/RES/2672")
    assert after.decoded("DTSTART") == date(2023, 7, 11)
    assert after.decoded("DTEND") == date(2023, 7, 12)
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")
    # The UID is the deadline's uid in the JSON contract, whatever that contract says.
    items = json.loads(
        _feed(
            cli,
            reference_url,
            "upcoming",
            "--as-of",
            "2023-07-01",
            "--kind",
            "expiry",
            "-f",
            "json",
            *NY,
        )
    )["items"]
    uids = [i["uid"] for i in items if i["instrument"] == "S/RES/2672 (2023)"]
    assert uids == [str(after["UID"])]


def test_ics_is_refused_where_there_are_no_deadlines(cli, reference_url):
    for command in (["status"], ["db", "path"], ["db", "current"]):
        r = cli(*command, "--format", "ics", "--db", reference_url)
        assert (r.code, r.out) == (2, "")
        # Refused as an unknown choice: the help never offered it (issue 16, item 11).
        assert "'ics' is not one of 'table', 'json', 'csv'" in r.err
        assert "<table|json|csv>" in cli(*command, "--help").out


# ---------------------------------------------------------------- a real client: khal


@needs_khal
def test_khal_imports_the_upcoming_feed_with_the_json_dates(cli, reference_url, tmp_path):
    window = ("upcoming", "--as-of", "2021-12-31", "--within", "730", *NY)
    items = json.loads(_feed(cli, reference_url, *window, "--format", "json"))["items"]
    feed = tmp_path / "upcoming.ics"
    feed.write_text(_feed(cli, reference_url, *window, "--format", "ics"), encoding="utf-8")
    run, listed = _khal(tmp_path)
    run("import", "--batch", str(feed))
    shown, files = listed()
    expected = sorted(
        (i["date"], i["uid"]) for i in items if "2022-01-01" <= i["date"] <= "2023-12-31"
    )
    assert expected and shown == expected
    assert files == len(items)
    run("import", "--batch", str(feed))  # subscribing again: no duplicates
    assert listed() == (shown, files)


@needs_khal
def test_khal_imports_the_export_feed_and_reimport_changes_nothing(cli, reference_url, tmp_path):
    table = list(csv.DictReader(io.StringIO(_feed(cli, reference_url, "export", "-f", "csv"))))
    feed = tmp_path / "corridor.ics"
    r = cli("export", "--format", "ics", "-o", str(feed), "--db", reference_url)
    assert (r.code, r.err) == (0, f"Wrote {feed}.\n")
    run, listed = _khal(tmp_path)
    run("import", "--batch", str(feed))
    shown, files = listed()
    events = {str(e["UID"]) for e in _events(feed.read_text(encoding="utf-8"))}
    expected = sorted(
        {
            (r["date"], r["uid"])
            for r in table
            if r["uid"] in events and "2022-01-01" <= r["date"] <= "2023-12-31"
        }
    )
    assert len(expected) >= 10 and shown == expected
    assert ("2023-07-10", _uid_of(table, "S/RES/2672 (2023)", "2023-07-10")) in shown
    assert files == len(events)
    # The record changes (a corrected date) and the feed is imported again: the event moves.
    r = cli(
        "correct", "2672", "periods[0].for=", "periods[0].until=2023-07-11", "--yes",
        "--db", reference_url,
    )  # fmt: skip
    assert r.code == 0, r.err
    cli("export", "--format", "ics", "-o", str(feed), "--db", reference_url)
    run("import", "--batch", str(feed))
    moved, files_after = listed()
    old_uid = _uid_of(table, "S/RES/2672 (2023)", "2023-07-10")
    table = list(csv.DictReader(io.StringIO(_feed(cli, reference_url, "export", "-f", "csv"))))
    new_uid = _uid_of(table, "S/RES/2672 (2023)", "2023-07-11")
    assert ("2023-07-11", new_uid) in moved
    assert new_uid == old_uid  # the uid survives the correction (docs/time.md)
    assert files_after == files
    assert not any(day == "2023-07-10" for day, _ in moved)


def _uid_of(table, symbol: str, day: str) -> str:
    (uid,) = {r["uid"] for r in table if r["instrument"] == symbol and r["date"] == day}
    return uid


@pytest.mark.parametrize(
    "argv, allowed",
    [
        (["upcoming", "--format", "ics", "--as-of", "2022-12-20"], {"icalendar"}),
        (["status", "--format", "csv", "--hxl"], set()),
        (["upcoming", "--format", "csv", "--hxl"], set()),
    ],
)
def test_the_sharing_paths_of_the_read_commands_stay_light(reference_url, tmp_path, argv, allowed):
    """icalendar only on the ics path; nothing heavy otherwise (tests/test_read_paths.py)."""
    from loaded import HEAVY, modules_after

    loaded = modules_after([*argv, "--db", reference_url], tmp_path)
    heavy = {m.split(".")[0] for m in loaded if m.split(".")[0] in HEAVY}
    assert heavy == allowed
