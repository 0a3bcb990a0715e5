"""`corridor check` without Typer: its body, and the reader of a plain `check` command line.

A monitoring system runs `check` every few minutes, and Typer with its click is a large part of
a small run (benchmarks/README.md). So, as for `upcoming` and `status` (corridor.cli.hot), the
body lives here, free of Typer; corridor.cli.commands.check declares it to Typer (options,
help) and calls it. When a command line is a plain `check` (options this module knows, each
spelled the way `OPTIONS` spells it, values Typer would accept unchanged), `parse` reads it and
corridor.cli.main runs the body without importing Typer. Anything else (--help, an unknown,
repeated or abbreviated option, a value Typer would refuse) returns None and goes through
Typer, which answers in its own words; corridor.cli.main turns both into the plugin's
`CORRIDOR UNKNOWN - …` line. tests/test_hot_check.py checks that `OPTIONS` and Typer's
declarations agree, and that both paths answer alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from corridor import __version__
from corridor.cli.argv import COUNT, FLAG, VALUE, read_options
from corridor.cli.output import out
from corridor.cli.reading import knowledge_notes, locate, open_read, read_settings
from corridor.cli.watchdog import Watchdog, timed_out
from corridor.core.errors import UsageError
from corridor.core.vocab import DEADLINE_KINDS
from corridor.present.safe import safe
from corridor.services import monitor

CHECK_EXIT_HELP = (
    "Exit codes (Nagios plugin convention): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (any error, "
    "a usage error or a timeout included)."
)
LAPSE_WINDOW = (0, 3650)  # --lapse-window's bounds (days), as Typer declares them
TIMEOUT = (0.1, 3600)  # -t/--timeout's bounds (seconds)


def version_text() -> str:
    return f"corridor check {__version__}\n"


def check(
    *,
    as_of: str | None = None,
    warning: str | None = None,
    critical: str | None = None,
    warn_old: str | None = None,
    crit_old: str | None = None,
    kind: str = "expiry,review",
    crossing: str | None = None,
    lapse_window: int = 30,
    timeout: float = 10,
    plans: bool = False,
    per_crossing: bool = False,
    verbose: int = 0,
    version: bool = False,
    tz: str | None = None,
    db: str | None = None,
) -> int:
    """`corridor check`: one line for monitoring; returns the exit code (0, 1 or 2)."""
    if version:  # eager, as Typer's callback: nothing else is read
        out(version_text())
        return 0
    with Watchdog(timeout) as dog:
        kinds = tuple(k.strip() for k in kind.split(",") if k.strip())
        bad = [k for k in kinds if k not in DEADLINE_KINDS]
        if bad or not kinds:
            raise UsageError(
                f'unknown kind "{",".join(bad)}"', "use one or more of: expiry,review,report"
            )
        thresholds = monitor.Thresholds(
            _range(warning, warn_old, "-w/--warning", "--warn", "30"),
            _range(critical, crit_old, "-c/--critical", "--crit", "7"),
            lapse_window,
        )
        _refuse_wider_critical(thresholds)
        reader = read_settings(tz, as_of)
        try:
            with open_read(db, reader.config, create=False, timeout=dog.left()) as conn:
                ids = None
                if crossing:
                    # lazy: difflib and the name index only when a crossing is named
                    from corridor.services.lookups import find_crossing

                    ids = [find_crossing(conn, crossing)]
                verdict = monitor.check(
                    conn,
                    at=reader.at,
                    tz=reader.tz,
                    thresholds=thresholds,
                    kinds=kinds,
                    crossing_ids=ids,
                    per_crossing=per_crossing,
                    every_crossing=verbose >= 3,
                )
                if plans:
                    verdict = _with_plans(verdict, conn, reader, thresholds, ids)
                notes = knowledge_notes(conn, reader, ids) if verbose else []
        except Exception as exc:
            if timed_out(exc) or dog.left() <= 0:
                raise dog.error() from None
            raise
        lines = _lines(verdict, verbose, notes, reader, thresholds, kinds, timeout, db)
        dog.stop()
        out("".join(line + "\n" for line in lines))
    return verdict.code


def _with_plans(verdict, conn, reader, thresholds, ids):
    """The planned movements' verdict (corridor.services.plan_monitor) merged into the line."""
    # lazy: the plans' modules only with --plans
    from corridor.services.plan_monitor import merge, plans_verdict

    within = monitor.window_days(thresholds)
    both = merge(
        verdict, plans_verdict(conn, at=reader.at, tz=reader.tz, within=within, crossing_ids=ids)
    )
    return replace(verdict, code=both.code, text=both.text, perfdata=both.perfdata)


def _range(new: str | None, old: str | None, name: str, old_name: str, default: str):
    if new is not None and old is not None:
        raise UsageError(f"use only one of {name} and {old_name}", f"e.g. {name.split('/')[0]} 30")
    return monitor.day_range(
        new if new is not None else old if old is not None else default, what=name
    )


def _refuse_wider_critical(t) -> None:
    """-w 30 -c 40 would never warn: a likely slip, refused with a sentence."""
    w, c = t.warning, t.critical
    plain = not (w.invert or c.invert) and w.end == c.end == float("inf")
    if plain and c.start > w.start:
        raise UsageError(
            f"-c/--critical {c} alerts earlier than -w/--warning {w}",
            "for example: -w 30 -c 7",
        )


def _lines(verdict, verbose, notes, reader, thresholds, kinds, timeout, db) -> list[str]:
    """The plugin output (the guidelines' verbosity levels): one line; -v every finding on
    the first line and the notes below it; -vv the settings; -vvv every crossing and
    deadline looked at. Stored text is escaped for the terminal (corridor.present.safe)."""

    def clean(text: str) -> str:
        return " ".join(safe(monitor.plain(text), newlines=False).split())

    text = verdict.text
    if verbose and verdict.findings:
        text = "; ".join(f.text for f in verdict.findings)
    lines = [f"CORRIDOR {verdict.state} - {clean(text)} | {verdict.perfdata}"]
    if verbose >= 1:
        lines += [clean(n) for n in notes]
    if verbose >= 2:
        lines += [
            clean(f"database: {locate(db, reader.config).display}"),
            clean(f"as of: {reader.at.isoformat()} ({reader.zone_name})"),
            f"warning: {thresholds.warning}; critical: {thresholds.critical}; lapse window: "
            f"{thresholds.lapse_window} days; kinds: {','.join(kinds)}; timeout: {timeout:g} s",
        ]
    if verbose >= 3:
        for st in verdict.states:
            lines.append(clean(f"crossing {st.crossing}: {st.state} ({st.note})"))
        for d in verdict.deadlines:
            lines.append(clean(f"deadline {d.uid}: {d.kind} {d.date}, {d.days_left} days left"))
    return lines


# ---------------------------------------------------------------- reading argv without Typer

# check's options as Typer declares them (corridor.cli.commands.check): the spelling, the
# parameter it fills and how. tests/test_hot_check.py fails when the two drift apart.
OPTIONS: dict[str, tuple[str, str]] = {
    "--as-of": ("as_of", VALUE),
    "--warning": ("warning", VALUE),
    "-w": ("warning", VALUE),
    "--critical": ("critical", VALUE),
    "-c": ("critical", VALUE),
    "--warn": ("warn_old", VALUE),
    "--crit": ("crit_old", VALUE),
    "--kind": ("kind", VALUE),
    "-k": ("kind", VALUE),
    "--crossing": ("crossing", VALUE),
    "--lapse-window": ("lapse_window", VALUE),
    "--timeout": ("timeout", VALUE),
    "-t": ("timeout", VALUE),
    "--plans": ("plans", FLAG),
    "--perfdata-per-crossing": ("per_crossing", FLAG),
    "--verbose": ("verbose", COUNT),
    "-v": ("verbose", COUNT),
    "--version": ("version", FLAG),
    "-V": ("version", FLAG),
    "--tz": ("tz", VALUE),
    "--db": ("db", VALUE),
}
_INT = re.compile(r"[0-9]+")
_FLOAT = re.compile(r"[0-9]+(\.[0-9]+)?")


def parse(argv: list[str]) -> tuple[Callable[..., int], dict[str, Any]] | None:
    """The body and its arguments when `argv` is a plain `check` command line; None for
    anything Typer should read (it then reads the line as always)."""
    if not argv or argv[0] != "check":
        return None
    words: list[str] = []
    for word in argv[1:]:  # -vv, -vvv: click reads each letter as one -v
        if re.fullmatch(r"-vv+", word):
            words += ["-v"] * (len(word) - 1)
        else:
            words.append(word)
    kwargs = read_options(words, OPTIONS)
    if kwargs is None:
        return None
    if "lapse_window" in kwargs:  # an int in 0..3650, else Typer says why not
        text = kwargs["lapse_window"]
        if not _INT.fullmatch(text) or not LAPSE_WINDOW[0] <= int(text) <= LAPSE_WINDOW[1]:
            return None
        kwargs["lapse_window"] = int(text)
    if "timeout" in kwargs:  # a number of seconds in 0.1..3600
        text = kwargs["timeout"]
        if not _FLOAT.fullmatch(text) or not TIMEOUT[0] <= float(text) <= TIMEOUT[1]:
            return None
        kwargs["timeout"] = float(text)
    return check, kwargs
