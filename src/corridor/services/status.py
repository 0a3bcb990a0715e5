"""Crossing status at an instant T, as known at an instant K (docs/time.md).

One vocabulary of states for every output (status, check, alerts, calendar, HTML, timeline,
JSON, CSV, HXL):

- `authorized`: a row known at K covers T; `until_at` is the end of the chain.
- `lapsed`: the last authority ended and the record says why (`reason`): a vetoed or failed
  draft, not extended at a review, terminated, objected to, dropped by a renewal, a renewal
  that starts later (a gap), or a check declared past the end.
- `unrenewed`: the last known authority ended and the record holds no renewal and no reason.
  An alarm for monitoring, never "unknown".
- `unknown`: only inside a span the record marks unknown. A lapse never starts inside one: it
  starts where the span ends.
- `never`: no authority recorded for the crossing up to T, as known at K.

`lapsed_since` (the authority's date of the first day without authority) and `ended_at` (that
instant) are set exactly for `lapsed` and `unrenewed`.

The knowledge condition is corridor.core.coverage (`known_sql`, `chain`); the SQL here only
narrows rows with index seeks. Nothing here knows about the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from corridor.core import coverage as rule
from corridor.core.coverage import known_sql
from corridor.core.detail import DeadlineDetail, DisputedEnd
from corridor.core.terms import end_of_day, zone
from corridor.core.words import reason_text
from corridor.db.sql import ReadConn, Reader, reader

# Why a lapse happened, most telling first (a reason known at K: docs/time.md).
REASONS = (
    "terminated",
    "objected",
    "not_extended",
    "dropped",
    "vetoed",
    "failed",
    "gap",
    "checked",
)


@dataclass(frozen=True)
class UnknownSpan:
    """A span the record marks unknown (docs/time.md): from `start` to `until`, inclusive."""

    start: date
    until: date | None
    note: str | None = None
    source: str | None = None


@dataclass
class Status:
    crossing: str
    slug: str
    state: str  # corridor.core.vocab.STATES
    until: date | None = None
    until_at: datetime | None = None
    until_local: datetime | None = None
    days_left: int | None = None
    instruments: list[str] = field(default_factory=list)
    lapsed_since: date | None = None
    last_instrument: str | None = None
    pending: list[str] = field(default_factory=list)
    horizon: date | None = None  # the crossing's horizon, as known at K
    note: str = ""
    crossing_id: int = field(default=0, repr=False)
    past_horizon: bool = False  # the reader's date is past the crossing's horizon
    renews_to: date | None = None  # the current end renews automatically to this day ...
    objection_by: date | None = None  # ... unless a party objects by this one
    disputed_ends: tuple[DisputedEnd, ...] = ()  # the current end is disputed, earliest first
    unknown: UnknownSpan | None = None  # the span marked unknown that holds T
    ended_at: datetime | None = None  # the instant the last authority ended (lapsed, unrenewed)
    authority_timezone: str | None = None  # the zone of `until` / `lapsed_since`
    # Why it lapsed: {kind, on, instrument | title}; None when unrenewed (no reason recorded).
    reason: dict | None = None
    # The authority in force rests on a step the record infers (no announcement of its own).
    unconfirmed: bool = False
    unconfirmed_reason: str | None = None
    caveat: str | None = None  # the in-force instrument's sourced caveat (docs/format.md)

    @property
    def authorized(self) -> bool:
        return self.state == "authorized"


STATUS_CROSSINGS = """
SELECT c.id, c.name, c.slug FROM crossings c {where} ORDER BY c.name, c.slug
"""
# The coverage that ended last at or before T, as known at K: a reverse seek on the
# (crossing_id, ends_at) index per crossing, so the cost does not grow with the history.
STATUS_LAST = """
SELECT c.id AS crossing_id, cv.end_date, cv.ends_at, cv.instrument_id, i.symbol, i.timezone,
       i.known_at AS inst_known_at
FROM crossings c
JOIN coverage cv ON cv.id = (
    SELECT c2.id FROM coverage c2
    WHERE c2.crossing_id = c.id AND c2.ends_at <= :at AND {known_c2}
    ORDER BY c2.ends_at DESC, c2.id DESC LIMIT 1)
JOIN instruments i ON i.id = cv.instrument_id
{where}
"""
# Coverage in force at T or later, as known at K: the current and already-known renewals.
# CROSS JOIN makes SQLite seek the (crossing_id, ends_at) index once per crossing.
STATUS_LIVE = """
SELECT cv.crossing_id, cv.start_date, cv.end_date, cv.starts_at, cv.ends_at, cv.known_at,
       cv.void_at, cv.instrument_id, i.symbol, i.timezone, i.unconfirmed, i.caveat
FROM crossings c
CROSS JOIN coverage cv
JOIN instruments i ON i.id = cv.instrument_id
WHERE cv.crossing_id = c.id AND cv.ends_at > :at AND {known_cv} {only}
ORDER BY cv.starts_at, cv.ends_at, i.symbol
"""
# Each crossing's horizon as known at K: the latest day of a fact known at K.
HORIZONS = """
SELECT f.crossing_id, MAX(f.day) AS fact_day FROM crossing_facts f
WHERE {known_f} {only} GROUP BY f.crossing_id
"""
# Spans marked unknown (few rows): whether one holds T, and where a lapse starts.
UNKNOWN = """
SELECT u.crossing_id, u.start_date, u.end_date, u.starts_at, u.ends_at, u.note, u.source
FROM unknown_spans u WHERE u.starts_at <= :at AND {known_u} {only}
"""
# Facts that can explain a lapse, known at K and no older than the authority that ended.
REASON_FACTS = """
SELECT f.crossing_id, f.kind, f.day AS fact_day, f.known_at, f.instrument_id, f.detail
FROM crossing_facts f
WHERE f.crossing_id IN :ids AND f.known_at >= :since AND {known_f}
  AND f.kind IN ('terminated', 'objected', 'not_extended', 'vetoed', 'failed', 'checked')
ORDER BY f.known_at, f.id
"""
# A renewal known at K of the instrument that ended: it dropped the crossing.
RENEWALS_OF = """
SELECT i.renews_id, i.symbol, i.adopted, i.known_from FROM instruments i
WHERE i.renews_id IN :ids AND {known_i}
ORDER BY i.known_at, i.id
"""


def status(
    conn: ReadConn,
    *,
    at: datetime,
    tz: tzinfo,
    crossing_ids: list[int] | None = None,
    known_at: datetime | None = None,
    horizons: bool = True,
) -> list[Status]:
    """Every crossing's (or the selected ones') state at `at`, as known at `known_at`
    (default: `at`). `horizons=False` skips each crossing's horizon (`horizon` and
    `past_horizon` stay unset; the state does not depend on them): check never shows it."""
    k = at if known_at is None else known_at
    db = reader(conn)
    only = crossing_ids is not None
    ids = list(crossing_ids or [])
    where = "WHERE c.id IN :ids" if only else ""
    crossings = db.rows(STATUS_CROSSINGS.format(where=where), ids=ids)
    last = {
        r.crossing_id: r
        for r in db.rows(
            STATUS_LAST.format(where=where, known_c2=known_sql("c2")), ids=ids, at=at, known=k
        )
    }
    live: dict[int, list] = {}
    for row in db.rows(
        STATUS_LIVE.format(only="AND c.id IN :ids" if only else "", known_cv=known_sql("cv")),
        ids=ids,
        at=at,
        known=k,
    ):
        live.setdefault(row.crossing_id, []).append(row)
    horizon_of = horizons_at(db, k, ids if only else None) if horizons else {}
    spans: dict[int, list] = {}
    for r in db.rows(
        UNKNOWN.format(
            only="AND u.crossing_id IN :ids" if only else "",
            known_u=known_sql("u", voids=False, optional=True),
        ),
        ids=ids,
        at=at,
        known=k,
    ):
        spans.setdefault(r.crossing_id, []).append(r)
    today = rule.local_today(at, tz)
    out = []
    chains: dict[int, list[int]] = {}
    ended: list[Status] = []
    for x in crossings:
        horizon = horizon_of.get(x.id)
        st = Status(x.name, x.slug, "never", horizon=horizon, crossing_id=x.id)
        st.past_horizon = horizon is not None and today > horizon
        rows = live.get(x.id, [])
        found = rule.chain(rows, at, k)
        holding = next(
            (s for s in spans.get(x.id, []) if rule.within(s.starts_at, s.ends_at, at)), None
        )
        if found is not None:
            st.state, st.until, st.until_at = "authorized", found.last.end_date, found.ends_at
            st.until_local = found.ends_at.astimezone(tz)
            st.days_left = rule.days_left(found.ends_at, at, tz)
            st.instruments = list(dict.fromkeys(r.symbol for r in found.rows))
            st.authority_timezone = found.last.timezone
            chains[x.id] = [r.instrument_id for r in found.rows]
            st.caveat = found.rows[0].caveat
            doubtful = [r for r in found.rows if r.unconfirmed]
            if doubtful:
                st.unconfirmed = True
                st.unconfirmed_reason = f"{doubtful[0].symbol}: {doubtful[0].unconfirmed}"
        elif holding is not None:
            st.state = "unknown"
            st.unknown = UnknownSpan(
                start=holding.start_date,
                until=holding.end_date,
                note=holding.note,
                source=holding.source,
            )
        else:
            end = last.get(x.id)
            if end is not None:
                st.state = "unrenewed"
                st.last_instrument = end.symbol
                st.authority_timezone = end.timezone
                st.ended_at = rule.lapse_start(
                    end.ends_at, [(s.starts_at, s.ends_at) for s in spans.get(x.id, [])]
                )
                st.lapsed_since = st.ended_at.astimezone(zone(end.timezone)).date()
                ended.append(st)
            future = rule.first_after(rows, at, k)
            if future is not None:
                st.note = f"authorized from {future.start_date} by {future.symbol}"
                if end is not None:
                    st.state = "lapsed"
                    st.reason = dict(kind="gap", on=future.start_date, instrument=future.symbol)
        out.append(st)
    _add_reasons(db, [s for s in ended if s.reason is None], last, k)
    _add_chain_ends(db, out, k)
    _add_pending_reviews(db, out, chains, at, k, only, ids)
    for st in out:
        text = status_note(st)
        if st.state == "authorized" and st.note and st.pending:
            st.note = "; ".join([st.note, *st.pending])
        elif st.state == "unknown" and st.note:
            st.note = "; ".join([text, st.note])
        elif st.state in ("lapsed", "unrenewed") and st.note and st.reason:
            st.note = text if st.reason.get("kind") == "gap" else "; ".join([text, st.note])
        elif not st.note:
            st.note = text
    return out


def horizons_at(db, k: datetime, ids: list[int] | None = None) -> dict[int, date]:
    """Each crossing's horizon as known at K: the latest day of a fact known at K (a fact
    known after K never moves it: docs/time.md)."""
    sql = HORIZONS.format(
        known_f=known_sql("f", voids=False),
        only="AND f.crossing_id IN :ids" if ids is not None else "",
    )
    return {r.crossing_id: r.fact_day for r in db.rows(sql, ids=list(ids or []), known=k)}


def _add_reasons(db, candidates: list[Status], last: dict, k: datetime) -> None:
    """Why each ended authority lapsed, from the facts known at K (module docstring); a
    crossing with no reason stays `unrenewed`."""
    if not candidates:
        return
    ends = {st.crossing_id: last[st.crossing_id] for st in candidates}
    since_of = {st.crossing_id: st.lapsed_since for st in candidates}
    since = min(e.inst_known_at for e in ends.values())
    found: dict[int, list[dict]] = {}
    for f in db.rows(
        REASON_FACTS.format(known_f=known_sql("f", voids=False)),
        ids=[st.crossing_id for st in candidates],
        since=since,
        known=k,
    ):
        end = ends[f.crossing_id]
        st_since = since_of[f.crossing_id]
        if f.known_at < end.inst_known_at:
            continue
        own = f.instrument_id == end.instrument_id
        if f.kind in ("terminated", "objected", "not_extended") and not own:
            continue
        if f.kind == "checked" and (st_since is None or f.fact_day < st_since):
            continue
        entry = dict(kind=f.kind, on=f.fact_day)
        if f.detail:  # a draft's title, or the instrument (a declared check has neither)
            entry["title" if f.kind in ("vetoed", "failed") else "instrument"] = f.detail
        found.setdefault(f.crossing_id, []).append(entry)
    renewals: dict[int, list] = {}
    for r in db.rows(
        RENEWALS_OF.format(known_i=known_sql("i", voids=False)),
        ids=sorted({e.instrument_id for e in ends.values()}),
        known=k,
    ):
        renewals.setdefault(r.renews_id, []).append(r)
    for st in candidates:
        end = ends[st.crossing_id]
        for r in renewals.get(end.instrument_id, []):
            found.setdefault(st.crossing_id, []).append(
                dict(kind="dropped", on=r.adopted or r.known_from, instrument=r.symbol)
            )
        reasons = found.get(st.crossing_id)
        if not reasons:
            continue
        rank = {kind: n for n, kind in enumerate(REASONS)}
        best = min(reasons, key=lambda e: (rank[e["kind"]], -e["on"].toordinal()))
        st.state, st.reason = "lapsed", best


# The expiry at the end of each authorized crossing's chain, when it has a detail (an automatic
# renewal, a termination, a disputed end: corridor.core.derive): index seeks on due_date for
# the few distinct end dates, matched to the crossings in Python; nothing comes back for an
# ordinary record.
CHAIN_ENDS = """
SELECT d.crossing_id, d.due_at, d.note, d.detail FROM deadlines d
WHERE d.due_date IN :days AND d.kind = 'expiry' AND d.detail IS NOT NULL AND {known_d}
"""


def _add_chain_ends(db: Reader, out: list[Status], k: datetime) -> None:
    """What status says of the end of the coverage in force: renews automatically unless a
    party objects, terminated, disputed (the same detail `upcoming` shows for that expiry)."""
    ends = {(st.crossing_id, st.until_at): st for st in out if st.state == "authorized"}
    if not ends:
        return
    days = sorted({st.until for st in ends.values() if st.until is not None})
    rows = db.rows(CHAIN_ENDS.format(known_d=known_sql("d")), days=days, known=k)
    for row in rows:
        st = ends.get((row.crossing_id, row.due_at))
        if st is None:
            continue
        detail = DeadlineDetail.from_json(row.detail).as_known_at(k)
        if detail.empty:  # its changes are not known at K yet: nothing to say of the end
            continue
        st.note = detail.note or row.note
        st.renews_to = detail.renews_to_day
        st.objection_by = detail.objection_by_day
        st.disputed_ends = detail.disputed_ends


# Review points of the instruments covering the crossings at or after T. Whether each is
# still pending at T as known at K is decided on instants (corridor.core.coverage.pending).
PENDING_REVIEWS = """
SELECT r.instrument_id, r.review_date, r.condition, r.decided_on, r.decided_at, i.timezone,
       p.end_date
FROM reviews r
JOIN instruments i ON i.id = r.instrument_id
LEFT JOIN periods p ON p.instrument_id = r.instrument_id AND p.conditional_review_id = r.id
WHERE r.review_date >= :lo
  AND r.instrument_id IN (
      SELECT cv.instrument_id FROM crossings c CROSS JOIN coverage cv
      WHERE cv.crossing_id = c.id AND cv.ends_at > :at AND {known_cv} {only})
ORDER BY r.review_date, r.id
"""


def _add_pending_reviews(db, out: list[Status], chains, at: datetime, k, only, ids) -> None:
    wanted = {iid for chain in chains.values() for iid in chain}
    if not wanted:
        return
    pending: dict[int, list[str]] = {}
    for row in db.rows(
        PENDING_REVIEWS.format(only="AND c.id IN :ids" if only else "", known_cv=known_sql("cv")),
        at=at,
        known=k,
        ids=ids,
        lo=at.date() - timedelta(days=2),
    ):
        tz = zone(row.timezone)
        decided_at = (
            rule.fact_known_at(row.decided_on, tz, row.decided_at) if row.decided_on else None
        )
        if not rule.pending(end_of_day(row.review_date, tz), decided_at, at, k):
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


def status_note(st: Status) -> str:
    if st.state == "authorized":
        return "; ".join(st.pending) if st.pending else ""
    if st.state in ("lapsed", "unrenewed"):
        end = st.lapsed_since - timedelta(days=1) if st.lapsed_since else None
        text = f"authority ended {end} (last: {st.last_instrument})"
        if st.state == "unrenewed":
            return text + "; no renewal is recorded"
        return f"{text}; {reason_text(st.reason)}"
    if st.state == "unknown":
        span = st.unknown
        start, until = (span.start, span.until) if span else (None, None)
        text = f"unknown (no source) from {start} to {until}"
        return text + (f": {span.note}" if span and span.note else "")
    return "never authorized in the record"


def past_horizon(
    conn: ReadConn,
    *,
    at: datetime,
    tz: tzinfo,
    crossing_ids: list[int] | None = None,
    known_at: datetime | None = None,
) -> list[tuple[str, date]]:
    """(crossing, last day of authority) for the crossings whose authority ended with no
    renewal and no reason recorded, as known at K (`unrenewed`): reports say so on stderr,
    since the answer rests on the absence of a fact (docs/time.md)."""
    found = status(conn, at=at, tz=tz, crossing_ids=crossing_ids, known_at=known_at)
    out = [
        (st.crossing, st.lapsed_since - timedelta(days=1))
        for st in found
        if st.state == "unrenewed" and st.lapsed_since is not None
    ]
    return sorted(out, key=lambda x: (x[1], x[0]))


LOST = """
SELECT c.id FROM crossings c
WHERE NOT EXISTS (
    SELECT 1 FROM coverage c3
    WHERE c3.crossing_id = c.id AND c3.ends_at > :at AND c3.starts_at <= :at AND {known_c3})
  AND EXISTS (
    SELECT 1 FROM coverage c2 WHERE c2.crossing_id = c.id AND c2.ends_at <= :at AND {known_c2})
  AND NOT EXISTS (
    SELECT 1 FROM unknown_spans u
    WHERE u.crossing_id = c.id AND u.starts_at <= :at AND u.ends_at > :at AND {known_u})
  {only}
ORDER BY c.id
"""


def lost_authority(
    conn: ReadConn, *, at: datetime, crossing_ids: list[int] | None = None
) -> list[int]:
    """The ids of the crossings that may be lapsed or unrenewed at `at` (a superset: `status`
    decides): check and a nothing-due alerts run ask `status` about these alone. The test
    that rules out most crossings (coverage holds T) comes first."""
    sql = LOST.format(
        known_c2=known_sql("c2", "at"),
        known_c3=known_sql("c3", "at"),
        known_u=known_sql("u", "at", voids=False, optional=True),
        only="AND c.id IN :ids" if crossing_ids is not None else "",
    )
    rows = reader(conn).rows(sql, at=at, ids=list(crossing_ids or []))
    return [r.id for r in rows]
