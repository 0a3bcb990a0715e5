"""corridor.cli.hot: `upcoming` and `status` run without Typer for a plain command line, and
answer exactly as through Typer; anything else goes through Typer.

The speed is measured in benchmarks/, never asserted here."""

from __future__ import annotations

import pytest

from corridor.cli import hot
from corridor.cli.main import HOT_COMMANDS, _run
from corridor.present.render import Format


def _typer_options(command: str) -> dict[str, tuple[str, str]]:
    """The command's options as Typer declares them, in the shape of hot.OPTIONS."""
    import typer.main

    from corridor.cli.app import app
    from corridor.cli.main import register_commands

    register_commands([command])
    click_command = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    found = {}
    for param in click_command.params:
        how = hot.FLAG if param.is_flag else hot.VALUES if param.multiple else hot.VALUE
        for spelling in [*param.opts, *param.secondary_opts]:
            found[spelling] = (param.name, how)
    return found


@pytest.mark.parametrize("command", ["upcoming", "status"])
def test_the_hot_options_are_typers_options(command):
    assert hot.OPTIONS[command] == _typer_options(command)


def test_the_hot_commands_are_the_ones_main_sends_there():
    assert HOT_COMMANDS == tuple(hot.OPTIONS) == tuple(hot.COMMANDS)


def test_a_plain_line_is_read_without_typer():
    command, kwargs = hot.parse(
        ["upcoming", "--within=6mo", "-c", "a", "--crossing", "b", "-f", "json", "--wide"]
    )
    assert command is hot.upcoming
    assert kwargs == {"within": "6mo", "crossing": ["a", "b"], "fmt": Format.json, "wide": True}
    assert hot.parse(["status"]) == (hot.status, {})


@pytest.mark.parametrize(
    "argv",
    [
        ["upcoming", "--help"],
        ["status", "-h"],
        ["upcoming", "--witin", "30"],  # a typo: Typer suggests
        ["upcoming", "--with", "30"],  # abbreviated
        ["status", "-fjson"],  # an attached short value
        ["status", "--tz", "UTC", "--tz", "Asia/Tokyo"],  # given twice
        ["status", "--format", "ics"],  # status has no calendar form: Typer refuses it
        ["status", "-c", ""],  # an empty name: Typer's callback refuses it, naming -c
        ["status", "--format=xml"],
        ["upcoming", "--within"],  # no value
        ["upcoming", "--within", "-3"],  # a value Typer may read as an option
        ["status", "--wide=yes"],
        ["status", "--wide", "--wide"],
        ["status", "--within", "30"],  # upcoming's option
        ["status", "extra"],  # an argument
        ["status", "--", "-c"],
        ["crossing", "list"],
        [],
    ],
)
def test_anything_else_goes_through_typer(argv):
    assert hot.parse(argv) is None


LINES = [
    ["upcoming"],
    ["upcoming", "-f", "json"],
    ["upcoming", "--format=csv", "--as-of", "2022-12-20"],
    [
        "upcoming",
        "--within",
        "6mo",
        "-c",
        "bab al hawa",
        "-c",
        "bab al salam",
        "--kind",
        "expiry,review",
        "--as-of",
        "2022-12-20",
    ],
    ["upcoming", "--as-of", "2023-07-10T21:00Z", "--format", "json", "--tz", "Asia/Tokyo"],
    ["upcoming", "--within", "abc"],
    ["upcoming", "--kind", "expiry,nonsense"],
    ["upcoming", "--hxl"],
    ["upcoming", "-f", "csv", "--hxl", "--as-of", "2022-12-20"],
    ["upcoming", "--as-of", "2199-12-31T23:00-05:00"],
    ["status"],
    ["status", "--as-of", "2023-07-11T04:30:00Z", "-c", "bab al hawa,bab al salam", "-f", "csv"],
    ["status", "--format", "JSON"],  # --format is case-insensitive on both paths
    ["status", "-c", "nowhere"],
    ["status", "--tz", "Mars/Olympus"],
    ["status", "--as-of", "yesterday"],
    ["status", "--wide", "--as-of", "2023-03-01"],
    ["status", "--tz", ""],
]


@pytest.mark.parametrize("argv", LINES, ids=" ".join)
def test_the_hot_path_answers_as_typer_does(argv, reference_url, capsys):
    assert hot.parse(argv) is not None  # these lines take the hot path

    when = [] if "--as-of" in argv else ["--as-of", "2023-03-01T12:00Z"]  # not the clock

    def answer(fast: bool):
        capsys.readouterr()
        code = _run([*argv, *when, "--db", reference_url], fast=fast)
        return (code, *capsys.readouterr())

    assert answer(fast=True) == answer(fast=False)
