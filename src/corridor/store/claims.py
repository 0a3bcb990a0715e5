"""The outbox's writer side (docs/alerts.md, "Delivery safety"): queue, claim one recipient's
rows just before its delivery, keep the claim alive, record the outcome, give up and forget.

Exactly once, however slow:
- A run claims one recipient's rows just before sending to it, never all rows up front, so a
  slow recipient holds only its own rows, and two overlapping runs share the work.
- A claim is a lease. Whether it has run out is decided by the DATABASE's clock (`db_now`:
  SQLite `strftime('now')`, PostgreSQL `clock_timestamp()`), never the host's: two cron hosts
  whose clocks disagree by an hour still agree on whose claim is alive. (The project's rule
  "only cli/clock.py reads the clock" is about the host clock; these are values computed by the
  database, in SQL, inside the transaction that uses them.)
- A live run renews its leases (`Keeper`), however long one delivery takes.
- The result is recorded in a transaction that re-checks the claim (`claimed_by = token`).
- Each transaction runs again through lock conflicts for the busy timeout
  (corridor.store.retry); past it the caller is told, and the row falls under the crash window.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from corridor.db import tables as t
from corridor.db.connect import busy_seconds_of
from corridor.store.outbox import db_now, lease_alive
from corridor.store.retry import retrying

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

Key = tuple[str, date, int, str]  # uid, due_date, threshold, recipient

# A recipient given with `--to` may never be used again: its failed rows are given up after
# this many attempts or days (config: give_up_after_attempts, give_up_after_days).
GIVE_UP_ATTEMPTS = 5
GIVE_UP_DAYS = 7
ONE_OFF = "to:"  # the prefix of a `--to` recipient's name


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient: str
    payload: str


@dataclass(frozen=True)
class GiveUp:
    attempts: int = GIVE_UP_ATTEMPTS
    days: int = GIVE_UP_DAYS


def _insert(dialect: str):
    """INSERT … ON CONFLICT DO NOTHING needs the dialect's own insert()."""
    if dialect == "postgresql":
        return pg_insert
    return sqlite_insert


def queue(
    engine: Engine,
    new: list[tuple[Key, str, str]],
    wanted: set[Key],
    recipients: list[str],
    *,
    now: datetime,
    lease: timedelta,
    give_up: GiveUp,
) -> int:
    """Queue `new` alerts ((key, kind, payload) each; an existing key is left alone), and expire
    the waiting rows of `recipients` that are no longer due (not in `wanted`), including
    `sending` rows whose lease has run out. Returns how many rows were queued."""

    def transaction() -> int:
        box = t.alert_outbox
        with engine.begin() as conn:
            added = 0
            for (uid, due, threshold, recipient), kind, payload in new:
                values = dict(
                    uid=uid,
                    due_date=due,
                    threshold=threshold,
                    recipient=recipient,
                    kind=kind,
                    payload=payload,
                    status="pending",
                    attempts=0,
                    queued_at=now,
                )
                stmt = _insert(conn.dialect.name)(box).values(**values).on_conflict_do_nothing()
                added += len(conn.execute(stmt.returning(box.c.id)).all())  # psycopg: rowcount -1
            clock = db_now(conn)
            expire = [
                row.id
                for row in _waiting(conn, recipients)
                if (row.uid, row.due_date, row.threshold, row.recipient) not in wanted
                and not (row.status == "sending" and lease_alive(row.claimed_at, clock, lease))
            ]
            if expire:
                conn.execute(box.update().where(box.c.id.in_(expire)).values(status="expired"))
            _give_up_stale(conn, clock, give_up)
            return added

    return retrying(transaction, seconds=busy_seconds_of(engine))


def _waiting(conn: Connection, recipients: list[str]):
    box = t.alert_outbox
    query = sa.select(
        box.c.id,
        box.c.uid,
        box.c.due_date,
        box.c.threshold,
        box.c.recipient,
        box.c.status,
        box.c.claimed_at,
        box.c.payload,
    ).where(
        box.c.recipient.in_(recipients),
        box.c.status.in_(("pending", "failed", "sending")),
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(conn.execute(query))


def _give_up_stale(conn: Connection, clock: datetime, give_up: GiveUp) -> None:
    """One-off `--to` recipients' failed rows: given up after N attempts or D days."""
    box = t.alert_outbox
    conn.execute(
        box.update()
        .where(
            box.c.recipient.startswith(ONE_OFF),
            box.c.status == "failed",
            sa.or_(
                box.c.attempts >= give_up.attempts,
                box.c.queued_at <= clock - timedelta(days=give_up.days),
            ),
        )
        .values(status="given_up")
    )


def claim(
    engine: Engine, recipient: str, wanted: set[Key], *, token: str, lease: timedelta
) -> list[Claimed]:
    """Claim this recipient's rows in `wanted` that nobody else holds (a claim whose lease ran
    out, by the database's clock, is taken over), just before sending to it."""

    def transaction() -> list[Claimed]:
        box = t.alert_outbox
        with engine.begin() as conn:
            clock = db_now(conn)
            rows = [
                Claimed(row.id, row.recipient, row.payload)
                for row in _waiting(conn, [recipient])
                if (row.uid, row.due_date, row.threshold, row.recipient) in wanted
                and not (row.status == "sending" and lease_alive(row.claimed_at, clock, lease))
            ]
            if rows:
                conn.execute(
                    box.update()
                    .where(box.c.id.in_([c.id for c in rows]))
                    .values(
                        status="sending",
                        claimed_at=clock,
                        claimed_by=token,
                        attempts=box.c.attempts + 1,
                    )
                )
            return rows

    return retrying(transaction, seconds=busy_seconds_of(engine))


def renew(engine: Engine, token: str) -> None:
    """Push this run's live claims forward to the database's now."""

    def transaction() -> None:
        box = t.alert_outbox
        with engine.begin() as conn:
            clock = db_now(conn)
            conn.execute(
                box.update()
                .where(box.c.claimed_by == token, box.c.status == "sending")
                .values(claimed_at=clock)
            )

    retrying(transaction, seconds=busy_seconds_of(engine))


class Keeper:
    """Renews a run's leases every third of the lease while the run is alive (a thread: one
    delivery may take longer than the lease)."""

    def __init__(self, engine: Engine, token: str, lease: timedelta):
        self.engine, self.token = engine, token
        self.every = max(lease.total_seconds() / 3, 0.05)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True, name="lease-keeper")

    def _loop(self) -> None:
        while not self.stop.wait(self.every):
            try:
                renew(self.engine, self.token)
            except Exception:  # noqa: S112 - a missed renewal is retried on the next tick
                continue

    def __enter__(self) -> Keeper:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def record(
    engine: Engine,
    ids: list[int],
    *,
    now: datetime,
    token: str,
    error: str | None,
    give_up: GiveUp,
) -> int:
    """Mark claimed rows sent (error None) or failed with the (redacted) error, re-checking in
    the same transaction that the claim is still this run's. Returns how many rows were ours.
    Lock conflicts are retried for the busy timeout; past it a DatabaseError is raised and the
    rows stay claimed (the crash window, docs/alerts.md)."""

    def transaction() -> int:
        box = t.alert_outbox
        values = (
            dict(status="sent", sent_at=now, last_error=None)
            if error is None
            else dict(status="failed", last_error=error[:2000])
        )
        with engine.begin() as conn:
            mine = box.c.id.in_(ids), box.c.claimed_by == token, box.c.status == "sending"
            done = len(
                conn.execute(box.update().where(*mine).values(**values).returning(box.c.id)).all()
            )
            if error is not None:
                _give_up_stale(conn, db_now(conn), give_up)
            return done

    return retrying(transaction, seconds=busy_seconds_of(engine))


def release(engine: Engine, ids: list[int], *, token: str, error: str) -> None:
    """An interrupted delivery: its rows become `failed`, retried at once by the next run
    rather than after the lease (whether the message arrived is not known)."""

    def transaction() -> None:
        box = t.alert_outbox
        with engine.begin() as conn:
            conn.execute(
                box.update()
                .where(box.c.id.in_(ids), box.c.claimed_by == token, box.c.status == "sending")
                .values(status="failed", last_error=error, claimed_by=None)
            )

    retrying(transaction, seconds=2.0)


def requeue(engine: Engine, *, uid: str | None) -> int:
    """`alerts retry`: failed or given-up rows (of one uid, or all given-up) wait again."""
    return _set(engine, uid, ("failed", "given_up"), dict(status="pending", attempts=0))


def forget(engine: Engine, *, uid: str | None) -> int:
    """`alerts forget`: failed or given-up rows (of one uid, or all given-up) are never sent."""
    return _set(engine, uid, ("failed", "given_up", "pending"), dict(status="forgotten"))


def _set(engine: Engine, uid: str | None, statuses: tuple[str, ...], values: dict) -> int:
    def transaction() -> int:
        box = t.alert_outbox
        where = [box.c.uid == uid, box.c.status.in_(statuses)]
        if uid is None:
            where = [box.c.status == "given_up"]
        with engine.begin() as conn:
            return len(
                conn.execute(box.update().where(*where).values(**values).returning(box.c.id)).all()
            )

    return retrying(transaction, seconds=busy_seconds_of(engine))
