"""Two revisions of corridor side by side, interleaved: `check` and a nothing-due `alerts run`
(or any of run.py's commands) for the code under test and for another revision, in the same
rounds beside floor B, so that load on a shared machine hits both alike.

Each run is a fresh process; the figures are medians of its CPU time (user + system, from
`os.wait4`), which the machine's load disturbs far less than wall time, and of its wall time,
each with its ratio to floor B measured the same way. A benchmark, not a test.

    git archive 5752dfd src | (mkdir -p /tmp/before && tar -x -C /tmp/before)
    python benchmarks/compare.py /tmp/before/src --sizes 50,10000,100000 --runs 9
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

from run import AS_OF, FLOOR_B, WITHIN, base_env, build, compile_corridor, default_python

COMMANDS = {
    "check": ["check"],
    "alerts run": ["alerts", "run", "--stdout"],
    "upcoming": ["upcoming", "-f", "json"],
    "status": ["status", "-f", "json"],
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("before", help="the other revision's src directory (put first on PYTHONPATH)")
    p.add_argument("--sizes", default="50,10000,100000")
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--commands", default="check,alerts run", help=", ".join(COMMANDS))
    p.add_argument("--python", default=default_python())
    args = p.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    names = [c.strip() for c in args.commands.split(",") if c.strip()]
    env = base_env()
    before = env | {"PYTHONPATH": os.path.abspath(args.before)}
    compile_corridor(args.python)
    subprocess.run([args.python, "-m", "compileall", "-q", args.before], env=env, check=True)
    end = (date.fromisoformat(AS_OF) + timedelta(days=WITHIN)).isoformat()
    plan = []  # (size, label, env, argv)
    for size in sizes:
        url, _meta = build(args.python, size, None, False)
        common = ["--db", url, "--tz", "UTC", "--as-of", AS_OF]
        path = url.removeprefix("sqlite:///")
        plan.append((size, "floor B", env, [args.python, "-c", FLOOR_B, path, AS_OF, end]))
        for name in names:
            for label, e in (("before", before), ("after", env)):
                argv_ = [args.python, "-m", "corridor", *COMMANDS[name], *common]
                plan.append((size, f"{name} {label}", e, argv_))
    found: dict[tuple[int, str], list[tuple[float, float]]] = {}
    print(f"measuring {len(plan)} commands x {args.runs} runs ...", file=sys.stderr)
    for round_ in range(args.runs + 1):  # round 0: a warm-up (and alerts run's first send)
        for size, label, e, argv_ in plan if round_ % 2 else plan[::-1]:
            started = time.perf_counter()
            proc = subprocess.Popen(argv_, env=e, stdout=subprocess.DEVNULL)
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = (time.perf_counter() - started) * 1000
            if os.waitstatus_to_exitcode(status) not in (0, 1, 2):  # check: 1, 2 are answers
                print(f"FAILED {label} at N={size}", file=sys.stderr)
                return 1
            if round_:
                cpu = (usage.ru_utime + usage.ru_stime) * 1000
                found.setdefault((size, label), []).append((cpu, wall))
    print("| N | command | CPU ms | / floor B | wall ms | / floor B |")
    print("|---|---|---|---|---|---|")
    for size in sizes:
        floor = found[(size, "floor B")]
        cpu_b = statistics.median(c for c, _ in floor)
        wall_b = statistics.median(w for _, w in floor)
        for (n, label), samples in found.items():
            if n == size:
                cpu = statistics.median(c for c, _ in samples)
                wall = statistics.median(w for _, w in samples)
                print(
                    f"| {size} | {label} | {cpu:.0f} | {cpu / cpu_b:.2f}x | {wall:.0f} "
                    f"| {wall / wall_b:.2f}x |"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
