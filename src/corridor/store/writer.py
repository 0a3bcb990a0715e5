"""Writing a validated record into the database: the one writer.

Upsert by natural keys (crossing slug, instrument symbol, event date + title), in the caller's
transaction, re-deriving the deadlines of every instrument that changed. Applying the same
document twice changes nothing. Every created, updated or removed record gets one entry in the
audit trail (corridor.store.audit) in the same transaction, whoever calls: `corridor import`, the
editing commands (corridor.services.edit), or the first load of the reference dataset.

Every writer therefore obeys the same rules (docs/records.md): a period's `for` and `until`
agree and it does not end before it starts, and a renewal is consistent with what it renews
(corridor.store.renewals). Removing records is corridor.store.removal.

Each kind of record has its module: corridor.store.crossings, corridor.store.instruments
(with corridor.store.instrument_rows), corridor.store.events; this one runs them in order for
one document, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from corridor.db import tables as t
from corridor.record.format import REFERENCE_NAME, reference_document
from corridor.record.model import Document
from corridor.record.validate import check_document
from corridor.store.audit import Change, check_change, default_change
from corridor.store.audit import write as audit
from corridor.store.crossings import apply_crossing, index_names
from corridor.store.events import apply_calendar, apply_event
from corridor.store.horizon import refresh_horizons
from corridor.store.instruments import ApplyCache, apply_instrument, dependency_order
from corridor.store.renewals import check_dependents
from corridor.store.snapshot import dataset_dict
from corridor.store.summary import Renames, Summary

__all__ = ["Renames", "Summary", "apply", "load_reference"]


def apply(
    conn: sa.Connection,
    doc: Document,
    progress: Callable[[int, int], None] | None = None,
    *,
    change: Change,
    renames: Renames | None = None,
) -> Summary:
    check_document(doc)  # the limits of docs/format.md, for records built in Python too
    check_change(change)
    renames = renames or Renames()
    summary = Summary()
    if doc.dataset:
        _apply_dataset(conn, doc.dataset, summary, change)
    slugs = _crossing_ids(conn)
    cache = ApplyCache(conn)
    touched = [
        apply_crossing(conn, crossing, slugs, summary, change, renames)
        for crossing in doc.crossings
    ]
    index_names(conn, [cid for cid in touched if cid is not None])
    ordered = dependency_order(doc.instruments)
    applied: set[int] = set()
    updated: list[int] = []
    for n, rec in enumerate(ordered, 1):
        iid, action = apply_instrument(conn, rec, slugs, summary, change, renames, cache)
        applied.add(iid)
        if action == "updated":
            updated.append(iid)
        if progress is not None:
            progress(n, len(ordered))
    for event in doc.events:
        apply_event(conn, event, slugs, summary, change, renames)
    for calendar in doc.calendars:
        apply_calendar(conn, calendar, summary, change)
    for iid in updated:
        check_dependents(conn, iid, slugs, skip=applied)
    refresh_horizons(conn)
    return summary


def _crossing_ids(conn: sa.Connection) -> dict[str, int]:
    return dict(conn.execute(sa.select(t.crossings.c.slug, t.crossings.c.id)).all())


# ---------------------------------------------------------------- dataset and crossings


def _apply_dataset(conn, dataset: dict, summary: Summary, change: Change) -> None:
    current = dict(conn.execute(sa.select(t.record_meta.c.key, t.record_meta.c.value)).all())
    old = dataset_dict(conn)
    changed = False
    for key, value in dataset.items():
        text = None if value is None else str(value)
        if current.get(key) == text and (key in current or text is None):
            continue
        if key in current:
            conn.execute(
                sa.update(t.record_meta).where(t.record_meta.c.key == key).values(value=text)
            )
        else:
            conn.execute(sa.insert(t.record_meta).values(key=key, value=text))
        changed = True
    if not changed:
        summary.unchanged += 1  # counted like any other record, so the totals add up
        return
    if changed:
        new = dataset_dict(conn)
        (summary.updated if old else summary.created).append("dataset")
        audit(
            conn,
            change,
            action="updated" if old else "created",
            entity="dataset",
            key="dataset",
            old=old or None,
            new=new,
        )


def load_reference(engine: sa.Engine, at: datetime) -> Summary:
    """Load the bundled reference dataset (idempotent), audited as made `at` by the OS user."""
    doc = reference_document()
    with engine.begin() as conn:
        return apply(conn, doc, change=default_change(REFERENCE_NAME, "reference", at))
