"""Upserting crossings (the one writer's part for them, corridor.store.writer): their rows,
aliases, countries and spans marked unknown, and the index of their names (`index_names`),
where a name or alias points to one crossing only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlalchemy as sa

from corridor.core.errors import InvalidDataError, NotFoundError
from corridor.core.names import index_key
from corridor.core.terms import day_start, end_of_day, zone
from corridor.db import tables as t
from corridor.record.model import CrossingRec, Declaration, UnknownRec
from corridor.store.audit import Change
from corridor.store.audit import write as audit
from corridor.store.rederive import rederive
from corridor.store.snapshot import crossing_countries, crossing_dict
from corridor.store.summary import Renames, Summary


def _crossing_values(rec: CrossingRec) -> dict:
    return dict(
        slug=rec.slug,
        name=rec.name,
        kind=rec.kind,
        lat=rec.lat,
        lon=rec.lon,
        notes=rec.notes,
        known_until=rec.known_until,
        known_until_note=rec.known_until_note,
        known_until_at=rec.known_until_at,
        checked_before=_checks_text(rec.checked_before),
    )


def _checks_text(checks: Iterable[Declaration]) -> str | None:
    """Earlier declarations as stored: a JSON list of dates or instants (UTC), oldest first."""
    if not checks:
        return None
    return json.dumps(
        [
            c.on.isoformat() if c.at is None else c.at.isoformat().replace("+00:00", "Z")
            for c in map(Declaration._make, checks)
        ]
    )


def apply_crossing(
    conn: sa.Connection,
    rec: CrossingRec,
    slugs: dict[str, int],
    summary: Summary,
    change: Change,
    renames: Renames,
) -> int | None:
    """Insert or update one crossing; its id if it was written (its names need re-indexing)."""
    values = _crossing_values(rec)
    cid = slugs.get(rec.slug)
    old_slug = rec.slug
    if cid is None and rec.slug in renames.crossings:
        old_slug = renames.crossings[rec.slug]
        cid = slugs.pop(old_slug, None)
        if cid is None:
            raise NotFoundError(f"no crossing {old_slug!r}")
        slugs[rec.slug] = cid
    if cid is None:
        cid = conn.execute(
            sa.insert(t.crossings).values(**values).returning(t.crossings.c.id)
        ).scalar_one()
        slugs[rec.slug] = cid
        _insert_aliases(conn, cid, rec.aliases)
        _insert_countries(conn, cid, rec.countries)
        _insert_unknown(conn, cid, rec.unknown)
        summary.created.append(f"crossing {rec.slug}")
        audit(
            conn,
            change,
            action="created",
            entity="crossing",
            key=rec.slug,
            old=None,
            new=crossing_dict(conn, cid),
            crossings={rec.slug},
        )
        return cid
    row = (
        conn.execute(sa.select(*[t.crossings.c[k] for k in values]).where(t.crossings.c.id == cid))
        .one()
        ._asdict()
    )
    if (
        row == values
        and _aliases(conn, cid) == _dedupe(rec.aliases)
        and crossing_countries(conn, cid) == list(rec.countries)
        and _unknown(conn, cid) == _in_order(rec.unknown)
    ):
        summary.unchanged += 1
        return None
    old = crossing_dict(conn, cid)
    conn.execute(sa.update(t.crossings).where(t.crossings.c.id == cid).values(**values))
    conn.execute(sa.delete(t.crossing_aliases).where(t.crossing_aliases.c.crossing_id == cid))
    _insert_aliases(conn, cid, rec.aliases)
    conn.execute(sa.delete(t.crossing_countries).where(t.crossing_countries.c.crossing_id == cid))
    _insert_countries(conn, cid, rec.countries)
    conn.execute(sa.delete(t.unknown_spans).where(t.unknown_spans.c.crossing_id == cid))
    _insert_unknown(conn, cid, rec.unknown)
    if old_slug != rec.slug:  # deadline uids name the slug
        for iid in instruments_covering(conn, cid):
            rederive(conn, iid)
    summary.updated.append(f"crossing {rec.slug}")
    audit(
        conn,
        change,
        action="updated",
        entity="crossing",
        key=rec.slug,
        old=old,
        new=crossing_dict(conn, cid),
        crossings={old_slug, rec.slug},
    )
    return cid


def index_names(conn: sa.Connection, cids: list[int]) -> None:
    """Re-index the names of the crossings `cids` in `crossing_keys`, whose primary key lets a
    name (folded as lookups fold it) point to one crossing only. The crossings of one document
    are re-indexed together, so a name may move from one to another within it."""
    if not cids:
        return
    k = t.crossing_keys.c
    conn.execute(sa.delete(t.crossing_keys).where(k.crossing_id.in_(cids)))
    c, a = t.crossings.c, t.crossing_aliases.c
    wanted: dict[str, tuple[int, str]] = {}
    rows: list[tuple[int, str | None, str | None]] = [
        (r.id, r.name, r.slug)
        for r in conn.execute(sa.select(c.id, c.name, c.slug).where(c.id.in_(cids)))
    ]
    rows += [
        (cid, alias, None)
        for cid, alias in conn.execute(
            sa.select(a.crossing_id, a.alias)
            .where(a.crossing_id.in_(cids))
            .order_by(a.position, a.id)
        )
    ]
    for cid, *names in rows:
        for name in names:
            key = index_key(name) if name else ""
            if not key or name is None:
                continue
            other = wanted.setdefault(key, (cid, name))
            if other[0] != cid:
                raise _shared_name(conn, name, other[0])
    taken: dict[str, int] = {}
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        taken.update(
            conn.execute(
                sa.select(k.name_key, k.crossing_id).where(
                    k.name_key.in_(keys[start : start + 500])
                )
            ).all()
        )
    for key, owner in taken.items():
        raise _shared_name(conn, wanted[key][1], owner)
    if wanted:
        try:
            conn.execute(
                sa.insert(t.crossing_keys),
                [dict(name_key=key, crossing_id=cid) for key, (cid, _n) in wanted.items()],
            )
        except sa.exc.IntegrityError:  # only if the checks above missed a case: still refused
            raise InvalidDataError(
                "a crossing name or alias is already used by another crossing",
                "an alias must point to one crossing only",
            ) from None


def _shared_name(conn, name: str, owner: int) -> InvalidDataError:
    c = t.crossings.c
    shown = conn.execute(sa.select(c.name).where(c.id == owner)).scalar_one()
    return InvalidDataError(
        f'"{name}" already names the crossing {shown}',
        "a name or alias must point to one crossing only; "
        f'correct it, or add a spelling to {shown} with: corridor crossing alias "{shown}" NAME',
    )


def _insert_aliases(conn, cid: int, aliases: Iterable[str]) -> None:
    if aliases:
        conn.execute(
            sa.insert(t.crossing_aliases),
            [dict(crossing_id=cid, alias=a, position=i) for i, a in enumerate(_dedupe(aliases))],
        )


def _insert_countries(conn, cid: int, countries) -> None:
    conn.execute(
        sa.insert(t.crossing_countries),
        [dict(crossing_id=cid, position=i, code=c) for i, c in enumerate(countries)],
    )


def _in_order(spans: Iterable[UnknownRec]) -> list[UnknownRec]:
    """A crossing's unknown spans as compared and stored: in date order (docs/records.md)."""
    return sorted(spans, key=lambda u: (u.start, u.until, u.timezone, u.note or "", u.source or ""))


def _unknown(conn, cid: int) -> list[UnknownRec]:
    u = t.unknown_spans.c
    rows = conn.execute(
        sa.select(u.start_date, u.end_date, u.timezone, u.note, u.source, u.known_at).where(
            u.crossing_id == cid
        )
    )
    return _in_order(UnknownRec(*r) for r in rows)


def _insert_unknown(conn, cid: int, spans: Iterable[UnknownRec]) -> None:
    rows = []
    for pos, span in enumerate(_in_order(spans)):
        tz = zone(span.timezone)
        rows.append(
            dict(
                crossing_id=cid,
                position=pos,
                start_date=span.start,
                end_date=span.until,
                timezone=span.timezone,
                starts_at=day_start(span.start, tz),
                ends_at=end_of_day(span.until, tz),
                note=span.note,
                source=span.source,
                known_at=span.known_at,
            )
        )
    if rows:
        conn.execute(sa.insert(t.unknown_spans), rows)


def instruments_covering(conn: sa.Connection, cid: int) -> list[int]:
    return sorted(
        set(
            conn.execute(
                sa.select(t.periods.c.instrument_id)
                .join(t.period_crossings, t.period_crossings.c.period_id == t.periods.c.id)
                .where(t.period_crossings.c.crossing_id == cid)
            ).scalars()
        )
    )


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _aliases(conn, cid: int) -> list[str]:
    a = t.crossing_aliases.c
    return list(
        conn.execute(
            sa.select(a.alias).where(a.crossing_id == cid).order_by(a.position, a.id)
        ).scalars()
    )
