"""Planned movements' alerts (docs/plans.md, "Monitoring"): what `alerts run` queues when a
movement's verdict gets worse, and once when it is covered again.

Items are ordinary outbox alerts (corridor.services.alerts_plan.Alert), so queuing, claiming,
delivery and retries are the outbox's (corridor.store.outbox):
- uid `plan:REF`, due_date the movement's first day, threshold -1000 - the verdict's rank
  (-1001 at risk, -1002 unknown, -1003 blocked): "more urgent is smaller", so a worse verdict
  is queued once, and a better but still bad one is not queued again;
- uid `plan-covered:REF`, threshold -1000: "covered again", once, after a worse alert.
Only recipients with `plans = true` (and whose crossings filter covers the crossing) get them:
plan references never reach anyone else (README "Guarantees"). Plain SQL: a read path.
"""

from __future__ import annotations

from datetime import datetime

from corridor.core.verdicts import RANK
from corridor.services.alert_facts import Alert, AlertFacts
from corridor.services.alert_settings import Recipient
from corridor.services.plan_check import check as plan_check
from corridor.store import outbox

WINDOW_DAYS = 90  # movements starting within this many days are watched
BASE = -1000


def _facts(item, rec: Recipient, at: datetime, again: bool) -> AlertFacts:
    p, v = item.plan, item.verdict
    word = "covered again" if again else f"now {v.verdict.replace('_', ' ')}"
    when = str(p.on) if p.until is None else f"{p.on} to {p.until}"
    lines = [f"verdict: {v.verdict}"]
    if v.day != p.on:
        lines.append(f"worst day: {v.day}")
    if v.depends_on:
        d = v.depends_on
        lines.append(f"depends on: {d['kind']} of {d['date']} ({d['uid']})")
    lines.append(f"see: corridor plan check -c {p.slug}")
    return AlertFacts(
        kind="plan",
        uid=("plan-covered:" if again else "plan:") + p.ref,
        ref=p.ref,
        verdict=v.verdict,
        headline=f"{p.ref} ({p.crossing}, {when}) is {word}: {v.text}",
        lines=tuple(lines),
        crossings=(p.crossing,),
        date=str(p.on),
        days_left=(p.on - at.astimezone(rec.tz).date()).days,
        as_of=str(at.astimezone(rec.tz).date()),
        instrument=None,
    )


def plan_alerts(conn, *, at: datetime, recipients: list[Recipient]) -> list[Alert]:
    targets = [r for r in recipients if r.plans]
    if not targets:
        return []
    by_zone: dict[str, list] = {}
    out: list[Alert] = []
    for rec in targets:
        if rec.zone_name not in by_zone:
            by_zone[rec.zone_name] = plan_check(conn, at=at, tz=rec.tz, within=WINDOW_DAYS)
        items = [i for i in by_zone[rec.zone_name] if rec.slugs is None or i.plan.slug in rec.slugs]
        if not items:
            continue
        sent = outbox.queued(conn, [rec.name], [f"plan:{i.plan.ref}" for i in items])
        worse = {q.uid.removeprefix("plan:") for q in sent if q.threshold < BASE}
        for item in items:
            v = item.verdict.verdict
            if v == "covered" and item.plan.ref not in worse:
                continue
            again = v == "covered"
            out.append(
                Alert(
                    uid=("plan-covered:" if again else "plan:") + item.plan.ref,
                    due_date=item.plan.on,
                    threshold=BASE - RANK[v],
                    recipient=rec.name,
                    kind="plan",
                    facts=_facts(item, rec, at, again),
                )
            )
    return out
