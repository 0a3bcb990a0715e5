"""A real calendar client for the calendar tests: khal (Debian's package; .ci/run installs it),
and the events of an iCalendar text as icalendar reads them."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

KHAL = shutil.which("khal")


# CI (.ci/run) installs khal and sets CORRIDOR_REQUIRE_TOOLS=1: there, a missing khal fails.
needs_khal = pytest.mark.skipif(
    KHAL is None and not os.environ.get("CORRIDOR_REQUIRE_TOOLS"),
    reason="khal is not installed (apt-get install khal; .ci/run installs it)",
)


def _events(text: str) -> list:
    from icalendar import Calendar

    return list(Calendar.from_ical(text).walk("VEVENT"))


def _khal(tmp_path):
    home = tmp_path / "khal"
    (home / "cal").mkdir(parents=True)
    config = home / "config"
    config.write_text(
        "[calendars]\n[[corridor]]\n"
        f"path = {home / 'cal'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = UTC\ndefault_timezone = UTC\n"
        f"[sqlite]\npath = {home / 'khal.db'}\n",
        encoding="utf-8",
    )

    def run(*args: str) -> str:
        done = subprocess.run(
            [KHAL, "-c", str(config), *args],
            capture_output=True,
            text=True,
            env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def listed() -> list[tuple[str, str]]:
        text = run("list", "--format", "{start-date}|{uid}", "-df", "", "2022-01-01", "730d")
        rows = [tuple(line.split("|")) for line in text.splitlines() if "|" in line]
        return sorted(set(rows)), len(list((home / "cal").iterdir()))

    return run, listed
