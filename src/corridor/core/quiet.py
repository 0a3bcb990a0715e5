"""Until when an answer given at `at` stays the same (docs/alerts.md, "A quiet run is
remembered"). Pure: the rules that read the clock say when their answer can next change, and
the smallest of those instants bounds how long a quiet run may be remembered."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from corridor.core.terms import end_of_day

# However quiet the record, a memo is never trusted for longer than this: the next run after it
# plans in full.
LONGEST = timedelta(days=1)


class Until:
    """The earliest instant after `at` at which some rule's answer may change; starts at
    `at` + LONGEST, and only ever moves earlier."""

    def __init__(self, at: datetime):
        self.at = at
        self.value = at + LONGEST

    def at_most(self, instant: datetime | None) -> None:
        """A rule's answer may change at `instant`; instants at or before `at` change nothing
        said after `at` (the rule has already read them)."""
        if instant is not None and self.at < instant < self.value:
            self.value = instant


def next_midnight(at: datetime, tz: tzinfo) -> datetime:
    """The first instant of the day after `at`'s day in `tz` (UTC): when `at`'s date there
    changes."""
    return end_of_day(at.astimezone(tz).date(), tz)
