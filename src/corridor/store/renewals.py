"""The renewal rules, checked by the one writer (corridor.store.writer) for every change.

A renewal (relation `renews` or `confirms`) must be consistent with what it renews:
1. it is not adopted before the instrument it renews;
2. it ends later than the renewed instrument's last covered day (otherwise it extends nothing);
3. none of its periods starts on or before that day for a crossing both cover: a renewal picks
   up the day after its predecessor ends, so an overlap with a different end would leave two
   contradictory expiries for the same days. (`replaces` is exempt: a replacement may take over
   early.)
Changing an instrument must not contradict the instruments that renew it: their `from:
previous` terms and the rules above are checked again. Also here: resolving a period's dates
from the way its term is stated, and what "the renewed instrument's last covered day" means.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa

from corridor.core.errors import InvalidDataError, UsageError
from corridor.db import tables as t
from corridor.record.model import InstrumentRec, PeriodRec
from corridor.store.instrument_rows import instrument_rec_of


@dataclass
class Facts:
    """What a renewal needs of the instrument it renews."""

    symbol: str
    adopted: date | None
    until: date | None  # its last covered day (covered_until)
    scope: list[str]  # the crossings covered on that day (covered_scope)


def _counting_ends(conn, instrument_id: int) -> list[tuple[int, date]]:
    """(period id, last covered day) of the periods that cover for sure: unconditional, or
    extended at their review. A disputed period ends on the earliest of its own end and its
    alternative ends, whichever was recorded first (docs/records.md, "A disputed end")."""
    p, r, e = t.periods.c, t.reviews.c, t.period_ends.c
    earliest_alt = sa.select(sa.func.min(e.end_date)).where(e.period_id == p.id).scalar_subquery()
    rows = conn.execute(
        sa.select(p.id, p.end_date, earliest_alt.label("alt_end"))
        .select_from(t.periods.outerjoin(t.reviews, r.id == p.conditional_review_id))
        .where(p.instrument_id == instrument_id)
        .where(sa.or_(p.conditional_review_id.is_(None), r.outcome == "extended"))
    )
    return [(row.id, min(row.end_date, row.alt_end or row.end_date)) for row in rows]


def covered_until(conn, instrument_id: int) -> date | None:
    """The instrument's last covered day: its latest unconditional or extended period."""
    return max((end for _id, end in _counting_ends(conn, instrument_id)), default=None)


def covered_scope(conn, instrument_id: int) -> list[str]:
    """Slugs of the crossings covered on the instrument's last covered day."""
    ends = _counting_ends(conn, instrument_id)
    if not ends:
        return []
    last = max(end for _id, end in ends)
    ids = [pid for pid, end in ends if end == last]
    return sorted(
        set(
            conn.execute(
                sa.select(t.crossings.c.slug)
                .join(t.period_crossings, t.period_crossings.c.crossing_id == t.crossings.c.id)
                .where(t.period_crossings.c.period_id.in_(ids))
            ).scalars()
        )
    )


def resolve_period(
    p: PeriodRec, adopted: date | None, previous_end: date | None
) -> tuple[date, date]:
    """A period's first and last covered days, from the way the text states its term."""
    basis = p.term_from or "start"
    if basis == "previous" and previous_end is None:
        raise InvalidDataError(
            f"{p.where.at('from')}: `previous` needs `renews:` naming an instrument with a period"
        )
    if basis == "adoption" and adopted is None:
        raise InvalidDataError(f"{p.where.at('from')}: `adoption` needs an adoption date")
    start: date | None
    if p.start is not None:
        start = p.start
    elif basis == "previous" and previous_end is not None:  # None was refused above
        start = previous_end + timedelta(days=1)
    else:
        start = adopted
    if start is None:
        raise InvalidDataError(f"{p.where.at('start')}: required when the adoption date is unknown")
    end = p.until
    if p.term is not None:
        anchor = {"start": start, "adoption": adopted, "previous": previous_end}.get(basis)
        if anchor is None:
            anchor = date.fromisoformat(basis)
        try:
            computed = p.term.after(anchor)
        except UsageError as exc:  # past the supported range (README "Limits")
            if p.where.line is None:  # typed on the command line: a usage error (2)
                raise
            raise InvalidDataError(f"{p.where.at('for')}: {exc.message}", exc.hint) from None
        if end is not None and end != computed:
            raise InvalidDataError(
                f"{p.where.at()}: `for: {p.term}` from {anchor} ends on {computed}, "
                f"but `until` says {end}",
                "fix one of them, or drop `for` and keep the date the text states",
            )
        end = computed
    if end is None:  # the format refuses this (record.format.parse_instrument); so do we
        raise InvalidDataError(f"{p.where.at()}: give `until`, `for`, or both")
    if end < start:
        raise InvalidDataError(f"{p.where.at()}: ends on {end}, before it starts on {start}")
    return start, end


def resolve_periods(
    conn, rec: InstrumentRec, slugs: Mapping[str, int], previous_end: date | None
) -> tuple[PeriodRec, ...]:
    """The instrument's periods resolved: each with its first and last covered days as `start`
    and `until` (resolve_period), its term as stated kept."""
    periods = []
    for p in rec.periods:
        for i, slug in enumerate(p.crossings):
            if slug not in slugs:
                raise InvalidDataError(
                    f"{p.where.at('crossings')}: no crossing {slug!r}"
                    + (f" (item {i})" if len(p.crossings) > 1 else ""),
                    "add it under `crossings:` or use an existing slug",
                )
        start, until = resolve_period(p, rec.adopted, previous_end)
        periods.append(replace(p, start=start, until=until))
    return tuple(periods)


def refuse_cycle(conn, rec: InstrumentRec, iid: int, renews_id: int) -> None:
    """Refuse `rec` (id `iid`) renewing `renews_id` when that chain leads back to it. The walk
    is iterative with no step limit, and stops at a cycle it meets that does not include `iid`
    (a record cannot hold one, but the walk must end whatever the data)."""
    i = t.instruments.c
    chain, seen, walk = [rec.symbol], set(), renews_id
    while walk is not None and walk not in seen:
        seen.add(walk)
        row = conn.execute(sa.select(i.symbol, i.renews_id).where(i.id == walk)).one()
        chain.append(row.symbol)
        if walk == iid:
            shown = (
                chain
                if len(chain) <= 12
                else [*chain[:5], f"... ({len(chain) - 10} more)", *chain[-5:]]
            )
            raise InvalidDataError(f"{rec.where.at('renews')}: a cycle: {' -> '.join(shown)}")
        walk = row.renews_id


def check_renewal(
    conn,
    rec: InstrumentRec,
    renews_id: int | None,
    previous_end: date | None,
    periods: Sequence[PeriodRec],
    prev: Facts | None = None,
) -> None:
    """The renewal rules in this module's docstring; `periods` are resolved (resolve_periods).
    `prev`, when the caller has it, saves re-reading the renewed instrument."""
    if renews_id is None or rec.relation == "replaces":
        return
    if prev is None:
        i = t.instruments.c
        row = conn.execute(sa.select(i.symbol, i.adopted).where(i.id == renews_id)).one()
        prev = Facts(row.symbol, row.adopted, previous_end, covered_scope(conn, renews_id))
    verb = rec.relation or "renews"
    hint = (
        "a renewal starts the day after the instrument it renews ends; check the dates and "
        "`renews`, or record it with relation `replaces`"
    )
    if rec.adopted and prev.adopted and rec.adopted < prev.adopted:
        raise InvalidDataError(
            f"{rec.where.at('adopted')}: {rec.adopted} is before {prev.symbol}, which it {verb}, "
            f"was adopted ({prev.adopted})",
            hint,
        )
    if previous_end is None:
        return
    ends = [p.until for p in periods if p.until is not None and p.conditional_on is None]
    if ends and max(ends) <= previous_end:
        raise InvalidDataError(
            f"{rec.where.at()}: ends on {max(ends)}, but {prev.symbol}, which it {verb}, "
            f"already covers until {previous_end}: the renewal would extend nothing",
            hint,
        )
    prev_scope = set(prev.scope)
    for p in periods:
        start, end = p.start, p.until
        shared = sorted(set(p.crossings) & prev_scope)
        if shared and start is not None and start <= previous_end:
            raise InvalidDataError(
                f"{p.where.at('start')}: starts on {start}, while {prev.symbol}, which it "
                f"{verb}, still covers {', '.join(shared)} until {previous_end}; the two would "
                f"give the same days two different ends ({previous_end} and {end})",
                hint,
            )


def check_dependents(
    conn, instrument_id: int, slugs: dict[str, int], skip: Collection[int] = frozenset()
) -> None:
    """After an instrument changed, the instruments that renew it must still hold: their
    `from: previous` terms resolve to the same dates, and the renewal rules still pass."""
    i = t.instruments.c
    symbol = conn.execute(sa.select(i.symbol).where(i.id == instrument_id)).scalar_one()
    for dep_id in conn.execute(
        sa.select(i.id).where(i.renews_id == instrument_id).order_by(i.id)
    ).scalars():
        if dep_id in skip:
            continue
        dep = instrument_rec_of(conn, dep_id)  # its periods as recorded: resolved
        hint = (
            f'correct {dep.symbol} too (in the same import file, or first with "corridor '
            'correct"), or remove it'
        )
        try:
            previous_end = covered_until(conn, instrument_id)
            periods = resolve_periods(conn, dep, slugs, previous_end)
            check_renewal(conn, dep, instrument_id, previous_end, periods)
        except InvalidDataError as exc:
            raise InvalidDataError(
                f"this change to {symbol} contradicts {dep.symbol}, which "
                f"{dep.relation or 'renews'} it: {exc.message}",
                hint,
            ) from None
        for n, (now, was) in enumerate(zip(periods, dep.periods, strict=True)):
            if (now.start, now.until) != (was.start, was.until):
                raise InvalidDataError(
                    f"this change to {symbol} contradicts {dep.symbol}, which "
                    f"{dep.relation or 'renews'} it: its periods[{n}] would run {now.start} to "
                    f"{now.until}, not {was.start} to {was.until}",
                    hint,
                )
