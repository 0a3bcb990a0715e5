"""Planned movements (issue "Planned movements at risk", docs/plans.md) on the bundled Syria
record, through the real CLI, on SQLite and (with CORRIDOR_TEST_DB) PostgreSQL. Each verdict is
read from `plan check --format json` at each as-of. "Asked on D after X" uses an instant of D
after the fact is known (the end of its day in its authority's zone, docs/time.md)."""

from __future__ import annotations

import json
import os
import stat

import pytest

UTC = ("--tz", "UTC")


def _add(cli, db, ref, crossing, on, *more):
    r = cli("plan", "add", ref, "--crossing", crossing, "--on", on, "--db", db, *more)
    assert r.code == 0, r.err
    return r


def _check(cli, db, as_of, *more):
    r = cli("plan", "check", "--as-of", as_of, "--format", "json", "--db", db, *UTC, *more)
    assert r.code in (0, 7), r.err
    return {i["ref"]: i for i in json.loads(r.out)["items"]}, r.code


def _uids_due(cli, db, as_of, day):
    r = cli("upcoming", "--as-of", as_of, "--within", "365", "-f", "json", "--db", db, *UTC)
    return {i["uid"] for i in json.loads(r.out)["items"] if i["date"] == day}


def test_at_risk_on_the_2642_deadline_then_covered_by_2672(cli, reference_url):
    _add(cli, reference_url, "CONVOY-0112", "bab al hawa", "2023-01-12")
    items, code = _check(cli, reference_url, "2022-12-20")
    item = items["CONVOY-0112"]
    assert (item["verdict"], code) == ("at_risk", 7)
    dep = item["depends_on"]
    assert dep["date"] == "2023-01-10" and "S/RES/2642" in dep["decided_by"]
    assert dep["uid"] in _uids_due(cli, reference_url, "2022-12-20", "2023-01-10")
    items, code = _check(cli, reference_url, "2023-01-10T12:00Z")
    item = items["CONVOY-0112"]
    assert (item["verdict"], code) == ("covered", 0)
    assert item["covered_until"] == "2023-07-10" and item["margin_days"] == 179
    assert item["instruments"] == ["S/RES/2672 (2023)"]


def test_2022_07_11_at_risk_before_then_blocked_after_the_end(cli, reference_url):
    _add(cli, reference_url, "CONVOY-0711", "cilvegozu", "2022-07-11")
    items, _ = _check(cli, reference_url, "2022-07-01")
    assert items["CONVOY-0711"]["verdict"] == "at_risk"
    assert items["CONVOY-0711"]["depends_on"]["date"] == "2022-07-10"
    items, code = _check(cli, reference_url, "2022-07-11T12:00Z")
    item = items["CONVOY-0711"]
    assert (item["verdict"], code) == ("blocked", 7)
    assert item["reason"]["kind"] == "vetoed" and item["ended_on"] == "2022-07-10"


def test_2023_07_20_blocked_by_the_veto_then_covered_by_the_consent(cli, reference_url):
    _add(cli, reference_url, "CONVOY-0720", "bab al hawa", "2023-07-20")
    items, _ = _check(cli, reference_url, "2023-07-12T12:00Z")
    item = items["CONVOY-0720"]
    assert item["verdict"] == "blocked"
    assert item["reason"] == {
        "kind": "vetoed",
        "on": "2023-07-11",
        "title": "Brazil, Switzerland: Bab al-Hawa nine months",  # a draft: its title
    }
    assert "vetoed on 2023-07-11" in item["why"]
    items, code = _check(cli, reference_url, "2023-07-15")
    item = items["CONVOY-0720"]
    assert (item["verdict"], code) == ("covered", 0)
    assert item["instruments"] == ["Syria consent: Bab al-Hawa (2023-07-13)"]
    assert item["covered_until"] == "2024-01-13"


def test_al_yarubiyah_blocked_after_2504_dropped_it(cli, reference_url):
    _add(cli, reference_url, "RABIA-0301", "al yarubiyah", "2020-03-01")
    items, _ = _check(cli, reference_url, "2020-02-01")
    item = items["RABIA-0301"]
    assert item["verdict"] == "blocked"
    assert item["reason"]["kind"] == "dropped"
    assert item["reason"]["instrument"] == "S/RES/2504 (2020)"


def test_past_the_crossings_horizon_is_unknown(cli, reference_url):
    _add(cli, reference_url, "SALAM-0301", "bab al salam", "2025-03-01")
    items, code = _check(cli, reference_url, "2025-02-01")
    assert (items["SALAM-0301"]["verdict"], code) == ("unknown", 7)
    assert items["SALAM-0301"]["ended_on"] == "2024-11-13"
    # Asked before that end, the same movement hangs on it.
    items, _ = _check(cli, reference_url, "2024-11-01", "--within", "200")
    assert items["SALAM-0301"]["verdict"] == "at_risk"
    assert items["SALAM-0301"]["depends_on"]["date"] == "2024-11-13"


def test_a_multi_day_movement_takes_its_worst_day(cli, reference_url):
    _add(cli, reference_url, "CONVOY-W", "bab al hawa", "2023-07-09", "--until", "2023-07-12")
    items, _ = _check(cli, reference_url, "2023-07-01")
    item = items["CONVOY-W"]
    assert item["verdict"] == "at_risk" and item["day"] == "2023-07-11"


def test_a_replay_is_stable_after_later_facts_are_recorded(cli, reference_url):
    _add(cli, reference_url, "CONVOY-0112", "bab al hawa", "2023-01-12")
    before = cli("plan", "check", "--as-of", "2022-12-20", "-f", "json", "--db", reference_url)
    r = cli(
        "draft", "2023-01-05", "Invented: Bab al-Hawa one month", "--kind", "vetoed",
        "-c", "bab al hawa", "--db", reference_url,
    )  # fmt: skip
    assert r.code == 0, r.err
    after = cli("plan", "check", "--as-of", "2022-12-20", "-f", "json", "--db", reference_url)
    assert before.out == after.out and before.code == after.code == 7


def test_fail_on_and_the_exit_codes(cli, reference_url):
    _add(cli, reference_url, "CONVOY-0112", "bab al hawa", "2023-01-12")
    db = ("--as-of", "2022-12-20", "--db", reference_url)
    assert cli("plan", "check", *db).code == 7
    assert cli("plan", "check", *db, "--fail-on", "at_risk").code == 7
    assert cli("plan", "check", *db, "--fail-on", "blocked").code == 0
    assert cli("plan", "check", *db, "--within", "10").code == 0  # outside the window
    assert cli("plan", "check", *db, "--fail-on", "nope").code == 2


def test_a_csv_with_an_unknown_crossing_on_line_3_imports_nothing(cli, reference_url, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(
        "ref,crossing,on,until,note\n"
        "CONVOY-1,bab al hawa,2023-07-12,,40 trucks\n"
        "CONVOY-2,nowhere at all,2023-07-13,,\n",
        encoding="utf-8",
    )
    r = cli("plan", "import", str(path), "--db", reference_url)
    assert r.code == 3 and "line 3, field crossing" in r.err
    assert cli("plan", "list", "-f", "json", "--db", reference_url).out.count("CONVOY") == 0
    path.write_text("ref,crossing,on\nCONVOY-1,bab al hawa,2023-07-32\n")
    r = cli("plan", "import", str(path), "--db", reference_url)
    assert r.code == 2 and "line 2, field on" in r.err


def test_import_with_a_bom_merges_by_ref_replace_and_dry_run(cli, reference_url, tmp_path):
    _add(cli, reference_url, "OLD-1", "al rai", "2023-09-01")
    path = tmp_path / "plan.csv"
    text = 'ref,crossing,on,until,note\r\nC-1,Cilvegözü,2023-07-20,2023-07-22,"40 trucks, WFP"\r\n'
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    r = cli("plan", "import", str(path), "--dry-run", "--db", reference_url)
    assert r.code == 0 and "Dry run" in r.err
    assert "C-1" not in cli("plan", "list", "-f", "csv", "--db", reference_url).out
    r = cli("plan", "import", str(path), "--replace", "--db", reference_url, "--by", "logs")
    assert r.code == 0 and "1 added, 1 removed" in r.err
    rows = json.loads(cli("plan", "list", "-f", "json", "--db", reference_url).out)["items"]
    assert rows == [
        {"ref": "C-1", "crossing": "Bab al-Hawa", "on": "2023-07-20", "until": "2023-07-22",
         "note": "40 trucks, WFP"}
    ]  # fmt: skip
    r = cli("plan", "import", str(path), "--db", reference_url)
    assert "1 unchanged" in r.err
    log = json.loads(cli("log", "-f", "json", "--db", reference_url, "-n", "5").out)
    mine = [e for e in log["items"] if e["entity"] == "plan"]
    assert {(e["action"], e["key"]) for e in mine} >= {("created", "C-1"), ("removed", "OLD-1")}
    assert cli("plan", "remove", "C-1", "--db", reference_url).code == 0
    assert cli("plan", "remove", "C-1", "--db", reference_url).code == 3


def test_plan_export_is_private_and_reads_back(cli, reference_url, tmp_path):
    _add(cli, reference_url, "CONVOY-0712", "bab al hawa", "2023-07-12", "--note", "=1+1")
    out = tmp_path / "plan.csv"
    assert cli("plan", "export", "-o", str(out), "--db", reference_url).code == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    text = out.read_text()
    assert text.splitlines()[0] == "ref,crossing,on,until,note"
    assert cli("plan", "import", str(out), "--db", reference_url).err.count("1 unchanged") == 1


SECRET_REF, SECRET_NOTE = "CONVOY-SECRET-0712", "route via checkpoint 4"


def test_plans_never_appear_in_the_records_outputs(cli, reference_url, tmp_path):
    """README "Guarantees": plans are never in export, the calendar or the HTML report."""
    _add(cli, reference_url, SECRET_REF, "bab al hawa", "2023-07-12", "--note", SECRET_NOTE)
    outputs = []
    for args in (
        ("export",),
        ("export", "--format", "json"),
        ("export", "--format", "csv"),
        ("export", "--format", "ics"),
        ("export", "--format", "csv", "--hxl"),
        ("upcoming", "--as-of", "2023-07-01", "-f", "json"),
        ("status", "--as-of", "2023-07-12", "-f", "csv"),
    ):
        r = cli(*args, "--db", reference_url)
        assert r.code == 0, (args, r.err)
        outputs.append(r.out)
    html = tmp_path / "report.html"
    r = cli("report", "--html", str(html), "--as-of", "2023-07-01", "--db", reference_url)
    assert r.code == 0, r.err
    outputs.append(html.read_text())
    for text in outputs:
        assert SECRET_REF not in text and SECRET_NOTE not in text
    # ... and they are there: the check does see them.
    assert SECRET_REF in cli("plan", "list", "--db", reference_url).out


def test_check_plans_warning_critical_and_perfdata(cli, reference_url):
    _add(cli, reference_url, "CONVOY-0112", "bab al hawa", "2023-01-12")
    r = cli("check", "--plans", "--as-of", "2022-12-20", "--db", reference_url, *UTC)
    assert r.code == 1 and "CONVOY-0112 (Bab al-Hawa, 2023-01-12) at_risk" in r.out
    assert "plans_at_risk=1" in r.out and "plans_blocked=0" in r.out
    _add(cli, reference_url, "CONVOY-0720", "bab al hawa", "2023-07-20")
    r = cli("check", "--plans", "--as-of", "2023-07-12T12:00Z", "--db", reference_url, *UTC)
    assert r.code == 2 and r.out.startswith("CORRIDOR CRITICAL - ") and "CONVOY-0720" in r.out
    assert "plans_blocked=1" in r.out
    r = cli("check", "--as-of", "2023-07-12T12:00Z", "--db", reference_url, *UTC)
    assert "CONVOY" not in r.out and "plans_" not in r.out  # only with --plans


@pytest.mark.parametrize("before", [None])
def test_the_help_examples_name_real_options(cli, before):
    for sub in ("add", "import", "list", "remove", "export", "check"):
        assert cli("plan", sub, "--help").code == 0


def test_include_plans_adds_them_to_the_calendar_and_the_report_only(cli, reference_url, tmp_path):
    _add(cli, reference_url, "CONVOY-0720", "bab al hawa", "2023-07-20")
    _add(cli, reference_url, "FUTURE-1", "bab al hawa", "2099-03-01")  # still ahead today
    ics = cli("export", "--format", "ics", "--include-plans", "--db", reference_url)
    assert ics.code == 0 and "UID:plan-FUTURE-1@corridor" in ics.out
    assert "CLASS:CONFIDENTIAL" in ics.out and "CONVOY-0720" not in ics.out  # passed
    html = tmp_path / "r.html"
    r = cli("report", "--html", str(html), "--as-of", "2023-07-12T12:00Z", "--include-plans",
            "--db", reference_url, *UTC)  # fmt: skip
    assert r.code == 0, r.err
    page = html.read_text()
    assert '<section id="plans">' in page and "CONVOY-0720" in page and "BLOCKED" in page
    r = cli("export", "--include-plans", "--db", reference_url)
    assert r.code == 2 and "plan export" in r.err and r.out == ""


def test_a_crossing_with_planned_movements_cannot_be_removed(cli, reference_url):
    r = cli("crossing", "add", "Jaber", "--countries", "SY,JO", "--db", reference_url)
    assert r.code == 0, r.err
    _add(cli, reference_url, "JABER-1", "jaber", "2023-08-01")
    r = cli("remove", "--crossing", "jaber", "--yes", "--db", reference_url)
    assert r.code == 5 and "1 planned movement" in r.err
    assert cli("plan", "remove", "JABER-1", "--db", reference_url).code == 0
    assert cli("remove", "--crossing", "jaber", "--yes", "--db", reference_url).code == 0


def test_an_automatic_renewal_is_at_risk_until_the_notice_day_then_covered_or_blocked(
    cli, reference_url
):
    db = ("--db", reference_url)
    assert cli("crossing", "add", "Jaber", "--countries", "SY,JO", *db).code == 0
    r = cli(
        "add", "Example agreement (2025)", "--kind", "agreement", "--authority", "Parties A-D",
        "--authority-zone", "Asia/Amman", "--adopted", "2025-01-01", "--for", "120d",
        "-c", "jaber", "--auto-renew", "60d", "--notice", "30d", *db,
    )  # fmt: skip
    assert r.code == 0, r.err
    _add(cli, reference_url, "JABER-0515", "jaber", "2025-05-15")
    items, _ = _check(cli, reference_url, "2025-03-01")
    item = items["JABER-0515"]
    assert item["verdict"] == "at_risk"
    assert (item["depends_on"]["kind"], item["depends_on"]["date"]) == ("notice", "2025-04-01")
    assert item["depends_on"]["uid"] in _uids_due(cli, reference_url, "2025-03-01", "2025-04-01")
    items, _ = _check(cli, reference_url, "2025-04-05")  # no objection by the notice day
    assert (items["JABER-0515"]["verdict"], items["JABER-0515"]["margin_days"]) == ("covered", 46)
    r = cli("object", "Example agreement (2025)", "--on", "2025-03-20", "--party", "Party C", *db)
    assert r.code == 0, r.err
    items, _ = _check(cli, reference_url, "2025-04-05")
    assert items["JABER-0515"]["verdict"] == "blocked"
    assert items["JABER-0515"]["reason"]["kind"] == "objected"
    assert "ends 2025-05-01" in items["JABER-0515"]["why"]
    items, _ = _check(cli, reference_url, "2025-03-01")  # a replay before the objection
    assert items["JABER-0515"]["verdict"] == "at_risk"
