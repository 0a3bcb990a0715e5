"""What the record knows of each crossing, and from when (docs/time.md, "When a fact is known").

Kept in the writer's transaction (corridor.store.writer.apply, removals, upgrades), by
`refresh_horizons`:

1. **Inferred steps.** An instrument recorded with no adoption date (`unconfirmed`, inferred
   from a later announcement) is not known before the announcement that implies it: its
   `known_at` is the earliest `known_at` of the instruments that renew or confirm it (through
   a chain of such undated steps if need be). With no such successor, it is taken as known
   from its first day, as before. A change re-derives that instrument's rows.
2. **Facts** (`crossing_facts`): every fact about a crossing with the instant it became known
   (corridor.core.coverage.fact_known_at): an instrument covering it became known, a review
   of such an instrument was decided, a termination or an objection was notified, a draft
   naming it was vetoed or failed, a renewal left it out, its record was declared complete
   (`known_until`). Reports
   read a crossing's horizon as known at K, and the reason a lapse has, from the facts known
   at K, so adding a fact known after K changes nothing said at K.
A crossing's horizon is not stored: reports read it as known at K from the facts
(corridor.services.status.horizons_at).
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from corridor.core.coverage import ANYWHERE_ON_EARTH, DRAFT_ZONE, fact_known_at
from corridor.core.terms import day_start, parse_fact_time, zone
from corridor.db import tables as t
from corridor.store.rederive import rederive


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def refresh_inferred(conn: sa.Connection) -> None:
    """Step 1 of the module docstring: an undated instrument is known from the earliest
    announcement that implies it."""
    i = t.instruments.c
    rows = conn.execute(
        sa.select(i.id, i.adopted, i.known_from, i.known_at, i.timezone, i.renews_id)
    ).all()
    undated = {r.id: r for r in rows if r.adopted is None}
    if not undated:
        return
    successors: dict[int, list[int]] = {}
    for r in rows:
        if r.renews_id is not None and r.renews_id in undated:
            successors.setdefault(r.renews_id, []).append(r.id)
    known = {r.id: r.known_at for r in rows if r.adopted is not None}
    for r in undated.values():
        known[r.id] = day_start(r.known_from, zone(r.timezone))
    changed = True
    while changed:  # a fixed point over chains of undated steps, without recursion
        changed = False
        for iid in undated:
            later = [known[s] for s in successors.get(iid, []) if s in known]
            if later and min(later) != known[iid]:
                known[iid] = min(later)
                changed = True
    for iid, r in undated.items():
        if known[iid] != r.known_at:
            conn.execute(sa.update(t.instruments).where(i.id == iid).values(known_at=known[iid]))
            rederive(conn, iid)


_COVERED = """
SELECT DISTINCT pc.crossing_id, p.instrument_id
FROM period_crossings pc JOIN periods p ON p.id = pc.period_id
"""


def _facts(conn: sa.Connection) -> list[dict]:
    """Step 2 of the module docstring: every fact about every crossing, with its instant."""
    i, r, o, e = t.instruments.c, t.reviews.c, t.objections.c, t.events.c
    insts = {
        x.id: x
        for x in conn.execute(
            sa.select(
                i.id,
                i.symbol,
                i.timezone,
                i.adopted,
                i.known_from,
                i.known_at,
                i.terminated_known,
                i.terminated_known_at,
                i.renews_id,
            )
        )
    }
    scope: dict[int, list[int]] = {}
    for cid, iid in conn.execute(sa.text(_COVERED)):
        scope.setdefault(iid, []).append(cid)
    out: list[dict] = []

    def add(cids, kind, day, known_at, iid=None, detail=None):
        for cid in cids:
            out.append(
                dict(
                    crossing_id=cid,
                    kind=kind,
                    day=day,
                    known_at=known_at,
                    instrument_id=iid,
                    detail=detail,
                )
            )

    for x in insts.values():
        cids = scope.get(x.id, [])
        if not cids:
            continue
        day = x.adopted or x.known_from
        add(cids, "adopted", day, x.known_at, x.id, x.symbol)
        if x.terminated_known is not None:
            k = max(
                fact_known_at(x.terminated_known, zone(x.timezone), x.terminated_known_at),
                x.known_at,
            )
            add(cids, "terminated", x.terminated_known, k, x.id, x.symbol)
    for x in insts.values():  # a renewal that leaves crossings out is a fact about them
        if x.renews_id is None or x.renews_id not in insts:
            continue
        dropped = sorted(set(scope.get(x.renews_id, [])) - set(scope.get(x.id, [])))
        add(dropped, "dropped", x.adopted or x.known_from, x.known_at, x.id, x.symbol)
    for rv in conn.execute(
        sa.select(r.instrument_id, r.outcome, r.decided_on, r.decided_at).where(
            r.decided_on.is_not(None), r.outcome != "pending"
        )
    ):
        x = insts[rv.instrument_id]
        k = max(fact_known_at(rv.decided_on, zone(x.timezone), rv.decided_at), x.known_at)
        add(scope.get(x.id, []), rv.outcome, rv.decided_on, k, x.id, x.symbol)
    for ob in conn.execute(
        sa.select(o.notified_on, o.notified_at, o.party, t.periods.c.instrument_id).join(
            t.periods, t.periods.c.id == o.period_id
        )
    ):
        x = insts[ob.instrument_id]
        k = max(fact_known_at(ob.notified_on, zone(x.timezone), ob.notified_at), x.known_at)
        cids = [
            c
            for (c,) in conn.execute(
                sa.select(t.period_crossings.c.crossing_id)
                .join(t.periods, t.periods.c.id == t.period_crossings.c.period_id)
                .where(t.periods.c.instrument_id == x.id)
                .distinct()
            )
        ]
        add(cids, "objected", ob.notified_on, k, x.id, f"{ob.party} ({x.symbol})")
    drafts = zone(DRAFT_ZONE)
    ec = t.event_crossings.c
    for ev in conn.execute(
        sa.select(ec.crossing_id, e.kind, e.event_date, e.event_at, e.title).join(
            t.events, e.id == ec.event_id
        )
    ):
        kind = ev.kind if ev.kind in ("vetoed", "failed") else "event"
        known = fact_known_at(ev.event_date, drafts, ev.event_at)
        add([ev.crossing_id], kind, ev.event_date, known, None, ev.title)
    c = t.crossings.c
    for ck in conn.execute(
        sa.select(c.id, c.known_until, c.known_until_at, c.checked_before).where(
            c.known_until.is_not(None)
        )
    ):
        k = fact_known_at(ck.known_until, ANYWHERE_ON_EARTH, ck.known_until_at)
        add([ck.id], "checked", ck.known_until, k)
        for text in json.loads(ck.checked_before or "[]"):  # earlier declarations
            day, at = parse_fact_time(text)
            add([ck.id], "checked", day, fact_known_at(day, ANYWHERE_ON_EARTH, at))
    return out


def refresh_horizons(conn: sa.Connection) -> None:
    """Steps 1 and 2 of the module docstring, in the caller's transaction."""
    refresh_inferred(conn)
    facts = _facts(conn)
    conn.execute(sa.delete(t.crossing_facts))
    if facts:
        conn.execute(sa.insert(t.crossing_facts), facts)
