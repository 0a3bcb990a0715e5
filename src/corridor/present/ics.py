"""The iCalendar feed (RFC 5545): one all-day event per deadline (docs/sharing.md).

Import this module only on the `--format ics` paths: it imports `icalendar`, which the read
paths must not load (tests/test_read_paths.py).

Rules that make the feed safe to subscribe to:
- UID is the deadline's `uid` from the JSON contract (README, "JSON output"), so re-importing
  never duplicates an event and a corrected date moves the event instead of adding one;
- SEQUENCE and LAST-MODIFIED come from the audit trail (services.calendar), never the clock;
  DTSTAMP is the only value that changes between two exports of the same record;
- all-day DTSTART on the authority's date, DTEND the day after (exclusive);
- the summary and the date carry the message on their own: subscribed calendars often drop
  the VALARMs (Google ignores them, Apple strips them by default, Outlook keeps one);
- only deadlines not yet past (days_left >= 0 as of the export's day) carry VALARMs: a client
  subscribing to years of history would otherwise pop up every old alarm as "missed";
- a deadline that no longer falls (`cancelled`: renewed, decided, refused, objected,
  terminated; services.calendar) is published with STATUS:CANCELLED, no VALARM and a SEQUENCE
  one higher than the live event had, so a client that imported it replaces it and stops
  reminding (RFC 5546 3.2.5: a higher SEQUENCE wins).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard, vText

from corridor.core.links import first_url
from corridor.core.terms import zone
from corridor.present.safe import safe

# The alert thresholds, in days before the deadline (docs/sharing.md).
DEFAULT_THRESHOLDS = (90, 60, 30, 14, 7, 3, 1, 0)
ALARM_HOUR = 9  # alarms fire at 09:00 (the calendar's own zone), N days before the date
REFRESH = timedelta(hours=6)
PRODID = "-//corridor//corridor deadlines//EN"

_KIND_WORDS = {"resolution": "authorization", "consent": "consent", "agreement": "agreement"}
_SHORT_AUTHORITY = {"UN Security Council": "UNSC", "United Nations Security Council": "UNSC"}


def short_symbol(symbol: str) -> str:
    """`S/RES/2642 (2022)` -> `S/RES/2642`: a trailing year in parentheses goes; anything
    else (a consent's "(to 2024-07-13)") tells instruments apart and stays."""
    head, sep, tail = symbol.rpartition(" (")
    return head if sep and head and re.fullmatch(r"\d{4}\)", tail) else symbol


def summary(d, facts) -> str:
    """E.g. "Bab al-Hawa: UNSC authorization expires (S/RES/2642)"."""
    where = ", ".join(d.crossings)
    what = _what(d, facts)
    mark = " [unconfirmed]" if getattr(d, "unconfirmed", False) else ""
    return f"{where}: {what} ({short_symbol(d.instrument)}){mark}"


def _what(d, facts) -> str:
    kind = facts.kind if facts else "resolution"
    authority = facts.authority if facts else ""
    if kind == "resolution":
        thing = f"{_SHORT_AUTHORITY.get(authority, authority)} authorization".strip()
    else:
        thing = _KIND_WORDS.get(kind, kind)
    if d.kind == "expiry":
        return f"{thing} expires" + (", if extended" if _pending_extension(d) else "")
    if d.kind == "review":
        return f"{thing} review point"
    if d.kind == "notice":
        return f"last day to object to the {thing}'s automatic renewal"
    return "report due"


def _pending_extension(d) -> bool:
    return d.conditional and d.note.endswith("if granted")


def description(d, facts, sides) -> str:
    tz_name = d.authority_timezone
    local = d.due_at.astimezone(zone(tz_name))
    lines = [d.note[:1].upper() + d.note[1:] + "." if d.note else ""]
    lines.append(
        f"Ends at midnight at the end of {d.date} in {tz_name} "
        f"({local:%Y-%m-%d %H:%M %Z}), that is {d.due_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
    )
    lines.append(_then(d))
    if getattr(d, "unconfirmed", False):  # an inferred step (docs/time.md)
        lines.append(f"Unconfirmed: {d.unconfirmed_reason}")
    places = []
    for slug, name in zip(d.slugs, d.crossings, strict=False):
        side = sides.get(slug)
        places.append(f"{name} ({'/'.join(side.countries)})" if side else name)
    lines.append(("Crossings: " if len(places) > 1 else "Crossing: ") + ", ".join(places))
    if facts:
        lines.append(f"Instrument: {d.instrument}, {facts.authority} ({facts.kind})")
        if facts.source or facts.source_url:
            lines.append("Source: " + " ".join(x for x in (facts.source, facts.source_url) if x))
        for link in facts.links:  # corridor.core.links: the official copies
            if link.url != facts.source_url:
                lines.append(f"Link: {link.url}" + (" (derived)" if link.derived else ""))
    else:
        lines.append(f"Instrument: {d.instrument}")
    return "\n".join(line for line in lines if line)


def _then(d) -> str:
    if d.kind == "expiry":
        if _pending_extension(d):
            return (
                "Then: the extension ends, if it was granted at the review; "
                "check `corridor status` for the decision."
            )
        return (
            "Then: unless renewed or replaced before that instant, this authority no longer "
            "covers deliveries through the crossing."
        )
    if d.kind == "review":
        return "Then: the review decides whether the authorization continues."
    if d.kind == "notice":
        return "Then: without an objection by that day, the automatic renewal goes ahead."
    return "Then: the report is due."


def calendar(
    deadlines,
    facts: dict,
    sides: dict,
    *,
    now: datetime,
    name: str = "corridor deadlines",
    thresholds=DEFAULT_THRESHOLDS,
    extra: bytes = b"",
) -> bytes:
    """The feed as bytes (CRLF line ends, folded at 75 octets, as RFC 5545 requires)."""
    deadlines = list(deadlines)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add(
        "x-wr-caldesc",
        "Deadlines of the authorizations for humanitarian cross-border crossings, from corridor.",
    )
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vText("PT6H"))
    stamp = now.astimezone(UTC).replace(microsecond=0)
    # Each event is serialized on its own and dropped, so memory does not grow with the
    # record (one Calendar holding every event took ~250 MB for 9 000 deadlines).
    if not deadlines:
        cal.add_component(_utc_zone())  # RFC 5545 wants one component: an empty feed stays valid
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    events = (
        _event(d, facts.get(d.instrument), sides, stamp, thresholds).to_ical()
        for d in sorted(deadlines, key=lambda d: (d.date, d.uid))
    )
    return b"".join([head, *events, extra, b"END:VCALENDAR", end])  # extra: --include-plans


# Why a deadline no longer falls, as the event's description says it (services.calendar).
CANCELLED = {
    "renewed": "Cancelled: renewed; the coverage continues past this end",
    "decided": "Cancelled: the review was decided",
    "refused": "Cancelled: the extension was not granted at its review",
    "objected": "Cancelled: a party objected; no automatic renewal",
    "terminated": "Cancelled: the instrument was terminated before this date",
}


def _cancelled(d) -> str | None:
    """Why `d` no longer falls, or None (a plain upcoming Deadline has no such field)."""
    return getattr(d, "cancelled", None)


def sequence(facts, cancelled: str | None) -> int:
    """The event's SEQUENCE: the instrument's recorded changes, plus one once the deadline
    is cancelled, so the cancellation outranks the live event a client already holds."""
    base = facts.sequence if facts else 0
    return base + 1 if cancelled else base


def _utc_zone():
    """A VTIMEZONE for UTC: the one component of a feed with no deadline. RFC 5545 requires at
    least one; this one means nothing to a client and shows nothing."""
    zone = Timezone()
    zone.add("tzid", "UTC")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    zone.add_component(standard)
    return zone


def _event(d, facts, sides, stamp: datetime, thresholds) -> Event:
    ev = Event()
    ev.add("uid", d.uid)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", d.date)
    ev.add("dtend", d.date + timedelta(days=1))
    # Stored text is escaped (present.safe): RFC 5545 text holds no control characters either.
    ev.add("summary", safe(summary(d, facts), newlines=False))
    why = _cancelled(d)
    text = description(d, facts, sides)
    ev.add("description", safe(f"{CANCELLED[why]}.\n{text}" if why else text))
    ev.add("sequence", sequence(facts, why))
    if facts and facts.last_modified:
        ev.add("last-modified", facts.last_modified.astimezone(UTC).replace(microsecond=0))
    url = first_url(facts.links) if facts else None
    if url:  # the record's source_url wins, else the first derived link (http(s) only)
        ev.add("url", url)
    ev.add("categories", [d.kind])
    ev.add("transp", "TRANSPARENT")
    ev.add("status", "CANCELLED" if why else "TENTATIVE" if _pending_extension(d) else "CONFIRMED")
    ev.add("class", "PUBLIC")
    # A past deadline gets no alarm (clients would show them as missed), nor a cancelled one.
    if d.days_left >= 0 and not why:
        text = summary(d, facts)
        for days in sorted(set(thresholds), reverse=True):
            ev.add_component(_alarm(d.date, days, text))
    return ev


def _alarm(day: date, days: int, text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
    alarm.add("description", safe(f"{when}: {text}", newlines=False))
    # Relative to DTSTART (midnight at the start of the date): 09:00, `days` days before.
    alarm.add("trigger", timedelta(days=-days, hours=ALARM_HOUR))
    return alarm
