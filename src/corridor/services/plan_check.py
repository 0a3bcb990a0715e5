"""`corridor plan check`: each planned movement's verdict at T (docs/plans.md).

For each day of a movement still to come, ask the record "the crossing on day D, as known at
T" (the bitemporal question of docs/time.md), then let corridor.core.verdicts judge the
days. Plain SQL only: `check --plans` is a read path.

`_state_on` is the ONE place that asks that question, through `status(at=D, known_at=T)`
(corridor.services.status): the states and the reasons are the reports' own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo

from corridor.core import coverage as rule
from corridor.core.terms import day_start, end_of_day, zone
from corridor.core.verdicts import DayFacts, Verdict, verdict
from corridor.db.sql import ReadConn, reader
from corridor.services.reports import detail_at
from corridor.services.status import status

_TICK = timedelta(microseconds=1)


@dataclass
class Plan:
    ref: str
    crossing: str
    slug: str
    crossing_id: int
    on: date
    until: date | None
    note: str | None

    @property
    def last_day(self) -> date:
        return self.until or self.on


@dataclass
class PlanVerdict:
    plan: Plan
    verdict: Verdict


PLANS = """
SELECT p.ref, c.name, c.slug, p.crossing_id, p.on_date, p.until_date, p.note
FROM plans p JOIN crossings c ON c.id = p.crossing_id {where}
ORDER BY p.on_date, p.ref
"""


def read_plans(conn: ReadConn, *, crossing_ids: list[int] | None = None) -> list[Plan]:
    where = "WHERE p.crossing_id IN :ids" if crossing_ids is not None else ""
    rows = reader(conn).rows(PLANS.format(where=where), ids=list(crossing_ids or []))
    return [Plan(*r) for r in rows]


def check(
    conn: ReadConn,
    *,
    at: datetime,
    tz: tzinfo,
    within: int,
    crossing_ids: list[int] | None = None,
    known_at: datetime | None = None,
) -> list[PlanVerdict]:
    """The verdict of every movement not yet passed at `at` (the reader's date) whose first
    day is at most `within` days ahead, as known at `known_at` (default: `at`)."""
    k = known_at or at
    today = rule.local_today(at, tz)
    out = []
    for plan in read_plans(conn, crossing_ids=crossing_ids):
        if plan.last_day < today or plan.on > today + timedelta(days=within):
            continue
        out.append(PlanVerdict(plan, movement_verdict(conn, plan, at=k, tz=tz, today=today)))
    return out


def movement_verdict(
    conn: ReadConn, plan: Plan, *, at: datetime, tz: tzinfo, today: date
) -> Verdict:
    """The movement's remaining days, each from its first to its last instant in the reader's
    zone, as known at `at`."""
    first = max(plan.on, today)
    days = [first + timedelta(days=n) for n in range((plan.last_day - first).days + 1)]
    facts = day_facts(conn, plan.crossing_id, days, known_at=at, tz=tz)
    return verdict(facts, at)


def day_facts(conn: ReadConn, cid: int, days: list[date], *, known_at: datetime, tz: tzinfo):
    """The facts of each day: asked at its first and its last instant. A chain known at T
    that covers a day from its start past its end answers for that whole day at once."""
    out: list[DayFacts] = []
    for d in days:
        start, end = day_start(d, tz), end_of_day(d, tz)
        f = _state_on(conn, start, known_at, tz, cid)
        f = replace(f, day=d)
        out.append(f)
        if f.state == "authorized" and f.until_at is not None and f.until_at >= end:
            continue
        out.append(replace(_state_on(conn, end - _TICK, known_at, tz, cid), day=d))
    return out


# ---------------------------------------------------------------- the one bitemporal question

ROWS_KNOWN = """
SELECT cv.crossing_id, cv.start_date, cv.end_date, cv.starts_at, cv.ends_at, cv.known_at,
       cv.void_at, cv.instrument_id, cv.origin, i.symbol, i.timezone, i.adopted
FROM coverage cv JOIN instruments i ON i.id = cv.instrument_id
WHERE cv.crossing_id = :cid AND {known_cv}
ORDER BY cv.starts_at, cv.ends_at, i.symbol
"""


def _state_on(
    conn: ReadConn, instant: datetime, known_at: datetime, tz: tzinfo, cid: int
) -> DayFacts:
    """The crossing `cid` at `instant`, as known at `known_at`: the state, the end and the
    reason are `status`'s (corridor.services.status, the one rule); what only the plans need
    (the deadline an open outcome hangs on, an automatic renewal still open to objection) is
    added here."""
    (st,) = status(conn, at=instant, known_at=known_at, tz=tz, crossing_ids=[cid])
    db = reader(conn)
    day = instant.astimezone(tz).date()
    rows = db.rows(ROWS_KNOWN.format(known_cv=rule.known_sql("cv")), cid=cid, known=known_at)
    if st.state == "authorized":
        chain = rule.chain(rows, instant, known_at)
        return DayFacts(
            day,
            "authorized",
            until=st.until,
            until_at=st.until_at,
            instruments=tuple(st.instruments),
            depends_on=_open_renewal(db, cid, chain.rows if chain else (), instant, known_at),
        )
    if st.state == "unknown":
        span = st.unknown
        return DayFacts(
            day,
            "unknown",
            unknown=dict(
                start=span.start if span else None,
                until=span.until if span else None,
                note=span.note if span else None,
            ),
        )
    if st.state == "never":
        return DayFacts(day, "never")
    ended = [r for r in rows if r.ends_at <= instant]
    last = max(ended, key=lambda r: (r.ends_at, r.instrument_id))
    ended_on = st.lapsed_since - timedelta(days=1) if st.lapsed_since else last.end_date
    if st.state == "unrenewed":
        renewal = _automatic_renewal(db, cid, last, instant, known_at)
        if renewal is not None:
            return replace(renewal, day=day)
    return DayFacts(
        day,
        st.state,
        ended_at=st.ended_at,
        ended_on=ended_on,
        last_instrument=st.last_instrument,
        instruments=(st.last_instrument,) if st.last_instrument else (),
        reason=st.reason,
        depends_on=None if st.reason else _depends_on(db, cid, last.ends_at, known_at),
    )


# ---------------------------------------------------------------- what an outcome hangs on

ENDING = """
SELECT d.uid, d.kind, d.due_date, d.due_at, d.known_at, d.void_at, d.detail, i.symbol,
       i.authority, r.condition
FROM deadlines d JOIN instruments i ON i.id = d.instrument_id
LEFT JOIN reviews r ON r.id = d.review_id
WHERE d.crossing_id = :cid AND d.kind IN :kinds AND d.due_date BETWEEN :lo AND :hi
"""


def _deadlines(db, cid: int, lo: datetime, hi: datetime, known_at: datetime, kinds):
    rows = db.rows(
        ENDING,
        cid=cid,
        kinds=list(kinds),
        lo=lo.date() - timedelta(days=2),
        hi=hi.date() + timedelta(days=2),
    )
    return [r for r in rows if rule.known(r.known_at, known_at, r.void_at) and lo <= r.due_at <= hi]


def _depends_on(db, cid: int, ended_at: datetime, known_at: datetime) -> dict | None:
    """The deadline at which the last known authority ends: a pending review point (the
    extension hangs on it), else the expiry."""
    rows = _deadlines(db, cid, ended_at, ended_at, known_at, ("review", "expiry"))
    if not rows:
        return None
    r = min(rows, key=lambda r: (r.kind != "review", r.uid))
    if r.kind == "review":
        by = f"the review of {r.symbol} on {r.due_date}"
        by += f" ({r.condition})" if r.condition else ""
    else:
        by = f"a renewal by the {r.authority}"
    return dict(uid=r.uid, kind=r.kind, date=r.due_date, decided_by=by)


def _open_renewal(db, cid: int, chain_rows, instant: datetime, known_at: datetime):
    """For a day covered only through an automatic renewal term that starts after T: the
    last day to object to it (its `notice` deadline, else the end of the term before it),
    while still open at T."""
    for k in chain_rows:
        row = k
        if row.origin != "renewal" or row.starts_at <= known_at or row.starts_at > instant:
            continue
        rows = _deadlines(db, cid, known_at + _TICK, row.starts_at, known_at, ("notice", "expiry"))
        if not rows:
            continue
        r = min(rows, key=lambda r: (r.kind != "notice", -r.due_at.timestamp()))
        by = f"an objection by {r.due_date}, else {row.symbol} renews to {row.end_date}"
        return dict(uid=r.uid, kind=r.kind, date=r.due_date, decided_by=by)
    return None


def _automatic_renewal(db, cid: int, last, instant: datetime, known_at: datetime):
    """An expiry that renews automatically unless a party objects (corridor.core.derive), as
    known at T, when `instant` falls in the next term: authorized through that term, at risk
    while a party may still object (its `notice` deadline, else the expiry itself). One term
    ahead: a day past it hangs on that term's own end."""
    expiries = _deadlines(db, cid, last.ends_at, last.ends_at, known_at, ("expiry",))
    for r in expiries:
        detail = detail_at(r.detail, known_at)
        renews_to = detail.renews_to
        if not renews_to:
            continue
        tz = zone(last.timezone)
        until = date.fromisoformat(renews_to)
        until_at = end_of_day(until, tz)
        if instant >= until_at:
            return None
        facts = DayFacts(
            instant.date(), "authorized", until=until, until_at=until_at,
            instruments=(last.symbol,),
        )  # fmt: skip
        by = detail.objection_by
        if by is None or end_of_day(date.fromisoformat(by), tz) <= known_at:
            return facts  # the last day to object has passed with no objection known
        notice = _deadlines(db, cid, known_at + _TICK, last.ends_at, known_at, ("notice",))
        dep = min(notice, key=lambda n: n.due_at) if notice else r
        return replace(
            facts,
            depends_on=dict(
                uid=dep.uid,
                kind=dep.kind,
                date=dep.due_date,
                decided_by=f"an objection by {by}, else it renews automatically to {until}",
            ),
        )
    return None
