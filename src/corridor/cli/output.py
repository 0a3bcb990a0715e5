"""Where the CLI writes: data to stdout, messages to stderr; and how wide a table may be."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from corridor.present.render import to_json


def json_text(payload: dict) -> str:
    return to_json(payload, pretty=sys.stdout.isatty())


def out(text: str) -> None:
    sys.stdout.write(text)


def say(text: str) -> None:
    sys.stderr.write(text + "\n")


WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Tables: never wrap long text to the terminal's width (JSON and CSV never are).",
    ),
]


def table_width(wide: bool = False) -> int | None:
    """The columns a table may take (README, "Output"): $COLUMNS when it is set, else the
    terminal's width when stdout is a terminal; None (no limit) with --wide, or when stdout is
    a pipe or a file, so that each row stays on one line for grep and friends."""
    if wide:
        return None
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return max(int(env), 40)
    if hasattr(sys.stdout, "isatty") and sys.stdout.isatty():
        import shutil

        return max(shutil.get_terminal_size((80, 24)).columns, 40)
    return None
