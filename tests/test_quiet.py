"""-q/--quiet on the read commands, for scripts and cron: the data on stdout as usual, and no
notes on stderr ("Note: the record knows nothing of …", "Nothing due …"). Errors still show.
`check` never writes to stderr at all: its notes come with -v, on stdout."""

from __future__ import annotations

import pytest

PAST_THE_RECORD = ("--as-of", "2026-06-01", "--tz", "UTC")

READS = [
    ("upcoming", "-f", "json"),
    ("status", "-f", "json"),
    ("status",),
    ("crossing", "show", "bab al hawa", "-f", "json"),
]


@pytest.mark.parametrize("argv", READS)
def test_quiet_drops_the_notes_and_keeps_the_data(cli, reference_url, argv):
    loud = cli(*argv, *PAST_THE_RECORD, "--db", reference_url)
    assert loud.code == 0 and "Note: " in loud.err
    for flag in ("-q", "--quiet"):
        quiet = cli(*argv, *PAST_THE_RECORD, flag, "--db", reference_url)
        assert quiet.code == 0 and quiet.err == ""
        assert quiet.out == loud.out


def test_quiet_drops_nothing_due(cli, reference_url):
    loud = cli("upcoming", *PAST_THE_RECORD, "--db", reference_url)
    assert "Nothing due in the next 90 days" in loud.err
    assert cli("upcoming", *PAST_THE_RECORD, "-q", "--db", reference_url).err == ""


def test_quiet_still_reports_errors(cli, reference_url):
    r = cli("status", "-q", "-c", "nowhere", "--db", reference_url)
    assert r.code == 3 and r.err.startswith("Error: ")


def test_quiet_holds_for_one_run_only(cli, reference_url):
    cli("status", "-q", *PAST_THE_RECORD, "--db", reference_url)
    assert "Note: " in cli("status", *PAST_THE_RECORD, "--db", reference_url).err


def test_check_writes_nothing_on_stderr_and_its_notes_only_with_v(cli, reference_url):
    r = cli("check", *PAST_THE_RECORD, "--db", reference_url)
    assert r.err == "" and "Note:" not in r.out
    r = cli("check", *PAST_THE_RECORD, "-v", "--db", reference_url)
    assert r.err == "" and "Note: " in r.out
