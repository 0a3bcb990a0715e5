"""known instants: a fact may carry the time it became known; facts per crossing

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 22:00:00

A fact dated D is known from the END of D in its authority's zone, unless the record gives the
instant (a Council meeting's time, or the instant a fact was recorded from the command line on
its own day): docs/time.md, "When a fact is known". The optional instants:
- `instruments.adopted_at` (adoption or announcement), `instruments.terminated_known_at`;
- `reviews.decided_at`, `objections.notified_at`, `events.event_at` (a vetoed or failed draft);
- `crossings.known_until_at` (a declared check: "the record is complete as of"), and
  `crossings.checked_before`: the declarations a later one replaced (JSON, as written), so a
  replay as known before the later one still has them.

`crossing_facts` is derived (one row per fact per crossing, with its known instant), so a
crossing's horizon and the reason a lapse has are read as known at any instant K. Derived rows
are rebuilt at the head of the upgrade by the running corridor (store/migrate.py).
"""

import sqlalchemy as sa
from alembic import op

import corridor.db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_INSTANTS = [
    ("instruments", "adopted_at"),
    ("instruments", "terminated_known_at"),
    ("reviews", "decided_at"),
    ("objections", "notified_at"),
    ("events", "event_at"),
    ("crossings", "known_until_at"),
    ("unknown_spans", "known_at"),
]


def upgrade() -> None:
    for table, column in _INSTANTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, corridor.db.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_before", sa.Text(), nullable=True))
        # The horizon is read as known at K from crossing_facts: the stored one goes.
        batch_op.drop_column("horizon")
    op.create_table(
        "crossing_facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crossing_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("known_at", corridor.db.types.UTCDateTime(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["crossing_id"],
            ["crossings.id"],
            name=op.f("fk_crossing_facts_crossing_id_crossings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instruments.id"],
            name=op.f("fk_crossing_facts_instrument_id_instruments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crossing_facts")),
    )
    with op.batch_alter_table("crossing_facts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_crossing_facts_crossing_known", ["crossing_id", "known_at"], unique=False
        )
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM record_meta WHERE key = 'rebuild_derived'"))
    conn.execute(sa.text("INSERT INTO record_meta (key, value) VALUES ('rebuild_derived', '1')"))


def downgrade() -> None:
    with op.batch_alter_table("crossing_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_crossing_facts_crossing_known")
    op.drop_table("crossing_facts")
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.drop_column("checked_before")
        batch_op.add_column(sa.Column("horizon", sa.Date(), nullable=True))
    for table, column in reversed(_INSTANTS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM record_meta WHERE key = 'rebuild_derived'"))
    conn.execute(sa.text("INSERT INTO record_meta (key, value) VALUES ('rebuild_derived', '1')"))
