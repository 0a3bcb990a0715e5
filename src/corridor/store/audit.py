"""The audit trail: who changed which record, when, through which command, from which source,
and what it was before and after.

`corridor.store.writer` writes one entry per changed record (never one per file or per command), in
the same transaction as the change itself, so the trail and the record cannot disagree. The
values are the record in the native format's shape (corridor.store.snapshot), as JSON text.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from corridor.core.errors import UsageError
from corridor.core.text import MAX_NAME, text_problem
from corridor.db import tables as t
from corridor.store.snapshot import plain


@dataclass(frozen=True)
class Change:
    """Who is changing the record, when, through which command and from which source."""

    at: datetime  # an aware datetime: passed in, never read from the clock here
    by: str
    via: str
    source: str | None = None


def check_change(change: Change) -> None:
    """Who made a change is one line of at most MAX_NAME characters, as every other name
    (README "Limits"): `--by` and $CORRIDOR_USER are refused here on every backend alike."""
    problem = text_problem(change.by, multiline=False, limit=MAX_NAME, identifier=True)
    if problem:
        raise UsageError(
            f"the name of who made the change (--by or $CORRIDOR_USER): {problem}",
            f"give a name of at most {MAX_NAME} characters on one line",
        )


def os_user() -> str:
    """The name of the person at the terminal, as the operating system knows them."""
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry and no USER/LOGNAME (getpass reads those first)
        return f"uid {os.getuid()}"


def default_change(source: str | None, via: str, at: datetime) -> Change:
    """A change made by whoever runs the program (e.g. loading the reference dataset)."""
    return Change(at, os_user(), via, source)


def _json(value: dict | None) -> str | None:
    if value is None:
        return None
    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"))


# Built once: an import writes one entry per changed record.
_INSERT_CHANGE = sa.insert(t.changes).returning(t.changes.c.id)


def write(
    conn,
    change: Change,
    *,
    action: str,
    entity: str,
    key: str,
    old: dict | None,
    new: dict | None,
    crossings: Iterable[str] = (),
) -> int:
    cid = conn.execute(
        _INSERT_CHANGE,
        dict(
            changed_at=change.at,
            changed_by=change.by,
            via=change.via,
            source=change.source,
            action=action,
            entity=entity,
            record_key=key,
            old_value=_json(old),
            new_value=_json(new),
        ),
    ).scalar_one()
    slugs = sorted(set(crossings))
    if slugs:
        conn.execute(sa.insert(t.change_crossings), [dict(change_id=cid, slug=s) for s in slugs])
    return cid


# ---------------------------------------------------------------- reading the trail


@dataclass
class Entry:
    id: int
    at: datetime
    by: str
    via: str
    source: str | None
    action: str
    entity: str
    key: str
    crossings: list[str]
    old: Any
    new: Any
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (path, old, new)


def entries(
    conn,
    *,
    crossing: str | None = None,
    since: datetime | None = None,
    key: str | None = None,
    limit: int | None = None,
    after_id: int | None = None,
) -> list[Entry]:
    """The trail, newest first; optionally only changes touching one crossing (by slug), at
    or after an instant, or to one record (by natural key)."""
    ch, cc = t.changes.c, t.change_crossings.c
    q = sa.select(t.changes).order_by(ch.changed_at.desc(), ch.id.desc())
    if crossing is not None:
        q = q.where(ch.id.in_(sa.select(cc.change_id).where(cc.slug == crossing)))
    if since is not None:
        q = q.where(ch.changed_at >= since)
    if key is not None:
        q = q.where(ch.record_key == key)
    if after_id is not None:
        q = q.where(ch.id > after_id)
    if limit is not None:
        q = q.limit(limit)
    rows = conn.execute(q).all()
    scope: dict[int, list[str]] = {}
    if rows:
        for change_id, slug in conn.execute(
            sa.select(cc.change_id, cc.slug).where(cc.change_id.in_([r.id for r in rows]))
        ):
            scope.setdefault(change_id, []).append(slug)
    out = []
    for r in rows:
        old = json.loads(r.old_value) if r.old_value else None
        new = json.loads(r.new_value) if r.new_value else None
        out.append(
            Entry(
                r.id,
                r.changed_at,
                r.changed_by,
                r.via,
                r.source,
                r.action,
                r.entity,
                r.record_key,
                sorted(scope.get(r.id, [])),
                old,
                new,
                diff(old, new) if r.action == "updated" else [],
            )
        )
    return out


def last_id(conn) -> int:
    """The id of the newest entry (0 for an empty trail): entries(after_id=...) are newer."""
    return conn.execute(sa.select(sa.func.max(t.changes.c.id))).scalar() or 0


def known_slugs(conn) -> set[str]:
    """Every crossing slug the trail mentions, including crossings since removed."""
    return set(conn.execute(sa.select(t.change_crossings.c.slug).distinct()).scalars())


def _flatten(value: Any, path: str, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{path}.{k}" if path else k, out)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            _flatten(v, f"{path}[{i}]", out)
    else:
        out[path] = value


def diff(old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    """The fields that differ, as (path, old, new): `periods[0].until`, `aliases`, ..."""
    before: dict = {}
    after: dict = {}
    _flatten(old or {}, "", before)
    _flatten(new or {}, "", after)
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in BOOKKEEPING]
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


# Kept in an instrument's audit entry for the calendar (corridor.db.revisions), not facts of the
# record: an entry never lists them as changed fields.
BOOKKEEPING = frozenset({"revision", "modified"})
