"""When a fact is known, and when authority ends (docs/time.md).

Regression tests for the "Never miss a lapse" issue, on SQLite and PostgreSQL: facts known from
the end of their day (or the instant the record gives), `--known-at`, stable replays, the
states `lapsed` (with a reason) and `unrenewed`, inferred steps, and the one place the
knowledge condition is written.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from corridor.core.coverage import fact_known_at, known, known_sql
from corridor.core.terms import zone

SRC = Path(__file__).resolve().parents[1] / "src" / "corridor"


def _status(cli, url, *args):
    r = cli("status", "--db", url, "-f", "json", *args)
    assert r.code == 0, r.err
    return {i["slug"]: i for i in json.loads(r.out)["items"]}


# ---------------------------------------------------------------- one home for the rule


def test_the_knowledge_condition_is_written_only_in_core_coverage():
    pattern = re.compile(r"known_at\s*<=|void_at\s*(>|IS NULL)", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if path.name != "coverage.py" or path.parent.name != "core"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == [], "build the condition with corridor.core.coverage.known_sql"


def test_known_sql_and_known_agree_on_the_database(engine_for, empty_url):
    """The SQL fragment and its Python twin decide the same rows, on the backend under test."""
    from corridor.db.sql import reader

    rng = random.Random(14)
    base = datetime(2023, 7, 10, tzinfo=UTC)
    rows = []
    for n in range(300):
        k = base + timedelta(minutes=rng.randint(-3000, 3000))
        v = None if rng.random() < 0.5 else k + timedelta(minutes=rng.randint(-100, 3000))
        rows.append((n, k, v))
    with engine_for(empty_url).connect() as conn:
        db = reader(conn)
        for at in [base + timedelta(minutes=m) for m in range(-3000, 3001, 97)] + [rows[5][1]]:
            got = {
                r.n
                for r in db.rows(
                    "SELECT t.n FROM ("
                    + " UNION ALL ".join(
                        f"SELECT {n} AS n, :k{n} AS known_at, :v{n} AS void_at"
                        for n, _k, _v in rows
                    )
                    + f") t WHERE {known_sql('t')}",
                    known=at,
                    **{f"k{n}": k for n, k, _v in rows},
                    **{f"v{n}": v for n, _k, v in rows},
                )
            }
            assert got == {n for n, k, v in rows if known(k, at, v)}, at


def test_a_fact_dated_d_is_known_from_the_end_of_d_in_its_zone():
    ny = zone("America/New_York")
    day = datetime(2023, 7, 11).date()
    assert fact_known_at(day, ny) == datetime(2023, 7, 12, 4, tzinfo=UTC)
    given = datetime(2023, 7, 11, 15, 5, tzinfo=UTC)
    assert fact_known_at(day, ny, given) == given


# ---------------------------------------------------------------- a lapse happening now


def _consent_chain(cli, url):
    """A consent recorded from the CLI: three months, renewed twice, ending 2025-05-15."""
    assert cli("crossing", "add", "Jaber", "--countries", "SY,JO", "--db", url).code == 0
    r = cli("add", "Example consent (2024-11-15)", "--kind", "consent", "--authority",
            "Government of Jordan", "--authority-zone", "Asia/Amman", "--adopted",
            "2024-11-14", "--start", "2024-11-16", "--until", "2025-01-15", "-c", "jaber",
            "--db", url)  # fmt: skip
    assert r.code == 0, r.err
    prev = "Example consent (2024-11-15)"
    for n, (adopted, until) in enumerate([("2025-01-10", "2025-03-15"),
                                          ("2025-03-10", "2025-05-15")], 1):  # fmt: skip
        sym = f"Example consent, extension {n}"
        r = cli("renew", prev, "--symbol", sym, "--adopted", adopted, "--until", until,
                "--db", url)  # fmt: skip
        assert r.code == 0, r.err
        prev = sym
    return prev


def test_a_lapse_happening_now_is_unrenewed_not_unknown(cli, empty_url):
    last = _consent_chain(cli, empty_url)
    got = _status(cli, empty_url, "--as-of", "2025-05-17", "-c", "jaber")["jaber"]
    assert got["state"] == "unrenewed" and not got["authorized"]
    assert got["lapsed_since"] == "2025-05-16"
    assert got["ended_at"] == "2025-05-15T21:00:00Z"  # midnight in Amman (UTC+3)
    assert got["reason"] is None and got["last_instrument"] == last
    table = cli("status", "--db", empty_url, "--as-of", "2025-05-17", "-c", "jaber")
    assert "ENDED, no renewal recorded" in table.out
    assert "no renewal of Jaber is recorded" in table.err
    # A recorded termination gives the reason: lapsed, never "no known authority".
    r = cli("terminate", last, "--effective", "2025-05-01", "--known", "2025-04-20",
            "--db", empty_url)  # fmt: skip
    assert r.code == 0, r.err
    got = _status(cli, empty_url, "--as-of", "2025-05-17", "-c", "jaber")["jaber"]
    assert got["state"] == "lapsed" and got["reason"]["kind"] == "terminated"
    assert got["lapsed_since"] == "2025-05-01"


def test_a_replay_does_not_change_when_a_later_fact_is_recorded(cli, empty_url):
    last = _consent_chain(cli, empty_url)
    args = ("--as-of", "2025-05-17", "-c", "jaber")
    before = cli("status", "--db", empty_url, "-f", "json", *args).out
    due_before = cli("upcoming", "--db", empty_url, "-f", "json", "--as-of", "2025-05-01").out
    r = cli("renew", last, "--symbol", "Example consent, extension 3", "--adopted", "2025-05-20",
            "--until", "2025-08-15", "--db", empty_url)  # fmt: skip
    assert r.code == 0, r.err
    assert cli("status", "--db", empty_url, "-f", "json", *args).out == before
    assert cli("upcoming", "--db", empty_url, "-f", "json", "--as-of", "2025-05-01").out == (
        due_before
    )
    # As known later, the renewal (from its adoption, after a gap) explains the lapse.
    now = _status(cli, empty_url, *args, "--known-at", "2025-05-21")["jaber"]
    assert now["state"] == "lapsed" and now["reason"]["kind"] == "gap"
    assert now["reason"]["on"] == "2025-05-20" and "authorized again from 2025-05-20" in now["note"]


# ---------------------------------------------------------------- 11 July 2023: the veto


def test_a_vetoed_renewal_is_a_reason_known_from_the_end_of_the_vote_day(cli, reference_url):
    at_end = _status(cli, reference_url, "--as-of", "2023-07-11T05:00Z", "-c", "bab al hawa")
    hawa = at_end["bab-al-hawa"]
    assert hawa["state"] == "unrenewed" and hawa["ended_at"] == "2023-07-11T04:00:00Z"
    # The veto of 11 July is not known in the morning (it was known from the start of the
    # reader's day before: nine hours before the vote).
    morning = _status(cli, reference_url, "--as-of", "2023-07-11T14:00Z", "--tz", "Asia/Tokyo",
                      "-c", "bab al hawa")  # fmt: skip
    assert morning["bab-al-hawa"]["state"] == "unrenewed"
    later = _status(cli, reference_url, "--as-of", "2023-07-12T05:00Z", "-c", "bab al hawa")
    hawa = later["bab-al-hawa"]
    assert hawa["state"] == "lapsed" and hawa["lapsed_since"] == "2023-07-11"
    assert hawa["reason"]["kind"] == "vetoed" and hawa["reason"]["on"] == "2023-07-11"
    assert "vetoed on 2023-07-11" in hawa["note"]


# ---------------------------------------------------------------- 11 July 2020: two times


def test_11_july_2020_was_a_lapse_then_and_is_covered_as_known_now(cli, reference_url):
    noon = ("--as-of", "2020-07-11T12:00-04:00", "-c", "cilvegozu")
    then = _status(cli, reference_url, *noon)["bab-al-hawa"]
    assert then["state"] == "lapsed" and then["reason"]["kind"] == "vetoed"
    assert then["lapsed_since"] == "2020-07-11"
    now = _status(cli, reference_url, *noon, "--known-at", "now")["bab-al-hawa"]
    assert now["state"] == "authorized" and now["instruments"][0] == "S/RES/2533 (2020)"
    # crossing show keeps both: the coverage back to 11 July and the gap in what was known.
    shown = cli("crossing", "show", "cilvegozu", "--db", reference_url)
    assert "gap in what was known" in shown.out and "2020-07-11" in shown.out


# ---------------------------------------------------------------- inferred steps


def test_an_inferred_step_is_not_known_before_the_announcement_that_implies_it(cli, reference_url):
    early = _status(cli, reference_url, "--as-of", "2024-05-14", "-c", "bab al salam")
    salam = early["bab-al-salam"]
    assert salam["state"] == "unrenewed" and salam["lapsed_since"] == "2024-05-14"
    after = _status(cli, reference_url, "--as-of", "2024-08-13", "-c", "bab al salam")
    salam = after["bab-al-salam"]
    assert salam["state"] == "authorized" and salam["until"] == "2024-11-13"
    assert salam["unconfirmed"] is True and "extension 5" in salam["unconfirmed_reason"]
    assert (
        "(unconfirmed)"
        in cli("status", "--db", reference_url, "--as-of", "2024-08-13", "-c", "bab al salam").out
    )
    items = json.loads(
        cli(
            "upcoming",
            "--db",
            reference_url,
            "--as-of",
            "2024-08-13",
            "-f",
            "json",
            "--within",
            "120",
            "-c",
            "bab al salam",
        ).out  # fmt: skip
    )["items"]
    assert any(i["unconfirmed"] is False for i in items)  # extension 6 is announced


def test_lapsed_since_is_present_exactly_for_lapsed_and_unrenewed(cli, reference_url):
    for when in ("2019-01-01", "2020-01-11", "2020-07-11", "2023-07-11T05:00Z", "2026-01-01"):
        for item in _status(cli, reference_url, "--as-of", when).values():
            ended = item["state"] in ("lapsed", "unrenewed")
            assert (item["lapsed_since"] is not None) == ended, (when, item)
            assert (item["ended_at"] is not None) == ended, (when, item)
        csv = cli("status", "--db", reference_url, "--as-of", when, "-f", "csv").out
        for line in csv.splitlines()[1:]:
            assert ",never," not in line or line.count(",,") >= 1


# ---------------------------------------------------------------- instants in the record


RECORD = """\
corridor: 1
crossings:
  - slug: jaber
    name: Jaber
    countries: [SY, JO]
instruments:
  - symbol: "Example consent (2025)"
    kind: consent
    authority: Government of Jordan
    timezone: Asia/Amman
    adopted: 2025-05-01T15:05+03:00
    periods:
      - crossings: [jaber]
        start: 2025-05-01
        until: 2025-07-31
"""


def test_a_time_in_the_record_is_the_known_instant_and_survives_export(cli, empty_url, tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(RECORD, encoding="utf-8")
    assert cli("import", str(path), "--db", empty_url).code == 0
    before = _status(cli, empty_url, "--as-of", "2025-05-01T12:04Z")["jaber"]
    after = _status(cli, empty_url, "--as-of", "2025-05-01T12:05Z")["jaber"]
    assert before["state"] == "never" and after["state"] == "authorized"
    exported = cli("export", "--db", empty_url).out
    assert "adopted: '2025-05-01T15:05:00+03:00'" in exported or (
        "adopted: 2025-05-01T15:05:00+03:00" in exported
    )
    import jsonschema

    doc = json.loads(cli("export", "--format", "json", "--db", empty_url).out)
    assert doc["instruments"][0]["adopted"] == "2025-05-01T15:05:00+03:00"
    jsonschema.validate(doc, json.loads(cli("schema").out))


def test_a_fact_recorded_from_the_cli_on_its_own_day_keeps_the_instant(cli, empty_url, monkeypatch):
    from corridor.cli import clock

    monkeypatch.setattr(clock, "now_utc", lambda: datetime(2025, 5, 20, 7, 30, tzinfo=UTC))
    assert cli("crossing", "add", "Jaber", "--countries", "SY,JO", "--db", empty_url).code == 0
    r = cli("add", "Example consent (2025-05-20)", "--kind", "consent", "--authority",
            "Government of Jordan", "--authority-zone", "Asia/Amman", "--adopted", "2025-05-20",
            "--until", "2025-08-20", "-c", "jaber", "--db", empty_url)  # fmt: skip
    assert r.code == 0, r.err
    assert "2025-05-20T10:30:00+03:00" in cli("export", "--db", empty_url).out
    got = _status(cli, empty_url, "--as-of", "2025-05-20T08:00Z")["jaber"]
    assert got["state"] == "authorized"  # not only from the end of the day
    # Another day's date, typed today, is known from the end of that day.
    r = cli("add", "Example consent (2025-05-18)", "--kind", "consent", "--authority",
            "Government of Jordan", "--authority-zone", "Asia/Amman", "--adopted", "2025-05-18",
            "--until", "2025-06-18", "-c", "jaber", "--db", empty_url)  # fmt: skip
    assert r.code == 0, r.err
    assert "adopted: 2025-05-18\n" in cli("export", "--db", empty_url).out


# ---------------------------------------------------------------- unknown spans


def test_a_lapse_never_starts_inside_an_unknown_span(cli, empty_url):
    _consent_chain(cli, empty_url)
    r = cli("unknown", "jaber", "--from", "2025-05-10", "--to", "2025-06-30", "--note",
            "a further extension surely covered it", "--db", empty_url)  # fmt: skip
    assert r.code == 0, r.err
    # The span is known from the instant it was recorded (now): ask as known now.
    now = ("--known-at", "now", "-c", "jaber")
    inside = _status(cli, empty_url, "--as-of", "2025-06-01", *now)["jaber"]
    assert inside["state"] == "unknown" and inside["lapsed_since"] is None
    after = _status(cli, empty_url, "--as-of", "2025-07-05", *now)["jaber"]
    assert after["state"] == "unrenewed" and after["lapsed_since"] == "2025-07-01"
    # As known at the time, before the span was recorded, the end was an alarm from 05-16.
    then = _status(cli, empty_url, "--as-of", "2025-06-01", "-c", "jaber")["jaber"]
    assert then["state"] == "unrenewed" and then["lapsed_since"] == "2025-05-16"


@pytest.mark.parametrize("zone_name", ["Europe/Istanbul", "America/New_York"])
def test_status_shows_the_end_instant_in_the_readers_zone(cli, reference_url, zone_name):
    r = cli("status", "--db", reference_url, "--as-of", "2023-01-10T12:00Z", "--tz", zone_name,
            "-c", "bab al hawa")  # fmt: skip
    assert "ENDS" in r.out.splitlines()[0]
    local = datetime(2023, 7, 11, 4, tzinfo=UTC).astimezone(zone(zone_name))
    assert f"{local:%Y-%m-%d %H:%M}" in r.out
    soon = cli("status", "--db", reference_url, "--as-of", "2023-07-10T20:00Z", "--tz", zone_name,
               "-c", "bab al hawa")  # fmt: skip
    assert re.search(r"\b8h\b", soon.out), soon.out  # under one day: hours


def test_a_check_given_as_an_instant_keeps_its_day_through_export_and_import(
    cli, empty_url, new_url, tmp_path
):
    assert cli("crossing", "add", "Jaber", "--countries", "SY,JO", "--db", empty_url).code == 0
    for when in ("2025-12-01T10:00Z", "2025-12-01T23:00-05:00"):
        r = cli("crossing", "checked", "jaber", "--on", when, "--db", empty_url)
        assert r.code == 0, r.err
        path = tmp_path / "record.yaml"
        path.write_text(cli("export", "--db", empty_url).out, encoding="utf-8")
        other = cli("import", str(path), "--yes", "--db", new_url)
        assert other.code == 0, other.err
        back = _status(cli, new_url, "--as-of", "2025-12-10")["jaber"]
        assert back["record_ends"] == "2025-12-01", when


def test_crossing_show_and_the_timeline_take_known_at(cli, reference_url):
    args = ("--as-of", "2020-07-11T12:00-04:00", "--db", reference_url)
    then = json.loads(cli("crossing", "show", "cilvegozu", *args, "-f", "json").out)["now"]
    now = json.loads(
        cli("crossing", "show", "cilvegozu", *args, "--known-at", "now", "-f", "json").out
    )["now"]
    assert (then["state"], now["state"]) == ("lapsed", "authorized")
    r = cli("timeline", *args, "--known-at", "2020-07-10", "--width", "80")
    assert r.code == 0, r.err


def test_an_unconfirmed_step_is_marked_in_the_calendar_and_the_alert(cli, reference_url):
    """S/RES/2585's extension was decided on a date the sources do not give (unconfirmed)."""
    feed = cli("upcoming", "--as-of", "2021-12-01", "--format", "ics", "--db", reference_url)
    assert feed.code == 0 and "[unconfirmed]" in feed.out.replace("\r\n ", "")
    assert "Unconfirmed: S/RES/2585 (2021)" not in feed.out  # the reason, not the symbol
    assert "Unconfirmed: The date on which" in feed.out.replace("\r\n ", "")
    sent = cli("alerts", "run", "--stdout", "--as-of", "2021-12-31", "--db", reference_url)
    assert sent.code == 0 and "  unconfirmed: The date on which" in sent.out
    items = json.loads(
        cli("upcoming", "--as-of", "2021-12-01", "-f", "json", "--db", reference_url).out
    )["items"]
    assert items and all(i["unconfirmed"] for i in items if "2585" in i["instrument"])
