"""What a page shows, read in one call: one crossing's page (`crossing show`) and the shared
report (`report --html`: status, upcoming deadlines, the timeline and every crossing's
history). The commands render the result (corridor.present)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from corridor.services.history import History, crossing_history
from corridor.services.lookups import find_crossing, learn_latin_names, record_name
from corridor.services.parties import Parties, parties_of
from corridor.services.plan_check import PlanVerdict, check
from corridor.services.reports import Deadline, status, upcoming
from corridor.services.status import Status
from corridor.services.timeline import Timeline, timeline


@dataclass(frozen=True)
class CrossingPage:
    """`crossing show`: the crossing asked for, its history, and its instruments' parties."""

    crossing_id: int
    history: History
    made_by: list[Parties]


def crossing_page(
    conn,
    name: str,
    *,
    at: datetime,
    tz: tzinfo,
    known_at: datetime | None = None,
    latin_names: bool = False,
) -> CrossingPage:
    """The crossing `name` names, its history at `at` as known at `known_at`, and the parties
    of every instrument in it. With `latin_names` (an ASCII-only terminal), a non-Latin alias
    is then shown as the crossing's Latin name."""
    cid = find_crossing(conn, name)
    history = crossing_history(conn, cid, at=at, tz=tz, known_at=known_at)
    made_by = parties_of(conn, [e.instrument for e in history.entries if e.instrument])
    if latin_names:
        learn_latin_names(conn)
    return CrossingPage(cid, history, made_by)


@dataclass(frozen=True)
class Report:
    """`report --html`: everything the page shows, for the crossings asked for."""

    title: str | None
    states: list[Status]
    deadlines: list[Deadline]
    timeline: Timeline
    histories: list[History]
    plans: list[PlanVerdict] | None  # None unless asked for: plans are private


def report(
    conn,
    *,
    at: datetime,
    tz: tzinfo,
    within: int,
    crossing_ids: list[int] | None = None,
    known_at: datetime | None = None,
    plans: bool = False,
) -> Report:
    """Status at `at`, deadlines within `within` days, the timeline and each crossing's
    history, as known at `known_at`; with `plans`, the planned movements' verdicts."""
    k = known_at
    states = status(conn, at=at, tz=tz, crossing_ids=crossing_ids, known_at=k)
    deadlines = upcoming(conn, at=at, within=within, tz=tz, crossing_ids=crossing_ids, known_at=k)
    chart = timeline(conn, at=at, tz=tz, crossing_ids=crossing_ids, known_at=k)
    histories = [
        crossing_history(conn, find_crossing(conn, s.slug), at=at, tz=tz, known_at=k)
        for s in states
    ]
    title = record_name(conn)
    verdicts = (
        check(conn, at=at, tz=tz, within=within, crossing_ids=crossing_ids) if plans else None
    )
    return Report(title, states, deadlines, chart, histories, verdicts)
