"""`corridor plan check`: each planned movement's verdict at T (docs/plans.md).

For each day of a movement still to come, ask the record "the crossing on day D, as known at
T" (the bitemporal question of docs/time.md), then let corridor.core.verdicts judge the
days. Plain SQL only: `check --plans` is a read path.

`_state_on` is the ONE place that asks that question. Until `services.reports.status` takes
`known_at` (issue 14), it answers with the coverage rows known at T and the one chain rule
(corridor.core.coverage); switch it to `status(conn, at=instant, known_at=known_at, tz=tz,
crossing_ids=[cid])` and map the Status, keeping `_dropped` and `_depends_on`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from corridor.core import coverage as rule
from corridor.core.terms import day_start, end_of_day, zone
from corridor.core.verdicts import DayFacts, Verdict, verdict
from corridor.db.sql import reader

# Drafts (vetoed, failed) are the Security Council's: known from the end of their day there.
DRAFT_ZONE = "America/New_York"
_EPOCH = datetime(1900, 1, 1, tzinfo=UTC)
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


def read_plans(conn, *, crossing_ids: list[int] | None = None) -> list[Plan]:
    where = "WHERE p.crossing_id IN :ids" if crossing_ids is not None else ""
    rows = reader(conn).rows(PLANS.format(where=where), ids=list(crossing_ids or []))
    return [Plan(*r) for r in rows]


def check(
    conn,
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


def movement_verdict(conn, plan: Plan, *, at: datetime, tz: tzinfo, today: date) -> Verdict:
    """The movement's remaining days, each from its first to its last instant in the reader's
    zone, as known at `at`."""
    first = max(plan.on, today)
    days = [first + timedelta(days=n) for n in range((plan.last_day - first).days + 1)]
    facts = day_facts(conn, plan.crossing_id, days, known_at=at, tz=tz)
    return verdict(facts, at)


def day_facts(conn, cid: int, days: list[date], *, known_at: datetime, tz: tzinfo):
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
WHERE cv.crossing_id = :cid AND cv.known_at <= :k AND (cv.void_at IS NULL OR cv.void_at > :k)
ORDER BY cv.starts_at, cv.ends_at, i.symbol
"""
UNKNOWN_AT = """
SELECT u.start_date, u.end_date, u.note FROM unknown_spans u
WHERE u.crossing_id = :cid AND u.starts_at <= :at AND u.ends_at > :at
"""


@dataclass(frozen=True)
class _Known:
    """A coverage row known at T: for the chain at D it counts whatever D is."""

    row: Any  # a coverage row (corridor.db.sql)
    starts_at: datetime
    ends_at: datetime
    known_at: datetime = _EPOCH
    void_at: datetime | None = None


# Flip to True once services.reports.status takes `known_at` (issue 14): the state and the
# reason then come from status, the one rule; what status does not say (a renewal that dropped
# the crossing, the deadline an open outcome hangs on) still comes from here.
USE_STATUS_KNOWN_AT = False


def _state_on(conn, instant: datetime, known_at: datetime, tz: tzinfo, cid: int) -> DayFacts:
    """The crossing `cid` at `instant`, as known at `known_at`: issue 14's states."""
    facts = _from_rows(conn, instant, known_at, tz, cid)
    if not USE_STATUS_KNOWN_AT:
        return facts
    from corridor.services.reports import status

    (st,) = status(conn, at=instant, known_at=known_at, tz=tz, crossing_ids=[cid])  # type: ignore[call-arg]
    return _with_status(facts, st)


def _with_status(facts: DayFacts, st) -> DayFacts:
    """`status`'s answer, completed with what only the plans need."""
    if st.state == "authorized":
        return replace(facts, state="authorized", until=st.until, until_at=st.until_at)
    if st.state in ("unknown", "never"):
        return replace(facts, state=st.state, depends_on=None, reason=None)
    ended_on = st.lapsed_since - timedelta(days=1) if st.lapsed_since else facts.ended_on
    ended_at = getattr(st, "ended_at", None) or facts.ended_at
    dropped = facts.reason if facts.reason and facts.reason["kind"] == "dropped" else None
    reason = dropped or getattr(st, "reason", None)
    if st.state == "lapsed" or dropped:
        return replace(
            facts, state="lapsed", reason=reason, ended_on=ended_on, ended_at=ended_at,
            depends_on=None,
        )  # fmt: skip
    return replace(facts, state="unrenewed", reason=None, ended_on=ended_on, ended_at=ended_at)


def _from_rows(conn, instant: datetime, known_at: datetime, tz: tzinfo, cid: int) -> DayFacts:
    """The same question answered from the coverage rows known at T and the one chain rule
    (corridor.core.coverage), while `status` cannot yet be asked "as known at T"."""
    db = reader(conn)
    rows = [_Known(r, r.starts_at, r.ends_at) for r in db.rows(ROWS_KNOWN, cid=cid, k=known_at)]
    found = rule.chain(rows, instant)
    day = instant.astimezone(tz).date()
    if found is not None:
        last = found.last.row
        return DayFacts(
            day,
            "authorized",
            until=last.end_date,
            until_at=found.ends_at,
            instruments=tuple(dict.fromkeys(k.row.symbol for k in found.rows)),
            depends_on=_open_renewal(db, cid, found.rows, instant, known_at),
        )
    span = db.first(UNKNOWN_AT, cid=cid, at=instant)
    if span is not None:
        return DayFacts(
            day, "unknown", unknown=dict(start=span.start_date, until=span.end_date, note=span.note)
        )
    ended = [k for k in rows if k.ends_at <= instant]
    if not ended:
        return DayFacts(day, "never")
    last = max(ended, key=lambda k: (k.ends_at, k.row.instrument_id)).row
    why = _reason(db, cid, last, known_at)
    if why is None:
        renewal = _automatic_renewal(db, cid, last, instant, known_at)
        if renewal is not None:
            return replace(renewal, day=day)
    return DayFacts(
        day,
        "lapsed" if why else "unrenewed",
        ended_at=last.ends_at,
        ended_on=last.end_date,
        last_instrument=last.symbol,
        instruments=(last.symbol,),
        reason=why,
        depends_on=None if why else _depends_on(db, cid, last.ends_at, known_at),
    )


# ---------------------------------------------------------------- why an authority ended

DROPPED = """
SELECT i.symbol, i.adopted, i.known_at FROM instruments i
WHERE i.renews_id = :iid AND i.known_at <= :k
  AND NOT EXISTS (
      SELECT 1 FROM periods p JOIN period_crossings pc ON pc.period_id = p.id
      WHERE p.instrument_id = i.id AND pc.crossing_id = :cid)
"""
DRAFTS = """
SELECT e.event_date, e.kind, e.title FROM events e
JOIN event_crossings ec ON ec.event_id = e.id
WHERE ec.crossing_id = :cid AND e.kind IN ('vetoed', 'failed') AND e.event_date >= :since
"""
NOT_EXTENDED = """
SELECT r.review_date, r.decided_on FROM reviews r
WHERE r.instrument_id = :iid AND r.outcome = 'not_extended' AND r.decided_on IS NOT NULL
"""
TERMINATED = """
SELECT terminated_known FROM instruments
WHERE id = :iid AND terminated_known IS NOT NULL AND terminated_effective IS NOT NULL
"""
OBJECTED = """
SELECT o.notified_on FROM objections o JOIN periods p ON p.id = o.period_id
WHERE p.instrument_id = :iid
"""


def _reason(db, cid: int, last, known_at: datetime) -> dict | None:
    """Why the last authority ended, as known at T (the latest fact that says so), or None:
    a renewal that dropped the crossing, a veto or failed draft since the last instrument, a
    review that refused the extension, a termination, an objection."""
    tz = zone(last.timezone)
    found: list[tuple[date, str, str]] = []
    for r in db.rows(DROPPED, iid=last.instrument_id, cid=cid, k=known_at):
        found.append((r.adopted or r.known_at.date(), "dropped", r.symbol))
    since = last.adopted or last.start_date
    for r in db.rows(DRAFTS, cid=cid, since=since):
        if end_of_day(r.event_date, zone(DRAFT_ZONE)) <= known_at:
            found.append((r.event_date, r.kind, r.title))
    for r in db.rows(NOT_EXTENDED, iid=last.instrument_id):
        if end_of_day(r.decided_on, tz) <= known_at:
            found.append((r.decided_on, "not_extended", last.symbol))
    if last.origin in ("terminated", "renewal-cut"):
        on = db.scalar(TERMINATED, iid=last.instrument_id)
        if on is not None:
            found.append((_as_date(on), "terminated", last.symbol))
    for r in db.rows(OBJECTED, iid=last.instrument_id):
        if end_of_day(r.notified_on, tz) <= known_at and r.notified_on <= last.end_date:
            found.append((r.notified_on, "objected", last.symbol))
    if not found:
        return None
    on, kind, what = max(found)
    return dict(kind=kind, on=on, instrument=what)


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


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
        row = k.row
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
    from corridor.services.reports import detail_at

    expiries = _deadlines(db, cid, last.ends_at, last.ends_at, known_at, ("expiry",))
    for r in expiries:
        detail = detail_at(r.detail, known_at)
        renews_to = detail.get("renews_to")
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
        by = detail.get("objection_by")
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
