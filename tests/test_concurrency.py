"""Several corridor processes on one record at once (README "Guarantees").

Every process here is the real CLI (`python -m corridor`) started at the same moment as the
others. Writers take turns under the write lock (corridor.db.connect.make_engine); a lock
conflict is waited for or retried (corridor.store.retry). So: every command succeeds or fails
for its own reason, nobody sees "database is locked" or a serialization error, and no update
is lost.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from conftest import IS_PG

LOCK_WORDS = ("locked", "serializ", "deadlock", "could not obtain lock", "busy", "Traceback")


def corridor(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "corridor", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def at_once(jobs) -> list:
    """Run each job (a function of no arguments) in its own thread, all released together;
    returns their results in order."""
    results: list = [None] * len(jobs)
    gate = threading.Barrier(len(jobs))

    def go(i, job):
        gate.wait()
        try:
            results[i] = job()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            results[i] = exc

    threads = [threading.Thread(target=go, args=(i, j)) for i, j in enumerate(jobs)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return results


def no_lock_errors(procs) -> None:
    for p in procs:
        assert not any(w in p.stderr for w in LOCK_WORDS), p.stderr


def record(url: str) -> dict:
    """The whole record, as `corridor export --format json` gives it (run in this process:
    only the concurrent commands need processes of their own)."""
    from corridor.cli.main import run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["export", "--format", "json", "--db", url])
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def aliases_of(url: str, slug: str) -> list[str]:
    return next(c for c in record(url)["crossings"] if c["slug"] == slug).get("aliases", [])


WORKERS = 8
EDITS_EACH = 2


def test_eight_concurrent_alias_writers_lose_no_update(reference_url):
    """Defect 1: eight processes each add aliases to the same crossing, one run per alias.
    Every run says it added its alias, and every alias is there afterwards."""
    before = aliases_of(reference_url, "bab-al-hawa")

    def worker(w: int):
        runs = []
        for k in range(EDITS_EACH):
            runs.append(
                corridor("crossing", "alias", "bab al hawa", f"Gate {w} {k}", "--db", reference_url)
            )
        return runs

    runs = [p for batch in at_once([lambda w=w: worker(w) for w in range(WORKERS)]) for p in batch]
    no_lock_errors(runs)
    assert [p.returncode for p in runs] == [0] * len(runs), [p.stderr for p in runs]
    after = aliases_of(reference_url, "bab-al-hawa")
    wanted = {f"Gate {w} {k}" for w in range(WORKERS) for k in range(EDITS_EACH)}
    lost = wanted - set(after)
    assert not lost, f"{len(lost)} of {len(wanted)} updates lost"
    assert set(before) <= set(after)
    # The audit trail's "old value" was read under the lock too: each entry's old record is
    # exactly the previous entry's new one, so the trail shows every step.
    import sqlalchemy as sa

    from corridor.db.connect import Location, make_engine

    engine = make_engine(Location(reference_url, "test"), read_only=True)
    with engine.connect() as conn:
        trail = conn.execute(
            sa.text(
                "SELECT old_value, new_value FROM changes WHERE entity = 'crossing'"
                " AND record_key = 'bab-al-hawa' AND action = 'updated' ORDER BY id"
            )
        ).all()
    engine.dispose()
    assert len(trail) == len(wanted)
    for (_old, new), (old, _new) in zip(trail, trail[1:], strict=False):
        assert json.loads(old) == json.loads(new)
    # The audit trail's "old value" was read under the lock too: each entry's old alias list
    # is exactly the previous entry's new one, so the trail shows every step.
    log = json.loads(
        corridor(
            "log",
            "--crossing",
            "bab-al-hawa",
            "-n",
            "1000",
            "--format",
            "json",
            "--db",
            reference_url,
        ).stdout
    )["items"]
    chain = [e for e in reversed(log) if e.get("action") == "updated"]
    assert len(chain) >= len(wanted)


def test_one_name_never_lands_on_two_crossings(reference_url):
    """Defect 2: three processes give the same new name to three crossings at once: exactly
    one wins, the others are refused (exit 5), and the name still resolves."""
    targets = ["bab al hawa", "bab al salam", "al-ramtha"]
    for trial in range(2):
        name = f"Shared {trial}"
        procs = at_once(
            [
                lambda c=c, n=name: corridor("crossing", "alias", c, n, "--db", reference_url)
                for c in targets
            ]
        )
        no_lock_errors(procs)
        codes = sorted(p.returncode for p in procs)
        assert codes == [0, 5, 5], [p.stderr for p in procs]
        owners = [
            c["slug"] for c in record(reference_url)["crossings"] if name in c.get("aliases", [])
        ]
        assert len(owners) == 1


def test_end_of_knowledge_never_moves_backwards_under_concurrent_adds(reference_url):
    """Defect 3: eight `add`s with different adoption dates at once; the end of the record's
    knowledge ends at the latest of them, not at whichever wrote last."""
    days = [f"2025-0{m}-1{d}" for m, d in zip(range(2, 10), range(8), strict=True)]

    def add(i: int, day: str):
        return corridor(
            "add",
            f"S/RES/{9100 + i} (2025)",
            "--adopted",
            day,
            "--for",
            "30d",
            "-c",
            "bab al hawa",
            "--db",
            reference_url,
        )

    procs = at_once([lambda i=i, d=d: add(i, d) for i, d in enumerate(days)])
    no_lock_errors(procs)
    assert [p.returncode for p in procs] == [0] * len(procs), [p.stderr for p in procs]
    # Each crossing has its own horizon (docs/time.md): Bab al-Hawa's is the latest adoption.
    shown = corridor("status", "-c", "bab al hawa", "-f", "json", "--db", reference_url)
    assert json.loads(shown.stdout)["items"][0]["record_ends"] == max(days)


def _big_import(tmp_path: Path, n: int) -> Path:
    """A record file with `n` instruments on one new crossing."""
    lines = [
        "corridor: 1",
        "crossings:",
        "  - slug: test-gate",
        "    name: Test Gate",
        "    countries: [SY, TR]",
        "instruments:",
    ]
    for i in range(n):
        year, day = 2000 + i // 300, 1 + i % 300
        lines += [
            f"  - symbol: TEST/{i}",
            "    kind: consent",
            "    authority: Test authority",
            "    timezone: UTC",
            f"    adopted: {year}-01-01",
            "    periods:",
            "      - crossings: [test-gate]",
            f"        start: {year}-01-01",
            f"        until: {year}-{1 + day // 28:02d}-{1 + day % 28:02d}",
        ]
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_edits_imports_and_reports_at_once(reference_url, tmp_path):
    """Eight processes: two long imports, three editors, three readers (reports and exports).
    All succeed; no lock error reaches anyone; every edit is kept; every import is whole."""
    big = _big_import(tmp_path, 150)
    small = tmp_path / "small.yaml"
    small.write_text(
        "corridor: 1\ncrossings:\n  - slug: other-gate\n    name: Other Gate\n"
        "    countries: [SY, JO]\n"
    )

    def importer(path: Path):
        return [corridor("import", str(path), "--yes", "--db", reference_url)]

    def editor(w: int):
        return [
            corridor("crossing", "alias", "al-ramtha", f"Edit {w} {k}", "--db", reference_url)
            for k in range(2)
        ]

    def reader(w: int):
        runs = []
        runs.append(corridor("upcoming", "--within", "3650", "--db", reference_url))
        runs.append(corridor("status", "--db", reference_url))
        runs.append(
            corridor("export", "--db", reference_url)
            if w == 0
            else corridor("log", "--db", reference_url)
        )
        return runs

    jobs = [lambda: importer(big), lambda: importer(small)]
    jobs += [lambda w=w: editor(w) for w in range(3)]
    jobs += [lambda w=w: reader(w) for w in range(3)]
    runs = [p for batch in at_once(jobs) for p in batch]
    no_lock_errors(runs)
    assert [p.returncode for p in runs] == [0] * len(runs), [p.stderr for p in runs if p.returncode]
    rec = record(reference_url)
    symbols = {i["symbol"] for i in rec["instruments"]}
    assert {f"TEST/{i}" for i in range(150)} <= symbols
    aliases = aliases_of(reference_url, "al-ramtha")
    assert {f"Edit {w} {k}" for w in range(3) for k in range(2)} <= set(aliases)
    assert "other-gate" in {c["slug"] for c in rec["crossings"]}


def _hold_write_lock(url: str):
    """Take the write lock the way a writer does, in this process; returns (conn, release)."""
    if IS_PG:
        import psycopg

        from corridor.db.connect import WRITE_LOCK

        conn = psycopg.connect("postgresql://" + url.split("://", 1)[1])
        conn.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        return conn.rollback, conn.close
    import sqlite3

    conn = sqlite3.connect(url[len("sqlite:///") :], isolation_level=None)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE record_meta SET value = value")
    return (lambda: conn.execute("ROLLBACK")), conn.close


def test_readers_do_not_wait_for_a_writer_and_a_writer_waits_a_bounded_time(reference_url):
    """While another writer holds the write lock (here: this test, for as long as it likes),
    reports and exports still answer, and a second writer gets a clear "busy" error (exit 4)
    after the bounded wait ($CORRIDOR_BUSY_TIMEOUT), never the driver's "database is locked"."""
    rollback, close = _hold_write_lock(reference_url)
    try:
        for args in (("status",), ("upcoming",), ("export",), ("crossing", "list")):
            p = corridor(*args, "--db", reference_url, timeout=30)
            assert p.returncode == 0, p.stderr
        env = dict(os.environ, CORRIDOR_BUSY_TIMEOUT="1")
        p = subprocess.run(
            [sys.executable, "-m", "corridor", "crossing", "alias", "al-rai", "Waiting"]
            + ["--db", reference_url],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert p.returncode == 4, p.stderr
        assert "busy" in p.stderr and "database is locked" not in p.stderr
        assert "Traceback" not in p.stderr
    finally:
        rollback()
        close()
    assert "Waiting" not in aliases_of(reference_url, "al-rai")
