"""Renewal alerts (docs/alerts.md): plan what is due, de-duplicate against the outbox, queue
and claim atomically, hand each recipient one digest, record the outcome.

The CLI passes plain values (recipients, settings, the instant, a `send` function); nothing
here prints, reads the clock or knows about Apprise (corridor.services.deliver does). The
nothing-due path is plain SQL (corridor.store.outbox's readers): SQLAlchemy is imported only
when there is something to queue or claim.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from corridor.core.errors import DatabaseError, NotFoundError
from corridor.db.connect import busy_seconds_of
from corridor.db.sql import reader
from corridor.services import alerts_quiet
from corridor.services.alert_facts import Alert, AlertFacts
from corridor.services.alert_settings import Recipient, Settings
from corridor.services.alerts_quiet import Memo, Until
from corridor.store import outbox, quiet
from corridor.store.retry import retrying

if TYPE_CHECKING:
    from corridor.services.digest import Digest


@dataclass
class Work:
    """A run's work, before anything is written: new alerts, and queued ones to (re)send."""

    new: list[Alert] = field(default_factory=list)
    retry: list[outbox.Queued] = field(default_factory=list)
    wanted: set = field(default_factory=set)
    expire: list[int] = field(default_factory=list)  # queued, no longer due: never sent
    # A quiet run remembered (corridor.services.alerts_quiet): `recalled`, the memo that
    # spared this run its plan; `keep`, the memo this run leaves, under the fingerprint `key`.
    recalled: Memo | None = None
    keep: Memo | None = None
    key: str | None = None

    @property
    def empty(self) -> bool:
        return not self.new and not self.retry


def _acked(alert: Alert, acks, today: date) -> bool:
    return any(
        a.uid == alert.uid
        and a.due_date == alert.due_date
        and (a.recipient is None or a.recipient == alert.recipient)
        and today <= a.until
        for a in acks
    )


def _today(conn, alert: Alert) -> date:
    """The recipient's date the alert was planned on (its facts' `as_of`)."""
    from corridor.services.alerts_plan import complete  # lazy: see work()

    return date.fromisoformat(complete(conn, [alert])[0].facts.as_of)


def work(
    conn, *, at: datetime, recipients: list[Recipient], settings: Settings, now: datetime
) -> Work:
    """What this run has to do (reads only). An alert is new unless the outbox already holds
    it, or a more urgent threshold of the same deadline date for the same recipient (a day
    replayed, or caught up); a queued alert is retried only while it is still due.

    A run that finds a quiet run's memo still good plans nothing (its `recalled`); a run
    that plans everything and has nothing to send leaves one (its `keep`)."""
    usable = alerts_quiet.usable(recipients, settings)
    key = alerts_quiet.fingerprint(recipients, settings) if usable else None
    if key is not None:
        recalled = quiet.recall(conn, key, at)
        if recalled is not None:
            return Work(recalled=recalled)
    # lazy: a run that finds the memo of a quiet run (above) never imports what plans
    from corridor.services.alerts_plan import complete, plan

    # Before anything the plan reads (alerts_quiet); only when its memo may be kept.
    stamp = quiet.stamp(conn) if key is not None else None
    until = Until(at)
    # What is due, without its messages: only the new alerts' facts are built (below).
    planned = plan(conn, at=at, recipients=recipients, settings=settings, lazy=True, until=until)
    if any(r.plans for r in recipients):  # planned movements: their recipients only
        from corridor.services.plan_alerts import plan_alerts  # lazy: plans' modules

        planned += plan_alerts(conn, at=at, recipients=recipients)
    names = [r.name for r in recipients]
    existing = outbox.queued(conn, names, sorted({a.uid for a in planned}))
    # Zones differ from UTC by less than a day: an ack that ends on a recipient's today counts.
    acks = outbox.acks(conn, at.date() - timedelta(days=1)) if planned else []
    held: dict[tuple, list[outbox.Queued]] = {}
    for q in existing:
        held.setdefault((q.uid, q.due_date, q.recipient), []).append(q)
    result = Work()
    for alert in planned:
        if acks and _acked(alert, acks, _today(conn, alert)):
            continue
        rows = held.get((alert.uid, alert.due_date, alert.recipient), [])
        same = [q for q in rows if q.threshold == alert.threshold]
        if same:
            result.wanted.add(alert.key)
            continue
        if any(q.threshold < alert.threshold for q in rows):
            continue  # a more urgent threshold was already sent: never go back
        result.new.append(alert)
        result.wanted.add(alert.key)
    complete(conn, result.new)  # their messages' facts, now that they will be sent
    waiting = outbox.retryable(conn, names)
    # Whether a claim is alive is the database clock's call, never the host's (`now`).
    clock = outbox.db_now(conn) if waiting else now
    result.retry = [
        q
        for q in waiting
        if q.key in result.wanted
        and not (q.status == "sending" and outbox.lease_alive(q.claimed_at, clock, settings.lease))
    ]
    result.expire = [
        q.id
        for q in waiting
        if q.key not in result.wanted
        and not (q.status == "sending" and outbox.lease_alive(q.claimed_at, clock, settings.lease))
    ]
    # Remembered only with nothing waiting at all: a live claim's lease ends on its own clock.
    if result.empty and not waiting and stamp is not None and key is not None:
        result.key = key
        result.keep = Memo(stamp, at, alerts_quiet.quiet_until(conn, at, recipients, until))
    return result


def preview(work_: Work, conn, recipients: list[Recipient]) -> dict[str, Digest]:
    """The digests a run would send (--dry-run): new alerts and retries, per recipient."""
    from corridor.services.digest import digest  # lazy: only what is sent is worded

    waiting = {q.key for q in work_.retry}
    payloads: dict[str, list[AlertFacts]] = {}
    for alert in work_.new:
        payloads.setdefault(alert.recipient, []).append(alert.facts)
    if waiting:
        for r in outbox.overview(conn)["waiting"]:
            if (r.uid, r.due_date, r.threshold, r.recipient) in waiting:
                payloads.setdefault(r.recipient, []).append(_facts_of(conn, r))
    return {rec.name: digest(payloads[rec.name]) for rec in recipients if payloads.get(rec.name)}


def _facts_of(conn, row) -> AlertFacts:

    text = reader(conn).scalar(
        "SELECT payload FROM alert_outbox WHERE uid = :uid AND due_date = :d AND threshold = :t"
        " AND recipient = :r",
        uid=row.uid,
        d=row.due_date,
        t=row.threshold,
        r=row.recipient,
    )
    return AlertFacts.from_json(text)


@dataclass
class Outcome:
    queued: int = 0
    sent: int = 0  # alerts delivered
    messages: int = 0  # digests delivered
    failed: list[tuple[str, str]] = field(default_factory=list)  # (recipient, redacted error)
    delivered: list[str] = field(default_factory=list)  # recipients whose digest went out
    # Delivered, but the result could not be recorded (the database stayed locked past the
    # busy timeout): the crash window, sent again by a later run (docs/alerts.md).
    unrecorded: list[str] = field(default_factory=list)
    taken_over: list[str] = field(default_factory=list)  # our claim was no longer ours
    in_flight: str | None = None  # the recipient being sent to when the run was interrupted
    waiting: list[str] = field(default_factory=list)  # recipients not reached (interrupted)


class Interrupted(Exception):
    """Ctrl-C during delivery: carries what was and was not sent."""

    def __init__(self, outcome: Outcome):
        super().__init__("interrupted during delivery")
        self.outcome = outcome


def run(
    engine,
    work_: Work,
    *,
    recipients: list[Recipient],
    now: datetime,
    as_of: date,
    token: str,
    send: Callable[[Recipient, Digest], str | None],
    settings: Settings | None = None,
) -> Outcome:
    """Queue, then for each recipient in turn: claim its rows, deliver, record. `send(recipient,
    digest)` returns None on success or the (already redacted) reason it failed.

    Exactly once however slow (corridor.store.claims): a recipient's rows are claimed just
    before its delivery, the run's leases are renewed while it is alive, and the result is
    recorded only where the claim is still this run's. A crash can repeat at most the one
    digest in flight; a lock that outlasts the busy timeout after a delivery leaves that one
    recipient's rows claimed (the crash window), and the run goes on with the others."""
    from corridor.services.digest import digest  # lazy: only what is sent is worded
    from corridor.store import claims

    settings = settings or Settings()
    give_up = claims.GiveUp(settings.give_up_attempts, settings.give_up_days)
    new = [(a.key, a.kind, a.payload()) for a in work_.new]
    names = [r.name for r in recipients]
    queued = claims.queue(
        engine, new, work_.wanted, names, now=now, lease=settings.lease, give_up=give_up
    )
    result = Outcome(queued=queued)
    with claims.Keeper(engine, token, settings.lease):
        for i, rec in enumerate(recipients):
            rows = claims.claim(engine, rec.name, work_.wanted, token=token, lease=settings.lease)
            if not rows:
                continue
            message = digest([AlertFacts.from_json(c.payload) for c in rows])
            ids = [c.id for c in rows]
            result.in_flight = rec.name
            try:
                error = send(rec, message)
            except KeyboardInterrupt:
                claims.release(
                    engine,
                    ids,
                    token=token,
                    error="interrupted during delivery (Ctrl-C): it may or may not have arrived",
                )
                result.waiting = [r.name for r in recipients[i + 1 :]]
                raise Interrupted(result) from None
            except Exception as exc:  # a channel must never stop the others, nor the record
                error = f"{type(exc).__name__}: {exc}"
            result.in_flight = None
            try:
                mine = claims.record(
                    engine, ids, now=now, token=token, error=error, give_up=give_up
                )
            except DatabaseError:
                mine = -1
            if error is None:
                result.sent += len(rows)
                result.messages += 1
                result.delivered.append(rec.name)
                if mine < 0:
                    result.unrecorded.append(rec.name)
                elif mine < len(ids):
                    result.taken_over.append(rec.name)
            else:
                result.failed.append((rec.name, error))
    summary = "; ".join(f"{name}: {err}" for name, err in result.failed) or None
    # The run's summary line is bookkeeping for `alerts status`, never worth failing a run for.
    with contextlib.suppress(DatabaseError):
        outbox.record_run(
            engine,
            now=now,
            as_of=as_of,
            queued=queued,
            sent=result.sent,
            failed=len(result.failed),
            error=summary,
        )
    return result


def quiet_run(conn, work_: Work, *, now: datetime, as_of: date, settings: Settings) -> None:
    """Record a run with nothing to send, and expire what is no longer due (plain SQL), through
    lock conflicts for the busy timeout (corridor.store.retry)."""

    def write() -> None:
        outbox.expire(conn, work_.expire)
        outbox.give_up_stale(
            conn,
            now_db=outbox.db_now(conn),
            attempts=settings.give_up_attempts,
            days=settings.give_up_days,
        )
        outbox.note_quiet_run(conn, now=now, as_of=as_of)
        if work_.keep is not None and work_.key is not None:
            quiet.remember(conn, work_.key, work_.keep)

    retrying(write, seconds=busy_seconds_of(conn))


def acknowledge(
    engine,
    conn,
    *,
    uid: str,
    until: date | None,
    recipient: str | None,
    today: date,
    now: datetime,
    by: str,
) -> tuple[date, date]:
    """Quiet a deadline's remaining thresholds until `until` (default: its date), or until
    its date changes. Returns (the deadline's date, until)."""

    db = reader(conn)
    # Every uid an alert or `upcoming` prints: a deadline's (expiry, review, report, notice; a
    # lapse alert carries its expiry's), live today or not (a review decided since the alert
    # was sent is still the alert's), else one only the outbox knows (stale-…@corridor).
    due = db.scalar(
        "SELECT due_date FROM deadlines WHERE uid = :uid"
        " ORDER BY CASE WHEN void_from IS NULL OR void_from > :d THEN 0 ELSE 1 END,"
        " due_date DESC LIMIT 1",
        uid=uid,
        d=today,
    )
    if due is None:
        due = db.scalar(
            "SELECT due_date FROM alert_outbox WHERE uid = :uid ORDER BY due_date DESC LIMIT 1",
            uid=uid,
        )
    if due is None:
        raise NotFoundError(
            f'no deadline has the uid "{uid}"',
            "the uids are in `corridor upcoming --format json` and in each alert",
        )
    due = date.fromisoformat(due) if isinstance(due, str) else due
    end = until or due
    outbox.add_ack(engine, uid=uid, due_date=due, recipient=recipient, until=end, now=now, by=by)
    return due, end
