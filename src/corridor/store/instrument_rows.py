"""An instrument's rows, both ways: an `InstrumentRec` written into its rows (`insert_parts`)
and read back from them (`read_instrument`, `instrument_rec`), and the one place that turns
such a record into derivation's input (`derive_input`).

What is read back is the record (corridor.record.model) with its periods resolved (`start` and
`until` both set, `for` and `from` as recorded), plus what only the database adds: the ids of
its rows and when it became known (`StoredInstrument`). corridor.store.snapshot writes the
export form from it, corridor.store.rederive derives from it, and `renew` copies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa

from corridor.core import derive
from corridor.core.terms import end_of_day, parse_term, zone
from corridor.db import tables as t
from corridor.record.legible import legible_rec
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


@dataclass(frozen=True)
class StoredInstrument:
    """An instrument as its rows hold it: the record, its periods resolved, and what only the
    database adds (row ids, and when it became known, which corridor.store.horizon may move)."""

    id: int
    rec: InstrumentRec
    known_from: date
    known_at: datetime | None
    period_ids: tuple[int, ...]  # one per rec.periods, in that order
    review_ids: Mapping[date, int]  # by review date
    # One per rec.reports, in that order: the order they were recorded in (their ids when
    # read, their positions when written), which orders reports due the same day.
    report_order: tuple[int, ...]
    crossing_ids: Mapping[str, int]  # slug -> id, for the crossings of its periods


def derive_input(stored: StoredInstrument) -> derive.Instrument:
    """The record as corridor.core.derive takes it: ids for rows, plain text for terms, and
    the order rows are read in (reviews by date, reports by due date then as recorded,
    objections by day then party, alternative ends by day)."""
    rec = stored.rec
    periods = []
    for p, pid in zip(rec.periods, stored.period_ids, strict=True):
        if p.start is None or p.until is None:
            raise ValueError(f"{rec.symbol}: derive takes resolved periods")
        auto = p.auto_renew
        periods.append(
            derive.Period(
                pid,
                p.start,
                p.until,
                tuple(
                    sorted(derive.CrossingRef(stored.crossing_ids[s], s) for s in set(p.crossings))
                ),
                p.stated,
                stored.review_ids.get(p.conditional_on) if p.conditional_on else None,
                str(p.term) if p.term else None,
                None
                if auto is None
                else derive.AutoRenew(
                    str(auto.term) if auto.term else None,
                    str(auto.notice) if auto.notice else None,
                    auto.max,
                    auto.until,
                    tuple(
                        derive.Objection(o.on, o.by, o.at)
                        for o in sorted(auto.objections, key=lambda o: (o.on, o.by))
                    ),
                ),
                tuple(
                    derive.AltEnd(a.until, a.source)
                    for a in sorted(p.alternative_ends, key=lambda a: a.until)
                ),
            )
        )
    reviews = sorted(
        (
            derive.Review(
                stored.review_ids[r.date],
                r.date,
                r.condition,
                r.outcome,
                r.decided_on,
                r.decided_at,
            )
            for r in rec.reviews
        ),
        key=lambda r: (r.date, r.id),
    )
    reports = sorted(
        zip(rec.reports, stored.report_order, strict=True), key=lambda x: (x[0].due, x[1])
    )
    term = rec.terminated
    return derive.Instrument(
        stored.id,
        rec.symbol,
        rec.timezone,
        stored.known_from,
        tuple(periods),
        tuple(reviews),
        tuple(derive.Report(r.due, r.description) for r, _id in reports),
        rec.source,
        None
        if term is None
        else derive.Termination(term.effective, term.known, term.by, term.source, term.known_at),
        stored.known_at,
    )


# ---------------------------------------------------------------- writing


# Built once and executed with parameters: rebuilding an INSERT per row costs more than
# SQLite spends running it.
_INSERT_REVIEW = sa.insert(t.reviews).returning(t.reviews.c.id)
_INSERT_PERIOD = sa.insert(t.periods).returning(t.periods.c.id)


def insert_parts(
    conn: sa.Connection,
    iid: int,
    rec: InstrumentRec,
    slugs: Mapping[str, int],
    known_from: date,
    known_at: datetime | None,
) -> StoredInstrument:
    """Insert the parties, reviews, periods and reports of `rec`, whose periods are resolved
    (corridor.store.renewals.resolve_periods); return it as stored, so deriving needs no
    re-read."""
    if rec.parties:
        conn.execute(
            sa.insert(t.instrument_parties),
            [
                dict(instrument_id=iid, position=n, name=x.name, role=x.role, note=x.note)
                for n, x in enumerate(rec.parties)
            ],
        )
    review_ids: dict[date, int] = {}
    for r in rec.reviews:
        review_ids[r.date] = conn.execute(
            _INSERT_REVIEW,
            dict(
                instrument_id=iid,
                review_date=r.date,
                condition=r.condition,
                outcome=r.outcome,
                decided_on=r.decided_on,
                decided_by=r.decided_by,
                note=r.note,
                decided_at=r.decided_at,
            ),
        ).scalar_one()
    tz = zone(rec.timezone)
    period_ids = []
    for pos, p in enumerate(rec.periods):
        assert p.start is not None and p.until is not None  # resolved
        auto = p.auto_renew
        pid = conn.execute(
            _INSERT_PERIOD,
            dict(
                instrument_id=iid,
                position=pos,
                start_date=p.start,
                end_date=p.until,
                ends_at=end_of_day(p.until, tz),
                term=str(p.term) if p.term else None,
                term_from=p.term_from,
                stated=p.stated,
                conditional_review_id=review_ids.get(p.conditional_on)
                if p.conditional_on
                else None,
                auto_renews=auto is not None,
                renew_for=str(auto.term) if auto and auto.term else None,
                renew_notice=str(auto.notice) if auto and auto.notice else None,
                renew_max=auto.max if auto else None,
                renew_until=auto.until if auto else None,
            ),
        ).scalar_one()
        period_ids.append(pid)
        if auto and auto.objections:
            conn.execute(
                sa.insert(t.objections),
                [
                    dict(
                        period_id=pid,
                        notified_on=o.on,
                        party=o.by,
                        source=o.source,
                        note=o.note,
                        notified_at=o.at,
                    )
                    for o in sorted(auto.objections, key=lambda o: (o.on, o.by))
                ],
            )
        if p.alternative_ends:
            conn.execute(
                sa.insert(t.period_ends),
                [
                    dict(period_id=pid, end_date=a.until, source=a.source, note=a.note)
                    for a in sorted(p.alternative_ends, key=lambda a: a.until)
                ],
            )
        conn.execute(
            sa.insert(t.period_crossings),
            [dict(period_id=pid, crossing_id=slugs[s]) for s in dict.fromkeys(p.crossings)],
        )
    if rec.reports:
        conn.execute(
            sa.insert(t.reports),
            [
                dict(instrument_id=iid, due_date=r.due, description=r.description, note=r.note)
                for r in rec.reports
            ],
        )
    crossing_ids = {s: slugs[s] for p in rec.periods for s in p.crossings}
    return StoredInstrument(
        iid,
        rec,
        known_from,
        known_at,
        tuple(period_ids),
        review_ids,
        tuple(range(len(rec.reports))),
        crossing_ids,
    )


# ---------------------------------------------------------------- reading


def _sort_key(*values: object) -> tuple[str, ...]:
    """The export's order for parts that may repeat a date (corridor.store.snapshot)."""
    return tuple("" if v is None else str(v) for v in values)


def read_instrument(conn: sa.Connection, instrument_id: int) -> StoredInstrument:
    """The instrument `instrument_id` as its rows hold it, values exactly as stored (nothing
    escaped: for the export form, `instrument_rec` for a record to edit). Its parts are in the
    export's order (corridor.store.snapshot): periods as recorded, reviews by date, reports
    by due date and text, objections and alternative ends by day."""
    i, p, r, rp = t.instruments.c, t.periods.c, t.reviews.c, t.reports.c
    row = conn.execute(sa.select(t.instruments).where(i.id == instrument_id)).one()
    renews = None
    if row.renews_id is not None:
        renews = conn.execute(sa.select(i.symbol).where(i.id == row.renews_id)).scalar_one()
    scope: dict[int, list[str]] = {}
    crossing_ids: dict[str, int] = {}
    for pid, cid, slug in conn.execute(
        sa.select(t.period_crossings.c.period_id, t.crossings.c.id, t.crossings.c.slug)
        .join(t.crossings, t.crossings.c.id == t.period_crossings.c.crossing_id)
        .join(t.periods, p.id == t.period_crossings.c.period_id)
        .where(p.instrument_id == instrument_id)
    ):
        scope.setdefault(pid, []).append(slug)
        crossing_ids[slug] = cid
    review_rows = conn.execute(
        sa.select(t.reviews).where(r.instrument_id == instrument_id).order_by(r.review_date, r.id)
    ).all()
    review_dates = {x.id: x.review_date for x in review_rows}
    period_rows = conn.execute(
        sa.select(t.periods).where(p.instrument_id == instrument_id).order_by(p.position, p.id)
    ).all()
    ids = [x.id for x in period_rows]
    objections: dict[int, list[ObjectionRec]] = {}
    if any(x.auto_renews for x in period_rows):
        o = t.objections.c
        for x in conn.execute(sa.select(t.objections).where(o.period_id.in_(ids))):
            objections.setdefault(x.period_id, []).append(
                ObjectionRec(x.notified_on, x.party, x.source, x.note, x.notified_at)
            )
    alt_ends: dict[int, list[AltEndRec]] = {}
    e = t.period_ends.c
    for x in conn.execute(sa.select(t.period_ends).where(e.period_id.in_(ids))):
        alt_ends.setdefault(x.period_id, []).append(AltEndRec(x.end_date, x.source, x.note))
    periods = tuple(
        PeriodRec(
            tuple(sorted(set(scope.get(x.id, [])))),
            x.start_date,
            x.end_date,
            parse_term(x.term) if x.term else None,
            x.term_from,
            x.stated,
            review_dates.get(x.conditional_review_id),
            Where(row.symbol, f"periods[{n}]"),
            AutoRenewRec(
                parse_term(x.renew_for) if x.renew_for else None,
                parse_term(x.renew_notice) if x.renew_notice else None,
                x.renew_max,
                x.renew_until,
                tuple(
                    sorted(
                        objections.get(x.id, []),
                        key=lambda o: _sort_key(o.on, o.by, o.source, o.note, o.at),
                    )
                ),
            )
            if x.auto_renews
            else None,
            tuple(
                sorted(alt_ends.get(x.id, []), key=lambda a: _sort_key(a.until, a.source, a.note))
            ),
        )
        for n, x in enumerate(period_rows)
    )
    reports = sorted(
        (
            (ReportRec(x.due_date, x.description, x.note), x.id)
            for x in conn.execute(
                sa.select(t.reports).where(rp.instrument_id == instrument_id).order_by(rp.id)
            )
        ),
        key=lambda x: (x[0].due, x[0].description, x[0].note or ""),
    )
    y = t.instrument_parties.c
    parties = tuple(
        PartyRec(x.name, x.role, x.note)
        for x in conn.execute(
            sa.select(t.instrument_parties)
            .where(y.instrument_id == instrument_id)
            .order_by(y.position)
        )
    )
    terminated = None
    if row.terminated_effective is not None:
        terminated = TerminationRec(
            row.terminated_effective,
            row.terminated_known,
            row.terminated_by,
            row.terminated_source,
            row.terminated_note,
            row.terminated_known_at,
        )
    rec = InstrumentRec(
        symbol=row.symbol,
        kind=row.kind,
        authority=row.authority,
        timezone=row.timezone,
        adopted=row.adopted,
        adopted_at=row.adopted_at,
        periods=periods,
        title=row.title,
        vote=row.vote,
        source=row.source,
        source_url=row.source_url,
        unconfirmed=row.unconfirmed,
        caveat=row.caveat,
        renews=renews,
        relation=(row.relation or "renews") if renews else None,
        notes=row.notes,
        reviews=tuple(
            ReviewRec(
                x.review_date,
                x.condition,
                x.outcome,
                x.decided_on,
                x.decided_by,
                x.note,
                x.decided_at,
            )
            for x in review_rows
        ),
        reports=tuple(rec for rec, _id in reports),
        where=Where(row.symbol),
        parties=parties,
        signed_in=row.signed_in,
        terminated=terminated,
    )
    return StoredInstrument(
        instrument_id,
        rec,
        row.known_from,
        row.known_at,
        tuple(ids),
        {x.review_date: x.id for x in review_rows},
        tuple(id_ for _rec, id_ in reports),
        crossing_ids,
    )


def instrument_rec(conn: sa.Connection, symbol: str) -> InstrumentRec:
    """The recorded instrument `symbol` as a record to build on (`dataclasses.replace`): the
    same record its export reads back as, text an older corridor stored that today's rules
    refuse escaped visibly (corridor.record.legible), as export writes it."""
    iid = conn.execute(
        sa.select(t.instruments.c.id).where(t.instruments.c.symbol == symbol)
    ).scalar_one()
    return instrument_rec_of(conn, iid)


def instrument_rec_of(conn: sa.Connection, instrument_id: int) -> InstrumentRec:
    """`instrument_rec`, by the instrument's id."""
    rec = legible_rec(read_instrument(conn, instrument_id).rec)
    periods = tuple(
        replace(p, where=Where(rec.symbol, f"periods[{n}]")) for n, p in enumerate(rec.periods)
    )
    return replace(rec, periods=periods, where=Where(rec.symbol))  # errors name it as shown
