"""`check -t SECONDS`: UNKNOWN (exit 3) when the time is up, before the monitoring system kills
the plugin and calls it CRITICAL. Real locks, held by another process: SQLite `BEGIN
EXCLUSIVE` on a file in rollback-journal mode, PostgreSQL `LOCK TABLE … ACCESS EXCLUSIVE`;
and a server that accepts the connection and never answers. The holders keep their lock for
a minute, so a check that did not time out would answer something other than UNKNOWN."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
import sqlalchemy as sa

from conftest import IS_PG
from corridor.db.connect import resolve_location

HOLD_SQLITE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=DELETE")
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(60)
"""
HOLD_PG = """
import sys, time, psycopg
conn = psycopg.connect(sys.argv[1])
conn.execute(
    "LOCK TABLE alembic_version, crossings, coverage, deadlines, instruments "
    "IN ACCESS EXCLUSIVE MODE"
)
print("locked", flush=True)
time.sleep(60)
"""


def run_check(url: str, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDOR_DATABASE")}
    return subprocess.run(
        [sys.executable, "-m", "corridor", "check", "--db", url, "--as-of", "2022-12-20", *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=50,
    )


@pytest.fixture
def locked(reference_url):
    """The reference database, locked by another process until the test ends."""
    if IS_PG:
        target = "postgresql://" + resolve_location(reference_url, {}).url.split("://", 1)[1]
        script = HOLD_PG
    else:
        target = sa.make_url(reference_url).database
        script = HOLD_SQLITE
    holder = subprocess.Popen(
        [sys.executable, "-c", script, target], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield reference_url
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_held_by_another_process_is_unknown_not_a_hang(locked):
    run = run_check(locked, "-t", "2")
    assert run.returncode == 3, run
    assert run.stdout.startswith("CORRIDOR UNKNOWN - timed out after 2 s waiting for the database")
    assert run.stdout.count("\n") == 1
    assert run.stderr == ""


def test_once_the_lock_is_gone_the_same_check_answers(reference_url):
    run = run_check(reference_url, "-t", "2", "--tz", "America/New_York")
    assert run.returncode == 1 and run.stdout.startswith("CORRIDOR WARNING - ")


def test_a_server_that_never_answers_is_unknown(reference_url):
    """The driver is stuck inside C waiting for a reply: SIGALRM or, failing that, the timer
    thread answers for it."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)  # accepts the TCP connection (the backlog), never says a word
        port = server.getsockname()[1]
        run = run_check(f"postgresql://nobody@127.0.0.1:{port}/corridor", "-t", "1")
    assert run.returncode == 3, run
    assert run.stdout.startswith("CORRIDOR UNKNOWN - timed out after 1 s"), run.stdout
    assert run.stdout.count("\n") == 1


def test_the_timeout_counts_from_the_start_of_each_run(cli, reference_url, monkeypatch):
    """A test runner (or any host) that runs many commands in one long-lived process: each
    run of check has its own -t, however long the process has lived."""
    from corridor.cli import clock

    monkeypatch.setattr(clock, "STARTED", clock.monotonic() - 3600)
    r = cli("check", "-t", "5", "--as-of", "2022-12-20", "--db", reference_url)
    assert r.out.startswith("CORRIDOR WARNING - "), r.out
