"""Flagging deadlines that fall on a non-working day (corridor.core.workdays; docs/records.md,
"Working days"). Plain SQL: `upcoming` is a read path."""

from __future__ import annotations

from datetime import date

from corridor.core import workdays
from corridor.db.sql import reader


def recorded_calendars(conn) -> list[workdays.Calendar]:
    db = reader(conn)
    holidays: dict[int, dict[date, str]] = {}
    for r in db.rows("SELECT calendar_id, day, name FROM calendar_holidays"):
        day = date.fromisoformat(r.day) if isinstance(r.day, str) else r.day
        holidays.setdefault(r.calendar_id, {})[day] = r.name
    return [
        workdays.Calendar(
            r.applies_to,
            tuple(x for x in (r.weekend or "").split(",") if x),
            r.source,
            holidays.get(r.id, {}),
        )
        for r in db.rows("SELECT id, applies_to, weekend, source FROM calendars ORDER BY id")
    ]


def flag_non_working(conn, deadlines: list) -> list:
    """Set `non_working` on each deadline (a corridor.services.reports.Deadline) that falls on
    a day off for whoever must act; return the list. The dates are not changed."""
    if not deadlines:
        return deadlines
    db = reader(conn)
    known = workdays.calendars(recorded_calendars(db))
    symbols = sorted({d.instrument for d in deadlines})
    authority = {
        r.symbol: r.authority
        for r in db.rows("SELECT symbol, authority FROM instruments WHERE symbol IN :s", s=symbols)
    }
    ids = sorted({i for d in deadlines for i in d.crossing_ids})
    countries: dict[int, list[str]] = {}
    for r in db.rows(
        "SELECT crossing_id, code FROM crossing_countries WHERE crossing_id IN :ids"
        " ORDER BY crossing_id, position",
        ids=ids,
    ):
        countries.setdefault(r.crossing_id, []).append(r.code)
    for d in deadlines:
        codes = [c for i in d.crossing_ids for c in countries.get(i, [])]
        cals = workdays.governing(known, authority.get(d.instrument, ""), codes)
        d.non_working = workdays.non_working(d.date, cals)
    return deadlines
