"""The reading use cases: upcoming deadlines and crossing status, at an instant.

Each takes an open connection (a corridor.db.sql.Reader, or a SQLAlchemy Connection), the
instant `at` (aware) and the reader's zone, and returns plain dataclasses; nothing here knows
about the terminal. The queries are plain SQL so that read paths never import SQLAlchemy.

What "covered at T, as known at T" means is corridor.core.coverage, the one rule; the SQL below
only narrows the rows with index seeks, and the rule is applied to what comes back. Every
report asks the same questions of the same rows, so `status`, `upcoming` and `crossing show`
agree on the state, the last day, the end instant and the days left (docs/time.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from corridor.core import coverage as rule
from corridor.core.coverage import known_sql
from corridor.core.detail import DeadlineDetail, DisputedEnd
from corridor.core.terms import zone
from corridor.core.vocab import DEADLINE_KINDS
from corridor.core.workdays import NonWorking
from corridor.db.sql import ReadConn, reader
from corridor.services.workdays import flag_non_working

Day = date  # a field named `date` shadows the type inside a class body


@dataclass
class Deadline:
    date: date  # the authority's calendar date
    kind: str
    crossings: list[str]
    slugs: list[str]
    instrument: str
    authority_timezone: str
    due_at: datetime  # UTC instant at which the day ends in the authority's zone
    due_local: datetime
    days_left: int
    note: str
    conditional: bool
    uid: str
    crossing_ids: list[int] = field(default_factory=list, repr=False)
    non_working: NonWorking | None = None  # a day off (flag only)
    renews_to: Day | None = None  # an automatic renewal follows, unless a party objects
    objection_by: Day | None = None  # the last day to object to it
    disputed_ends: tuple[DisputedEnd, ...] = ()  # earliest first
    unconfirmed: bool = False  # its instrument is a step the record infers
    unconfirmed_reason: str | None = None


# ---------------------------------------------------------------- upcoming

# An expiry is superseded at T when coverage known at T carries its crossing past its end
# instant (corridor.core.coverage.continues). The date window is widened by two days: the
# authority's date and the reader's can differ by one; the exact test is done on instants.
UPCOMING = """
SELECT d.due_date, d.due_at, d.kind, d.note, d.conditional, d.uid, d.crossing_id, d.detail,
       i.symbol, i.timezone, i.unconfirmed, c.name, c.slug, r.outcome, r.decided_on,
       r.decided_at, r.review_date
FROM deadlines d
JOIN instruments i ON i.id = d.instrument_id
JOIN crossings c ON c.id = d.crossing_id
LEFT JOIN reviews r ON r.id = d.review_id
WHERE d.due_date BETWEEN :lo AND :hi
  AND d.due_at > :at
  AND {known_d}
  AND d.kind IN :kinds
  AND NOT (d.kind = 'expiry' AND EXISTS (
        SELECT 1 FROM coverage cv
        WHERE cv.crossing_id = d.crossing_id AND {known_cv}
          AND cv.starts_at <= d.due_at AND cv.ends_at > d.due_at))
  {crossing_filter}
ORDER BY d.due_at, d.kind, i.symbol, c.name
"""


def upcoming(
    conn: ReadConn,
    *,
    at: datetime,
    within: int,
    tz: tzinfo,
    crossing_ids: list[int] | None = None,
    kinds: tuple[str, ...] = DEADLINE_KINDS,
    known_at: datetime | None = None,
    working_days: bool = True,
) -> list[Deadline]:
    """Deadlines not yet passed at `at` whose last covered day, in the reader's zone, is at
    most `within` days after the reader's date at `at`, as known at `known_at` (default:
    `at`). `working_days=False` skips the day-off flag (check never shows it)."""
    k = at if known_at is None else known_at
    today = rule.local_today(at, tz)
    sql = UPCOMING.format(
        crossing_filter="AND d.crossing_id IN :crossings" if crossing_ids is not None else "",
        known_d=known_sql("d"),
        known_cv=known_sql("cv"),
    )
    rows = reader(conn).rows(
        sql,
        lo=today - timedelta(days=2),
        hi=today + timedelta(days=within + 2),
        at=at,
        known=k,
        kinds=list(kinds),
        crossings=list(crossing_ids or []),
    )
    items = group_deadlines(rows, at, tz, within, known_at=k)
    return flag_non_working(conn, items) if working_days else items


def group_deadlines(
    rows, at: datetime, tz: tzinfo, within: int | None = None, *, known_at: datetime | None = None
) -> list[Deadline]:
    """Deadline rows (one per crossing, in due order) as Deadlines, one per uid, at `at` as
    known at `known_at` (default `at`); with `within`, only those whose days left are
    0..within. Upcoming and the calendar feed (corridor.services.calendar) both build their
    items here."""
    k = at if known_at is None else known_at
    grouped: dict[str, Deadline] = {}
    for row in rows:
        left = rule.days_left(row.due_at, at, tz)
        if within is not None and not 0 <= left <= within:
            continue
        item = grouped.get(row.uid)
        if item is None:
            detail = detail_at(row.detail, k)
            grouped[row.uid] = Deadline(
                row.due_date,
                row.kind,
                [row.name],
                [row.slug],
                row.symbol,
                row.timezone,
                row.due_at,
                row.due_at.astimezone(tz),
                left,
                detail.note or _note(row, k),
                row.conditional and not _granted(row, k),
                row.uid,
                [row.crossing_id],
                renews_to=detail.renews_to_day if row.kind == "expiry" else None,
                objection_by=detail.objection_by_day,
                disputed_ends=detail.disputed_ends,
                unconfirmed=bool(getattr(row, "unconfirmed", None)),
                unconfirmed_reason=getattr(row, "unconfirmed", None) or None,
            )
        else:
            item.crossings.append(row.name)
            item.slugs.append(row.slug)
            item.crossing_ids.append(row.crossing_id)
    return list(grouped.values())


def detail_at(text: str | None, at: datetime) -> DeadlineDetail:
    """A derived deadline's detail (corridor.core.detail) as known at `at`: each change (an
    objection, a passed notice day, a termination) counts from its instant."""
    if not text:
        return _NO_DETAIL  # most deadlines: shared, it is frozen
    return DeadlineDetail.from_json(text).as_known_at(at)


_NO_DETAIL = DeadlineDetail()


def _granted(row, k: datetime) -> bool:
    """A conditional expiry whose extension was granted, as known at K: no longer "if"."""
    if not row.conditional or row.outcome != "extended" or row.decided_on is None:
        return False
    decided = rule.fact_known_at(
        row.decided_on, zone(row.timezone), getattr(row, "decided_at", None)
    )
    return rule.known(decided, k)


def _note(row, at: datetime) -> str:
    if _granted(row, at):
        return f"end of the extension granted at the {row.review_date} review"
    return row.note


# ---------------------------------------------------------------- status

# Status lives in corridor.services.status; these names stay importable from here.
from corridor.services.status import (  # noqa: E402
    Status,
    past_horizon,
    status,
    status_note,
)

__all__ = [
    "Deadline",
    "Status",
    "past_horizon",
    "detail_at",
    "group_deadlines",
    "status",
    "status_note",
    "upcoming",
]
