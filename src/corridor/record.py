"""The native record format (docs/format.md): parsing and validating a document into plain
values. No database here; `corridor.store` writes what this returns."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError, InvalidDataError
from corridor.schema import EVENT_KINDS, KINDS, OUTCOMES, RELATIONS
from corridor.terms import Term, parse_date, parse_term, zone

FORMAT_VERSION = 1
MAX_BYTES = 20 * 1024 * 1024
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")


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


@dataclass
class PeriodRec:
    crossings: list[str]
    start: date | None
    until: date | None
    term: Term | None
    term_from: str | None  # "start" | "adoption" | "previous" | "YYYY-MM-DD"
    stated: str | None
    conditional_on: date | None
    where: str = ""


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
    where: str = ""


@dataclass
class EventRec:
    date: date
    kind: str
    title: str
    crossings: list[str] = field(default_factory=list)
    vote: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass
class Document:
    dataset: dict[str, Any] = field(default_factory=dict)
    crossings: list[CrossingRec] = field(default_factory=list)
    instruments: list[InstrumentRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)


# ---------------------------------------------------------------- reading files


def _yaml_loader():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # dates stay strings, so "2023-02-30" gets our message, not a crash
        pass

    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in base.yaml_implicit_resolvers.items()
    }
    return Loader


def parse_text(text: str, name: str) -> dict:
    """YAML or JSON text -> a mapping. Errors name the file and line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvalidDataError(f"{name}: larger than {MAX_BYTES // 2**20} MiB", "split the file")
    stripped = text.lstrip()
    try:
        if stripped.startswith("{"):
            data = json.loads(text)
        else:
            import yaml

            data = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise InvalidDataError(f"{name}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except Exception as exc:  # yaml.YAMLError: the import is local, keep the class local too
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidDataError(f"{name}{line}: not valid YAML ({problem})") from None
    if not isinstance(data, dict):
        raise InvalidDataError(f"{name}: expected a mapping with `corridor: 1` at the top")
    return data


def read_file(path: Path) -> Document:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidDataError(
                f"{path}: larger than {MAX_BYTES // 2**20} MiB", "split the file"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidDataError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InvalidDataError(f"{path}: not UTF-8 text") from None
    return parse_document(parse_text(text, str(path)), str(path))


def reference_text() -> str:
    return resources.files("corridor").joinpath("data/reference.yaml").read_text("utf-8")


def reference_document() -> Document:
    return parse_document(parse_text(reference_text(), "reference.yaml"), "reference.yaml")


# ---------------------------------------------------------------- validation


class _Fields:
    """Typed access to one mapping, with errors that say where the bad value is."""

    def __init__(self, data: Any, where: str, allowed: set[str], required: set[str] = frozenset()):
        if not isinstance(data, dict):
            raise InvalidDataError(f"{where}: expected a mapping, got {type(data).__name__}")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise InvalidDataError(
                f"{where}: unknown key {unknown[0]!r}",
                f"allowed keys: {', '.join(sorted(allowed))}",
            )
        for key in sorted(required):
            if data.get(key) in (None, ""):
                raise InvalidDataError(f"{where}.{key}: required")
        self.data, self.where = data, where

    def str(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise InvalidDataError(f"{self.where}.{key}: expected text, got {type(value).__name__}")
        return str(value).strip() or None

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.str(key) or default
        if value is not None and value not in options:
            raise InvalidDataError(
                f"{self.where}.{key}: {value!r} is not one of {', '.join(options)}"
            )
        return value

    def date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return parse_date(value, what=f"{self.where}.{key}")
        except CorridorError as exc:
            raise InvalidDataError(exc.message, exc.hint) from None

    def number(self, key: str, lo: float, hi: float) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise InvalidDataError(f"{self.where}.{key}: expected a number from {lo} to {hi}")
        return float(value)

    def list(self, key: str) -> list:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise InvalidDataError(f"{self.where}.{key}: expected a list")
        return value

    def strings(self, key: str) -> list[str]:
        items = self.list(key)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise InvalidDataError(f"{self.where}.{key}[{i}]: expected non-empty text")
        return [s.strip() for s in items]


def parse_document(data: dict, name: str = "record") -> Document:
    top = _Fields(
        data, name, {"corridor", "dataset", "crossings", "instruments", "events"}, {"corridor"}
    )
    if data.get("corridor") != FORMAT_VERSION:
        raise InvalidDataError(
            f"{name}: format version {data.get('corridor')!r} is not supported",
            f"this corridor reads `corridor: {FORMAT_VERSION}`",
        )
    doc = Document()
    if data.get("dataset") is not None:
        ds = _Fields(data["dataset"], f"{name}: dataset", {"name", "knowledge_ends", "note"})
        doc.dataset = {
            "name": ds.str("name"),
            "knowledge_ends": ds.date("knowledge_ends"),
            "note": ds.str("note"),
        }
    for i, raw in enumerate(top.list("crossings")):
        doc.crossings.append(_crossing(raw, f"{name}: crossings[{i}]"))
    for i, raw in enumerate(top.list("instruments")):
        label = raw.get("symbol") if isinstance(raw, dict) else None
        doc.instruments.append(_instrument(raw, f"{name}: instruments[{i}] ({label})"))
    for i, raw in enumerate(top.list("events")):
        doc.events.append(_event(raw, f"{name}: events[{i}]"))
    _check_unique(doc, name)
    return doc


def _crossing(raw: Any, where: str) -> CrossingRec:
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
        },
        {"slug", "name", "countries"},
    )
    slug = f.str("slug")
    if not SLUG.match(slug):
        raise InvalidDataError(f"{where}.slug: {slug!r} must be lowercase words joined by hyphens")
    countries = f.strings("countries")
    if len(countries) != 2 or not all(ISO2.match(c) for c in countries):
        raise InvalidDataError(f"{where}.countries: expected two ISO codes, e.g. [SY, TR]")
    return CrossingRec(
        slug,
        f.str("name"),
        (countries[0], countries[1]),
        f.strings("aliases"),
        f.number("lat", -90, 90),
        f.number("lon", -180, 180),
        f.str("notes"),
        f.date("known_until"),
        f.str("known_until_note"),
    )


def _instrument(raw: Any, where: str) -> InstrumentRec:
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
        },
        {"symbol", "kind", "authority", "timezone", "periods"},
    )
    tzname = f.str("timezone")
    try:
        zone(tzname)
    except CorridorError as exc:
        raise InvalidDataError(f"{where}.timezone: {exc.message}", exc.hint) from None
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
    )
    if inst.renews and not inst.relation:
        inst.relation = "renews"
    if inst.adopted is None and not inst.unconfirmed:
        raise InvalidDataError(
            f"{where}.adopted: required",
            "if the date is not known, say so in `unconfirmed:` and leave adopted empty",
        )
    for i, r in enumerate(f.list("reviews")):
        rf = _Fields(
            r,
            f"{where}.reviews[{i}]",
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
                f"{rf.where}.decided_on: required when the outcome is decided",
                "give the date the outcome was decided",
            )
        if rev.outcome == "pending" and rev.decided_on is not None:
            raise InvalidDataError(f"{rf.where}.decided_on: a pending review has no decision date")
        inst.reviews.append(rev)
    review_dates = {r.date for r in inst.reviews}
    periods = f.list("periods")
    if not periods:
        raise InvalidDataError(f"{where}.periods: at least one period is required")
    for i, p in enumerate(periods):
        pw = f"{where}.periods[{i}]"
        pf = _Fields(
            p,
            pw,
            {"crossings", "start", "until", "for", "from", "stated", "conditional_on"},
            {"crossings"},
        )
        term = None
        if pf.str("for"):
            try:
                term = parse_term(pf.str("for"), what=f"{pw}.for")
            except CorridorError as exc:
                raise InvalidDataError(exc.message, exc.hint) from None
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
            pw,
        )
        if not period.crossings:
            raise InvalidDataError(f"{pw}.crossings: at least one crossing is required")
        if period.until is None and period.term is None:
            raise InvalidDataError(f"{pw}: give `until`, `for`, or both")
        if term_from and period.term is None:
            raise InvalidDataError(f"{pw}.from: only meaningful with `for`")
        if period.conditional_on and period.conditional_on not in review_dates:
            raise InvalidDataError(
                f"{pw}.conditional_on: no review of this instrument on {period.conditional_on}",
                "add it under `reviews:`",
            )
        inst.periods.append(period)
    for i, r in enumerate(f.list("reports")):
        rf = _Fields(
            r, f"{where}.reports[{i}]", {"due", "description", "note"}, {"due", "description"}
        )
        inst.reports.append(ReportRec(rf.date("due"), rf.str("description"), rf.str("note")))
    return inst


def _event(raw: Any, where: str) -> EventRec:
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
    )


def _check_unique(doc: Document, name: str) -> None:
    for label, keys in (
        ("crossing slug", [c.slug for c in doc.crossings]),
        ("instrument symbol", [i.symbol for i in doc.instruments]),
    ):
        seen = set()
        for key in keys:
            if key in seen:
                raise InvalidDataError(f"{name}: duplicate {label} {key!r}")
            seen.add(key)
