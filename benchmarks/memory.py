"""Peak memory (RSS) of importing and exporting a large record, and of refusing a huge flow
list, each in a subprocess of its own (resource.getrusage(RUSAGE_CHILDREN) after it ends).

    python benchmarks/memory.py                 # 80 000 instruments
    python benchmarks/memory.py --instruments 20000

Not a test: it never fails because something is big. Figures go in benchmarks/README.md."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def record(count: int) -> str:
    """`count` one-period instruments over 200 crossings: about 160 bytes each."""
    lines = ["corridor: 1", "crossings:"]
    for c in range(200):
        lines.append(f"  - {{slug: m-{c:03d}, name: Memory {c:03d}, countries: [SY, TR]}}")
    lines.append("instruments:")
    for k in range(count):
        day = 1 + k % 28
        lines += [
            f'  - symbol: "M/{k}"',
            "    kind: agreement",
            "    authority: Benchmark Authority",
            "    timezone: UTC",
            f"    adopted: 2020-01-{day:02d}",
            f"    periods: [{{crossings: [m-{k % 200:03d}], for: 6mo}}]",
        ]
    return "\n".join(lines) + "\n"


_WRAPPER = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "c = subprocess.run(sys.argv[1:], capture_output=True).returncode; "
    "print(c, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def run(args: list[str], env: dict) -> tuple[int, float, float]:
    """(exit code, seconds, peak RSS in MB) of one corridor process, measured by a wrapper
    process of its own (RUSAGE_CHILDREN is the largest child so far, so one wrapper each)."""
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "corridor", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instruments", type=int, default=80_000)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, CORRIDOR_CONFIG=str(Path(tmp, "none.toml")), NO_COLOR="1")
        flow = Path(tmp, "flow.yaml")
        flow.write_text("corridor: 1\ncrossings: [" + "1, " * 6_300_000 + "1]\n")
        path = Path(tmp, "big.yaml")
        path.write_text(record(opts.instruments))
        db = f"sqlite:///{tmp}/m.sqlite3"
        size = path.stat().st_size / 2**20
        steps = [
            (
                f"refuse a {flow.stat().st_size / 2**20:.0f} MiB flow list",
                ["import", str(flow), "--yes", "--db", f"sqlite:///{tmp}/f.sqlite3"],
            ),  # fmt: skip
            (
                f"import {opts.instruments} instruments ({size:.1f} MiB)",
                ["import", str(path), "--yes", "--db", db],
            ),  # fmt: skip
            ("export them", ["export", "-o", f"{tmp}/out.yaml", "--db", db]),
        ]
        for label, args in steps:
            code, seconds, peak = run(args, env)
            print(f"{label}: exit {code}, {seconds:.1f} s, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
