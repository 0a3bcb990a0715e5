"""The operational tables: what the team does with the record, never part of it or its export.
The audit trail, the alerts' outbox, acknowledgements and runs, and planned movements.
Re-exported by `corridor.db.tables`, the one module callers import tables from."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from corridor.db.metadata import metadata
from corridor.db.types import UTCDateTime

# ---------------------------------------------------------------- the audit trail
# One row per changed record (crossing, instrument, event, or the dataset's description): when,
# who, through which command, from which source, and the record before and after as JSON text
# in the native format's shape (docs/records.md). Rows are only ever inserted. Crossings are
# kept by slug, not by id, so the trail outlives a removed or renamed crossing.

changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("changed_at", UTCDateTime(), nullable=False),
    Column("changed_by", String(200), nullable=False),
    Column("via", String(40), nullable=False),  # the command: add, renew, import, ...
    Column("source", Text, nullable=True),  # where the facts came from: a file, a URL, a citation
    Column("action", String(10), nullable=False),  # created | updated | removed
    Column("entity", String(20), nullable=False),  # crossing | instrument | event | dataset
    Column("record_key", Text, nullable=False),  # the natural key: slug, symbol, date + title
    Column("old_value", Text, nullable=True),
    Column("new_value", Text, nullable=True),
    Index("ix_changes_changed_at", "changed_at"),
)

change_crossings = Table(
    "change_crossings",
    metadata,
    Column("change_id", ForeignKey("changes.id", ondelete="CASCADE"), primary_key=True),
    Column("slug", String(80), primary_key=True, index=True),
)

# ---------------------------------------------------------------- renewal alerts
# The outbox (docs/alerts.md): one row per (deadline uid, deadline date, threshold, recipient),
# unique, so an alert is queued once whatever the number of concurrent runs. Recipients are
# kept by name (or a digest of a `--to` URL), never by URL: no secret reaches the database.

alert_outbox = Table(
    "alert_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(255), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("threshold", Integer, nullable=False),  # days before; negative: days after (lapse)
    Column("recipient", String(200), nullable=False),
    Column("kind", String(10), nullable=False),  # expiry | review | report | lapse | stale
    Column("payload", Text, nullable=False),  # the alert's facts as JSON, for retries
    Column("status", String(10), nullable=False),  # pending | sending | sent | failed | expired
    Column("attempts", Integer, nullable=False, default=0),
    Column("queued_at", UTCDateTime(), nullable=False),
    Column("claimed_at", UTCDateTime(), nullable=True),
    Column("claimed_by", String(64), nullable=True),
    Column("sent_at", UTCDateTime(), nullable=True),
    Column("last_error", Text, nullable=True),  # redacted
    UniqueConstraint(
        "uid", "due_date", "threshold", "recipient", name="uq_alert_outbox_uid_date_threshold"
    ),
    Index("ix_alert_outbox_recipient_status", "recipient", "status"),
)

alert_acks = Table(
    "alert_acks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(255), nullable=False, index=True),
    Column("due_date", Date, nullable=False),
    Column("recipient", String(200), nullable=True),  # NULL: every recipient
    Column("until", Date, nullable=False),
    Column("acked_at", UTCDateTime(), nullable=False),
    Column("acked_by", String(200), nullable=False),
)

alert_runs = Table(
    "alert_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("queued", Integer, nullable=False, default=0),
    Column("sent", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("error", Text, nullable=True),  # redacted
    Index("ix_alert_runs_started_at", "started_at"),
)

# The record's stamp and the memo of a quiet run (docs/alerts.md, "A quiet run is
# remembered"): triggers on every other table but alert_runs move record_stamp.n on every change
# (corridor.db.stamp); alert_quiet keeps, per fingerprint of recipients and settings, the stamp
# a run with nothing to send read and the instant before which nothing can fall due.

record_stamp = Table(
    "record_stamp",
    metadata,
    Column("id", Integer, primary_key=True),  # one row: 1
    Column("n", BigInteger, nullable=False),
)

alert_quiet = Table(
    "alert_quiet",
    metadata,
    Column("fingerprint", String(64), primary_key=True),
    Column("stamp", BigInteger, nullable=False),
    Column("checked_at", UTCDateTime(), nullable=False),
    Column("quiet_until", UTCDateTime(), nullable=False),
)

# ---------------------------------------------------------------- planned movements
# The team's convoys (docs/plans.md): one crossing on one day or a window of days, under the
# team's own unique reference. Security information: never part of the record, its export,
# calendar, reports or CSV/HXL unless the user asks (--include-plans; README "Guarantees").

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(200), nullable=False, unique=True),
    Column("crossing_id", ForeignKey("crossings.id", ondelete="RESTRICT"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("until_date", Date, nullable=True),  # the last day of a window; null: one day
    Column("note", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("updated_by", String(200), nullable=False),
    Index("ix_plans_crossing_on", "crossing_id", "on_date"),
)
