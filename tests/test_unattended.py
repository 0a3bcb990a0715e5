"""Unattended commands (check, alerts run, alerts status) never create, migrate or load a
database: a mistyped --db, an empty database or one older than the code is an answer
(UNKNOWN for check, exit 4 for alerts), and the database is left exactly as it was."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import IS_PG
from corridor.db.connect import Location, resolve_location

UNATTENDED = [
    ("check",),
    ("alerts", "run", "--stdout"),
    ("alerts", "status"),
]


def expected(url: str) -> str:
    where = resolve_location(url, {}).display
    return f"no corridor database at {where}; create it with `corridor db upgrade`"


def tables(url: str) -> set[str]:
    engine = sa.create_engine(resolve_location(url, {}).url, poolclass=sa.pool.NullPool)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def answered(r, argv) -> str:
    """The one line an unattended command answers with, whichever convention it follows."""
    if argv[0] == "check":
        assert r.code == 3 and r.err == "", r
        assert r.out.startswith("CORRIDOR UNKNOWN - ") and r.out.count("\n") == 1
        return r.out.removeprefix("CORRIDOR UNKNOWN - ").strip()
    assert r.code == 4 and r.out == "", r
    assert r.err.startswith("Error: ")
    return r.err.removeprefix("Error: ").strip()


@pytest.mark.parametrize("argv", UNATTENDED)
def test_a_database_that_does_not_exist_is_not_created(cli, new_url, argv):
    """SQLite: a file that does not exist. PostgreSQL: a database with nothing in it."""
    r = cli(*argv, "--db", new_url)
    assert answered(r, argv) == expected(new_url)
    if IS_PG:
        assert tables(new_url) == set()  # not migrated, not loaded
    else:
        assert not sa.make_url(new_url).database or not _exists(new_url)


def _exists(url: str) -> bool:
    from pathlib import Path

    return Path(sa.make_url(url).database).exists()


@pytest.mark.parametrize("argv", UNATTENDED)
def test_an_empty_file_or_a_mistyped_path_is_not_used(cli, tmp_path, argv):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    r = cli(*argv, "--db", str(empty))
    assert answered(r, argv) == expected(str(empty))
    assert empty.stat().st_size == 0
    typo = tmp_path / "typo.sqlite3"
    r = cli(*argv, "--db", str(typo))
    assert answered(r, argv) == expected(str(typo))
    assert not typo.exists()


@pytest.mark.parametrize("argv", UNATTENDED)
def test_the_default_database_is_not_created_either(cli, tmp_path, argv):
    """Under Nagios the `nagios` user silently got a reference database in its HOME."""
    r = cli(*argv)
    assert "no corridor database at sqlite:///" in answered(r, argv)
    assert not (tmp_path / "data" / "corridor" / "corridor.sqlite3").exists()


@pytest.mark.parametrize("argv", UNATTENDED)
def test_an_older_database_is_refused_never_migrated(cli, new_url, argv):
    from corridor.store.migrate import upgrade

    upgrade(Location(resolve_location(new_url, {}).url, "test"), "0006")
    r = cli(*argv, "--db", new_url)
    message = answered(r, argv)
    assert "is at schema 0006" in message and "corridor db upgrade" in message
    engine = sa.create_engine(resolve_location(new_url, {}).url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0006"
    engine.dispose()


@pytest.mark.skipif(not IS_PG, reason="a password in a PostgreSQL URL")
def test_the_location_is_redacted(cli, new_url):
    url = sa.make_url(new_url).set(password="s3cret-pw").render_as_string(hide_password=False)
    for argv in UNATTENDED:
        r = cli(*argv, "--db", url)
        assert "s3cret-pw" not in r.out + r.err
        assert answered(r, argv).startswith("no corridor database at postgresql")


def test_an_existing_database_still_works(cli, reference_url):
    assert cli("check", "--as-of", "2022-11-01", "--db", reference_url).code == 0
    assert cli("alerts", "status", "--db", reference_url).code == 0
    r = cli("alerts", "run", "--stdout", "--as-of", "2022-11-01", "--db", reference_url)
    assert r.code == 0
