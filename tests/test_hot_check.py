"""corridor.cli.hot_check: a plain `check` line runs without Typer and answers exactly as
through Typer (output, exit code, the UNKNOWN line of every error); anything else goes through
Typer.

The speed is measured in benchmarks/, never asserted here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from corridor.cli import argv as argv_kinds
from corridor.cli import hot_check
from corridor.cli.main import _run_check

NY = ["--tz", "America/New_York"]


def _typer_options() -> dict[str, tuple[str, str]]:
    """check's options as Typer declares them, in the shape of hot_check.OPTIONS."""
    import typer.main

    from corridor.cli.app import app
    from corridor.cli.main import register_commands

    register_commands(["check"])
    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    found = {}
    for param in command.params:
        if getattr(param, "count", False):
            how = argv_kinds.COUNT
        elif param.is_flag:
            how = argv_kinds.FLAG
        else:
            how = argv_kinds.VALUES if param.multiple else argv_kinds.VALUE
        for spelling in [*param.opts, *param.secondary_opts]:
            found[spelling] = (param.name, how)
    return found


def test_the_hot_options_are_typers_options():
    assert _typer_options() == hot_check.OPTIONS


def test_the_bounds_are_typers_bounds():
    import typer.main

    from corridor.cli.app import app
    from corridor.cli.main import register_commands

    register_commands(["check"])
    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    bounds = {p.name: (p.type.min, p.type.max) for p in command.params if hasattr(p.type, "min")}
    assert bounds == {"lapse_window": hot_check.LAPSE_WINDOW, "timeout": hot_check.TIMEOUT}


def test_a_plain_line_is_read_without_typer():
    command, kwargs = hot_check.parse(
        ["check", "-w", "60", "-c", "14", "--crossing=Bab al-Hawa", "-vv", "-v", "-t", "2.5"]
    )
    assert command is hot_check.check
    assert kwargs == {
        "warning": "60",
        "critical": "14",
        "crossing": "Bab al-Hawa",
        "verbose": 3,
        "timeout": 2.5,
    }
    assert hot_check.parse(["check"]) == (hot_check.check, {})
    assert hot_check.parse(["check", "--lapse-window", "0", "--plans"])[1] == {
        "lapse_window": 0,
        "plans": True,
    }


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--help"],
        ["check", "-h"],
        ["check", "--warnin", "30"],  # abbreviated
        ["check", "-w30"],  # an attached short value
        ["check", "-w", "30", "-w", "20"],  # given twice: Typer keeps the last
        ["check", "--plans", "--plans"],
        ["check", "--plans=yes"],
        ["check", "--verbose=2"],
        ["check", "-vV"],
        ["check", "-t", "0"],  # out of range: Typer says so
        ["check", "-t", "1e3"],
        ["check", "-t", "inf"],
        ["check", "--lapse-window", "3651"],
        ["check", "--lapse-window", "2.5"],
        ["check", "--lapse-window", "-1"],  # a value Typer may read as an option
        ["check", "-w"],  # no value
        ["check", "-c"],
        ["check", "extra"],  # an argument
        ["check", "--", "-w"],
        ["check", "--within", "30"],  # upcoming's option
        ["upcoming"],
        [],
    ],
)
def test_anything_else_goes_through_typer(argv):
    assert hot_check.parse(argv) is None


LINES = [
    ["check"],
    ["check", "--as-of", "2023-01-05"],  # CRITICAL
    ["check", "--as-of", "2022-12-20"],  # WARNING
    ["check", "--as-of", "2022-11-20"],  # OK, with next:
    ["check", "-w", "10", "-c", "3", "--as-of", "2022-12-20"],
    ["check", "--warn", "10", "--crit", "3", "--as-of", "2022-12-20"],
    ["check", "-w", "@10:20", "-c", "~:5", "--as-of", "2022-12-20"],
    ["check", "-w", "30", "--warn", "20"],  # both spellings: UNKNOWN
    ["check", "-w", "7", "-c", "30"],  # a wider critical: UNKNOWN
    ["check", "-w", "abc"],
    ["check", "--kind", "report", "--as-of", "2022-12-01"],
    ["check", "-k", "expiry,nonsense"],
    ["check", "--crossing", "bab al hawa", "--as-of", "2023-07-12"],
    ["check", "--crossing", "nowhere"],
    ["check", "--crossing", ""],
    ["check", "--lapse-window", "0", "--as-of", "2023-07-12"],
    ["check", "--lapse-window", "3650", "--as-of", "2023-07-12"],
    ["check", "--perfdata-per-crossing", "--as-of", "2023-07-12"],
    ["check", "--plans", "--as-of", "2022-12-20"],
    ["check", "-v", "--as-of", "2023-07-12"],
    ["check", "-vv", "--as-of", "2023-07-12"],
    ["check", "-vvv", "--as-of", "2023-07-12"],
    ["check", "--verbose", "--verbose", "--as-of", "2023-07-12"],
    ["check", "-t", "30", "--as-of", "2023-07-12"],
    ["check", "--timeout=5"],
    ["check", "-V"],
    ["check", "--version", "--kind", "nonsense"],  # eager: the version, nothing else
    ["check", "--as-of", "yesterday"],
    ["check", "--tz", "Mars/Olympus"],
    ["check", "--tz", ""],
]


@pytest.mark.parametrize("argv", LINES, ids=" ".join)
def test_the_hot_path_answers_as_typer_does(argv, reference_url, capsys):
    assert hot_check.parse(argv) is not None  # these lines take the hot path
    when = [] if "--as-of" in argv else ["--as-of", "2023-03-01T12:00Z"]  # not the clock

    def answer(fast: bool):
        capsys.readouterr()
        code = _run_check([*argv, *when, *NY, "--db", reference_url], fast=fast)
        return (code, *capsys.readouterr())

    hot, typer_ = answer(fast=True), answer(fast=False)
    assert hot == typer_
    assert hot[1].startswith(("CORRIDOR ", "corridor check ")) and hot[2] == ""


def test_a_plain_check_never_imports_typer(reference_url):
    probe = (
        "import sys\n"
        "from corridor.cli.main import run\n"
        f"code = run(['check', '--as-of', '2022-12-20', '--db', {reference_url!r}])\n"
        "assert code == 1, code\n"
        "assert not [m for m in sys.modules if m == 'typer' or m.startswith(('typer.', 'click'))]\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("CORRIDOR WARNING - ")


def test_ctrl_c_ends_both_paths_alike(reference_url, capsys, monkeypatch):
    """Ctrl-C while checking: exit 130 and nothing written, as Typer has always answered."""
    from corridor.services import monitor

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(monitor, "check", interrupted)
    argv = ["check", "--as-of", "2022-12-20", "--db", reference_url]
    found = []
    for fast in (True, False):
        capsys.readouterr()
        found.append((_run_check(argv, fast=fast), *capsys.readouterr()))
    assert found[0] == found[1] == (130, "", "")
