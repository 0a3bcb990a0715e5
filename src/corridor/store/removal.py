"""Removing a record entered by mistake: refused while other records depend on it, and kept
in the audit trail (old value, who, when, why) in the same transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from corridor.core.derive import symbol_key
from corridor.core.errors import InvalidDataError, NotFoundError
from corridor.core.words import plural
from corridor.db import tables as t
from corridor.record.format import Document, Where, parse_instrument
from corridor.store.audit import Change
from corridor.store.audit import write as audit
from corridor.store.crossings import instruments_covering
from corridor.store.horizon import refresh_horizons
from corridor.store.instruments import scope_of
from corridor.store.snapshot import crossing_dict, event_dict, instrument_dict
from corridor.store.writer import apply


def remove_instrument(conn, symbol: str, change: Change) -> dict:
    """Delete an instrument with its periods, reviews, reports and deadlines. Refused while
    another instrument renews it. Returns the record as it was."""
    i = t.instruments.c
    iid = conn.execute(sa.select(i.id).where(i.symbol == symbol)).scalar()
    if iid is None:
        raise NotFoundError(f"no instrument {symbol!r}")
    heirs = sorted(conn.execute(sa.select(i.symbol).where(i.renews_id == iid)).scalars())
    if heirs:
        raise InvalidDataError(
            f"{symbol} cannot be removed: {', '.join(heirs)} renews it",
            "remove or correct that instrument first",
        )
    old = instrument_dict(conn, iid)
    conn.execute(sa.delete(t.instruments).where(i.id == iid))
    audit(
        conn,
        change,
        action="removed",
        entity="instrument",
        key=symbol,
        old=old,
        new=None,
        crossings=scope_of(old),
    )
    refresh_horizons(conn)
    return old


def forget_decider(conn, symbol: str, change: Change) -> list[str]:
    """After `symbol` is removed, no review outcome may still name it as what decided it:
    `decided_by` is cleared (the outcome and its date stay), each change written and audited
    by the one writer. Returns the instruments updated, as "instrument SYMBOL"."""
    r = t.reviews.c
    key = symbol_key(symbol)
    owners = sorted(
        {
            iid
            for iid, by in conn.execute(
                sa.select(r.instrument_id, r.decided_by).where(r.decided_by.is_not(None))
            )
            if symbol_key(by) == key
        }
    )
    updated = []
    for iid in owners:
        stored = instrument_dict(conn, iid)
        rec = parse_instrument(stored, Where(stored["symbol"]))
        rec = replace(
            rec,
            reviews=tuple(
                replace(r, decided_by=None)
                if r.decided_by and symbol_key(r.decided_by) == key
                else r
                for r in rec.reviews
            ),
        )
        updated += apply(
            conn, Document(instruments=[rec], source=change.source), change=change
        ).updated
    return updated


def remove_crossing(conn, slug: str, change: Change) -> dict:
    """Delete a crossing and its aliases. Refused while an instrument or event names it."""
    c = t.crossings.c
    cid = conn.execute(sa.select(c.id).where(c.slug == slug)).scalar()
    if cid is None:
        raise NotFoundError(f"no crossing {slug!r}")
    users = sorted(
        set(
            conn.execute(
                sa.select(t.instruments.c.symbol).where(
                    t.instruments.c.id.in_(instruments_covering(conn, cid))
                )
            ).scalars()
        )
    )
    events = conn.execute(
        sa.select(sa.func.count()).where(t.event_crossings.c.crossing_id == cid)
    ).scalar()
    plans = conn.execute(sa.select(sa.func.count()).where(t.plans.c.crossing_id == cid)).scalar()
    if users or events or plans:
        what = ", ".join(users[:3]) + (" and others" if len(users) > 3 else "")
        if events:
            what = f"{what}{' and ' if what else ''}{plural(events, 'failed or vetoed draft')}"
        if plans:  # the team's planned movements (docs/plans.md)
            what = f"{what}{' and ' if what else ''}{plural(plans, 'planned movement')}"
        raise InvalidDataError(
            f"{slug} cannot be removed: {what} name it",
            "remove those records first, or keep the crossing",
        )
    old = crossing_dict(conn, cid)
    conn.execute(sa.delete(t.crossing_keys).where(t.crossing_keys.c.crossing_id == cid))
    conn.execute(sa.delete(t.crossing_aliases).where(t.crossing_aliases.c.crossing_id == cid))
    conn.execute(sa.delete(t.crossing_countries).where(t.crossing_countries.c.crossing_id == cid))
    conn.execute(sa.delete(t.crossings).where(c.id == cid))
    audit(
        conn,
        change,
        action="removed",
        entity="crossing",
        key=slug,
        old=old,
        new=None,
        crossings={slug},
    )
    refresh_horizons(conn)
    return old


def remove_event(conn, day: date, title: str, change: Change) -> dict:
    e = t.events.c
    eid = conn.execute(sa.select(e.id).where(e.event_date == day, e.title == title)).scalar()
    if eid is None:
        raise NotFoundError(f"no draft or event on {day} titled {title!r}")
    old = event_dict(conn, eid)
    conn.execute(sa.delete(t.event_crossings).where(t.event_crossings.c.event_id == eid))
    conn.execute(sa.delete(t.events).where(e.id == eid))
    audit(
        conn,
        change,
        action="removed",
        entity="event",
        key=f"{day} {title}",
        old=old,
        new=None,
        crossings=set(old.get("crossings", [])),
    )
    refresh_horizons(conn)
    return old
