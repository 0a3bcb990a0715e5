"""Any terminal (issue 16, item 1): on a stream that is not UTF-8 (a real ISO-8859-1 locale, or
PYTHONIOENCODING=ascii) every command degrades instead of crashing: close Latin forms, the
record's Latin name for an Arabic alias, `?` otherwise, and one note on stderr. JSON and the
exported record stay exact, through escapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

LATIN1 = "en_US.ISO-8859-1"


def _have_latin1() -> bool:
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    return "en_us.iso88591" in out


def _need_latin1():
    if not _have_latin1():
        if os.environ.get("CORRIDOR_REQUIRE_TOOLS"):
            pytest.fail(f"locale {LATIN1} missing: localedef -i en_US -f ISO-8859-1 {LATIN1}")
        pytest.skip(f"locale {LATIN1} not generated (localedef -i en_US -f ISO-8859-1 {LATIN1})")


def _run(url: str, tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    base.update(CORRIDOR_CONFIG=str(tmp_path / "none.toml"), PYTHONUTF8="0", **env)
    return subprocess.run(
        [sys.executable, "-m", "corridor", *args, "--db", url],
        capture_output=True,
        env=base,
    )


LATIN1_ENV = dict(LANG=LATIN1, LC_ALL=LATIN1)
ASCII_ENV = dict(PYTHONIOENCODING="ascii")

COMMANDS = [
    ("crossing", "show", "cilvegozu"),
    ("crossing", "list"),
    ("instrument", "show", "2642"),
    ("status",),
    ("upcoming", "--as-of", "2022-12-01"),
    ("timeline", "--crossing", "bab-al-hawa"),
    ("export", "--format", "csv"),
]


@pytest.mark.slow
@pytest.mark.parametrize("stream", ["latin1", "ascii"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_degrades_instead_of_crashing(reference_url, tmp_path, stream, args):
    if stream == "latin1":
        _need_latin1()
    env, encoding = (LATIN1_ENV, "latin-1") if stream == "latin1" else (ASCII_ENV, "ascii")
    run = _run(reference_url, tmp_path, *args, **env)
    err = run.stderr.decode(encoding)
    assert run.returncode == 0, err
    assert "internal error" not in err and "Traceback" not in err
    assert run.stdout.decode(encoding)  # data was written, in the stream's own encoding
    assert err.count("cannot show every character") <= 1


@pytest.mark.parametrize("name", ["cilvegozu", "bab-al-hawa"])  # an alias, and the slug
def test_crossing_show_transliterates_and_notes_once(reference_url, tmp_path, name):
    _need_latin1()
    run = _run(reference_url, tmp_path, "crossing", "show", name, **ASCII_ENV)
    assert run.returncode == 0
    text, err = run.stdout.decode("ascii"), run.stderr.decode("ascii")
    assert "Also: Cilvegozu," in text  # o-umlaut without its marks
    assert "Reyhanli" in text  # dotless i from the table
    # The Arabic alias is written as the crossing's Latin name, not a row of question marks.
    assert "???" not in text
    assert err.count("cannot show every character") == 1
    # ISO-8859-1 has o-umlaut: it is kept as it is.
    latin = _run(reference_url, tmp_path, "crossing", "show", name, **LATIN1_ENV)
    assert "Also: Cilvegözü," in latin.stdout.decode("latin-1")


@pytest.mark.parametrize("env", [LATIN1_ENV, ASCII_ENV], ids=["latin1", "ascii"])
def test_json_stays_valid_and_exact(reference_url, tmp_path, env):
    if env is LATIN1_ENV:
        _need_latin1()
    run = _run(reference_url, tmp_path, "crossing", "show", "cilvegozu", "--format", "json", **env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.isascii()
    data = json.loads(run.stdout)
    assert "معبر باب الهوى" in data["aliases"] and "Cilvegözü" in data["aliases"]
    assert b"cannot show every character" not in run.stderr  # nothing was lost


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_exported_record_reads_back_exactly(reference_url, tmp_path, fmt):
    _need_latin1()
    run = _run(reference_url, tmp_path, "export", "--format", fmt, **LATIN1_ENV)
    assert run.returncode == 0, run.stderr
    assert run.stdout.isascii()
    text = run.stdout.decode("ascii")
    data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    hawa = next(c for c in data["crossings"] if c["name"] == "Bab al-Hawa")
    assert "معبر باب الهوى" in hawa["aliases"]
