"""Seeing instruments: the use cases behind `corridor instrument list` and `corridor instrument
show`. Plain SQL through corridor.db.sql (no SQLAlchemy), like the other read paths; the JSON
shapes are built in corridor.present.views (README, "JSON output")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from corridor.core.links import Link, source_links
from corridor.core.names import resolve_symbol
from corridor.db.sql import ReadConn, reader


def symbol_key(symbol: str) -> str:
    """Symbols that differ only in spacing or case name the same instrument (the store's rule,
    corridor.store.writer.symbol_key, without importing the store)."""
    return re.sub(r"\s+", "", symbol).casefold()


@dataclass
class Summary:
    symbol: str
    kind: str
    authority: str
    adopted: date | None
    crossings: list[str]  # display names, every period
    start: date | None
    until: date | None  # the last day of its last unconditional or extended period
    until_if_extended: date | None  # the last day if every pending extension is granted
    renews: str | None
    renewed_by: list[str]
    unconfirmed: bool


@dataclass
class Period:
    crossings: list[str]
    slugs: list[str]
    start: date
    until: date
    ends_at: datetime
    term: str | None
    term_from: str | None
    stated: str | None
    conditional_on: date | None  # the review that decides it
    outcome: str | None  # that review's outcome


@dataclass
class Detail:
    symbol: str
    title: str | None
    kind: str
    authority: str
    timezone: str
    adopted: date | None
    vote: str | None
    source: str | None
    source_url: str | None
    unconfirmed: str | None
    notes: str | None
    renews: str | None
    relation: str | None
    caveat: str | None = None
    renewed_by: list[dict] = field(default_factory=list)  # {symbol, relation, adopted}
    periods: list[Period] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # source_url, then derived (core.links)


def find(conn: ReadConn, text: str) -> tuple[int, str]:
    """(id, symbol) of the instrument `text` names (corridor.core.names.resolve_symbol: the
    symbol, other spacing or case, a unique part, accents and case folded). Several matches:
    AmbiguousError listing them; none: NotFoundError with "did you mean"."""
    symbols = {r.symbol: r.id for r in reader(conn).rows("SELECT id, symbol FROM instruments")}
    symbol = resolve_symbol(text, symbols)
    return symbols[symbol], symbol


_PERIODS = """
SELECT p.id, p.instrument_id, p.start_date, p.end_date, p.ends_at, p.term, p.term_from,
       p.stated, r.review_date, r.outcome
FROM periods p LEFT JOIN reviews r ON r.id = p.conditional_review_id
{where}
ORDER BY p.instrument_id, p.position, p.id
"""
_SCOPE = """
SELECT pc.period_id, c.slug, c.name
FROM period_crossings pc JOIN crossings c ON c.id = pc.crossing_id
JOIN periods p ON p.id = pc.period_id
{where}
ORDER BY c.name, c.slug
"""


def _scopes(db, where: str, **params) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for r in db.rows(_SCOPE.format(where=where), **params):
        out.setdefault(r.period_id, []).append((r.slug, r.name))
    return out


def list_instruments(conn: ReadConn) -> list[Summary]:
    """Every instrument, oldest first (by adoption, then symbol)."""
    db = reader(conn)
    rows = db.rows(
        "SELECT i.id, i.symbol, i.kind, i.authority, i.adopted, i.known_from, i.unconfirmed, "
        "i.renews_id FROM instruments i"
    )
    symbol_of = {r.id: r.symbol for r in rows}
    heirs: dict[int, list[str]] = {}
    for r in rows:
        if r.renews_id is not None:
            heirs.setdefault(r.renews_id, []).append(r.symbol)
    scopes = _scopes(db, "")
    periods: dict[int, list] = {}
    for p in db.rows(_PERIODS.format(where="")):
        periods.setdefault(p.instrument_id, []).append(p)
    out = []
    for r in sorted(rows, key=lambda r: (r.adopted or r.known_from, r.symbol)):
        own = periods.get(r.id, [])
        names = {name: None for p in own for _slug, name in scopes.get(p.id, [])}
        sure = [p.end_date for p in own if p.review_date is None or p.outcome == "extended"]
        maybe = [p.end_date for p in own if p.outcome not in ("not_extended",)]
        out.append(
            Summary(
                symbol=r.symbol,
                kind=r.kind,
                authority=r.authority,
                adopted=r.adopted,
                crossings=sorted(names),
                start=min((p.start_date for p in own), default=None),
                until=max(sure, default=None),
                until_if_extended=max(maybe, default=None),
                renews=symbol_of.get(r.renews_id),
                renewed_by=sorted(heirs.get(r.id, [])),
                unconfirmed=r.unconfirmed is not None,
            )
        )
    return out


def show_instrument(conn: ReadConn, text: str) -> Detail:
    db = reader(conn)
    iid, _symbol = find(db, text)
    i = db.first(
        "SELECT i.*, prev.symbol AS renews_symbol FROM instruments i "
        "LEFT JOIN instruments prev ON prev.id = i.renews_id WHERE i.id = :iid",
        iid=iid,
    )
    detail = Detail(
        symbol=i.symbol,
        title=i.title,
        kind=i.kind,
        authority=i.authority,
        timezone=i.timezone,
        adopted=i.adopted,
        vote=i.vote,
        source=i.source,
        source_url=i.source_url,
        unconfirmed=i.unconfirmed,
        notes=i.notes,
        renews=i.renews_symbol,
        relation=i.relation if i.renews_symbol else None,
        caveat=i.caveat,
        links=source_links(i.symbol, i.source, i.source_url, i.adopted),
    )
    detail.renewed_by = [
        dict(symbol=r.symbol, relation=r.relation or "renews", adopted=r.adopted)
        for r in db.rows(
            "SELECT symbol, relation, adopted FROM instruments WHERE renews_id = :iid "
            "ORDER BY adopted, symbol",
            iid=iid,
        )
    ]
    scopes = _scopes(db, "WHERE p.instrument_id = :iid", iid=iid)
    for p in db.rows(_PERIODS.format(where="WHERE p.instrument_id = :iid"), iid=iid):
        scope = scopes.get(p.id, [])
        detail.periods.append(
            Period(
                crossings=[name for _slug, name in scope],
                slugs=[slug for slug, _name in scope],
                start=p.start_date,
                until=p.end_date,
                ends_at=p.ends_at,
                term=p.term,
                term_from=p.term_from,
                stated=p.stated,
                conditional_on=p.review_date,
                outcome=p.outcome,
            )
        )
    detail.reviews = [
        dict(
            date=r.review_date,
            condition=r.condition,
            outcome=r.outcome,
            decided_on=r.decided_on,
            decided_by=r.decided_by,
            note=r.note,
        )
        for r in db.rows(
            "SELECT review_date, condition, outcome, decided_on, decided_by, note FROM reviews "
            "WHERE instrument_id = :iid ORDER BY review_date, id",
            iid=iid,
        )
    ]
    detail.reports = [
        dict(due=r.due_date, description=r.description, note=r.note)
        for r in db.rows(
            "SELECT due_date, description, note FROM reports WHERE instrument_id = :iid "
            "ORDER BY due_date, description",
            iid=iid,
        )
    ]
    return detail
