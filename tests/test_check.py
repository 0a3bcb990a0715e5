"""`corridor check`: the Nagios plugin convention on the reference record. S/RES/2642's
expiry falls on 2023-01-10 (New York); check runs 40, 21 and 5 days before it."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, timedelta

import pytest

NY = ("--tz", "America/New_York")
EXPIRY = date(2023, 1, 10)
LINE = re.compile(r"^CORRIDOR (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+( \| [^\n]+)?\n$")


@pytest.mark.parametrize(
    "before, code, word",
    [(40, 0, "OK"), (21, 1, "WARNING"), (5, 2, "CRITICAL")],
)
def test_check_before_an_expiry(cli, reference_url, before, code, word):
    as_of = (EXPIRY - timedelta(days=before)).isoformat()
    r = cli("check", "--as-of", as_of, "--db", reference_url, *NY)
    assert r.code == code
    assert r.err == ""
    assert LINE.match(r.out), r.out
    assert r.out.startswith(f"CORRIDOR {word} - ")
    assert f"soonest_days={before};30;7;0" in r.out
    assert f"Bab al-Hawa expires in {before} days (S/RES/2642) on 2023-01-10" in r.out


def test_thresholds_and_kinds_are_options(cli, reference_url):
    r = cli(
        "check", "--as-of", "2022-12-20", "--warn", "10", "--crit", "3", "--db", reference_url, *NY
    )
    assert r.code == 0 and "next: Bab al-Hawa expires in 21 days" in r.out
    r = cli("check", "--as-of", "2022-12-01", "--kind", "report", "--db", reference_url, *NY)
    assert r.code == 1 and "Bab al-Hawa report due in 9 days" in r.out


def test_a_lapse_is_critical_whatever_its_reason(cli, reference_url):
    """The vetoed draft of 2022-07-08 explains the lapse; it never silences it."""
    r = cli("check", "--as-of", "2022-07-11", "--db", reference_url, *NY, "-c", "Bab al-Hawa")
    assert r.code == 2
    assert (
        "Bab al-Hawa: authority ended 2022-07-10 (S/RES/2585 (2021)), the renewal was vetoed "
        "on 2022-07-08" in r.out
    )
    assert "lapsed=1;;1;0" in r.out
    r = cli("check", "--as-of", "2023-07-11T05:00Z", "--db", reference_url, "-c", "Bab al-Hawa")
    assert r.code == 2 and "no renewal recorded" in r.out


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--bogus"],
        ["check", "--warn", "soon"],
        ["check", "--crit", "40", "--warn", "30"],
        ["check", "--as-of", "2023-02-30"],
        ["check", "--kind", "lunch"],
        ["check", "-c", "nowhere"],
        ["check", "extra-argument"],
    ],
)
def test_every_error_is_unknown_exit_3(cli, reference_url, argv):
    r = cli(*argv, "--db", reference_url)
    assert r.code == 3
    assert r.out.startswith("CORRIDOR UNKNOWN - ") and r.out.count("\n") == 1
    assert r.err == ""


def test_an_unreachable_database_is_unknown_from_a_real_process(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "corridor", "check", "--db", str(tmp_path / "no" / "such.db")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 3
    assert run.stdout.startswith("CORRIDOR UNKNOWN - cannot open the database")
    assert "Traceback" not in run.stderr


def test_a_stale_record_is_a_warning_not_ok(cli, reference_url):
    """An authority that ended with no renewal recorded, beyond the lapse window: OK would be a
    lie, and it is no longer news (CRITICAL is for the 30 days after the end)."""
    r = cli("check", "--as-of", "2025-06-01", "--db", reference_url, *NY)
    assert r.code == 1
    assert "Bab al-Hawa: authority ended 2025-01-13 and no renewal is recorded since" in r.out
