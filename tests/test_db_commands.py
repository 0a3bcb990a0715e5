"""`db current` and `db upgrade`: an unsupported database URL is SQLite or PostgreSQL only,
said plainly, asking creates no file, and a database from a newer corridor is exit 4."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from conftest import IS_PG
from corridor.core.errors import EXIT_USAGE


@pytest.mark.parametrize("url", ["mysql://user@localhost/corridor", "oracle://u@h/x"])
def test_an_unsupported_database_url_says_so(cli, url):
    for argv in (["status"], ["db", "current"], ["add", "X", "--adopted", "2025-01-01"]):
        r = cli(*argv, "--db", url)
        assert r.code == EXIT_USAGE, (argv, r.err)
        assert "SQLite or PostgreSQL only" in r.err and "driver" not in r.err


@pytest.mark.skipif(IS_PG, reason="a SQLite file")
def test_db_current_creates_no_file(cli, tmp_path):
    target = tmp_path / "absent.sqlite3"
    r = cli("db", "current", "--db", str(target))
    assert r.code == 0
    assert r.out.startswith("none (no database file yet")
    assert not target.exists()


def test_db_current_on_an_existing_database(cli, reference_url):
    r = cli("db", "current", "-f", "json", "--db", reference_url)
    assert json.loads(r.out)["up_to_date"] is True


def test_db_upgrade_of_a_database_from_a_newer_corridor_is_exit_4(cli, reference_url, engine_for):
    with engine_for(reference_url).begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'zzzz'"))
    r = cli("db", "upgrade", "--db", reference_url)
    assert r.code == 4 and "zzzz" in r.err and "Traceback" not in r.err
