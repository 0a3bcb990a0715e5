"""The calendar feed treats a deadline that will not happen as the reports do (docs/sharing.md):
a renewed expiry, a decided review, a refused extension and a deadline voided by a termination
are published with STATUS:CANCELLED, no VALARM and a higher SEQUENCE, in `upcoming --format
ics` and `export --format ics`; a real client (khal) then shows them cancelled. The records are
invented (docs/records.md shows the format); nothing here is a real crossing or instrument."""

from __future__ import annotations

import json

import pytest

from khal import _events, _khal, needs_khal

NY = "America/New_York"

RECORD = """corridor: 1
crossings:
  - {{slug: example-gate, name: Example Gate, countries: [SY, TR], known_until: {y}-12-31}}
  - {{slug: example-ford, name: Example Ford, countries: [SY, IQ], known_until: {y}-12-31}}
  - {{slug: example-port, name: Example Port, countries: [SY], kind: sea,
     known_until: {y}-12-31}}
instruments:
  - symbol: "Example consent: Gate, step 1"
    kind: consent
    authority: Government of the Syrian Arab Republic
    timezone: Asia/Damascus
    adopted: {y}-01-01
    source: illustrative example, not a real letter
    periods:
      - {{crossings: [example-gate], start: {y}-01-01, until: {y}-06-30}}
  - symbol: "Example consent: Gate, step 2"
    kind: consent
    authority: Government of the Syrian Arab Republic
    timezone: Asia/Damascus
    adopted: {y}-06-01                 # renews step 1 before it ends
    renews: "Example consent: Gate, step 1"
    source: illustrative example, not a real letter
    periods:
      - {{crossings: [example-gate], start: {y}-07-01, until: {y}-12-31}}
  - symbol: "Example resolution: Ford"
    kind: resolution
    authority: Example Council
    timezone: America/New_York
    adopted: {y}-01-01
    source: illustrative example, not a real resolution
    periods:
      - {{crossings: [example-ford], start: {y}-01-01, until: {y}-06-30}}
      - {{crossings: [example-ford], start: {y}-07-01, until: {y}-12-31,
         conditional_on: {y}-06-30}}
    reviews:
      - {{date: {y}-06-30, condition: a separate decision, outcome: not_extended,
         decided_on: {y}-06-20}}
  - symbol: "Example agreement: Port"
    kind: agreement
    authority: Parties A and B
    timezone: Europe/Istanbul
    adopted: {y}-01-01
    source: illustrative example, not a real agreement
    periods:
      - {{crossings: [example-port], start: {y}-01-01, until: {y}-12-31}}
    terminated: {{effective: {y}-08-01, known: {y}-07-15, by: Party B}}
"""


@pytest.fixture
def future(cli, empty_url, tmp_path):
    """The record far in the future: `upcoming --as-of` decides what is known."""
    return _load(cli, empty_url, tmp_path, 2090)


def _load(cli, url, tmp_path, year: int) -> str:
    path = tmp_path / f"record-{year}.yaml"
    path.write_text(RECORD.format(y=year), encoding="utf-8")
    r = cli("import", str(path), "--db", url, "--yes")
    assert r.code == 0, r.err
    return url


def _upcoming(cli, url, as_of: str, fmt: str = "ics"):
    r = cli("upcoming", "--as-of", as_of, "--tz", NY, "-w", "400", "--format", fmt, "--db", url)
    assert r.code == 0, r.err
    return r.out


def _by_summary(events, words: str, kind: str, day: str | None = None):
    found = [
        e
        for e in events
        if words in str(e["SUMMARY"])
        and str(e["CATEGORIES"].cats[0]) == kind
        and (day is None or e.decoded("DTSTART").isoformat() == day)
    ]
    assert len(found) == 1, [str(e["SUMMARY"]) for e in events]
    return found[0]


def _shape(event) -> tuple[str, int, int]:
    return str(event["STATUS"]), int(event["SEQUENCE"]), len(event.walk("VALARM"))


# (as of, before it is known; as of, once it is; words of the summary; kind; date; why)
CASES = [
    ("2090-05-01", "2090-06-05", "Gate, step 1", "expiry", "2090-06-30", "renewed"),
    ("2090-06-01", "2090-06-25", "Ford", "review", "2090-06-30", "the review was decided"),
    ("2090-06-01", "2090-06-25", "Ford", "expiry", "2090-12-31", "extension was not granted"),
    ("2090-07-01", "2090-07-20", "Port", "expiry", "2090-12-31", "terminated"),
]


@pytest.mark.parametrize("before, after, words, kind, day, why", CASES)
def test_a_deadline_that_will_not_happen_is_cancelled_in_the_upcoming_feed(
    cli, future, before, after, words, kind, day, why
):
    old = _by_summary(_events(_upcoming(cli, future, before)), words, kind, day)
    status, sequence, alarms = _shape(old)
    assert status in ("CONFIRMED", "TENTATIVE") and alarms == 8
    new = _by_summary(_events(_upcoming(cli, future, after)), words, kind, day)
    assert str(new["UID"]) == str(old["UID"])
    assert _shape(new) == ("CANCELLED", sequence + 1, 0)
    assert str(new["DESCRIPTION"]).startswith("Cancelled: ") and why in str(new["DESCRIPTION"])
    # upcoming itself leaves it out: the feed and the report agree on what will happen.
    items = json.loads(_upcoming(cli, future, after, "json"))["items"]
    assert str(new["UID"]) not in {i["uid"] for i in items}


def test_the_conditional_end_is_tentative_until_refused(cli, future):
    ford = _by_summary(
        _events(_upcoming(cli, future, "2090-06-01")), "Ford", "expiry", "2090-12-31"
    )
    assert "expires, if extended" in str(ford["SUMMARY"])
    assert str(ford["STATUS"]) == "TENTATIVE"


def test_the_termination_leaves_the_cut_short_end_confirmed(cli, future):
    events = _events(_upcoming(cli, future, "2090-07-20"))
    port = [e for e in events if "Port" in str(e["SUMMARY"])]
    shapes = sorted((e.decoded("DTSTART").isoformat(), str(e["STATUS"])) for e in port)
    assert shapes == [("2090-07-31", "CONFIRMED"), ("2090-12-31", "CANCELLED")]


@pytest.mark.parametrize(
    "as_of", ["2020-07-01", "2022-06-20", "2023-01-05", "2023-01-09T15:00Z", "2023-07-09"]
)
def test_the_live_events_are_exactly_upcoming_s_items(cli, reference_url, as_of):
    items = json.loads(_upcoming(cli, reference_url, as_of, "json"))["items"]
    events = _events(_upcoming(cli, reference_url, as_of))
    live = [str(e["UID"]) for e in events if str(e["STATUS"]) != "CANCELLED"]
    assert sorted(live) == sorted(i["uid"] for i in items)
    for e in events:
        if str(e["STATUS"]) == "CANCELLED":
            assert e.walk("VALARM") == []


def test_the_export_cancels_past_deadlines_that_did_not_happen(cli, empty_url, tmp_path):
    url = _load(cli, empty_url, tmp_path, 2025)  # all of it past, whenever the test runs
    r = cli("export", "--format", "ics", "--db", url)
    assert r.code == 0, r.err
    events = _events(r.out)
    got = {
        (e.decoded("DTSTART").isoformat(), str(e["CATEGORIES"].cats[0]), str(e["STATUS"]))
        for e in events
    }
    assert got == {
        ("2025-06-30", "expiry", "CANCELLED"),  # Gate, step 1: renewed by step 2
        ("2025-12-31", "expiry", "CONFIRMED"),  # Gate, step 2: nothing renews it
        ("2025-06-30", "expiry", "CONFIRMED"),  # Ford: the end, as the extension was refused
        ("2025-06-30", "review", "CANCELLED"),  # decided on 2025-06-20
        ("2025-12-31", "expiry", "CANCELLED"),  # Ford's refused extension; Port's voided end
        ("2025-07-31", "expiry", "CONFIRMED"),  # Port: cut short by the termination
    }
    assert sum(str(e["STATUS"]) == "CANCELLED" for e in events) == 4


def test_a_renewal_adopted_after_the_end_leaves_the_past_end_confirmed(cli, empty_url, tmp_path):
    late = RECORD.format(y=2025).replace("adopted: 2025-06-01", "adopted: 2025-07-03")
    path = tmp_path / "late.yaml"
    path.write_text(late, encoding="utf-8")
    assert cli("import", str(path), "--db", empty_url, "--yes").code == 0
    events = _events(cli("export", "--format", "ics", "--db", empty_url).out)
    gate = _by_summary(events, "Gate, step 1", "expiry")
    assert str(gate["STATUS"]) == "CONFIRMED"  # the lapse happened; step 2 covered it back


@needs_khal
def test_khal_shows_the_cancellation_after_reimport(cli, future, tmp_path):
    run, listed = _khal(tmp_path)
    first, second = tmp_path / "first.ics", tmp_path / "second.ics"
    first.write_text(_upcoming(cli, future, "2090-05-01"), encoding="utf-8")
    second.write_text(_upcoming(cli, future, "2090-06-05"), encoding="utf-8")
    uid = str(_by_summary(_events(second.read_text("utf-8")), "Gate, step 1", "expiry")["UID"])

    def shown() -> dict[str, str]:
        text = run("list", "--format", "{uid}|{status}|{title}", "-df", "", "2090-01-01", "730d")
        return {
            line.split("|")[0]: line.split("|")[1].strip()
            for line in text.splitlines()
            if "|" in line
        }

    run("import", "--batch", str(first))
    assert shown()[uid] == "CONFIRMED"
    files = listed()[1]
    run("import", "--batch", str(second))
    assert shown()[uid] == "CANCELLED"  # replaced, not duplicated
    assert listed()[1] == files + len(
        {str(e["UID"]) for e in _events(second.read_text("utf-8"))}
        - {str(e["UID"]) for e in _events(first.read_text("utf-8"))}
    )
    default = run("list", "2090-06-30", "1d")
    line = next(x for x in default.splitlines() if "Gate, step 1" in x)
    assert line.startswith("CANCELLED") and "\N{ALARM CLOCK}" not in line
