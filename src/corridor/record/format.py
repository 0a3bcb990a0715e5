"""The native record format (docs/format.md): parsing and validating a document into records
(corridor.record.model). No database here; `corridor.store.writer` writes what this returns.

Errors name the file, the line and the field: `team.yaml, line 14: instruments[1].periods[0]
.until: ...`. The loaders (corridor.record.files) keep the line of every mapping key and list
item, so validation can point at the line that holds the bad value. One field is read by
corridor.record.fields, one instrument by corridor.record.instrument; records built in Python
are checked by corridor.record.validate.

The records, the field limits and the checks are importable from here too, where the rest of
corridor has always found them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from importlib import resources
from typing import Any

from corridor.core.countries import ISO_3166_ALPHA2
from corridor.core.coverage import fact_known_at
from corridor.core.errors import CorridorError, InvalidDataError
from corridor.core.terms import zone
from corridor.core.text import MAX_NAME, MAX_TEXT  # noqa: F401 (re-exported)
from corridor.core.vocab import CROSSING_KINDS, EVENT_KINDS, WEEKDAYS
from corridor.record.fields import (  # noqa: F401 (re-exported)
    ISO2,
    MAX_LEN,
    MULTILINE,
    SLUG,
    TERM_BASES,
    VOTE,
    Fields,
    required,
    text_error,
    vote_of,
)
from corridor.record.files import MAX_BYTES, parse_text, read_text  # noqa: F401 (re-exported)
from corridor.record.instrument import parse_instrument
from corridor.record.model import (  # noqa: F401 (re-exported)
    AltEndRec,
    AutoRenewRec,
    CalendarRec,
    CrossingRec,
    Day,
    Declaration,
    Document,
    EventRec,
    Holiday,
    InstrumentRec,
    ObjectionRec,
    PartyRec,
    PeriodRec,
    ReportRec,
    ReviewRec,
    TerminationRec,
    UnknownRec,
    Where,
)
from corridor.record.validate import check_document  # noqa: F401 (re-exported)

FORMAT_VERSION = 1
REFERENCE_NAME = "reference.yaml"  # the bundled dataset, as the audit trail names its source


# ---------------------------------------------------------------- reading files


def reference_text() -> str:
    return resources.files("corridor").joinpath("data/reference.yaml").read_text("utf-8")


def reference_document() -> Document:
    return parse_document(parse_text(reference_text(), REFERENCE_NAME), REFERENCE_NAME)


def _items(items: list, consume: bool):
    """(index, item) of a list; with `consume`, each item is dropped from the list once read,
    so a large file's parsed text is freed while its records are built (an import holds one
    or the other, not both at once: benchmarks/README.md, "Memory")."""
    for i in range(len(items)):
        yield i, items[i]
        if consume:  # after the caller is done with it (Where reads the item's lines)
            items[i] = None


def parse_document(data: dict, name: str = "record", *, consume: bool = False) -> Document:
    """The record in `data` (parse_text's result). With `consume`, `data`'s lists are emptied
    as they are read: for a caller that has no further use for them."""
    root = Where(name, "", getattr(data, "line", None), getattr(data, "key_lines", {}))
    top = Fields(
        data,
        root,
        {"corridor", "dataset", "crossings", "instruments", "events", "calendars"},
        {"corridor"},
    )
    version = data.get("corridor")
    if type(version) is not int or version != FORMAT_VERSION:
        raise InvalidDataError(
            f"{top.at('corridor')}: format version {version!r} is not supported",
            f"this corridor reads `corridor: {FORMAT_VERSION}`",
        )
    doc = Document(source=name)
    declared = None
    if data.get("dataset") is not None:
        ds = Fields(data["dataset"], top.child("dataset"), {"name", "knowledge_ends", "note"})
        doc.dataset = {"name": ds.str("name"), "note": ds.str("note")}
        declared = ds.date("knowledge_ends")
    for i, raw in _items(top.list("crossings"), consume):
        rec = parse_crossing(raw, top.child("crossings", i))
        # `dataset.knowledge_ends` is shorthand for the known_until of this file's crossings
        # that state none: knowledge ends per crossing (docs/time.md).
        if declared is not None and rec.known_until is None:
            rec = replace(rec, known_until=declared)
        doc.crossings.append(rec)
    for i, raw in _items(top.list("instruments"), consume):
        doc.instruments.append(parse_instrument(raw, top.child("instruments", i)))
    for i, raw in _items(top.list("events"), consume):
        doc.events.append(parse_event(raw, top.child("events", i)))
    for i, raw in _items(top.list("calendars"), consume):
        doc.calendars.append(parse_calendar(raw, top.child("calendars", i)))
    _check_unique(doc, top)
    return doc


def parse_crossing(raw: Any, where: Where) -> CrossingRec:
    f = Fields(
        raw,
        where,
        {
            "slug",
            "name",
            "countries",
            "aliases",
            "lat",
            "lon",
            "notes",
            "known_until",
            "known_until_note",
            "checked_before",
            "kind",
            "unknown",
        },
        {"slug", "name", "countries"},
    )
    slug = required(f.str("slug"), f, "slug")
    if not SLUG.match(slug):
        raise InvalidDataError(
            f"{f.at('slug')}: {slug!r} must be lowercase words joined by hyphens"
        )
    countries = f.strings("countries")
    if not countries or not all(ISO2.match(c) for c in countries):
        raise InvalidDataError(
            f"{f.at('countries')}: expected one or more ISO 3166-1 alpha-2 codes, "
            "e.g. [SY, TR] for a land border or [UA] for a port"
        )
    if len(set(countries)) != len(countries):
        raise InvalidDataError(f"{f.at('countries')}: a country is listed twice")
    for code in countries:
        if code not in ISO_3166_ALPHA2:
            raise InvalidDataError(
                f"{f.at('countries')}: {code} is not an ISO 3166-1 country code",
                "use two-letter codes such as SY, TR, JO, IQ, PS, EG",
            )
    name = required(f.str("name"), f, "name")
    # An alias that differs from the name or another alias only in case adds nothing: lookups
    # ignore case (README, "Everyday use"). The first spelling is kept.
    seen = {name.casefold()}
    aliases = []
    for alias in f.strings("aliases"):
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return CrossingRec(
        slug,
        name,
        tuple(countries),
        tuple(aliases),
        f.number("lat", -90, 90),
        f.number("lon", -180, 180),
        f.str("notes"),
        f.fact_time("known_until")[0],
        f.str("known_until_note"),
        where,
        required(f.choice("kind", CROSSING_KINDS, "land"), f, "kind"),
        _unknown_spans(f),
        f.fact_time("known_until")[1],
        _checked_before(f),
    )


def _checked_before(f: Fields) -> tuple[Declaration, ...]:
    """Earlier "complete as of" declarations (docs/format.md), each a date or an instant."""
    out: list[Declaration] = []
    for i, item in enumerate(f.list("checked_before")):
        day, at = Fields({"on": item}, f.child("checked_before", i), {"on"}, set()).fact_time("on")
        if day is not None:
            out.append(Declaration(day, at))
    return tuple(sorted(out, key=lambda x: x.on))


def _unknown_spans(f: Fields) -> tuple[UnknownRec, ...]:
    out = []
    for i, raw in enumerate(f.list("unknown")):
        uf = Fields(
            raw,
            f.child("unknown", i),
            {"start", "until", "timezone", "note", "source", "known"},
            {"start", "until"},
        )
        tzname = uf.str("timezone") or "UTC"
        try:
            zone(tzname)
        except CorridorError as exc:
            raise InvalidDataError(f"{uf.at('timezone')}: {exc.message}", exc.hint) from None
        span = UnknownRec(
            required(uf.date("start"), uf, "start"),
            required(uf.date("until"), uf, "until"),
            tzname,
            uf.str("note"),
            uf.str("source"),
        )
        known_day, known_at = uf.fact_time("known")
        if known_day is not None:
            span = replace(span, known_at=fact_known_at(known_day, zone(tzname), known_at))
        if span.until < span.start:
            raise InvalidDataError(
                f"{uf.where.at()}: ends on {span.until}, before it starts on {span.start}"
            )
        out.append(span)
    return tuple(out)


def parse_event(raw: Any, where: Where) -> EventRec:
    f = Fields(
        raw,
        where,
        {"date", "kind", "title", "vote", "crossings", "source", "note"},
        {"date", "kind", "title"},
    )
    return EventRec(
        required(f.fact_time("date")[0], f, "date"),
        required(f.choice("kind", EVENT_KINDS), f, "kind"),
        required(f.str("title"), f, "title"),
        tuple(f.strings("crossings")),
        vote_of(f),
        f.str("source"),
        f.str("note"),
        where,
        f.fact_time("date")[1],
    )


def parse_calendar(raw: Any, where: Where) -> CalendarRec:
    """A calendar: the weekend and holidays of an authority or a country (docs/records.md,
    "Working days")."""
    f = Fields(raw, where, {"for", "weekend", "holidays", "source", "note"}, {"for"})
    applies_to = required(
        f.str("for", like="authority"), f, "for"
    )  # an authority or a country code
    weekend = f.strings("weekend")
    for i, day in enumerate(weekend):
        if day not in WEEKDAYS:
            raise InvalidDataError(
                f"{f.child('weekend', i).at()}: {day!r} is not one of {', '.join(WEEKDAYS)}"
            )
    if len(set(weekend)) != len(weekend):
        raise InvalidDataError(f"{f.at('weekend')}: a day is listed twice")
    source, note = f.str("source"), f.str("note")
    holidays: list[Holiday] = []
    seen: set[date] = set()
    for i, h in enumerate(f.list("holidays")):
        hf = Fields(h, f.child("holidays", i), {"date", "name"}, {"date", "name"})
        holiday = required(hf.date("date"), hf, "date")
        if holiday in seen:
            raise InvalidDataError(f"{hf.at('date')}: a second holiday on {holiday}")
        seen.add(holiday)
        holidays.append(Holiday(holiday, required(hf.str("name"), hf, "name")))
    return CalendarRec(
        applies_to,
        tuple(sorted(weekend, key=WEEKDAYS.index)),
        tuple(sorted(holidays)),
        source=source,
        note=note,
        where=where,
    )


def _check_unique(doc: Document, top: Fields) -> None:
    for section, label, keys in (
        ("crossings", "crossing slug", [c.slug for c in doc.crossings]),
        ("instruments", "instrument symbol", [i.symbol for i in doc.instruments]),
        ("events", "event (date and title)", [(e.date, e.title) for e in doc.events]),
        ("calendars", "calendar", [c.applies_to.casefold() for c in doc.calendars]),
    ):
        seen = set()
        for i, key in enumerate(keys):
            if key in seen:
                shown = key if isinstance(key, str) else f"{key[0]} {key[1]}"
                raise InvalidDataError(f"{top.child(section, i).at()}: duplicate {label} {shown!r}")
            seen.add(key)
