"""The entry point and the one error boundary: every error becomes `Error: …` on stderr and a
documented exit code (README, "Exit codes")."""

from __future__ import annotations

import contextlib
import os
import re
import sys

from corridor.cli import clock  # first: check -t counts from here
from corridor.cli.output import out, say, set_quiet
from corridor.core.errors import EXIT_DATABASE, EXIT_INTERNAL, EXIT_USAGE, CorridorError, UsageError
from corridor.present.safe import degrade_streams, degraded

# ---------------------------------------------------------------- the error boundary


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error becomes `Error: …` on stderr and a documented exit code."""
    if _first_word(argv) == "check":
        from corridor.cli import watchdog  # lazy: check only; no other command needs its timers

        watchdog.hard_exit = True  # a real process: check -t may end it (never a test runner)
    code = run(argv, started=clock.STARTED)
    sys.exit(code)


# The read commands run on every TAB press and every cron tick. Typer builds every registered
# command on each run, so the other commands (corridor.cli.commands.*) are
# registered only when the command line may need them: ~20 ms saved on `upcoming` and `status`.
def _command_words(argv: list[str] | None) -> list[str]:
    if os.environ.get("_CORRIDOR_COMPLETE"):  # shell completion: the words being completed
        line = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = line.split()[1:]
        if os.environ.get("COMP_CWORD") == "1":
            return []  # completing the command name itself: every command is a candidate
        return words
    return list(sys.argv[1:] if argv is None else argv)


def register_commands(argv: list[str] | None = None) -> None:
    """Register the commands defined outside this module. Typer builds every registered command
    on each run, so a hot read command (upcoming, status, check, alerts: what cron ticks and TAB
    presses run, benchmarks/README.md) registers only its own module; anything else, all."""
    # lazy, every import below: importing a command module registers its commands
    first = _first_word(argv)
    if first in ("upcoming", "status"):
        import corridor.cli.commands.reports  # noqa: F401

        return
    if first == "check":
        import corridor.cli.commands.check  # noqa: F401

        return
    if first == "alerts":
        import corridor.cli.commands.alerts  # noqa: F401

        return
    import corridor.cli.commands.alerts  # noqa: F401, F811  (each registers its commands)
    import corridor.cli.commands.check  # noqa: F401, F811
    import corridor.cli.commands.config  # noqa: F401
    import corridor.cli.commands.crossing  # noqa: F401
    import corridor.cli.commands.db  # noqa: F401
    import corridor.cli.commands.edit  # noqa: F401
    import corridor.cli.commands.instrument  # noqa: F401
    import corridor.cli.commands.knowledge  # noqa: F401
    import corridor.cli.commands.plan  # noqa: F401  (plan add/import/list/remove/export/check)
    import corridor.cli.commands.records  # noqa: F401
    import corridor.cli.commands.reports  # noqa: F401, F811
    import corridor.cli.commands.shapes  # noqa: F401
    import corridor.cli.commands.visual  # noqa: F401  (timeline, report)


def _first_word(argv: list[str] | None) -> str | None:
    return next((w for w in _command_words(argv) if not w.startswith("-")), None)


def run(argv: list[str] | None = None, *, started: float | None = None) -> int:
    """One run of the CLI; `started` is when the process started (check -t counts from it),
    by default now."""
    clock.mark_run(started)
    set_quiet(False)  # -q/--quiet holds for one run (tests run many in one process)
    degrade_streams(sys.stdout, sys.stderr)  # a non-UTF-8 terminal degrades, never crashes
    if _first_word(argv) == "check" and not os.environ.get("_CORRIDOR_COMPLETE"):
        code = _run_check(argv)
    else:
        code = _run(argv)
    if degraded():
        _note_degraded()
    return code


def _note_degraded() -> None:
    encoding = getattr(sys.stdout, "encoding", None) or "this"
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(
            f"Note: the terminal's encoding ({encoding}) cannot show every character: some were"
            " written without their accents, in Latin letters, or as '?'. Use a UTF-8 locale"
            " (e.g. LANG=C.UTF-8) to see them all.\n"
        )


def _run_check(argv: list[str] | None, *, fast: bool = True) -> int:
    """`corridor check` speaks the Nagios plugin convention (docs/alerts.md, "Monitoring"):
    whatever goes wrong, a usage error included, is one `CORRIDOR UNKNOWN - …` line on stdout
    and exit 3, never 2 (which would read as CRITICAL). A plain `check` line runs without
    Typer (corridor.cli.hot_check); anything else, --help included, goes through Typer (and
    every line does with `fast=False`: tests compare the two)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        check_arguments(args)
        from corridor.cli import hot_check  # lazy: only a check line loads its services

        hot = hot_check.parse(args) if fast else None
        if hot is not None:
            command, kwargs = hot
            try:
                result = command(**kwargs)
            except KeyboardInterrupt:  # as through Typer, which makes Ctrl-C an exit 130
                return 130
        else:
            from corridor.cli.app import app  # lazy: Typer only for a line hot_check left

            register_commands(argv)
            result = app(args=argv, standalone_mode=False, prog_name="corridor")
        finish_output()
        return result if isinstance(result, int) else 0
    except CorridorError as exc:
        return _unknown(exc.message + (f" ({exc.hint})" if exc.hint else ""))
    except KeyboardInterrupt:
        return _unknown("interrupted")
    except BrokenPipeError:
        return 3
    except Exception as exc:
        typer_exceptions = sys.modules.get("typer.exceptions")  # loaded if Typer ran
        if typer_exceptions is not None:
            if isinstance(exc, typer_exceptions.Exit):  # --help, --version
                return exc.exit_code
            if isinstance(exc, typer_exceptions.Abort):
                return _unknown("interrupted")
            if isinstance(exc, typer_exceptions.TyperException):  # click's usage errors
                format_message = getattr(exc, "format_message", None)
                text = format_message() if format_message else str(exc)
                return _unknown(f"usage: {text.strip() or type(exc).__name__}")
        if os.environ.get("CORRIDOR_DEBUG"):
            raise
        # lazy: only an error needs the redactor, whose patterns compile on import
        from corridor.core.redact import redact

        reason = str(getattr(exc, "orig", exc)).strip().splitlines()
        shown = redact(reason[0], urls=_urls()) if reason else ""  # the one redactor
        return _unknown(f"{type(exc).__name__}: {shown}")


def _unknown(text: str) -> int:
    out(f"CORRIDOR UNKNOWN - {' '.join(text.split())}\n")
    return 3


def _run(argv: list[str] | None = None, *, fast: bool = True) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        check_arguments(args)
        # A plain `upcoming`, `status` or `alerts run` line runs without importing Typer
        # (corridor.cli.hot, hot_alerts); anything else, help and completion included, goes
        # through Typer.
        hot = None if os.environ.get("_CORRIDOR_COMPLETE") or not fast else _hot(args)
        if hot is not None:
            command, kwargs = hot
            try:
                result = command(**kwargs)  # alerts run returns its exit code, as through Typer
            except KeyboardInterrupt:  # as Typer does: exit 130, quietly
                return 130
        else:
            result = _typer(argv)
        finish_output()
        return result if isinstance(result, int) else 0
    except CorridorError as exc:
        _error(exc.message, exc.hint)
        return exc.exit_code
    except BrokenPipeError:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the reader went away (| head)
        return 0
    except OSError as exc:  # stdout or an output file could not be written (a full disk)
        if exc.errno is None or getattr(exc, "filename", None):
            return _internal(exc)
        _discard_stdout()
        _error(f"cannot write the output: {exc.strerror}", "free some space, or write elsewhere")
        return EXIT_USAGE
    except Exception as exc:
        typer_exceptions = sys.modules.get("typer.exceptions")  # loaded if Typer raised it
        if typer_exceptions is None:
            return _internal(exc)
        if isinstance(exc, typer_exceptions.Exit):  # --help, --version
            return exc.exit_code
        if isinstance(exc, typer_exceptions.Abort):
            say("Aborted.")
            return 130
        if isinstance(exc, typer_exceptions.TyperException):  # bad option, missing argument
            nearest = _nearest_command(exc)  # `corridor show X`: "crossing show"?
            if nearest:
                _error(*nearest)
                return EXIT_USAGE
            show = getattr(exc, "show", None)
            if show is not None:
                show()
            return getattr(exc, "exit_code", EXIT_USAGE)
        return _internal(exc)
    except KeyboardInterrupt:
        say("Aborted.")
        return 130


HOT_COMMANDS = ("upcoming", "status")  # the commands corridor.cli.hot can run without Typer


def _hot(args: list[str]):
    if args[:2] == ["alerts", "run"]:  # a plain `alerts run` (corridor.cli.hot_alerts)
        from corridor.cli import hot_alerts  # lazy: only an alerts run loads its services

        return hot_alerts.parse(args)
    if not args or args[0] not in HOT_COMMANDS:
        return None
    from corridor.cli import hot  # lazy: only a plain upcoming or status line runs it

    return hot.parse(args)


def _typer(argv: list[str] | None):
    """Typer reads the command line, runs the command, and returns its result."""
    if os.environ.get("_CORRIDOR_COMPLETE"):
        from corridor.cli.complete import escape_for_bash  # lazy: Typer, as below

        escape_for_bash()
    # lazy: Typer; a plain upcoming or status line never loads it (tests/test_hot.py)
    from corridor.cli.app import app

    register_commands(argv)
    return app(args=argv, standalone_mode=False, prog_name="corridor")


def check_arguments(args: list[str]) -> None:
    """Refuse, before anything runs, an argument a terminal or the record cannot hold safely:
    control characters (but newline and tab), bidirectional controls, or bytes that are not
    UTF-8 (README "Limits"). Click would otherwise echo them raw in its own messages."""
    for n, arg in enumerate(args, 1):
        if arg.isprintable():  # the common case, at C speed
            continue
        from corridor.core.text import UNSAFE, describe  # lazy: as in present.safe.safe

        bad = UNSAFE.search(arg)
        if bad:
            what = (
                "is not valid UTF-8 text"
                if 0xD800 <= ord(bad.group()) <= 0xDFFF
                else f"contains {describe(bad.group())}"
            )
            raise UsageError(
                f"argument {n} {what}", "type the text without invisible or control characters"
            )


def finish_output() -> None:
    """Flush stdout inside the error boundary, so a full disk is a clear error, not a message
    from the interpreter at exit."""
    sys.stdout.flush()


def _discard_stdout() -> None:
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more can be written


def _nearest_command(exc) -> tuple[str, str] | None:
    """For an unknown top-level command that names a subcommand (`corridor show X`): the error
    and a hint naming the commands meant ("crossing show", "instrument show"). None otherwise:
    click's own "Did you mean" covers a misspelled command of the same group."""
    # lazy: Typer and difflib, for an unknown command only; upcoming and status load neither
    import difflib

    import typer

    from corridor.cli.app import app

    ctx = getattr(exc, "ctx", None)
    found = re.match(r"No such command '([^']+)'", str(getattr(exc, "message", "")))
    if found is None or ctx is None or ctx.parent is not None:
        return None
    word = found.group(1)
    paths: list[str] = []

    def walk(cmd, path: tuple[str, ...]) -> None:
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            if not getattr(sub, "hidden", False):
                paths.append(" ".join((*path, name)))
                walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    nested = [p for p in paths if " " in p]
    top = difflib.get_close_matches(word, [p for p in paths if " " not in p], n=2, cutoff=0.8)
    hits = [p for p in nested if p.split()[-1] == word]
    if not hits and not top:
        close = set(difflib.get_close_matches(word, [p.split()[-1] for p in nested], cutoff=0.8))
        hits = [p for p in nested if p.split()[-1] in close]
    if not hits:
        return None  # click's own "Did you mean" names the top-level command
    hits = top + hits
    listed = " or ".join(f"`{p}`" for p in hits[:4])
    return f'no command "{word}"', f"did you mean {listed}? See: corridor --help"


def _error(message: str, hint: str | None) -> None:
    say(f"Error: {message}")
    if hint:
        say(f"  {hint}")


def _urls() -> list[str]:
    """The database URLs this run may have used, whose passwords a driver may repeat."""
    args = sys.argv[1:]
    found = [a.split("=", 1)[1] for a in args if a.startswith("--db=")]
    found += [b for a, b in zip(args, args[1:], strict=False) if a == "--db"]
    return found + [os.environ[k] for k in ("CORRIDOR_DATABASE_URL",) if os.environ.get(k)]


def _internal(exc: Exception) -> int:
    # lazy: only an error needs the redactor, whose patterns compile on import
    from corridor.core.redact import redact

    if type(exc).__module__.split(".")[0] in ("sqlalchemy", "sqlite3", "psycopg"):
        reason = redact(str(getattr(exc, "orig", exc)).strip().splitlines()[0], urls=_urls())
        _error(
            f"the database failed: {reason}",
            'check it is reachable and migrated: "corridor db current"',
        )
        return EXIT_DATABASE
    if os.environ.get("CORRIDOR_DEBUG"):
        raise exc
    _error(
        f"internal error: {type(exc).__name__}: {redact(str(exc), urls=_urls())}",
        "this is a bug in corridor; rerun with CORRIDOR_DEBUG=1 and report the traceback",
    )
    return EXIT_INTERNAL
