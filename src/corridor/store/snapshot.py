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

DATASET_KEYS = ("name", "note")


def _legible(read):
    """Each record leaves here legible (corridor.record.legible): a character stored by an
    older corridor that today's rules refuse is written as a visible escape."""
    import functools

    from corridor.record.legible import legible

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
    i, p, r, rp = t.instruments.c, t.periods.c, t.reviews.c, t.reports.c
    row = conn.execute(sa.select(t.instruments).where(i.id == instrument_id)).one()
    renews = None
    if row.renews_id is not None:
        renews = conn.execute(sa.select(i.symbol).where(i.id == row.renews_id)).scalar_one()
    scope: dict[int, list[str]] = {}
    for pid, slug in conn.execute(
        sa.select(t.period_crossings.c.period_id, t.crossings.c.slug)
        .join(t.crossings, t.crossings.c.id == t.period_crossings.c.crossing_id)
        .join(t.periods, p.id == t.period_crossings.c.period_id)
        .where(p.instrument_id == instrument_id)
    ):
        scope.setdefault(pid, []).append(slug)
    review_rows = conn.execute(
        sa.select(t.reviews).where(r.instrument_id == instrument_id).order_by(r.review_date, r.id)
    ).all()
    review_dates = {x.id: x.review_date for x in review_rows}
    period_rows = conn.execute(
        sa.select(t.periods).where(p.instrument_id == instrument_id).order_by(p.position, p.id)
    ).all()
    ids = [x.id for x in period_rows]
    objections: dict[int, list] = {}
    alt_ends: dict[int, list] = {}
    if any(x.auto_renews for x in period_rows):
        o = t.objections.c
        for x in conn.execute(sa.select(t.objections).where(o.period_id.in_(ids))):
            objections.setdefault(x.period_id, []).append(
                (x.notified_on, x.party, x.source, x.note, x.notified_at)
            )
    e = t.period_ends.c
    for x in conn.execute(sa.select(t.period_ends).where(e.period_id.in_(ids))):
        alt_ends.setdefault(x.period_id, []).append((x.end_date, x.source, x.note))
    periods = [
        (
            scope.get(x.id, []),
            x.start_date,
            x.end_date,
            x.term,
            x.term_from,
            x.stated,
            review_dates.get(x.conditional_review_id),
            (x.renew_for, x.renew_notice, x.renew_max, x.renew_until, objections.get(x.id, []))
            if x.auto_renews
            else None,
            alt_ends.get(x.id, []),
        )
        for x in period_rows
    ]
    reviews = [
        (x.review_date, x.condition, x.outcome, x.decided_on, x.decided_by, x.note, x.decided_at)
        for x in review_rows
    ]
    reports = [
        (x.due_date, x.description, x.note)
        for x in conn.execute(sa.select(t.reports).where(rp.instrument_id == instrument_id))
    ]
    x = t.instrument_parties.c
    parties = [
        (y.name, y.role, y.note)
        for y in conn.execute(
            sa.select(t.instrument_parties)
            .where(x.instrument_id == instrument_id)
            .order_by(x.position)
        )
    ]
    return instrument_doc(row._mapping, renews, periods, reviews, reports, parties)


def instrument_doc(values, renews: str | None, periods, reviews, reports, parties=()) -> dict:
    """An instrument in the export form, from plain values: `values` has the instruments row's
    columns; periods are (crossings, start, until, term, term_from, stated, conditional_on,
    auto_renew, alternative_ends) where auto_renew is None or (for, notice, max, until,
    [(on, by, source, note, on_at)]) and alternative_ends [(until, source, note)];
    reviews (date, condition, outcome, decided_on, decided_by, note, decided_at) in date
    order (the `*_at` instants None unless the record gives one); reports
    (due, description, note); parties (name, role, note) in their recorded order. The store
    builds its audit values with this, from what it wrote."""
    tz = zone(values["timezone"])
    return _compact(
        [
            ("symbol", values["symbol"]),
            ("title", values["title"]),
            ("kind", values["kind"]),
            ("authority", values["authority"]),
            ("timezone", values["timezone"]),
            ("signed_in", values["signed_in"]),
            (
                "parties",
                [_compact([("name", n), ("role", r), ("note", note)]) for n, r, note in parties],
            ),
            ("adopted", _fact(values["adopted"], values.get("adopted_at"), tz)),
            ("vote", values["vote"]),
            ("source", values["source"]),
            ("source_url", values["source_url"]),
            ("unconfirmed", values["unconfirmed"]),
            ("caveat", values["caveat"]),
            ("renews", renews),
            ("relation", values["relation"] if renews else None),
            ("notes", values["notes"]),
            (
                "periods",
                [
                    _compact(
                        [
                            ("crossings", sorted(set(c))),
                            ("start", s),
                            ("until", e),
                            ("for", term),
                            ("from", _term_from(tf)),
                            ("stated", st),
                            ("conditional_on", co),
                            ("auto_renew", _auto_doc(auto, tz)),
                            (
                                "alternative_ends",
                                [
                                    _compact([("until", d), ("source", src), ("note", n)])
                                    for d, src, n in sorted(alts, key=_sort_key)
                                ],
                            ),
                        ]
                    )
                    for c, s, e, term, tf, st, co, auto, alts in periods
                ],
            ),
            (
                "reviews",
                [
                    _compact(
                        [
                            ("date", d),
                            ("condition", c),
                            ("outcome", o),
                            ("decided_on", _fact(on, on_at, tz)),
                            ("decided_by", by),
                            ("note", n),
                        ]
                    )
                    for d, c, o, on, by, n, on_at in reviews
                ],
            ),
            (
                "reports",
                sorted(
                    (
                        _compact([("due", d), ("description", text), ("note", n)])
                        for d, text, n in reports
                    ),
                    key=lambda x: (x["due"], x["description"], x.get("note") or ""),
                ),
            ),
            ("terminated", _termination_doc(values, tz)),
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


def _auto_doc(auto, tz) -> dict | None:
    if auto is None:
        return None
    term, notice, count, until, objections = auto
    return _compact(
        [
            ("for", str(term) if term else None),
            ("notice", str(notice) if notice else None),
            ("max", count),
            ("until", until),
            (
                "objections",
                [
                    _compact([("on", _fact(on, at, tz)), ("by", by), ("source", src), ("note", n)])
                    for on, by, src, n, at in sorted(objections, key=_sort_key)
                ],
            ),
        ]
    )


def _termination_doc(values, tz) -> dict | None:
    if values.get("terminated_effective") is None:
        return None
    return _compact(
        [
            ("effective", values["terminated_effective"]),
            ("known", _fact(values["terminated_known"], values.get("terminated_known_at"), tz)),
            ("by", values.get("terminated_by")),
            ("source", values.get("terminated_source")),
            ("note", values.get("terminated_note")),
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
