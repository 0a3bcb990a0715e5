"""A crossing's whole history as known at an instant: periods, gaps, reviews, reports, failed
drafts, and what covers it now (the same Status as `corridor status`: corridor.services.reports).

As of T and known at K (default T), every fact is visible from its known instant: an
instrument from its `known_at`, a review outcome, an objection, a termination or a draft from
the instant the record gives, else the end of its day in its authority's zone (docs/time.md;
corridor.core.coverage.fact_known_at)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from corridor.core.coverage import DRAFT_ZONE, fact_known_at, hole_before, known, known_sql
from corridor.core.terms import day_start, zone
from corridor.db.lookup import crossing_countries
from corridor.db.sql import ReadConn, reader
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


def crossing_history(
    conn: ReadConn, crossing_id: int, *, at: datetime, tz: tzinfo, known_at: datetime | None = None
) -> History:
    k = at if known_at is None else known_at
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
    now = status(db, at=at, tz=tz, crossing_ids=[crossing_id], known_at=k)[0]
    entries = _periods_and_gaps(db, crossing_id, k)
    entries += _reviews_and_reports(db, crossing_id, k)
    entries += _events(db, crossing_id, k)
    entries += _shapes(db, crossing_id, k)
    entries = _unknown_spans(db, crossing_id, entries, k)
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


def _decided(row, k: datetime) -> bool:
    """The review's outcome is known at K (from its decision's known instant)."""
    if row.decided_on is None:
        return False
    return known(fact_known_at(row.decided_on, zone(row.timezone), row.decided_at), k)


def _periods_and_gaps(db, crossing_id: int, at: datetime) -> list[Entry]:
    rows = db.rows(
        "SELECT p.id, p.start_date, p.end_date, p.ends_at, p.stated, i.symbol, i.known_from,"
        " i.adopted, i.relation, i.timezone, i.unconfirmed, r.review_date, r.outcome,"
        " r.decided_on, r.decided_at, p.auto_renews, i.known_at"
        " FROM periods p JOIN period_crossings pc ON pc.period_id = p.id"
        " JOIN instruments i ON i.id = p.instrument_id"
        " LEFT JOIN reviews r ON r.id = p.conditional_review_id"
        f" WHERE pc.crossing_id = :cid AND {known_sql('i', voids=False)}"
        " ORDER BY p.start_date, p.end_date, i.symbol",
        cid=crossing_id,
        known=at,
    )
    # The last day each period covers the crossing as known at T, from the derived coverage:
    # an automatic renewal carries it on, a termination known at T cuts it short, a disputed
    # end is the earliest (corridor.core.derive).
    reach = {
        r.period_id: r
        for r in db.rows(
            "SELECT cv.period_id, MAX(cv.end_date) AS end_date, MAX(cv.ends_at) AS ends_at"
            f" FROM coverage cv WHERE cv.crossing_id = :cid AND {known_sql('cv')}"
            " GROUP BY cv.period_id",
            cid=crossing_id,
            known=at,
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
    None for a fact known only by its date (known from the end of that day)."""
    if known_at is None or adopted is None:
        return None
    local = known_at.astimezone(zone(tz_name))
    return local if local.date() == adopted and local.time() != time(0) else None


def _gaps(covered_until: date, ended_at: datetime, row) -> list[Entry]:
    """The gaps before `row` (corridor.core.coverage.hole_before), told as history: days with
    no authority, then, when the period became known only after it started, the gap in what
    was known from its start until its known instant (kept after a gap or an unknown span)."""
    known_local = row.known_at.astimezone(zone(row.timezone))
    hole = hole_before(covered_until, row.start_date, known_local, row.adopted)
    if hole is None:
        return []
    if hole.until_adopted:
        return [_adoption_gap(hole, ended_at, row, known_local, lapsed=True)]
    days = (row.start_date - hole.first).days
    span = f"on {hole.first}" if days == 1 else f"from {hole.first} to {hole.last}"
    out = [
        Entry(
            hole.first,
            "gap",
            f"gap: no authority {span} ({days} day{'s' * (days != 1)})",
            until=hole.last,
        )
    ]
    late = hole_before(row.start_date - timedelta(days=1), row.start_date, known_local, row.adopted)
    if late is not None:
        out.append(_adoption_gap(late, ended_at, row, known_local, lapsed=False))
    return out


def _adoption_gap(hole, ended_at: datetime, row, known_local: datetime, *, lapsed: bool) -> Entry:
    """No authority known from the start of `hole.first` until `row` became known: `lapsed`
    when the authority before it ended at that start (else a gap of whole days came first)."""
    first, adopted = hole.first, row.adopted
    at = adopted_time(row.known_at, row.timezone, adopted)
    when = f"the end of {hole.last}" if at is None else f"{known_local:%Y-%m-%d %H:%M %Z}"
    told = "later that day" if adopted == first else f"on {adopted}"
    if at is not None:
        start = day_start(first, zone(row.timezone)).astimezone(zone(row.timezone))
        to = f"{at:%H:%M %Z}" if at.date() == first else f"{at:%Y-%m-%d %H:%M %Z}"
        text = (
            f"gap: no authority from {start:%Y-%m-%d %H:%M} to {to}; {row.symbol} was adopted then"
        )
        if at.date() != row.start_date:
            text += f" and covers it back to {row.start_date}"
    elif lapsed:
        text = (
            f"gap in what was known: authority lapsed at {ended_at:%Y-%m-%d %H:%M %Z}; "
            f"{row.symbol}, adopted {told}, covers it back to {row.start_date} "
            f"(known from {when})"
        )
    else:
        text = (
            f"gap in what was known: no authority from {first} until {row.symbol}, adopted "
            f"{told}, was known ({when})"
        )
    return Entry(first, "gap", text, until=hole.last)


# The instruments that ever covered the crossing.
_SCOPE = "SELECT DISTINCT instrument_id FROM deadlines WHERE crossing_id = :cid"


def _reviews_and_reports(db, crossing_id: int, at: datetime) -> list[Entry]:
    out = []
    for row in db.rows(
        "SELECT r.review_date, r.condition, r.outcome, r.decided_on, r.decided_at,"
        " r.decided_by, i.symbol, i.timezone FROM reviews r"
        " JOIN instruments i ON i.id = r.instrument_id"
        f" WHERE r.instrument_id IN ({_SCOPE}) AND {known_sql('i', voids=False)}"
        " ORDER BY r.review_date, i.symbol",
        cid=crossing_id,
        known=at,
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
        f" WHERE rp.instrument_id IN ({_SCOPE}) AND {known_sql('i', voids=False)}"
        " ORDER BY rp.due_date, i.symbol",
        cid=crossing_id,
        known=at,
    ):
        out.append(
            Entry(row.due_date, "report", f"{row.symbol}: {row.description} due", row.symbol)
        )
    return out


def _events(db, crossing_id: int, k: datetime) -> list[Entry]:
    """Drafts naming the crossing, known at K (the vote's instant, else the end of its day in
    New York: they are the Council's)."""
    drafts = zone(DRAFT_ZONE)
    return [
        Entry(
            row.event_date,
            "event",
            f"{row.kind} draft: {row.title}" + (f" ({row.vote})" if row.vote else ""),
            detail={"outcome": row.kind, "vote": row.vote},
        )
        for row in db.rows(
            "SELECT e.event_date, e.event_at, e.kind, e.title, e.vote FROM events e"
            " JOIN event_crossings ec ON ec.event_id = e.id"
            " WHERE ec.crossing_id = :cid AND e.event_date <= :latest"
            " ORDER BY e.event_date, e.title",
            cid=crossing_id,
            latest=k.date() + timedelta(days=1),
        )
        if known(fact_known_at(row.event_date, drafts, row.event_at), k)
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
        f" AND {known_sql('cv')} ORDER BY cv.start_date",
        cid=crossing_id,
        known=at,
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
        "SELECT o.notified_on, o.notified_at, o.party, o.source, i.symbol, i.timezone"
        " FROM objections o"
        " JOIN periods p ON p.id = o.period_id JOIN instruments i ON i.id = p.instrument_id"
        " JOIN period_crossings pc ON pc.period_id = p.id"
        f" WHERE pc.crossing_id = :cid AND {known_sql('i', voids=False)}"
        " ORDER BY o.notified_on, o.party",
        cid=crossing_id,
        known=at,
    ):
        if not known(fact_known_at(row.notified_on, zone(row.timezone), row.notified_at), at):
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
        " i.terminated_by, i.terminated_source, i.terminated_known_at FROM instruments i"
        f" WHERE i.id IN ({_SCOPE}) AND i.terminated_effective IS NOT NULL"
        f" AND {known_sql('i', voids=False)}",
        cid=crossing_id,
        known=at,
    ):
        tz = zone(row.timezone)
        if not known(fact_known_at(row.terminated_known, tz, row.terminated_known_at), at):
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


def _unknown_spans(db, crossing_id: int, entries: list[Entry], k: datetime) -> list[Entry]:
    """Add the spans marked unknown, as known at K; a gap that falls inside one is not a gap
    but unknown."""
    spans = db.rows(
        "SELECT u.start_date, u.end_date, u.note, u.source FROM unknown_spans u"
        f" WHERE u.crossing_id = :cid AND {known_sql('u', voids=False, optional=True)}"
        " ORDER BY u.start_date",
        cid=crossing_id,
        known=k,
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
