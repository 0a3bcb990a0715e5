"""corridor shapes: renewals, terminations, unknown and disputed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:15:00

- periods: automatic renewal (auto_renews, renew_for, renew_notice, renew_max, renew_until);
- objections (to an automatic renewal) and period_ends (a disputed period's alternative ends);
- instruments: a termination "with effect from" a date, known from another;
- unknown_spans: spans of a crossing's history the record marks unknown;
- coverage.void_at and coverage.origin, deadlines.detail (derived).
Existing rows keep their meaning: no period renews automatically, nothing is terminated,
disputed or unknown. The derived rows (coverage, deadlines) are emptied here and rebuilt, with
the horizons, once the upgrade reaches the head (corridor.store.migrate.REBUILD): a migration
never calls code that later migrations may change.
"""

import sqlalchemy as sa
from alembic import op

import corridor.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_UTC = corridor.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("auto_renews", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("renew_for", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("renew_notice", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("renew_max", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("renew_until", sa.Date(), nullable=True))
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.alter_column("auto_renews", server_default=None)
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("terminated_effective", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("terminated_known", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("terminated_by", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("terminated_source", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("terminated_note", sa.Text(), nullable=True))
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("void_at", _UTC, nullable=True))
        batch_op.add_column(sa.Column("origin", sa.String(length=12), nullable=True))
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("detail", sa.Text(), nullable=True))

    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=False),
        sa.Column("party", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["periods.id"],
            name=op.f("fk_objections_period_id_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objections")),
    )
    op.create_index(op.f("ix_objections_period_id"), "objections", ["period_id"], unique=False)
    op.create_table(
        "period_ends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["periods.id"],
            name=op.f("fk_period_ends_period_id_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_ends")),
    )
    op.create_index(op.f("ix_period_ends_period_id"), "period_ends", ["period_id"], unique=False)
    op.create_table(
        "unknown_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crossing_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("starts_at", _UTC, nullable=False),
        sa.Column("ends_at", _UTC, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["crossing_id"],
            ["crossings.id"],
            name=op.f("fk_unknown_spans_crossing_id_crossings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unknown_spans")),
    )
    op.create_index(
        op.f("ix_unknown_spans_crossing_id"), "unknown_spans", ["crossing_id"], unique=False
    )

    # The derived rows and horizons are rebuilt once the upgrade reaches the head, with the
    # derivation of the corridor that runs it (corridor.store.migrate.REBUILD).
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM deadlines"))
    conn.execute(sa.text("DELETE FROM coverage"))
    conn.execute(sa.text("DELETE FROM record_meta WHERE key = 'rebuild_derived'"))
    conn.execute(sa.text("INSERT INTO record_meta (key, value) VALUES ('rebuild_derived', '1')"))


def downgrade() -> None:
    op.drop_index(op.f("ix_unknown_spans_crossing_id"), table_name="unknown_spans")
    op.drop_table("unknown_spans")
    op.drop_index(op.f("ix_period_ends_period_id"), table_name="period_ends")
    op.drop_table("period_ends")
    op.drop_index(op.f("ix_objections_period_id"), table_name="objections")
    op.drop_table("objections")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_column("detail")
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.drop_column("origin")
        batch_op.drop_column("void_at")
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        for name in ("note", "source", "by", "known", "effective"):
            batch_op.drop_column(f"terminated_{name}")
    with op.batch_alter_table("periods", schema=None) as batch_op:
        for name in ("until", "max", "notice", "for"):
            batch_op.drop_column(f"renew_{name}")
        batch_op.drop_column("auto_renews")
