"""An instrument's caveat: a sourced reservation shown beside "authorized"

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 21:40:00

`instruments.caveat` (text, optional): an authorization that holds in law but, a source says,
not yet in practice (docs/format.md, "caveat"). Existing instruments have none. No derived row
depends on it: nothing is re-derived.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("caveat", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.drop_column("caveat")
