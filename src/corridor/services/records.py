"""Whole records in and out of the database: reading a record file and importing it (`corridor
import`), the record format as a JSON Schema (`corridor schema`), and reading the audit trail
(`corridor log`). Export is corridor.services.transfer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from corridor.core.errors import NotFoundError
from corridor.core.words import plural
from corridor.db import tables as t
from corridor.record.files import parse_text, read_text
from corridor.record.format import parse_document
from corridor.record.jsonschema import schema
from corridor.record.write import to_json
from corridor.services.edit import Result, find_crossing, find_instrument
from corridor.store.audit import Change, Entry, entries, known_slugs
from corridor.store.writer import apply


def read_record_file(path: str) -> tuple[str, str]:
    """(name, text) of a record file to import; "-" is standard input, named `<stdin>`. Read
    once, before the write transaction, so a retried transaction never reads it again."""
    text = read_text(path)
    return ("<stdin>" if path == "-" else path), text


def import_text(
    conn, text: str, name: str, change: Change, progress: Callable[[int, int], None] | None = None
) -> Result:
    """Upsert a whole record file (YAML or JSON) by natural keys: all or nothing.
    `progress(done, total)` hears of each instrument written."""
    doc = parse_document(parse_text(text, name), name, consume=True)
    summary = apply(conn, doc, progress, change=change)
    if not summary.changed:
        message = (
            f"Imported {name}: nothing changed ({summary.unchanged} records already up to date)."
        )
    else:
        message = (
            f"Imported {name}: {len(summary.created)} created, {len(summary.updated)} updated, "
            f"{summary.unchanged} unchanged."
        )
    shown = summary.updated[:20]
    listing = "".join(f"\n  updated {u}" for u in shown)
    if len(summary.updated) > len(shown):
        listing += f"\n  and {len(summary.updated) - len(shown)} more"
    return Result(
        message,
        summary,
        destructive=bool(summary.updated),
        question=f"{name} changes {plural(len(summary.updated), 'recorded record')}:{listing}"
        "\nApply?",
    )


def schema_text() -> str:
    """The record format as a JSON Schema, indented, for editors and other tools."""
    return to_json(schema())


# ---------------------------------------------------------------- the audit trail


def audit_log(
    conn,
    *,
    crossing: str | None = None,
    instrument: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[Entry]:
    """The audit trail, newest first: only changes touching a crossing (any of its names, or
    the slug of one since removed), to an instrument (as `instrument show` finds it, or the
    symbol of one since removed), on or after an instant, at most `limit`."""
    slug = key = None
    if crossing:
        slug = _crossing_slug(conn, crossing)
    if instrument:
        try:
            key = find_instrument(conn, instrument)[1]
        except NotFoundError:
            key = instrument.strip()  # a removed instrument lives on in the trail
    return entries(conn, crossing=slug, since=since, key=key, limit=limit)


def _crossing_slug(conn, name: str) -> str:
    try:
        cid = find_crossing(conn, name)
    except NotFoundError:
        if name.strip() in known_slugs(conn):  # a removed crossing lives on in the trail
            return name.strip()
        raise
    return conn.execute(sa.select(t.crossings.c.slug).where(t.crossings.c.id == cid)).scalar_one()
