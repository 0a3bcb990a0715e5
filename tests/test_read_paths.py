"""Read paths stay light: no heavy import on upcoming, status or shell completion.
(Speed itself is measured in benchmarks/, never asserted in a test.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from loaded import HEAVY, PROBE, modules_after


@pytest.mark.parametrize(
    "argv",
    [
        ["upcoming", "--format", "json"],
        ["upcoming", "--crossing", "cilvegozu", "--as-of", "2022-12-20"],
        ["status", "--format", "json"],
        ["status", "--crossing", "bab al salam", "--as-of", "2023-03-01"],
        ["crossing", "show", "Bab al-Hawa"],
        ["check", "--as-of", "2022-10-01"],
        ["check", "--plans", "--as-of", "2022-10-01"],  # planned movements too
        ["alerts", "run", "--stdout", "--as-of", "2021-09-01"],  # nothing due
    ],
)
def test_read_commands_import_nothing_heavy(argv, reference_url, tmp_path):
    loaded = modules_after([*argv, "--db", reference_url], tmp_path)
    assert "corridor.services.reports" in loaded or "corridor.services.history" in loaded
    assert sorted(m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY) == []
    if argv[0] in ("upcoming", "status"):  # a plain line runs without Typer (cli/hot.py)
        assert sorted(m for m in loaded if m.split(".")[0] in ("typer", "click")) == []
    if argv[0] in ("upcoming", "status", "check", "alerts"):  # typer builds every command
        lazy = {
            "corridor.cli.commands.edit",
            "corridor.cli.commands.crossings_edit",
            "corridor.cli.commands.correct",
            "corridor.cli.commands.records",
            "corridor.cli.commands.crossing",
            "corridor.cli.commands.db",
        }
        assert lazy & loaded == set()


def test_help_lists_the_editing_commands(cli):
    r = cli("--help")
    for command in ("upcoming", "status", "add", "renew", "import", "export", "log"):
        assert f"  {command} " in r.out


def test_shell_completion_imports_nothing_heavy(reference_url, tmp_path):
    env = {
        "_CORRIDOR_COMPLETE": "complete_bash",
        "COMP_WORDS": "corridor status --crossing Bab",
        "COMP_CWORD": "3",
        "CORRIDOR_DATABASE_URL": reference_url,
    }
    out = tmp_path / "modules.json"
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(out)],
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.stdout.splitlines() == ["Bab\\ al-Hawa", "Bab\\ al-Salam"]  # escaped for bash
    # Completion exits from inside click, so the probe never writes: check with importtime.
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE, str(out)],
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stderr
    imported = {line.split("|")[-1].strip() for line in trace.splitlines() if "|" in line}
    assert "corridor.db.lookup" in imported
    assert sorted(m for m in imported if m.split(".")[0] in HEAVY or m in HEAVY) == []


def test_shell_completion_uses_the_db_typed_on_the_command_line(reference_url, tmp_path):
    env = {
        "_CORRIDOR_COMPLETE": "complete_bash",
        "COMP_WORDS": f"corridor upcoming --db {reference_url} --crossing cilve",
        "COMP_CWORD": "5",
    }
    run = subprocess.run(
        [sys.executable, "-m", "corridor"],
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    # The shell keeps only candidates that extend what was typed: complete along the alias.
    assert run.stdout.splitlines() == ["cilvegözü"]


def test_completion_never_creates_a_database(tmp_path):
    target = tmp_path / "absent.sqlite3"
    env = {
        "_CORRIDOR_COMPLETE": "complete_bash",
        "COMP_WORDS": f"corridor status --db {target} --crossing B",
        "COMP_CWORD": "5",
    }
    run = subprocess.run(
        [sys.executable, "-m", "corridor"],
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert (run.returncode, run.stdout.strip(), run.stderr) == (0, "", "")
    assert not target.exists()


def test_a_remembered_quiet_alerts_run_imports_nothing_that_plans(reference_url, tmp_path):
    """The second of two nothing-due runs finds the memo of the first (docs/alerts.md, "A quiet
    run is remembered"): it reads two rows and imports neither the plan nor the reports."""
    argv = ["alerts", "run", "--stdout", "--tz", "UTC", "--db", reference_url, "--as-of"]
    first = modules_after([*argv, "2021-09-01"], tmp_path)
    again = modules_after([*argv, "2021-09-01T01:00Z"], tmp_path)
    planning = {"corridor.services.alerts_plan", "corridor.services.reports"}
    assert planning <= first and planning & again == set()
