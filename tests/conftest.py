"""Shared fixtures. Every test database is real: a SQLite file, or a PostgreSQL database on
the server named by CORRIDOR_TEST_DB (e.g. postgresql://postgres@127.0.0.1:5433/postgres).

The same tests run on both: `.ci/run` runs the suite once per backend. Each test gets its own
database, cloned from a template that was migrated (and loaded) once per session.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings as hypothesis_settings

from corridor.db.connect import Location, make_engine

# CI runs every property test on the same examples (a run that fails there fails again, the
# same way, on any machine) and without per-example deadlines, which a loaded machine misses;
# a developer's run explores new examples each time. .ci/run sets HYPOTHESIS_PROFILE=ci.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The instant the test databases were created, as the audit trail records it.
TEST_NOW = datetime(2026, 1, 1, tzinfo=UTC)

BACKEND = os.environ.get("CORRIDOR_TEST_DB", "sqlite")
IS_PG = BACKEND.startswith("postgres")


def _pg_admin():
    url = sa.make_url(BACKEND.replace("postgresql://", "postgresql+psycopg://", 1))
    return url, sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


class Databases:
    """Creates databases on the backend under test: empty, migrated, or migrated + reference."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.templates: dict[str, str] = {}
        self.made: list[str] = []
        if IS_PG:
            self.admin_url, self.admin = _pg_admin()

    def new_url(self) -> str:
        """A URL for a database that exists but holds nothing (PostgreSQL) or no file yet."""
        name = f"corridor_test_{uuid.uuid4().hex[:12]}"
        if not IS_PG:
            return f"sqlite:///{self.tmp / (name + '.sqlite3')}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def template(self, kind: str) -> str:
        if kind not in self.templates:
            from corridor.store.migrate import upgrade

            url = self.new_url()
            upgrade(Location(url, "test"), seed=kind == "reference", now=TEST_NOW)
            self.templates[kind] = url
        return self.templates[kind]

    def clone(self, kind: str) -> str:
        source = self.template(kind)
        if not IS_PG:
            target = self.tmp / f"corridor_test_{uuid.uuid4().hex[:12]}.sqlite3"
            shutil.copyfile(sa.make_url(source).database, target)
            return f"sqlite:///{target}"
        name = f"corridor_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(
                f'CREATE DATABASE "{name}" TEMPLATE "{sa.make_url(source).database}"'
            )
        self.made.append(name)
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if IS_PG:
            with self.admin.connect() as conn:
                for name in self.made:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    dbs = Databases(tmp_path_factory.mktemp("databases"))
    yield dbs
    dbs.drop_all()


@pytest.fixture
def reference_url(databases) -> str:
    """A fresh database at the schema head, loaded with the bundled reference dataset."""
    return databases.clone("reference")


@pytest.fixture
def empty_url(databases) -> str:
    """A fresh database at the schema head with no records."""
    return databases.clone("migrated")


@pytest.fixture
def new_url(databases) -> str:
    """A database corridor has never touched."""
    return databases.new_url()


@pytest.fixture
def engine_for():
    made = []

    def make(url: str):
        engine = make_engine(Location(url, "test"))
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()


@pytest.fixture(autouse=True)
def isolated_user(tmp_path, monkeypatch):
    """No test reads the real user's config or data dir, or the machine's timezone."""
    monkeypatch.setenv("CORRIDOR_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("NO_COLOR", "1")
    for var in (
        "CORRIDOR_DATABASE_URL",
        "CORRIDOR_TZ",
        "CORRIDOR_REFERENCE",
        "CORRIDOR_DEBUG",
        "COLUMNS",
    ):
        monkeypatch.delenv(var, raising=False)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run the real CLI in-process, through its error boundary; returns code, stdout, stderr."""
    from corridor.cli.main import run

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = run(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke


@pytest.fixture
def http():
    """A real HTTP receiver on 127.0.0.1 (Apprise json:// webhooks, the heartbeat)."""
    from receivers import Http

    server = Http()
    yield server
    server.close()


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 (aiosmtpd, for Apprise mailto://)."""
    from receivers import Smtp

    server = Smtp()
    yield server
    server.close()
