"""Writing a validated record into the database: the one writer.

Upsert by natural keys (crossing slug, instrument symbol, event date + title), in the caller's
transaction, re-deriving the deadlines of every instrument that changed. Applying the same
document twice changes nothing. Every created, updated or removed record gets one entry in the
audit trail (corridor.store.audit) in the same transaction, whoever calls: `corridor import`, the
editing commands (corridor.services.edit), or the first load of the reference dataset.

Every writer therefore obeys the same rules (docs/records.md): a period's `for` and `until`
agree and it does not end before it starts, and a renewal is consistent with what it renews
(corridor.store.renewals). Removing records is corridor.store.removal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from corridor.core.coverage import fact_known_at
from corridor.core.derive import symbol_key
from corridor.core.errors import InvalidDataError, NotFoundError, UsageError
from corridor.core.terms import day_start, zone
from corridor.db import tables as t
from corridor.record.format import (
    REFERENCE_NAME,
    CalendarRec,
    CrossingRec,
    Document,
    EventRec,
    InstrumentRec,
    check_document,
)
from corridor.store.audit import Change, check_change, default_change
from corridor.store.audit import write as audit
from corridor.store.horizon import refresh_horizons
from corridor.store.rederive import rederive
from corridor.store.renewals import (
    Facts,
    check_dependents,
    check_renewal,
    covered_scope,
    covered_until,
    refuse_cycle,
    resolve_periods,
)


@dataclass
class Summary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return len(self.created) + len(self.updated) + len(self.removed)


@dataclass
class Renames:
    """Natural keys that change in place (`corridor correct ... symbol=NEW`): new -> old."""

    crossings: dict[str, str] = field(default_factory=dict)
    instruments: dict[str, str] = field(default_factory=dict)
    events: dict[tuple[date, str], tuple[date, str]] = field(default_factory=dict)


def apply(
    conn: sa.Connection,
    doc: Document,
    progress=None,
    *,
    change: Change,
    renames: Renames | None = None,
) -> Summary:
    check_document(doc)  # the limits of docs/format.md, for records built in Python too
    check_change(change)
    renames = renames or Renames()
    summary = Summary()
    if doc.dataset:
        _apply_dataset(conn, doc.dataset, summary, change)
    slugs = _crossing_ids(conn)
    cache = _ApplyCache(conn)
    touched = [
        _apply_crossing(conn, crossing, slugs, summary, change, renames)
        for crossing in doc.crossings
    ]
    index_names(conn, [cid for cid in touched if cid is not None])
    ordered = _dependency_order(conn, doc.instruments)
    applied: set[int] = set()
    updated: list[int] = []
    for n, rec in enumerate(ordered, 1):
        iid, action = _apply_instrument(conn, rec, slugs, summary, change, renames, cache)
        applied.add(iid)
        if action == "updated":
            updated.append(iid)
        if progress is not None:
            progress(n, len(ordered))
    for event in doc.events:
        _apply_event(conn, event, slugs, summary, change, renames)
    for calendar in doc.calendars:
        _apply_calendar(conn, calendar, summary, change)
    for iid in updated:
        check_dependents(conn, iid, slugs, skip=applied)
    refresh_horizons(conn)
    return summary


def _crossing_ids(conn) -> dict[str, int]:
    return dict(conn.execute(sa.select(t.crossings.c.slug, t.crossings.c.id)).all())


# ---------------------------------------------------------------- dataset and crossings


def _apply_dataset(conn, dataset: dict, summary: Summary, change: Change) -> None:
    from corridor.store.snapshot import dataset_dict

    current = dict(conn.execute(sa.select(t.record_meta.c.key, t.record_meta.c.value)).all())
    old = dataset_dict(conn)
    changed = False
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
        changed = True
    if not changed:
        summary.unchanged += 1  # counted like any other record, so the totals add up
        return
    if changed:
        new = dataset_dict(conn)
        (summary.updated if old else summary.created).append("dataset")
        audit(
            conn,
            change,
            action="updated" if old else "created",
            entity="dataset",
            key="dataset",
            old=old or None,
            new=new,
        )


def _crossing_values(rec: CrossingRec) -> dict:
    return dict(
        slug=rec.slug,
        name=rec.name,
        kind=rec.kind,
        lat=rec.lat,
        lon=rec.lon,
        notes=rec.notes,
        known_until=rec.known_until,
        known_until_note=rec.known_until_note,
        known_until_at=rec.known_until_at,
        checked_before=_checks_text(rec.checked_before),
    )


def _checks_text(checks) -> str | None:
    """Earlier declarations as stored: a JSON list of dates or instants (UTC), oldest first."""
    if not checks:
        return None
    return json.dumps(
        [
            day.isoformat() if at is None else at.isoformat().replace("+00:00", "Z")
            for day, at in checks
        ]
    )


def _apply_crossing(
    conn, rec: CrossingRec, slugs: dict[str, int], summary: Summary, change: Change, renames
) -> int | None:
    """Insert or update one crossing; its id if it was written (its names need re-indexing)."""
    from corridor.store.snapshot import crossing_countries, crossing_dict

    values = _crossing_values(rec)
    cid = slugs.get(rec.slug)
    old_slug = rec.slug
    if cid is None and rec.slug in renames.crossings:
        old_slug = renames.crossings[rec.slug]
        cid = slugs.pop(old_slug, None)
        if cid is None:
            raise NotFoundError(f"no crossing {old_slug!r}")
        slugs[rec.slug] = cid
    if cid is None:
        cid = conn.execute(
            sa.insert(t.crossings).values(**values).returning(t.crossings.c.id)
        ).scalar_one()
        slugs[rec.slug] = cid
        _insert_aliases(conn, cid, rec.aliases)
        _insert_countries(conn, cid, rec.countries)
        _insert_unknown(conn, cid, rec.unknown)
        summary.created.append(f"crossing {rec.slug}")
        audit(
            conn,
            change,
            action="created",
            entity="crossing",
            key=rec.slug,
            old=None,
            new=crossing_dict(conn, cid),
            crossings={rec.slug},
        )
        return cid
    row = (
        conn.execute(sa.select(*[t.crossings.c[k] for k in values]).where(t.crossings.c.id == cid))
        .one()
        ._asdict()
    )
    if (
        row == values
        and _aliases(conn, cid) == _dedupe(rec.aliases)
        and crossing_countries(conn, cid) == list(rec.countries)
        and _unknown(conn, cid) == _unknown_values(rec.unknown)
    ):
        summary.unchanged += 1
        return None
    old = crossing_dict(conn, cid)
    conn.execute(sa.update(t.crossings).where(t.crossings.c.id == cid).values(**values))
    conn.execute(sa.delete(t.crossing_aliases).where(t.crossing_aliases.c.crossing_id == cid))
    _insert_aliases(conn, cid, rec.aliases)
    conn.execute(sa.delete(t.crossing_countries).where(t.crossing_countries.c.crossing_id == cid))
    _insert_countries(conn, cid, rec.countries)
    conn.execute(sa.delete(t.unknown_spans).where(t.unknown_spans.c.crossing_id == cid))
    _insert_unknown(conn, cid, rec.unknown)
    if old_slug != rec.slug:  # deadline uids name the slug
        for iid in instruments_covering(conn, cid):
            rederive(conn, iid)
    summary.updated.append(f"crossing {rec.slug}")
    audit(
        conn,
        change,
        action="updated",
        entity="crossing",
        key=rec.slug,
        old=old,
        new=crossing_dict(conn, cid),
        crossings={old_slug, rec.slug},
    )
    return cid


def index_names(conn, cids: list[int]) -> None:
    """Re-index the names of the crossings `cids` in `crossing_keys`, whose primary key lets a
    name (folded as lookups fold it) point to one crossing only. The crossings of one document
    are re-indexed together, so a name may move from one to another within it."""
    from corridor.core.names import index_key

    if not cids:
        return
    k = t.crossing_keys.c
    conn.execute(sa.delete(t.crossing_keys).where(k.crossing_id.in_(cids)))
    c, a = t.crossings.c, t.crossing_aliases.c
    wanted: dict[str, tuple[int, str]] = {}
    rows = list(conn.execute(sa.select(c.id, c.name, c.slug).where(c.id.in_(cids))))
    rows += [
        (cid, alias, None)
        for cid, alias in conn.execute(
            sa.select(a.crossing_id, a.alias)
            .where(a.crossing_id.in_(cids))
            .order_by(a.position, a.id)
        )
    ]
    for cid, *names in rows:
        for name in names:
            key = index_key(name) if name else ""
            if not key:
                continue
            other = wanted.setdefault(key, (cid, name))
            if other[0] != cid:
                raise _shared_name(conn, name, other[0])
    taken = {}
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        taken.update(
            conn.execute(
                sa.select(k.name_key, k.crossing_id).where(
                    k.name_key.in_(keys[start : start + 500])
                )
            ).all()
        )
    for key, owner in taken.items():
        raise _shared_name(conn, wanted[key][1], owner)
    if wanted:
        try:
            conn.execute(
                sa.insert(t.crossing_keys),
                [dict(name_key=key, crossing_id=cid) for key, (cid, _n) in wanted.items()],
            )
        except sa.exc.IntegrityError:  # only if the checks above missed a case: still refused
            raise InvalidDataError(
                "a crossing name or alias is already used by another crossing",
                "an alias must point to one crossing only",
            ) from None


def _shared_name(conn, name: str, owner: int) -> InvalidDataError:
    c = t.crossings.c
    shown = conn.execute(sa.select(c.name).where(c.id == owner)).scalar_one()
    return InvalidDataError(
        f'"{name}" already names the crossing {shown}',
        "a name or alias must point to one crossing only; "
        f'correct it, or add a spelling to {shown} with: corridor crossing alias "{shown}" NAME',
    )


def _insert_aliases(conn, cid: int, aliases: list[str]) -> None:
    if aliases:
        conn.execute(
            sa.insert(t.crossing_aliases),
            [dict(crossing_id=cid, alias=a, position=i) for i, a in enumerate(_dedupe(aliases))],
        )


def _insert_countries(conn, cid: int, countries) -> None:
    conn.execute(
        sa.insert(t.crossing_countries),
        [dict(crossing_id=cid, position=i, code=c) for i, c in enumerate(countries)],
    )


def _unknown_values(spans) -> list[tuple]:
    """A crossing's unknown spans as compared and stored: in date order (docs/records.md)."""
    return sorted(
        ((u.start, u.until, u.timezone, u.note, u.source, u.known_at) for u in spans),
        key=lambda x: (x[0], x[1], x[2], x[3] or "", x[4] or ""),
    )


def _unknown(conn, cid: int) -> list[tuple]:
    u = t.unknown_spans.c
    rows = conn.execute(
        sa.select(u.start_date, u.end_date, u.timezone, u.note, u.source, u.known_at).where(
            u.crossing_id == cid
        )
    )
    return sorted(
        (tuple(r) for r in rows), key=lambda x: (x[0], x[1], x[2], x[3] or "", x[4] or "")
    )


def _insert_unknown(conn, cid: int, spans) -> None:
    from corridor.core.terms import end_of_day

    rows = []
    for pos, (start, until, tzname, note, source, known_at) in enumerate(_unknown_values(spans)):
        tz = zone(tzname)
        rows.append(
            dict(
                crossing_id=cid,
                position=pos,
                start_date=start,
                end_date=until,
                timezone=tzname,
                starts_at=day_start(start, tz),
                ends_at=end_of_day(until, tz),
                note=note,
                source=source,
                known_at=known_at,
            )
        )
    if rows:
        conn.execute(sa.insert(t.unknown_spans), rows)


def instruments_covering(conn, cid: int) -> list[int]:
    return sorted(
        set(
            conn.execute(
                sa.select(t.periods.c.instrument_id)
                .join(t.period_crossings, t.period_crossings.c.period_id == t.periods.c.id)
                .where(t.period_crossings.c.crossing_id == cid)
            ).scalars()
        )
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


def _auto_renew_where(rec: InstrumentRec) -> str:
    """Where a derived date went out of range: the first auto_renew block, else the record."""
    for p in rec.periods:
        if p.auto_renew is not None:
            return p.where.at("auto_renew")
    return rec.where.at("periods")


def _dependency_order(conn, recs: list[InstrumentRec]) -> list[InstrumentRec]:
    """Instruments after the ones they renew, so `from: previous` can be resolved. Iterative,
    with no step limit: a chain of any length listed newest-first is ordered, and a cycle of
    any length is refused (README "Guarantees", no internal errors)."""
    by_symbol = {r.symbol: r for r in recs}
    ordered: list[InstrumentRec] = []
    done: set[str] = set()
    for start in recs:
        if start.symbol in done:
            continue
        path: list[InstrumentRec] = []  # start, the one it renews, ... (not yet placed)
        on_path: set[str] = set()
        rec: InstrumentRec | None = start
        while rec is not None and rec.symbol not in done:
            if rec.symbol in on_path:
                names = [r.symbol for r in path] + [rec.symbol]
                raise InvalidDataError(f"{rec.where.at('renews')}: a cycle: {_chain_text(names)}")
            path.append(rec)
            on_path.add(rec.symbol)
            rec = by_symbol.get(rec.renews) if rec.renews else None
        for placed in reversed(path):
            done.add(placed.symbol)
            ordered.append(placed)
    return ordered


def _chain_text(names: list[str]) -> str:
    """A cycle for a message: all of a short one, the ends of a long one."""
    if len(names) <= 12:
        return " -> ".join(names)
    return f"{' -> '.join(names[:5])} -> ... ({len(names) - 10} more) -> {' -> '.join(names[-5:])}"


def _instrument_values(rec: InstrumentRec, renews_id: int | None, known_from: date) -> dict:
    return dict(
        symbol=rec.symbol,
        title=rec.title,
        kind=rec.kind,
        authority=rec.authority,
        timezone=rec.timezone,
        adopted=rec.adopted,
        adopted_at=rec.adopted_at,
        known_from=known_from,
        # When the instrument became known (docs/time.md): the adoption's instant, else the
        # end of its day; an undated (inferred) step provisionally from its first day, until
        # corridor.store.horizon.refresh_inferred finds the announcement that implies it.
        known_at=fact_known_at(rec.adopted, zone(rec.timezone), rec.adopted_at)
        if rec.adopted is not None
        else day_start(known_from, zone(rec.timezone)),
        vote=rec.vote,
        source=rec.source,
        source_url=rec.source_url,
        unconfirmed=rec.unconfirmed,
        caveat=rec.caveat,
        notes=rec.notes,
        renews_id=renews_id,
        relation=rec.relation,
        signed_in=rec.signed_in,
        terminated_effective=rec.terminated.effective if rec.terminated else None,
        terminated_known=rec.terminated.known if rec.terminated else None,
        terminated_known_at=rec.terminated.known_at if rec.terminated else None,
        terminated_by=rec.terminated.by if rec.terminated else None,
        terminated_source=rec.terminated.source if rec.terminated else None,
        terminated_note=rec.terminated.note if rec.terminated else None,
    )


class _ApplyCache:
    """What one apply() learns as it goes, so that importing N instruments neither re-reads
    what it has just written nor scans the table per instrument: symbol -> id (read once),
    near-duplicate symbol keys, and each instrument's renewal facts."""

    def __init__(self, conn):
        self.conn = conn
        self._ids: dict[str, int] | None = None
        self._keys: dict[str, str] | None = None
        self._facts: dict[int, Facts] = {}

    def instrument_id(self, symbol: str) -> int | None:
        if self._ids is None:
            i = t.instruments.c
            self._ids = dict(self.conn.execute(sa.select(i.symbol, i.id)).all())
        return self._ids.get(symbol)

    def twin(self, symbol: str) -> str | None:
        if self._keys is None:
            self._keys = {
                symbol_key(s): s
                for s in self.conn.execute(sa.select(t.instruments.c.symbol)).scalars()
            }
        return self._keys.get(symbol_key(symbol))

    def facts(self, iid: int) -> Facts:
        if iid not in self._facts:
            i = t.instruments.c
            row = self.conn.execute(sa.select(i.symbol, i.adopted).where(i.id == iid)).one()
            self._facts[iid] = Facts(
                row.symbol,
                row.adopted,
                covered_until(self.conn, iid),
                covered_scope(self.conn, iid),
            )
        return self._facts[iid]

    def wrote(self, iid: int, rec: InstrumentRec, periods, old_symbol: str | None) -> None:
        """Record an instrument just written, from the values written."""
        extended = {r.date for r in rec.reviews if r.outcome == "extended"}
        counting = [
            (p, min([e, *(a.until for a in p.alternative_ends)]))  # the earliest end governs
            for p, _s, e in periods
            if p.conditional_on is None or p.conditional_on in extended
        ]
        until = max((e for _p, e in counting), default=None)
        scope = sorted({slug for p, e in counting if e == until for slug in p.crossings})
        self._facts[iid] = Facts(rec.symbol, rec.adopted, until, scope)
        if self._ids is not None:
            if old_symbol and old_symbol != rec.symbol:
                self._ids.pop(old_symbol, None)
            self._ids[rec.symbol] = iid
        if self._keys is not None:
            self._keys[symbol_key(rec.symbol)] = rec.symbol


def _apply_instrument(
    conn,
    rec: InstrumentRec,
    slugs: dict[str, int],
    summary: Summary,
    change: Change,
    renames,
    cache: _ApplyCache,
) -> tuple[int, str | None]:
    from corridor.store.snapshot import instrument_dict, instrument_doc

    ids = t.instruments.c
    iid = cache.instrument_id(rec.symbol)
    old_symbol = None
    if iid is None and rec.symbol in renames.instruments:
        old_symbol = renames.instruments[rec.symbol]
        iid = cache.instrument_id(old_symbol)
        if iid is None:
            raise NotFoundError(f"no instrument {old_symbol!r}")
    renews_id = None
    previous_end = None
    prev = None
    if rec.renews:
        renews_id = cache.instrument_id(rec.renews)
        if renews_id is None:
            raise InvalidDataError(
                f"{rec.where.at('renews')}: no instrument {rec.renews!r}",
                "record the instrument it renews first",
            )
        if iid is not None:
            refuse_cycle(conn, rec, iid, renews_id)
        prev = cache.facts(renews_id)
        previous_end = prev.until
    periods = resolve_periods(conn, rec, slugs, previous_end)
    check_renewal(conn, rec, renews_id, previous_end, periods, prev)
    known_from = rec.adopted or min(start for _p, start, _e in periods)
    values = _instrument_values(rec, renews_id, known_from)
    new = instrument_doc(
        values,
        rec.renews,
        [
            (
                p.crossings,
                start,
                end,
                str(p.term) if p.term else None,
                p.term_from,
                p.stated,
                p.conditional_on,
                _auto_tuple(p.auto_renew),
                [(a.until, a.source, a.note) for a in p.alternative_ends],
            )
            for p, start, end in periods
        ],
        [
            (r.date, r.condition, r.outcome, r.decided_on, r.decided_by, r.note, r.decided_at)
            for r in sorted(rec.reviews, key=lambda r: r.date)
        ],
        [(r.due, r.description, r.note) for r in rec.reports],
        [(x.name, x.role, x.note) for x in rec.parties],
    )
    # Unchanged means the same record in the export form: the comparison an export diff makes.
    old = instrument_dict(conn, iid) if iid is not None else None
    if iid is not None and old is not None and old == new:
        summary.unchanged += 1
        return iid, None
    twin = cache.twin(rec.symbol) if iid is None or old_symbol is not None else None
    if twin is not None and twin != old_symbol:  # a case or spacing variant of another symbol
        raise InvalidDataError(
            f"{rec.where.at('symbol')}: {rec.symbol!r} is already recorded as {twin!r}",
            "use the recorded symbol, or correct it with: corridor correct",
        )
    if iid is None:
        if twin is not None:
            raise InvalidDataError(
                f"{rec.where.at('symbol')}: {rec.symbol!r} is already recorded as {twin!r}",
                "use the recorded symbol, or correct it with: corridor correct",
            )
        iid = conn.execute(_INSERT_INSTRUMENT, values).scalar_one()
        action = "created"
    else:
        conn.execute(sa.update(t.instruments).where(ids.id == iid).values(**values))
        for table in (
            t.coverage,
            t.deadlines,
            t.periods,
            t.reports,
            t.reviews,
            t.instrument_parties,
        ):
            conn.execute(sa.delete(table).where(table.c.instrument_id == iid))
        action = "updated"
    inst = _insert_parts(conn, iid, rec, periods, slugs, known_from, values["known_at"])
    cache.wrote(iid, rec, periods, old_symbol)
    try:
        rederive(conn, iid, inst, fresh=action == "created")
    except UsageError as exc:  # an automatic renewal's term past the supported range
        raise InvalidDataError(f"{_auto_renew_where(rec)}: {exc.message}", exc.hint) from None
    getattr(summary, action).append(f"instrument {rec.symbol}")
    audit(
        conn,
        change,
        action=action,
        entity="instrument",
        key=rec.symbol,
        old=old,
        new=_with_revision(new, rec),
        crossings=scope_of(old) | scope_of(new),
    )
    return iid, action


def _with_revision(new: dict, rec: InstrumentRec) -> dict:
    """The audit entry keeps the revision and last change the record carried from another
    database, so the calendar's SEQUENCE and LAST-MODIFIED go on from there after a move
    (corridor.db.revisions; docs/format.md "Moving a record")."""
    carried = {"revision": rec.revision, "modified": rec.modified}
    return {**new, **{k: v for k, v in carried.items() if v is not None}}


def _auto_tuple(auto):
    if auto is None:
        return None
    return (
        str(auto.term) if auto.term else None,
        str(auto.notice) if auto.notice else None,
        auto.max,
        auto.until,
        [(o.on, o.by, o.source, o.note, o.at) for o in auto.objections],
    )


def scope_of(record: dict | None) -> set[str]:
    if not record:
        return set()
    return {slug for p in record.get("periods", []) for slug in p.get("crossings", [])}


# Built once and executed with parameters: rebuilding an INSERT per row costs more than
# SQLite spends running it.
_INSERT_INSTRUMENT = sa.insert(t.instruments).returning(t.instruments.c.id)
_INSERT_REVIEW = sa.insert(t.reviews).returning(t.reviews.c.id)
_INSERT_PERIOD = sa.insert(t.periods).returning(t.periods.c.id)


def _insert_parts(conn, iid: int, rec: InstrumentRec, periods, slugs, known_from, known_at):
    """Insert the periods, reviews and reports; return the instrument as derive's plain value,
    in the order derive.load() reads it, so deriving needs no re-read."""
    from corridor.core import derive
    from corridor.core.terms import end_of_day, zone

    if rec.parties:
        conn.execute(
            sa.insert(t.instrument_parties),
            [
                dict(instrument_id=iid, position=n, name=x.name, role=x.role, note=x.note)
                for n, x in enumerate(rec.parties)
            ],
        )
    review_ids = {}
    reviews = []
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
        reviews.append(
            derive.Review(
                review_ids[r.date], r.date, r.condition, r.outcome, r.decided_on, r.decided_at
            )
        )
    tz = zone(rec.timezone)
    parts = []
    for pos, (p, start, end) in enumerate(periods):
        auto = p.auto_renew
        pid = conn.execute(
            _INSERT_PERIOD,
            dict(
                instrument_id=iid,
                position=pos,
                start_date=start,
                end_date=end,
                ends_at=end_of_day(end, tz),
                term=str(p.term) if p.term else None,
                term_from=p.term_from,
                stated=p.stated,
                conditional_review_id=review_ids.get(p.conditional_on),
                auto_renews=p.auto_renew is not None,
                renew_for=str(auto.term) if auto and auto.term else None,
                renew_notice=str(auto.notice) if auto and auto.notice else None,
                renew_max=auto.max if auto else None,
                renew_until=auto.until if auto else None,
            ),
        ).scalar_one()
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
            [dict(period_id=pid, crossing_id=slugs[s]) for s in _dedupe(p.crossings)],
        )
        scope = tuple(sorted((slugs[s], s) for s in _dedupe(p.crossings)))
        parts.append(
            derive.Period(
                pid,
                start,
                end,
                scope,
                p.stated,
                review_ids.get(p.conditional_on),
                str(p.term) if p.term else None,
                derive_auto(auto),
                tuple(derive.AltEnd(a.until, a.source) for a in p.alternative_ends),
            )
        )
    if rec.reports:
        conn.execute(
            sa.insert(t.reports),
            [
                dict(instrument_id=iid, due_date=r.due, description=r.description, note=r.note)
                for r in rec.reports
            ],
        )
    reports = sorted(((r.due, n, r.description) for n, r in enumerate(rec.reports)))
    return derive.Instrument(
        iid,
        rec.symbol,
        rec.timezone,
        known_from,
        tuple(parts),
        tuple(sorted(reviews, key=lambda r: (r.date, r.id))),
        tuple(derive.Report(due, text) for due, _n, text in reports),
        rec.source,
        derive.Termination(
            rec.terminated.effective,
            rec.terminated.known,
            rec.terminated.by,
            rec.terminated.source,
            rec.terminated.known_at,
        )
        if rec.terminated
        else None,
        known_at,
    )


def derive_auto(auto):
    """An AutoRenewRec as derive's plain value."""
    from corridor.core import derive

    if auto is None:
        return None
    return derive.AutoRenew(
        str(auto.term) if auto.term else None,
        str(auto.notice) if auto.notice else None,
        auto.max,
        auto.until,
        tuple(derive.Objection(o.on, o.by, o.at) for o in auto.objections),
    )


def _apply_event(
    conn, rec: EventRec, slugs: dict[str, int], summary: Summary, change: Change, renames
) -> None:
    from corridor.store.snapshot import event_dict

    e = t.events.c
    for slug in rec.crossings:
        if slug not in slugs:
            raise InvalidDataError(
                f"{rec.where.at('crossings')}: no crossing {slug!r}",
                "add it under `crossings:` or use an existing slug",
            )
    values = dict(
        event_date=rec.date,
        kind=rec.kind,
        title=rec.title,
        vote=rec.vote,
        source=rec.source,
        note=rec.note,
        event_at=rec.at,
    )
    row = conn.execute(
        sa.select(t.events).where(e.event_date == rec.date, e.title == rec.title)
    ).first()
    if row is None and (rec.date, rec.title) in renames.events:
        old_date, old_title = renames.events[(rec.date, rec.title)]
        row = conn.execute(
            sa.select(t.events).where(e.event_date == old_date, e.title == old_title)
        ).first()
    wanted_scope = sorted(set(rec.crossings))
    key = f"{rec.date} {rec.title}"
    if row is not None:
        old = event_dict(conn, row.id)
        current = {k: getattr(row, k) for k in values}
        if current == values and old.get("crossings", []) == wanted_scope:
            summary.unchanged += 1
            return
        conn.execute(sa.update(t.events).where(e.id == row.id).values(**values))
        conn.execute(sa.delete(t.event_crossings).where(t.event_crossings.c.event_id == row.id))
        eid, action = row.id, "updated"
    else:
        old = None
        eid = conn.execute(sa.insert(t.events).values(**values).returning(e.id)).scalar_one()
        action = "created"
    if wanted_scope:
        conn.execute(
            sa.insert(t.event_crossings),
            [dict(event_id=eid, crossing_id=slugs[s]) for s in wanted_scope],
        )
    new = event_dict(conn, eid)
    getattr(summary, action).append(f"event {key}")
    audit(
        conn,
        change,
        action=action,
        entity="event",
        key=key,
        old=old,
        new=new,
        crossings=set((old or {}).get("crossings", [])) | set(wanted_scope),
    )


def _apply_calendar(conn, rec: CalendarRec, summary: Summary, change: Change) -> None:
    """Upsert a calendar by the authority or country it is for (docs/records.md, Working
    days). Holidays are replaced by the record's list."""
    from corridor.store.snapshot import calendar_dict

    k = t.calendars.c
    values = dict(
        applies_to=rec.applies_to,
        weekend=",".join(rec.weekend) or None,
        source=rec.source,
        note=rec.note,
    )
    cid = conn.execute(
        sa.select(k.id).where(sa.func.lower(k.applies_to) == rec.applies_to.lower())
    ).scalar()
    old = calendar_dict(conn, cid) if cid is not None else None
    if cid is None:
        cid = conn.execute(sa.insert(t.calendars).values(**values).returning(k.id)).scalar_one()
        action = "created"
    else:
        conn.execute(sa.update(t.calendars).where(k.id == cid).values(**values))
        conn.execute(sa.delete(t.calendar_holidays).where(t.calendar_holidays.c.calendar_id == cid))
        action = "updated"
    if rec.holidays:
        conn.execute(
            sa.insert(t.calendar_holidays),
            [dict(calendar_id=cid, day=day, name=name) for day, name in rec.holidays],
        )
    new = calendar_dict(conn, cid)
    if old == new:
        summary.unchanged += 1
        return
    getattr(summary, action).append(f"calendar {rec.applies_to}")
    audit(
        conn,
        change,
        action=action,
        entity="calendar",
        key=rec.applies_to,
        old=old,
        new=new,
    )


def load_reference(engine, at: datetime) -> Summary:
    """Load the bundled reference dataset (idempotent), audited as made `at` by the OS user."""
    from corridor.record.format import reference_document

    doc = reference_document()
    with engine.begin() as conn:
        return apply(conn, doc, change=default_change(REFERENCE_NAME, "reference", at))
