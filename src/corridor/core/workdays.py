"""Working days: which days an authority or a country does not work, so that reports can flag
a deadline that falls on one (docs/records.md, "Working days").

Flag only: a legal date never moves. "until 11 January" on a Sunday still ends at midnight at
the end of that Sunday; the flag says that whoever must act will likely do so on the last
working day before it (the idea of remind's OMIT: skip the days off when looking for the day
to act, without changing the date itself).

The shipped defaults are data (DEFAULTS, each with its source); the record adds holidays and
may replace a weekend (the `calendars:` section of the format). Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from corridor.core.vocab import WEEKDAYS

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Calendar:
    applies_to: str  # an authority, as recorded, or a country's ISO 3166-1 alpha-2 code
    weekend: tuple[str, ...]  # WEEKDAYS abbreviations, e.g. ("Fri", "Sat")
    source: str | None = None
    holidays: Mapping[date, str] = field(default_factory=dict)

    def off(self, day: date) -> tuple[str, str | None] | None:
        """("weekend", None) or ("holiday", its name) if `day` is not a working day."""
        if day in self.holidays:
            return "holiday", self.holidays[day]
        if WEEKDAYS[day.weekday()] in self.weekend:
            return "weekend", None
        return None

    def last_working_day(self, day: date) -> date | None:
        """The last working day before `day` (within a month; None if there is none)."""
        for back in range(1, 32):
            before = day - timedelta(days=back)
            if self.off(before) is None:
                return before
        return None


# The shipped defaults. The record's `calendars:` entries replace a weekend and add holidays.
DEFAULTS: dict[str, tuple[tuple[str, ...], str]] = {
    "UN Security Council": (
        ("Sat", "Sun"),
        "UN Headquarters, New York: the working week is Monday to Friday; the Council "
        "rarely meets at weekends (docs/records.md, Working days)",
    ),
    "SY": (
        ("Fri", "Sat"),
        "Syria: the official weekend of state institutions is Friday and Saturday "
        "(docs/records.md, Working days)",
    ),
    "TR": (
        ("Sat", "Sun"),
        "Türkiye: public offices work Monday to Friday (docs/records.md, Working days)",
    ),
}
# Authorities whose working days are their country's, before the record says otherwise.
AUTHORITY_COUNTRY: dict[str, str] = {
    "Government of the Syrian Arab Republic": "SY",
    "Government of Türkiye": "TR",
    "Government of Turkey": "TR",
}


def calendars(recorded: Iterable[Calendar] = ()) -> dict[str, Calendar]:
    """The defaults, overlaid by the record's calendars (keyed by name, case-insensitively)."""
    out = {
        key.casefold(): Calendar(key, weekend, source)
        for key, (weekend, source) in DEFAULTS.items()
    }
    for cal in recorded:
        base = out.get(cal.applies_to.casefold())
        weekend = cal.weekend or (base.weekend if base else ())
        holidays = {**(base.holidays if base else {}), **cal.holidays}
        source = cal.source or (base.source if base else None)
        out[cal.applies_to.casefold()] = Calendar(cal.applies_to, weekend, source, holidays)
    return out


@dataclass(frozen=True)
class NonWorking:
    day: str  # "Sunday"
    calendar: str  # whose calendar: an authority or a country code
    reason: str  # weekend | holiday
    holiday: str | None
    last_working_day: date | None
    note: str


def governing(
    known: Mapping[str, Calendar], authority: str, countries: Iterable[str]
) -> list[Calendar]:
    """The calendars that govern a deadline: its authority's (directly, or through the
    authority's country); failing that, those of the countries of its crossings."""
    own = known.get(authority.casefold())
    if own is None and authority in AUTHORITY_COUNTRY:
        own = known.get(AUTHORITY_COUNTRY[authority].casefold())
    if own is not None:
        return [own]
    seen = dict.fromkeys(countries)
    return [known[c.casefold()] for c in seen if c.casefold() in known]


def non_working(day: date, governing_calendars: Iterable[Calendar]) -> NonWorking | None:
    """Whether `day` is a day off for whoever must act, and what to say about it."""
    for cal in governing_calendars:
        off = cal.off(day)
        if off is None:
            continue
        reason, holiday = off
        weekday = DAY_NAMES[day.weekday()]
        before = cal.last_working_day(day)
        who = cal.applies_to
        why = f"holiday, {holiday}" if holiday else f"weekend {'-'.join(cal.weekend)}"
        note = f"{weekday} is not a working day ({who}: {why})"
        if before is not None:
            note += f"; the last working day before it is {DAY_NAMES[before.weekday()]} {before}"
        return NonWorking(weekday, who, reason, holiday, before, note)
    return None
