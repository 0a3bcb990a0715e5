"""The outbox as people look after it (docs/alerts.md): what `alerts status` shows, and what
`alerts retry` and `alerts forget` do with deliveries that failed or were given up. Whether a
claim is alive is measured with the database's clock (corridor.store.outbox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from corridor.core.errors import DatabaseError, NotFoundError
from corridor.db.sql import reader
from corridor.store import quiet
from corridor.store.outbox import lease_alive, overview


@dataclass(frozen=True)
class Waiting:
    """A pending, sending, failed or given-up row, how long it has waited, and whether the run
    that claimed it still holds its lease."""

    row: Any  # an alert_outbox row (store.outbox.overview)
    age_seconds: int
    alive: bool


@dataclass(frozen=True)
class Outbox:
    """`alerts status`: the last runs, what waits, the last sent, the last failure, the
    acknowledgements (rows of store.outbox.overview)."""

    runs: list
    waiting: list[Waiting]
    sent: list
    last_failure: Any | None
    acks: list
    quiet: list  # memos of quiet runs still in force (docs/alerts.md): checked_at, quiet_until


def outbox_status(conn, *, lease: timedelta) -> Outbox:
    """The outbox now, by the database's clock; a claim older than `lease` is not alive."""
    if not reader(conn).has_table("alert_outbox"):
        raise DatabaseError("this database has no alert outbox", 'run "corridor db upgrade"')
    data = overview(conn)
    now = data["now_db"]
    waiting = [
        Waiting(
            r,
            max(int((now - r.queued_at).total_seconds()), 0),
            lease_alive(r.claimed_at, now, lease),
        )
        for r in data["waiting"]
    ]
    memos = quiet.in_force(conn, now)
    return Outbox(data["runs"], waiting, data["sent"], data["last_failure"], data["acks"], memos)


def retry(engine, uid: str | None) -> int:
    """`alerts retry`: failed or given-up deliveries of `uid` (None: every given-up one) are
    tried again by the next run. How many; a uid with nothing to retry is NotFoundError."""
    # lazy: store.claims loads sqlalchemy, and `--help` and `crossing show` import this module
    from corridor.store import claims

    n = claims.requeue(engine, uid=uid)
    if n == 0 and uid is not None:
        raise NotFoundError(
            f'nothing failed or given up has the uid "{uid}"', "see: corridor alerts status"
        )
    return n


def forget(engine, uid: str | None) -> int:
    """`alerts forget`: waiting, failed or given-up deliveries of `uid` (None: every given-up
    one) are never sent. How many; a uid with nothing to forget is NotFoundError."""
    from corridor.store import claims  # lazy: as in retry()

    n = claims.forget(engine, uid=uid)
    if n == 0 and uid is not None:
        raise NotFoundError(
            f'nothing waiting, failed or given up has the uid "{uid}"',
            "see: corridor alerts status",
        )
    return n
