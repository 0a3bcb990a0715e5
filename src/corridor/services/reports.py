"""The reading use cases: upcoming deadlines, crossing status, a crossing's history.

Each takes an open connection (a corridor.db.sql.Reader, or a SQLAlchemy Connection), the `as_of`
date and the reader's zone, and returns plain dataclasses; nothing here knows about the
terminal. The queries are plain SQL so that read paths never import SQLAlchemy (see sql.py).

As of D, the record knows only the instruments adopted or announced on or before D and the
outcomes decided on or before D (DESIGN.md §2), so every query filters on `known_from <= D`
and `void_from > D`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from corridor.core.terms import last_local_day
from corridor.core.vocab import DEADLINE_KINDS
from corridor.db.sql import reader


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


@dataclass
class Status:
    crossing: str
    slug: str
    state: str  # authorized | lapsed | never | no_known_authority
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

    @property
    def authorized(self) -> bool:
        return self.state == "authorized"


def knowledge_ends(conn) -> date | None:
    value = reader(conn).scalar("SELECT value FROM record_meta WHERE key = 'knowledge_ends'")
    return date.fromisoformat(value) if value else None


# ---------------------------------------------------------------- upcoming

# An expiry is superseded as of D when coverage known by D carries the crossing past it.
# The window is widened by two days: the authority's date and the reader's can differ by one.
UPCOMING = """
SELECT d.due_date, d.due_at, d.kind, d.note, d.conditional, d.uid, i.symbol, i.timezone,
       c.name, c.slug, r.outcome, r.decided_on, r.review_date
FROM deadlines d
JOIN instruments i ON i.id = d.instrument_id
JOIN crossings c ON c.id = d.crossing_id
LEFT JOIN reviews r ON r.id = d.review_id
WHERE d.due_date BETWEEN :lo AND :hi
  AND d.known_from <= :as_of AND (d.void_from IS NULL OR d.void_from > :as_of)
  AND d.kind IN :kinds
  AND NOT (d.kind = 'expiry' AND EXISTS (
        SELECT 1 FROM coverage cv
        WHERE cv.crossing_id = d.crossing_id AND cv.continues_after <= d.due_date
          AND cv.end_date > d.due_date AND cv.known_from <= :as_of))
  {crossing_filter}
ORDER BY d.due_at, d.kind, i.symbol, c.name
"""


def upcoming(
    conn,
    *,
    as_of: date,
    within: int,
    tz: tzinfo,
    crossing_ids: list[int] | None = None,
    kinds: tuple[str, ...] = DEADLINE_KINDS,
) -> list[Deadline]:
    sql = UPCOMING.format(
        crossing_filter="AND d.crossing_id IN :crossings" if crossing_ids is not None else ""
    )
    rows = reader(conn).rows(
        sql,
        lo=as_of - timedelta(days=2),
        hi=as_of + timedelta(days=within + 2),
        as_of=as_of,
        kinds=list(kinds),
        crossings=list(crossing_ids or []),
    )
    grouped: dict[tuple, Deadline] = {}
    for row in rows:
        left = (last_local_day(row.due_at, tz) - as_of).days
        if not 0 <= left <= within:
            continue
        note = row.note
        if row.conditional and row.outcome == "extended" and row.decided_on <= as_of:
            note = f"end of the extension granted at the {row.review_date} review"
        key = (row.due_at, row.kind, row.symbol, note)
        item = grouped.get(key)
        if item is None:
            grouped[key] = Deadline(
                row.due_date,
                row.kind,
                [row.name],
                [row.slug],
                row.symbol,
                row.timezone,
                row.due_at,
                row.due_at.astimezone(tz),
                left,
                note,
                row.conditional,
                row.uid,
            )
        else:
            item.crossings.append(row.name)
            item.slugs.append(row.slug)
    return list(grouped.values())


# ---------------------------------------------------------------- status


# One row per crossing with the coverage that ended last before D: a reverse seek on the
# (crossing_id, end_date) index per crossing, so the cost does not grow with the history.
STATUS_CROSSINGS = """
SELECT x.id, x.name, x.slug, x.known_until, cv.end_date AS last_end, i.symbol AS last_symbol
FROM (
    SELECT c.id, c.name, c.slug, c.known_until,
           (SELECT c2.id FROM coverage c2
            WHERE c2.crossing_id = c.id AND c2.end_date < :as_of AND c2.known_from <= :as_of
            ORDER BY c2.end_date DESC, c2.id DESC LIMIT 1) AS last_id
    FROM crossings c {where}
) x
LEFT JOIN coverage cv ON cv.id = x.last_id
LEFT JOIN instruments i ON i.id = cv.instrument_id
ORDER BY x.name, x.slug
"""
# Coverage in force on D or later, as known on D: the current and already-adopted renewals.
# CROSS JOIN makes SQLite seek the (crossing_id, end_date) index once per crossing.
STATUS_LIVE = """
SELECT cv.crossing_id, cv.start_date, cv.end_date, cv.ends_at, cv.instrument_id, i.symbol
FROM crossings c
CROSS JOIN coverage cv
JOIN instruments i ON i.id = cv.instrument_id
WHERE cv.crossing_id = c.id AND cv.end_date >= :as_of AND cv.known_from <= :as_of {only}
ORDER BY cv.start_date, cv.end_date, i.symbol
"""


def status(conn, *, as_of: date, tz: tzinfo, crossing_ids: list[int] | None = None) -> list[Status]:
    db = reader(conn)
    only = crossing_ids is not None
    ids = list(crossing_ids or [])
    crossings = db.rows(
        STATUS_CROSSINGS.format(where="WHERE c.id IN :ids" if only else ""), ids=ids, as_of=as_of
    )
    ends = knowledge_ends(db)
    live: dict[int, list] = {}
    for row in db.rows(
        STATUS_LIVE.format(only="AND c.id IN :ids" if only else ""), ids=ids, as_of=as_of
    ):
        live.setdefault(row.crossing_id, []).append(row)
    last_end = {x.id: x.last_end for x in crossings if x.last_end is not None}
    out = []
    chain_ids: dict[int, list[int]] = {}
    for x in crossings:
        record_ends = x.known_until or ends
        st = Status(x.name, x.slug, "never", record_ends=record_ends)
        rows = live.get(x.id, [])
        covering = [r for r in rows if r.start_date <= as_of]
        if covering:
            best = max(covering, key=lambda r: r.end_date)
            until, until_at, chain = (
                best.end_date,
                best.ends_at,
                [r.instrument_id for r in covering],
            )
            symbols = [r.symbol for r in covering]
            for r in rows:  # follow renewals that continue without a gap
                if r.start_date <= until + timedelta(days=1) and r.end_date > until:
                    until, until_at = r.end_date, r.ends_at
                    chain.append(r.instrument_id)
                    symbols.append(r.symbol)
            st.state, st.until, st.until_at = "authorized", until, until_at
            st.until_local = until_at.astimezone(tz)
            st.days_left = (last_local_day(until_at, tz) - as_of).days
            st.instruments = list(dict.fromkeys(symbols))
            chain_ids[x.id] = chain
        else:
            if x.id in last_end:
                st.state, st.lapsed_since = "lapsed", last_end[x.id] + timedelta(days=1)
            if record_ends is not None and as_of > record_ends:
                st.state = "no_known_authority"
            future = [r for r in rows if r.start_date > as_of]
            if future:
                st.note = f"authorized from {future[0].start_date} by {future[0].symbol}"
        out.append(st)

    _add_pending_reviews(db, out, crossings, chain_ids, as_of, only, ids)
    for x, st in zip(crossings, out, strict=True):
        if not st.authorized:
            st.last_instrument = x.last_symbol
    for st in out:
        if not st.note:
            st.note = _status_note(st)
    return out


# Review points still open on D of the instruments covering the crossings on or after D. The
# periods join goes through the instrument_id index; the instruments come from the same
# per-crossing index seeks as STATUS_LIVE.
PENDING_REVIEWS = """
SELECT r.instrument_id, r.review_date, r.condition, p.end_date
FROM reviews r
LEFT JOIN periods p ON p.instrument_id = r.instrument_id AND p.conditional_review_id = r.id
WHERE r.review_date >= :as_of AND (r.decided_on IS NULL OR r.decided_on > :as_of)
  AND r.instrument_id IN (
      SELECT cv.instrument_id FROM crossings c CROSS JOIN coverage cv
      WHERE cv.crossing_id = c.id AND cv.end_date >= :as_of AND cv.known_from <= :as_of {only})
ORDER BY r.review_date, r.id
"""


def _add_pending_reviews(db, out, crossings, chain_ids, as_of, only, ids) -> None:
    wanted = {iid for chain in chain_ids.values() for iid in chain}
    if not wanted:
        return
    pending: dict[int, list[str]] = {}
    for row in db.rows(
        PENDING_REVIEWS.format(only="AND c.id IN :ids" if only else ""), as_of=as_of, ids=ids
    ):
        text = f"review {row.review_date}"
        if row.end_date:
            text += f": extension to {row.end_date}"
            text += f" subject to {row.condition}" if row.condition else ""
        elif row.condition:
            text += f": {row.condition}"
        pending.setdefault(row.instrument_id, []).append(text)
    for x, st in zip(crossings, out, strict=True):
        for iid in chain_ids.get(x.id, []):
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
    return "never authorized in the record"
