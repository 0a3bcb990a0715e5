"""The record out of the database, in the native format (docs/format.md), deterministically.

The same functions give the audit trail its "before" and "after" values, so a change is shown
in the shape a person would write it. Determinism (byte-identical exports after export →
import → export, on SQLite and PostgreSQL alike):
- sections in a fixed order, keys in a fixed order, empty values left out;
- crossings sorted by slug, instruments by (known_from, symbol), events by (date, title),
  the crossings of a period or event by slug; sorting is done here, in Python, never by a
  database collation;
- `start` and `until` always written out (resolved), `for`/`from`/`stated` kept as recorded.
"""

from __future__ import annotations

import functools
import json
from datetime import date
from typing import Any

import sqlalchemy as sa

from corridor.core.coverage import ANYWHERE_ON_EARTH, DRAFT_ZONE
from corridor.core.jsonable import plain  # noqa: F401  (dates as ISO text; edit and audit use it)
from corridor.core.terms import fact_text, zone
from corridor.db import tables as t
from corridor.db.revisions import revisions
from corridor.record.format import FORMAT_VERSION
from corridor.record.legible import legible
from corridor.record.model import AutoRenewRec, InstrumentRec, PeriodRec, TerminationRec
from corridor.store.instrument_rows import read_instrument

DATASET_KEYS = ("name", "note")


def _legible(read):
    """Each record leaves here legible (corridor.record.legible): a character stored by an
    older corridor that today's rules refuse is written as a visible escape."""

    @functools.wraps(read)
    def wrapper(*args, **kwargs):
        return legible(read(*args, **kwargs))

    return wrapper


def _compact(pairs: list[tuple[str, Any]]) -> dict:
    return {k: v for k, v in pairs if v is not None and v != []}


# ---------------------------------------------------------------- one record


@_legible
def dataset_dict(conn) -> dict:
    meta = dict(conn.execute(sa.select(t.record_meta.c.key, t.record_meta.c.value)).all())
    out = {}
    for key in DATASET_KEYS:
        value = meta.get(key)
        if value is None:
            continue
        out[key] = value
    return out


@_legible
def crossing_dict(conn, crossing_id: int) -> dict:
    c, a = t.crossings.c, t.crossing_aliases.c
    row = conn.execute(sa.select(t.crossings).where(c.id == crossing_id)).one()
    aliases = list(
        conn.execute(
            sa.select(a.alias).where(a.crossing_id == crossing_id).order_by(a.position, a.id)
        ).scalars()
    )
    u = t.unknown_spans.c
    unknown = [
        _compact(
            [
                ("start", x.start_date),
                ("until", x.end_date),
                ("timezone", None if x.timezone == "UTC" else x.timezone),
                ("note", x.note),
                ("source", x.source),
                ("known", _span_known(x)),
            ]
        )
        for x in conn.execute(
            sa.select(t.unknown_spans)
            .where(u.crossing_id == crossing_id)
            .order_by(u.start_date, u.position, u.id)
        )
    ]
    return _compact(
        [
            ("slug", row.slug),
            ("name", row.name),
            ("kind", None if row.kind == "land" else row.kind),  # land: the default, unwritten
            ("countries", crossing_countries(conn, crossing_id)),
            ("aliases", aliases),
            ("lat", row.lat),
            ("lon", row.lon),
            ("notes", row.notes),
            ("known_until", _fact(row.known_until, row.known_until_at, ANYWHERE_ON_EARTH)),
            ("checked_before", _checks(row.checked_before)),
            ("known_until_note", row.known_until_note),
            ("unknown", unknown),
        ]
    )


def _span_known(x):
    """A span's known instant in the export form (its own zone), or None."""
    if x.known_at is None:
        return None
    tz = zone(x.timezone)
    return fact_text(x.known_at.astimezone(tz).date(), x.known_at, tz)


def _checks(text: str | None) -> list:
    """Earlier declarations in the export form: dates, or instants as written (UTC)."""
    if not text:
        return []
    return [date.fromisoformat(v) if "T" not in v else v for v in json.loads(text)]


def crossing_countries(conn, crossing_id: int) -> list[str]:
    x = t.crossing_countries.c
    return list(
        conn.execute(
            sa.select(x.code).where(x.crossing_id == crossing_id).order_by(x.position)
        ).scalars()
    )


def _term_from(value: str | None):
    if value and value[:1].isdigit():
        return date.fromisoformat(value)
    return value


@_legible
def instrument_dict(conn, instrument_id: int) -> dict:
    return instrument_doc(read_instrument(conn, instrument_id).rec)


def instrument_doc(rec: InstrumentRec) -> dict:
    """An instrument in the export form, from its record with its periods resolved (`start`
    and `until` both set: corridor.store.renewals.resolve_periods, or as read back by
    corridor.store.instrument_rows). The store builds its audit values with this, from what
    it wrote, and compares it with what is recorded to see whether anything changed."""
    tz = zone(rec.timezone)
    return _compact(
        [
            ("symbol", rec.symbol),
            ("title", rec.title),
            ("kind", rec.kind),
            ("authority", rec.authority),
            ("timezone", rec.timezone),
            ("signed_in", rec.signed_in),
            (
                "parties",
                [
                    _compact([("name", x.name), ("role", x.role), ("note", x.note)])
                    for x in rec.parties
                ],
            ),
            ("adopted", _fact(rec.adopted, rec.adopted_at, tz)),
            ("vote", rec.vote),
            ("source", rec.source),
            ("source_url", rec.source_url),
            ("unconfirmed", rec.unconfirmed),
            ("caveat", rec.caveat),
            ("renews", rec.renews),
            ("relation", rec.relation if rec.renews else None),
            ("notes", rec.notes),
            ("periods", [_period_doc(p, tz) for p in rec.periods]),
            (
                "reviews",
                [
                    _compact(
                        [
                            ("date", r.date),
                            ("condition", r.condition),
                            ("outcome", r.outcome),
                            ("decided_on", _fact(r.decided_on, r.decided_at, tz)),
                            ("decided_by", r.decided_by),
                            ("note", r.note),
                        ]
                    )
                    for r in sorted(rec.reviews, key=lambda r: r.date)
                ],
            ),
            (
                "reports",
                sorted(
                    (
                        _compact([("due", r.due), ("description", r.description), ("note", r.note)])
                        for r in rec.reports
                    ),
                    key=lambda x: (x["due"], x["description"], x.get("note") or ""),
                ),
            ),
            ("terminated", _termination_doc(rec.terminated, tz)),
        ]
    )


def _period_doc(p: PeriodRec, tz) -> dict:
    return _compact(
        [
            ("crossings", sorted(set(p.crossings))),
            ("start", p.start),
            ("until", p.until),
            ("for", str(p.term) if p.term else None),
            ("from", _term_from(p.term_from)),
            ("stated", p.stated),
            ("conditional_on", p.conditional_on),
            ("auto_renew", _auto_doc(p.auto_renew, tz)),
            (
                "alternative_ends",
                [
                    _compact([("until", a.until), ("source", a.source), ("note", a.note)])
                    for a in sorted(
                        p.alternative_ends, key=lambda a: _sort_key((a.until, a.source, a.note))
                    )
                ],
            ),
        ]
    )


def _fact(day, at, tz):
    """A fact's date in the export form: the date, or its instant when the record gives one
    (docs/time.md, "When a fact is known")."""
    if day is None or at is None:
        return day
    return fact_text(day, at, tz)


def _sort_key(item: tuple) -> tuple:
    return tuple("" if v is None else str(v) for v in item)


def _auto_doc(auto: AutoRenewRec | None, tz) -> dict | None:
    if auto is None:
        return None
    return _compact(
        [
            ("for", str(auto.term) if auto.term else None),
            ("notice", str(auto.notice) if auto.notice else None),
            ("max", auto.max),
            ("until", auto.until),
            (
                "objections",
                [
                    _compact(
                        [
                            ("on", _fact(o.on, o.at, tz)),
                            ("by", o.by),
                            ("source", o.source),
                            ("note", o.note),
                        ]
                    )
                    for o in sorted(
                        auto.objections,
                        key=lambda o: _sort_key((o.on, o.by, o.source, o.note, o.at)),
                    )
                ],
            ),
        ]
    )


def _termination_doc(term: TerminationRec | None, tz) -> dict | None:
    if term is None:
        return None
    return _compact(
        [
            ("effective", term.effective),
            ("known", _fact(term.known, term.known_at, tz)),
            ("by", term.by),
            ("source", term.source),
            ("note", term.note),
        ]
    )


@_legible
def event_dict(conn, event_id: int) -> dict:
    e = t.events.c
    row = conn.execute(sa.select(t.events).where(e.id == event_id)).one()
    slugs = sorted(
        conn.execute(
            sa.select(t.crossings.c.slug)
            .join(t.event_crossings, t.event_crossings.c.crossing_id == t.crossings.c.id)
            .where(t.event_crossings.c.event_id == event_id)
        ).scalars()
    )
    return _compact(
        [
            ("date", _fact(row.event_date, row.event_at, zone(DRAFT_ZONE))),
            ("kind", row.kind),
            ("title", row.title),
            ("vote", row.vote),
            ("crossings", slugs),
            ("source", row.source),
            ("note", row.note),
        ]
    )


@_legible
def calendar_dict(conn, calendar_id: int) -> dict:
    k, h = t.calendars.c, t.calendar_holidays.c
    row = conn.execute(sa.select(t.calendars).where(k.id == calendar_id)).one()
    holidays = [
        {"date": x.day, "name": x.name}
        for x in conn.execute(
            sa.select(h.day, h.name).where(h.calendar_id == calendar_id).order_by(h.day)
        )
    ]
    return _compact(
        [
            ("for", row.applies_to),
            ("weekend", [d for d in (row.weekend or "").split(",") if d]),
            ("holidays", holidays),
            ("source", row.source),
            ("note", row.note),
        ]
    )


# ---------------------------------------------------------------- the whole record


def document_dict(conn) -> dict:
    """The whole record as one dict (lists materialised)."""
    return {
        k: v if isinstance(v, (dict, int)) else list(v) for k, v in document_parts(conn).items()
    }


def _with_revision(doc: dict, seen: dict) -> dict:
    revision, modified = seen.get(doc["symbol"], (0, None))
    if revision and modified is not None:
        doc["revision"] = revision
        doc["modified"] = plain(modified.replace(microsecond=0))
    return doc


def document_parts(conn) -> dict:
    """The whole record, its sections in order; the crossings, instruments, events and
    calendars as iterators that read one record at a time (an export of a large record never
    holds all of them at once)."""
    c, i, e = t.crossings.c, t.instruments.c, t.events.c
    crossings = sorted(conn.execute(sa.select(c.slug, c.id)).all())
    instruments = sorted(conn.execute(sa.select(i.known_from, i.symbol, i.id)).all())
    events = sorted(conn.execute(sa.select(e.event_date, e.title, e.id)).all())
    out: dict[str, Any] = {"corridor": FORMAT_VERSION}
    dataset = dataset_dict(conn)
    if dataset:
        out["dataset"] = dataset
    out["crossings"] = (crossing_dict(conn, x.id) for x in crossings)
    # What a calendar has seen of each (SEQUENCE, LAST-MODIFIED), so a move to another database
    # goes on from there (docs/format.md "Moving a record"). Only for an instrument changed
    # since it was recorded: one never changed is at SEQUENCE 0 anywhere, and the export of an
    # unchanged record stays free of bookkeeping.
    seen = revisions(conn)
    out["instruments"] = (_with_revision(instrument_dict(conn, x.id), seen) for x in instruments)
    out["events"] = (event_dict(conn, x.id) for x in events)
    calendars = sorted(conn.execute(sa.select(t.calendars.c.applies_to, t.calendars.c.id)).all())
    if calendars:  # written only when recorded: a record without them exports as before
        out["calendars"] = (calendar_dict(conn, x.id) for x in calendars)
    return out
