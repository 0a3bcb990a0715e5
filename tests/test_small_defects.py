"""Regression tests for issue 7's smaller defects (defect 8), one per defect."""

from __future__ import annotations

import json

import pytest

from conftest import IS_PG
from corridor.core.errors import EXIT_USAGE

NY = ("--tz", "America/New_York")


def test_a_refused_import_lists_what_it_would_change(cli, reference_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "record.yaml"
    assert cli("export", "-o", "record.yaml", "--db", reference_url).code == 0
    text = path.read_text()
    assert "vote: 13-2-0" in text
    path.write_text(text.replace("vote: 13-2-0", "vote: 13-2-1", 1))
    r = cli("import", "record.yaml", "--db", reference_url)
    assert r.code == EXIT_USAGE
    lines = r.err.splitlines()
    assert lines[0] == "Error: not confirmed: record.yaml changes 1 recorded record:"
    assert lines[1].startswith("  updated event 2019-12-20 ")
    assert "nothing was changed" in lines[-1]


def test_import_counts_add_up(cli, reference_url, empty_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "record.json"
    assert cli("export", "-f", "json", "-o", "record.json", "--db", reference_url).code == 0
    data = json.loads(path.read_text())
    total = 1 + len(data["crossings"]) + len(data["instruments"]) + len(data["events"])
    first = cli("import", "record.json", "--db", empty_url)
    assert first.err == f"Imported record.json: {total} created, 0 updated, 0 unchanged.\n"
    again = cli("import", "record.json", "--db", empty_url)
    assert again.err == (
        f"Imported record.json: nothing changed ({total} records already up to date).\n"
    )


def test_crossing_list_shows_the_countries(cli, reference_url):
    table = cli("crossing", "list", "--db", reference_url).out.splitlines()
    assert table[0].split() == ["CROSSING", "SLUG", "COUNTRIES", "ALIASES"]
    assert any(line.startswith("Bab al-Hawa ") and " SY-TR " in line for line in table)
    items = json.loads(cli("crossing", "list", "-f", "json", "--db", reference_url).out)["items"]
    assert {i["slug"]: i["countries"] for i in items}["al-ramtha"] == ["SY", "JO"]
    csv = cli("crossing", "list", "-f", "csv", "--db", reference_url).out.splitlines()
    assert csv[0] == "slug,crossing,countries,aliases"


def test_aliases_differing_only_in_case_are_stored_once(cli, reference_url, tmp_path):
    r = cli("crossing", "alias", "bab al hawa", "CILVEGÖZÜ", "BAB AL-HAWA", "--db", reference_url)
    assert (r.code, r.err) == (0, "Bab al-Hawa already has those names: nothing changed.\n")
    r = cli("crossing", "add", "Jaber", "--countries", "SY,JO", "--alias", "Nasib",
            "--alias", "NASIB", "--alias", "jaber", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    items = json.loads(cli("crossing", "list", "-f", "json", "--db", reference_url).out)["items"]
    assert {i["slug"]: i["aliases"] for i in items}["jaber"] == ["Nasib"]


def test_one_day_is_one_day_and_today_is_today(cli, reference_url):
    r = cli("crossing", "show", "bab al hawa", "--as-of", "2023-07-09", *NY, "--db", reference_url)
    assert "(1 day left;" in r.out and "days left" not in r.out.split("History:")[0]
    r = cli("crossing", "show", "bab al hawa", "--as-of", "2023-07-10", *NY, "--db", reference_url)
    assert "(ends today;" in r.out
    status = cli("status", "-c", "bab al hawa", "--as-of", "2023-07-10", *NY, "--db", reference_url)
    upcoming = cli("upcoming", "-c", "bab al hawa", "--as-of", "2023-07-10", *NY,
                   "--db", reference_url)  # fmt: skip
    assert " today " in status.out.splitlines()[1]
    assert " today " in upcoming.out.splitlines()[1]
    assert " 0d " not in status.out + upcoming.out


@pytest.mark.parametrize("url", ["mysql://user@localhost/corridor", "oracle://u@h/x"])
def test_an_unsupported_database_url_says_so(cli, url):
    for argv in (["status"], ["db", "current"], ["add", "X", "--adopted", "2025-01-01"]):
        r = cli(*argv, "--db", url)
        assert r.code == EXIT_USAGE, (argv, r.err)
        assert "SQLite or PostgreSQL only" in r.err and "driver" not in r.err


@pytest.mark.skipif(IS_PG, reason="a SQLite file")
def test_db_current_creates_no_file(cli, tmp_path):
    target = tmp_path / "absent.sqlite3"
    r = cli("db", "current", "--db", str(target))
    assert r.code == 0
    assert r.out.startswith("none (no database file yet")
    assert not target.exists()


def test_db_current_on_an_existing_database(cli, reference_url):
    r = cli("db", "current", "-f", "json", "--db", reference_url)
    assert json.loads(r.out)["up_to_date"] is True


def test_crossing_show_offers_only_the_formats_it_has(cli, reference_url):
    help_text = cli("crossing", "show", "--help").out
    assert "csv" not in help_text
    r = cli("crossing", "show", "bab al hawa", "-f", "csv", "--db", reference_url)
    assert r.code == EXIT_USAGE
    assert "'csv' is not one of 'table', 'json'" in r.err


def test_removing_an_instrument_removes_its_name_from_review_outcomes(cli, reference_url):
    def decided_by(url):
        data = json.loads(cli("export", "-f", "json", "--db", url).out)
        return {
            (i["symbol"], r["date"]): r.get("decided_by")
            for i in data["instruments"]
            for r in i.get("reviews", [])
        }

    before = decided_by(reference_url)
    assert before[("S/RES/2642 (2022)", "2023-01-10")] == "S/RES/2672 (2023)"
    r = cli("remove", "S/RES/2672 (2023)", "--yes", "--db", reference_url)
    assert r.code == 0, r.err
    assert "S/RES/2642 (2022)" in r.err
    after = decided_by(reference_url)
    assert after[("S/RES/2642 (2022)", "2023-01-10")] is None
    assert "S/RES/2672 (2023)" not in after.values()
    log = json.loads(cli("log", "-n", "2", "-f", "json", "--db", reference_url).out)["items"]
    assert [(e["action"], e["key"]) for e in log] == [
        ("updated", "S/RES/2642 (2022)"),
        ("removed", "S/RES/2672 (2023)"),
    ]
