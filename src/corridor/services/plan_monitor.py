"""`corridor check --plans` (docs/plans.md, "Monitoring"): the planned movements' part of the
monitoring verdict. WARNING when a movement within the window is at risk (or its crossing's
record cannot say), CRITICAL when one is blocked, perfdata counts per verdict. Plain SQL: a
read path. Plan references appear in the line: it goes to the monitoring system the team
runs, like `plan check` itself."""

from __future__ import annotations

from datetime import datetime, tzinfo

from corridor.core.verdicts import VERDICTS
from corridor.db.sql import ReadConn
from corridor.services.monitor import Verdict
from corridor.services.plan_check import check as plan_check

_CODE = {"covered": 0, "at_risk": 1, "unknown": 1, "blocked": 2}


def plans_verdict(
    conn: ReadConn, *, at: datetime, tz: tzinfo, within: int, crossing_ids: list[int] | None = None
) -> Verdict:
    items = plan_check(conn, at=at, tz=tz, within=within, crossing_ids=crossing_ids)
    counts = {v: 0 for v in VERDICTS}
    for item in items:
        counts[item.verdict.verdict] += 1
    bad = sorted(
        (i for i in items if i.verdict.verdict != "covered"),
        key=lambda i: (-_CODE[i.verdict.verdict], i.plan.on, i.plan.ref),
    )
    code = max((_CODE[i.verdict.verdict] for i in items), default=0)
    if bad:
        text = "; ".join(
            f"{i.plan.ref} ({i.plan.crossing}, {i.verdict.day}) {i.verdict.verdict}: "
            f"{i.verdict.text}"
            for i in bad
        )
    else:
        text = f"{len(items)} planned movements within {within} days, all covered"
    perf = " ".join(f"plans_{v}={n}" for v, n in counts.items())
    return Verdict(code, text, perf)


def merge(first: Verdict, plans: Verdict) -> Verdict:
    """One line for both: the worse code; the plans' text after the record's."""
    if plans.code > first.code:
        text = f"{plans.text}; {first.text}"
    else:
        text = f"{first.text}; {plans.text}"
    return Verdict(max(first.code, plans.code), text, f"{first.perfdata} {plans.perfdata}")
