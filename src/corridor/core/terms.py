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
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from corridor.core.errors import UsageError

_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_TERM = re.compile(
    r"^\s*(\d{1,5})\s*(d|day|days|w|wk|week|weeks|mo|mon|month|months|y|yr|year|years)\s*$",
    re.IGNORECASE,
)
_UNIT = {"d": "days", "w": "weeks", "m": "months", "y": "years"}

# The one range of dates the tool supports (README "Limits", docs/format.md "Limits"): every
# date typed on the command line, read from a file or derived from a term lies in it. Outside
# it a date is refused as a usage error (2) on the command line and as invalid data (5) in a file.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
# The longest term and the widest report window: nothing in the supported range is longer.
MAX_TERM_DAYS = (MAX_DATE - MIN_DATE).days
MAX_TERM_MONTHS = 12 * (MAX_DATE.year - MIN_DATE.year + 1)
DATE_RANGE_HINT = f"corridor supports dates from {MIN_DATE} to {MAX_DATE}"


@dataclass(frozen=True)
class Term:
    """A length of time as legal texts state it: N days or N calendar months."""

    amount: int
    unit: str  # "days" | "months"

    def after(self, anchor: date) -> date:
        """`anchor` + this term: 2014-07-14 + 180d = 2015-01-10; 2023-08-31 + 6mo = 2024-02-29.

        A result outside the supported range (MIN_DATE..MAX_DATE) is a UsageError, never an
        OverflowError."""
        months = self.amount if self.unit == "months" else 0
        days = self.amount if self.unit == "days" else 0
        # Checked before the arithmetic: Python's dates end at year 9999.
        if (anchor.year - MIN_DATE.year) * 12 + months > MAX_TERM_MONTHS or (days > MAX_TERM_DAYS):
            raise _out_of_range(f"{anchor} + {self}")
        if self.unit == "days":
            end = anchor + timedelta(days=self.amount)
        else:
            import pendulum  # lazy: month arithmetic only; off the read paths (test_read_paths)

            end = pendulum.Date(anchor.year, anchor.month, anchor.day).add(months=self.amount)
            end = date(end.year, end.month, end.day)
        if not MIN_DATE <= end <= MAX_DATE:
            raise _out_of_range(f"{anchor} + {self} = {end}")
        return end

    def before(self, anchor: date) -> date:
        """`anchor` - this term: a notice "30 days before 2025-05-01" is 2025-04-01."""
        if self.unit == "days":
            return anchor - timedelta(days=self.amount)
        import pendulum  # lazy: as in after()

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
        term = Term(amount * 7, "days")
    elif unit == "years":
        term = Term(amount * 12, "months")
    else:
        term = Term(amount, unit)
    limit = MAX_TERM_DAYS if term.unit == "days" else MAX_TERM_MONTHS
    if term.amount > limit:
        raise UsageError(
            f'{what} "{str(text).strip()}" is longer than any term corridor supports',
            f"{DATE_RANGE_HINT}; the longest term is {MAX_TERM_DAYS}d or {MAX_TERM_MONTHS}mo",
        )
    return term


def _out_of_range(shown: str, what: str = "the date") -> UsageError:
    return UsageError(f"{what} {shown} is outside the supported range", DATE_RANGE_HINT)


def check_date(day: date, *, what: str = "date") -> date:
    """`day` itself if it lies in the supported range (MIN_DATE..MAX_DATE), else a
    UsageError. Every date the tool accepts passes through here (parse_date, Term.after)."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise UsageError(f'{what} "{day}" is outside the supported range', DATE_RANGE_HINT)
    return day


def check_instant(instant: datetime, *, what: str = "--as-of", shown: str = "") -> datetime:
    """An aware instant if its UTC date lies in the supported range, else a UsageError that
    names it as `shown` (as typed). `parse_instant` calls it on `--as-of` given as an instant
    (README "Time rules")."""
    shown = f'"{shown or instant}"'
    if instant.tzinfo is None:
        raise UsageError(f"{what} {shown} has no UTC offset", "add Z or an offset")
    try:
        day = instant.astimezone(UTC).date()
    except OverflowError:
        raise _out_of_range(shown, what) from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise _out_of_range(shown, what)
    return instant


def parse_day_count(text: str, *, what: str = "--within", start: date | None = None) -> int:
    """A number of days (`30`) or a term (`90d`, `6mo`) counted from `start`, as `--within`
    takes it. Refuses a count longer than the supported range (UsageError); a window that
    starts inside the range and reaches past its end is cut at MAX_DATE."""
    raw = str(text).strip()
    if raw.isdigit():
        days = int(raw)
        if days > MAX_TERM_DAYS:
            raise UsageError(
                f'{what} "{raw}" is more days than corridor supports',
                f"{DATE_RANGE_HINT}; use at most {MAX_TERM_DAYS} days",
            )
    else:
        if start is None:
            raise UsageError(f'{what} "{raw}" is not a number of days', "for example 30 or 90d")
        term = parse_term(raw, what=what)
        try:
            return (term.after(start) - start).days
        except UsageError:  # reaches past MAX_DATE: cut there, as for a number of days
            return max(0, (MAX_DATE - start).days)
    if start is not None:
        # A window reaching past the supported range ends with it: nothing can be due later.
        days = min(days, max(0, (MAX_DATE - start).days))
    return days


def parse_date(text: str, *, what: str = "date") -> date:
    """Parse a strict YYYY-MM-DD date, rejecting impossible ones such as 2023-02-30."""
    if isinstance(text, date) and not isinstance(text, datetime):
        return check_date(text, what=what)
    m = _DATE.match(str(text))
    if not m:
        raise UsageError(
            f'{what} "{text}" is not a date in YYYY-MM-DD form', "for example 2023-07-10"
        )
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise UsageError(
            f'{what} "{text.strip()}" is not a real date ({exc})', "check the day and month"
        ) from None
    return check_date(day, what=what)


_INSTANT = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _timed(raw: str, what: str, example: str) -> datetime:
    """An ISO 8601 instant as typed (with `Z` or an offset; a bare time is refused: it would
    mean different instants to different readers), in the supported range."""
    try:
        value = datetime.fromisoformat(raw[:-1] + "+00:00" if raw[-1:] in "zZ" else raw)
    except ValueError:
        raise UsageError(
            f'{what} "{raw}" is not a date or an ISO 8601 instant', f"for example {example}"
        ) from None
    if value.tzinfo is None:
        raise UsageError(
            f'{what} "{raw}" has a time but no timezone',
            f"add Z for UTC or an offset, e.g. {raw}Z or {raw}+03:00",
        )
    parse_date(value.date().isoformat(), what=what)  # the same supported range as dates,
    return check_instant(value, what=what, shown=raw)  # as typed and in UTC


def parse_instant(text: str, tz: tzinfo, *, what: str = "--as-of") -> datetime:
    """A date or an instant, as an aware UTC datetime (docs/time.md).

    `2023-07-11` is the first instant of that day in `tz` (the reader's zone);
    `2023-07-11T04:30:00Z` and `2023-07-11T07:30+03:00` are instants. A time without `Z` or
    an offset is refused: it would mean different instants to different readers.
    """
    if not _INSTANT.match(str(text)):
        return day_start(parse_date(text, what=what), tz)
    example = "2023-07-11, 2023-07-11T04:30:00Z or 2023-07-11T07:30+03:00"
    return _timed(str(text).strip(), what, example).astimezone(UTC)


def parse_fact_time(text: str, *, what: str = "date") -> tuple[date, datetime | None]:
    """A fact's date, and its instant when the record gives a time (docs/time.md, "When a fact
    is known"): `2020-07-11` is a date only; `2020-07-11T15:05-04:00` is that instant, on the
    date written. A time without `Z` or an offset is refused."""
    if not _INSTANT.match(str(text)):
        return parse_date(text, what=what), None
    value = _timed(str(text).strip(), what, "2020-07-11 or 2020-07-11T15:05-04:00")
    return value.date(), value.astimezone(UTC)


def fact_text(day: date, at: datetime | None, tz: tzinfo) -> str:
    """How a fact's date is written back (export): the instant when the record gives one, in
    the authority's zone, or else in the whole-hour offset nearest UTC whose date is still the
    fact's day (so reading it back gives the same day and the same instant); else the date."""
    if at is None:
        return day.isoformat()
    local = at.astimezone(tz)
    if local.date() != day:
        offsets = sorted(range(-12, 15), key=lambda h: (abs(h), h))
        for hours in offsets:
            candidate = at.astimezone(timezone(timedelta(hours=hours)))
            if candidate.date() == day:
                local = candidate
                break
    return local.isoformat(timespec="seconds")


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
