"""The reading use cases: upcoming deadlines and crossing status, at an instant.

Each takes an open connection (a corridor.db.sql.Reader, or a SQLAlchemy Connection), the
instant `at` (aware) and the reader's zone, and returns plain dataclasses; nothing here knows
about the terminal. The queries are plain SQL so that read paths never import SQLAlchemy.

What "covered at T, as known at T" means is corridor.core.coverage, the one rule; the SQL below
only narrows the rows with index seeks, and the rule is applied to what comes back. Every
report asks the same questions of the same rows, so `status`, `upcoming` and `crossing show`
agree on the state, the last day, the end instant and the days left (docs/time.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from corridor.core import coverage as rule
from corridor.core.terms import day_start, zone
from corridor.core.vocab import DEADLINE_KINDS
from corridor.db.sql import reader
from corridor.services.workdays import flag_non_working

Day = date  # a field named `date` shadows the type inside a class body


@dataclass
class Deadline:
    date: date  # the authority's calendar date
    kind: str
    crossings: list[str]
    slugs: list[str]
    instrument: str
    authority_timezone: str
    due_at: datetime  # UTC instant at which the day ends in the authority's zone
    due_local: datetime
    days_left: int
    note: str
    conditional: bool
    uid: str
    crossing_ids: list[int] = field(default_factory=list, repr=False)
    non_working: object = None  # a corridor.core.workdays.NonWorking: a day off (flag only)
    renews_to: Day | None = None  # an automatic renewal follows, unless a party objects
    objection_by: Day | None = None  # the last day to object to it
    disputed_ends: list[dict] = field(default_factory=list)  # [{until, source}], earliest first


@dataclass
class Status:
    crossing: str
    slug: str
    state: str  # authorized | lapsed | never | no_known_authority | unknown
    until: date | None = None
    until_at: datetime | None = None
    until_local: datetime | None = None
    days_left: int | None = None
    instruments: list[str] = field(default_factory=list)
    lapsed_since: date | None = None
    last_instrument: str | None = None
    pending: list[str] = field(default_factory=list)
    record_ends: date | None = None
    note: str = ""
    crossing_id: int = field(default=0, repr=False)
    lapsed_at: datetime | None = None
    beyond_record: bool = False  # the reader's date is past the crossing's horizon
    renews_to: date | None = None  # the current end renews automatically to this day ...
    objection_by: date | None = None  # ... unless a party objects by this one
    disputed_ends: list[dict] = field(default_factory=list)  # the current end is disputed
    unknown: dict | None = (
        None  # the span marked unknown that holds T: {start, until, note, source}
    )
    caveat: str | None = None  # the in-force instrument's sourced caveat (docs/format.md)

    @property
    def authorized(self) -> bool:
        return self.state == "authorized"


# ---------------------------------------------------------------- upcoming

# An expiry is superseded at T when coverage known at T carries its crossing past its end
# instant (corridor.core.coverage.continues). The date window is widened by two days: the
# authority's date and the reader's can differ by one; the exact test is done on instants.
UPCOMING = """
SELECT d.due_date, d.due_at, d.kind, d.note, d.conditional, d.uid, d.crossing_id, d.detail,
       i.symbol, i.timezone, c.name, c.slug, r.outcome, r.decided_on, r.review_date
FROM deadlines d
JOIN instruments i ON i.id = d.instrument_id
JOIN crossings c ON c.id = d.crossing_id
LEFT JOIN reviews r ON r.id = d.review_id
WHERE d.due_date BETWEEN :lo AND :hi
  AND d.due_at > :at
  AND d.known_at <= :at AND (d.void_at IS NULL OR d.void_at > :at)
  AND d.kind IN :kinds
  AND NOT (d.kind = 'expiry' AND EXISTS (
        SELECT 1 FROM coverage cv
        WHERE cv.crossing_id = d.crossing_id AND cv.known_at <= :at
          AND (cv.void_at IS NULL OR cv.void_at > :at)
          AND cv.starts_at <= d.due_at AND cv.ends_at > d.due_at))
  {crossing_filter}
ORDER BY d.due_at, d.kind, i.symbol, c.name
"""


def upcoming(
    conn,
    *,
    at: datetime,
    within: int,
    tz: tzinfo,
    crossing_ids: list[int] | None = None,
    kinds: tuple[str, ...] = DEADLINE_KINDS,
) -> list[Deadline]:
    """Deadlines not yet passed at `at` whose last covered day, in the reader's zone, is at
    most `within` days after the reader's date at `at`."""
    today = rule.local_today(at, tz)
    sql = UPCOMING.format(
        crossing_filter="AND d.crossing_id IN :crossings" if crossing_ids is not None else ""
    )
    rows = reader(conn).rows(
        sql,
        lo=today - timedelta(days=2),
        hi=today + timedelta(days=within + 2),
        at=at,
        kinds=list(kinds),
        crossings=list(crossing_ids or []),
    )
    return flag_non_working(conn, group_deadlines(rows, at, tz, within))  # Working days


def group_deadlines(rows, at: datetime, tz: tzinfo, within: int | None = None) -> list[Deadline]:
    """Deadline rows (one per crossing, in due order) as Deadlines, one per uid, as known at
    `at`; with `within`, only those whose days left are 0..within. Upcoming and the calendar
    feed (corridor.services.calendar) both build their items here."""
    grouped: dict[str, Deadline] = {}
    for row in rows:
        left = rule.days_left(row.due_at, at, tz)
        if within is not None and not 0 <= left <= within:
            continue
        item = grouped.get(row.uid)
        if item is None:
            detail = detail_at(row.detail, at)
            grouped[row.uid] = Deadline(
                row.due_date,
                row.kind,
                [row.name],
                [row.slug],
                row.symbol,
                row.timezone,
                row.due_at,
                row.due_at.astimezone(tz),
                left,
                detail.get("note") or _note(row, at),
                row.conditional and not _granted(row, at),
                row.uid,
                [row.crossing_id],
                renews_to=_day(detail.get("renews_to")) if row.kind == "expiry" else None,
                objection_by=_day(detail.get("objection_by")),
                disputed_ends=detail.get("disputed_ends") or [],
            )
        else:
            item.crossings.append(row.name)
            item.slugs.append(row.slug)
            item.crossing_ids.append(row.crossing_id)
    return list(grouped.values())


def detail_at(text: str | None, at: datetime) -> dict:
    """A derived deadline's detail (corridor.core.derive) as known at `at`: each change (an
    objection, a passed notice day, a termination) counts from its instant."""
    if not text:
        return {}
    detail = json.loads(text)
    for change in detail.pop("changes", []):  # in the order of their instants
        if datetime.fromisoformat(change.pop("at").replace("Z", "+00:00")) <= at:
            detail.update(change)
    return detail


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _granted(row, at: datetime) -> bool:
    """A conditional expiry whose extension was granted, as known at `at`: no longer "if"."""
    if not row.conditional or row.outcome != "extended" or row.decided_on is None:
        return False
    return day_start(row.decided_on, zone(row.timezone)) <= at


def _note(row, at: datetime) -> str:
    if _granted(row, at):
        return f"end of the extension granted at the {row.review_date} review"
    return row.note


# ---------------------------------------------------------------- status

STATUS_CROSSINGS = """
SELECT c.id, c.name, c.slug, c.horizon FROM crossings c {where} ORDER BY c.name, c.slug
"""
# The coverage that ended last at or before T, as known at T: a reverse seek on the
# (crossing_id, ends_at) index per crossing, so the cost does not grow with the history.
STATUS_LAST = """
SELECT c.id AS crossing_id, cv.end_date, cv.ends_at, i.symbol
FROM crossings c
JOIN coverage cv ON cv.id = (
    SELECT c2.id FROM coverage c2
    WHERE c2.crossing_id = c.id AND c2.ends_at <= :at AND c2.known_at <= :at
      AND (c2.void_at IS NULL OR c2.void_at > :at)
    ORDER BY c2.ends_at DESC, c2.id DESC LIMIT 1)
JOIN instruments i ON i.id = cv.instrument_id
{where}
"""
# Coverage in force at T or later, as known at T: the current and already-adopted renewals.
# CROSS JOIN makes SQLite seek the (crossing_id, ends_at) index once per crossing.
STATUS_LIVE = """
SELECT cv.crossing_id, cv.start_date, cv.end_date, cv.starts_at, cv.ends_at, cv.known_at,
       cv.void_at, cv.instrument_id, i.symbol, i.caveat
FROM crossings c
CROSS JOIN coverage cv
JOIN instruments i ON i.id = cv.instrument_id
WHERE cv.crossing_id = c.id AND cv.ends_at > :at AND cv.known_at <= :at
  AND (cv.void_at IS NULL OR cv.void_at > :at) {only}
ORDER BY cv.starts_at, cv.ends_at, i.symbol
"""


def status(
    conn, *, at: datetime, tz: tzinfo, crossing_ids: list[int] | None = None
) -> list[Status]:
    db = reader(conn)
    only = crossing_ids is not None
    ids = list(crossing_ids or [])
    where = "WHERE c.id IN :ids" if only else ""
    crossings = db.rows(STATUS_CROSSINGS.format(where=where), ids=ids)
    last = {
        r.crossing_id: r
        for r in db.rows(
            STATUS_LAST.format(where="WHERE c.id IN :ids" if only else ""), ids=ids, at=at
        )
    }
    live: dict[int, list] = {}
    for row in db.rows(STATUS_LIVE.format(only="AND c.id IN :ids" if only else ""), ids=ids, at=at):
        live.setdefault(row.crossing_id, []).append(row)
    unknown = {
        r.crossing_id: r
        for r in db.rows(
            UNKNOWN.format(only="AND u.crossing_id IN :ids" if only else ""), ids=ids, at=at
        )
        if rule.within(r.starts_at, r.ends_at, at)
    }
    today = rule.local_today(at, tz)
    out = []
    chains: dict[int, list[int]] = {}
    for x in crossings:
        st = Status(x.name, x.slug, "never", record_ends=x.horizon, crossing_id=x.id)
        st.beyond_record = x.horizon is not None and today > x.horizon
        rows = live.get(x.id, [])
        found = rule.chain(rows, at)
        if found is not None:
            st.state, st.until, st.until_at = "authorized", found.last.end_date, found.ends_at
            st.until_local = found.ends_at.astimezone(tz)
            st.days_left = rule.days_left(found.ends_at, at, tz)
            st.instruments = list(dict.fromkeys(r.symbol for r in found.rows))
            chains[x.id] = [r.instrument_id for r in found.rows]
            st.caveat = found.rows[0].caveat
        else:
            ended = last.get(x.id)
            if ended is not None:
                st.state, st.lapsed_since = "lapsed", ended.end_date + timedelta(days=1)
                st.lapsed_at, st.last_instrument = ended.ends_at, ended.symbol
            if st.beyond_record:
                st.state = "no_known_authority"
            span = unknown.get(x.id)
            if span is not None:
                st.state = "unknown"
                st.unknown = dict(
                    start=span.start_date, until=span.end_date, note=span.note, source=span.source
                )
            future = rule.first_after(rows, at)
            if future is not None:
                st.note = f"authorized from {future.start_date} by {future.symbol}"
            if span is not None:
                st.note = "; ".join(n for n in (_status_note(st), st.note) if n)
        out.append(st)
    _add_chain_ends(db, out, at)
    _add_pending_reviews(db, out, chains, at, only, ids)
    for st in out:
        if st.state == "authorized" and st.note and st.pending:
            st.note = "; ".join([st.note, *st.pending])
        if not st.note:
            st.note = _status_note(st)
    return out


# The expiry at the end of each authorized crossing's chain, when it has a detail (an automatic
# renewal, a termination, a disputed end: corridor.core.derive): index seeks on due_date for
# the few distinct end dates, matched to the crossings in Python; nothing comes back for an
# ordinary record.
CHAIN_ENDS = """
SELECT d.crossing_id, d.due_at, d.note, d.detail FROM deadlines d
WHERE d.due_date IN :days AND d.kind = 'expiry'
  AND d.detail IS NOT NULL AND d.known_at <= :at AND (d.void_at IS NULL OR d.void_at > :at)
"""


def _add_chain_ends(db, out: list[Status], at: datetime) -> None:
    """What status says of the end of the coverage in force: renews automatically unless a
    party objects, terminated, disputed (the same detail `upcoming` shows for that expiry)."""
    ends = {(st.crossing_id, st.until_at): st for st in out if st.state == "authorized"}
    if not ends:
        return
    days = sorted({st.until for st in ends.values() if st.until is not None})
    rows = db.rows(CHAIN_ENDS, days=days, at=at)
    for row in rows:
        st = ends.get((row.crossing_id, row.due_at))
        if st is None:
            continue
        detail = detail_at(row.detail, at)
        st.note = detail.get("note") or row.note
        st.renews_to = _day(detail.get("renews_to"))
        st.objection_by = _day(detail.get("objection_by"))
        st.disputed_ends = detail.get("disputed_ends") or []


# Spans marked unknown that reach past T; whether one holds T is corridor.core.coverage.within.
UNKNOWN = """
SELECT u.crossing_id, u.start_date, u.end_date, u.starts_at, u.ends_at, u.note, u.source
FROM unknown_spans u WHERE u.ends_at > :at {only}
"""


# Review points of the instruments covering the crossings at or after T. Whether each is
# still pending at T is decided on instants (corridor.core.coverage.pending).
PENDING_REVIEWS = """
SELECT r.instrument_id, r.review_date, r.condition, r.decided_on, i.timezone, p.end_date
FROM reviews r
JOIN instruments i ON i.id = r.instrument_id
LEFT JOIN periods p ON p.instrument_id = r.instrument_id AND p.conditional_review_id = r.id
WHERE r.review_date >= :lo
  AND r.instrument_id IN (
      SELECT cv.instrument_id FROM crossings c CROSS JOIN coverage cv
      WHERE cv.crossing_id = c.id AND cv.ends_at > :at AND cv.known_at <= :at
        AND (cv.void_at IS NULL OR cv.void_at > :at) {only})
ORDER BY r.review_date, r.id
"""


def _add_pending_reviews(db, out: list[Status], chains, at: datetime, only, ids) -> None:
    wanted = {iid for chain in chains.values() for iid in chain}
    if not wanted:
        return
    from corridor.core.terms import end_of_day

    pending: dict[int, list[str]] = {}
    for row in db.rows(
        PENDING_REVIEWS.format(only="AND c.id IN :ids" if only else ""),
        at=at,
        ids=ids,
        lo=at.date() - timedelta(days=2),
    ):
        tz = zone(row.timezone)
        decided_at = day_start(row.decided_on, tz) if row.decided_on else None
        if not rule.pending(end_of_day(row.review_date, tz), decided_at, at):
            continue
        text = f"review {row.review_date}"
        if row.end_date:
            text += f": extension to {row.end_date}"
            text += f" subject to {row.condition}" if row.condition else ""
        elif row.condition:
            text += f": {row.condition}"
        pending.setdefault(row.instrument_id, []).append(text)
    for st in out:
        for iid in chains.get(st.crossing_id, []):
            st.pending.extend(pending.get(iid, []))
        st.pending = list(dict.fromkeys(st.pending))


def _status_note(st: Status) -> str:
    if st.state == "authorized":
        return "; ".join(st.pending) if st.pending else ""
    if st.state == "lapsed":
        return f"lapsed since {st.lapsed_since} (last: {st.last_instrument})"
    if st.state == "no_known_authority":
        last = (
            f"; last known authority ended {st.lapsed_since - timedelta(days=1)}"
            if st.lapsed_since
            else ""
        )
        return f"no known authority: the record ends {st.record_ends}{last}"
    if st.state == "unknown":
        span = st.unknown or {}
        text = f"unknown (no source) from {span.get('start')} to {span.get('until')}"
        return text + (f": {span['note']}" if span.get("note") else "")
    return "never authorized in the record"


BEYOND_RECORD = """
SELECT c.name, c.horizon FROM crossings c
WHERE c.horizon IS NOT NULL AND c.horizon < :today {only}
  AND NOT EXISTS (
      SELECT 1 FROM coverage cv
      WHERE cv.crossing_id = c.id AND cv.known_at <= :at AND cv.starts_at <= :at
        AND cv.ends_at > :at AND (cv.void_at IS NULL OR cv.void_at > :at))
  AND NOT EXISTS (
      SELECT 1 FROM unknown_spans u
      WHERE u.crossing_id = c.id AND u.starts_at <= :at AND u.ends_at > :at)
ORDER BY c.horizon, c.name
"""


def beyond_record(
    conn, *, at: datetime, tz: tzinfo, crossing_ids: list[int] | None = None
) -> list[tuple[str, date]]:
    """(crossing, horizon) for the crossings whose answer at T rests on the absence of facts:
    the reader's date is past the crossing's horizon and no recorded instrument covers it at
    T. Reports say so on stderr (docs/time.md)."""
    rows = reader(conn).rows(
        BEYOND_RECORD.format(only="AND c.id IN :ids" if crossing_ids is not None else ""),
        today=rule.local_today(at, tz),
        at=at,
        ids=list(crossing_ids or []),
    )
    return [(r.name, r.horizon) for r in rows]
