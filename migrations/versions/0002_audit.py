"""audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:12:41.318204
"""

import sqlalchemy as sa
from alembic import op

import corridor.db.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("changed_at", corridor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("via", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index("ix_changes_changed_at", ["changed_at"], unique=False)

    op.create_table(
        "change_crossings",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["changes.id"],
            name=op.f("fk_change_crossings_change_id_changes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("change_id", "slug", name=op.f("pk_change_crossings")),
    )
    with op.batch_alter_table("change_crossings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_crossings_slug"), ["slug"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("change_crossings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_crossings_slug"))

    op.drop_table("change_crossings")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index("ix_changes_changed_at")

    op.drop_table("changes")
