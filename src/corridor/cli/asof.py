"""`--as-of DATE|INSTANT` for `alerts run` and `check`: the instant they answer for.

A DATE means noon of that day in the reader's zone, so that recipients in zones a few hours
either side still see the same calendar day; an INSTANT is ISO 8601 with an offset or Z.
Without the option: now (corridor.cli.clock, the one module that asks the clock).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, tzinfo

from corridor.cli import clock
from corridor.core.errors import UsageError


def instant(text: str | None, tz: tzinfo) -> datetime:
    if not text:
        return clock.now_utc()
    value = text.strip()
    if "T" not in value and " " not in value:
        from corridor.core.terms import parse_date

        day = parse_date(value, what="--as-of")
        return datetime.combine(day, time(12), tz).astimezone(UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise UsageError(
            f'--as-of "{text}" is neither a date nor an instant with its offset',
            "for example 2023-01-10, or 2023-01-10T12:00Z, or 2023-01-10T15:00+03:00",
        )
    return parsed.astimezone(UTC)
