"""A crossing's whole history as known at an instant: periods, gaps, reviews, reports, failed
drafts, and what covers it now (the same Status as `corridor status`: corridor.services.reports).

As of T, an instrument is visible from its `known_at`, a review outcome from the first instant
of its decision day in the authority's zone, and a draft from the reader's date of its vote
(docs/time.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from corridor.core.coverage import hole_before, local_today
from corridor.core.terms import day_start, zone
from corridor.db.lookup import crossing_countries
from corridor.db.sql import reader
from corridor.services.reports import Status, status

Day = date  # a field named `date` shadows the type inside a class body


@dataclass
class Entry:
    date: Day
    kind: str  # period | gap | review | report | event | renewal | objection | termination
    # | unknown
    text: str
    instrument: str | None = None
    until: Day | None = None
    detail: dict = field(default_factory=dict)


@dataclass
class History:
    slug: str
    name: str
    countries: tuple[str, ...]
    aliases: list[str]
    lat: float | None
    lon: float | None
    notes: str | None
    now: Status
    entries: list[Entry]
    kind: str = "land"


def crossing_history(conn, crossing_id: int, *, at: datetime, tz: tzinfo) -> History:
    db = reader(conn)
    x = db.first("SELECT * FROM crossings WHERE id = :id", id=crossing_id)
    aliases = [
        r.alias
        for r in db.rows(
            "SELECT alias FROM crossing_aliases WHERE crossing_id = :id ORDER BY position, id",
            id=crossing_id,
        )
    ]
    countries = crossing_countries(db, crossing_id)
    now = status(db, at=at, tz=tz, crossing_ids=[crossing_id])[0]
    entries = _periods_and_gaps(db, crossing_id, at)
    entries += _reviews_and_reports(db, crossing_id, at)
    entries += _events(db, crossing_id, local_today(at, tz))
    entries += _shapes(db, crossing_id, at)
    entries = _unknown_spans(db, crossing_id, entries)
    order = {
        "period": 0,
        "renewal": 1,
        "gap": 2,
        "unknown": 3,
        "review": 4,
        "objection": 5,
        "termination": 6,
        "report": 7,
        "event": 8,
    }
    entries.sort(key=lambda e: (e.date, order[e.kind]))
    return History(x.slug, x.name, countries, aliases, x.lat, x.lon, x.notes, now, entries, x.kind)


def _decided(row, at: datetime) -> bool:
    """The review's outcome is known at `at`: decided, from the start of the decision day."""
    if row.decided_on is None:
        return False
    return day_start(row.decided_on, zone(row.timezone)) <= at


def _periods_and_gaps(db, crossing_id: int, at: datetime) -> list[Entry]:
    rows = db.rows(
        "SELECT p.id, p.start_date, p.end_date, p.ends_at, p.stated, i.symbol, i.known_from,"
        " i.known_at, i.adopted, i.relation, i.timezone, i.unconfirmed, r.review_date, r.outcome,"
        " r.decided_on, p.auto_renews"
        " FROM periods p JOIN period_crossings pc ON pc.period_id = p.id"
        " JOIN instruments i ON i.id = p.instrument_id"
        " LEFT JOIN reviews r ON r.id = p.conditional_review_id"
        " WHERE pc.crossing_id = :cid AND i.known_at <= :at"
        " ORDER BY p.start_date, p.end_date, i.symbol",
        cid=crossing_id,
        at=at,
    )
    # The last day each period covers the crossing as known at T, from the derived coverage:
    # an automatic renewal carries it on, a termination known at T cuts it short, a disputed
    # end is the earliest (corridor.core.derive).
    reach = {
        r.period_id: r
        for r in db.rows(
            "SELECT period_id, MAX(end_date) AS end_date, MAX(ends_at) AS ends_at FROM coverage"
            " WHERE crossing_id = :cid AND known_at <= :at"
            " AND (void_at IS NULL OR void_at > :at) GROUP BY period_id",
            cid=crossing_id,
            at=at,
        )
    }
    disputes: dict[int, list] = {}
    for a in db.rows(
        "SELECT pe.period_id, pe.end_date, pe.source FROM period_ends pe"
        " JOIN period_crossings pc ON pc.period_id = pe.period_id"
        " WHERE pc.crossing_id = :cid ORDER BY pe.end_date",
        cid=crossing_id,
    ):
        disputes.setdefault(a.period_id, []).append(a)
    out: list[Entry] = []
    covered_until: date | None = None
    ended_at: datetime | None = None
    ended_tz = "UTC"
    for row in rows:
        conditional = row.review_date is not None
        decided = conditional and _decided(row, at)
        applies = not conditional or (decided and row.outcome == "extended")
        adopted = f"adopted {row.adopted}" if row.adopted else "announcement date unknown"
        text = f"{row.symbol} ({adopted}): {row.start_date} to {row.end_date}"
        if row.stated:
            text += f' ("{row.stated}")'
        if conditional and not decided:
            text += f" [conditional on the {row.review_date} review: pending]"
        elif conditional:
            text += f" [{row.outcome.replace('_', ' ')} at the {row.review_date} review]"
        if row.unconfirmed:
            text += " [partly unconfirmed]"
        alternatives = disputes.get(row.id, [])
        if alternatives:
            text += (
                " [end disputed: also "
                + "; ".join(f"{a.end_date} ({a.source})" for a in alternatives)
                + "; the earliest is used]"
            )
        if row.auto_renews:
            text += " [renews automatically unless a party objects]"
        if applies and covered_until is not None and ended_at is not None:
            out += _gaps(covered_until, ended_at.astimezone(zone(ended_tz)), row)
        out.append(
            Entry(
                row.start_date,
                "period",
                text,
                row.symbol,
                row.end_date,
                {
                    "applies": applies,
                    "stated": row.stated,
                    "adopted": row.adopted,
                    "unconfirmed": row.unconfirmed,
                    "disputed_ends": [
                        {"until": a.end_date, "source": a.source} for a in alternatives
                    ],
                },
            )
        )
        last_day, last_at = row.end_date, row.ends_at
        derived = reach.get(row.id)
        if applies and derived is not None and derived.end_date is not None:
            last_day, last_at = derived.end_date, derived.ends_at
        if applies and (covered_until is None or last_day > covered_until):
            covered_until, ended_at, ended_tz = last_day, last_at, row.timezone
    return out


def adopted_time(known_at: datetime | None, tz_name: str, adopted: date | None) -> datetime | None:
    """The instant of adoption in the authority's zone, when the record gives one (a Council
    resolution's meeting time): a known instant inside the adoption day, not at a midnight.
    None for a fact known only by its date."""
    if known_at is None or adopted is None:
        return None
    local = known_at.astimezone(zone(tz_name))
    return local if local.date() == adopted and local.time() != time(0) else None


def _gaps(covered_until: date, ended_at: datetime, row) -> list[Entry]:
    """The gaps before `row` (corridor.core.coverage.hole_before), told as history: days with
    no authority, then, when the period was adopted after it started, the hole in what was
    known from its start until its adoption (kept even after a gap or an unknown span)."""
    hole = hole_before(covered_until, row.start_date, row.known_from, row.adopted)
    if hole is None:
        return []
    if hole.until_adopted:
        return [_adoption_gap(hole.first, ended_at, row, lapsed=True)]
    first_uncovered, last_uncovered = hole.first, hole.last
    days = (row.start_date - first_uncovered).days
    span = f"on {first_uncovered}" if days == 1 else f"from {first_uncovered} to {last_uncovered}"
    out = [
        Entry(
            first_uncovered,
            "gap",
            f"gap: no authority {span} ({days} day{'s' * (days != 1)})",
            until=last_uncovered,
        )
    ]
    late = hole_before(
        row.start_date - timedelta(days=1), row.start_date, row.known_from, row.adopted
    )
    if late is not None:
        out.append(_adoption_gap(late.first, ended_at, row, lapsed=False))
    return out


def _adoption_gap(first: date, ended_at: datetime, row, *, lapsed: bool) -> Entry:
    """No authority from the start of `first` until `row` was adopted: `lapsed` when the
    authority before it ended at that start (else a gap of whole days came first)."""
    adopted = row.known_from
    at = adopted_time(row.known_at, row.timezone, row.adopted)
    if at is not None:
        start = day_start(first, zone(row.timezone))
        to = f"{at:%H:%M %Z}" if at.date() == first else f"{at:%Y-%m-%d %H:%M %Z}"
        text = (
            f"gap: no authority from {start:%Y-%m-%d %H:%M} to {to}; {row.symbol} was adopted then"
        )
        if at.date() != row.start_date:
            text += f" and covers it back to {row.start_date}"
    elif row.start_date == first and lapsed:
        text = f"gap: authority lapsed at {ended_at:%Y-%m-%d %H:%M %Z}; {row.symbol} " + (
            f"was adopted later that day, on {adopted}"
            if adopted == first
            else f"was adopted on {adopted} and covers it back to {row.start_date}"
        )
    elif row.start_date == first and adopted == first:
        text = (
            f"gap: no authority from the start of {first} until {row.symbol} was adopted "
            "later that day"
        )
    else:
        text = f"gap: no authority from {first} until {row.symbol} was adopted on {adopted}"
        if row.start_date == first:
            text += f" and covers it back to {first}"
    return Entry(first, "gap", text, until=adopted)


# The instruments that ever covered the crossing.
_SCOPE = "SELECT DISTINCT instrument_id FROM deadlines WHERE crossing_id = :cid"


def _reviews_and_reports(db, crossing_id: int, at: datetime) -> list[Entry]:
    out = []
    for row in db.rows(
        "SELECT r.review_date, r.condition, r.outcome, r.decided_on, r.decided_by, i.symbol,"
        " i.timezone FROM reviews r JOIN instruments i ON i.id = r.instrument_id"
        f" WHERE r.instrument_id IN ({_SCOPE}) AND i.known_at <= :at"
        " ORDER BY r.review_date, i.symbol",
        cid=crossing_id,
        at=at,
    ):
        decided = _decided(row, at)
        outcome = row.outcome.replace("_", " ") if decided else "pending"
        text = f"{row.symbol} review: {row.condition or 'review point'} - {outcome}"
        if decided:
            text += f" (decided {row.decided_on}" + (
                f"; {row.decided_by})" if row.decided_by else ")"
            )
        out.append(
            Entry(
                row.review_date,
                "review",
                text,
                row.symbol,
                detail={"outcome": outcome, "decided_on": row.decided_on if decided else None},
            )
        )
    for row in db.rows(
        "SELECT rp.due_date, rp.description, i.symbol FROM reports rp"
        " JOIN instruments i ON i.id = rp.instrument_id"
        f" WHERE rp.instrument_id IN ({_SCOPE}) AND i.known_at <= :at"
        " ORDER BY rp.due_date, i.symbol",
        cid=crossing_id,
        at=at,
    ):
        out.append(
            Entry(row.due_date, "report", f"{row.symbol}: {row.description} due", row.symbol)
        )
    return out


def _events(db, crossing_id: int, as_of: date) -> list[Entry]:
    return [
        Entry(
            row.event_date,
            "event",
            f"{row.kind} draft: {row.title}" + (f" ({row.vote})" if row.vote else ""),
            detail={"outcome": row.kind, "vote": row.vote},
        )
        for row in db.rows(
            "SELECT e.event_date, e.kind, e.title, e.vote FROM events e"
            " JOIN event_crossings ec ON ec.event_id = e.id"
            " WHERE ec.crossing_id = :cid AND e.event_date <= :as_of"
            " ORDER BY e.event_date, e.title",
            cid=crossing_id,
            as_of=as_of,
        )
    ]


def _shapes(db, crossing_id: int, at: datetime) -> list[Entry]:
    """Automatic renewals that took place, objections and terminations, as known at `at`
    (corridor.core.derive decides the renewal terms; their coverage rows say when each is
    known)."""
    out = []
    for row in db.rows(
        "SELECT cv.start_date, cv.end_date, cv.origin, i.symbol FROM coverage cv"
        " JOIN instruments i ON i.id = cv.instrument_id"
        " WHERE cv.crossing_id = :cid AND cv.origin IN ('renewal', 'renewal-cut')"
        " AND cv.known_at <= :at"
        " AND (cv.void_at IS NULL OR cv.void_at > :at) ORDER BY cv.start_date",
        cid=crossing_id,
        at=at,
    ):
        out.append(
            Entry(
                row.start_date,
                "renewal",
                f"{row.symbol}: renewed automatically, {row.start_date} to {row.end_date}"
                + (" (cut short by its termination)" if row.origin == "renewal-cut" else ""),
                row.symbol,
                row.end_date,
            )
        )
    for row in db.rows(
        "SELECT o.notified_on, o.party, o.source, i.symbol, i.timezone FROM objections o"
        " JOIN periods p ON p.id = o.period_id JOIN instruments i ON i.id = p.instrument_id"
        " JOIN period_crossings pc ON pc.period_id = p.id"
        " WHERE pc.crossing_id = :cid AND i.known_at <= :at ORDER BY o.notified_on, o.party",
        cid=crossing_id,
        at=at,
    ):
        if day_start(row.notified_on, zone(row.timezone)) > at:
            continue
        text = f"{row.symbol}: {row.party} objected to the automatic renewal"
        out.append(
            Entry(
                row.notified_on,
                "objection",
                text + (f" (source: {row.source})" if row.source else ""),
                row.symbol,
                detail={"by": row.party, "source": row.source},
            )
        )
    for row in db.rows(
        "SELECT DISTINCT i.symbol, i.timezone, i.terminated_effective, i.terminated_known,"
        " i.terminated_by, i.terminated_source FROM instruments i"
        f" WHERE i.id IN ({_SCOPE}) AND i.terminated_effective IS NOT NULL AND i.known_at <= :at",
        cid=crossing_id,
        at=at,
    ):
        if day_start(row.terminated_known, zone(row.timezone)) > at:
            continue
        by = f" by {row.terminated_by}" if row.terminated_by else ""
        text = (
            f"{row.symbol}: terminated{by} with effect from {row.terminated_effective}"
            f" (known {row.terminated_known})"
        )
        out.append(
            Entry(
                row.terminated_known,
                "termination",
                text + (f"; source: {row.terminated_source}" if row.terminated_source else ""),
                row.symbol,
                detail={
                    "effective": row.terminated_effective,
                    "known": row.terminated_known,
                    "by": row.terminated_by,
                    "source": row.terminated_source,
                },
            )
        )
    return out


def _unknown_spans(db, crossing_id: int, entries: list[Entry]) -> list[Entry]:
    """Add the spans marked unknown; a gap that falls inside one is not a gap but unknown."""
    spans = db.rows(
        "SELECT start_date, end_date, note, source FROM unknown_spans"
        " WHERE crossing_id = :cid ORDER BY start_date",
        cid=crossing_id,
    )
    if not spans:
        return entries

    def inside(e: Entry) -> bool:
        last = e.until or e.date
        return any(s.start_date <= e.date and last <= s.end_date for s in spans)

    out = [e for e in entries if not (e.kind == "gap" and inside(e))]
    for s in spans:
        text = f"unknown (no source) from {s.start_date} to {s.end_date}"
        text += f": {s.note}" if s.note else ""
        text += f" (source: {s.source})" if s.source else ""
        out.append(
            Entry(s.start_date, "unknown", text, until=s.end_date, detail={"source": s.source})
        )
    return out
