"""The record's stamp and the memo of a quiet alerts run

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:00:00

- `record_stamp`: one row, one counter. Triggers on every table but the run log move it on
  every change (corridor.db.stamp), whoever writes.
- `alert_quiet`: per set of recipients and settings (a fingerprint), the stamp a run with
  nothing to send read, the instant it planned for, and the instant before which nothing can
  fall due while the stamp stays the same (docs/alerts.md, "A quiet run is remembered").
"""

import sqlalchemy as sa
from alembic import op

import corridor.db.types
from corridor.db.stamp import PG_DROP_FUNCTION, PG_FUNCTION, create_sql, drop_sql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Every table at revision 0011 but alembic_version, alert_runs and the two made here.
STAMPED = (
    "record_meta",
    "crossings",
    "crossing_aliases",
    "crossing_keys",
    "crossing_countries",
    "unknown_spans",
    "instruments",
    "instrument_parties",
    "calendars",
    "calendar_holidays",
    "reviews",
    "periods",
    "objections",
    "period_ends",
    "period_crossings",
    "reports",
    "events",
    "event_crossings",
    "crossing_facts",
    "coverage",
    "deadlines",
    "changes",
    "change_crossings",
    "alert_outbox",
    "alert_acks",
    "plans",
)


def upgrade() -> None:
    op.create_table(
        "record_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_stamp")),
    )
    op.execute("INSERT INTO record_stamp (id, n) VALUES (1, 0)")
    op.create_table(
        "alert_quiet",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.Column("checked_at", corridor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("quiet_until", corridor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_alert_quiet")),
    )
    dialect = op.get_bind().dialect.name
    if dialect != "sqlite":
        op.execute(PG_FUNCTION)
    for table in STAMPED:
        for sql in create_sql(dialect, table):
            op.execute(sql)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in STAMPED:
        for sql in drop_sql(dialect, table):
            op.execute(sql)
    if dialect != "sqlite":
        op.execute(PG_DROP_FUNCTION)
    op.drop_table("alert_quiet")
    op.drop_table("record_stamp")
