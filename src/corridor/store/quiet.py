"""The stamp and the memo of a quiet run, in plain SQL (docs/alerts.md, "A quiet run is
remembered"): read and written on the nothing-due path of `alerts run`, which never imports
SQLAlchemy (corridor.db.sql)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from corridor.db.sql import ReadConn, reader

# Every stored instant that a rule compares with the instant asked about: a plan's answer can
# change only when one of them is passed (or at a midnight: corridor.services.alerts_quiet).
# tests/test_stamp.py checks that this lists every instant column of the record's tables.
INSTANT_COLUMNS: dict[str, tuple[str, ...]] = {
    "crossings": ("known_until_at",),
    "unknown_spans": ("starts_at", "ends_at", "known_at"),
    "instruments": ("known_at", "adopted_at", "terminated_known_at"),
    "reviews": ("decided_at",),
    "periods": ("ends_at",),
    "objections": ("notified_at",),
    "events": ("event_at",),
    "crossing_facts": ("known_at",),
    "coverage": ("starts_at", "ends_at", "known_at", "void_at"),
    "deadlines": ("due_at", "known_at", "void_at"),
    "alert_outbox": ("sent_at",),  # closures look back from it
}
# Every zone the record names: a rule may read a date in any of them.
ZONE_COLUMNS = {"instruments": "timezone", "unknown_spans": "timezone"}


@dataclass(frozen=True)
class Memo:
    stamp: int
    checked_at: datetime
    quiet_until: datetime


def stamp(conn: ReadConn) -> int | None:
    """The record's stamp now; None when its row is missing (a memo is then never used)."""
    return reader(conn).scalar("SELECT n FROM record_stamp WHERE id = 1")


# A memo a run at :at may trust: the record's stamp unchanged since, :at in
# [checked_at, quiet_until) (docs/alerts.md, "A quiet run is remembered").
_IN_FORCE = (
    " WHERE stamp = (SELECT n FROM record_stamp WHERE id = 1)"
    " AND checked_at <= :at AND quiet_until > :at"
)


def recall(conn: ReadConn, fingerprint: str, at: datetime) -> Memo | None:
    """The memo for `fingerprint` that says a run at `at` has nothing to send, if any."""
    row = reader(conn).first(
        "SELECT stamp, checked_at, quiet_until FROM alert_quiet"
        + _IN_FORCE
        + " AND fingerprint = :f",
        f=fingerprint,
        at=at,
    )
    return None if row is None else Memo(row.stamp, row.checked_at, row.quiet_until)


def remember(conn: ReadConn, fingerprint: str, memo: Memo) -> None:
    """Keep `memo` for `fingerprint` (one row each; the newest run's wins)."""
    reader(conn).execute(
        "INSERT INTO alert_quiet (fingerprint, stamp, checked_at, quiet_until)"
        " VALUES (:f, :stamp, :checked_at, :quiet_until)"
        " ON CONFLICT (fingerprint) DO UPDATE SET stamp = excluded.stamp,"
        " checked_at = excluded.checked_at, quiet_until = excluded.quiet_until",
        f=fingerprint,
        stamp=memo.stamp,
        checked_at=memo.checked_at,
        quiet_until=memo.quiet_until,
    )


def next_instant(conn: ReadConn, after: datetime, before: datetime) -> datetime | None:
    """The first stored instant in (after, before), of INSTANT_COLUMNS: one scan per table."""
    db = reader(conn)
    least = "MIN" if db.dialect == "sqlite" else "LEAST"  # the scalar one: of its arguments
    parts = []
    for table, cols in INSTANT_COLUMNS.items():
        each = [f"CASE WHEN {c} > :after AND {c} < :before THEN {c} ELSE :before END" for c in cols]
        first = f"{least}({', '.join(each)})" if len(each) > 1 else each[0]
        parts.append(f"SELECT MIN({first}) AS next_at FROM {table}")
    found = db.rows(" UNION ALL ".join(parts), after=after, before=before)
    instants = [r.next_at for r in found if r.next_at is not None and r.next_at < before]
    return min(instants) if instants else None


def zones(conn: ReadConn) -> set[str]:
    """Every zone name the record holds."""
    sql = " UNION ".join(f"SELECT DISTINCT {col} AS z FROM {t}" for t, col in ZONE_COLUMNS.items())
    return {r.z for r in reader(conn).rows(sql) if r.z}


def in_force(conn: ReadConn, now: datetime) -> list:
    """The memos, of every fingerprint, that a run at `now` would trust (`alerts status`)."""
    return reader(conn).rows(
        "SELECT checked_at, quiet_until FROM alert_quiet"
        + _IN_FORCE
        + " ORDER BY quiet_until, checked_at",
        at=now,
    )
