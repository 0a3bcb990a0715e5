"""Waiting for the other writer: the one place that decides what a lock conflict becomes.

Writers take turns (corridor.db.connect.make_engine: SQLite `BEGIN IMMEDIATE` with a busy
timeout, the advisory write lock with a lock timeout on PostgreSQL), so a writer normally just
waits. What can still surface is transient: SQLite's "database is locked" when its busy handler
gives up early, a PostgreSQL serialization failure or deadlock. `retrying` runs the whole
transaction again for those, within the same bounded time (the caller's `seconds`: the
Location's busy_seconds, from $CORRIDOR_BUSY_TIMEOUT, README "Guarantees"); past it, the user
gets one clear DatabaseError (exit 4), never the driver's message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from corridor.core.errors import DatabaseError

T = TypeVar("T")

_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED (primary codes)
_PG_RETRY = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_PG_TIMEOUT = {"55P03"}  # lock_not_available: the lock timeout ran out


def _driver(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def is_busy(exc: BaseException) -> bool:
    """A lock conflict: another writer holds the database (or the row) we need."""
    err = _driver(exc)
    module = type(err).__module__.split(".")[0]
    if module == "sqlite3":
        code = getattr(err, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in _SQLITE_BUSY
        text = str(err).lower()
        return "locked" in text or "busy" in text
    if module == "psycopg":
        return getattr(err, "sqlstate", None) in _PG_RETRY | _PG_TIMEOUT
    return False


def _waited_out(exc: BaseException) -> bool:
    """The driver already waited the whole bound before failing: trying again is pointless."""
    return getattr(_driver(exc), "sqlstate", None) in _PG_TIMEOUT


def busy_error(seconds: float) -> DatabaseError:
    return DatabaseError(
        f"the database is busy: another corridor process kept it locked for over {seconds:g} s",
        "nothing was changed; try again when it has finished, or wait longer with "
        "CORRIDOR_BUSY_TIMEOUT=SECONDS",
    )


def retrying(run: Callable[[], T], *, seconds: float) -> T:
    """`run()` (one whole transaction), again after a lock conflict, until `seconds` (the
    Location's busy_seconds: corridor.db.connect.busy_seconds_of an engine) have passed; then
    a DatabaseError saying the database is busy."""
    bound = seconds
    deadline = time.monotonic() + bound
    delay = 0.02
    while True:
        try:
            return run()
        except Exception as exc:
            if not is_busy(exc):
                raise
            left = deadline - time.monotonic()
            if left <= 0 or _waited_out(exc):
                raise busy_error(bound) from None
            time.sleep(min(delay, left))
            delay = min(delay * 2, 0.5)
