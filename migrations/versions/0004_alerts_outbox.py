"""alerts outbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa
from alembic import op

import corridor.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_at", corridor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", corridor.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("sent_at", corridor.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_outbox")),
        sa.UniqueConstraint(
            "uid", "due_date", "threshold", "recipient", name="uq_alert_outbox_uid_date_threshold"
        ),
    )
    with op.batch_alter_table("alert_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_alert_outbox_recipient_status", ["recipient", "status"], unique=False
        )

    op.create_table(
        "alert_acks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=True),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("acked_at", corridor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acked_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_acks")),
    )
    with op.batch_alter_table("alert_acks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_acks_uid"), ["uid"], unique=False)

    op.create_table(
        "alert_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", corridor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_runs")),
    )
    with op.batch_alter_table("alert_runs", schema=None) as batch_op:
        batch_op.create_index("ix_alert_runs_started_at", ["started_at"], unique=False)


def downgrade() -> None:
    # Dropping a used outbox would make a later re-upgrade send every alert again: refuse
    # (README "Guarantees": each alert once). An unused outbox may go.
    bind = op.get_bind()
    used = bind.exec_driver_sql(
        "SELECT (SELECT count(*) FROM alert_outbox) + (SELECT count(*) FROM alert_acks)"
    ).scalar()
    if used:
        from corridor.core.errors import DatabaseError

        raise DatabaseError(
            f"cannot downgrade below 0004: the alert outbox holds {used} row(s), and without "
            "them the alerts already sent or acknowledged would be sent again after a re-upgrade",
            "keep this schema, or restore a backup taken before 0004",
        )
    with op.batch_alter_table("alert_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_runs_started_at")
    op.drop_table("alert_runs")
    with op.batch_alter_table("alert_acks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_acks_uid"))
    op.drop_table("alert_acks")
    with op.batch_alter_table("alert_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_outbox_recipient_status")
    op.drop_table("alert_outbox")
