"""Where the CLI writes: data to stdout, messages to stderr."""

from __future__ import annotations

import sys

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
