"""Writing a validated record into the database: upsert by natural keys (crossing slug,
instrument symbol, event date + title), in the caller's transaction, re-deriving the deadlines
of every instrument that changed. Applying the same document twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from corridor import schema as t
from corridor.derive import rederive
from corridor.errors import InvalidDataError
from corridor.record import CrossingRec, Document, EventRec, InstrumentRec, PeriodRec


@dataclass
class Summary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return len(self.created) + len(self.updated)


def apply(conn: sa.Connection, doc: Document, progress=None) -> Summary:
    summary = Summary()
    if doc.dataset:
        _apply_dataset(conn, doc.dataset, summary)
    slugs = _crossing_ids(conn)
    for rec in doc.crossings:
        _apply_crossing(conn, rec, slugs, summary)
    ordered = _dependency_order(conn, doc.instruments)
    for n, rec in enumerate(ordered, 1):
        _apply_instrument(conn, rec, slugs, summary)
        if progress is not None:
            progress(n, len(ordered))
    for rec in doc.events:
        _apply_event(conn, rec, slugs, summary)
    return summary


def _crossing_ids(conn) -> dict[str, int]:
    return dict(conn.execute(sa.select(t.crossings.c.slug, t.crossings.c.id)).all())


# ---------------------------------------------------------------- dataset and crossings


def _apply_dataset(conn, dataset: dict, summary: Summary) -> None:
    current = dict(conn.execute(sa.select(t.record_meta.c.key, t.record_meta.c.value)).all())
    for key, value in dataset.items():
        text = None if value is None else str(value)
        if current.get(key) == text and (key in current or text is None):
            continue
        if key in current:
            conn.execute(
                sa.update(t.record_meta).where(t.record_meta.c.key == key).values(value=text)
            )
        else:
            conn.execute(sa.insert(t.record_meta).values(key=key, value=text))
        summary.updated.append(f"dataset {key}")


def _crossing_values(rec: CrossingRec) -> dict:
    return dict(
        slug=rec.slug,
        name=rec.name,
        country_a=rec.countries[0],
        country_b=rec.countries[1],
        lat=rec.lat,
        lon=rec.lon,
        notes=rec.notes,
        known_until=rec.known_until,
        known_until_note=rec.known_until_note,
    )


def _apply_crossing(conn, rec: CrossingRec, slugs: dict[str, int], summary: Summary) -> None:
    values = _crossing_values(rec)
    cid = slugs.get(rec.slug)
    if cid is None:
        cid = conn.execute(
            sa.insert(t.crossings).values(**values).returning(t.crossings.c.id)
        ).scalar_one()
        slugs[rec.slug] = cid
        summary.created.append(f"crossing {rec.slug}")
    else:
        row = (
            conn.execute(
                sa.select(*[t.crossings.c[k] for k in values]).where(t.crossings.c.id == cid)
            )
            .one()
            ._asdict()
        )
        aliases = _aliases(conn, cid)
        if row == values and aliases == rec.aliases:
            summary.unchanged += 1
            return
        conn.execute(sa.update(t.crossings).where(t.crossings.c.id == cid).values(**values))
        conn.execute(sa.delete(t.crossing_aliases).where(t.crossing_aliases.c.crossing_id == cid))
        summary.updated.append(f"crossing {rec.slug}")
    if rec.aliases:
        conn.execute(
            sa.insert(t.crossing_aliases),
            [
                dict(crossing_id=cid, alias=a, position=i)
                for i, a in enumerate(_dedupe(rec.aliases))
            ],
        )


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _aliases(conn, cid: int) -> list[str]:
    a = t.crossing_aliases.c
    return list(
        conn.execute(
            sa.select(a.alias).where(a.crossing_id == cid).order_by(a.position, a.id)
        ).scalars()
    )


# ---------------------------------------------------------------- instruments


def _dependency_order(conn, recs: list[InstrumentRec]) -> list[InstrumentRec]:
    """Instruments after the ones they renew, so `from: previous` can be resolved."""
    by_symbol = {r.symbol: r for r in recs}
    ordered: list[InstrumentRec] = []
    state: dict[str, int] = {}

    def visit(rec: InstrumentRec, chain: tuple[str, ...]) -> None:
        if state.get(rec.symbol) == 2:
            return
        if rec.symbol in chain:
            raise InvalidDataError(f"{rec.where}.renews: a cycle: {' -> '.join(chain)}")
        parent = by_symbol.get(rec.renews) if rec.renews else None
        if parent is not None:
            visit(parent, (*chain, rec.symbol))
        state[rec.symbol] = 2
        ordered.append(rec)

    for rec in recs:
        visit(rec, ())
    return ordered


def _covered_until(conn, instrument_id: int) -> date | None:
    """The renewed instrument's last covered day: its latest unconditional or extended period."""
    p, r = t.periods.c, t.reviews.c
    return conn.execute(
        sa.select(sa.func.max(p.end_date))
        .select_from(t.periods.outerjoin(t.reviews, t.reviews.c.id == p.conditional_review_id))
        .where(p.instrument_id == instrument_id)
        .where(sa.or_(p.conditional_review_id.is_(None), r.outcome == "extended"))
    ).scalar()


def resolve_period(
    p: PeriodRec, adopted: date | None, previous_end: date | None
) -> tuple[date, date]:
    """A period's first and last covered days, from the way the text states its term."""
    basis = p.term_from or "start"
    if basis == "previous" and previous_end is None:
        raise InvalidDataError(
            f"{p.where}.from: `previous` needs `renews:` naming an instrument with a period"
        )
    if basis == "adoption" and adopted is None:
        raise InvalidDataError(f"{p.where}.from: `adoption` needs an adoption date")
    start = p.start or (previous_end + timedelta(days=1) if basis == "previous" else adopted)
    if start is None:
        raise InvalidDataError(f"{p.where}.start: required when the adoption date is unknown")
    end = p.until
    if p.term is not None:
        anchor = {"start": start, "adoption": adopted, "previous": previous_end}.get(basis)
        if anchor is None:
            anchor = date.fromisoformat(basis)
        computed = p.term.after(anchor)
        if end is not None and end != computed:
            raise InvalidDataError(
                f"{p.where}: `for: {p.term}` from {anchor} ends on {computed}, "
                f"but `until` says {end}",
                "fix one of them, or drop `for` and keep the date the text states",
            )
        end = computed
    if end < start:
        raise InvalidDataError(f"{p.where}: ends on {end}, before it starts on {start}")
    return start, end


def _instrument_values(rec: InstrumentRec, renews_id: int | None, known_from: date) -> dict:
    return dict(
        symbol=rec.symbol,
        title=rec.title,
        kind=rec.kind,
        authority=rec.authority,
        timezone=rec.timezone,
        adopted=rec.adopted,
        known_from=known_from,
        vote=rec.vote,
        source=rec.source,
        source_url=rec.source_url,
        unconfirmed=rec.unconfirmed,
        notes=rec.notes,
        renews_id=renews_id,
        relation=rec.relation,
    )


def _apply_instrument(conn, rec: InstrumentRec, slugs: dict[str, int], summary: Summary) -> None:
    ids = t.instruments.c
    renews_id = None
    previous_end = None
    if rec.renews:
        renews_id = conn.execute(sa.select(ids.id).where(ids.symbol == rec.renews)).scalar()
        if renews_id is None:
            raise InvalidDataError(
                f"{rec.where}.renews: no instrument {rec.renews!r}",
                "record the instrument it renews first",
            )
        previous_end = _covered_until(conn, renews_id)
    periods = []
    for p in rec.periods:
        for slug in p.crossings:
            if slug not in slugs:
                raise InvalidDataError(
                    f"{p.where}.crossings: no crossing {slug!r}",
                    "add it under `crossings:` or use an existing slug",
                )
        periods.append((p, *resolve_period(p, rec.adopted, previous_end)))
    known_from = rec.adopted or min(start for _p, start, _e in periods)
    values = _instrument_values(rec, renews_id, known_from)
    wanted = _canonical(values, periods, rec)

    iid = conn.execute(sa.select(ids.id).where(ids.symbol == rec.symbol)).scalar()
    if iid is not None and instrument_state(conn, iid) == wanted:
        summary.unchanged += 1
        return
    if iid is None:
        iid = conn.execute(sa.insert(t.instruments).values(**values).returning(ids.id)).scalar_one()
        summary.created.append(f"instrument {rec.symbol}")
    else:
        conn.execute(sa.update(t.instruments).where(ids.id == iid).values(**values))
        for table in (t.coverage, t.deadlines, t.periods, t.reports, t.reviews):
            conn.execute(sa.delete(table).where(table.c.instrument_id == iid))
        summary.updated.append(f"instrument {rec.symbol}")
    review_ids = {}
    for r in rec.reviews:
        review_ids[r.date] = conn.execute(
            sa.insert(t.reviews)
            .values(
                instrument_id=iid,
                review_date=r.date,
                condition=r.condition,
                outcome=r.outcome,
                decided_on=r.decided_on,
                decided_by=r.decided_by,
                note=r.note,
            )
            .returning(t.reviews.c.id)
        ).scalar_one()
    from corridor.terms import end_of_day, zone

    tz = zone(rec.timezone)
    for pos, (p, start, end) in enumerate(periods):
        pid = conn.execute(
            sa.insert(t.periods)
            .values(
                instrument_id=iid,
                position=pos,
                start_date=start,
                end_date=end,
                ends_at=end_of_day(end, tz),
                term=str(p.term) if p.term else None,
                term_from=p.term_from,
                stated=p.stated,
                conditional_review_id=review_ids.get(p.conditional_on),
            )
            .returning(t.periods.c.id)
        ).scalar_one()
        conn.execute(
            sa.insert(t.period_crossings),
            [dict(period_id=pid, crossing_id=slugs[s]) for s in _dedupe(p.crossings)],
        )
    if rec.reports:
        conn.execute(
            sa.insert(t.reports),
            [
                dict(instrument_id=iid, due_date=r.due, description=r.description, note=r.note)
                for r in rec.reports
            ],
        )
    rederive(conn, iid)


def _canonical(values: dict, periods, rec: InstrumentRec) -> dict:
    return dict(
        values,
        periods=[
            (
                tuple(sorted(set(p.crossings))),
                s,
                e,
                str(p.term) if p.term else None,
                p.term_from,
                p.stated,
                p.conditional_on,
            )
            for p, s, e in periods
        ],
        reviews=[
            (r.date, r.condition, r.outcome, r.decided_on, r.decided_by, r.note)
            for r in rec.reviews
        ],
        reports=[(r.due, r.description, r.note) for r in rec.reports],
    )


def instrument_state(conn, iid: int) -> dict:
    """The stored instrument in the shape `_canonical` builds, to detect real changes."""
    ic = t.instruments.c
    cols = [
        "symbol",
        "title",
        "kind",
        "authority",
        "timezone",
        "adopted",
        "known_from",
        "vote",
        "source",
        "source_url",
        "unconfirmed",
        "notes",
        "renews_id",
        "relation",
    ]
    row = conn.execute(sa.select(*[ic[c] for c in cols]).where(ic.id == iid)).one()._asdict()
    p, r = t.periods.c, t.reviews.c
    scope: dict[int, list[str]] = {}
    for pid, slug in conn.execute(
        sa.select(t.period_crossings.c.period_id, t.crossings.c.slug)
        .join(t.crossings, t.crossings.c.id == t.period_crossings.c.crossing_id)
        .join(t.periods, t.periods.c.id == t.period_crossings.c.period_id)
        .where(p.instrument_id == iid)
    ):
        scope.setdefault(pid, []).append(slug)
    review_dates = dict(
        conn.execute(sa.select(r.id, r.review_date).where(r.instrument_id == iid)).all()
    )
    row["periods"] = [
        (
            tuple(sorted(scope.get(x.id, []))),
            x.start_date,
            x.end_date,
            x.term,
            x.term_from,
            x.stated,
            review_dates.get(x.conditional_review_id),
        )
        for x in conn.execute(
            sa.select(t.periods).where(p.instrument_id == iid).order_by(p.position, p.id)
        )
    ]
    row["reviews"] = [
        (x.review_date, x.condition, x.outcome, x.decided_on, x.decided_by, x.note)
        for x in conn.execute(
            sa.select(t.reviews).where(r.instrument_id == iid).order_by(r.review_date, r.id)
        )
    ]
    rp = t.reports.c
    row["reports"] = [
        (x.due_date, x.description, x.note)
        for x in conn.execute(
            sa.select(t.reports).where(rp.instrument_id == iid).order_by(rp.due_date, rp.id)
        )
    ]
    return row


# ---------------------------------------------------------------- events


def _apply_event(conn, rec: EventRec, slugs: dict[str, int], summary: Summary) -> None:
    e = t.events.c
    for slug in rec.crossings:
        if slug not in slugs:
            raise InvalidDataError(f"event {rec.date} {rec.title!r}: no crossing {slug!r}")
    values = dict(
        event_date=rec.date,
        kind=rec.kind,
        title=rec.title,
        vote=rec.vote,
        source=rec.source,
        note=rec.note,
    )
    row = conn.execute(
        sa.select(t.events).where(e.event_date == rec.date, e.title == rec.title)
    ).first()
    wanted_scope = sorted(set(rec.crossings))
    if row is not None:
        scope = sorted(
            conn.execute(
                sa.select(t.crossings.c.slug)
                .join(t.event_crossings, t.event_crossings.c.crossing_id == t.crossings.c.id)
                .where(t.event_crossings.c.event_id == row.id)
            ).scalars()
        )
        current = {k: getattr(row, k) for k in values}
        if current == values and scope == wanted_scope:
            summary.unchanged += 1
            return
        conn.execute(sa.update(t.events).where(e.id == row.id).values(**values))
        conn.execute(sa.delete(t.event_crossings).where(t.event_crossings.c.event_id == row.id))
        eid = row.id
        summary.updated.append(f"event {rec.date} {rec.title}")
    else:
        eid = conn.execute(sa.insert(t.events).values(**values).returning(e.id)).scalar_one()
        summary.created.append(f"event {rec.date} {rec.title}")
    if wanted_scope:
        conn.execute(
            sa.insert(t.event_crossings),
            [dict(event_id=eid, crossing_id=slugs[s]) for s in wanted_scope],
        )


def load_reference(engine) -> Summary:
    from corridor.record import reference_document

    doc = reference_document()
    with engine.begin() as conn:
        return apply(conn, doc)
