"""Where the CLI writes: data to stdout, messages to stderr."""

from __future__ import annotations

import sys

from corridor.present.render import to_json


def json_text(payload: dict) -> str:
    return to_json(payload, pretty=sys.stdout.isatty())


def out(text: str) -> None:
    sys.stdout.write(text)


def say(text: str) -> None:
    sys.stderr.write(text + "\n")
