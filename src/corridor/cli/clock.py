"""The one module that asks the clock or the machine's timezone.

Everything else takes `now` (an instant) as an argument, so reports can replay any date
(`--as-of`) and tests never depend on when they run.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime


def now_utc() -> datetime:
    return datetime.now(UTC)


def system_zone_name() -> str:
    """The machine's IANA zone name: $TZ if it names one, else /etc/localtime, else UTC."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and ("/" in tz or tz == "UTC"):
        return tz
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:  # pragma: no cover - no such file on some containers
        return "UTC"
    marker = "zoneinfo/"
    if marker in target:
        return target.split(marker, 1)[1]
    return "UTC"


# When this process started corridor, for `check -t` (Nagios counts the whole process), and
# when the current run started (corridor.cli.main.run: the same instant in a real process; a
# test runs many in one process).
STARTED = time.monotonic()
RUN_STARTED = STARTED


def mark_run(started: float | None = None) -> None:
    global RUN_STARTED
    RUN_STARTED = time.monotonic() if started is None else started


def monotonic() -> float:
    return time.monotonic()
