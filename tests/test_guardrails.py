"""The guardrails of docs/architecture.md, and proof that each one bites.

- `lint-imports` holds the contracts in pyproject.toml (layers, a pure core, views without the
  database, no terminal below the CLI, thin commands).
- Only `corridor/cli/clock.py` reads the clock: `clock_reads` walks every module of the package.
- A guardrail that never fails guards nothing: the mutation tests copy the package, break one
  rule, and see the check fail.

What counts as "the clock" (docs/time.md): anything whose answer depends on when or where the
program runs, so that a report could not be replayed with `--as-of`: the wall-clock time
(`datetime.now`, `utcnow`, `today`, `date.today`, `time.time`, `time.time_ns`, `pendulum.now`,
`pendulum.today`...), the functions that default to it (`time.localtime()` with no argument...),
and the machine's zone (`.astimezone()` with no argument, `pendulum.local_timezone`).
Stopwatches are not the clock: `time.monotonic` and `time.perf_counter` measure how long
something took (the retry bound in store/retry.py) and never reach an answer.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import corridor
from syntax import bindings, dotted

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(corridor.__file__).resolve().parent
CLOCK_MODULE = Path("cli") / "clock.py"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# Always a clock read, called or passed around.
CLOCK = {
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "time.time",
    "time.time_ns",
    "pendulum.now",
    "pendulum.today",
    "pendulum.tomorrow",
    "pendulum.yesterday",
    "pendulum.local_timezone",
    "pendulum.DateTime.now",
    "pendulum.DateTime.today",
    "pendulum.Date.today",
}
# A clock read when called without the instant to convert (the number of arguments that are
# all defaults).
CLOCK_BY_DEFAULT = {
    "time.localtime": 0,
    "time.gmtime": 0,
    "time.ctime": 0,
    "time.asctime": 0,
    "time.strftime": 1,
}


def clock_reads(package: Path) -> list[str]:
    """Every read of the clock or the machine's zone outside cli/clock.py, as 'path:line name'."""
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative == CLOCK_MODULE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = bindings(tree)
        calls = {id(node.func): node for node in ast.walk(tree) if isinstance(node, ast.Call)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute | ast.Name):
                continue
            call = calls.get(id(node))
            name = dotted(node, names)
            hit = None
            if name in CLOCK:
                hit = name
            elif name in CLOCK_BY_DEFAULT:
                if call is not None and len(call.args) <= CLOCK_BY_DEFAULT[name]:
                    hit = name
            elif (
                isinstance(node, ast.Attribute)
                and node.attr == "astimezone"
                and call is not None
                and not call.args
                and not call.keywords
            ):
                hit = ".astimezone() (the machine's zone)"
            if hit:
                found.append(f"{relative.as_posix()}:{node.lineno} {hit}")
    return found


def lint_imports(src: Path, config_dir: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the package under `src`, with the contracts in `config_dir`."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=config_dir,
        env=env,
        capture_output=True,
        text=True,
    )


def test_only_the_clock_module_reads_the_clock():
    """docs/time.md: time is an input; exactly one module asks the clock, in the whole package."""
    assert clock_reads(PACKAGE) == []


def test_the_clock_module_is_where_the_clock_is_read():
    """The check looks where the clock really is read: it finds cli/clock.py's own read."""
    clock = PACKAGE / CLOCK_MODULE
    tree = ast.parse(clock.read_text(encoding="utf-8"))
    names = bindings(tree)
    used = {dotted(n, names) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert "datetime.datetime.now" in used


@pytest.mark.parametrize(
    "source",
    [
        "import datetime\nx = datetime.datetime.now()\n",
        "from datetime import datetime as dt\nx = dt.utcnow()\n",
        "from datetime import date\nx = date.today()\n",
        "import time\nx = time.time()\n",
        "from time import time_ns\nx = time_ns()\n",
        "import time\nx = time.strftime('%Y')\n",
        "import pendulum\nx = pendulum.now('UTC')\n",
        "from datetime import datetime\nfactory = datetime.now\n",
        "def f(t):\n    return t.astimezone()\n",
        "def f():\n    import pendulum\n    return pendulum.today()\n",
    ],
)
def test_the_clock_check_finds_each_kind_of_read(source, tmp_path):
    (tmp_path / "cli").mkdir()
    (tmp_path / "cli" / "clock.py").write_text(source)  # the one place it is allowed
    (tmp_path / "elsewhere.py").write_text(source)
    assert [r.split(":")[0] for r in clock_reads(tmp_path)] == ["elsewhere.py"]


@pytest.mark.parametrize(
    "source",
    [
        "import time\nx = time.monotonic()\n",
        "import time\nx = time.perf_counter()\n",
        "import time\nx = time.strftime('%Y', time.gmtime(0))\n",
        "from datetime import UTC, datetime\nx = datetime(2026, 1, 1).astimezone(UTC)\n",
        "from datetime import datetime\nx = datetime.fromisoformat('2026-01-01')\n",
    ],
)
def test_stopwatches_and_conversions_are_not_the_clock(source, tmp_path):
    (tmp_path / "stopwatch.py").write_text(source)
    assert clock_reads(tmp_path) == []


def test_the_contracts_hold():
    run = lint_imports(PACKAGE.parent, ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


# Each breaks one rule of docs/architecture.md: (file, text to add, what must catch it).
VIOLATIONS = {
    "core imports the database": (
        "core/vocab.py",
        "import sqlalchemy\n",
        "The core is pure",
    ),
    "a view imports the terminal's parser": (
        "present/views.py",
        "import typer\n",
        "Views and renderers take results",
    ),
    "a renderer imports the writer": (
        "present/render.py",
        "import corridor.store.writer\n",
        "Views and renderers take results",
    ),
    "the core imports a layer above it": (
        "core/terms.py",
        "from corridor.services import reports\n",
        "Layers point down",
    ),
    "a module outside every layer": (
        "stray.py",
        "import corridor.core.terms\n",
        "every module has a layer",
    ),
    "a command imports the tables": (
        "cli/commands/reports.py",
        "from corridor.db.tables import metadata\n",
        "A command parses, calls a service and renders",
    ),
    "a service imports rich": (
        "services/reports.py",
        "import rich\n",
        "Nothing below the CLI knows the terminal",
    ),
}


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory):
    """A copy of src/ and the contracts, to break on purpose."""
    base = tmp_path_factory.mktemp("mutant")
    shutil.copytree(
        PACKAGE, base / "src" / "corridor", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", base / "pyproject.toml")
    return base


def _break(base: Path, relative: str, text: str) -> tuple[Path, str | None]:
    path = base / "src" / "corridor" / relative
    before = path.read_text(encoding="utf-8") if path.exists() else None
    body = before or ""
    # After the docstring and `from __future__`, where an import may stand.
    lines = body.splitlines(keepends=True)
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("from __future__")), 0)
    path.write_text("".join([*lines[:at], text, *lines[at:]]), encoding="utf-8")
    return path, before


def _restore(path: Path, before: str | None) -> None:
    if before is None:
        path.unlink()
    else:
        path.write_text(before, encoding="utf-8")


def test_the_unbroken_copy_passes(package_copy):
    run = lint_imports(package_copy / "src", package_copy)
    assert run.returncode == 0, run.stdout + run.stderr
    assert clock_reads(package_copy / "src" / "corridor") == []


@pytest.mark.parametrize("violation", list(VIOLATIONS))
def test_each_contract_fails_when_broken(violation, package_copy):
    relative, text, contract = VIOLATIONS[violation]
    path, before = _break(package_copy, relative, text)
    try:
        run = lint_imports(package_copy / "src", package_copy)
    finally:
        _restore(path, before)
    assert run.returncode != 0
    broken = run.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, run.stdout
    assert relative.removesuffix(".py").replace("/", ".") in broken


def test_a_clock_read_in_a_service_fails_the_clock_check(package_copy):
    path, before = _break(
        package_copy,
        "services/knowledge.py",
        "from datetime import datetime\n\n_NOW = datetime.now()\n",
    )
    try:
        found = clock_reads(package_copy / "src" / "corridor")
    finally:
        _restore(path, before)
    assert [f.split(" ")[1] for f in found] == ["datetime.datetime.now"]
    assert found[0].startswith("services/knowledge.py:")


def test_no_test_module_imports_another():
    """Shared test code lives in its own modules (oracle.py, invented.py, receivers.py, khal.py,
    loaded.py, hostile.py, syntax.py, configs.py), never in a test module another one imports."""
    offenders = []
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[-1].startswith("test_")
            ]
    assert offenders == []
