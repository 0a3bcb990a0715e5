"""Which modules a corridor command line loads, in a fresh interpreter: the read paths' guard
(tests/test_read_paths.py) and the calendar tests use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("alembic", "apprise", "icalendar", "yaml", "jsonschema", "sqlalchemy", "pendulum", "rich")


PROBE = """
import json, sys
from corridor.cli.main import run
code = run(sys.argv[2:])
with open(sys.argv[1], "w") as fh:
    json.dump({"code": code, "modules": sorted(sys.modules)}, fh)
"""


def modules_after(argv: list[str], tmp_path, extra_env=None) -> set[str]:
    out = tmp_path / "modules.json"
    env = dict(os.environ, **(extra_env or {}))
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *argv],
        check=True,
        env=env,
        capture_output=True,
        cwd=tmp_path,
    )
    data = json.loads(out.read_text())
    assert data["code"] == 0
    return set(data["modules"])
