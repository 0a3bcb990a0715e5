"""Flagging deadlines that fall on a non-working day (corridor.core.workdays; docs/records.md,
"Working days"). Plain SQL: `upcoming` is a read path."""

from __future__ import annotations

from datetime import date

from corridor.core import workdays
from corridor.db.sql import ReadConn, reader


def recorded_calendars(conn: ReadConn) -> list[workdays.Calendar]:
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


def flag_non_working(conn: ReadConn, deadlines: list) -> list:
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
    # The countries of every crossing a deadline's uid covers, not only those shown: the flag
    # is the deadline's own, the same whatever --crossing filter chose the rows.
    countries: dict[str, list[str]] = {}
    for r in db.rows(
        "SELECT DISTINCT d.uid, c.name, c.slug, cc.position, cc.code FROM deadlines d"
        " JOIN instruments i ON i.id = d.instrument_id"
        " JOIN crossings c ON c.id = d.crossing_id"
        " JOIN crossing_countries cc ON cc.crossing_id = d.crossing_id"
        " WHERE i.symbol IN :s ORDER BY d.uid, c.name, c.slug, cc.position",
        s=symbols,
    ):
        countries.setdefault(r.uid, []).append(r.code)
    for d in deadlines:
        cals = workdays.governing(known, authority.get(d.instrument, ""), countries.get(d.uid, []))
        d.non_working = workdays.non_working(d.date, cals)
    return deadlines
