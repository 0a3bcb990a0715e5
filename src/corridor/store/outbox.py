"""The alert outbox (docs/alerts.md, "Delivery safety"): queue, claim, record.

Reading what is already queued or acknowledged is plain SQL (corridor.db.sql), so an
`alerts run` with nothing due never imports SQLAlchemy. Queuing and claiming go through
SQLAlchemy Core in one short transaction that only one process at a time can hold for the same
rows: `BEGIN IMMEDIATE` on SQLite (one writer at a time; every write engine begins so,
corridor.db.connect.make_engine), `SELECT … FOR UPDATE SKIP LOCKED` on
PostgreSQL (a row locked by another run is skipped, not waited for). The unique key
(uid, due_date, threshold, recipient) makes queuing the same alert twice impossible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from corridor.db.connect import busy_seconds_of
from corridor.db.sql import reader
from corridor.store.retry import retrying

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# Statuses: pending (queued), sending (claimed by a run), sent, failed (kept with its error,
# retried by the next run that still finds it due), expired (no longer due: never sent),
# given_up (a one-off `--to` recipient that kept failing), forgotten (`alerts forget`).
# Every status but expired holds its alert: the same alert is never queued again.
LIVE = ("pending", "sending", "sent", "failed", "given_up", "forgotten")
# A claim not renewed for this long is taken to be from a run that crashed between claiming and
# recording (docs/alerts.md, "The crash window"): the next run sends it again. Measured by the
# database's clock (corridor.store.claims.db_now). Config: [alerts] lease_seconds.
LEASE = timedelta(minutes=15)

Key = tuple[str, date, int, str]  # uid, due_date, threshold, recipient


@dataclass(frozen=True)
class Queued:
    id: int
    uid: str
    due_date: date
    threshold: int
    recipient: str
    status: str
    claimed_at: datetime | None

    @property
    def key(self) -> Key:
        return (self.uid, self.due_date, self.threshold, self.recipient)


def db_now(conn) -> datetime:
    """The database's clock, as an aware UTC instant (a SQLAlchemy Connection or a Reader).
    Leases are measured with it, never with the host's clock (corridor.store.claims)."""
    db = reader(conn)
    if db.dialect == "sqlite":
        text = db.scalar("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    value = db.scalar("SELECT clock_timestamp()")
    return value.astimezone(UTC)


def lease_alive(claimed_at: datetime | None, now_db: datetime, lease: timedelta) -> bool:
    return claimed_at is not None and now_db - claimed_at < lease


def queued(conn, recipients: list[str], uids: list[str]) -> list[Queued]:
    """The live outbox rows of these recipients for these deadlines (plain SQL)."""
    if not recipients or not uids:
        return []
    rows = reader(conn).rows(
        "SELECT id, uid, due_date, threshold, recipient, status, claimed_at FROM alert_outbox"
        " WHERE recipient IN :recipients AND uid IN :uids AND status IN :live",
        recipients=recipients,
        uids=uids,
        live=list(LIVE),
    )
    return [Queued(*r) for r in rows]


def retryable(conn, recipients: list[str]) -> list[Queued]:
    """Rows of these recipients waiting to be (re)sent: pending, failed, or a stale claim."""
    if not recipients:
        return []
    rows = reader(conn).rows(
        "SELECT id, uid, due_date, threshold, recipient, status, claimed_at FROM alert_outbox"
        " WHERE recipient IN :recipients AND status IN ('pending', 'failed', 'sending')",
        recipients=recipients,
    )
    return [Queued(*r) for r in rows]


def expire(conn, ids: list[int]) -> None:
    """Waiting rows that are no longer due are never sent (plain SQL: the nothing-due path).
    `ids` holds only rows that are not under a live claim (corridor.services.alerts.work)."""
    if ids:
        reader(conn).execute(
            "UPDATE alert_outbox SET status = 'expired'"
            " WHERE id IN :ids AND status IN ('pending', 'failed', 'sending')",
            ids=ids,
        )


def give_up_stale(conn, *, now_db: datetime, attempts: int, days: int) -> None:
    """The nothing-due path's twin of corridor.store.claims._give_up_stale (plain SQL). It
    writes only when a row is to be given up: on PostgreSQL any UPDATE moves the record's stamp
    (corridor.db.stamp), and a quiet run must leave its memo good."""
    where = (
        " WHERE recipient LIKE :one_off AND status = 'failed'"
        " AND (attempts >= :attempts OR queued_at <= :cutoff)"
    )
    params = dict(
        one_off="to:%",  # a parameter: psycopg reads a literal % as a placeholder
        attempts=attempts,
        cutoff=now_db - timedelta(days=days),
    )
    db = reader(conn)
    if db.first("SELECT 1 FROM alert_outbox" + where + " LIMIT 1", **params) is not None:
        db.execute("UPDATE alert_outbox SET status = 'given_up'" + where, **params)


def acks(conn, at: date) -> list:
    """Acknowledgements still in force on `at`."""
    return reader(conn).rows(
        "SELECT uid, due_date, recipient, until FROM alert_acks WHERE until >= :at", at=at
    )


def note_quiet_run(conn, *, now: datetime, as_of: date) -> None:
    """Record a run that had nothing to send, without SQLAlchemy (the nothing-due path)."""
    reader(conn).execute(
        "INSERT INTO alert_runs (started_at, as_of, queued, sent, failed)"
        " VALUES (:now, :as_of, 0, 0, 0)",
        now=now,
        as_of=as_of,
    )


# ---------------------------------------------------------------- the writer side
# Queue, claim and record live in corridor.store.claims.


def record_run(
    engine: Engine,
    *,
    now: datetime,
    as_of: date,
    queued: int,
    sent: int,
    failed: int,
    error: str | None,
) -> None:
    from corridor.db import tables as t  # lazy: sqlalchemy, off the nothing-due run

    def transaction() -> None:
        with engine.begin() as conn:
            conn.execute(
                t.alert_runs.insert().values(
                    started_at=now,
                    as_of=as_of,
                    queued=queued,
                    sent=sent,
                    failed=failed,
                    error=error[:2000] if error else None,
                )
            )
            # Keep a year of runs: `alerts status` reads the last ones, nothing reads older.
            conn.execute(
                t.alert_runs.delete().where(t.alert_runs.c.started_at < now - timedelta(366))
            )

    retrying(transaction, seconds=busy_seconds_of(engine))


def add_ack(
    engine: Engine,
    *,
    uid: str,
    due_date: date,
    recipient: str | None,
    until: date,
    now: datetime,
    by: str,
) -> None:
    from corridor.db import tables as t  # lazy: sqlalchemy, off the nothing-due run

    def transaction() -> None:
        with engine.begin() as conn:
            conn.execute(
                t.alert_acks.insert().values(
                    uid=uid,
                    due_date=due_date,
                    recipient=recipient,
                    until=until,
                    acked_at=now,
                    acked_by=by,
                )
            )

    retrying(transaction, seconds=busy_seconds_of(engine))


# ---------------------------------------------------------------- alerts status


def overview(conn, *, limit: int = 20) -> dict:
    """What `alerts status` shows: the last runs, the last alerts, pending and failed rows,
    the last failure. Recipients are names; the database never holds a URL."""
    db = reader(conn)
    runs = db.rows(
        "SELECT started_at, as_of, queued, sent, failed, error FROM alert_runs"
        " ORDER BY started_at DESC, id DESC LIMIT 5"
    )
    cols = (
        "SELECT uid, due_date, threshold, recipient, kind, status, attempts, queued_at,"
        " sent_at, claimed_at, last_error FROM alert_outbox"
    )
    waiting = db.rows(
        cols + " WHERE status IN ('pending', 'sending', 'failed', 'given_up')"
        " ORDER BY queued_at, id"
    )
    sent = db.rows(cols + f" WHERE status = 'sent' ORDER BY sent_at DESC, id DESC LIMIT {limit}")
    last_failure = db.first(
        cols + " WHERE last_error IS NOT NULL ORDER BY queued_at DESC, id DESC LIMIT 1"
    )
    ack_rows = db.rows(
        "SELECT uid, due_date, recipient, until, acked_at, acked_by FROM alert_acks"
        " ORDER BY acked_at DESC, id DESC LIMIT 20"
    )
    return dict(
        runs=runs,
        waiting=waiting,
        sent=sent,
        last_failure=last_failure,
        acks=ack_rows,
        now_db=db_now(db),
    )
