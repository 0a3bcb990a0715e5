"""Pure time arithmetic: terms, dates and the instants at which days end.

Rules (docs/time.md):
- "until D" covers day D and ends at midnight at the end of D in the authority's zone.
- "N days from X" is day arithmetic; "N months from X" is calendar-month arithmetic, with
  month ends clamped (31 Aug + 6 months = 28/29 Feb).
- Days left are counted in calendar days in the reader's zone.

Instants are computed with the standard library's zoneinfo and an explicit `fold=0`, so the
first instant of a day is right across DST gaps and folds (pendulum prefers fold=1 for
ambiguous times, docs/time.md). Month arithmetic uses pendulum, imported only when needed
so that read paths never pay for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from corridor.core.errors import UsageError

_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_TERM = re.compile(
    r"^\s*(\d{1,5})\s*(d|day|days|w|wk|week|weeks|mo|mon|month|months|y|yr|year|years)\s*$",
    re.IGNORECASE,
)
_UNIT = {"d": "days", "w": "weeks", "m": "months", "y": "years"}


@dataclass(frozen=True)
class Term:
    """A length of time as legal texts state it: N days or N calendar months."""

    amount: int
    unit: str  # "days" | "months"

    def after(self, anchor: date) -> date:
        """`anchor` + this term: 2014-07-14 + 180d = 2015-01-10; 2023-08-31 + 6mo = 2024-02-29."""
        if self.unit == "days":
            return anchor + timedelta(days=self.amount)
        import pendulum  # month arithmetic only; kept off the read paths

        return pendulum.Date(anchor.year, anchor.month, anchor.day).add(months=self.amount)

    def before(self, anchor: date) -> date:
        """`anchor` - this term: a notice "30 days before 2025-05-01" is 2025-04-01."""
        if self.unit == "days":
            return anchor - timedelta(days=self.amount)
        import pendulum

        return pendulum.Date(anchor.year, anchor.month, anchor.day).subtract(months=self.amount)

    def __str__(self) -> str:
        return f"{self.amount}d" if self.unit == "days" else f"{self.amount}mo"


def parse_term(text: str, *, what: str = "term") -> Term:
    """Parse `180d`, `180 days`, `6mo`, `6 months`, `2w` or `1y` into a Term."""
    m = _TERM.match(str(text))
    if not m:
        raise UsageError(
            f'{what} "{text}" is not a length of time',
            "write it as days or months, e.g. 90d, 180d, 6mo or 12mo",
        )
    amount, unit = int(m.group(1)), _UNIT[m.group(2)[0].lower()]
    if unit == "weeks":
        return Term(amount * 7, "days")
    if unit == "years":
        return Term(amount * 12, "months")
    return Term(amount, unit)


def parse_date(text: str, *, what: str = "date") -> date:
    """Parse a strict YYYY-MM-DD date, rejecting impossible ones such as 2023-02-30."""
    if isinstance(text, date) and not isinstance(text, datetime):
        return text
    m = _DATE.match(str(text))
    if not m:
        raise UsageError(
            f'{what} "{text}" is not a date in YYYY-MM-DD form', "for example 2023-07-10"
        )
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise UsageError(
            f'{what} "{text.strip()}" is not a real date ({exc})', "check the day and month"
        ) from None


_INSTANT = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def parse_instant(text: str, tz: tzinfo, *, what: str = "--as-of") -> datetime:
    """A date or an instant, as an aware UTC datetime (docs/time.md).

    `2023-07-11` is the first instant of that day in `tz` (the reader's zone);
    `2023-07-11T04:30:00Z` and `2023-07-11T07:30+03:00` are instants. A time without `Z` or
    an offset is refused: it would mean different instants to different readers.
    """
    if not _INSTANT.match(str(text)):
        return day_start(parse_date(text, what=what), tz)
    raw = str(text).strip()
    try:
        value = datetime.fromisoformat(raw[:-1] + "+00:00" if raw[-1:] in "zZ" else raw)
    except ValueError:
        raise UsageError(
            f'{what} "{raw}" is not a date or an ISO 8601 instant',
            "for example 2023-07-11, 2023-07-11T04:30:00Z or 2023-07-11T07:30+03:00",
        ) from None
    if value.tzinfo is None:
        raise UsageError(
            f'{what} "{raw}" has a time but no timezone',
            f"add Z for UTC or an offset, e.g. {raw}Z or {raw}+03:00",
        )
    parse_date(value.date().isoformat(), what=what)  # the same supported range as dates
    return value.astimezone(UTC)


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """The tzinfo for an IANA zone name, or a UsageError that says what to type instead."""
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(
            f'unknown timezone "{name}"',
            "use an IANA zone name such as Europe/Istanbul, Asia/Damascus or America/New_York",
        ) from None


def day_start(day: date, tz: tzinfo) -> datetime:
    """The first instant of `day` in `tz`, in UTC.

    fold=0 picks the earlier of two ambiguous wall times, and for a wall time skipped by a DST
    gap it applies the offset in force before the gap: both give the true start of the day.
    """
    local = datetime(day.year, day.month, day.day, tzinfo=tz, fold=0)
    return local.astimezone(UTC)


def end_of_day(day: date, tz: tzinfo) -> datetime:
    """The instant (UTC) at which `day` ends in `tz`: midnight at the end of the day."""
    return day_start(day + timedelta(days=1), tz)
