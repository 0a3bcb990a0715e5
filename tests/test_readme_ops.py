"""The README's cron line, systemd unit and Nagios/Icinga definitions, run as written: cron's
PATH (/usr/bin:/bin), the quick start's venv in place of /path/to/corridor/.venv, and the
test database in place of the example's. No Nagios or Icinga here, so their definitions are
parsed (by the rules of each format) and the command line they build is run."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from receivers import Http

README = Path(__file__).resolve().parents[1] / "README.md"
BIN = Path(sys.executable).parent  # the venv the quick start makes: .venv/bin
PLACEHOLDER = "/path/to/corridor/.venv/bin/"
LINE = re.compile(r"^CORRIDOR (OK|WARNING|CRITICAL) - [^|\n]+ \| [^|\n]+\n$")

pytestmark = pytest.mark.skipif(
    not (BIN / "corridor").exists(), reason="corridor is not installed in this interpreter's venv"
)


def blocks(info: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{info}\n(.*?)^```$", text, flags=re.S | re.M)


def venv(command: str) -> str:
    assert PLACEHOLDER in command, command  # an absolute path, never a bare `corridor`
    return command.replace(PLACEHOLDER, f"{BIN}/")


def cron_env(tmp_path: Path, url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """What cron gives a job: HOME, LOGNAME, SHELL and PATH=/usr/bin:/bin; nothing else."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        "HOME": str(home),
        "LOGNAME": "corridor",
        "SHELL": "/bin/sh",
        "PATH": "/usr/bin:/bin",
        "CORRIDOR_DATABASE_URL": url,  # set in the crontab or the unit's EnvironmentFile
        **(extra or {}),
    }


def test_the_cron_line_runs_with_the_path_cron_sets(reference_url, tmp_path):
    [block] = [b for b in blocks("cron") if "alerts run" in b]
    env_lines = dict(
        line.split("=", 1) for line in block.splitlines() if re.match(r"^[A-Z_]+=", line)
    )
    jobs = [line for line in block.splitlines() if re.match(r"^[\d*]", line)]
    assert len(jobs) == 1 and "MAILTO" in env_lines
    command = venv(jobs[0].split(None, 5)[5])
    run = subprocess.run(
        ["/bin/sh", "-c", command],
        env=cron_env(tmp_path, reference_url, {"MAILTO": env_lines["MAILTO"]}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "not found" not in run.stderr
    assert run.returncode == 0, run.stderr


def test_the_systemd_unit_runs_its_absolute_path(reference_url, tmp_path):
    [block] = [b for b in blocks("ini") if "corridor-alerts.service" in b]
    starts = re.findall(r"^ExecStart=(.*)$", block, flags=re.M)
    assert len(starts) == 1 and starts[0].startswith("/")  # systemd requires it
    env = cron_env(tmp_path, reference_url)
    config = Path(env["HOME"]) / ".config" / "corridor" / "config.toml"
    config.parent.mkdir(parents=True)
    receiver = Http()  # whatever is due is delivered for real
    try:
        url = receiver.url("json")
        config.write_text(f'[[alerts.recipients]]\nname = "ops"\nurl = "{url}"\n')
        config.chmod(0o600)
        run = subprocess.run(
            shlex.split(venv(starts[0])),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        receiver.close()
    assert run.returncode == 0, run.stderr


def _nagios_objects(text: str) -> list[tuple[str, dict[str, str]]]:
    """Nagios object definitions: `define TYPE {`, one `directive value` a line, `}`."""
    objects = []
    for kind, body in re.findall(r"define\s+(\w+)\s*\{\n(.*?)\n\}", text, flags=re.S):
        directives = {}
        for line in body.splitlines():
            name, _, value = line.strip().partition(" ")
            assert name and value.strip(), line
            directives[name] = value.strip()
        objects.append((kind, directives))
    assert text.count("{") == text.count("}") == len(objects)
    return objects


def test_the_nagios_definition(reference_url):
    [block] = blocks("nagios")
    objects = _nagios_objects(block)
    commands = {d["command_name"]: d for kind, d in objects if kind == "command"}
    [service] = [d for kind, d in objects if kind == "service"]
    for required in ("host_name", "service_description", "check_command"):
        assert required in service
    name, *args = service["check_command"].split("!")
    line = commands[name]["command_line"]
    assert line.startswith("/")
    args[0] = reference_url  # the monitoring user's database: the test's
    for n, value in enumerate(args, 1):
        line = line.replace(f"$ARG{n}$", value)
    assert "$" not in line
    # Nagios hands a command line with quotes to /bin/sh.
    run = subprocess.run(
        ["/bin/sh", "-c", venv(line)],
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode in (0, 1, 2), run.stdout
    assert LINE.match(run.stdout) and run.stderr == ""


def test_the_icinga2_check_command(reference_url):
    [block] = blocks("icinga2")
    assert block.count("{") == block.count("}")
    command = re.search(r'object CheckCommand "corridor" \{\n(.*?)\n\}\n', block, flags=re.S)
    service = re.search(r'apply Service "[^"]+" \{\n(.*?)\n\}', block, flags=re.S)
    assert command and service
    argv = re.findall(r'"([^"]*)"', re.search(r"command = \[(.*?)\]", command[1])[1])
    arguments = re.findall(r'^\s*"([^"]+)" = "([^"]*)"$', command[1], flags=re.M)
    variables = dict(re.findall(r'^\s*vars\.(\w+) = "([^"]*)"$', command[1], flags=re.M))
    variables |= dict(re.findall(r'^\s*vars\.(\w+) = "([^"]*)"$', service[1], flags=re.M))
    assert 'check_command = "corridor"' in service[1] and "assign where" in service[1]
    variables["corridor_db"] = reference_url
    for key, value in arguments:  # Icinga leaves out an argument whose macro is unset
        macro = re.fullmatch(r"\$(\w+)\$", value)
        if macro and macro[1] not in variables:
            continue
        argv += [key, variables[macro[1]] if macro else value]
    assert argv[0].startswith("/") and "--crossing" not in argv
    run = subprocess.run(
        [venv(argv[0]), *argv[1:]],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode in (0, 1, 2), run.stdout
    assert LINE.match(run.stdout) and run.stderr == ""


def test_nothing_in_the_readme_calls_a_bare_corridor_from_cron_or_systemd():
    for block in blocks("cron"):
        for line in block.splitlines():
            if re.match(r"^[\d*]", line):
                assert re.search(r"\s/\S*corridor ", line) or "/path/to/" in line, line
    for block in blocks("ini"):
        for start in re.findall(r"^ExecStart=(.*)$", block, flags=re.M):
            assert start.startswith(("/", "%h/")), start
