"""Remembering a quiet run (docs/alerts.md, "A quiet run is remembered").

Most hourly runs have nothing to send, and at scale planning is most of their cost. A run
that had nothing to send keeps a memo: the record's stamp, read before anything else
(corridor.db.stamp: database triggers move it on every change, whoever writes), the instant
it planned for, and `quiet_until`, the earliest instant at which its plan could differ while
the record stays the same. A later run for the same recipients and settings (the fingerprint)
that finds the same stamp, at an instant in [checked_at, quiet_until), would plan exactly the
same alerts, all already sent: it skips the plan.

The plan at `at` reads the clock only by comparing `at`, or `at`'s date in some zone, with
what the record stores. So it can change only when `at` passes one of these, and quiet_until
is the smallest of them:

- `checked_at` + one day (corridor.core.quiet.LONGEST), whatever the record;
- the next midnight in UTC, anywhere on earth (UTC-12), New York (where drafts are dated),
  every recipient's zone and every zone the record names: every date a rule reads is a date
  in one of them;
- the first stored instant after `checked_at` (corridor.store.quiet.INSTANT_COLUMNS): a fact
  becoming known, an authority ending, a deadline passing;
- what the rules report while planning (corridor.core.quiet.Until): each lapse's next whole
  day since its end instant, when it repeats or stops being news.

tests/test_alerts_quiet.py checks, on the reference record and at random instants, that a plan
asked anywhere in [at, quiet_until) is the plan asked at `at`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from corridor import __version__
from corridor.core.coverage import ANYWHERE_ON_EARTH, DRAFT_ZONE
from corridor.core.quiet import Until, next_midnight
from corridor.core.terms import zone
from corridor.db.connect import SCHEMA_HEAD
from corridor.db.sql import ReadConn
from corridor.services.alert_settings import Recipient, Settings
from corridor.store import quiet
from corridor.store.quiet import Memo

__all__ = ["Memo", "Until", "fingerprint", "quiet_until", "usable"]


def usable(recipients: list[Recipient], settings: Settings) -> bool:
    """Whether a run may use and keep a memo: unless the config turns it off, or a recipient
    gets planned movements' alerts (their verdicts read the clock in ways not listed above)."""
    return settings.remember_quiet and not any(r.plans for r in recipients)


def fingerprint(recipients: list[Recipient], settings: Settings) -> str:
    """What a plan depends on besides the record and the instant: the code and schema, the
    recipients' names, zones and filters, and the plan's settings (a memo is never kept for
    recipients of planned movements' alerts: `usable`)."""

    def listed(values) -> list | None:
        return None if values is None else sorted(values)

    text = json.dumps(
        {
            "version": __version__,
            "schema": SCHEMA_HEAD,
            "recipients": [
                [r.name, r.zone_name, listed(r.slugs), listed(r.kinds), r.thresholds]
                for r in recipients
            ],
            "thresholds": settings.thresholds,
            "lapse_repeat_days": settings.lapse_repeat_days,
            "stale_after_days": settings.stale_after_days,
            "rules": [[r.thresholds, r.slug, r.instrument] for r in settings.rules],
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def quiet_until(
    conn: ReadConn, at: datetime, recipients: list[Recipient], until: Until
) -> datetime:
    """The earliest instant after `at` at which a plan for `recipients` could differ from the
    plan at `at`, the record staying the same (this module's docstring): `until` carries what
    the rules reported while planning."""
    names = {"UTC", DRAFT_ZONE, *(r.zone_name for r in recipients), *quiet.zones(conn)}
    for tz in [ANYWHERE_ON_EARTH, *(zone(n) for n in sorted(names))]:
        until.at_most(next_midnight(at, tz))
    until.at_most(quiet.next_instant(conn, at, until.value))
    return until.value
