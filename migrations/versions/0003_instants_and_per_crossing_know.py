"""instants and per-crossing knowledge (core)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:00:00

- instruments.known_at, coverage.starts_at/known_at, deadlines.known_at/void_at: the instants
  that decide "covered at this instant, as known then" (docs/time.md);
- deadline uids become one per deadline (shared by its crossings' rows), so `uid` is no longer
  unique on its own: (uid, crossing_id) is;
- the record's global `knowledge_ends` becomes each crossing's `known_until`, and crossings get
  a derived `horizon`.
The derived tables (coverage, deadlines) are emptied here and rebuilt by revision 0006.
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

import corridor.db.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM deadlines"))
    conn.execute(sa.text("DELETE FROM coverage"))

    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("horizon", sa.Date(), nullable=True))
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("known_at", corridor.db.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("coverage", schema=None, recreate="always") as batch_op:
        batch_op.add_column(
            sa.Column("starts_at", corridor.db.types.UTCDateTime(timezone=True), nullable=False)
        )
        batch_op.add_column(
            sa.Column("known_at", corridor.db.types.UTCDateTime(timezone=True), nullable=False)
        )
        batch_op.create_index("ix_coverage_crossing_ends_at", ["crossing_id", "ends_at"])
    with op.batch_alter_table("deadlines", schema=None, recreate="always") as batch_op:
        batch_op.add_column(
            sa.Column("known_at", corridor.db.types.UTCDateTime(timezone=True), nullable=False)
        )
        batch_op.add_column(
            sa.Column("void_at", corridor.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_constraint("uq_deadlines_uid", type_="unique")
        batch_op.create_index(batch_op.f("ix_deadlines_uid"), ["uid"], unique=False)
        batch_op.create_unique_constraint("uq_deadlines_uid_crossing", ["uid", "crossing_id"])

    # known_at from known_from, in each instrument's zone.
    from corridor.core.terms import day_start, zone

    rows = conn.execute(sa.text("SELECT id, known_from, timezone FROM instruments")).all()
    for iid, known_from, tz in rows:
        if not isinstance(known_from, date):
            known_from = date.fromisoformat(str(known_from)[:10])
        conn.execute(
            sa.text("UPDATE instruments SET known_at = :at WHERE id = :id"),
            {"at": _instant(conn, day_start(known_from, zone(tz))), "id": iid},
        )
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.alter_column(
            "known_at", existing_type=corridor.db.types.UTCDateTime(timezone=True), nullable=False
        )

    # The global end of knowledge becomes each crossing's own.
    ends = conn.execute(
        sa.text("SELECT value FROM record_meta WHERE key = 'knowledge_ends'")
    ).scalar()
    if ends:
        conn.execute(
            sa.text("UPDATE crossings SET known_until = :d WHERE known_until IS NULL"),
            {"d": date.fromisoformat(ends)},
        )
        conn.execute(sa.text("DELETE FROM record_meta WHERE key = 'knowledge_ends'"))

    # The derived rows and the horizons are rebuilt by revision 0006, with the derivation that
    # reads the tables 0006 adds (this code calls today's corridor.store.rederive).


def _instant(conn, value):
    if conn.dialect.name == "sqlite":  # stored as naive UTC text, as corridor.db.types does
        return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM deadlines"))
    conn.execute(sa.text("DELETE FROM coverage"))
    with op.batch_alter_table("deadlines", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint("uq_deadlines_uid_crossing", type_="unique")
        batch_op.drop_index(batch_op.f("ix_deadlines_uid"))
        batch_op.create_unique_constraint("uq_deadlines_uid", ["uid"])
        batch_op.drop_column("void_at")
        batch_op.drop_column("known_at")
    with op.batch_alter_table("coverage", schema=None, recreate="always") as batch_op:
        batch_op.drop_index("ix_coverage_crossing_ends_at")
        batch_op.drop_column("known_at")
        batch_op.drop_column("starts_at")
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.drop_column("known_at")
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.drop_column("horizon")
