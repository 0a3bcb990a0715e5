"""`corridor check -t SECONDS`: an answer (UNKNOWN, exit 3) before the monitoring system kills
the plugin and reports CRITICAL (the Monitoring Plugins Development Guidelines, "Plugin
timeouts").

Three layers, from the gentlest:
1. the database waits at most the time left (SQLite's busy timeout, PostgreSQL's lock_timeout
   and statement_timeout: corridor.db.connect.connect_reader), so a lock held by another
   connection ends in an error that `timed_out` recognises;
2. SIGALRM at the deadline raises `CheckTimeout` wherever Python code is running;
3. a timer thread, a moment later, for a main thread stuck inside C (a server that accepts a
   connection and never answers): it writes the UNKNOWN line itself and ends the process. It
   is armed only in a real process (corridor.cli.main.main), never inside a test runner.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

from corridor.cli import clock
from corridor.core.errors import CorridorError

GRACE = 0.5  # seconds between SIGALRM and the hard stop
hard_exit = False  # set by corridor.cli.main.main: this process is corridor itself


class CheckTimeout(CorridorError):
    exit_code = 3


class Watchdog:
    def __init__(self, seconds: float, what: str = "the database"):
        self.seconds = seconds
        self.what = what
        self.deadline = clock.RUN_STARTED + seconds
        self.lock = threading.Lock()
        self._old = None
        self._timer: threading.Timer | None = None
        left = max(self.left(), 0.001)
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGALRM, self._alarm)
            signal.setitimer(signal.ITIMER_REAL, left)
        if hard_exit:
            self._timer = threading.Timer(left + GRACE, self._hard)
            self._timer.daemon = True
            self._timer.start()

    def left(self) -> float:
        return self.deadline - clock.monotonic()

    def error(self) -> CheckTimeout:
        return CheckTimeout(
            f"timed out after {self.seconds:g} s waiting for {self.what} (another connection "
            "may hold a lock on it)",
            "raise -t/--timeout, or find what holds the lock",
        )

    def _alarm(self, _signum, _frame) -> None:
        raise self.error()

    def _hard(self) -> None:
        if not self.lock.acquire(blocking=False):
            return  # the answer is being written
        err = self.error()
        text = " ".join(f"{err.message} ({err.hint})".split())
        os.write(1, f"CORRIDOR UNKNOWN - {text}\n".encode())
        os._exit(3)

    def stop(self) -> None:
        """Disarm before writing the answer; the answer then always wins the race."""
        self.lock.acquire()
        if self._timer is not None:
            self._timer.cancel()
        if self._old is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)
            self._old = None

    def __enter__(self) -> Watchdog:
        return self

    def __exit__(self, *exc) -> None:
        if not self.lock.locked():
            self.stop()
        sys.stdout.flush()


def timed_out(exc: BaseException) -> bool:
    """A driver's error for a wait the timeout cut short: SQLite busy, PostgreSQL
    lock_timeout, statement_timeout or connect_timeout."""
    name = type(exc).__name__
    text = str(getattr(exc, "orig", exc)).lower()
    return (
        name in ("LockNotAvailable", "QueryCanceled", "ConnectionTimeout")
        or "database is locked" in text
        or "timeout expired" in text
        or "canceling statement due to" in text
    )
