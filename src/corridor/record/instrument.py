"""Reading one instrument of the native format (docs/format.md) into an `InstrumentRec`: its
periods, reviews, reports, parties and the time-shaped facts of docs/records.md (automatic
renewal and objections, disputed ends, termination). The checks are made in the order the
fields are read, so the first error a file holds is the one reported.
"""

from __future__ import annotations

from typing import Any

from corridor.core.errors import CorridorError, InvalidDataError
from corridor.core.terms import parse_term, zone
from corridor.core.vocab import KINDS, OUTCOMES, PARTY_ROLES, RELATIONS
from corridor.record.fields import (
    Fields,
    instant_of,
    required,
    revision_of,
    term_of,
    vote_of,
)
from corridor.record.model import (
    AltEndRec,
    AutoRenewRec,
    InstrumentRec,
    ObjectionRec,
    PartyRec,
    PeriodRec,
    ReportRec,
    ReviewRec,
    TerminationRec,
    Where,
)

INSTRUMENT_KEYS = frozenset(
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
    }
)
PERIOD_KEYS = frozenset(
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
    }
)


def parse_instrument(raw: Any, where: Where) -> InstrumentRec:
    f = Fields(raw, where, INSTRUMENT_KEYS, {"symbol", "kind", "authority", "timezone", "periods"})
    tzname = required(f.str("timezone"), f, "timezone")
    try:
        zone(tzname)
    except CorridorError as exc:
        raise InvalidDataError(f"{f.at('timezone')}: {exc.message}", exc.hint) from None
    # Read in the order the fields were always checked: the first error is the one reported.
    symbol = required(f.str("symbol"), f, "symbol")
    kind = required(f.choice("kind", KINDS), f, "kind")
    authority = required(f.str("authority"), f, "authority")
    adopted, adopted_at = f.fact_time("adopted")
    title = f.str("title")
    vote = vote_of(f)
    source = f.str("source")
    source_url = f.str("source_url")
    unconfirmed = f.str("unconfirmed")
    caveat = f.str("caveat")
    renews = f.str("renews")
    relation = f.choice("relation", RELATIONS)
    notes = f.str("notes")
    signed_in = f.str("signed_in")
    terminated = _termination(f)
    revision = revision_of(f)
    modified = instant_of(f, "modified")
    parties = _parties(f)
    if renews and not relation:
        relation = "renews"
    if relation and not renews:
        raise InvalidDataError(f"{f.at('relation')}: only meaningful with `renews`")
    if renews == symbol:
        raise InvalidDataError(f"{f.at('renews')}: an instrument cannot renew itself")
    if adopted is None and not unconfirmed:
        raise InvalidDataError(
            f"{f.at('adopted')}: required",
            "if the date is not known, say so in `unconfirmed:` and leave adopted empty",
        )
    reviews = _reviews(f)
    periods = _periods(f, {r.date for r in reviews})
    return InstrumentRec(
        symbol=symbol,
        kind=kind,
        authority=authority,
        timezone=tzname,
        adopted=adopted,
        adopted_at=adopted_at,
        periods=periods,
        title=title,
        vote=vote,
        source=source,
        source_url=source_url,
        unconfirmed=unconfirmed,
        caveat=caveat,
        renews=renews,
        relation=relation,
        notes=notes,
        reviews=reviews,
        reports=_reports(f),
        where=where,
        parties=parties,
        signed_in=signed_in,
        terminated=terminated,
        revision=revision,
        modified=modified,
    )


def _parties(f: Fields) -> tuple[PartyRec, ...]:
    out: list[PartyRec] = []
    for i, raw_party in enumerate(f.list("parties")):
        pf = Fields(raw_party, f.child("parties", i), {"name", "role", "note"}, {"name", "role"})
        party = PartyRec(
            required(pf.str("name"), pf, "name"),
            required(pf.choice("role", PARTY_ROLES), pf, "role"),
            pf.str("note"),
        )
        if any((p.name, p.role) == (party.name, party.role) for p in out):
            raise InvalidDataError(f"{pf.at('name')}: {party.name} is listed twice as {party.role}")
        out.append(party)
    return tuple(out)


def _reviews(f: Fields) -> tuple[ReviewRec, ...]:
    out: list[ReviewRec] = []
    for i, r in enumerate(f.list("reviews")):
        rf = Fields(
            r,
            f.child("reviews", i),
            {"date", "condition", "outcome", "decided_on", "decided_by", "note"},
            {"date"},
        )
        rev = ReviewRec(
            required(rf.date("date"), rf, "date"),
            rf.str("condition"),
            required(rf.choice("outcome", OUTCOMES, "pending"), rf, "outcome"),
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
        if any(other.date == rev.date for other in out):
            raise InvalidDataError(f"{rf.at('date')}: a second review on {rev.date}")
        out.append(rev)
    return tuple(out)


def _periods(f: Fields, review_dates: set) -> tuple[PeriodRec, ...]:
    periods = f.list("periods")
    if not periods:
        raise InvalidDataError(f"{f.at('periods')}: at least one period is required")
    out: list[PeriodRec] = []
    for i, p in enumerate(periods):
        pf = Fields(p, f.child("periods", i), PERIOD_KEYS, {"crossings"})
        term = None
        term_text = pf.str("for")
        if term_text:
            try:
                term = parse_term(term_text, what="term")
            except CorridorError as exc:
                raise InvalidDataError(f"{pf.at('for')}: {exc.message}", exc.hint) from None
        term_from = pf.term_from("from")
        period = PeriodRec(
            tuple(pf.strings("crossings")),
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
        out.append(period)
    return tuple(out)


def _reports(f: Fields) -> tuple[ReportRec, ...]:
    out = []
    for i, r in enumerate(f.list("reports")):
        rf = Fields(
            r, f.child("reports", i), {"due", "description", "note"}, {"due", "description"}
        )
        out.append(
            ReportRec(
                required(rf.date("due"), rf, "due"),
                required(rf.str("description"), rf, "description"),
                rf.str("note"),
            )
        )
    return tuple(out)


def _auto_renew(pf: Fields) -> AutoRenewRec | None:
    raw = pf.data.get("auto_renew")
    if raw is None:
        return None
    af = Fields(raw, pf.child("auto_renew"), {"for", "notice", "max", "until", "objections"})
    count = af.data.get("max")
    if count is not None and (
        isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 100
    ):
        raise InvalidDataError(f"{af.at('max')}: expected a whole number from 0 to 100")
    term, notice, until = term_of(af, "for"), term_of(af, "notice"), af.date("until")
    objections = []
    for i, o in enumerate(af.list("objections")):
        of = Fields(o, af.child("objections", i), {"on", "by", "source", "note"}, {"on", "by"})
        objections.append(
            ObjectionRec(
                required(of.fact_time("on")[0], of, "on"),
                required(of.str("by"), of, "by"),
                of.str("source"),
                of.str("note"),
                of.fact_time("on")[1],
            )
        )
    return AutoRenewRec(term, notice, count, until, tuple(objections))


def _alternative_ends(pf: Fields) -> tuple[AltEndRec, ...]:
    out: list[AltEndRec] = []
    for i, raw in enumerate(pf.list("alternative_ends")):
        ef = Fields(
            raw, pf.child("alternative_ends", i), {"until", "source", "note"}, {"until", "source"}
        )
        alt = AltEndRec(
            required(ef.date("until"), ef, "until"),
            required(ef.str("source"), ef, "source"),
            ef.str("note"),
        )
        if any(a.until == alt.until for a in out):
            raise InvalidDataError(f"{ef.at('until')}: a second alternative end on {alt.until}")
        out.append(alt)
    return tuple(out)


def _termination(f: Fields) -> TerminationRec | None:
    if f.data.get("terminated") is None:
        return None
    tf = Fields(
        f.data["terminated"],
        f.child("terminated"),
        {"effective", "known", "by", "source", "note"},
        {"effective", "known"},
    )
    return TerminationRec(
        required(tf.date("effective"), tf, "effective"),
        required(tf.fact_time("known")[0], tf, "known"),
        tf.str("by"),
        tf.str("source"),
        tf.str("note"),
        tf.fact_time("known")[1],
    )
