"""corridor shapes: parties, crossing kinds, working days

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:15:00
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import corridor.db.types  # noqa: F401

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # placeholder: filled in by the work this revision belongs to


def downgrade() -> None:
    pass
