"""A crossing's whole history as known at an instant: periods, gaps, reviews, reports, failed
drafts, and what covers it now (the same Status as `corridor status`: corridor.services.reports).

As of T, an instrument is visible from its `known_at`, a review outcome from the first instant
of its decision day in the authority's zone, and a draft from the reader's date of its vote
(docs/time.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from corridor.core.coverage import local_today
from corridor.core.terms import day_start, zone
from corridor.db.sql import reader
from corridor.services.reports import Status, status

Day = date  # a field named `date` shadows the type inside a class body


@dataclass
class Entry:
    date: Day
    kind: str  # period | gap | review | report | event
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
    now = status(db, at=at, tz=tz, crossing_ids=[crossing_id])[0]
    entries = _periods_and_gaps(db, crossing_id, at)
    entries += _reviews_and_reports(db, crossing_id, at)
    entries += _events(db, crossing_id, local_today(at, tz))
    order = {"period": 0, "gap": 1, "review": 2, "report": 3, "event": 4}
    entries.sort(key=lambda e: (e.date, order[e.kind]))
    return History(
        x.slug, x.name, (x.country_a, x.country_b), aliases, x.lat, x.lon, x.notes, now, entries
    )


def _decided(row, at: datetime) -> bool:
    """The review's outcome is known at `at`: decided, from the start of the decision day."""
    if row.decided_on is None:
        return False
    return day_start(row.decided_on, zone(row.timezone)) <= at


def _periods_and_gaps(db, crossing_id: int, at: datetime) -> list[Entry]:
    rows = db.rows(
        "SELECT p.start_date, p.end_date, p.ends_at, p.stated, i.symbol, i.known_from, i.adopted,"
        " i.relation, i.timezone, i.unconfirmed, r.review_date, r.outcome, r.decided_on"
        " FROM periods p JOIN period_crossings pc ON pc.period_id = p.id"
        " JOIN instruments i ON i.id = p.instrument_id"
        " LEFT JOIN reviews r ON r.id = p.conditional_review_id"
        " WHERE pc.crossing_id = :cid AND i.known_at <= :at"
        " ORDER BY p.start_date, p.end_date, i.symbol",
        cid=crossing_id,
        at=at,
    )
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
        if applies and covered_until is not None and ended_at is not None:
            gap = _gap(covered_until, ended_at.astimezone(zone(ended_tz)), row)
            if gap:
                out.append(gap)
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
                },
            )
        )
        if applies and (covered_until is None or row.end_date > covered_until):
            covered_until, ended_at, ended_tz = row.end_date, row.ends_at, row.timezone
    return out


def _gap(covered_until: date, ended_at: datetime, row) -> Entry | None:
    first_uncovered = covered_until + timedelta(days=1)
    adopted = row.known_from
    if row.start_date > first_uncovered:
        last_uncovered = row.start_date - timedelta(days=1)
        days = (row.start_date - first_uncovered).days
        span = (
            f"on {first_uncovered}" if days == 1 else f"from {first_uncovered} to {last_uncovered}"
        )
        return Entry(
            first_uncovered,
            "gap",
            f"gap: no authority {span} ({days} day{'s' * (days != 1)})",
            until=last_uncovered,
        )
    if row.start_date == first_uncovered and adopted > covered_until:
        return Entry(
            first_uncovered,
            "gap",
            f"gap: authority lapsed at {ended_at:%Y-%m-%d %H:%M %Z}; {row.symbol} "
            f"was adopted later that day, on {adopted}",
            until=adopted,
        )
    if row.start_date < first_uncovered and adopted > covered_until:
        return Entry(
            first_uncovered,
            "gap",
            f"gap: no authority from {first_uncovered} until {row.symbol} was adopted on {adopted}",
            until=adopted,
        )
    return None


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
