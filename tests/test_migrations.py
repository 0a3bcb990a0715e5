"""Migrations are the schema's only author: the models and migrations must not drift."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext

from conftest import TEST_NOW
from corridor.db.connect import SCHEMA_HEAD, Location, make_engine, schema_version
from corridor.store.migrate import alembic_config, head_revision, upgrade


def _two_countries(conn, crossing_id) -> tuple[str, str]:
    from corridor.db.lookup import crossing_countries

    codes = crossing_countries(conn, crossing_id)
    assert len(codes) == 2  # the reference crossings are all land borders
    return codes[0], codes[1]


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
    assert upgrade(loc, seed=True, now=TEST_NOW) == (SCHEMA_HEAD, SCHEMA_HEAD, False)
    engine = make_engine(loc)
    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_HEAD
        assert MigrationContext.configure(conn).get_current_revision() == SCHEMA_HEAD
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert {"crossings", "instruments", "periods", "deadlines", "coverage"} <= tables


def test_upgrade_from_0001_keeps_the_reference_rows_and_adds_the_audit_trail(
    new_url, reference_url, cli
):
    """A database migrated to 0001 and filled with the reference rows (copied table by table
    from a current one, as a 0001 corridor would have written them) upgrades to head intact."""
    from corridor.db import tables as t

    # The derived tables are left empty: revision 0003 rebuilds them with today's derivation.
    derived = ("coverage", "deadlines", "crossing_facts")
    later = ("crossing_countries", "instrument_parties", "calendars", "calendar_holidays")  # 0007
    later += ("plans",)  # 0009
    later += ("record_stamp",)  # 0011 (and alert_quiet, an alert_ table)
    old_tables = [
        x
        for x in t.metadata.sorted_tables
        if x.name not in ("changes", "change_crossings", "crossing_keys", *derived, *later)
        and not x.name.startswith("alert_")
    ]
    loc = Location(new_url, "test")
    engine = make_engine(loc, foreign_keys=False)
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
        assert schema_version(conn) == "0001"
        assert not sa.inspect(conn).has_table("changes")
    source = make_engine(Location(reference_url, "test"))
    counts = {}
    with source.connect() as src, engine.begin() as dst:
        for table in old_tables:  # only the columns revision 0001 had
            if not sa.inspect(dst).has_table(table.name):  # added later (0006): empty
                counts[table.name] = 0
                continue
            names = {c["name"] for c in sa.inspect(dst).get_columns(table.name)}
            rows = [
                dict(r._mapping)
                for r in src.execute(
                    # in key order: a renewal's row after the row it renews (its foreign key)
                    sa.select(*(c for c in table.c if c.name in names)).order_by(
                        *table.primary_key.columns
                    )
                )
            ]
            if table.name == "crossings":  # before 0007, two columns held the two countries
                for row in rows:
                    row["country_a"], row["country_b"] = _two_countries(src, row["id"])
                dst.execute(sa.insert(sa.table("crossings", *map(sa.column, rows[0]))), rows)
                counts[table.name] = len(rows)
                continue
            counts[table.name] = len(rows)
            if rows:  # through a table of those columns: no defaults for later columns
                then = sa.table(
                    table.name, *(sa.column(c.name, c.type) for c in table.c if c.name in names)
                )
                dst.execute(sa.insert(then), rows)
        if dst.dialect.name == "postgresql":  # rows came with their ids: move the sequences on
            for table in old_tables:
                if "id" in table.c and counts[table.name]:
                    dst.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
    engine.dispose()
    with source.connect() as src:
        for name in derived:
            counts[name] = src.execute(
                sa.select(sa.func.count()).select_from(t.metadata.tables[name])
            ).scalar()
    source.dispose()
    assert counts["instruments"] == 21 and counts["deadlines"] > 0

    before, after, _seeded = upgrade(loc)
    assert (before, after) == ("0001", SCHEMA_HEAD)
    engine = make_engine(loc)
    with engine.connect() as conn:
        # Revision 0007 moved the two country columns into crossing_countries, in order.
        ids = [r.id for r in conn.execute(sa.select(t.crossings.c.id))]
        with make_engine(Location(reference_url, "test")).connect() as src:
            assert {i: _two_countries(conn, i) for i in ids} == {
                i: _two_countries(src, i) for i in ids
            }
        assert set(conn.execute(sa.select(t.crossings.c.kind)).scalars()) == {"land"}
        for table in [*old_tables, *(t.metadata.tables[name] for name in derived)]:
            assert (
                conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
                == counts[table.name]
            ), table.name
        assert conn.execute(sa.select(sa.func.count()).select_from(t.changes)).scalar() == 0
    engine.dispose()
    # The upgraded record reads, exports and edits like a new one.
    # ... but for what no old column could hold: the caveat (revision 0010) is new.
    import yaml

    upgraded = yaml.safe_load(cli("export", "--db", new_url).out)
    reference = yaml.safe_load(cli("export", "--db", reference_url).out)
    assert [i.pop("caveat", None) for i in reference["instruments"]].count(None) == 20
    assert upgraded == reference
    r = cli("draft", "2024-12-01", "A draft after the upgrade", "--kind", "other",
            "-c", "bab al hawa", "--by", "upgrader", "--db", new_url)  # fmt: skip
    assert r.code == 0, r.err
    assert "upgrader  draft: created event 2024-12-01" in cli("log", "--db", new_url).out
