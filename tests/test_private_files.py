"""Private files (README "Guarantees"): a new SQLite record, its folder and its side files are
the user's only, and a config file holding a credential must be."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import IS_PG


@pytest.mark.skipif(IS_PG or os.name != "posix", reason="SQLite files on POSIX")
def test_new_sqlite_record_and_its_folder_are_private(cli, tmp_path):
    r = cli("crossing", "list")  # the default database in the (test) user data dir
    assert r.code == 0, r.err
    folder = tmp_path / "data" / "corridor"
    db = folder / "corridor.sqlite3"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS probe (x)")
    conn.execute("INSERT INTO probe VALUES (1)")
    conn.commit()
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db}{suffix}")
        assert side.exists() and stat.S_IMODE(side.stat().st_mode) == 0o600, suffix
    conn.close()


@pytest.mark.skipif(IS_PG or os.name != "posix", reason="SQLite files on POSIX")
def test_a_database_named_with_db_is_created_private(cli, tmp_path):
    path = tmp_path / "team.sqlite3"
    assert cli("db", "upgrade", "--empty", "--db", str(path)).code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_config_file_with_secrets_must_be_private(cli, tmp_path, monkeypatch):
    from corridor.cli.config import check_private
    from corridor.core.errors import UsageError

    config = tmp_path / "config.toml"
    config.write_text('database_url = "postgresql://alice:S3cret@127.0.0.1:1/c"\n')
    config.chmod(0o644)
    with pytest.raises(UsageError) as caught:
        check_private(config)
    assert f"chmod 600 {config}" in caught.value.hint
    monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
    r = cli("db", "path")
    assert r.code == 2 and "chmod 600" in r.err and "S3cret" not in r.err + r.out
    config.chmod(0o600)
    check_private(config)
    r = cli("db", "path")
    assert r.code == 0 and "S3cret" not in r.out + r.err and "alice:***@" in r.out
