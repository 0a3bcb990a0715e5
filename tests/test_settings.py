"""One typed Settings (corridor.cli.config): built once from the environment and the config
file, then passed down. Nothing below `corridor/cli/` reads the environment: `environment_reads`
walks every module's syntax tree, and the tests below show it finds each way of reading it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import corridor
from corridor.cli.config import Settings, busy_seconds, load_settings
from corridor.core.errors import UsageError
from corridor.db.connect import DEFAULT_BUSY_SECONDS, busy_seconds_of, make_engine
from syntax import bindings, dotted

PACKAGE = Path(corridor.__file__).resolve().parent
CLI = "cli"

# Reading the process environment, called or passed around.
ENVIRONMENT = {"os.environ", "os.environb", "os.getenv", "os.getenvb", "posix.environ"}


def environment_reads(package: Path) -> list[str]:
    """Every read of the environment outside cli/, as 'path:line name'."""
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] == CLI:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = bindings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute | ast.Name):
                name = dotted(node, names)
                if name in ENVIRONMENT:
                    found.append(f"{relative.as_posix()}:{node.lineno} {name}")
    return found


def test_nothing_below_the_cli_reads_the_environment():
    assert environment_reads(PACKAGE) == []


@pytest.mark.parametrize(
    "source",
    [
        'import os\n\nURL = os.environ.get("CORRIDOR_DATABASE_URL")\n',
        'import os\n\nURL = os.environ["CORRIDOR_DATABASE_URL"]\n',
        'import os\n\nURL = os.getenv("CORRIDOR_DATABASE_URL")\n',
        'from os import environ\n\nURL = environ.get("CORRIDOR_DATABASE_URL")\n',
        'from os import getenv as g\n\nURL = g("CORRIDOR_DATABASE_URL")\n',
        "import os as system\n\nURL = dict(system.environ)\n",
        'def colour():\n    import os\n\n    return "NO_COLOR" in os.environ\n',
    ],
)
def test_the_environment_check_finds_each_kind_of_read(source, tmp_path):
    """The check bites: a read in a service is found, the same read in the CLI is not."""
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "reports.py").write_text(source)
    (tmp_path / "cli").mkdir()
    (tmp_path / "cli" / "config.py").write_text(source)
    found = environment_reads(tmp_path)
    assert len(found) == 1 and found[0].startswith("services/reports.py:"), found


def test_paths_and_other_os_calls_are_not_the_environment(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "files.py").write_text(
        "import os\n\nSEP = os.sep\nMODE = os.stat('.').st_mode\nNAME = 'environ'\n"
    )
    assert environment_reads(tmp_path) == []


# ---------------------------------------------------------------- the settings themselves


def _clean(monkeypatch, tmp_path) -> None:
    for name in ("CORRIDOR_DATABASE_URL", "CORRIDOR_BUSY_TIMEOUT", "CORRIDOR_REFERENCE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("CORRIDOR_TZ", "CORRIDOR_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CORRIDOR_CONFIG", str(tmp_path / "none.toml"))


def test_settings_come_from_the_environment_once(monkeypatch, tmp_path):
    _clean(monkeypatch, tmp_path)
    db = tmp_path / "x.sqlite3"
    monkeypatch.setenv("CORRIDOR_DATABASE_URL", str(db))
    monkeypatch.setenv("CORRIDOR_BUSY_TIMEOUT", "7.5")
    monkeypatch.setenv("CORRIDOR_REFERENCE", "off")
    monkeypatch.setenv("CORRIDOR_TZ", "Asia/Damascus")
    settings = load_settings()
    for name in ("CORRIDOR_DATABASE_URL", "CORRIDOR_BUSY_TIMEOUT", "CORRIDOR_TZ"):
        monkeypatch.delenv(name)  # built once: later changes to the environment do not reach it
    assert isinstance(settings, Settings)
    loc = settings.location(None)
    assert loc.url == f"sqlite:///{db}" and loc.source == "$CORRIDOR_DATABASE_URL"
    assert loc.busy_seconds == 7.5
    assert settings.location("other.sqlite3").busy_seconds == 7.5  # --db keeps the bound
    assert (settings.reference, settings.reference_source) == (False, "CORRIDOR_REFERENCE")
    assert settings.zone(None) == ("Asia/Damascus", "CORRIDOR_TZ")
    assert settings.zone("UTC") == ("UTC", "--tz")
    with pytest.raises(AttributeError):
        settings.busy_seconds = 1.0  # type: ignore[misc]


def test_the_busy_bound_reaches_the_engine(monkeypatch, tmp_path):
    _clean(monkeypatch, tmp_path)
    monkeypatch.setenv("CORRIDOR_BUSY_TIMEOUT", "3")
    engine = make_engine(load_settings().location(str(tmp_path / "y.sqlite3")))
    try:
        assert busy_seconds_of(engine) == 3.0
        with engine.connect() as conn:
            ms = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert ms == 3000
    finally:
        engine.dispose()


@pytest.mark.parametrize("text", ["soon", "0", "-1", "86401"])
def test_a_bad_busy_timeout_is_a_usage_error(text):
    with pytest.raises(UsageError, match="CORRIDOR_BUSY_TIMEOUT"):
        busy_seconds(text)


def test_no_busy_timeout_is_the_default():
    assert busy_seconds("") == busy_seconds("  ") == DEFAULT_BUSY_SECONDS


def test_a_bad_busy_timeout_fails_the_command(cli, reference_url, monkeypatch):
    monkeypatch.setenv("CORRIDOR_BUSY_TIMEOUT", "soon")
    r = cli("status", "--db", reference_url)
    assert r.code == 2 and "CORRIDOR_BUSY_TIMEOUT" in r.err


def test_config_shows_where_each_setting_came_from(cli, monkeypatch, tmp_path):
    _clean(monkeypatch, tmp_path)
    monkeypatch.setenv("CORRIDOR_REFERENCE", "0")
    monkeypatch.setenv("CORRIDOR_USER", "  amira ")
    rows = {r["setting"]: r for r in json.loads(cli("config", "--format", "json").out)["items"]}
    assert (rows["reference"]["value"], rows["reference"]["source"]) == (
        False,
        "CORRIDOR_REFERENCE",
    )
    assert (rows["user"]["value"], rows["user"]["source"]) == ("amira", "CORRIDOR_USER")
    assert rows["colour"]["source"] == "NO_COLOR"  # the test environment sets it
