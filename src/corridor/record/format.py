"""The native record format (docs/format.md): parsing and validating a document into plain
values. No database here; `corridor.store.writer` writes what this returns.

Errors name the file, the line and the field: `team.yaml, line 14: instruments[1].periods[0]
.until: ...`. The loaders (corridor.record.files) keep the line of every mapping key and list
item, so validation can point at the line that holds the bad value.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any, TypeVar

from corridor.core.countries import ISO_3166_ALPHA2
from corridor.core.coverage import fact_known_at
from corridor.core.errors import CorridorError, InvalidDataError
from corridor.core.terms import Term, check_date, parse_date, parse_fact_time, parse_term, zone
from corridor.core.text import MAX_NAME, MAX_TEXT, text_problem
from corridor.core.vocab import (
    CROSSING_KINDS,
    EVENT_KINDS,
    KINDS,
    OUTCOMES,
    PARTY_ROLES,
    RELATIONS,
    WEEKDAYS,
)
from corridor.record.files import MAX_BYTES, parse_text, read_text  # noqa: F401 (re-exported)

Day = date  # for dataclasses with a field named `date`, which shadows the type there
_T = TypeVar("_T")

FORMAT_VERSION = 1
REFERENCE_NAME = "reference.yaml"  # the bundled dataset, as the audit trail names its source
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")
# The limits of docs/format.md "Limits", the same on every backend: the column widths of
# corridor.db.tables for names, MAX_TEXT for free text. Longer text fails here, never in the
# database.
TERM_BASES = ("start", "adoption", "previous")  # what `for` counts from, besides a date
MAX_LEN = {
    "slug": 80,
    "name": MAX_NAME,
    "alias": MAX_NAME,
    "aliases": MAX_NAME,
    "crossings": MAX_NAME,
    "symbol": MAX_NAME,
    "renews": MAX_NAME,
    "authority": MAX_NAME,
    "decided_by": MAX_NAME,
    "signed_in": MAX_NAME,
    "timezone": 64,
    "vote": 64,
    "kind": 20,
    "outcome": 20,
    "relation": 20,
    "from": 16,
    "for": 16,
    "countries": 2,
}
# Free text that may run over several lines; every other field is one line.
MULTILINE = frozenset(
    {
        "notes",
        "note",
        "condition",
        "stated",
        "unconfirmed",
        "caveat",
        "description",
        "known_until_note",
    }
)


def text_error(value: str, key: str) -> str | None:
    """Why `value` cannot be the field `key` (core.text rules and MAX_LEN), or None."""
    return text_problem(
        value,
        multiline=key in MULTILINE,
        limit=MAX_LEN.get(key, MAX_TEXT),
        identifier=MAX_LEN.get(key) == MAX_NAME or key == "slug",
    )


@dataclass(frozen=True, eq=False, slots=True)  # slots: an import holds one per record part
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
    # When the record learnt it (docs/time.md): the instant the span was recorded from the
    # command line, or `known:` in a file; None: known for as long as the record has held it.
    known_at: datetime | None = None


@dataclass
class CrossingRec:
    slug: str
    name: str
    countries: tuple[str, ...]  # one or more, in the order written
    aliases: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    notes: str | None = None
    known_until: date | None = None
    known_until_note: str | None = None
    where: Where = field(default_factory=Where)
    kind: str = "land"  # corridor.core.vocab.CROSSING_KINDS
    unknown: list[UnknownRec] = field(default_factory=list)
    known_until_at: datetime | None = None  # when the check was declared, if given
    # Earlier declarations, replaced by `known_until`: (date, instant or None), oldest first.
    checked_before: list[tuple[date, datetime | None]] = field(default_factory=list)


@dataclass
class ObjectionRec:
    on: date
    by: str
    source: str | None = None
    note: str | None = None
    at: datetime | None = None  # the instant of the notice, when the record gives one


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
    known_at: datetime | None = None  # the instant it became known, when given


@dataclass(slots=True)
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


@dataclass(slots=True)
class ReviewRec:
    date: Day
    condition: str | None = None
    outcome: str = "pending"
    decided_on: Day | None = None
    decided_by: str | None = None
    note: str | None = None
    decided_at: datetime | None = None  # the decision's instant, when the record gives one


@dataclass(slots=True)
class ReportRec:
    due: date
    description: str
    note: str | None = None


@dataclass(slots=True)
class PartyRec:
    name: str
    role: str  # corridor.core.vocab.PARTY_ROLES
    note: str | None = None


@dataclass(slots=True)
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
    parties: list[PartyRec] = field(default_factory=list)
    signed_in: str | None = None  # the place of signature (its zone governs if no authority's)
    terminated: TerminationRec | None = None
    adopted_at: datetime | None = None  # the adoption's instant, when the record gives one
    # What a calendar has already seen of it in the database it was exported from (docs/format.md
    # "Moving a record"): its revision (the events' SEQUENCE) and last change (LAST-MODIFIED).
    revision: int | None = None
    modified: datetime | None = None
    # A sourced reservation on an authorization that holds in law but not yet in practice
    # (docs/format.md, "caveat"): reports show it beside "authorized".
    caveat: str | None = None


@dataclass
class EventRec:
    date: Day
    kind: str
    title: str
    crossings: list[str] = field(default_factory=list)
    vote: str | None = None
    source: str | None = None
    note: str | None = None
    where: Where = field(default_factory=Where)
    at: datetime | None = None  # the vote's instant, when the record gives one


@dataclass
class CalendarRec:
    applies_to: str  # an authority as recorded, or a country's ISO code
    weekend: tuple[str, ...] = ()  # empty: the shipped default's (corridor.core.workdays)
    holidays: list[tuple[date, str]] = field(default_factory=list)
    source: str | None = None
    note: str | None = None
    where: Where = field(default_factory=Where)


@dataclass
class Document:
    dataset: dict[str, Any] = field(default_factory=dict)
    crossings: list[CrossingRec] = field(default_factory=list)
    instruments: list[InstrumentRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    calendars: list[CalendarRec] = field(default_factory=list)
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
        self,
        data: Any,
        where: Where,
        allowed: AbstractSet[str],
        required: AbstractSet[str] = frozenset(),
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

    def str(self, key: str, like: str | None = None) -> str | None:
        """The text at `key`, checked against the limits of the field `like` (default: key)."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            hint = "put it in quotes" if isinstance(value, (int, float)) else None
            raise InvalidDataError(f"{self.at(key)}: expected text, got {_kind_of(value)}", hint)
        value = value.strip() or None
        problem = value and text_error(value, like or key)
        if problem:
            raise InvalidDataError(f"{self.at(key)}: {problem}")
        return value

    def choice(
        self,
        key: builtins.str,
        options: tuple[builtins.str, ...],
        default: builtins.str | None = None,
    ) -> builtins.str | None:
        value = self.str(key) or default
        if value is not None and value not in options:
            raise InvalidDataError(f"{self.at(key)}: {value!r} is not one of {', '.join(options)}")
        return value

    def date(self, key: builtins.str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            # a record built in Python (corridor.store.snapshot), not read from a file
            return _date(value, self.at(key))
        if not isinstance(value, str):
            raise InvalidDataError(f"{self.at(key)}: expected a date (YYYY-MM-DD), got {value!r}")
        return _date(value, self.at(key))

    def fact_time(self, key: builtins.str) -> tuple[Day | None, datetime | None]:
        """A fact's date and, when the value gives a time, its instant: `2020-07-11` or
        `2020-07-11T15:05-04:00` (docs/time.md, "When a fact is known")."""
        value = self.data.get(key)
        if value is None:
            return None, None
        if isinstance(value, datetime):  # a record built in Python
            if value.tzinfo is None:
                raise InvalidDataError(f"{self.at(key)}: an instant needs a timezone")
            return _date(value.date(), self.at(key)), value.astimezone(UTC)
        if isinstance(value, date):
            return _date(value, self.at(key)), None
        if not isinstance(value, str):
            raise InvalidDataError(
                f"{self.at(key)}: expected a date (YYYY-MM-DD) or an instant "
                f"(YYYY-MM-DDTHH:MM with Z or an offset), got {value!r}"
            )
        try:
            return parse_fact_time(value, what="date")
        except CorridorError as exc:
            raise InvalidDataError(f"{self.at(key)}: {exc.message}", exc.hint) from None

    def term_from(self, key: builtins.str) -> builtins.str | None:
        """What a `for` counts from: start | adoption | previous | a date. Always returned as
        text ("2025-07-11" for a date), whether the record was read from a file (dates are
        text there) or built in Python (dates are `date` values, as corridor.store.snapshot
        writes them). docs/format.md documents the key."""
        value = self.data.get(key)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, str):
            text = value.strip()
            if not text or text in TERM_BASES:
                return text or None
            return _date(text, self.at(key)).isoformat()
        if value is None:
            return None
        raise InvalidDataError(
            f"{self.at(key)}: expected start, adoption, previous or a date (YYYY-MM-DD), "
            f"got {_kind_of(value)}"
        )

    def number(self, key: builtins.str, lo: float, hi: float) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise InvalidDataError(f"{self.at(key)}: expected a number from {lo:g} to {hi:g}")
        return float(value)

    def list(self, key: builtins.str) -> builtins.list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise InvalidDataError(f"{self.at(key)}: expected a list, got {_kind_of(value)}")
        return value

    def strings(self, key: builtins.str) -> builtins.list[builtins.str]:
        items = self.list(key)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise InvalidDataError(f"{self.child(key, i).at()}: expected non-empty text")
            problem = text_error(item.strip(), key)
            if problem:
                raise InvalidDataError(f"{self.child(key, i).at()}: {problem}")
        return [s.strip() for s in items]


def _revision(f: _Fields) -> int | None:
    value = f.data.get("revision")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise InvalidDataError(f"{f.at('revision')}: expected a whole number from 0, got {value!r}")
    return value


def _instant(f: _Fields, key: str) -> datetime | None:
    """An instant with its offset (`2024-01-11T09:30:00Z`), kept in UTC."""
    value = f.data.get(key)
    if value is None:
        return None
    if isinstance(value, datetime):  # YAML reads an unquoted timestamp itself
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidDataError(
            f"{f.at(key)}: expected an instant with its offset, such as 2024-01-11T09:30:00Z,"
            f" got {value!r}"
        )
    return parsed.astimezone(UTC)


def _date(value: str | date, where: str) -> date:
    try:
        if isinstance(value, date):
            return check_date(value, what="date")
        return parse_date(value, what="date")
    except CorridorError as exc:
        raise InvalidDataError(f"{where}: {exc.message}", exc.hint) from None


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
    top = _Fields(
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
    knowledge_ends = None
    if data.get("dataset") is not None:
        ds = _Fields(data["dataset"], top.child("dataset"), {"name", "knowledge_ends", "note"})
        doc.dataset = {"name": ds.str("name"), "note": ds.str("note")}
        knowledge_ends = ds.date("knowledge_ends")
    for i, raw in _items(top.list("crossings"), consume):
        rec = parse_crossing(raw, top.child("crossings", i))
        # `dataset.knowledge_ends` is shorthand for the known_until of this file's crossings
        # that state none: knowledge ends per crossing (docs/time.md).
        if knowledge_ends is not None and rec.known_until is None:
            rec = replace(rec, known_until=knowledge_ends)
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
            "checked_before",
            "kind",
            "unknown",
        },
        {"slug", "name", "countries"},
    )
    slug = _required(f.str("slug"), f, "slug")
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
    name = _required(f.str("name"), f, "name")
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
        aliases,
        f.number("lat", -90, 90),
        f.number("lon", -180, 180),
        f.str("notes"),
        f.fact_time("known_until")[0],
        f.str("known_until_note"),
        where,
        _required(f.choice("kind", CROSSING_KINDS, "land"), f, "kind"),
        _unknown_spans(f),
        f.fact_time("known_until")[1],
        _checked_before(f),
    )


def _checked_before(f: _Fields) -> list[tuple[date, datetime | None]]:
    """Earlier "complete as of" declarations (docs/format.md), each a date or an instant."""
    out: list[tuple[date, datetime | None]] = []
    for i, item in enumerate(f.list("checked_before")):
        day, at = _Fields({"on": item}, f.child("checked_before", i), {"on"}, set()).fact_time("on")
        if day is not None:
            out.append((day, at))
    return sorted(out, key=lambda x: x[0])


def _term(f: _Fields, key: str) -> Term | None:
    text = f.str(key)
    if not text:
        return None
    try:
        return parse_term(text, what="term")
    except CorridorError as exc:
        raise InvalidDataError(f"{f.at(key)}: {exc.message}", exc.hint) from None


def _unknown_spans(f: _Fields) -> list[UnknownRec]:
    out = []
    for i, raw in enumerate(f.list("unknown")):
        uf = _Fields(
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
            _required(uf.date("start"), uf, "start"),
            _required(uf.date("until"), uf, "until"),
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
            ObjectionRec(
                _required(of.fact_time("on")[0], of, "on"),
                _required(of.str("by"), of, "by"),
                of.str("source"),
                of.str("note"),
                of.fact_time("on")[1],
            )
        )
    return auto


def _alternative_ends(pf: _Fields) -> list[AltEndRec]:
    out: list[AltEndRec] = []
    for i, raw in enumerate(pf.list("alternative_ends")):
        ef = _Fields(
            raw, pf.child("alternative_ends", i), {"until", "source", "note"}, {"until", "source"}
        )
        alt = AltEndRec(
            _required(ef.date("until"), ef, "until"),
            _required(ef.str("source"), ef, "source"),
            ef.str("note"),
        )
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
        _required(tf.date("effective"), tf, "effective"),
        _required(tf.fact_time("known")[0], tf, "known"),
        tf.str("by"),
        tf.str("source"),
        tf.str("note"),
        tf.fact_time("known")[1],
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
            "caveat",
            "renews",
            "relation",
            "notes",
            "periods",
            "reviews",
            "reports",
            "parties",
            "signed_in",
            "terminated",
            "revision",
            "modified",
        },
        {"symbol", "kind", "authority", "timezone", "periods"},
    )
    tzname = _required(f.str("timezone"), f, "timezone")
    try:
        zone(tzname)
    except CorridorError as exc:
        raise InvalidDataError(f"{f.at('timezone')}: {exc.message}", exc.hint) from None
    inst = InstrumentRec(
        symbol=_required(f.str("symbol"), f, "symbol"),
        kind=_required(f.choice("kind", KINDS), f, "kind"),
        authority=_required(f.str("authority"), f, "authority"),
        timezone=tzname,
        adopted=f.fact_time("adopted")[0],
        adopted_at=f.fact_time("adopted")[1],
        periods=[],
        title=f.str("title"),
        vote=_vote(f),
        source=f.str("source"),
        source_url=f.str("source_url"),
        unconfirmed=f.str("unconfirmed"),
        caveat=f.str("caveat"),
        renews=f.str("renews"),
        relation=f.choice("relation", RELATIONS),
        notes=f.str("notes"),
        where=where,
        signed_in=f.str("signed_in"),
        terminated=_termination(f),
        revision=_revision(f),
        modified=_instant(f, "modified"),
    )
    for i, raw_party in enumerate(f.list("parties")):
        pf = _Fields(raw_party, f.child("parties", i), {"name", "role", "note"}, {"name", "role"})
        party = PartyRec(
            _required(pf.str("name"), pf, "name"),
            _required(pf.choice("role", PARTY_ROLES), pf, "role"),
            pf.str("note"),
        )
        if any((p.name, p.role) == (party.name, party.role) for p in inst.parties):
            raise InvalidDataError(f"{pf.at('name')}: {party.name} is listed twice as {party.role}")
        inst.parties.append(party)
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
            _required(rf.date("date"), rf, "date"),
            rf.str("condition"),
            _required(rf.choice("outcome", OUTCOMES, "pending"), rf, "outcome"),
            rf.fact_time("decided_on")[0],
            rf.str("decided_by"),
            rf.str("note"),
            rf.fact_time("decided_on")[1],
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
        term_text = pf.str("for")
        if term_text:
            try:
                term = parse_term(term_text, what="term")
            except CorridorError as exc:
                raise InvalidDataError(f"{pf.at('for')}: {exc.message}", exc.hint) from None
        term_from = pf.term_from("from")
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
        inst.reports.append(
            ReportRec(
                _required(rf.date("due"), rf, "due"),
                _required(rf.str("description"), rf, "description"),
                rf.str("note"),
            )
        )
    return inst


# One notation for votes: in favour, against, abstaining ("12-0-3"); "unanimous" is written as
# its count, e.g. "15-0-0" in the Security Council (docs/format.md).
VOTE = re.compile(r"\d{1,4}-\d{1,4}-\d{1,4}")


def _vote(f: _Fields) -> str | None:
    vote = f.str("vote")
    if vote is not None and not VOTE.fullmatch(vote.strip()):
        raise InvalidDataError(
            f"{f.at('vote')}: {vote!r} is not a vote count",
            "write it as IN FAVOUR-AGAINST-ABSTAINING, e.g. 12-0-3; a unanimous vote of the "
            "Security Council is 15-0-0",
        )
    return vote.strip() if vote is not None else None


def parse_event(raw: Any, where: Where) -> EventRec:
    f = _Fields(
        raw,
        where,
        {"date", "kind", "title", "vote", "crossings", "source", "note"},
        {"date", "kind", "title"},
    )
    return EventRec(
        _required(f.fact_time("date")[0], f, "date"),
        _required(f.choice("kind", EVENT_KINDS), f, "kind"),
        _required(f.str("title"), f, "title"),
        f.strings("crossings"),
        _vote(f),
        f.str("source"),
        f.str("note"),
        where,
        f.fact_time("date")[1],
    )


def parse_calendar(raw: Any, where: Where) -> CalendarRec:
    """A calendar: the weekend and holidays of an authority or a country (docs/records.md,
    "Working days")."""
    f = _Fields(raw, where, {"for", "weekend", "holidays", "source", "note"}, {"for"})
    applies_to = _required(
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
    rec = CalendarRec(
        applies_to,
        tuple(sorted(weekend, key=WEEKDAYS.index)),
        source=f.str("source"),
        note=f.str("note"),
        where=where,
    )
    seen: set[date] = set()
    for i, h in enumerate(f.list("holidays")):
        hf = _Fields(h, f.child("holidays", i), {"date", "name"}, {"date", "name"})
        holiday = _required(hf.date("date"), hf, "date")
        if holiday in seen:
            raise InvalidDataError(f"{hf.at('date')}: a second holiday on {holiday}")
        seen.add(holiday)
        rec.holidays.append((holiday, _required(hf.str("name"), hf, "name")))
    rec.holidays.sort()
    return rec


def _required(value: _T | None, f: _Fields, key: str) -> _T:
    """A value of a required key: present and not blank, or an error naming the field."""
    if value is None:
        raise InvalidDataError(f"{f.at(key)}: required")
    return value


def _check_unique(doc: Document, top: _Fields) -> None:
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


# ---------------------------------------------------------------- records built in Python


def check_document(doc: Document) -> None:
    """Apply the text and date limits (docs/format.md "Limits") to records built in Python, as
    the command line builds them, with the same rules parse_document applies to a file:
    `corridor.store.writer.apply` calls this, so no path writes text a file could not hold."""
    from dataclasses import fields, is_dataclass

    from corridor.core.terms import check_date

    def visit(obj: Any, where: Where) -> None:
        where = getattr(obj, "where", None) or where
        for f in fields(obj):
            if f.name == "where":
                continue
            value = getattr(obj, f.name)
            items = value if isinstance(value, (list, tuple)) else [value]
            for item in items:
                if isinstance(item, str):
                    problem = text_error(item, f.name)
                    if problem:
                        raise InvalidDataError(f"{where.at(f.name)}: {problem}")
                elif isinstance(item, date):
                    try:
                        check_date(item.date() if isinstance(item, datetime) else item)
                    except CorridorError as exc:
                        msg = f"{where.at(f.name)}: {exc.message}"
                        raise InvalidDataError(msg, exc.hint) from None
                elif is_dataclass(item):
                    visit(item, where)

    for key, value in doc.dataset.items():
        if isinstance(value, str) and (problem := text_error(value, key)):
            raise InvalidDataError(f"dataset.{key}: {problem}")
    recs: list[CrossingRec | InstrumentRec | EventRec] = [
        *doc.crossings,
        *doc.instruments,
        *doc.events,
    ]
    for rec in recs:
        visit(rec, rec.where)
