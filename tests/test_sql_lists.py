"""corridor.db.sql: IN lists of any length (a long one goes through json_each on SQLite, where
thousands of named parameters cost quadratic time to prepare) give the same rows as short
ones, for integers, text and dates, on both backends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from corridor.db.connect import connect_reader, resolve_location
from corridor.db.sql import LONG_LIST


@pytest.fixture
def db(reference_url):
    rd = connect_reader(resolve_location(reference_url, {}), create=False)
    yield rd
    rd.close()


def test_long_and_short_lists_find_the_same_rows(db):
    every = db.rows(
        "SELECT d.id, c.slug, i.symbol, d.due_date FROM deadlines d JOIN crossings c "
        "ON c.id = d.crossing_id JOIN instruments i ON i.id = d.instrument_id"
    )
    ids = sorted({r.id for r in every})
    long_ids = ids + list(range(10**6, 10**6 + 2 * LONG_LIST))  # padded with ids not there
    assert len(long_ids) > LONG_LIST >= 5
    found = db.rows("SELECT id FROM deadlines WHERE id IN :ids ORDER BY id", ids=long_ids)
    assert [r.id for r in found] == ids
    short = db.rows("SELECT id FROM deadlines WHERE id IN :ids ORDER BY id", ids=ids[:5])
    assert [r.id for r in short] == ids[:5]

    symbols = sorted({r.symbol for r in every})
    padded = symbols + [f"no such symbol {n}" for n in range(LONG_LIST)]
    rows = db.rows("SELECT DISTINCT symbol FROM instruments WHERE symbol IN :s", s=padded)
    assert sorted(r.symbol for r in rows) == symbols

    days = sorted({r.due_date for r in every})
    padded_days = days + [date(1900, 1, 1) + timedelta(days=n) for n in range(LONG_LIST)]
    rows = db.rows("SELECT DISTINCT due_date FROM deadlines WHERE due_date IN :d", d=padded_days)
    assert sorted(r.due_date for r in rows) == days


def test_an_empty_list_matches_nothing(db):
    assert db.rows("SELECT id FROM crossings WHERE id IN :ids", ids=[]) == []
