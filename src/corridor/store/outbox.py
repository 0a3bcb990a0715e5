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
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from corridor.db.sql import reader

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# Statuses: pending (queued), sending (claimed by a run), sent, failed (kept with its error,
# retried by the next run that still finds it due), expired (no longer due: never sent).
LIVE = ("pending", "sending", "sent", "failed")
# A claim older than this is taken to be from a run that crashed between claiming and
# recording (docs/alerts.md, "The crash window"): the next run sends it again.
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


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient: str
    payload: str


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
    """Waiting rows that are no longer due are never sent (plain SQL: the nothing-due path)."""
    if ids:
        reader(conn).execute(
            "UPDATE alert_outbox SET status = 'expired'"
            " WHERE id IN :ids AND status IN ('pending', 'failed')",
            ids=ids,
        )


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


def _insert(dialect: str):
    """INSERT … ON CONFLICT DO NOTHING needs the dialect's own insert()."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def queue_and_claim(
    engine: Engine,
    new: list[tuple[Key, str, str]],
    wanted: set[Key],
    recipients: list[str],
    *,
    now: datetime,
    token: str,
) -> tuple[list[Claimed], int]:
    """Queue `new` alerts ((key, kind, payload) each; an existing key is left alone), expire
    the waiting rows of `recipients` that are no longer due (not in `wanted`), and claim the
    rows in `wanted` that nobody else holds. Returns the claimed rows and how many were
    queued by this call."""
    import sqlalchemy as sa

    from corridor.db import tables as t

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
        claim, expire = [], []
        for row in conn.execute(query):
            key = (row.uid, row.due_date, row.threshold, row.recipient)
            if row.status == "sending" and row.claimed_at and now - row.claimed_at < LEASE:
                continue  # another run is sending it right now
            if key in wanted:
                claim.append(Claimed(row.id, row.recipient, row.payload))
            elif row.status != "sending":
                expire.append(row.id)
        if claim:
            conn.execute(
                box.update()
                .where(box.c.id.in_([c.id for c in claim]))
                .values(
                    status="sending",
                    claimed_at=now,
                    claimed_by=token,
                    attempts=box.c.attempts + 1,
                )
            )
        if expire:
            conn.execute(box.update().where(box.c.id.in_(expire)).values(status="expired"))
    return claim, added


def record(engine: Engine, ids: list[int], *, now: datetime, token: str, error: str | None) -> None:
    """Mark claimed rows sent (error None) or failed with the (redacted) error, at once after
    the delivery: this short transaction is the whole crash window (docs/alerts.md)."""
    from corridor.db import tables as t

    box = t.alert_outbox
    values = (
        dict(status="sent", sent_at=now, last_error=None)
        if error is None
        else dict(status="failed", last_error=error[:2000])
    )
    with engine.begin() as conn:
        conn.execute(
            box.update().where(box.c.id.in_(ids), box.c.claimed_by == token).values(**values)
        )


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
    from corridor.db import tables as t

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
        conn.execute(t.alert_runs.delete().where(t.alert_runs.c.started_at < now - timedelta(366)))


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
    from corridor.db import tables as t

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
        " sent_at, last_error FROM alert_outbox"
    )
    waiting = db.rows(
        cols + " WHERE status IN ('pending', 'sending', 'failed') ORDER BY queued_at, id"
    )
    sent = db.rows(cols + f" WHERE status = 'sent' ORDER BY sent_at DESC, id DESC LIMIT {limit}")
    last_failure = db.first(
        cols + " WHERE last_error IS NOT NULL ORDER BY queued_at DESC, id DESC LIMIT 1"
    )
    ack_rows = db.rows(
        "SELECT uid, due_date, recipient, until, acked_at, acked_by FROM alert_acks"
        " ORDER BY acked_at DESC, id DESC LIMIT 20"
    )
    return dict(runs=runs, waiting=waiting, sent=sent, last_failure=last_failure, acks=ack_rows)
