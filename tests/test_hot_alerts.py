"""corridor.cli.hot_alerts: a plain `alerts run` line runs without Typer and answers exactly
as through Typer (output, messages, exit code, what the outbox records); anything else goes
through Typer.

The speed is measured in benchmarks/, never asserted here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from corridor.cli import argv as argv_kinds
from corridor.cli import hot_alerts
from corridor.cli.main import _run

NY = ["--tz", "America/New_York"]


def _typer_options() -> dict[str, tuple[str, str]]:
    """alerts run's options as Typer declares them, in the shape of hot_alerts.OPTIONS."""
    import typer.main

    from corridor.cli.app import app
    from corridor.cli.main import register_commands

    register_commands(["alerts", "run"])
    group = typer.main.get_command(app).commands["alerts"]  # type: ignore[attr-defined]
    found = {}
    for param in group.commands["run"].params:
        how = (
            argv_kinds.FLAG
            if param.is_flag
            else argv_kinds.VALUES
            if param.multiple
            else argv_kinds.VALUE
        )
        for spelling in [*param.opts, *param.secondary_opts]:
            found[spelling] = (param.name, how)
    return found


def test_the_hot_options_are_typers_options():
    assert _typer_options() == hot_alerts.OPTIONS


def test_a_plain_line_is_read_without_typer():
    command, kwargs = hot_alerts.parse(
        ["alerts", "run", "--stdout", "--to", "a", "--to=b", "-n", "-v", "--as-of", "2023-01-01"]
    )
    assert command is hot_alerts.run
    assert kwargs == {
        "stdout": True,
        "to": ["a", "b"],
        "dry_run": True,
        "verbose": True,
        "as_of": "2023-01-01",
    }
    assert hot_alerts.parse(["alerts", "run"]) == (hot_alerts.run, {})


@pytest.mark.parametrize(
    "argv",
    [
        ["alerts", "run", "--help"],
        ["alerts", "run", "--stdou"],  # abbreviated
        ["alerts", "run", "--stdout", "--stdout"],
        ["alerts", "run", "--tz", "UTC", "--tz", "Asia/Tokyo"],
        ["alerts", "run", "--to"],  # no value
        ["alerts", "run", "-vn"],
        ["alerts", "run", "extra"],
        ["alerts", "status"],
        ["alerts"],
        ["run"],
    ],
)
def test_anything_else_goes_through_typer(argv):
    assert hot_alerts.parse(argv) is None


# Each case: the command lines run one after another on one database (the outbox remembers).
CASES = {
    "due, then nothing due": [
        ["--stdout", "--as-of", "2022-12-27", *NY],
        ["--stdout", "--as-of", "2022-12-27", *NY],
        ["--stdout", "-v", "--as-of", "2022-12-28", *NY],
    ],
    "a lapse": [["--stdout", "--as-of", "2023-07-12", *NY]],
    "a dry run": [
        ["--dry-run", "--stdout", "--to", "json://example.org/x", "--as-of", "2022-12-27"]
    ],
    "no recipient": [["--as-of", "2022-12-27", *NY]],
    "a bad zone": [["--stdout", "--tz", "Mars/Olympus"]],
    "a bad instant": [["--stdout", "--as-of", "yesterday", *NY]],
    "a bad heartbeat": [["--stdout", "--heartbeat", "not a url", "--as-of", "2022-12-27", *NY]],
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_hot_path_answers_as_typer_does(case, databases, capsys):
    def answers(fast: bool) -> list[tuple]:
        url = databases.clone("reference")
        found = []
        for line in CASES[case]:
            argv = ["alerts", "run", *line, "--db", url]
            assert hot_alerts.parse(argv) is not None  # these lines take the hot path
            capsys.readouterr()
            code = _run(argv, fast=fast)
            found.append((code, *capsys.readouterr()))
        return found

    hot = answers(fast=True)
    assert hot == answers(fast=False)
    assert any(out or err for _, out, err in hot)


def test_a_missing_database_is_never_created_on_either_path(databases, capsys, tmp_path):
    missing = f"sqlite:///{tmp_path / 'none.sqlite3'}"
    argv = ["alerts", "run", "--stdout", "--db", missing, *NY]
    for fast in (True, False):
        capsys.readouterr()
        assert _run(argv, fast=fast) == 4
        assert "no corridor database at" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_plain_alerts_run_never_imports_typer(reference_url):
    probe = (
        "import sys\n"
        "from corridor.cli.main import run\n"
        f"code = run(['alerts', 'run', '--stdout', '--as-of', '2022-12-27', '--db', "
        f"{reference_url!r}])\n"
        "assert code == 0, code\n"
        "assert not [m for m in sys.modules if m == 'typer' or m.startswith(('typer.', 'click'))]\n"
        "assert 'sqlalchemy' in sys.modules  # something was due: queued through SQLAlchemy\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Subject: corridor: ")
