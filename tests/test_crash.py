"""Crash trials: SIGKILL at random moments during a large import (README "Guarantees").

A warm driver process imports the CLI once, then forks one child per trial that runs the real
`corridor import` (corridor.cli.main.run, the CLI's error boundary); the test kills the child
with SIGKILL after a random delay drawn over the length of a whole import. Forking keeps each
trial to the import itself, so 50 trials stay cheap. After each kill:

- SQLite: `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` is empty;
- the import is all or nothing: none or all of its records, and audit entries to match;
- the record still answers `status` at the end.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from conftest import IS_PG
from corridor.db.connect import Location, make_engine

TRIALS = 50
SIZE = 60  # instruments per import

DRIVER = r"""
import json, os, sys
from corridor.cli.main import register_commands, run
register_commands(["import"])
import corridor.services.edit, corridor.store.writer, corridor.record.format, yaml  # warm
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "reap":
        print(json.dumps(os.waitpid(-1, 0)[1]), flush=True)
        continue
    args = json.loads(line)
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os._exit(run(args))
    print(pid, flush=True)
"""


def _record_file(tmp: Path, trial: int, n: int) -> Path:
    lines = ["corridor: 1", "crossings:", f"  - slug: crash-gate-{trial}"]
    lines += [f"    name: Crash Gate {trial}", "    countries: [SY, TR]", "instruments:"]
    for i in range(n):
        year, day = 2000 + i // 300, i % 300
        lines += [
            f"  - symbol: CRASH/{trial}/{i}",
            "    kind: consent",
            "    authority: Crash test authority",
            "    timezone: UTC",
            f"    adopted: {year}-01-01",
            "    periods:",
            f"      - crossings: [crash-gate-{trial}]",
            f"        start: {year}-01-01",
            f"        until: {year}-{1 + day // 28:02d}-{1 + day % 28:02d}",
        ]
    path = tmp / f"crash-{trial}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _state(engine, trial: int) -> tuple[int, int, int]:
    """(instruments of this trial's import, its crossing, audit entries) as stored now."""
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT COUNT(*) FROM instruments WHERE symbol LIKE :p"),
            dict(p=f"CRASH/{trial}/%"),
        ).scalar()
        gate = conn.execute(
            sa.text("SELECT COUNT(*) FROM crossings WHERE slug = :s"),
            dict(s=f"crash-gate-{trial}"),
        ).scalar()
        audit = conn.execute(sa.text("SELECT COUNT(*) FROM changes")).scalar()
    return found, gate, audit


def _sqlite_intact(url: str) -> None:
    import sqlite3

    conn = sqlite3.connect(url[len("sqlite:///") :])
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


class Driver:
    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DRIVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        assert self.proc.stdout.readline().strip() == "ready"

    def start(self, args: list[str]) -> int:
        self.proc.stdin.write(json.dumps(args) + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def reap(self) -> int:
        """The child's wait status (the child stays a zombie until then: its pid is not reused)."""
        self.proc.stdin.write("reap\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def test_sigkill_during_a_large_import_leaves_all_or_nothing(reference_url, tmp_path, cli):
    rng = random.Random(int(os.environ.get("CORRIDOR_CRASH_SEED", "11")))
    driver = Driver()
    engine = make_engine(Location(reference_url, "test"), read_only=True)
    try:
        # A whole import, not killed: how long one takes here, and what "all" looks like.
        before = _state(engine, 0)[2]
        began = time.monotonic()
        driver.start(
            ["import", str(_record_file(tmp_path, 0, SIZE)), "--yes", "--db", reference_url]
        )
        assert os.waitstatus_to_exitcode(driver.reap()) == 0
        whole = time.monotonic() - began
        assert _state(engine, 0) == (SIZE, 1, before + SIZE + 1)

        outcomes = {"nothing": 0, "all": 0}
        for trial in range(1, TRIALS + 1):
            path = _record_file(tmp_path, trial, SIZE)
            audit_before = _state(engine, trial)[2]
            pid = driver.start(["import", str(path), "--yes", "--db", reference_url])
            time.sleep(rng.uniform(0, whole))
            os.kill(pid, signal.SIGKILL)  # a zombie until reaped: the pid is still ours
            status = driver.reap()
            if not IS_PG:
                _sqlite_intact(reference_url)
            found, gate, audit = _state(engine, trial)
            if found == 0:
                assert (gate, audit) == (0, audit_before), trial
                outcomes["nothing"] += 1
            else:
                assert (found, gate, audit) == (SIZE, 1, audit_before + SIZE + 1), trial
                outcomes["all"] += 1
            assert os.WIFSIGNALED(status) or os.waitstatus_to_exitcode(status) == 0
            path.unlink()
        sys.__stdout__.write(  # past capsys: shown with pytest -s
            f"\ncrash trials: {TRIALS} SIGKILLs, {outcomes}, 0 corrupt, 0 partial; "
            f"one whole import took {whole:.2f} s\n"
        )
        assert outcomes["nothing"] >= TRIALS // 5  # most kills land while the import runs
    finally:
        driver.close()
        engine.dispose()
    r = cli("status", "--db", reference_url)
    assert r.code == 0, r.err
    assert cli("export", "--db", reference_url).code == 0
