"""Editing the record: the use cases behind `corridor add` and `renew`, and what every editing
service shares (`Result`, finding an instrument or a crossing, the deadlines after a change).
The others: corridor.services.decisions (`review`, `draft`), .crossings_edit (`crossing add`,
`crossing alias`), .corrections (`correct`, `remove`), .shapes (`object`, `terminate`,
`unknown`), .knowledge (`crossing checked`) and .records (`import`).

Each service takes an open connection (the caller owns the transaction) and a `Change` (who,
when, through which command, from which source), builds records in the native format's shape
(corridor.record.format) and writes them through `corridor.store.writer.apply`, the one writer:
the same validation, upsert, re-derivation and audit trail as an import. Nothing here knows
about the terminal. Services return a `Result`: what changed, the record after it, its
deadlines, and whether the change overwrote or removed something (so the CLI can ask first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from corridor.core.errors import InvalidDataError, NotFoundError, UsageError
from corridor.core.names import resolve_symbol
from corridor.core.terms import Term, zone
from corridor.core.text import MAX_NAME
from corridor.core.vocab import PARTY_ROLES
from corridor.db import tables as t
from corridor.db.lookup import find_crossing as find
from corridor.record.format import (
    AltEndRec,
    AutoRenewRec,
    Document,
    InstrumentRec,
    PartyRec,
    PeriodRec,
    ReportRec,
    ReviewRec,
    Where,
    parse_instrument,
)
from corridor.record.legible import legible_text
from corridor.services.reports import detail_at
from corridor.store.audit import Change
from corridor.store.instrument_rows import instrument_rec
from corridor.store.renewals import covered_scope, covered_until, resolve_period
from corridor.store.snapshot import instrument_dict
from corridor.store.writer import Summary, apply

# Authorities whose zone is known before the record holds any of their instruments.
KNOWN_AUTHORITIES = {"UN Security Council": "America/New_York"}


@dataclass
class Result:
    message: str  # one sentence for people: what was recorded
    summary: Summary
    record: dict | None = None  # the record after the change, in the native format's shape
    deadlines: list[dict] = field(default_factory=list)
    destructive: bool = False  # overwrites or removes recorded facts: ask first
    question: str | None = None  # what to ask
    dry_run: bool = False  # --dry-run: rolled back, nothing written
    audit: list[dict] | None = None  # --dry-run: the audit entries it would have written


@dataclass
class TermSpec:
    """An instrument's term as the text states it, from the command line."""

    until: date | None = None
    term: Term | None = None
    term_from: str | None = None  # start | adoption | previous | YYYY-MM-DD
    start: date | None = None
    stated: str | None = None
    extension: Term | date | None = None  # the "+6" of a "6+6" mandate: conditional
    review: date | None = None  # a review point (with an extension: the one deciding it)
    condition: str | None = None
    auto_renew: AutoRenewRec | None = None  # renews automatically unless a party objects
    alt_ends: Sequence[AltEndRec] = ()  # a disputed end's alternatives


def auto_renewal(
    term: Term | None, notice: Term | None, max_renewals: int | None, until: date | None
) -> AutoRenewRec:
    """A `TermSpec.auto_renew`: it renews for `term` (None: its own term) unless a party
    objects `notice` before the end, at most `max_renewals` times, never past `until`."""
    return AutoRenewRec(term, notice, max_renewals, until)


def disputed_end(day: date, source: str) -> AltEndRec:
    """One of a `TermSpec.alt_ends`: another last day that a source gives."""
    return AltEndRec(day, source)


@dataclass
class NewInstrument:
    symbol: str
    adopted: date | None
    crossings: list[str] = field(default_factory=list)  # names as typed
    kind: str | None = None
    authority: str | None = None
    timezone: str | None = None
    term: TermSpec = field(default_factory=TermSpec)
    title: str | None = None
    vote: str | None = None
    source: str | None = None
    source_url: str | None = None
    unconfirmed: str | None = None
    notes: str | None = None
    renews: str | None = None
    relation: str | None = None
    reports: list[tuple[date, str]] = field(default_factory=list)
    parties: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    signed_in: str | None = None
    adopted_at: datetime | None = None  # the adoption's instant, when given with a time
    # The instant the command runs: a fact recorded on its own day without a time is known
    # from then, and the record keeps that instant (docs/time.md, "When a fact is known").
    recorded_at: datetime | None = None


def fact_instant(
    day: date | None, given: datetime | None, recorded_at: datetime | None, tz: str
) -> datetime | None:
    """The instant a fact recorded from the command line is known from (docs/time.md): the
    one given with its date; else, recorded on its own day (in the authority's zone), the
    instant it was recorded; else None (known from the end of its day)."""
    if day is None:
        return None
    if given is not None:
        return given
    if recorded_at is not None and recorded_at.astimezone(zone(tz)).date() == day:
        return recorded_at
    return None


# ---------------------------------------------------------------- finding records


def find_instrument(conn, text: str) -> tuple[int, str]:
    """(id, symbol) of the instrument `text` names, as `instrument show` finds it
    (corridor.core.names.resolve_symbol)."""
    symbols = dict(conn.execute(sa.select(t.instruments.c.symbol, t.instruments.c.id)).all())
    wanted = text.strip()
    if wanted not in symbols:
        # A symbol stored by an older corridor with a character today's rules refuse is named
        # by its legible form, as export and `db upgrade` write it ("S/RES/1\\x1b (2023)").
        legible = [s for s in symbols if legible_text(s, "symbol") == wanted]
        if len(legible) == 1:
            return symbols[legible[0]], legible[0]
    symbol = resolve_symbol(text, symbols)
    return symbols[symbol], symbol


def find_crossing(conn, name: str) -> int:
    """lookup.find_crossing, with a clear answer on a record that has no crossings yet."""
    if conn.execute(sa.select(t.crossings.c.id).limit(1)).first() is None:
        raise NotFoundError(
            f'no crossing matches "{name.strip()}": the record has no crossings yet',
            "add one with: corridor crossing add NAME --countries SY,TR",
        )
    return find(conn, name)


def slugs_for(conn, names: list[str]) -> list[str]:
    out = []
    for name in names:
        cid = find_crossing(conn, name)
        out.append(
            conn.execute(sa.select(t.crossings.c.slug).where(t.crossings.c.id == cid)).scalar_one()
        )
    return list(dict.fromkeys(out))


def _load_instrument(conn, iid: int) -> tuple[dict, InstrumentRec]:
    stored = instrument_dict(conn, iid)
    return stored, parse_instrument(stored, Where(stored["symbol"]))


def deadlines_of(conn, iid: int) -> list[dict]:
    """The instrument's deadlines as recorded now: a decided review, and the extension a review
    refused, are void (their `void_at` is set) and not listed; each note is the one the record
    now gives, with every recorded change applied (an objection, a termination: the same
    detail `upcoming` reads as known at its instant)."""
    everything = datetime.max.replace(tzinfo=UTC)  # every recorded change, whatever its instant
    d, c = t.deadlines.c, t.crossings.c
    grouped: dict[str, dict] = {}
    for row in conn.execute(
        sa.select(d.uid, d.due_date, d.kind, d.conditional, d.note, d.detail, d.due_at, c.name)
        .join(t.crossings, c.id == d.crossing_id)
        .where(d.instrument_id == iid, d.void_at.is_(None))
        .order_by(d.due_date, d.kind, c.name)
    ):
        key = row.uid
        item = grouped.setdefault(
            key,
            dict(
                date=row.due_date,
                kind=row.kind,
                crossings=[],
                due_at=row.due_at,
                conditional=row.conditional,
                note=detail_at(row.detail, everything).note or row.note,
            ),
        )
        item["crossings"].append(row.name)
    return list(grouped.values())


def result_of(conn, message: str, summary: Summary, iid: int | None = None, **kw) -> Result:
    if iid is None:
        return Result(message, summary, **kw)
    return Result(message, summary, instrument_dict(conn, iid), deadlines_of(conn, iid), **kw)


def instrument_id_of(conn, symbol: str) -> int:
    return conn.execute(
        sa.select(t.instruments.c.id).where(t.instruments.c.symbol == symbol)
    ).scalar_one()


# ---------------------------------------------------------------- add and renew


def _timezone_for(conn, authority: str, given: str | None) -> tuple[str, str]:
    """(authority as recorded, its zone). A new authority needs its zone given."""
    i = t.instruments.c
    known = conn.execute(sa.select(i.authority, i.timezone).distinct()).all()
    for name, tz in known:
        if name.casefold() == authority.casefold():
            authority = name
            if given is None:
                return name, tz
    if given is not None:
        zone(given)  # UsageError for an unknown zone
        return authority, given
    for name, tz in KNOWN_AUTHORITIES.items():
        if name.casefold() == authority.casefold():
            return name, tz
    raise UsageError(
        f'no timezone is known for the authority "{authority}"',
        "give its IANA zone with --authority-zone (e.g. Asia/Damascus): an instrument's last day "
        "ends at midnight in its authority's zone",
    )


def _build(
    conn,
    spec: NewInstrument,
    slugs: list[str],
    kind: str,
    authority: str,
    tz: str,
    renews_id: int | None,
) -> InstrumentRec:
    term = spec.term
    label = spec.symbol
    previous_end = covered_until(conn, renews_id) if renews_id is not None else None
    if term.until is None and term.term is None:
        raise UsageError(
            f"{label}: give its term with --until DATE or --for TERM (e.g. --for 6mo)",
            "for a 6+6 mandate add --extension 6mo --condition TEXT",
        )
    term_from = term.term_from
    if term.term is not None and term_from is None and previous_end is not None:
        term_from = "previous"  # "renews ... for a further six months": from the old end
    if term_from is not None and term.term is None:
        raise UsageError("--from only goes with --for", "e.g. --for 6mo --from previous")
    start = term.start
    if start is None and previous_end is not None and spec.adopted is not None:
        # a renewal picks up the day after its predecessor ends, or on adoption after a gap
        start = max(spec.adopted, previous_end + timedelta(days=1))
    first = PeriodRec(
        tuple(slugs),
        start,
        term.until,
        term.term,
        term_from,
        term.stated,
        None,
        Where(label, "periods[0]"),
        term.auto_renew,
        tuple(term.alt_ends),
    )
    periods = [first]
    reviews = []
    if term.condition and term.review is None and term.extension is None:
        raise UsageError("--condition goes with --review DATE or --extension TERM")
    if term.extension is not None:
        _start, end = resolve_period(first, spec.adopted, previous_end)
        review_day = term.review or end
        ext = term.extension
        periods.append(
            PeriodRec(
                tuple(slugs),
                end + timedelta(days=1),
                ext if isinstance(ext, date) else None,
                ext if isinstance(ext, Term) else None,
                str(end) if isinstance(ext, Term) else None,
                None,
                review_day,
                Where(label, "periods[1]"),
            )
        )
        reviews.append(ReviewRec(review_day, term.condition))
    elif term.review is not None:
        reviews.append(ReviewRec(term.review, term.condition))
    return InstrumentRec(
        symbol=spec.symbol,
        kind=kind,
        authority=authority,
        timezone=tz,
        adopted=spec.adopted,
        adopted_at=fact_instant(spec.adopted, spec.adopted_at, spec.recorded_at, tz),
        periods=tuple(periods),
        title=spec.title,
        vote=spec.vote,
        source=spec.source,
        source_url=spec.source_url,
        unconfirmed=spec.unconfirmed,
        renews=spec.renews,
        relation=spec.relation or ("renews" if spec.renews else None),
        notes=spec.notes,
        reviews=tuple(reviews),
        reports=tuple(ReportRec(due, text) for due, text in spec.reports),
        where=Where(label),
        parties=_party_recs(spec.parties),
        signed_in=spec.signed_in,
    )


def _party_recs(parties: list[tuple[str, str]]) -> tuple[PartyRec, ...]:
    """The parties given on the command line, checked as the format checks them."""
    out: list[PartyRec] = []
    for name, role in parties:
        if role not in PARTY_ROLES:
            raise UsageError(
                f'--party "{name}:{role}": {role!r} is not a role',
                f"roles: {', '.join(PARTY_ROLES)}",
            )
        if len(name) > MAX_NAME:
            raise UsageError(f'--party "{name[:40]}...": a name longer than {MAX_NAME} characters')
        if any((p.name, p.role) == (name, role) for p in out):
            raise UsageError(f'--party "{name}:{role}" is given twice')
        out.append(PartyRec(name, role))
    return tuple(out)


def refuse_existing(conn, symbol: str) -> None:
    if not symbol.strip():
        raise UsageError("the instrument needs a symbol or a short title")
    exists = conn.execute(
        sa.select(t.instruments.c.id).where(t.instruments.c.symbol == symbol)
    ).scalar()
    if exists is not None:
        raise InvalidDataError(
            f"{symbol} is already recorded",
            f'to change it: corridor correct "{symbol}" FIELD=VALUE',
        )


def _write_instrument(conn, rec: InstrumentRec, slugs, change: Change, verb: str) -> Result:
    doc = Document(instruments=[rec], source=change.source)
    summary = apply(conn, doc, change=change)  # also moves its crossings' horizons
    iid = instrument_id_of(conn, rec.symbol)
    record = instrument_dict(conn, iid)
    result = Result("", summary, record, deadlines_of(conn, iid))  # result_of, with the record
    ends = [p["until"] for p in record["periods"] if "conditional_on" not in p]
    extension = [p["until"] for p in record["periods"] if "conditional_on" in p]
    tail = f" (extension to {max(extension)} pending review)" if extension else ""
    result.message = (
        f"{verb} {rec.symbol}: {_names(conn, slugs)} until {max(ends) if ends else '-'}{tail}."
    )
    return result


def _names(conn, slugs: list[str]) -> str:
    c = t.crossings.c
    names = dict(conn.execute(sa.select(c.slug, c.name).where(c.slug.in_(slugs))).all())
    return ", ".join(names[s] for s in sorted(slugs, key=lambda s: names[s]))


def add_instrument(conn, spec: NewInstrument, change: Change) -> Result:
    """Record a new resolution, consent or agreement."""
    refuse_existing(conn, spec.symbol)
    if not spec.crossings:
        raise UsageError("name the crossings it covers with --crossing NAME")
    kind = spec.kind or "resolution"
    authority = spec.authority or ("UN Security Council" if kind == "resolution" else None)
    if authority is None:
        raise UsageError(f"a {kind} needs --authority (who gave it)")
    renews_id = None
    if spec.renews:
        renews_id, renews = find_instrument(conn, spec.renews)
        spec = replace(spec, renews=renews)  # as recorded
    authority, tz = _timezone_for(conn, authority, spec.timezone)
    slugs = slugs_for(conn, spec.crossings)
    rec = _build(conn, spec, slugs, kind, authority, tz, renews_id)
    return _write_instrument(conn, rec, slugs, change, "Recorded")


def renew(conn, previous: str, spec: NewInstrument, change: Change, drop=(), add=()) -> Result:
    """Record a renewal: the previous instrument's kind, authority, zone and scope, minus the
    crossings dropped and plus those added; its term by default too (`for` from its end)."""
    refuse_existing(conn, spec.symbol)
    prev_id, prev_symbol = find_instrument(conn, previous)
    prev = instrument_rec(conn, prev_symbol)  # read from its rows, as recorded
    scope = covered_scope(conn, prev_id)
    if not scope:
        raise InvalidDataError(
            f"{prev_symbol} covers no crossing for certain (its extensions are not granted)",
            'record it with "corridor add ... --renews" and name the crossings',
        )
    dropped = slugs_for(conn, list(drop))
    for slug in dropped:
        if slug not in scope:
            raise UsageError(f"--drop {slug}: {prev_symbol} does not cover it")
    slugs = [s for s in scope if s not in dropped] + [
        s for s in slugs_for(conn, list(add)) if s not in scope
    ]
    if not slugs:
        raise UsageError("a renewal that drops every crossing authorizes nothing")
    term = spec.term
    if term.until is None and term.term is None:
        repeat = next((p.term for p in prev.periods if p.term is not None), None)
        if repeat is None:
            raise UsageError(
                f"{prev_symbol} states no term to repeat: give --until DATE or --for TERM"
            )
        term = replace(term, term=repeat)
    authority, tz = prev.authority, prev.timezone
    if spec.authority or spec.timezone:
        authority, tz = _timezone_for(conn, spec.authority or prev.authority, spec.timezone)
    given = replace(spec, term=term, renews=prev_symbol)
    rec = _build(conn, given, slugs, spec.kind or prev.kind, authority, tz, prev_id)
    # A renewal is made by the same parties, signed in the same place, unless it says otherwise.
    rec = replace(
        rec,
        parties=rec.parties if spec.parties else tuple(replace(p, note=None) for p in prev.parties),
        signed_in=prev.signed_in if spec.signed_in is None else rec.signed_in,
    )
    return _write_instrument(conn, rec, slugs, change, f"Recorded {prev_symbol} ->")
