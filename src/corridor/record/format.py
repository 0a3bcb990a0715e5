"""The native record format (docs/format.md): parsing and validating a document into plain
values. No database here; `corridor.store.writer` writes what this returns.

Errors name the file, the line and the field: `team.yaml, line 14: instruments[1].periods[0]
.until: ...`. The loaders (corridor.record.files) keep the line of every mapping key and list
item, so validation can point at the line that holds the bad value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from importlib import resources
from typing import Any

from corridor.core.errors import CorridorError, InvalidDataError
from corridor.core.terms import Term, parse_date, parse_term, zone
from corridor.core.vocab import EVENT_KINDS, KINDS, OUTCOMES, RELATIONS
from corridor.record.files import MAX_BYTES, parse_text, read_text  # noqa: F401 (re-exported)

FORMAT_VERSION = 1
REFERENCE_NAME = "reference.yaml"  # the bundled dataset, as the audit trail names its source
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")
# Column widths in schema.py: longer text would fail in the database, so it fails here first.
MAX_LEN = {
    "slug": 80,
    "name": 200,
    "alias": 200,
    "symbol": 200,
    "authority": 200,
    "timezone": 64,
    "vote": 64,
}


@dataclass(frozen=True, eq=False)
class Where:
    """Where a value came from, for error messages: `origin, line N: path.key`.

    `origin` is a file name, or for a record built from the command line the record's own
    label (an instrument's symbol); `line` is known only for values read from a file."""

    origin: str | None = None
    path: str = ""
    line: int | None = None
    key_lines: Mapping[str, int] = field(default_factory=dict)

    def at(self, key: str | None = None) -> str:
        path = ".".join(p for p in (self.path, key) if p)
        line = self.key_lines.get(key, self.line) if key else self.line
        if self.origin is None:
            return path
        head = f"{self.origin}, line {line}" if line else self.origin
        return f"{head}: {path}" if path else head

    def child(self, container: Any, key: str | int, path: str) -> Where:
        """The Where of `container[key]`, whose path is `path`."""
        value = container[key] if _has(container, key) else None
        line = getattr(value, "line", None) or _line_of(container, key) or self.line
        return Where(self.origin, path, line, getattr(value, "key_lines", {}))


def _has(container, key) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(key, int) and 0 <= key < len(container)


def _line_of(container, key) -> int | None:
    if isinstance(container, dict):
        return getattr(container, "key_lines", {}).get(key)
    lines = getattr(container, "item_lines", None)
    return lines[key] if lines and isinstance(key, int) and key < len(lines) else None


@dataclass
class UnknownRec:
    """A span of a crossing's history the record marks unknown (no source gives its dates)."""

    start: date
    until: date
    timezone: str = "UTC"
    note: str | None = None
    source: str | None = None


@dataclass
class CrossingRec:
    slug: str
    name: str
    countries: tuple[str, str]
    aliases: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    notes: str | None = None
    known_until: date | None = None
    known_until_note: str | None = None
    where: Where = field(default_factory=Where)
    unknown: list[UnknownRec] = field(default_factory=list)


@dataclass
class ObjectionRec:
    on: date
    by: str
    source: str | None = None
    note: str | None = None


@dataclass
class AutoRenewRec:
    """The period renews automatically unless a party objects (docs/records.md)."""

    term: Term | None = None  # `for`: the renewal term; None: the period's own
    notice: Term | None = None
    max: int | None = None
    until: date | None = None
    objections: list[ObjectionRec] = field(default_factory=list)


@dataclass
class AltEndRec:
    until: date
    source: str
    note: str | None = None


@dataclass
class TerminationRec:
    effective: date  # "with effect from": the first day no longer covered
    known: date  # the day it became known
    by: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass
class PeriodRec:
    crossings: list[str]
    start: date | None
    until: date | None
    term: Term | None
    term_from: str | None  # "start" | "adoption" | "previous" | "YYYY-MM-DD"
    stated: str | None
    conditional_on: date | None
    where: Where = field(default_factory=Where)
    auto_renew: AutoRenewRec | None = None
    alternative_ends: list[AltEndRec] = field(default_factory=list)


@dataclass
class ReviewRec:
    date: date
    condition: str | None = None
    outcome: str = "pending"
    decided_on: date | None = None
    decided_by: str | None = None
    note: str | None = None


@dataclass
class ReportRec:
    due: date
    description: str
    note: str | None = None


@dataclass
class InstrumentRec:
    symbol: str
    kind: str
    authority: str
    timezone: str
    adopted: date | None
    periods: list[PeriodRec]
    title: str | None = None
    vote: str | None = None
    source: str | None = None
    source_url: str | None = None
    unconfirmed: str | None = None
    renews: str | None = None
    relation: str | None = None
    notes: str | None = None
    reviews: list[ReviewRec] = field(default_factory=list)
    reports: list[ReportRec] = field(default_factory=list)
    where: Where = field(default_factory=Where)
    terminated: TerminationRec | None = None


@dataclass
class EventRec:
    date: date
    kind: str
    title: str
    crossings: list[str] = field(default_factory=list)
    vote: str | None = None
    source: str | None = None
    note: str | None = None
    where: Where = field(default_factory=Where)


@dataclass
class Document:
    dataset: dict[str, Any] = field(default_factory=dict)
    crossings: list[CrossingRec] = field(default_factory=list)
    instruments: list[InstrumentRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    source: str | None = None  # the file it was read from, for the audit trail


# ---------------------------------------------------------------- reading files


def reference_text() -> str:
    return resources.files("corridor").joinpath("data/reference.yaml").read_text("utf-8")


def reference_document() -> Document:
    return parse_document(parse_text(reference_text(), REFERENCE_NAME), REFERENCE_NAME)


# ---------------------------------------------------------------- validation


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


class _Fields:
    """Typed access to one mapping, with errors that say where the bad value is."""

    def __init__(
        self, data: Any, where: Where, allowed: set[str], required: set[str] = frozenset()
    ):
        if not isinstance(data, dict):
            raise InvalidDataError(f"{where.at()}: expected a mapping, got {_kind_of(data)}")
        self.data, self.where = data, where
        unknown = sorted(str(k) for k in set(data) - allowed)
        if unknown:
            raise InvalidDataError(
                f"{self.at(unknown[0])}: unknown key",
                f"allowed keys: {', '.join(sorted(allowed))}",
            )
        for key in sorted(required):
            if data.get(key) in (None, ""):
                raise InvalidDataError(f"{self.at(key)}: required")

    def at(self, key: str) -> str:
        return self.where.at(key)

    def child(self, key: str, index: int | None = None) -> Where:
        if index is None:
            return self.where.child(self.data, key, f"{self.where.path}.{key}".lstrip("."))
        items = self.data[key]
        return self.where.child(items, index, f"{self.where.path}.{key}[{index}]".lstrip("."))

    def str(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            hint = "put it in quotes" if isinstance(value, (int, float)) else None
            raise InvalidDataError(f"{self.at(key)}: expected text, got {_kind_of(value)}", hint)
        value = value.strip() or None
        limit = MAX_LEN.get(key)
        if value and limit and len(value) > limit:
            raise InvalidDataError(f"{self.at(key)}: longer than {limit} characters")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.str(key) or default
        if value is not None and value not in options:
            raise InvalidDataError(f"{self.at(key)}: {value!r} is not one of {', '.join(options)}")
        return value

    def date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value  # a record built in Python (corridor.store.snapshot), not read from a file
        if not isinstance(value, str):
            raise InvalidDataError(f"{self.at(key)}: expected a date (YYYY-MM-DD), got {value!r}")
        return _date(value, self.at(key))

    def number(self, key: str, lo: float, hi: float) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise InvalidDataError(f"{self.at(key)}: expected a number from {lo:g} to {hi:g}")
        return float(value)

    def list(self, key: str) -> list:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise InvalidDataError(f"{self.at(key)}: expected a list, got {_kind_of(value)}")
        return value

    def strings(self, key: str, limit: int | None = None) -> list[str]:
        items = self.list(key)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise InvalidDataError(f"{self.child(key, i).at()}: expected non-empty text")
            if limit and len(item.strip()) > limit:
                raise InvalidDataError(f"{self.child(key, i).at()}: longer than {limit} characters")
        return [s.strip() for s in items]


def _date(value: str, where: str) -> date:
    try:
        return parse_date(value, what="date")
    except CorridorError as exc:
        raise InvalidDataError(f"{where}: {exc.message}", exc.hint) from None


def parse_document(data: dict, name: str = "record") -> Document:
    root = Where(name, "", getattr(data, "line", None), getattr(data, "key_lines", {}))
    top = _Fields(
        data, root, {"corridor", "dataset", "crossings", "instruments", "events"}, {"corridor"}
    )
    version = data.get("corridor")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise InvalidDataError(
            f"{top.at('corridor')}: format version {version!r} is not supported",
            f"this corridor reads `corridor: {FORMAT_VERSION}`",
        )
    doc = Document(source=name)
    knowledge_ends = None
    if data.get("dataset") is not None:
        ds = _Fields(data["dataset"], top.child("dataset"), {"name", "knowledge_ends", "note"})
        doc.dataset = {"name": ds.str("name"), "note": ds.str("note")}
        knowledge_ends = ds.date("knowledge_ends")
    for i, raw in enumerate(top.list("crossings")):
        rec = parse_crossing(raw, top.child("crossings", i))
        # `dataset.knowledge_ends` is shorthand for the known_until of this file's crossings
        # that state none: knowledge ends per crossing (docs/time.md).
        if knowledge_ends is not None and rec.known_until is None:
            rec = replace(rec, known_until=knowledge_ends)
        doc.crossings.append(rec)
    for i, raw in enumerate(top.list("instruments")):
        doc.instruments.append(parse_instrument(raw, top.child("instruments", i)))
    for i, raw in enumerate(top.list("events")):
        doc.events.append(parse_event(raw, top.child("events", i)))
    _check_unique(doc, top)
    return doc


def parse_crossing(raw: Any, where: Where) -> CrossingRec:
    f = _Fields(
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
            "unknown",
        },
        {"slug", "name", "countries"},
    )
    slug = f.str("slug")
    if not SLUG.match(slug):
        raise InvalidDataError(
            f"{f.at('slug')}: {slug!r} must be lowercase words joined by hyphens"
        )
    countries = f.strings("countries")
    if len(countries) != 2 or not all(ISO2.match(c) for c in countries):
        raise InvalidDataError(f"{f.at('countries')}: expected two ISO codes, e.g. [SY, TR]")
    return CrossingRec(
        slug,
        f.str("name"),
        (countries[0], countries[1]),
        f.strings("aliases", MAX_LEN["alias"]),
        f.number("lat", -90, 90),
        f.number("lon", -180, 180),
        f.str("notes"),
        f.date("known_until"),
        f.str("known_until_note"),
        where,
        _unknown_spans(f),
    )


def _term(f: _Fields, key: str) -> Term | None:
    if not f.str(key):
        return None
    try:
        return parse_term(f.str(key), what="term")
    except CorridorError as exc:
        raise InvalidDataError(f"{f.at(key)}: {exc.message}", exc.hint) from None


def _unknown_spans(f: _Fields) -> list[UnknownRec]:
    out = []
    for i, raw in enumerate(f.list("unknown")):
        uf = _Fields(
            raw,
            f.child("unknown", i),
            {"start", "until", "timezone", "note", "source"},
            {"start", "until"},
        )
        tzname = uf.str("timezone") or "UTC"
        try:
            zone(tzname)
        except CorridorError as exc:
            raise InvalidDataError(f"{uf.at('timezone')}: {exc.message}", exc.hint) from None
        span = UnknownRec(
            uf.date("start"), uf.date("until"), tzname, uf.str("note"), uf.str("source")
        )
        if span.until < span.start:
            raise InvalidDataError(
                f"{uf.where.at()}: ends on {span.until}, before it starts on {span.start}"
            )
        out.append(span)
    return out


def _auto_renew(pf: _Fields) -> AutoRenewRec | None:
    raw = pf.data.get("auto_renew")
    if raw is None:
        return None
    af = _Fields(raw, pf.child("auto_renew"), {"for", "notice", "max", "until", "objections"})
    count = af.data.get("max")
    if count is not None and (
        isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 100
    ):
        raise InvalidDataError(f"{af.at('max')}: expected a whole number from 0 to 100")
    auto = AutoRenewRec(_term(af, "for"), _term(af, "notice"), count, af.date("until"))
    for i, o in enumerate(af.list("objections")):
        of = _Fields(o, af.child("objections", i), {"on", "by", "source", "note"}, {"on", "by"})
        auto.objections.append(
            ObjectionRec(of.date("on"), of.str("by"), of.str("source"), of.str("note"))
        )
    return auto


def _alternative_ends(pf: _Fields) -> list[AltEndRec]:
    out = []
    for i, raw in enumerate(pf.list("alternative_ends")):
        ef = _Fields(
            raw, pf.child("alternative_ends", i), {"until", "source", "note"}, {"until", "source"}
        )
        alt = AltEndRec(ef.date("until"), ef.str("source"), ef.str("note"))
        if any(a.until == alt.until for a in out):
            raise InvalidDataError(f"{ef.at('until')}: a second alternative end on {alt.until}")
        out.append(alt)
    return out


def _termination(f: _Fields) -> TerminationRec | None:
    if f.data.get("terminated") is None:
        return None
    tf = _Fields(
        f.data["terminated"],
        f.child("terminated"),
        {"effective", "known", "by", "source", "note"},
        {"effective", "known"},
    )
    return TerminationRec(
        tf.date("effective"), tf.date("known"), tf.str("by"), tf.str("source"), tf.str("note")
    )


def parse_instrument(raw: Any, where: Where) -> InstrumentRec:
    f = _Fields(
        raw,
        where,
        {
            "symbol",
            "title",
            "kind",
            "authority",
            "timezone",
            "adopted",
            "vote",
            "source",
            "source_url",
            "unconfirmed",
            "renews",
            "relation",
            "notes",
            "periods",
            "reviews",
            "reports",
            "terminated",
        },
        {"symbol", "kind", "authority", "timezone", "periods"},
    )
    tzname = f.str("timezone")
    try:
        zone(tzname)
    except CorridorError as exc:
        raise InvalidDataError(f"{f.at('timezone')}: {exc.message}", exc.hint) from None
    inst = InstrumentRec(
        symbol=f.str("symbol"),
        kind=f.choice("kind", KINDS),
        authority=f.str("authority"),
        timezone=tzname,
        adopted=f.date("adopted"),
        periods=[],
        title=f.str("title"),
        vote=f.str("vote"),
        source=f.str("source"),
        source_url=f.str("source_url"),
        unconfirmed=f.str("unconfirmed"),
        renews=f.str("renews"),
        relation=f.choice("relation", RELATIONS),
        notes=f.str("notes"),
        where=where,
        terminated=_termination(f),
    )
    if inst.renews and not inst.relation:
        inst.relation = "renews"
    if inst.relation and not inst.renews:
        raise InvalidDataError(f"{f.at('relation')}: only meaningful with `renews`")
    if inst.renews == inst.symbol:
        raise InvalidDataError(f"{f.at('renews')}: an instrument cannot renew itself")
    if inst.adopted is None and not inst.unconfirmed:
        raise InvalidDataError(
            f"{f.at('adopted')}: required",
            "if the date is not known, say so in `unconfirmed:` and leave adopted empty",
        )
    for i, r in enumerate(f.list("reviews")):
        rf = _Fields(
            r,
            f.child("reviews", i),
            {"date", "condition", "outcome", "decided_on", "decided_by", "note"},
            {"date"},
        )
        rev = ReviewRec(
            rf.date("date"),
            rf.str("condition"),
            rf.choice("outcome", OUTCOMES, "pending"),
            rf.date("decided_on"),
            rf.str("decided_by"),
            rf.str("note"),
        )
        if rev.outcome != "pending" and rev.decided_on is None:
            raise InvalidDataError(
                f"{rf.at('decided_on')}: required when the outcome is decided",
                "give the date the outcome was decided",
            )
        if rev.outcome == "pending" and rev.decided_on is not None:
            raise InvalidDataError(f"{rf.at('decided_on')}: a pending review has no decision date")
        if any(other.date == rev.date for other in inst.reviews):
            raise InvalidDataError(f"{rf.at('date')}: a second review on {rev.date}")
        inst.reviews.append(rev)
    review_dates = {r.date for r in inst.reviews}
    periods = f.list("periods")
    if not periods:
        raise InvalidDataError(f"{f.at('periods')}: at least one period is required")
    for i, p in enumerate(periods):
        pf = _Fields(
            p,
            f.child("periods", i),
            {
                "crossings",
                "start",
                "until",
                "for",
                "from",
                "stated",
                "conditional_on",
                "auto_renew",
                "alternative_ends",
            },
            {"crossings"},
        )
        term = None
        if pf.str("for"):
            try:
                term = parse_term(pf.str("for"), what="term")
            except CorridorError as exc:
                raise InvalidDataError(f"{pf.at('for')}: {exc.message}", exc.hint) from None
        term_from = pf.str("from")
        if term_from not in (None, "start", "adoption", "previous"):
            term_from = str(pf.date("from"))
        period = PeriodRec(
            pf.strings("crossings"),
            pf.date("start"),
            pf.date("until"),
            term,
            term_from,
            pf.str("stated"),
            pf.date("conditional_on"),
            pf.where,
            _auto_renew(pf),
            _alternative_ends(pf),
        )
        if not period.crossings:
            raise InvalidDataError(f"{pf.at('crossings')}: at least one crossing is required")
        if period.until is None and period.term is None:
            raise InvalidDataError(f"{pf.where.at()}: give `until`, `for`, or both")
        if term_from and period.term is None:
            raise InvalidDataError(f"{pf.at('from')}: only meaningful with `for`")
        if period.conditional_on and period.conditional_on not in review_dates:
            raise InvalidDataError(
                f"{pf.at('conditional_on')}: no review of this instrument on "
                f"{period.conditional_on}",
                "add it under `reviews:`",
            )
        inst.periods.append(period)
    for i, r in enumerate(f.list("reports")):
        rf = _Fields(
            r, f.child("reports", i), {"due", "description", "note"}, {"due", "description"}
        )
        inst.reports.append(ReportRec(rf.date("due"), rf.str("description"), rf.str("note")))
    return inst


def parse_event(raw: Any, where: Where) -> EventRec:
    f = _Fields(
        raw,
        where,
        {"date", "kind", "title", "vote", "crossings", "source", "note"},
        {"date", "kind", "title"},
    )
    return EventRec(
        f.date("date"),
        f.choice("kind", EVENT_KINDS),
        f.str("title"),
        f.strings("crossings"),
        f.str("vote"),
        f.str("source"),
        f.str("note"),
        where,
    )


def _check_unique(doc: Document, top: _Fields) -> None:
    for section, label, keys in (
        ("crossings", "crossing slug", [c.slug for c in doc.crossings]),
        ("instruments", "instrument symbol", [i.symbol for i in doc.instruments]),
        ("events", "event (date and title)", [(e.date, e.title) for e in doc.events]),
    ):
        seen = set()
        for i, key in enumerate(keys):
            if key in seen:
                shown = key if isinstance(key, str) else f"{key[0]} {key[1]}"
                raise InvalidDataError(f"{top.child(section, i).at()}: duplicate {label} {shown!r}")
            seen.add(key)
