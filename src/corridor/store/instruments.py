"""Upserting instruments (the one writer's part for them, corridor.store.writer): an
`InstrumentRec` is resolved (its periods' dates, corridor.store.renewals), checked against what
it renews, compared with what is recorded in the export form, written into its rows
(corridor.store.instrument_rows), re-derived (corridor.store.rederive) and audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from corridor.core.coverage import fact_known_at
from corridor.core.derive import symbol_key
from corridor.core.errors import InvalidDataError, NotFoundError, UsageError
from corridor.core.terms import day_start, zone
from corridor.db import tables as t
from corridor.record.model import InstrumentRec
from corridor.store.audit import Change
from corridor.store.audit import write as audit
from corridor.store.instrument_rows import derive_input, insert_parts
from corridor.store.rederive import rederive
from corridor.store.renewals import (
    Facts,
    check_renewal,
    covered_scope,
    covered_until,
    refuse_cycle,
    resolve_periods,
)
from corridor.store.snapshot import instrument_dict, instrument_doc
from corridor.store.summary import Renames, Summary

# Built once and executed with parameters: rebuilding an INSERT per row costs more than
# SQLite spends running it.
_INSERT_INSTRUMENT = sa.insert(t.instruments).returning(t.instruments.c.id)


def _auto_renew_where(rec: InstrumentRec) -> str:
    """Where a derived date went out of range: the first auto_renew block, else the record."""
    for p in rec.periods:
        if p.auto_renew is not None:
            return p.where.at("auto_renew")
    return rec.where.at("periods")


def dependency_order(recs: Sequence[InstrumentRec]) -> list[InstrumentRec]:
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


class ApplyCache:
    """What one apply() learns as it goes, so that importing N instruments neither re-reads
    what it has just written nor scans the table per instrument: symbol -> id (read once),
    near-duplicate symbol keys, and each instrument's renewal facts."""

    def __init__(self, conn: sa.Connection):
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

    def wrote(self, iid: int, rec: InstrumentRec, old_symbol: str | None) -> None:
        """Record an instrument just written (its periods resolved), from the values written."""
        extended = {r.date for r in rec.reviews if r.outcome == "extended"}
        counting = [
            (p, min([p.until, *(a.until for a in p.alternative_ends)]))  # the earliest end governs
            for p in rec.periods
            if p.until is not None and (p.conditional_on is None or p.conditional_on in extended)
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


def apply_instrument(
    conn: sa.Connection,
    rec: InstrumentRec,
    slugs: dict[str, int],
    summary: Summary,
    change: Change,
    renames: Renames,
    cache: ApplyCache,
) -> tuple[int, str | None]:
    """Upsert one instrument: (its id, "created" | "updated" | None when unchanged)."""
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
    resolved = replace(rec, periods=periods)
    known_from = rec.adopted or min(p.start for p in periods if p.start is not None)
    values = _instrument_values(rec, renews_id, known_from)
    new = instrument_doc(resolved)
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
    stored = insert_parts(conn, iid, resolved, slugs, known_from, values["known_at"])
    cache.wrote(iid, resolved, old_symbol)
    try:
        rederive(conn, iid, derive_input(stored), fresh=action == "created")
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


def scope_of(record: dict | None) -> set[str]:
    if not record:
        return set()
    return {slug for p in record.get("periods", []) for slug in p.get("crossings", [])}
