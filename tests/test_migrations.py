"""Migrations are the schema's only author: the models and migrations must not drift."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext

from corridor.db import SCHEMA_HEAD, Location, make_engine, schema_version
from corridor.migrate import alembic_config, head_revision, upgrade


def test_schema_head_constant_matches_the_migrations():
    assert head_revision() == SCHEMA_HEAD


def test_models_and_migrations_do_not_drift(empty_url):
    engine = make_engine(Location(empty_url, "test"))
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.check(cfg)  # raises if autogenerate would produce any operation
    engine.dispose()


def test_upgrade_on_a_new_database_reaches_head_and_is_repeatable(new_url):
    loc = Location(new_url, "test")
    assert upgrade(loc) == (None, SCHEMA_HEAD, False)
    assert upgrade(loc, seed=True) == (SCHEMA_HEAD, SCHEMA_HEAD, False)
    engine = make_engine(loc)
    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_HEAD
        assert MigrationContext.configure(conn).get_current_revision() == SCHEMA_HEAD
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert {"crossings", "instruments", "periods", "deadlines", "coverage"} <= tables
