"""Lookups and flags (issue 16, item 9): instruments are found like crossings (accents, case,
unique parts); an ambiguous name always gets the same exit code and message; `--format` is
case-insensitive; an empty `--crossing` is an error; an unknown command suggests the nearest;
`instrument show 26` completes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from corridor.core.errors import EXIT_NOT_FOUND, EXIT_USAGE

ADRE = "Sudan consent: Adré crossing (2024-08-15)"


def _add_adre(cli, url):
    r = cli("crossing", "add", "Adré", "--countries", "TD,SD", "--db", url)
    assert r.code == 0, r.err
    r = cli("add", ADRE, "--kind", "consent", "--authority", "Government of Sudan",
            "--authority-zone", "Africa/Khartoum", "--adopted", "2024-08-15", "--for", "3mo",
            "-c", "adre", "--db", url)  # fmt: skip
    assert r.code == 0, r.err


@pytest.mark.parametrize("typed", ["adre", "ADRE", "Adré", "adré crossing"])
def test_instrument_show_folds_accents_and_case(cli, reference_url, typed):
    _add_adre(cli, reference_url)
    r = cli("instrument", "show", typed, "--format", "json", "--db", reference_url)
    assert r.code == 0, r.err
    assert json.loads(r.out)["symbol"] == ADRE
    # The editing commands find it the same way.
    r = cli("correct", typed, "notes=Reopened in August 2024.", "--dry-run", "--db", reference_url)
    assert r.code == 0, r.err


EXTENSION_1 = (
    'Error: "extension 1" matches 2 instruments: '
    "Syria consent: Bab al-Hawa, extension 1 (to 2024-07-13); "
    "Syria consent: Bab al-Salam and Al-Rai, extension 1 (to 2023-08-13)\n"
    "  give more of the name, in quotes\n"
)


@pytest.mark.parametrize(
    "command",
    [
        ["instrument", "show", "extension 1"],
        ["correct", "extension 1", "notes=x"],
        ["terminate", "extension 1", "--effective", "2023-06-01", "--known", "2023-06-01"],
        ["review", "extension 1", "2023-06-01", "--extended", "--on", "2023-06-01"],
        ["renew", "extension 1", "-s", "X", "--adopted", "2023-08-13"],
        ["remove", "extension 1"],
    ],
)
def test_an_ambiguous_name_always_gets_the_same_code_and_message(cli, reference_url, command):
    r = cli(*command, "--db", reference_url)
    assert (r.code, r.err) == (EXIT_USAGE, EXTENSION_1)


def test_an_ambiguous_crossing_is_worded_the_same_way(cli, reference_url):
    r = cli("crossing", "show", "bab", "--db", reference_url)
    assert r.code == EXIT_USAGE
    assert r.err == (
        'Error: "bab" matches 2 crossings: Bab al-Hawa; Bab al-Salam\n'
        "  give more of the name, in quotes\n"
    )
    assert cli("crossing", "show", "zzzz", "--db", reference_url).code == EXIT_NOT_FOUND


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--format", "JSON"],
        ["upcoming", "--format", "Json", "--as-of", "2022-12-01"],
        ["instrument", "show", "2642", "--format", "JSON"],
        ["instrument", "list", "-f", "JSON"],
        ["crossing", "show", "bab al hawa", "--format", "JSON"],
        ["log", "--format", "JSON"],
    ],
)
def test_format_is_case_insensitive(cli, reference_url, command):
    r = cli(*command, "--db", reference_url)
    assert r.code == 0, r.err
    json.loads(r.out)


def test_export_format_is_case_insensitive(cli, reference_url):
    r = cli("export", "--format", "YAML", "--db", reference_url)
    assert r.code == 0 and "\ncorridor: 1\n" in r.out


@pytest.mark.parametrize(
    "command",
    [
        ["status", "-c", ""],
        ["upcoming", "--crossing", " "],
        ["upcoming", "-c", "bab al hawa", "-c", ","],
        ["report", "--html", "-", "--crossing", ""],
        ["log", "-c", ""],
        ["add", "X", "--adopted", "2025-01-01", "--for", "3mo", "-c", ""],
    ],
)
def test_an_empty_crossing_is_an_error_naming_the_option(cli, reference_url, command):
    r = cli(*command, "--db", reference_url)
    assert r.code == EXIT_USAGE
    assert r.err.startswith("Error: --crossing was given an empty name\n"), r.err
    assert r.out == ""


@pytest.mark.parametrize(
    ("command", "meant"),
    [
        (["show", "X"], ["`crossing show`", "`instrument show`"]),
        (["list"], ["`crossing list`", "`instrument list`"]),
        (["checked", "bab"], ["`check`", "`crossing checked`"]),
    ],
)
def test_an_unknown_command_suggests_the_nearest(cli, command, meant):
    r = cli(*command)
    assert r.code == EXIT_USAGE
    lines = r.err.splitlines()
    assert lines[0] == f'Error: no command "{command[0]}"'
    assert lines[1].startswith("  did you mean `")
    assert all(m in lines[1] for m in meant), lines[1]


def _complete(words: str, cword: int, url: str, tmp_path) -> list[str]:
    env = dict(os.environ, _CORRIDOR_COMPLETE="complete_bash", COMP_WORDS=words,
               COMP_CWORD=str(cword), CORRIDOR_DATABASE_URL=url)  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "corridor"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode == 0 and run.stderr == ""
    return run.stdout.splitlines()


def test_instrument_show_completes_a_part_of_a_symbol(cli, reference_url, tmp_path):
    got = _complete("corridor instrument show 2642", 3, reference_url, tmp_path)
    assert got == ["2642\\ \\(2022\\)"]
    several = _complete("corridor instrument show 26", 3, reference_url, tmp_path)
    assert several == ["2642\\ \\(2022\\)", "2672\\ \\(2023\\)"]
    # Each candidate, as bash reads it, names its instrument.
    r = cli("instrument", "show", "2672 (2023)", "-f", "json", "--db", reference_url)
    assert json.loads(r.out)["symbol"] == "S/RES/2672 (2023)"
    # What starts the symbol still completes as before.
    assert _complete("corridor instrument show S/RES/2642", 3, reference_url, tmp_path) == [
        "S/RES/2642\\ \\(2022\\)"
    ]
