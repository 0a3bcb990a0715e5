"""Re-deriving one instrument's coverage and deadline rows (corridor.core.derive.plan) in the
caller's transaction. Only that instrument's rows are touched."""

from __future__ import annotations

import sqlalchemy as sa

from corridor.core.derive import Instrument, Plan, plan
from corridor.db import tables as t
from corridor.store.instrument_rows import derive_input, read_instrument


def load(conn: sa.Connection, instrument_id: int) -> Instrument:
    """Read one instrument as derivation takes it: its record as stored, through the one
    conversion (corridor.store.instrument_rows.derive_input)."""
    return derive_input(read_instrument(conn, instrument_id))


def rederive(
    conn: sa.Connection, instrument_id: int, inst: Instrument | None = None, *, fresh: bool = False
) -> Plan:
    """Replace this instrument's coverage and deadline rows, inside the caller's transaction.
    A caller that has just written the instrument passes it as `inst` (no re-read), and
    `fresh=True` when it is new (nothing to delete)."""
    result = plan(inst if inst is not None else load(conn, instrument_id))
    if not fresh:
        conn.execute(sa.delete(t.coverage).where(t.coverage.c.instrument_id == instrument_id))
        conn.execute(sa.delete(t.deadlines).where(t.deadlines.c.instrument_id == instrument_id))
    if result.coverage:
        conn.execute(sa.insert(t.coverage), result.coverage)
    if result.deadlines:
        conn.execute(sa.insert(t.deadlines), result.deadlines)
    return result
