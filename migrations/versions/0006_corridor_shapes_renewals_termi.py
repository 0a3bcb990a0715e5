"""corridor shapes: renewals, terminations, unknown and disputed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:15:00
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import corridor.db.types  # noqa: F401

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # placeholder: filled in by the work this revision belongs to


def downgrade() -> None:
    pass
