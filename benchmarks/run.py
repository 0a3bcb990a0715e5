"""Whole-process timings of corridor's read paths against synthetic records of N deadlines.

Each measurement is a fresh process, forked by a small spawner (spawn.py) that times it up to
`os.wait4`, which also gives that child's own peak RSS. Every round runs every command at
every size, in a rotating order, so that a noisy machine's drift hits them all alike; round 0
is a discarded warm-up. Reported: medians, ratios to two floors, peak RSS, flatness across
sizes and the heavy modules each read path imports. A benchmark, not a test: nothing here
asserts on speed.

    python benchmarks/run.py                      # N = 50, 10 000, 100 000; 15 runs
    python benchmarks/run.py --sizes 50,10000 --runs 5 --json results.json
    python benchmarks/run.py --smoke              # CI: N = 50, 3 runs; fails only if a command does
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from report import render
from spawn import Spawner

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"

AS_OF = "2026-06-01"
WITHIN = 90
HEAVY = ("alembic", "apprise", "icalendar", "sqlalchemy.orm", "pendulum", "rich")
HEAVY += ("sqlalchemy", "pydantic")  # not forbidden, but worth seeing
FLOOR_A = "import typer, sqlalchemy.orm, pendulum"
FLOOR_B = """\
import json, sqlite3, sys
path, start, end = sys.argv[1:4]
con = sqlite3.connect(path)
cur = con.execute(
    "SELECT d.due_date, d.due_at, d.kind, d.note, d.uid, i.symbol, i.timezone, c.name, c.slug"
    " FROM deadlines d JOIN instruments i ON i.id = d.instrument_id"
    " JOIN crossings c ON c.id = d.crossing_id"
    " WHERE d.due_date BETWEEN ? AND ? AND d.known_from <= ?"
    " AND (d.void_from IS NULL OR d.void_from > ?)"
    " ORDER BY d.due_at, d.kind, i.symbol, c.name",
    (start, end, start, start),
)
keys = [c[0] for c in cur.description]
print(json.dumps([dict(zip(keys, row)) for row in cur]))
"""
READ_PATHS = ("upcoming", "status", "completion", "check", "alerts run")  # heavy-import scan


@dataclass
class Command:
    name: str
    size: int | None  # None: does not depend on the database
    argv: list[str]
    env: dict[str, str]
    expects_output: bool = True
    ok_codes: tuple[int, ...] = (0,)  # check: 0 OK, 1 WARNING, 2 CRITICAL are all answers
    samples: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    items: int | None = None

    @property
    def key(self) -> str:
        return self.name if self.size is None else f"{self.name}@{self.size}"


def build(python: str, n: int, instruments: int | None, rebuild: bool) -> tuple[str, dict]:
    """The database for `n` (cached by generate.py), built by the interpreter under test."""
    argv = [python, str(HERE / "generate.py"), str(n)]
    argv += (["--instruments", str(instruments)] if instruments else []) + (
        ["--rebuild"] if rebuild else []
    )
    proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=True)
    built = json.loads(proc.stdout)
    return built["url"], built["meta"]


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "CORRIDOR" not in k}
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    # An installed corridor runs from bytecode (pip compiles it). With PYTHONDONTWRITEBYTECODE
    # set, a source checkout would be compiled again on every run: ~40 modules, tens of ms.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["CORRIDOR_CONFIG"] = str(OUT / "no-such-config.toml")  # never read a user's config
    env["NO_COLOR"] = "1"
    return env


def commands_for(size: int, url: str, python: str) -> list[Command]:
    env = base_env()
    common = ["--db", url, "--tz", "UTC", "--as-of", AS_OF]
    complete_env = env | {
        "CORRIDOR_DATABASE_URL": url,  # completion resolves the URL without --db
        "_CORRIDOR_COMPLETE": "complete_bash",
        "COMP_WORDS": "corridor upcoming --crossing Cross",
        "COMP_CWORD": "3",
    }
    end = date.fromisoformat(AS_OF) + timedelta(days=WITHIN)
    db_path = url.removeprefix("sqlite:///")
    script = str(Path(python).parent / "corridor")
    upcoming = [python, "-m", "corridor", "upcoming", "-f", "json", *common]
    status = [python, "-m", "corridor", "status", "-f", "json", *common]
    return [
        Command("upcoming", size, upcoming, env),
        Command("upcoming -c", size, [*upcoming, "--crossing", "x-00001"], env),
        Command("status", size, status, env),
        Command("status -c", size, [*status, "--crossing", "x-00001"], env),
        Command("completion", size, [script], complete_env),
        Command("floor B", size, [python, "-c", FLOOR_B, db_path, AS_OF, str(end)], env),
        Command("check", size, [python, "-m", "corridor", "check", *common], env, True, (0, 1, 2)),
        # Round 0 (discarded) queues and prints what is due; every measured run after it is
        # the nothing-due path an hourly cron job takes (docs/alerts.md): it finds the memo
        # of a quiet run ("A quiet run is remembered") and skips the plan.
        Command(
            "alerts run",
            size,
            [python, "-m", "corridor", "alerts", "run", "--stdout", *common],
            env,
            False,
        ),  # fmt: skip
        # The same with `remember_quiet = false`: every run plans in full, as the first run
        # after a change to the record, or after a memo's quiet_until, does.
        Command(
            "alerts run (planned)",
            size,
            [python, "-m", "corridor", "alerts", "run", "--stdout", *common],
            env | {"CORRIDOR_CONFIG": str(_planned_config())},
            False,
        ),  # fmt: skip
    ]


def _planned_config() -> Path:
    path = OUT / "planned.toml"
    path.write_text("[alerts]\nremember_quiet = false\n")
    path.chmod(0o600)  # corridor reads a config file only if it is private
    return path


def count_items(cmd: Command, stdout: bytes) -> int | None:
    if cmd.name == "completion":
        return len(stdout.decode().splitlines())
    if cmd.name.startswith(("upcoming", "status")):
        return len(json.loads(stdout)["items"])
    if cmd.name == "floor B":
        return len(json.loads(stdout))
    return None


def measure(commands: list[Command], runs: int, python: str) -> int:
    """Run every round; returns the spawner's own peak RSS (KiB), the floor under every
    child's figure."""
    spawner = Spawner(python)
    try:
        with tempfile.TemporaryDirectory(prefix="corridor-bench-") as tmp:
            out, err = Path(tmp, "stdout"), Path(tmp, "stderr")
            for rnd in range(runs + 1):
                shift = rnd % len(commands)
                for cmd in commands[shift:] + commands[:shift]:
                    sample = spawner.run(cmd.argv, cmd.env, str(out), str(err))
                    stdout = out.read_bytes()
                    # bash completion escapes the space (cli/complete.py): Crossing\ 00001
                    wrong = cmd.name == "completion" and b"Crossing\\ 00001" not in stdout
                    if (
                        sample["rc"] not in cmd.ok_codes
                        or (cmd.expects_output and not stdout.strip())
                        or wrong
                    ):
                        why = f"exit {sample['rc']}" if sample["rc"] else "empty or wrong output"
                        tail = err.read_bytes().decode(errors="replace").strip()[-600:]
                        cmd.failures.append(f"{why}: {tail}")
                    elif cmd.items is None:
                        cmd.items = count_items(cmd, stdout)
                    if rnd:  # round 0 warms the caches and is discarded
                        cmd.samples.append(sample)
                print(f"  round {rnd}/{runs} done", file=sys.stderr, flush=True)
        return spawner.own_peak_kib()
    finally:
        spawner.close()


_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)\s*$")


def import_scan(cmd: Command) -> dict:
    """Run once with -X importtime (as an env var, so the console script gets it too)."""
    proc = subprocess.run(
        cmd.argv, env=cmd.env | {"PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True, check=False
    )
    cumulative: dict[str, int] = {}
    top: list[tuple[int, str]] = []
    for line in proc.stderr.decode(errors="replace").splitlines():
        m = _IMPORT_LINE.match(line)
        if not m:
            continue
        us, name = int(m.group(2)), m.group(4)
        cumulative[name] = max(cumulative.get(name, 0), us)
        if not m.group(3):  # imported at top level by the program itself
            top.append((us, name))
    heavy = {}
    for mod in HEAVY:
        hits = [n for n in cumulative if n == mod or n.startswith(mod + ".")]
        if hits:
            heavy[mod] = round(cumulative.get(mod, max(cumulative[n] for n in hits)) / 1000, 1)
    total = round(sum(us for us, _ in top) / 1000, 1)
    heaviest = [(name, round(us / 1000, 1)) for us, name in sorted(top, reverse=True)[:6]]
    return {"heavy": heavy, "import_ms": total, "heaviest": heaviest}


def default_python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"  # not resolved: the symlink is the venv
    return str(venv) if venv.exists() else sys.executable


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="50,10000,100000", help="deadline counts, comma-separated")
    p.add_argument("--runs", type=int, default=15, help="measured runs per command (default 15)")
    p.add_argument(
        "--import-n",
        type=int,
        default=10000,
        metavar="K",
        help="also time importing a record of exactly K instruments (0: skip)",
    )
    p.add_argument("--json", metavar="FILE", help="write the raw results here")
    p.add_argument("--smoke", action="store_true", help="N=50, 3 runs, no import timing (CI)")
    p.add_argument("--rebuild", action="store_true", help="rebuild the cached databases")
    p.add_argument("--python", default=default_python(), help="the interpreter with corridor")
    args = p.parse_args(argv)
    if args.smoke:
        args.sizes, args.runs, args.import_n = "50", 3, 0
    args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    builds, commands, imported = {}, [], None
    try:
        for size in args.sizes:
            url, builds[size] = build(args.python, size, None, args.rebuild)
            commands += commands_for(size, url, args.python)
        if args.import_n:  # always a fresh build: a cached database has no import to time
            _url, imported = build(args.python, 0, args.import_n, True)
    except subprocess.CalledProcessError as exc:
        print(f"FAILED building a database: {exc}", file=sys.stderr)
        return 1
    commands.append(Command("floor A", None, [args.python, "-c", FLOOR_A], base_env(), False))
    compile_corridor(args.python)

    print(f"measuring {len(commands)} commands x {args.runs} runs ...", file=sys.stderr)
    floor_kib = measure(commands, args.runs, args.python)
    scans = {c.key: import_scan(c) for c in commands if c.name in READ_PATHS}

    summary = {}
    for c in commands:
        ms = [s["ms"] for s in c.samples]
        summary[c.key] = {
            "name": c.name,
            "size": c.size,
            "median_ms": statistics.median(ms) if ms else None,
            "min_ms": min(ms, default=None),
            "peak_rss_mib": max((s["rss_kib"] for s in c.samples), default=0) / 1024,
            "items": c.items,
            "failures": len(c.failures),
        }
    results = {
        "machine": machine(args.python),
        "as_of": AS_OF,
        "runs": args.runs,
        "sizes": args.sizes,
        "python": args.python,
        "builds": builds,
        "import_n": imported,
        "summary": summary,
        "imports": scans,
        "samples": {c.key: c.samples for c in commands},
        "failures": {c.key: c.failures for c in commands if c.failures},
        "spawner_rss_mib": floor_kib / 1024,
    }
    print(render(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    for key, errors in results["failures"].items():
        print(f"FAILED {key} ({len(errors)}x): {errors[0]}", file=sys.stderr)
    return 1 if results["failures"] else 0


def compile_corridor(python: str) -> None:
    """Byte-compile the corridor under test, as installing it does, so that no measured run
    pays for compiling it (or for a cache that PYTHONDONTWRITEBYTECODE keeps from being written)."""
    probe = "import importlib.util; print(importlib.util.find_spec('corridor').origin)"
    origin = subprocess.run(
        [python, "-c", probe], capture_output=True, text=True, env=base_env(), check=True
    ).stdout.strip()
    subprocess.run(
        [python, "-m", "compileall", "-q", str(Path(origin).parent)], env=base_env(), check=True
    )


def machine(python: str) -> dict:
    probe = (
        "import importlib.util, platform; "
        "print(platform.python_version(), importlib.util.find_spec('corridor').origin)"
    )
    version, _, origin = subprocess.run(
        [python, "-c", probe], capture_output=True, text=True, env=base_env(), check=False
    ).stdout.partition(" ")
    package = Path(origin.strip()).parent
    git = ["git", "-C", str(package), "describe", "--always", "--dirty"]
    commit = subprocess.run(git, capture_output=True, text=True, check=False).stdout.strip()
    info = {
        "corridor": f"{package} ({commit})" if commit else str(package),
        "date": time.strftime("%Y-%m-%d"),
        "cpus": os.cpu_count(),
        "python": version,
        "kernel": os.uname().release,
    }
    try:
        mem = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
        info["mem_gib"] = round(int(mem) / 2**20, 1)
    except (OSError, IndexError, ValueError):
        pass
    return info


if __name__ == "__main__":
    sys.exit(main())
