"""alerts outbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import corridor.db.types  # noqa: F401

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # placeholder: filled in by the work this revision belongs to


def downgrade() -> None:
    pass
