"""hardening: unique names

Every name a crossing answers to (display name, slug, aliases), folded the way lookups fold
them, is kept in `crossing_keys` under a primary key: one name, one crossing, enforced by the
database. Existing names are filled in here. If an older corridor let one name reach two
crossings, the crossing recorded first keeps it in the index (the lookup stays ambiguous, as
it already was) and the next edit of the other crossing is refused until that alias is
corrected (README "Guarantees").

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa
from alembic import op

import corridor.db.types  # noqa: F401
from corridor.core.names import index_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crossing_keys",
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("crossing_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crossing_id"],
            ["crossings.id"],
            name=op.f("fk_crossing_keys_crossing_id_crossings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("name_key", name=op.f("pk_crossing_keys")),
    )
    with op.batch_alter_table("crossing_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_crossing_keys_crossing_id"), ["crossing_id"], unique=False
        )

    conn = op.get_bind()
    names: dict[int, list[str]] = {}
    for cid, name, slug in conn.execute(
        sa.text("SELECT id, name, slug FROM crossings ORDER BY id")
    ):
        names[cid] = [name, slug]
    for cid, alias in conn.execute(
        sa.text("SELECT crossing_id, alias FROM crossing_aliases ORDER BY position, id")
    ):
        names[cid].append(alias)
    owner: dict[str, int] = {}
    for cid in sorted(names):  # the crossing recorded first keeps a name it shares
        for name in names[cid]:
            key = index_key(name)
            if key:
                owner.setdefault(key, cid)
    if owner:
        conn.execute(
            sa.text("INSERT INTO crossing_keys (name_key, crossing_id) VALUES (:k, :c)"),
            [dict(k=k, c=c) for k, c in owner.items()],
        )


def downgrade() -> None:
    with op.batch_alter_table("crossing_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crossing_keys_crossing_id"))
    op.drop_table("crossing_keys")
