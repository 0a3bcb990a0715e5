"""Where the CLI writes: data to stdout, messages to stderr; and how wide a table may be."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from corridor.present.render import to_json
from corridor.present.safe import safe


def json_text(payload: dict) -> str:
    return to_json(payload, pretty=sys.stdout.isatty())


def out(text: str) -> None:
    sys.stdout.write(text)


def say(text: str) -> None:
    """A message on stderr. It often echoes typed or stored text (a name, a "did you mean"), so
    unsafe characters are escaped here, once (corridor.present.safe)."""
    sys.stderr.write(safe(text) + "\n")


WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Tables: never wrap long text to the terminal's width (JSON and CSV never are).",
    ),
]


def table_width(wide: bool = False) -> int | None:
    """The columns a table may take (README, "Everyday use"): $COLUMNS when it is set, else
    the width of the terminal that stdout or, when stdout is piped (`| less`, `| head`),
    stderr is; None (no limit: one line per row) with --wide, or when no terminal is watching
    (cron, scripts, files)."""
    if wide:
        return None
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return max(int(env), 40)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.isatty():
                return max(os.get_terminal_size(stream.fileno()).columns, 40)
        except (AttributeError, OSError, ValueError):
            continue
    return None
