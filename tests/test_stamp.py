"""The record's stamp (corridor.db.stamp) and what the memo of a quiet run reads
(corridor.store.quiet): every table but the exempt ones carries the triggers, a change to any
of them moves the stamp, and the memo's lists of instants and zones name every such column."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from conftest import IS_PG
from corridor.db import tables as t
from corridor.db import tables_ops
from corridor.db.connect import Location, make_engine
from corridor.db.stamp import EXEMPT
from corridor.db.types import UTCDateTime
from corridor.store.quiet import INSTANT_COLUMNS, ZONE_COLUMNS

OPS = {
    v.name for v in vars(tables_ops).values() if isinstance(v, sa.Table)
}  # the operational tables


def _stamp(conn) -> int:
    return conn.exec_driver_sql("SELECT n FROM record_stamp WHERE id = 1").scalar()


def _triggered(conn) -> set[str]:
    """The tables that carry a stamp trigger (all three of them, on SQLite)."""
    if IS_PG:
        rows = conn.exec_driver_sql(
            "SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid"
            " WHERE g.tgname = 'stamp_' || c.relname AND NOT g.tgisinternal"
        )
        return {r[0] for r in rows}
    rows = conn.exec_driver_sql("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
    names: dict[str, set[str]] = {}
    for table, name in rows:
        names.setdefault(table, set()).add(name)
    want = {"ins", "upd", "del"}
    return {
        table for table, found in names.items() if found == {f"stamp_{table}_{w}" for w in want}
    }


def test_every_table_but_the_exempt_ones_moves_the_stamp(reference_url):
    engine = make_engine(Location(reference_url, "test"))
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        assert _triggered(conn) == tables - EXEMPT
    engine.dispose()


def test_a_change_to_any_stamped_table_moves_the_stamp_and_the_run_log_does_not(reference_url):
    """Each table with rows in the reference record: one UPDATE that changes nothing still
    counts (the triggers never look at values)."""
    engine = make_engine(Location(reference_url, "test"), foreign_keys=False)
    moved = []
    with engine.begin() as conn:
        for table in t.metadata.sorted_tables:
            if table.name in EXEMPT:
                continue
            column = next(iter(table.primary_key.columns)).name
            if not conn.exec_driver_sql(f"SELECT 1 FROM {table.name} LIMIT 1").first():
                continue
            before = _stamp(conn)
            conn.exec_driver_sql(
                f"UPDATE {table.name} SET {column} = {column}"
                f" WHERE {column} = (SELECT MIN({column}) FROM {table.name})"
            )
            assert _stamp(conn) > before, table.name
            moved.append(table.name)
        before = _stamp(conn)
        conn.execute(
            t.alert_runs.insert().values(
                started_at=datetime(2026, 1, 1, tzinfo=UTC),
                as_of=date(2026, 1, 1),
                queued=0,
                sent=0,
                failed=0,
            )
        )
        assert _stamp(conn) == before
    engine.dispose()
    assert {"deadlines", "coverage", "instruments", "crossing_facts", "crossings"} <= set(moved)


def test_the_memo_reads_every_instant_and_every_zone_the_record_holds():
    """Every instant column of the record's tables (and when an alert was sent, which the
    closures read) is in INSTANT_COLUMNS; every zone column is in ZONE_COLUMNS."""
    instants: dict[str, set[str]] = {}
    zones: dict[str, str] = {}
    for table in t.metadata.sorted_tables:
        for column in table.columns:
            if table.name not in OPS and isinstance(column.type, UTCDateTime):
                instants.setdefault(table.name, set()).add(column.name)
            if column.name == "timezone":
                zones[table.name] = column.name
    instants["alert_outbox"] = {"sent_at"}
    assert {k: set(v) for k, v in INSTANT_COLUMNS.items()} == instants
    assert zones == ZONE_COLUMNS
