"""`corridor check`: the Monitoring Plugins conventions on the reference record. S/RES/2642's
expiry falls on 2023-01-10 (New York); check runs 40, 21 and 5 days before it. The perfdata is
read back with nagiosplugin, the reference implementation of the range rules."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, timedelta

import nagiosplugin
import pytest

NY = ("--tz", "America/New_York")
EXPIRY = date(2023, 1, 10)
LINE = re.compile(r"^CORRIDOR (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+( \| [^|\n]+)?\n$")
CODES = {"OK": 0, "WARNING": 1, "CRITICAL": 2}


def perfdata(line: str) -> dict[str, nagiosplugin.Performance]:
    """Each `label=value;warn;crit;min;max` of a plugin line, as nagiosplugin's Performance.
    Each must print back as written (nagiosplugin drops trailing empty fields)."""
    found = {}
    for token in line.split(" | ", 1)[1].split():
        label, _, fields = token.partition("=")
        value, warn, crit, low, high = (fields.split(";") + [""] * 5)[:5]
        perf = nagiosplugin.Performance(
            label,
            value if value == "U" else float(value) if "." in value else int(value),
            "",
            nagiosplugin.Range(warn) if warn else "",
            nagiosplugin.Range(crit) if crit else "",
            low,
            high,
        )
        assert str(perf) == token.rstrip(";"), token
        found[label] = perf
    return found


def classify(perf: nagiosplugin.Performance) -> int:
    """What a monitoring system makes of one metric by its own thresholds."""
    if perf.value == "U":
        return 0
    if perf.crit != "" and not perf.crit.match(perf.value):
        return 2
    if perf.warn != "" and not perf.warn.match(perf.value):
        return 1
    return 0


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
    assert f"soonest_days={before};30:;7:;0; lapsed=0;;0;0;" in r.out
    assert f"Bab al-Hawa expires in {before} days (S/RES/2642) on 2023-01-10" in r.out


def test_nagios_option_letters(cli, reference_url):
    """`-w 30 -c 7` is every admin's reflex; -c is --critical, no longer --crossing."""
    r = cli("check", "-w", "10", "-c", "3", "--as-of", "2022-12-20", "--db", reference_url, *NY)
    assert r.code == 0 and "next: Bab al-Hawa expires in 21 days" in r.out
    assert "soonest_days=21;10:;3:;0;" in r.out
    r = cli("check", "-w", "30", "-c", "7", "--as-of", "2023-01-05", "--db", reference_url, *NY)
    assert r.code == 2 and "no crossing matches" not in r.out
    r = cli("check", "--as-of", "2022-12-01", "--kind", "report", "--db", reference_url, *NY)
    assert r.code == 1 and "Bab al-Hawa report due in 9 days" in r.out
    old = cli(
        "check", "--warn", "10", "--crit", "3", "--as-of", "2022-12-20", "--db", reference_url, *NY
    )
    assert old.code == 0 and "soonest_days=21;10:;3:;0;" in old.out  # the hidden old names


@pytest.mark.parametrize(
    "warning, critical, as_of, expected",
    [
        ("30", "7", "2022-12-20", 1),
        ("30:", "7:", "2023-01-05", 2),
        ("60", "14", "2022-12-01", 1),
        ("@0:25", "@0:10", "2022-12-20", 1),
        ("@0:25", "@0:10", "2022-11-01", 0),
        ("~:400", "5", "2022-12-20", 0),
    ],
)
def test_perfdata_thresholds_classify_like_the_verdict(
    cli, reference_url, warning, critical, as_of, expected
):
    r = cli("check", "-w", warning, "-c", critical, "--as-of", as_of, "--db", reference_url, *NY)
    assert r.code == expected, r.out
    metrics = perfdata(r.out)
    assert set(metrics) >= {"soonest_days", "lapsed", "critical", "warning", "stale"}
    assert max(classify(p) for p in metrics.values()) == r.code


@pytest.mark.parametrize(
    "as_of, word",
    [
        ("2022-07-11", "CRITICAL"),  # Bab al-Hawa's authority ended the night before
        ("2023-07-11T05:00Z", "CRITICAL"),  # ... and again in 2023, with a veto recorded
        ("2025-06-01", "WARNING"),  # an authority that ended months ago, nothing recorded
    ],
)
def test_lapse_lines_keep_both_series_and_classify_like_the_verdict(
    cli, reference_url, as_of, word
):
    """A CRITICAL lapse line carries soonest_days too (graphs keep the series), and
    `lapsed=1;;0;0;` is critical by its own thresholds."""
    r = cli("check", "--as-of", as_of, "--db", reference_url, *NY)
    assert r.out.startswith(f"CORRIDOR {word} - "), r.out
    metrics = perfdata(r.out)
    assert "soonest_days" in metrics and "lapsed" in metrics
    assert max(classify(p) for p in metrics.values()) == CODES[word]


def test_a_lapse_is_critical_whatever_the_reason(cli, reference_url):
    """Issue 14: the 2023 veto does not silence the end of Bab al-Hawa's authority."""
    r = cli(
        "check", "--as-of", "2023-07-11T05:00Z", "--crossing", "bab al hawa",
        "--db", reference_url, *NY,
    )  # fmt: skip
    assert r.code == 2
    assert r.out.startswith(
        "CORRIDOR CRITICAL - Bab al-Hawa: authority ended 2023-07-11 00:00 America/New_York"
    )
    assert "lapsed=1;;0;0;" in r.out
    # The vetoed draft of 2022-07-08 explains the 2022 lapse; it never silences it.
    r = cli(
        "check", "--as-of", "2022-07-11", "--crossing", "bab-al-hawa", "--db", reference_url, *NY
    )
    assert r.code == 2 and "; the renewal was vetoed on 2022-07-08 (" in r.out


def test_the_lapse_window(cli, reference_url):
    """Within --lapse-window days of the end: CRITICAL. Beyond it an unrenewed crossing is a
    stale record (WARNING) and an older confirmed lapse is OK."""
    r = cli(
        "check", "--as-of", "2022-07-11", "--db", reference_url, *NY, "--crossing", "bab al hawa"
    )
    assert r.code == 2
    assert "Bab al-Hawa: authority ended 2022-07-11 00:00 America/New_York" in r.out
    # Al Yarubiyah's authority ended on 2020-01-10; S/RES/2504 left it out (the record saw it).
    r = cli("check", "--as-of", "2020-01-20", "--crossing", "al yarubiyah", "--db", reference_url)
    assert r.code == 2 and "lapsed=1;;0;0;" in r.out
    r = cli(
        "check", "--as-of", "2020-01-20", "--crossing", "al yarubiyah", "--lapse-window", "5",
        "--db", reference_url,
    )  # fmt: skip
    assert r.code == 0 and "lapsed=0;;0;0;" in r.out
    r = cli("check", "--as-of", "2025-06-01", "--db", reference_url, *NY)
    assert r.code == 1
    assert "Bab al-Hawa: authority ended 2025-01-13" in r.out
    assert "the record is stale since 2025-01-13: run `corridor crossing checked`" in r.out
    assert "stale=3;0;;0;" in r.out


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--bogus"],
        ["check", "-w", "soon"],
        ["check", "-w", "20:10"],
        ["check", "--crit", "40", "--warn", "30"],
        ["check", "-w", "30", "--warn", "30"],
        ["check", "--as-of", "2023-02-30"],
        ["check", "--kind", "lunch"],
        ["check", "--crossing", "nowhere"],
        ["check", "extra-argument"],
        ["check", "-t", "0"],
    ],
)
def test_every_error_is_unknown_exit_3(cli, reference_url, argv):
    r = cli(*argv, "--db", reference_url)
    assert r.code == 3
    assert r.out.startswith("CORRIDOR UNKNOWN - ") and r.out.count("\n") == 1
    assert r.err == ""


def test_version_and_help(cli):
    r = cli("check", "-V")
    assert r.code == 0 and re.fullmatch(r"corridor check \d+\.\d+\.\d+\n", r.out)
    r = cli("check", "--help")
    for option in ("--warning", "--critical", "--timeout", "--version", "--verbose", "--crossing"):
        assert option in r.out
    assert "--warn " not in r.out and "--crit " not in r.out  # hidden aliases


def test_verbosity_levels(cli, reference_url):
    """-v: every finding and the notes; -vv: the settings; -vvv: every crossing and deadline.
    Never anything on stderr."""
    args = ("check", "--as-of", "2025-06-01", "--db", reference_url, *NY)
    quiet = cli(*args)
    assert quiet.out.count("\n") == 1 and quiet.err == ""
    one = cli(*args, "-v")
    assert one.err == ""
    assert "Note: " in one.out and "Bab al-Hawa" in one.out.split("\n", 1)[1]
    assert one.out.splitlines()[0].split(" | ")[1] == quiet.out.split(" | ")[1].strip()
    two = cli(*args, "-vv")
    assert "warning: 30:; critical: 7:; lapse window: 30 days" in two.out
    three = cli(*args, "-vvv")
    assert "crossing Al-Ramtha:" in three.out and "crossing Bab al-Hawa: " in three.out
    assert len(three.out.splitlines()) > len(two.out.splitlines()) > len(one.out.splitlines())


def test_perfdata_per_crossing(cli, reference_url, engine_for):
    with engine_for(reference_url).begin() as conn:  # a slug no monitoring system could graph
        conn.exec_driver_sql("UPDATE crossings SET slug = 'al rai''=x|y' WHERE slug = 'al-rai'")
    r = cli("check", "--as-of", "2022-12-20", "--perfdata-per-crossing", "--db", reference_url, *NY)
    metrics = perfdata(r.out)
    assert str(metrics["bab_al_hawa_days"]) == "bab_al_hawa_days=21;30:;7:;0"
    assert "al_rai__x_y_days" in metrics and "al_rai__x_y_lapsed" in metrics
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", label) for label in metrics)
    assert max(classify(p) for p in metrics.values()) == r.code == 1


def test_hostile_stored_names_never_reach_the_terminal_raw(cli, reference_url, engine_for):
    """A name stored by another tool (raw SQL) with ESC, BEL, CR/LF, U+202E and `|`: escaped,
    on one line, and `|` never splits the text from the perfdata."""
    hostile = "Bab\x1b[31m al\x07-Ha\r\nwa \u202e|x"
    with engine_for(reference_url).begin() as conn:
        conn.exec_driver_sql(
            "UPDATE crossings SET name = ? WHERE slug = 'bab-al-hawa'"
            if conn.dialect.name == "sqlite"
            else "UPDATE crossings SET name = %s WHERE slug = 'bab-al-hawa'",
            (hostile,),
        )
    for as_of in ("2023-01-05", "2022-07-11"):  # a deadline, then a lapse
        r = cli("check", "--as-of", as_of, "--db", reference_url, *NY, "-vvv")
        assert r.code == 2
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", r.out), r.out
        first = r.out.splitlines()[0]
        assert first.count("|") == 1 and LINE.match(first + "\n")
        assert "Bab\\x1b[31m al\\x07-Ha\\x0d\\nwa \\u202e¦x" in first


def test_a_missing_database_is_unknown_from_a_real_process(tmp_path):
    target = tmp_path / "no" / "such.db"
    run = subprocess.run(
        [sys.executable, "-m", "corridor", "check", "--db", str(target)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 3
    assert run.stdout == (
        f"CORRIDOR UNKNOWN - no corridor database at sqlite:///{target}; "
        "create it with `corridor db upgrade`\n"
    )
    assert run.stderr == ""
