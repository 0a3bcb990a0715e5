"""Alerts that close the loop (docs/alerts.md, "Closing the loop"): after threshold alerts for
a deadline that a later fact supersedes, one "renewed" or "continued" message naming the new
end; after a lapse announced with no reason, one message when the reason becomes known. Pure
reads through plain SQL, like the plan.

Each closure is one more row in the outbox, under the deadline's own uid and date and a
threshold no real alert uses (RENEWED, REASON): sent once per recipient, like every alert,
and, being "more urgent" than any threshold, it ends that deadline's alerts for the recipient.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from corridor.core.words import reason_text, short_symbol
from corridor.db.sql import Reader
from corridor.services.alert_facts import Alert, AlertFacts
from corridor.services.status import Status

RENEWED = -90001  # the deadline was renewed or continued past its date
REASON = -90000  # a lapse's reason became known after the lapse was announced
CLOSURE_KINDS = ("renewed", "reason")
# Closures look back this far for alerts sent: a renewal or a reason known later than this
# is old news.
LOOK_BACK_DAYS = 120

SENT = """
SELECT uid, due_date, recipient, kind, payload FROM alert_outbox
WHERE recipient IN :names AND status = 'sent'
  AND due_date >= :since
ORDER BY id
"""


def lapse_reason(
    db: Reader, st: Status, instrument_id: int, ended: date, today: date, at: datetime
) -> dict | None:
    """{"kind", "on", ...} for a lapse whose reason the record gives at T (Status.reason: the
    lapse states of docs/time.md, corridor.services.status), else None."""
    given = getattr(st, "reason", None)
    if not given:
        return None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in given.items()}


def closures(
    db: Reader,
    *,
    recipients: list[Any],
    live_uids: Callable[[Any], set[str]],
    states_for: Callable[[Any, set[str]], list[Status]],
    at: datetime,
) -> list[Alert]:
    """One closure per (deadline, recipient: a corridor.services.alerts_plan.Recipient) that got
    alerts for it and has not been told how it ended. `live_uids(rec)`: the uids still in
    upcoming for the recipient's zone; `states_for(rec, names)`: those crossings' Status in the
    recipient's zone."""
    names = [r.name for r in recipients]
    if not names:
        return []
    since = at.date() - timedelta(days=LOOK_BACK_DAYS)
    rows = db.rows(SENT, names=names, since=since)
    if not rows:
        return []
    told: dict[tuple, _Told] = {}
    for row in rows:
        entry = told.setdefault((row.recipient, row.uid, row.due_date), _Told())
        entry.kinds.add(row.kind)
        if row.kind in ("expiry", "review", "lapse"):
            if entry.facts is None:
                entry.facts = AlertFacts.from_json(row.payload)
            if row.kind == "lapse":
                entry.lapse = AlertFacts.from_json(row.payload)
    found = []
    by_name = {r.name: r for r in recipients}
    seen: dict[str, tuple[dict, set]] = {}  # per recipient: its crossings' states, live uids
    wanted: dict[str, set[str]] = {}  # per recipient: the crossings its alerts named
    for (name, _uid, _due), entry in told.items():
        for f in (entry.facts, entry.lapse):
            wanted.setdefault(name, set()).update(f.crossings if f else ())

    def of(rec) -> tuple[dict, set]:
        if rec.name not in seen:
            states = states_for(rec, wanted.get(rec.name, set()))
            seen[rec.name] = ({st.crossing: st for st in states}, live_uids(rec))
        return seen[rec.name]

    for (name, uid, due), entry in told.items():
        facts = entry.facts
        if facts is None or "renewed" in entry.kinds:
            continue
        rec = by_name[name]
        due = due if isinstance(due, date) else date.fromisoformat(due)
        states, live = of(rec)
        today = at.astimezone(rec.tz).date()
        if uid not in live:
            renewed = _renewed(db, facts, states, due)
            if renewed:
                ends, then = renewed
                closed = facts.closing("renewed", today.isoformat(), renewed=ends, then=then)
                found.append(Alert(uid, due, RENEWED, name, "renewed", closed))
                continue
        lapse = entry.lapse
        if lapse and not lapse.reason and "reason" not in entry.kinds:
            reason = _reason(db, lapse, states, today, at)
            if reason:
                where = ", ".join(lapse.crossings)
                ended = lapse.ended if "ended" in lapse.keys else lapse.date
                said = f"{where}: authority ended {ended}; {reason_text(reason)}"
                closed = lapse.closing("reason", today.isoformat(), reason=reason, then=said)
                found.append(Alert(uid, due, REASON, name, "reason", closed))
    return found


class _Told:
    """What a recipient was sent for one deadline: the kinds, and the facts it was told."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.facts: AlertFacts | None = None  # the first expiry, review or lapse sent
        self.lapse: AlertFacts | None = None  # the last lapse sent


def _renewed(
    db: Reader, facts: AlertFacts, states: dict, due: date
) -> tuple[tuple[dict, ...], str] | None:
    """The crossings of the alert that are now authorized past its date, and by what:
    "renewed … by" an instrument that renews the alert's (in its lineage), "continued …" by
    the same instrument (a review extended it) or "continued … under" another one."""
    lines = []
    ends = []
    for crossing in facts.crossings:
        st = states.get(crossing)
        if st is None or st.state != "authorized" or st.until is None or st.until <= due:
            continue
        original = facts.instrument or ""
        others = [s for s in st.instruments if s != original]
        until = st.until.isoformat()
        if not others:
            word, text = "continued", f"{crossing}: continued to {until} ({short_symbol(original)})"
        elif _renews(db, others[0], original):
            word, text = "renewed", f"{crossing}: renewed to {until} by {short_symbol(others[0])}"
        else:
            word, text = "continued", f"{crossing}: continued to {until} under {others[0]}"
        lines.append(text)
        ends.append(
            dict(crossing=crossing, until=until, by=others[0] if others else original, word=word)
        )
    if not lines:
        return None
    return tuple(ends), "; ".join(lines)


LINEAGE = (
    "SELECT r.symbol FROM instruments i JOIN instruments r ON r.id = i.renews_id"
    " WHERE i.symbol = :s"
)


def _renews(db: Reader, newer: str, older: str) -> bool:
    """Whether `newer` renews `older`, directly or through a chain (iterative: chains are long)."""
    seen, current = set(), newer
    while current and current not in seen:
        seen.add(current)
        current = db.scalar(LINEAGE, s=current)
        if current == older:
            return True
    return False


def _reason(db: Reader, lapse: AlertFacts, states: dict, today: date, at: datetime) -> dict | None:
    crossing = lapse.crossings[0] if lapse.crossings else None
    st = states.get(crossing)
    if st is None or st.state == "authorized" or lapse.instrument_id is None:
        return None
    ended = date.fromisoformat(lapse.date)
    return lapse_reason(db, st, lapse.instrument_id, ended, today, at)
