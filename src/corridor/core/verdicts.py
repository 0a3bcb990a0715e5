"""The verdict on a planned movement, in one place (docs/plans.md). Pure: it takes what the
record says of the movement's crossing on each of its days, as known at T, and T itself.

A day is covered, at risk, blocked or unknown:
- `covered`: the crossing is authorized all that day, as known at T, and nothing still open
  at T (an automatic renewal a party may still object to) stands between T and the day;
- `at_risk`: the day falls after a deadline whose outcome is not known at T: an expiry with
  no renewal recorded (still ahead of T, or passed less than STALE_DAYS ago), a pending
  review, an automatic renewal still open to objection;
- `blocked`: the record knows there is no authority that day: the last authority ended and
  the record says why (a veto or failed draft, not extended at a review, a termination, an
  objection, a renewal that dropped the crossing, a check past the end);
- `unknown`: the day falls in a span the record marks unknown, or past the crossing's
  horizon: the authority ended long before T (over STALE_DAYS) and nothing was recorded since,
  or no authority was ever recorded.

A movement of several days takes its worst day's verdict (the first such day), so the order
below is also the order in which a verdict "gets worse" for alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from corridor.core.words import reason_text

VERDICTS = ("covered", "at_risk", "unknown", "blocked")  # better to worse
RANK = {v: i for i, v in enumerate(VERDICTS)}
# An expiry passed with no renewal recorded is an alarm (at risk) for this many days, then the
# record is taken to be out of date for that crossing (unknown): the window `check` uses too.
STALE_DAYS = 30


@dataclass(frozen=True)
class DayFacts:
    """What the record says of one crossing at one instant of a movement's day, as known at
    T: issue 14's states (authorized, lapsed, unrenewed, unknown, never)."""

    day: date
    state: str
    until: date | None = None  # authorized: the chain's last day (the authority's date)
    until_at: datetime | None = None  # authorized: the chain's end instant
    instruments: tuple[str, ...] = ()
    ended_at: datetime | None = None  # lapsed, unrenewed: when the last authority ended
    ended_on: date | None = None  # ... its last covered day (the authority's date)
    last_instrument: str | None = None
    reason: dict | None = None  # lapsed: {kind, on, instrument}
    # The deadline an open outcome hangs on: {uid, kind, date, decided_by}. For an authorized
    # day, only when an automatic renewal still open to objection at T covers it.
    depends_on: dict | None = None
    unknown: dict | None = None  # the declared unknown span: {start, until, note}


@dataclass
class Verdict:
    verdict: str
    day: date  # the worst day (the first of them)
    until: date | None = None  # covered: the authority's last day, through the chain
    margin_days: int | None = None  # covered: days from the movement's last day to `until`
    depends_on: dict | None = None  # at_risk: {uid, kind, date, decided_by}
    reason: dict | None = None  # blocked: {kind, on, instrument}
    ended_on: date | None = None  # blocked, at_risk, unknown: the last authority's last day
    instruments: list[str] = field(default_factory=list)
    text: str = ""  # one sentence: why


def day_verdict(f: DayFacts, at: datetime) -> str:
    if f.state == "authorized":
        return "at_risk" if f.depends_on else "covered"
    if f.state == "lapsed":
        return "blocked"
    if f.state == "unrenewed" and f.ended_at is not None:
        return "at_risk" if f.ended_at > at - timedelta(days=STALE_DAYS) else "unknown"
    return "unknown"  # a declared unknown span, never, or past the horizon


def verdict(days: Sequence[DayFacts], at: datetime) -> Verdict:
    """The movement's verdict at `at` from the facts of each of its days (in order; several
    facts for one day when it was asked at several instants): its worst day's."""
    if not days:
        raise ValueError("a movement has at least one day")
    worst = days[0]
    for f in days[1:]:
        if RANK[day_verdict(f, at)] > RANK[day_verdict(worst, at)]:
            worst = f
    v = day_verdict(worst, at)
    out = Verdict(v, worst.day, ended_on=worst.ended_on, instruments=list(worst.instruments))
    if v == "covered":
        last = days[-1]
        out.until = last.until
        out.margin_days = (out.until - last.day).days if out.until else None
        out.text = f"covered until {out.until} ({out.margin_days} days after the last day)"
    elif v == "at_risk":
        out.depends_on = worst.depends_on
        d = worst.depends_on or {}
        if worst.state == "authorized":
            out.text = f"depends on the {d.get('kind')} of {d.get('date')}"
        else:
            out.text = f"the authority ends {worst.ended_on} and no renewal is recorded"
        if d.get("decided_by"):
            out.text += f"; decided by {d['decided_by']}"
    elif v == "blocked":
        out.reason = worst.reason
        out.text = blocked_text(worst, at)
    else:
        if worst.unknown:
            out.text = f"in a span the record marks unknown ({worst.unknown.get('start')} to "
            out.text += f"{worst.unknown.get('until')})"
        elif worst.ended_on:
            out.text = f"the authority ended {worst.ended_on}; nothing is recorded since"
        else:
            out.text = "no authority was ever recorded for this crossing"
    return out


def blocked_text(f: DayFacts, at: datetime) -> str:
    why = f.reason or {}
    ends = "ends" if f.ended_at is not None and f.ended_at > at else "ended"
    text = f"the authority {ends} {f.ended_on}"
    if why:
        text += " and " + reason_text(why)  # the reports' own words (corridor.core.words)
    return text
