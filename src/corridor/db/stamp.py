"""The record's stamp: one counter that every change to a stamped table moves, written by
database triggers so that no writer can forget it, corridor or not (docs/alerts.md, "A quiet
run is remembered").

`alerts run` remembers a run that had nothing to send, with the stamp it read before it read
anything else. A later run that finds the same stamp knows that nothing it reads has changed.
The triggers are created by the migrations (0011 onward): a migration that adds a table, or
recreates one (SQLite's batch mode drops a table's triggers), creates them with `create_sql`.
tests/test_stamp.py checks that every table but EXEMPT carries them, and that a change to any
of them moves the stamp, on both backends.
"""

from __future__ import annotations

# Not stamped: Alembic's own table, the run log (written by every run, read by no plan), and
# the stamp and the memo themselves.
EXEMPT = frozenset({"alembic_version", "alert_runs", "record_stamp", "alert_quiet"})

BUMP = "UPDATE record_stamp SET n = n + 1 WHERE id = 1"

# PostgreSQL: one function, and a statement-level trigger per table (a bulk load pays once per
# statement). A statement that changes no row still moves the stamp: a memo forgotten for
# nothing costs one full run, never a missed alert.
PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION corridor_stamp() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
)
PG_DROP_FUNCTION = "DROP FUNCTION IF EXISTS corridor_stamp()"

_SQLITE_OPS = {"ins": "INSERT", "upd": "UPDATE", "del": "DELETE"}


def create_sql(dialect: str, table: str) -> list[str]:
    """The statements that make a change to `table` move the stamp."""
    if dialect == "sqlite":  # row-level only, in SQLite: fires for the rows changed
        return [
            f"CREATE TRIGGER stamp_{table}_{short} AFTER {op} ON {table} BEGIN {BUMP}; END"
            for short, op in _SQLITE_OPS.items()
        ]
    return [
        f"CREATE TRIGGER stamp_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION corridor_stamp()"
    ]


def drop_sql(dialect: str, table: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS stamp_{table}_{short}" for short in _SQLITE_OPS]
    return [f"DROP TRIGGER IF EXISTS stamp_{table} ON {table}"]
