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


def short_symbol(symbol: str) -> str:
    """ "S/RES/2642 (2022)" -> "S/RES/2642": alert subjects are read on phones."""
    return symbol.split(" (")[0] if symbol.startswith("S/RES/") else symbol


def left_long(days: int) -> str:
    """Days left in a sentence: "ends today", "1 day left", "12 days left"."""
    return f"ends {TODAY}" if days == 0 else f"{plural(days, 'day')} left"
