"""The reading use cases: upcoming deadlines, crossing status, a crossing's history.

Each takes an open connection, the `as_of` date and the reader's zone, and returns plain
dataclasses; nothing here knows about the terminal. As of D, the record knows only the
instruments adopted or announced on or before D and the outcomes decided on or before D
(DESIGN.md §2), so every query filters on `known_from <= D` and `void_from > D`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

import sqlalchemy as sa

from corridor import schema as t
from corridor.terms import last_local_day


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
    value = conn.execute(
        sa.select(t.record_meta.c.value).where(t.record_meta.c.key == "knowledge_ends")
    ).scalar()
    return date.fromisoformat(value) if value else None


def _visible(col_known, col_void, as_of):
    cond = col_known <= as_of
    return cond if col_void is None else sa.and_(cond, sa.or_(col_void.is_(None), col_void > as_of))


# ---------------------------------------------------------------- upcoming


def upcoming(
    conn,
    *,
    as_of: date,
    within: int,
    tz: tzinfo,
    crossing_ids: list[int] | None = None,
    kinds: tuple[str, ...] = t.DEADLINE_KINDS,
) -> list[Deadline]:
    d, cv, i, c, r = t.deadlines.c, t.coverage.c, t.instruments.c, t.crossings.c, t.reviews.c
    # An expiry is superseded as of D when coverage known by D carries the crossing past it.
    continued = sa.exists().where(
        cv.crossing_id == d.crossing_id,
        cv.continues_after <= d.due_date,
        cv.end_date > d.due_date,
        cv.known_from <= as_of,
    )
    q = (
        sa.select(
            d.due_date,
            d.due_at,
            d.kind,
            d.note,
            d.conditional,
            d.uid,
            i.symbol,
            i.timezone,
            c.name,
            c.slug,
            r.outcome,
            r.decided_on,
            r.review_date,
        )
        .join(t.instruments, i.id == d.instrument_id)
        .join(t.crossings, c.id == d.crossing_id)
        .outerjoin(t.reviews, r.id == d.review_id)
        # the authority's date and the reader's can differ by a day either way
        .where(d.due_date.between(as_of - timedelta(days=2), as_of + timedelta(days=within + 2)))
        .where(_visible(d.known_from, d.void_from, as_of))
        .where(sa.not_(sa.and_(d.kind == "expiry", continued)))
        .where(d.kind.in_(kinds))
        .order_by(d.due_at, d.kind, i.symbol, c.name)
    )
    if crossing_ids is not None:
        q = q.where(d.crossing_id.in_(crossing_ids))
    grouped: dict[tuple, Deadline] = {}
    for row in conn.execute(q):
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


def status(conn, *, as_of: date, tz: tzinfo, crossing_ids: list[int] | None = None) -> list[Status]:
    c, cv, i = t.crossings.c, t.coverage.c, t.instruments.c
    q = sa.select(c.id, c.name, c.slug, c.known_until).order_by(c.name)
    if crossing_ids is not None:
        q = q.where(c.id.in_(crossing_ids))
    crossings = conn.execute(q).all()
    ids = [x.id for x in crossings]
    ends = knowledge_ends(conn)

    # Coverage in force on D or later, as known on D: the current and already-adopted renewals.
    live: dict[int, list] = {}
    for row in conn.execute(
        sa.select(
            cv.crossing_id, cv.start_date, cv.end_date, cv.ends_at, cv.instrument_id, i.symbol
        )
        .join(t.instruments, i.id == cv.instrument_id)
        .where(cv.crossing_id.in_(ids), cv.end_date >= as_of, cv.known_from <= as_of)
        .order_by(cv.start_date, cv.end_date)
    ):
        live.setdefault(row.crossing_id, []).append(row)
    # The last coverage that ended before D, for "lapsed since".
    last_end = dict(
        conn.execute(
            sa.select(cv.crossing_id, sa.func.max(cv.end_date))
            .where(cv.crossing_id.in_(ids), cv.end_date < as_of, cv.known_from <= as_of)
            .group_by(cv.crossing_id)
        ).all()
    )

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

    _add_pending_reviews(conn, out, crossings, chain_ids, as_of)
    _add_last_instruments(conn, out, crossings, last_end, as_of)
    for st in out:
        if not st.note:
            st.note = _status_note(st)
    return out


def _add_pending_reviews(conn, out, crossings, chain_ids, as_of) -> None:
    wanted = {iid for chain in chain_ids.values() for iid in chain}
    if not wanted:
        return
    r, p = t.reviews.c, t.periods.c
    pending: dict[int, list[str]] = {}
    for row in conn.execute(
        sa.select(r.instrument_id, r.review_date, r.condition, p.end_date)
        .outerjoin(t.periods, p.conditional_review_id == r.id)
        .where(r.instrument_id.in_(wanted), r.review_date >= as_of)
        .where(sa.or_(r.decided_on.is_(None), r.decided_on > as_of))
        .order_by(r.review_date)
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


def _add_last_instruments(conn, out, crossings, last_end, as_of) -> None:
    cv, i = t.coverage.c, t.instruments.c
    for x, st in zip(crossings, out, strict=True):
        if st.authorized or x.id not in last_end:
            continue
        st.last_instrument = conn.execute(
            sa.select(i.symbol)
            .join(t.coverage, cv.instrument_id == i.id)
            .where(cv.crossing_id == x.id, cv.end_date == last_end[x.id], cv.known_from <= as_of)
            .order_by(i.known_from.desc())
            .limit(1)
        ).scalar()


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
