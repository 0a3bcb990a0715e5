"""`corridor check`: one verdict by the Monitoring Plugins conventions (docs/alerts.md,
"Monitoring"). Plain SQL only: a read path.

The verdict, worst first:
- CRITICAL: a selected crossing lost its authority (state `lapsed` or `unrenewed`) less than
  the lapse window ago (default 30 days), whatever the reason; or a deadline whose days left
  the critical range alerts on.
- WARNING: an `unrenewed` crossing beyond the window: the record is stale (nothing records a
  renewal or why the authority ended); or a deadline the warning range alerts on.
- OK otherwise, an older confirmed `lapsed` included.

The states are corridor.services.reports.Status's (docs/time.md); `authority_level` is the one
mapping from a state to a level.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from functools import partial

from corridor.core.ranges import Range, number_text, parse_range
from corridor.core.words import reason_text, short_symbol
from corridor.services.reports import Status, status, upcoming
from corridor.services.status import lost_authority

STATES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")
HORIZON = 400  # days looked ahead for the soonest deadline and for "next:" on an OK line
LAPSE_WINDOW = 30  # days after an end of authority during which it is CRITICAL
SHOWN = 5  # findings on the first line without -v
ALARMS = ("unrenewed",)  # nothing records a renewal or why the authority ended


@dataclass(frozen=True)
class Thresholds:
    warning: Range
    critical: Range
    lapse_window: int = LAPSE_WINDOW


def day_range(spec: str, *, what: str) -> Range:
    """A days-left threshold. A bare number N means "fewer than N days" (`N:` in the range
    syntax), as `check -w 30 -c 7` reads to every admin; any other spelling (`30:`, `~:10`,
    `@10:20`, `0:60`) is a Monitoring Plugins range, taken as written."""
    text = spec.strip()
    if re.fullmatch(r"\d+(\.\d*)?", text):
        text += ":"
    return parse_range(text, what=what)


def authority_level(state: str, ended_at: datetime | None, at: datetime, window: int) -> int:
    """0 OK, 1 WARNING, 2 CRITICAL for a crossing's state at `at` (issue 14's rule)."""
    if state not in ("lapsed", *ALARMS) or ended_at is None:
        return 0
    if at - ended_at <= timedelta(days=window):
        return 2
    return 1 if state in ALARMS else 0


@dataclass(frozen=True)
class Finding:
    """One reason for the verdict. Its words are written only when read: the line shows the
    first few (SHOWN), -v all of them, and at 100 000 deadlines there are thousands."""

    level: int  # 1 WARNING, 2 CRITICAL
    words: Callable[[], str] = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.words()


@dataclass
class Verdict:
    code: int  # 0 OK, 1 WARNING, 2 CRITICAL
    text: str  # the first line, after "CORRIDOR STATE - "
    perfdata: str
    findings: list[Finding] = field(default_factory=list)
    states: list[Status] = field(default_factory=list)  # every selected crossing's status
    deadlines: list = field(default_factory=list)  # every deadline looked at

    @property
    def state(self) -> str:
        return STATES[self.code]


def plain(text: str) -> str:
    """A name for the plugin line: `|` starts the perfdata, so it never appears in text."""
    return text.replace("|", "¦")


def ended_at(st: Status) -> datetime | None:
    """The instant the last authority ended (set for lapsed and unrenewed)."""
    return st.ended_at


def effective_state(st: Status) -> str:
    return st.state


def check(
    conn,
    *,
    at: datetime,
    tz: tzinfo,
    thresholds: Thresholds,
    kinds: tuple[str, ...],
    crossing_ids: list[int] | None,
    per_crossing: bool = False,
    every_crossing: bool = False,
) -> Verdict:
    """The verdict at `at`. `states` holds the crossings that lost their authority, or with
    `per_crossing` or `every_crossing` (check -vvv) every selected crossing."""
    window = _window((thresholds.warning, thresholds.critical))
    items = _deadlines(conn, at, tz, window, kinds, crossing_ids)
    if per_crossing or not items:  # the soonest beyond the window, for `next:` and perfdata
        items = _deadlines(conn, at, tz, HORIZON, kinds, crossing_ids)
    every = per_crossing or every_crossing
    ids = crossing_ids if every else lost_authority(conn, at=at, crossing_ids=crossing_ids)
    states = status(conn, at=at, tz=tz, crossing_ids=ids, horizons=False)  # never shown here

    findings: list[Finding] = []
    lapsed: list[Status] = []
    stale = 0
    for st in states:
        state, ended = effective_state(st), ended_at(st)
        level = authority_level(state, ended, at, thresholds.lapse_window)
        if level == 2:
            lapsed.append(st)
            findings.append(Finding(2, partial(_ended_text, st, state, ended, tz)))
        elif level == 1:
            stale += 1
            findings.append(Finding(1, partial(_stale_text, st)))
    counts = {1: 0, 2: 0}
    for d in items:
        level = (
            2
            if thresholds.critical.alerts(d.days_left)
            else (1 if thresholds.warning.alerts(d.days_left) else 0)
        )
        if level:
            counts[level] += 1
            findings.append(Finding(level, partial(_deadline_text, d)))
    findings.sort(key=lambda f: -f.level)  # stable: lapses, then deadlines soonest first
    code = max((f.level for f in findings), default=0)
    if code == 0:
        w, c = thresholds.warning, thresholds.critical
        simple = not (w.invert or c.invert) and w.end == c.end == float("inf")
        text = (
            f"nothing due within {number_text(max(w.start, c.start))} days"
            if simple
            else ("nothing due in the -w or -c range")
        )
        if items:
            text += f"; next: {_deadline_text(items[0])}"
    else:
        shown = [f.text for f in findings[:SHOWN]]
        if len(findings) > SHOWN:
            shown.append(f"and {len(findings) - SHOWN} more")
        text = "; ".join(shown)
    soonest = min((d.days_left for d in items), default=None)
    perf = [
        _perf("soonest_days", soonest, thresholds.warning, thresholds.critical, 0),
        _perf("lapsed", len(lapsed), None, Range(0, 0), 0),
        _perf("critical", counts[2], None, None, 0),
        _perf("warning", counts[1], None, None, 0),
        _perf("stale", stale, Range(0, 0), None, 0),
    ]
    if per_crossing:
        perf += _per_crossing(states, items, thresholds, lapsed)
    return Verdict(code, text, " ".join(perf), findings, states, items)


# The crossings that may have lost their authority at T: none of their coverage holds T (as
# known at T), no span marked unknown holds T, and some coverage ended before T. Only these can
# be lapsed or unrenewed, so `status` (which decides the state: the one rule) is asked about
# them alone; at 100 000 deadlines that is most of check's time saved (benchmarks/README.md).
def window_days(thresholds: Thresholds) -> int:
    """How many days ahead the -w/-c ranges can alert (check --plans looks as far)."""
    return _window((thresholds.warning, thresholds.critical))


def _window(ranges) -> int:
    """The days ahead that can alert: deadlines beyond it are only needed for `next:`."""
    alerting = [d for d in range(HORIZON + 1) if any(r.alerts(d) for r in ranges)]
    return min(HORIZON, max(alerting, default=0) + 1)


def _deadlines(conn, at, tz, within, kinds, crossing_ids):
    return upcoming(
        conn,
        at=at,
        within=within,
        tz=tz,
        crossing_ids=crossing_ids,
        kinds=kinds,
        working_days=False,  # the day-off flag is never in check's line
    )


_WHAT = {"expiry": "expires", "review": "review point", "report": "report due"}


def _stale_text(st: Status) -> str:
    since = st.lapsed_since - timedelta(days=1) if st.lapsed_since else st.horizon
    last = f" ({plain(st.last_instrument)})" if st.last_instrument else ""
    return (
        f"{plain(st.crossing)}: authority ended {since}{last}, no renewal recorded; "
        f"the record is stale since {since}: run `corridor crossing checked` or "
        "record the renewal"
    )


def _deadline_text(d) -> str:
    days = d.days_left
    when = "today" if days == 0 else ("in 1 day" if days == 1 else f"in {days} days")
    names = plain(", ".join(d.crossings))
    inst = plain(short_symbol(d.instrument))
    return f"{names} {_WHAT.get(d.kind, d.kind)} {when} ({inst}) on {d.date}"


def _ended_text(st: Status, state: str, ended: datetime | None, tz: tzinfo) -> str:
    """ "Bab al-Hawa: authority ended 2023-07-11 00:00 America/New_York (S/RES/2672 (2023),
    until 2023-07-10); the renewal was vetoed on 2023-07-11" """
    local = f"{ended.astimezone(tz):%Y-%m-%d %H:%M} {getattr(tz, 'key', tz)}" if ended else ""
    day = st.lapsed_since - timedelta(days=1) if st.lapsed_since else None
    last = ", ".join(plain(str(x)) for x in (st.last_instrument, day and f"until {day}") if x)
    text = f"{plain(st.crossing)}: authority ended {local}" + (f" ({last})" if last else "")
    if state in ALARMS or not st.reason:
        return text + "; no renewal recorded"
    return text + f"; {plain(reason_text(st.reason))}"


def _perf(label: str, value, warn: Range | None, crit: Range | None, low) -> str:
    """`label=value;warn;crit;min;max`, the guidelines' format (min 0, no max)."""
    shown = "U" if value is None else value  # "U": no value (no deadline within the horizon)
    return f"{label}={shown};{_text(warn)};{_text(crit)};{low};"


def _text(r: Range | None) -> str:
    return "" if r is None else str(r)


def label(slug: str) -> str:
    """A perfdata label from a crossing's slug: ASCII letters, digits and `_` only, so no
    monitoring system needs to quote it (no space, `-`, `=` or `'`)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", slug)[:40] or "crossing"


def _per_crossing(states, items, thresholds: Thresholds, lapsed) -> list[str]:
    soonest: dict[str, int] = {}
    for d in items:
        for slug in d.slugs:
            soonest.setdefault(slug, d.days_left)  # items come soonest first
    gone = {st.slug for st in lapsed}
    out, seen = [], set()
    for st in states:
        name = label(st.slug)
        if name in seen:
            name = f"{name}_{st.crossing_id}"
        seen.add(name)
        out.append(
            _perf(f"{name}_days", soonest.get(st.slug), thresholds.warning, thresholds.critical, 0)
        )
        out.append(_perf(f"{name}_lapsed", int(st.slug in gone), None, Range(0, 0), 0))
    return out
