"""A crossing's whole history as known on a date: periods, gaps, reviews, reports, failed
drafts, and what covers it now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

import sqlalchemy as sa

from corridor import schema as t
from corridor.reports import Status, status
from corridor.terms import zone


@dataclass
class Entry:
    date: date
    kind: str  # period | gap | review | report | event
    text: str
    instrument: str | None = None
    until: date | None = None
    detail: dict = field(default_factory=dict)


@dataclass
class History:
    slug: str
    name: str
    countries: tuple[str, str]
    aliases: list[str]
    lat: float | None
    lon: float | None
    notes: str | None
    now: Status
    entries: list[Entry]


def crossing_history(conn, crossing_id: int, *, as_of: date, tz: tzinfo) -> History:
    c = t.crossings.c
    x = conn.execute(sa.select(t.crossings).where(c.id == crossing_id)).one()
    aliases = list(
        conn.execute(
            sa.select(t.crossing_aliases.c.alias)
            .where(t.crossing_aliases.c.crossing_id == crossing_id)
            .order_by(t.crossing_aliases.c.position)
        ).scalars()
    )
    now = status(conn, as_of=as_of, tz=tz, crossing_ids=[crossing_id])[0]
    entries = _periods_and_gaps(conn, crossing_id, as_of)
    entries += _reviews_and_reports(conn, crossing_id, as_of)
    entries += _events(conn, crossing_id, as_of)
    order = {"period": 0, "gap": 1, "review": 2, "report": 3, "event": 4}
    entries.sort(key=lambda e: (e.date, order[e.kind]))
    return History(
        x.slug, x.name, (x.country_a, x.country_b), aliases, x.lat, x.lon, x.notes, now, entries
    )


def _periods_and_gaps(conn, crossing_id: int, as_of: date) -> list[Entry]:
    p, i, r, pc = t.periods.c, t.instruments.c, t.reviews.c, t.period_crossings.c
    rows = conn.execute(
        sa.select(
            p.start_date,
            p.end_date,
            p.ends_at,
            p.stated,
            i.symbol,
            i.known_from,
            i.adopted,
            i.relation,
            i.timezone,
            i.unconfirmed,
            r.review_date,
            r.outcome,
            r.decided_on,
        )
        .join(t.period_crossings, pc.period_id == p.id)
        .join(t.instruments, i.id == p.instrument_id)
        .outerjoin(t.reviews, r.id == p.conditional_review_id)
        .where(pc.crossing_id == crossing_id, i.known_from <= as_of)
        .order_by(p.start_date, p.end_date)
    ).all()
    out: list[Entry] = []
    covered_until: date | None = None
    ended_at: datetime | None = None
    ended_tz = "UTC"
    for row in rows:
        conditional = row.review_date is not None
        decided = conditional and row.decided_on is not None and row.decided_on <= as_of
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
        if applies and covered_until is not None:
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


def _reviews_and_reports(conn, crossing_id: int, as_of: date) -> list[Entry]:
    d, i = t.deadlines.c, t.instruments.c
    out = []
    r = t.reviews.c
    for row in conn.execute(
        sa.select(r.review_date, r.condition, r.outcome, r.decided_on, r.decided_by, i.symbol)
        .join(t.instruments, i.id == r.instrument_id)
        .where(r.instrument_id.in_(sa.select(d.instrument_id).where(d.crossing_id == crossing_id)))
        .where(i.known_from <= as_of)
    ):
        decided = row.decided_on is not None and row.decided_on <= as_of
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
    rp = t.reports.c
    for row in conn.execute(
        sa.select(rp.due_date, rp.description, i.symbol)
        .join(t.instruments, i.id == rp.instrument_id)
        .where(rp.instrument_id.in_(sa.select(d.instrument_id).where(d.crossing_id == crossing_id)))
        .where(i.known_from <= as_of)
    ):
        out.append(
            Entry(row.due_date, "report", f"{row.symbol}: {row.description} due", row.symbol)
        )
    return out


def _events(conn, crossing_id: int, as_of: date) -> list[Entry]:
    e, ec = t.events.c, t.event_crossings.c
    return [
        Entry(
            row.event_date,
            "event",
            f"{row.kind} draft: {row.title}" + (f" ({row.vote})" if row.vote else ""),
            detail={"outcome": row.kind, "vote": row.vote},
        )
        for row in conn.execute(
            sa.select(e.event_date, e.kind, e.title, e.vote)
            .join(t.event_crossings, ec.event_id == e.id)
            .where(ec.crossing_id == crossing_id, e.event_date <= as_of)
        )
    ]
