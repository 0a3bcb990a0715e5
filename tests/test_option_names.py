"""One name per meaning (issue 7, "Consistent names and labels"): --note for free text
(--notes still accepted, unlisted), --tz always the reader's zone and --authority-zone an
instrument's (--timezone still accepted, unlisted), -k only for `upcoming --kind`."""

from __future__ import annotations

import json

import pytest

from corridor.core.errors import EXIT_USAGE

JORDAN = ("--kind", "consent", "--authority", "Government of Jordan", "--adopted", "2025-03-01",
          "--for", "3mo", "-c", "bab al hawa")  # fmt: skip


@pytest.mark.parametrize(
    ("zone_opt", "note_opt"),
    [("--authority-zone", "--note"), ("--timezone", "--notes")],  # the new names; the old ones
)
def test_note_and_authority_zone(cli, reference_url, zone_opt, note_opt):
    r = cli("add", "Jordan consent (2025-03-01)", *JORDAN, zone_opt, "Asia/Amman",
            note_opt, "by letter", "-f", "json", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    record = json.loads(r.out)["record"]
    assert (record["timezone"], record["notes"]) == ("Asia/Amman", "by letter")


@pytest.mark.parametrize("argv", [["add"], ["renew"], ["crossing", "add"]])
def test_help_lists_only_the_one_name(cli, argv):
    text = cli(*argv, "--help").out
    assert "--note " in text
    assert "--notes" not in text and "--timezone" not in text
    if argv == ["add"]:
        assert "--authority-zone" in text


def test_minus_k_means_only_the_kinds_of_upcoming(cli, reference_url):
    r = cli("add", "X", "-k", "consent", "--db", reference_url)
    assert r.code == EXIT_USAGE and "No such option: -k" in r.err
    r = cli("draft", "2025-01-01", "X", "-k", "vetoed", "--db", reference_url)
    assert r.code == EXIT_USAGE and "No such option: -k" in r.err
    r = cli("upcoming", "-k", "expiry", "--as-of", "2022-12-20", "--db", reference_url)
    assert r.code == 0


def test_a_new_authority_without_a_zone_names_the_option(cli, reference_url):
    r = cli("add", "Jordan consent (2025-03-01)", *JORDAN, "--db", reference_url)
    assert r.code == EXIT_USAGE
    assert "--authority-zone" in r.err
