"""Which corridor modules three flows touch, and how many functions they call there.

    .venv/bin/python benchmarks/flows.py [--markdown]

Runs, in a fresh temporary HOME with the embedded SQLite default and the bundled record, the
three flows docs/architecture.md follows from the command line to the database and back:

- `corridor upcoming --format json --as-of 2022-12-20`
- `corridor renew "S/RES/2642 (2022)" -s "S/RES/9001 (2023)" --adopted 2023-01-09 --for 6mo`
- `corridor alerts run --stdout --as-of 2022-12-27`

Each runs in its own interpreter under `sys.setprofile`; the report lists, per flow, the layer
and module of every corridor function called (a module merely imported is not counted), in
first-call order, with a call count. It is a
map for readers and reviewers, not a timing (see benchmarks/run.py for timings).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

FLOWS = {
    "upcoming --format json": ["upcoming", "--format", "json", "--as-of", "2022-12-20"],
    "renew": [
        "renew", "S/RES/2642 (2022)", "-s", "S/RES/9001 (2023)", "--adopted", "2023-01-09",
        "--for", "6mo", "--by", "bench",
    ],
    "alerts run": ["alerts", "run", "--stdout", "--as-of", "2022-12-27"],
}  # fmt: skip

_CHILD = r"""
import json, sys
from collections import Counter
calls = Counter()

def importing(frame):
    # Work done while a module is imported (its body, the comprehensions and dataclasses it
    # builds) is not the flow calling into that module.
    f = frame
    while f is not None:
        if f.f_code.co_name == "<module>" and f.f_globals.get("__name__") != "__main__":
            return True
        f = f.f_back
    return False

order = []
def prof(frame, event, arg):
    if event != "call":
        return
    mod = frame.f_globals.get("__name__", "")
    if mod.startswith("corridor") and not importing(frame):
        if mod not in calls:
            order.append(mod)
        calls[mod] += 1
sys.argv = ["corridor"] + json.loads(sys.argv[1])
sys.setprofile(prof)
code = 0
try:
    from corridor.cli.main import main
    main()
except SystemExit as e:
    code = e.code or 0
finally:
    sys.setprofile(None)
sys.stdout.flush()
sys.stderr.write("\n@@FLOW@@" + json.dumps(dict(code=code, modules=[[m, calls[m]] for m in order])))
"""


def trace(argv: list[str], env: dict[str, str]) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(argv)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    marker = run.stderr.rfind("@@FLOW@@")
    if marker < 0:
        raise SystemExit(f"flow {argv} failed:\n{run.stderr}")
    return json.loads(run.stderr[marker + len("@@FLOW@@") :])


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "corridor"


def main() -> None:
    markdown = "--markdown" in sys.argv
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDOR_")}
        env.update(HOME=home, XDG_DATA_HOME=str(Path(home, "data")),
                   XDG_CONFIG_HOME=str(Path(home, "config")), NO_COLOR="1")  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "corridor", "db", "upgrade"], env=env, capture_output=True,
            check=True,
        )  # fmt: skip
        for name, argv in FLOWS.items():
            got = trace(argv, env)
            mods = got["modules"]
            layers: dict[str, int] = {}
            for m, _ in mods:
                layers[layer(m)] = layers.get(layer(m), 0) + 1
            head = f"{name} (exit {got['code']}): {len(mods)} modules, " + ", ".join(
                f"{k} {v}" for k, v in layers.items()
            )
            if markdown:
                print(f"\n**{head}**\n")
                print(" -> ".join(f"`{m.removeprefix('corridor.')}`" for m, _ in mods))
            else:
                print(head)
                for m, n in mods:
                    print(f"  {m:45} {n:7}")


if __name__ == "__main__":
    main()
