"""What the reports say of the time-shaped records (docs/records.md, "Shapes beyond a plain
period"), each with an invented record: the last day to object when no notice is stated, a
renewal after a disputed end recorded later end first, what `object` and `terminate`
print back, and a termination before its instrument starts refused."""

from __future__ import annotations

import json

from corridor.core.errors import EXIT_USAGE
from invented import CROSSINGS, DAMASCUS, load, upcoming

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


def test_terminate_before_the_instrument_starts_is_refused(cli, reference_url):
    before = cli("export", "--db", reference_url).out
    r = cli("terminate", "2672", "--effective", "2022-01-01", "--known", "2023-01-09",
            "--party", "Party B", "--db", reference_url)  # fmt: skip
    assert r.code == EXIT_USAGE
    assert r.err.startswith(
        "Error: --effective 2022-01-01 is before S/RES/2672 (2023) starts (2023-01-11)"
    )
    assert cli("export", "--db", reference_url).out == before
    # From its first day on, it is accepted, and the party is recorded.
    r = cli("terminate", "2672", "--effective", "2023-01-11", "--known", "2023-01-10",
            "--party", "Party B", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    assert "by: Party B" in cli("export", "--db", reference_url).out
