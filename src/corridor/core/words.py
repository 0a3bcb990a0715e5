"""Counting words for people, written once: "1 day", "2 days", and the one word for a
deadline that falls today. Every message and table uses these (README, "Output")."""

from __future__ import annotations

_IRREGULAR = {"day": "days", "record": "records", "entry": "entries", "draft": "drafts"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """`n` and the word in the right number: plural(1, "day") == "1 day"."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many or _IRREGULAR.get(word) or word + 's'}"


TODAY = "today"


def left_short(days: int | None) -> str | None:
    """Days left in a table's LEFT column: "today", "1d", "12d"; None when not counted."""
    if days is None:
        return None
    return TODAY if days == 0 else f"{days}d"


def left_long(days: int) -> str:
    """Days left in a sentence: "ends today", "1 day left", "12 days left"."""
    return f"ends {TODAY}" if days == 0 else f"{plural(days, 'day')} left"


def time_left(until_at, at) -> str:
    """Time left under one day, in hours ("5h", "40min"), for a LEFT column."""
    seconds = max(0, int((until_at - at).total_seconds()))
    if seconds >= 3600:
        return f"{seconds // 3600}h"
    return f"{max(1, seconds // 60)}min"


def reason_text(reason: dict | None) -> str:
    """One phrase for why authority lapsed (module docstring), or "" for none."""
    if not reason:
        return ""
    kind, on = reason["kind"], reason["on"]
    what = reason.get("instrument") or reason.get("title") or ""
    return {
        "terminated": f"terminated ({what}, known {on})",
        "objected": f"a party objected to its renewal ({what}, {on})",
        "not_extended": f"not extended at its review ({what}, decided {on})",
        "dropped": f"dropped by {what} on {on}",
        "vetoed": f"the renewal was vetoed on {on} ({what})",
        "failed": f"the renewal failed to pass on {on} ({what})",
        "gap": f"authorized again from {on} by {what}",
        "checked": f"the record is declared complete to {on} with no renewal",
    }.get(kind, f"{kind} {on}")
