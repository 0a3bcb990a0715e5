"""Every example in `--help` and in the README is a command that bash accepts, and that runs
(issue 7: the `correct --help` example was a bash syntax error).

Each example is checked with `bash -n`, then really run by bash against a fresh copy of the
reference database, with `corridor` defined as this interpreter's `python -m corridor`. An
example may be refused because of the data it meets (it records what is already recorded:
exit 3 or 5, a confirmation the test cannot give, a recipient it has not configured), but never
as a bad command line (click's usage errors) or a bug (exit 1, "internal error")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from corridor.core.errors import EXIT_INTERNAL, EXIT_USAGE

ROOT = Path(__file__).resolve().parent.parent
# What the CLI says when the command line itself is wrong (click's usage errors).
BAD_COMMAND = ("Usage:", "No such option", "Invalid value", "Missing argument", "Missing option",
               "Got unexpected extra argument", "No such command")  # fmt: skip


def _help_examples() -> list[tuple[str, str]]:
    import typer

    from corridor.cli.app import app
    from corridor.cli.main import register_commands

    register_commands(["--help"])
    found = []

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, (*path, name))
            return
        text = cmd.help or ""
        if "Example" not in text:
            return
        block = text.split("Example", 1)[1].split("\n", 1)[1]
        examples: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if not line:
                break
            if examples and examples[-1].endswith("\\"):  # a continued line
                examples[-1] = examples[-1][:-1].rstrip() + " " + line
            elif line.startswith("corridor "):
                examples.append(line)
            else:
                break
        found.extend((" ".join(path), e) for e in examples)

    walk(typer.main.get_command(app), ())
    return found


def _readme_examples() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text("utf-8")
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            line = line.strip()
            if line.startswith("corridor "):
                found.append(("README", line))
    return found


HELP = _help_examples()
README = _readme_examples()


def test_examples_were_found():
    assert len(HELP) >= 30 and len(README) >= 10
    assert any("correct" in e for _, e in HELP)


def _bash(script: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, **kw)


@pytest.mark.parametrize(("where", "example"), HELP + README, ids=lambda x: x[:60])
def test_every_example_is_valid_bash(where, example):
    r = subprocess.run(["bash", "-n", "-c", example], capture_output=True, text=True)
    assert r.returncode == 0, f"{where}: {example}\n{r.stderr}"
    assert example.startswith("corridor ")


def test_every_example_runs(reference_url, tmp_path):
    """All examples, in order, in one bash process against one database (a database per
    example would cost a minute on PostgreSQL): each one's exit code and stderr are kept."""
    examples = HELP + README
    lines = [
        "set -o pipefail",
        f'corridor() {{ "{sys.executable}" -m corridor "$@"; }}',
        "export -f corridor",
    ]
    lines.append("corridor export -o record.before.yaml")
    for n, (_where, example) in enumerate(examples):
        if n == len(HELP):  # README examples build on each other and write on purpose
            lines.append("corridor export -o record.after-help.yaml")
        lines.append(f"{{ {example}\n}} > out.{n} 2> err.{n} < /dev/null; echo $? > code.{n}")
    (tmp_path / "jaber.yaml").write_text(_jaber_yaml(), "utf-8")
    env = dict(
        os.environ,
        CORRIDOR_DATABASE_URL=reference_url,
        PYTHONPATH=os.pathsep.join(p for p in sys.path if p),
    )
    r = _bash("\n".join(lines), cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, timeout=600)
    assert r.returncode == 0, r.stderr
    for n, (where, example) in enumerate(examples):
        code = int((tmp_path / f"code.{n}").read_text())
        err = (tmp_path / f"err.{n}").read_text()
        assert "internal error" not in err, f"{where}: {example}\n{err}"
        if where != "check":  # `check` exits 1 and 2 for WARNING and CRITICAL (Nagios)
            assert code != EXIT_INTERNAL, f"{where}: {example}\n{err}"
        if code == EXIT_USAGE:  # refused by the data or the setup is fine; a bad command is not
            assert not any(sign in err for sign in BAD_COMMAND), f"{where}: {example}\n{err}"
        assert "Traceback" not in err, f"{where}: {example}\n{err}"
    # Issue 16 item 10: an example run as printed never writes invented facts into the real
    # record: every help example that would write uses --dry-run.
    before = (tmp_path / "record.before.yaml").read_text("utf-8")
    after = (tmp_path / "record.after-help.yaml").read_text("utf-8")
    if before != after:
        import difflib

        diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1)
        raise AssertionError("a --help example changed the record:\n" + "\n".join(diff))


def _jaber_yaml() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    return re.search(r"```yaml\n(corridor: 1.*?)```", text, re.S).group(1)
