"""What a calendar feed needs beyond the deadlines themselves (docs/sharing.md):

- `all_deadlines`: every deadline of the record, for `corridor export --format ics`, grouped
  and identified exactly as `upcoming` groups them, so an event keeps its UID whichever
  command wrote the feed; a deadline that no longer falls (an expiry renewed, a review
  decided, an extension refused, a notice day objected to, a deadline voided by a termination)
  stays in the feed as a cancelled item, so a subscribed calendar stops reminding of it
  (`cancelled_within` does the same for upcoming's window);
- `instrument_facts`: each instrument's kind, authority and source, and, from the audit trail,
  how many times it was changed (the events' SEQUENCE) and when last (LAST-MODIFIED), by
  corridor.db.revisions. Both come from recorded facts only, so two exports of the same record
  are identical but for DTSTAMP, and an export carries them to another database.

Plain SQL through corridor.db.sql: the `upcoming --format ics` path must stay light.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from corridor.core import coverage as rule
from corridor.core.coverage import local_today
from corridor.core.links import Link, source_links
from corridor.core.vocab import DEADLINE_KINDS
from corridor.db.lookup import crossing_shapes
from corridor.db.revisions import revisions
from corridor.db.sql import ReadConn, reader
from corridor.services.reports import Deadline, group_deadlines


@dataclass(frozen=True)
class InstrumentFacts:
    symbol: str
    kind: str  # resolution | consent | agreement
    authority: str
    timezone: str
    source: str | None
    source_url: str | None
    sequence: int  # recorded changes after the first: 0 for an instrument never corrected
    last_modified: datetime | None  # the last recorded change, UTC
    links: tuple[Link, ...] = ()  # source_url, then derived links (corridor.core.links)


@dataclass(frozen=True)
class Side:
    name: str
    countries: tuple[str, ...]


# Every deadline, grouped by uid, in the same order as services.reports.upcoming. Whether each
# one still falls is decided in Python with corridor.core.coverage (`cancelled_why`).
ALL_DEADLINES = """
SELECT d.due_date, d.due_at, d.kind, d.note, d.conditional, d.uid, d.detail, d.crossing_id,
       d.known_at, d.void_at, i.symbol, i.timezone, i.terminated_effective, c.name, c.slug,
       r.outcome, r.decided_on, r.review_date
FROM deadlines d
JOIN instruments i ON i.id = d.instrument_id
JOIN crossings c ON c.id = d.crossing_id
LEFT JOIN reviews r ON r.id = d.review_id
{where}
ORDER BY d.due_at, d.kind, i.symbol, c.name
"""
COVERAGE = """
SELECT cv.crossing_id, cv.starts_at, cv.ends_at, cv.known_at, cv.void_at, i.symbol
FROM coverage cv JOIN instruments i ON i.id = cv.instrument_id
{where}
"""


@dataclass
class FeedItem(Deadline):
    """A deadline as the calendar publishes it. `cancelled` says why it no longer falls (a
    CANCELLED event, so a subscribed calendar stops reminding); None for a live deadline."""

    cancelled: str | None = None


def all_deadlines(conn: ReadConn, *, at: datetime, tz: tzinfo) -> list[FeedItem]:
    """Every deadline in the record, one per uid like upcoming; `days_left` counts from `at`
    in `tz` (docs/time.md) and is negative for past deadlines. Built like upcoming's items
    (corridor.services.reports.group_deadlines), so an event says what upcoming says; a
    deadline that no longer falls comes with the reason (`cancelled_why`)."""
    db = reader(conn)
    return _feed(db, db.rows(ALL_DEADLINES.format(where="")), at, tz)


def cancelled_within(
    conn: ReadConn,
    *,
    at: datetime,
    within: int,
    tz: tzinfo,
    crossing_ids: list[int] | None = None,
    kinds: tuple[str, ...] = DEADLINE_KINDS,
) -> list[FeedItem]:
    """For `upcoming --format ics`: the deadlines of upcoming's window (not passed at `at`,
    0..`within` days left) that no longer fall, so the feed can cancel what it once
    published. Upcoming itself leaves them out."""
    today = local_today(at, tz)
    where = "WHERE d.due_date BETWEEN :lo AND :hi AND d.kind IN :kinds" + (
        " AND d.crossing_id IN :crossings" if crossing_ids is not None else ""
    )
    db = reader(conn)
    rows = db.rows(
        ALL_DEADLINES.format(where=where),
        lo=today - timedelta(days=2),
        hi=today + timedelta(days=within + 2),
        kinds=list(kinds),
        crossings=list(crossing_ids or []),
    )
    rows = [r for r in rows if r.due_at > at]
    return [d for d in _feed(db, rows, at, tz, within) if d.cancelled]


def _feed(db, rows, at: datetime, tz: tzinfo, within: int | None = None) -> list[FeedItem]:
    """One item per uid: the rows that still fall make the event (as upcoming groups them);
    when none does, the event is cancelled, with the first row's reason."""
    ids = sorted({r.crossing_id for r in rows})
    cover: dict[int, list] = {}
    if ids:
        for cv in db.rows(COVERAGE.format(where="WHERE cv.crossing_id IN :ids"), ids=ids):
            cover.setdefault(cv.crossing_id, []).append(cv)
    live: list = []
    gone: list = []
    why: dict[str, str] = {}
    for row in rows:
        if not rule.known(row.known_at, at):  # not yet known: no output shows it (docs/time.md)
            continue
        reason = cancelled_why(row, cover.get(row.crossing_id, []), at)
        if reason is None:
            live.append(row)
        else:
            gone.append(row)
            why.setdefault(row.uid, reason)
    items = {d.uid: FeedItem(**vars(d)) for d in group_deadlines(live, at, tz, within)}
    for d in group_deadlines(gone, at, tz, within):
        if d.uid not in items:
            items[d.uid] = FeedItem(**vars(d), cancelled=why[d.uid])
    return sorted(items.values(), key=lambda d: (d.due_at, d.kind, d.instrument))


def cancelled_why(row, coverage: list, at: datetime) -> str | None:
    """Why the deadline `row` no longer falls, as the reports decide it (docs/sharing.md), or
    None. Judged as known at `at`, or, for a deadline already past, as known when it fell: a
    renewal adopted after an expiry does not undo the lapse that happened.

    - an expiry is `renewed` when coverage known then carries its crossing past its end
      instant (corridor.core.coverage.continues), as upcoming decides;
    - a deadline voided by then: a review `decided`, the end of an extension `refused` at its
      review, a notice day `objected` to, or an expiry or notice `terminated`."""
    then = min(at, row.due_at)
    if row.void_at is not None and row.void_at <= then:
        if row.kind == "review":
            return "decided"
        if row.kind == "expiry" and row.conditional and row.outcome == "not_extended":
            return "refused"
        if row.kind == "notice" and not _terminated(row):
            return "objected"  # an objection voids the notice day of the renewal it stops
        return "terminated"
    if row.kind == "expiry" and any(rule.continues(cv, row.due_at, then) for cv in coverage):
        return "renewed"
    return None


def _terminated(row) -> bool:
    """The instrument was terminated with effect on or before the deadline's date: what voids
    a deadline other than a decision or an objection (corridor.core.derive)."""
    return row.terminated_effective is not None and row.terminated_effective <= row.due_date


def instrument_facts(conn: ReadConn, symbols: list[str]) -> dict[str, InstrumentFacts]:
    db = reader(conn)
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    wanted_set = set(wanted)
    history = revisions(db)
    out = {}
    # A long IN list would hit SQLite's limit on parameters: then read them all and filter.
    few = len(wanted) <= 500
    for row in db.rows(
        "SELECT symbol, kind, authority, timezone, source, source_url, adopted FROM instruments"
        + (" WHERE symbol IN :symbols" if few else ""),
        symbols=wanted if few else [],
    ):
        if not few and row.symbol not in wanted_set:
            continue
        revision, last = history.get(row.symbol, (0, None))
        out[row.symbol] = InstrumentFacts(
            row.symbol,
            row.kind,
            row.authority,
            row.timezone,
            row.source,
            row.source_url,
            revision,
            last,
            tuple(source_links(row.symbol, row.source, row.source_url, row.adopted)),
        )
    return out


def crossing_sides(conn: ReadConn) -> dict[str, Side]:
    """Every crossing's name and the countries it joins (one for a port), by slug."""
    shapes = crossing_shapes(conn)
    return {
        r.slug: Side(r.name, tuple(shapes[r.slug][1]))
        for r in reader(conn).rows("SELECT slug, name FROM crossings")
    }
