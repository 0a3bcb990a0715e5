"""corridor shapes: parties, crossing kinds, working days

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:15:00

- a crossing has one or more countries (`crossing_countries`, in order) instead of exactly two
  columns, and a kind (land, sea, air, route); existing crossings keep their two countries, in
  the same order, and become `land`;
- an instrument can list its parties with their roles (`instrument_parties`) and the place
  where it was signed (`instruments.signed_in`);
- calendars name the weekend and holidays of an authority or a country (`calendars`,
  `calendar_holidays`), so reports can flag a deadline on a non-working day.
No derived row depends on these: nothing is re-derived.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crossing_countries",
        sa.Column("crossing_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["crossing_id"],
            ["crossings.id"],
            name=op.f("fk_crossing_countries_crossing_id_crossings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("crossing_id", "position", name=op.f("pk_crossing_countries")),
    )
    with op.batch_alter_table("crossing_countries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crossing_countries_code"), ["code"], unique=False)

    conn = op.get_bind()
    conn.execute(
        sa.text(
            "INSERT INTO crossing_countries (crossing_id, position, code)"
            " SELECT id, 0, country_a FROM crossings"
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO crossing_countries (crossing_id, position, code)"
            " SELECT id, 1, country_b FROM crossings WHERE country_b <> country_a"
        )
    )
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=10), nullable=True))
    conn.execute(sa.text("UPDATE crossings SET kind = 'land'"))
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=10), nullable=False)
        batch_op.drop_column("country_a")
        batch_op.drop_column("country_b")

    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_in", sa.String(length=200), nullable=True))
    op.create_table(
        "instrument_parties",
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instruments.id"],
            name=op.f("fk_instrument_parties_instrument_id_instruments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("instrument_id", "position", name=op.f("pk_instrument_parties")),
    )
    op.create_table(
        "calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applies_to", sa.String(length=200), nullable=False),
        sa.Column("weekend", sa.String(length=40), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendars")),
        sa.UniqueConstraint("applies_to", name=op.f("uq_calendars_applies_to")),
    )
    op.create_table(
        "calendar_holidays",
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["calendars.id"],
            name=op.f("fk_calendar_holidays_calendar_id_calendars"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("calendar_id", "day", name=op.f("pk_calendar_holidays")),
    )


def downgrade() -> None:
    """Back to two country columns: a crossing with one country repeats it; a third country
    and beyond, the crossing kinds, the parties and the calendars are dropped."""
    op.drop_table("calendar_holidays")
    op.drop_table("calendars")
    op.drop_table("instrument_parties")
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.drop_column("signed_in")
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country_a", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("country_b", sa.String(length=2), nullable=True))
    conn = op.get_bind()
    first = "SELECT code FROM crossing_countries x WHERE x.crossing_id = crossings.id"
    conn.execute(
        sa.text(
            f"UPDATE crossings SET country_a = ({first} AND x.position = 0),"
            f" country_b = COALESCE(({first} AND x.position = 1), ({first} AND x.position = 0))"
        )
    )
    with op.batch_alter_table("crossings", schema=None) as batch_op:
        batch_op.alter_column("country_a", existing_type=sa.String(length=2), nullable=False)
        batch_op.alter_column("country_b", existing_type=sa.String(length=2), nullable=False)
        batch_op.drop_column("kind")
    with op.batch_alter_table("crossing_countries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crossing_countries_code"))
    op.drop_table("crossing_countries")
