"""Threshold ranges in the Monitoring Plugins syntax (the Development Guidelines, "Threshold
and ranges"), as `corridor check -w/-c` takes them and writes them back in its perfdata.

`[@]start:end`: a value alerts when it lies OUTSIDE start..end (both ends inclusive), or,
with `@`, inside it. `start:` may be left out when it is 0, `~` is minus infinity, and a
missing end is infinity. So `10` alerts below 0 or above 10, `10:` below 10, `~:10` above
10, `@10:20` from 10 to 20. tests/test_check_ranges.py checks this against nagiosplugin's
`Range`, the reference implementation in Python.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from corridor.core.errors import UsageError

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
INF = math.inf


@dataclass(frozen=True)
class Range:
    start: float = 0
    end: float = INF
    invert: bool = False

    def alerts(self, value: float) -> bool:
        """True when `value` is outside the range (inside, for an inverted `@` range)."""
        inside = self.start <= value <= self.end
        return inside if self.invert else not inside

    def __str__(self) -> str:
        """The shortest spelling, as the guidelines and nagiosplugin write it: `30:`, `7`,
        `~:10`, `@10:20`."""
        text = "@" if self.invert else ""
        if self.start == -INF:
            text += "~:"
        elif self.start != 0:
            text += f"{number_text(self.start)}:"
        if self.end != INF:
            text += number_text(self.end)
        return text


def number_text(value: float) -> str:
    """As written: 30 stays 30, 2.5 and 3.0 stay decimals (nagiosplugin prints them alike)."""
    return str(value)


def parse_range(spec: str, *, what: str = "the range") -> Range:
    """A range from its text; a bad one is a usage error naming `what` (the option)."""
    text = spec.strip()
    body = text[1:] if text.startswith("@") else text
    start_text, sep, end_text = body.partition(":")
    if not sep:
        start_text, end_text = "", body
    try:
        start = -INF if start_text == "~" else _atom(start_text, 0)
        end = _atom(end_text, INF)
    except ValueError:
        raise UsageError(
            f'{what} "{spec}" is not a threshold range',
            "write DAYS (fewer than DAYS), START: (below START), ~:END (above END), "
            "START:END (outside it) or @START:END (inside it), e.g. -w 30 -c 7",
        ) from None
    if start > end:
        raise UsageError(
            f'{what} "{spec}" starts after it ends', "write the smaller number first: 10:20"
        )
    return Range(start, end, text.startswith("@"))


def _atom(text: str, default: float) -> float:
    if text == "":
        return default
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    return float(text) if "." in text else int(text)
