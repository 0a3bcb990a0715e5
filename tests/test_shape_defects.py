"""Defects of the time-shaped records (issue 14, item 8), each reproduced with an invented
record written as docs/records.md shows: the last day to object when no notice is stated, a
disputed end recorded later end first, a late adoption after a gap or an unknown span, and the
working-day flag under a --crossing filter. Nothing here is a real crossing or agreement."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

IST = "Europe/Istanbul"
DAMASCUS = "Asia/Damascus"

CROSSINGS = """
crossings:
  - slug: example-port
    name: Example Port
    countries: [SY, TR]
    known_until: 2025-12-31
  - slug: example-north
    name: Example North
    countries: [SY, IQ]
    known_until: 2025-12-31
  - slug: example-south
    name: Example South
    countries: [TR, IQ]
    known_until: 2025-12-31
"""


def load(cli, url, tmp_path, text: str) -> str:
    path = tmp_path / "record.yaml"
    path.write_text("corridor: 1\n" + text, encoding="utf-8")
    r = cli("import", str(path), "--db", url, "--yes")
    assert r.code == 0, r.err
    return url


def upcoming(cli, url, crossing, as_of, tz=IST, *extra):
    r = cli("upcoming", "-c", crossing, "--as-of", as_of, "--tz", tz, "-w", "400",
            "--format", "json", "--db", url, *extra)  # fmt: skip
    assert r.code == 0, r.err
    return json.loads(r.out)["items"]


def history(cli, url, crossing, as_of, tz=DAMASCUS):
    r = cli("crossing", "show", crossing, "--as-of", as_of, "--tz", tz, "--format", "json",
            "--db", url)  # fmt: skip
    assert r.code == 0, r.err
    return json.loads(r.out)["history"]


# ------------------------------------------------ automatic renewal without a notice period

NO_NOTICE = (
    CROSSINGS
    + """
instruments:
  - symbol: "Example agreement without notice (2025)"
    kind: agreement
    authority: Parties A and B
    timezone: Europe/Istanbul
    adopted: 2025-01-01
    source: illustrative example, not a real agreement
    periods:
      - crossings: [example-port]
        start: 2025-01-01
        for: 120d                  # until 2025-05-01
        auto_renew:
          for: 60d                 # no notice: the end itself is the last day to object
"""
)


def test_an_automatic_renewal_without_notice_has_the_end_as_its_notice_deadline(
    cli, empty_url, tmp_path
):
    url = load(cli, empty_url, tmp_path, NO_NOTICE)
    items = upcoming(cli, url, "example port", "2025-03-01")
    kinds = [(i["kind"], i["date"]) for i in items][:2]
    assert kinds == [("expiry", "2025-05-01"), ("notice", "2025-05-01")]
    notice = items[1]
    assert notice["note"] == "last day to object to the automatic renewal to 2025-06-30"
    assert items[0]["objection_by"] == "2025-05-01"
    # An objection voids it once known (the end of its day), as with a stated notice period.
    r = cli("object", "Example agreement without notice", "--on", "2025-04-10",
            "--party", "Party B", "--db", url)  # fmt: skip
    assert r.code == 0, r.err
    after = upcoming(cli, url, "example port", "2025-04-11")
    assert [(i["kind"], i["date"]) for i in after] == [("expiry", "2025-05-01")]
    assert [(i["kind"], i["date"]) for i in upcoming(cli, url, "example port", "2025-04-10")][
        :2
    ] == kinds


# ------------------------------------------------ a disputed end, the later end recorded first

DISPUTED = (
    CROSSINGS
    + """
instruments:
  - symbol: "Example renewal: Port (2025-03-01)"
    kind: consent
    authority: Government of the Syrian Arab Republic
    timezone: Asia/Damascus
    adopted: 2025-03-01
    source: "Party A's announcement (invented)"
    periods:
      - crossings: [example-port]
        start: 2025-03-01
        until: 2025-06-29          # as Party A announced it: the later end, recorded first
        alternative_ends:
          - until: 2025-04-30      # as Party B announced it: the earliest governs
            source: "Party B's statement (invented)"
"""
)

NEXT = """
  - symbol: "Example renewal: Port (2025-04-28)"
    kind: consent
    authority: Government of the Syrian Arab Republic
    timezone: Asia/Damascus
    adopted: 2025-04-28
    renews: "Example renewal: Port (2025-03-01)"
    source: "a later letter (invented)"
    periods:
      - crossings: [example-port]
        start: 2025-05-01
        until: 2025-08-31
"""


def test_a_renewal_after_a_disputed_end_starts_after_the_earliest_end(cli, empty_url, tmp_path):
    # In one file: the writer's own knowledge of what it just wrote.
    url = load(cli, empty_url, tmp_path, DISPUTED + NEXT)
    r = cli("status", "-c", "example port", "--as-of", "2025-05-01", "--tz", DAMASCUS,
            "--format", "json", "--db", url)  # fmt: skip
    item = json.loads(r.out)["items"][0]
    assert (item["state"], item["until"]) == ("authorized", "2025-08-31")


def test_renew_from_the_terminal_after_a_disputed_end(cli, databases, tmp_path):
    url = load(cli, databases.clone("migrated"), tmp_path, DISPUTED)
    r = cli("renew", "Example renewal: Port (2025-03-01)", "-s",
            "Example renewal: Port (2025-04-28)", "--adopted", "2025-04-28",
            "--until", "2025-08-31", "--db", url)  # fmt: skip
    assert r.code == 0, r.err
    r = cli("status", "-c", "example port", "--as-of", "2025-05-01", "--tz", DAMASCUS,
            "--format", "json", "--db", url)  # fmt: skip
    item = json.loads(r.out)["items"][0]
    assert (item["state"], item["until"]) == ("authorized", "2025-08-31")
    # A renewal overlapping the earliest end is still refused, naming that end.
    r = cli("renew", "Example renewal: Port (2025-03-01)", "-s", "Example overlap",
            "--adopted", "2025-04-28", "--start", "2025-04-15", "--until", "2025-09-30",
            "--db", url)  # fmt: skip
    assert r.code != 0
    assert "until 2025-04-30" in r.err


# ------------------------------------------------ a late adoption after a gap or unknown span

LATE = (
    CROSSINGS
    + """
instruments:
  - symbol: "Example consent: North, step 1"
    kind: consent
    authority: Government of the Syrian Arab Republic
    timezone: Asia/Damascus
    adopted: 2025-01-01
    source: illustrative example, not a real letter
    periods:
      - crossings: [example-north]
        start: 2025-01-01
        until: 2025-03-31
  - symbol: "Example consent: North, step 2"
    kind: consent
    authority: Government of the Syrian Arab Republic
    timezone: Asia/Damascus
    adopted: 2025-04-10               # announced five days after the step began
    source: illustrative example, not a real letter
    periods:
      - crossings: [example-north]
        start: 2025-04-05             # after a gap of four days
        until: 2025-06-30
"""
)


def _gaps(entries) -> list[tuple[str, str]]:
    return [(e["date"], e["text"]) for e in entries if e["kind"] in ("gap", "unknown")]


def test_crossing_show_keeps_a_late_adoption_after_a_gap(cli, empty_url, tmp_path):
    url = load(cli, empty_url, tmp_path, LATE)
    gaps = _gaps(history(cli, url, "example north", "2025-07-01"))
    assert gaps == [
        ("2025-04-01", "gap: no authority from 2025-04-01 to 2025-04-04 (4 days)"),
        (
            "2025-04-05",
            "gap in what was known: no authority from 2025-04-05 until Example consent: North, "
            "step 2, adopted on 2025-04-10, was known (the end of 2025-04-10)",
        ),
    ]


def test_crossing_show_keeps_a_late_adoption_after_an_unknown_span(cli, empty_url, tmp_path):
    unknown = LATE.replace(
        "    known_until: 2025-12-31\n  - slug: example-south",
        "    known_until: 2025-12-31\n"
        "    unknown:\n"
        "      - start: 2025-04-01\n"
        "        until: 2025-04-04\n"
        "        timezone: Asia/Damascus\n"
        "        note: no source gives these days\n"
        "  - slug: example-south",
    )
    assert unknown != LATE
    url = load(cli, empty_url, tmp_path, unknown)
    gaps = _gaps(history(cli, url, "example north", "2025-07-01"))
    assert [d for d, _ in gaps] == ["2025-04-01", "2025-04-05"]
    assert gaps[0][1].startswith("unknown (no source) from 2025-04-01 to 2025-04-04")
    assert "adopted on 2025-04-10" in gaps[1][1]


def test_the_timeline_keeps_the_late_adoption_after_a_gap(cli, empty_url, tmp_path, engine_for):
    from corridor.core.terms import zone
    from corridor.services.timeline import timeline

    url = load(cli, empty_url, tmp_path, LATE)
    with engine_for(url).connect() as conn:
        rows = timeline(conn, at=datetime(2025, 7, 1, tzinfo=UTC), tz=zone(DAMASCUS)).rows
    (north,) = [r for r in rows if r.slug == "example-north"]
    between = [(g.first, g.last) for g in north.gaps if g.last is not None]
    assert between == [
        (date(2025, 4, 1), date(2025, 4, 4)),
        (date(2025, 4, 5), date(2025, 4, 10)),  # known from the end of the adoption day
    ]
    assert north.gaps[1].text == (
        "no authority known from 2025-04-05 until Example consent: North, step 2, adopted on "
        "2025-04-10, was known (the end of 2025-04-10)"
    )


# ------------------------------------------------ the time of adoption, when a record gives it


@pytest.mark.parametrize(
    "known_at, expected",
    [
        (datetime(2020, 7, 11, 19, 5, tzinfo=UTC), "15:05 EDT"),  # the meeting's time
        (datetime(2020, 7, 11, 4, 0, tzinfo=UTC), None),  # the start of the day: no time given
        (datetime(2020, 7, 12, 4, 0, tzinfo=UTC), None),  # the end of the day: no time given
        (None, None),
    ],
)
def test_an_adoption_time_is_read_only_from_inside_the_adoption_day(known_at, expected):
    from corridor.services.history import adopted_time

    at = adopted_time(known_at, "America/New_York", date(2020, 7, 11))
    assert (f"{at:%H:%M %Z}" if at else None) == expected


# ------------------------------------------------ the working-day flag under a --crossing filter

WORKDAY = (
    CROSSINGS
    + """
instruments:
  - symbol: "Example two-crossing agreement (2025)"
    kind: agreement
    authority: Parties A and B         # no calendar of its own: the crossings' countries govern
    timezone: Europe/Istanbul
    adopted: 2025-01-01
    source: illustrative example, not a real agreement
    periods:
      - crossings: [example-north, example-south]
        start: 2025-01-01
        until: 2025-05-02              # a Friday: a day off in Syria, not in Türkiye
"""
)


def test_the_working_day_flag_is_the_same_whatever_the_crossing_filter(cli, empty_url, tmp_path):
    url = load(cli, empty_url, tmp_path, WORKDAY)

    def flag(*crossings):
        args = ["upcoming", "--as-of", "2025-04-01", "--tz", IST, "-w", "60", "--format",
                "json", "--db", url]  # fmt: skip
        for c in crossings:
            args += ["-c", c]
        r = cli(*args)
        assert r.code == 0, r.err
        (item,) = json.loads(r.out)["items"]
        return item["uid"], item["non_working"]

    both = flag()
    assert both[1] is not None and both[1]["calendar"] == "SY"
    assert flag("example south") == both
    assert flag("example north") == both


# ------------------------------------------------ what `object` and `terminate` print back

AUTO = (
    CROSSINGS
    + """
instruments:
  - symbol: "Example renewing agreement (2025)"
    kind: agreement
    authority: Parties A and B
    timezone: Europe/Istanbul
    adopted: 2025-01-01
    source: illustrative example, not a real agreement
    periods:
      - crossings: [example-port]
        start: 2025-01-01
        for: 120d                  # until 2025-05-01
        auto_renew:
          for: 60d
          notice: 30d
"""
)


def test_object_prints_the_note_the_record_now_gives(cli, empty_url, tmp_path):
    url = load(cli, empty_url, tmp_path, AUTO)
    r = cli("object", "Example renewing agreement", "--on", "2025-03-20", "--party", "Party B",
            "--db", url)  # fmt: skip
    assert r.code == 0, r.err
    line = next(x for x in r.out.splitlines() if x.startswith("2025-05-01"))
    assert line.endswith("ends: Party B objected on 2025-03-20; no automatic renewal")
    assert "unless a party objects" not in r.out
    # upcoming says the same once the objection is known (the end of its day).
    (item,) = upcoming(cli, url, "example port", "2025-03-21")
    assert item["note"] == "ends: Party B objected on 2025-03-20; no automatic renewal"


def test_terminate_prints_the_end_it_leaves(cli, empty_url, tmp_path):
    url = load(cli, empty_url, tmp_path, AUTO)
    r = cli("terminate", "Example renewing agreement", "--effective", "2025-03-01",
            "--known", "2025-02-20", "--party", "Party A", "--yes", "--format", "json",
            "--db", url)  # fmt: skip
    assert r.code == 0, r.err
    notes = {(d["date"], d["kind"]): d["note"] for d in json.loads(r.out)["deadlines"]}
    assert notes[("2025-02-28", "expiry")].startswith("terminated by Party A")
    assert not any("unless a party objects" in n for n in notes.values())
