"""Shell completion (issue 7, defect 8): names with spaces are escaped for bash, so the
completed command line parses back to the name; symbols and `--tz` zones complete too."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _complete(words: str, cword: int, url: str | None, tmp_path, shell="complete_bash"):
    env = dict(os.environ, _CORRIDOR_COMPLETE=shell, COMP_WORDS=words, COMP_CWORD=str(cword))
    if url:
        env["CORRIDOR_DATABASE_URL"] = url
    run = subprocess.run(
        [sys.executable, "-m", "corridor"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode == 0 and run.stderr == ""
    return run.stdout.splitlines()


def _as_bash_reads_it(candidate: str) -> list[str]:
    """The words bash makes of a command line holding the candidate."""
    run = subprocess.run(
        ["bash", "-c", f'printf "%s\\n" {candidate}'], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def test_a_crossing_name_with_spaces_completes_to_one_word(reference_url, tmp_path):
    got = _complete("corridor status -c bab", 3, reference_url, tmp_path)
    assert got == ["bab\\ al-Hawa", "bab\\ al-Salam"]
    assert [_as_bash_reads_it(c) for c in got] == [["bab al-Hawa"], ["bab al-Salam"]]
    # bash inserts the common part, "bab\ al-"; the next TAB completes from there
    got = _complete("corridor status -c bab\\ al-H", 3, reference_url, tmp_path)
    assert got == ["bab\\ al-Hawa"]


def test_inside_an_open_quote_the_name_is_left_as_it_is(reference_url, tmp_path):
    got = _complete('corridor status -c "bab al-h', 3, reference_url, tmp_path)
    assert got == ["bab al-hawa"] or got == ["bab al-Hawa"]


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("corridor review S/RES/2642", 2, ["S/RES/2642 (2022)"]),
        ("corridor remove s/res/267", 2, ["s/res/2672 (2023)"]),  # any case: it resolves
        ("corridor review S/RES/2642\\ (", 2, ["S/RES/2642 (2022)"]),  # the second TAB
        ("corridor renew S/RES/25", 2, None),  # several: all start with what was typed
    ],
)
def test_symbols_complete(reference_url, tmp_path, words, cword, expected):
    got = _complete(words, cword, reference_url, tmp_path)
    read = [_as_bash_reads_it(c)[0] for c in got]
    if expected is None:
        assert len(read) > 2 and all(s.startswith("S/RES/25") for s in read)
    else:
        assert read == expected


def test_timezones_complete_without_a_database(tmp_path):
    got = _complete("corridor upcoming --tz Europe/Ist", 3, None, tmp_path)
    assert got == ["Europe/Istanbul"]
    got = _complete("corridor add X --authority-zone Asia/Dam", 4, None, tmp_path)
    assert got == ["Asia/Damascus"]


def test_zsh_candidates_are_not_escaped_by_corridor(reference_url, tmp_path):
    env_words = "corridor status -c bab"
    env = dict(
        os.environ,
        _CORRIDOR_COMPLETE="complete_zsh",
        _TYPER_COMPLETE_ARGS=env_words,
        CORRIDOR_DATABASE_URL=reference_url,
    )
    run = subprocess.run(
        [sys.executable, "-m", "corridor"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert "bab al-Hawa" in run.stdout and "\\ " not in run.stdout
