"""`corridor check`: one Nagios-style verdict (docs/alerts.md, "Monitoring").

CRITICAL: a deadline within `crit` days, or a lapse with no renewal recorded. WARNING: a
deadline within `warn` days, or a crossing whose record ended while it was authorized (the
record can no longer say whether it still is). OK otherwise. Plain SQL only: a read path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from corridor.core.words import reason_text
from corridor.services.alerts_plan import (
    read_status,
    read_upcoming,
)
from corridor.services.digest import headline

STATES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")
HORIZON = 400  # days looked ahead for "next:" on an OK line


@dataclass(frozen=True)
class Verdict:
    code: int  # 0 OK, 1 WARNING, 2 CRITICAL
    text: str
    perfdata: str

    @property
    def line(self) -> str:
        return f"CORRIDOR {STATES[self.code]} - {self.text} | {self.perfdata}"


# Days after an end of authority during which check is CRITICAL, whatever the reason.
LAPSE_WINDOW = 30


def check(
    conn,
    *,
    at: datetime,
    tz: tzinfo,
    warn: int,
    crit: int,
    kinds: tuple[str, ...],
    slugs: set[str] | None,
) -> Verdict:
    today = at.astimezone(tz).date()
    items = [
        d
        for d in read_upcoming(conn, at=at, tz=tz, within=max(warn, HORIZON))
        if d.kind in kinds and (slugs is None or slugs & set(d.slugs))
    ]
    states = [s for s in read_status(conn, at=at, tz=tz) if slugs is None or s.slug in slugs]
    # Authority that ended within the lapse window is CRITICAL whatever the reason; an
    # unrenewed crossing beyond it is WARNING (the record is stale); an older confirmed lapse
    # is OK (docs/time.md, "When authority ends").
    recent = [
        s
        for s in states
        if s.state in ("lapsed", "unrenewed")
        and s.lapsed_since is not None
        and (today - s.lapsed_since).days < LAPSE_WINDOW
    ]
    lapses = [(s, s.lapsed_since - timedelta(days=1), s) for s in recent]
    stale = [s for s in states if s.state == "unrenewed" and s not in recent]
    critical = [d for d in items if d.days_left <= crit]
    warning = [d for d in items if crit < d.days_left <= warn]
    soonest = min((d.days_left for d in items), default=None)

    def say(d) -> str:
        f = dict(
            kind=d.kind,
            crossings=d.crossings,
            instrument=d.instrument,
            days_left=d.days_left,
        )
        return f"{headline(f)} on {d.date}"

    parts = [
        f"{st.crossing}: authority ended {ended} ({st.last_instrument}), "
        + (reason_text(st.reason) if st.reason else "no renewal recorded")
        for st, ended, _row in lapses
    ]
    parts += [say(d) for d in critical + warning]
    parts += [
        f"{s.crossing}: authority ended {s.lapsed_since - timedelta(days=1)} and no renewal is "
        f"recorded since: the record is stale (known up to {s.record_ends})"
        for s in stale
        if s.lapsed_since is not None
    ]
    if lapses or critical:
        code = 2
    elif warning or stale:
        code = 1
    else:
        code = 0
    if code == 0:
        text = f"nothing due within {warn} days"
        if items:
            text += f"; next: {say(items[0])}"
    else:
        text = "; ".join(parts)
    perf = f"lapsed={len(lapses)};;1;0 critical={len(critical)} warning={len(warning)}"
    perf += f" stale={len(stale)}"
    if soonest is not None:
        perf = f"soonest_days={soonest};{warn};{crit};0 " + perf
    return Verdict(code, text, perf)
