"""Reads without SQLAlchemy: a thin layer over the DB-API driver (sqlite3 or psycopg).

Why: the read paths (upcoming, status, shell completion) run on every TAB press and every cron
tick, and importing SQLAlchemy costs ~180 ms of a ~300 ms run (benchmarks/README.md). Reports
are a handful of fixed SELECTs, so they are plain SQL here. SQLAlchemy stays the schema's
definition (db/tables.py) and the only way to write (store/writer.py; store/migrate.py runs
Alembic).

SQL uses `:name` parameters; a list value expands to `(:name_0, :name_1, …)` for IN clauses,
or on SQLite, past LONG_LIST values, to `(SELECT value FROM json_each(:name))`: SQLite looks
each named parameter up among those already seen, so a list of thousands (check's crossings
at 100 000 deadlines) costs quadratic time to prepare.
Rows have attribute access, and date/time columns come back as `date` / aware UTC `datetime`
on both backends (SQLite stores them as ISO text).
"""

from __future__ import annotations

import json
import re
from collections import namedtuple
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, TypeAlias, Union

if TYPE_CHECKING:  # never imported at run time: read paths do without SQLAlchemy
    from sqlalchemy.engine import Connection

# Result columns that hold dates, instants and booleans (by name, whatever the query).
DATES = frozenset(
    {
        "due_date",
        "known_from",
        "void_from",
        "decided_on",
        "review_date",
        "start_date",
        "end_date",
        "continues_after",
        "known_until",
        "adopted",
        "event_date",
        "last_end",
        "as_of",
        "until",
        "notified_on",
        "terminated_effective",
        "terminated_known",
        "fact_day",
        "on_date",
        "until_date",
    }
)
INSTANTS = frozenset(
    {
        "due_at",
        "next_at",
        "checked_at",
        "quiet_until",
        "ends_at",
        "starts_at",
        "known_at",
        "void_at",
        "last_ends_at",
        "queued_at",
        "claimed_at",
        "sent_at",
        "started_at",
        "acked_at",
        "adopted_at",
        "decided_at",
        "event_at",
        "notified_at",
        "known_until_at",
        "terminated_known_at",
        "inst_known_at",
        "created_at",
        "updated_at",
    }
)
BOOLS = frozenset({"conditional", "auto_renews"})

LONG_LIST = 64  # values; SQLite's JSON functions are built in from 3.38 (Python 3.11: 3.40)
_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=128)
def _row_type(names: tuple[str, ...]):
    return namedtuple("Row", names, rename=True)


def _to_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _to_instant(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _converter(name: str):
    """How a result column named `name` is converted (None: kept as the driver gives it)."""
    if name in DATES:
        return _to_date
    if name in INSTANTS:
        return _to_instant
    if name in BOOLS:
        return bool
    return None


@lru_cache(maxsize=128)
def _converters(names: tuple[str, ...]) -> tuple[tuple[int, object], ...]:
    """(column index, converter) for each column of a result that needs converting."""
    found = ((i, _converter(n)) for i, n in enumerate(names))
    return tuple((i, conv) for i, conv in found if conv is not None)


def _sqlite_value(value):
    """Dates and instants as SQLite stores them (corridor.db.types): ISO dates, naive UTC text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


class Reader:
    """A read-only view of a DB-API connection, for `sqlite3` or `psycopg`."""

    def __init__(
        self, dbapi_conn, dialect: str, owned: bool = True, busy_seconds: float | None = None
    ):
        self.raw, self.dialect, self._owned = dbapi_conn, dialect, owned
        # The bound on waiting for a writer (corridor.db.connect.busy_seconds_of): the
        # Location's, or the SQLAlchemy connection's it wraps; None: the default.
        self.busy_seconds = busy_seconds

    def _compile(self, sql: str, params: dict) -> tuple[str, dict]:
        flat: dict = {}

        def repl(m: re.Match) -> str:
            name = m.group(1)
            value = params[name]
            types = (
                set(map(type, value))
                if self.dialect == "sqlite"
                and isinstance(value, (list, tuple))
                and len(value) > LONG_LIST
                else None
            )
            if types is not None and all(issubclass(t, (int, str, date)) for t in types):
                ints = types == {int}  # ids: as they are
                flat[name] = json.dumps(value if ints else [_sqlite_value(v) for v in value])
                return f"(SELECT value FROM json_each({self._placeholder(name)}))"
            if isinstance(value, (list, tuple, set, frozenset)):
                names = [f"{name}_{i}" for i in range(len(value))] or [f"{name}_none"]
                flat.update(zip(names, value, strict=False))
                if not value:
                    flat[f"{name}_none"] = None
                return "(" + ", ".join(self._placeholder(n) for n in names) + ")"
            flat[name] = value
            return self._placeholder(name)

        text = _PARAM.sub(repl, sql)
        if self.dialect == "sqlite":
            flat = {k: _sqlite_value(v) for k, v in flat.items()}
        return text, flat

    def _placeholder(self, name: str) -> str:
        return f":{name}" if self.dialect == "sqlite" else f"%({name})s"

    def rows(self, sql: str, **params) -> list:
        text, values = self._compile(sql, params)
        cur = self.raw.cursor()
        try:
            cur.execute(text, values)
            names = tuple(d[0] for d in cur.description)
            found = cur.fetchall()
        finally:
            cur.close()
        make = _row_type(names)._make
        convs = _converters(names)
        if not convs:
            return list(map(make, found))
        out = []
        for raw in found:  # the hot loop of every read path: convert only what needs it
            row = list(raw)
            for i, conv in convs:
                if row[i] is not None:
                    row[i] = conv(row[i])  # type: ignore[operator]
            out.append(make(row))
        return out

    def first(self, sql: str, **params):
        found = self.rows(sql, **params)
        return found[0] if found else None

    def scalar(self, sql: str, **params):
        row = self.first(sql, **params)
        return None if row is None else row[0]

    def execute(self, sql: str, **params) -> None:
        """One statement outside any transaction (the connection autocommits): the one write
        a read path makes is `alerts run` noting a run that had nothing to send."""
        text, values = self._compile(sql, params)
        if self.dialect == "sqlite":  # instants as SQLAlchemy stores them on SQLite: naive UTC
            values = {
                k: _sqlite_instant(params[k]) if _is_instant(params, k) else v
                for k, v in values.items()
            }
        cur = self.raw.cursor()
        try:
            cur.execute(text, values)
        finally:
            cur.close()

    def has_table(self, name: str) -> bool:
        if self.dialect == "sqlite":
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"
        else:
            sql = (
                "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                "AND tablename = :name"
            )
        return self.scalar(sql, name=name) is not None

    def close(self) -> None:
        if self._owned:
            self.raw.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _is_instant(params: dict, key: str) -> bool:
    return isinstance(params.get(key), datetime)


def _sqlite_instant(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


# What a read service takes as its connection: a Reader (the read paths), or an open SQLAlchemy
# Connection (a read inside a write transaction, sharing it). The two share no interface of
# their own: a service turns either into a Reader with `reader(conn)`.
ReadConn: TypeAlias = Union[Reader, "Connection"]  # noqa: UP007 (Connection is not imported)


def reader(conn: ReadConn) -> Reader:
    """A Reader for a Reader, or for an open SQLAlchemy Connection (sharing its transaction)."""
    if isinstance(conn, Reader):
        return conn
    busy = conn.get_execution_options().get("corridor_busy_seconds")
    return Reader(conn.connection.dbapi_connection, conn.dialect.name, False, busy)
