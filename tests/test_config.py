"""`corridor config`, and errors that name where a bad setting came from (issue 7)."""

from __future__ import annotations

import json

import pytest

from corridor.core.errors import EXIT_USAGE


def _settings(cli, *extra) -> dict:
    r = cli("config", "-f", "json", *extra)
    assert r.code == 0, r.err
    return {i["setting"]: (i["value"], i["source"]) for i in json.loads(r.out)["items"]}


def test_config_shows_every_setting_and_its_source(cli, monkeypatch, tmp_path):
    s = _settings(cli)
    assert set(s) == {
        "config_file", "database_url", "timezone", "reference", "user", "colour", "table_width",
    }  # fmt: skip
    assert s["timezone"] == ("UTC", "the system zone (TZ or /etc/localtime)")
    assert s["database_url"][1] == "default (user data dir)"
    assert s["reference"] == (True, "default")
    assert s["config_file"][1].startswith("CORRIDOR_CONFIG (no such file")

    config = tmp_path / "c.toml"
    config.write_text('timezone = "Asia/Damascus"\nreference = false\n'
                      'database_url = "sqlite:///x.sqlite3"\n')  # fmt: skip
    monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
    s = _settings(cli)
    assert s["timezone"] == ("Asia/Damascus", f"timezone in {config}")
    assert s["reference"] == (False, f"reference in {config}")
    assert s["database_url"] == ("sqlite:///x.sqlite3", f"database_url in {config}")
    monkeypatch.setenv("CORRIDOR_TZ", "Europe/Istanbul")
    monkeypatch.setenv("CORRIDOR_DATABASE_URL", "sqlite:///y.sqlite3")
    monkeypatch.setenv("CORRIDOR_USER", "amira")
    s = _settings(cli)
    assert s["timezone"] == ("Europe/Istanbul", "CORRIDOR_TZ")
    assert s["database_url"] == ("sqlite:///y.sqlite3", "CORRIDOR_DATABASE_URL")
    assert s["user"] == ("amira", "CORRIDOR_USER")
    s = _settings(cli, "--tz", "America/New_York", "--db", "sqlite:///z.sqlite3")
    assert s["timezone"] == ("America/New_York", "--tz")
    assert s["database_url"] == ("sqlite:///z.sqlite3", "--db")
    monkeypatch.setenv("COLUMNS", "80")
    assert _settings(cli)["table_width"] == (80, "COLUMNS")
    table = cli("config", "--wide").out.splitlines()
    assert table[0].split() == ["SETTING", "VALUE", "FROM"]


def test_config_hides_a_password(cli):
    s = _settings(cli, "--db", "postgresql://alice:secret@db.example/corridor")
    assert s["database_url"][0] == "postgresql+psycopg://alice:***@db.example/corridor"


@pytest.mark.parametrize("where", ["flag", "env", "file"])
def test_a_bad_timezone_names_where_it_came_from(cli, reference_url, monkeypatch, tmp_path, where):
    extra = []
    if where == "flag":
        extra, source = ["--tz", "Mars/Olympus"], "--tz"
    elif where == "env":
        monkeypatch.setenv("CORRIDOR_TZ", "Mars/Olympus")
        source = "CORRIDOR_TZ"
    else:
        config = tmp_path / "c.toml"
        config.write_text('timezone = "Mars/Olympus"\n')
        monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
        source = f"timezone in {config}"
    for argv in (["status"], ["upcoming"], ["crossing", "show", "bab al hawa"]):
        r = cli(*argv, *extra, "--db", reference_url)
        assert r.code == EXIT_USAGE
        assert r.err.splitlines()[0] == f'Error: unknown timezone "Mars/Olympus" (from {source})'
    assert "not a known zone" in _settings(cli, *extra)["timezone"][1]
