"""Who gets alerts, and with which settings: the recipients and the plan's settings, as
`[alerts]` gives them (corridor.cli.alerts_config). Apart from the plan
(corridor.services.alerts_plan), so that a run that finds the memo of a quiet run
(corridor.services.alerts_quiet) never imports what plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, tzinfo

from corridor.core.text import MAX_NAME, text_problem

DEFAULT_THRESHOLDS = (90, 60, 30, 14, 7, 3, 1, 0)


# The one limit table for what alerts write into the database, checked before it on both
# backends (the columns of corridor.db.tables: alert_outbox.recipient, alert_acks.acked_by are
# varchar(200); PostgreSQL refuses longer, SQLite would store it).
LIMITS = {"recipient name": MAX_NAME, "CORRIDOR_USER": MAX_NAME}


def name_problem(value: str, what: str = "recipient name") -> str | None:
    """Why `value` cannot be stored as `what`, or None (length and characters)."""
    return text_problem(value, multiline=False, limit=LIMITS[what])


@dataclass(frozen=True)
class Recipient:
    name: str  # the outbox key: a configured name, "stdout", or "to:<digest of the URL>"
    url: str | None  # an Apprise URL; None for --stdout
    zone_name: str
    tz: tzinfo
    slugs: frozenset[str] | None = None  # only these crossings
    kinds: frozenset[str] | None = None
    thresholds: tuple[int, ...] | None = None
    plans: bool = False  # receives planned movements' alerts (corridor.services.plan_alerts)


@dataclass(frozen=True)
class Rule:
    """Thresholds for one crossing (by slug) or one instrument (by symbol)."""

    thresholds: tuple[int, ...]
    slug: str | None = None
    instrument: str | None = None


@dataclass(frozen=True)
class Settings:
    thresholds: tuple[int, ...] = DEFAULT_THRESHOLDS
    lapse_repeat_days: int = 1  # 0: say it once
    stale_after_days: int | None = None
    rules: tuple[Rule, ...] = ()
    # Delivery (corridor.store.claims): how long a claim lives without renewal, and when a
    # one-off `--to` recipient's failed rows are given up.
    lease: timedelta = timedelta(minutes=15)
    give_up_attempts: int = 5
    give_up_days: int = 7
    # Remember a run with nothing to send (corridor.services.alerts_quiet). Config:
    # [alerts] remember_quiet.
    remember_quiet: bool = True
