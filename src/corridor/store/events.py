"""Upserting events (drafts and votes) and working-day calendars: the one writer's part for
them (corridor.store.writer)."""

from __future__ import annotations

import sqlalchemy as sa

from corridor.core.errors import InvalidDataError
from corridor.db import tables as t
from corridor.record.model import CalendarRec, EventRec
from corridor.store.audit import Change
from corridor.store.audit import write as audit
from corridor.store.snapshot import calendar_dict, event_dict
from corridor.store.summary import Renames, Summary


def apply_event(
    conn: sa.Connection,
    rec: EventRec,
    slugs: dict[str, int],
    summary: Summary,
    change: Change,
    renames: Renames,
) -> None:
    e = t.events.c
    for slug in rec.crossings:
        if slug not in slugs:
            raise InvalidDataError(
                f"{rec.where.at('crossings')}: no crossing {slug!r}",
                "add it under `crossings:` or use an existing slug",
            )
    values = dict(
        event_date=rec.date,
        kind=rec.kind,
        title=rec.title,
        vote=rec.vote,
        source=rec.source,
        note=rec.note,
        event_at=rec.at,
    )
    row = conn.execute(
        sa.select(t.events).where(e.event_date == rec.date, e.title == rec.title)
    ).first()
    if row is None and (rec.date, rec.title) in renames.events:
        old_date, old_title = renames.events[(rec.date, rec.title)]
        row = conn.execute(
            sa.select(t.events).where(e.event_date == old_date, e.title == old_title)
        ).first()
    wanted_scope = sorted(set(rec.crossings))
    key = f"{rec.date} {rec.title}"
    if row is not None:
        old = event_dict(conn, row.id)
        current = {k: getattr(row, k) for k in values}
        if current == values and old.get("crossings", []) == wanted_scope:
            summary.unchanged += 1
            return
        conn.execute(sa.update(t.events).where(e.id == row.id).values(**values))
        conn.execute(sa.delete(t.event_crossings).where(t.event_crossings.c.event_id == row.id))
        eid, action = row.id, "updated"
    else:
        old = None
        eid = conn.execute(sa.insert(t.events).values(**values).returning(e.id)).scalar_one()
        action = "created"
    if wanted_scope:
        conn.execute(
            sa.insert(t.event_crossings),
            [dict(event_id=eid, crossing_id=slugs[s]) for s in wanted_scope],
        )
    new = event_dict(conn, eid)
    getattr(summary, action).append(f"event {key}")
    audit(
        conn,
        change,
        action=action,
        entity="event",
        key=key,
        old=old,
        new=new,
        crossings=set((old or {}).get("crossings", [])) | set(wanted_scope),
    )


def apply_calendar(conn: sa.Connection, rec: CalendarRec, summary: Summary, change: Change) -> None:
    """Upsert a calendar by the authority or country it is for (docs/records.md, Working
    days). Holidays are replaced by the record's list."""
    k = t.calendars.c
    values = dict(
        applies_to=rec.applies_to,
        weekend=",".join(rec.weekend) or None,
        source=rec.source,
        note=rec.note,
    )
    cid = conn.execute(
        sa.select(k.id).where(sa.func.lower(k.applies_to) == rec.applies_to.lower())
    ).scalar()
    old = calendar_dict(conn, cid) if cid is not None else None
    if cid is None:
        cid = conn.execute(sa.insert(t.calendars).values(**values).returning(k.id)).scalar_one()
        action = "created"
    else:
        conn.execute(sa.update(t.calendars).where(k.id == cid).values(**values))
        conn.execute(sa.delete(t.calendar_holidays).where(t.calendar_holidays.c.calendar_id == cid))
        action = "updated"
    if rec.holidays:
        conn.execute(
            sa.insert(t.calendar_holidays),
            [dict(calendar_id=cid, day=h.day, name=h.name) for h in rec.holidays],
        )
    new = calendar_dict(conn, cid)
    if old == new:
        summary.unchanged += 1
        return
    getattr(summary, action).append(f"calendar {rec.applies_to}")
    audit(
        conn,
        change,
        action=action,
        entity="calendar",
        key=rec.applies_to,
        old=old,
        new=new,
    )
