"""The entry point and the one error boundary: every error becomes `Error: …` on stderr and a
documented exit code (README, "Exit codes")."""

from __future__ import annotations

import os
import sys

from corridor.cli.app import app
from corridor.cli.output import say
from corridor.core.errors import EXIT_INTERNAL, EXIT_USAGE, CorridorError

# ---------------------------------------------------------------- the error boundary


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error becomes `Error: …` on stderr and a documented exit code."""
    code = run(argv)
    sys.exit(code)


# The read commands run on every TAB press and every cron tick. Typer builds every registered
# command on each run, so the other commands (corridor.cli.commands.*) are
# registered only when the command line may need them: ~20 ms saved on `upcoming` and `status`.
_HOT_COMMANDS = frozenset({"upcoming", "status"})


def _command_words(argv: list[str] | None) -> list[str]:
    if os.environ.get("_CORRIDOR_COMPLETE"):  # shell completion: the words being completed
        line = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = line.split()[1:]
        if os.environ.get("COMP_CWORD") == "1":
            return []  # completing the command name itself: every command is a candidate
        return words
    return list(sys.argv[1:] if argv is None else argv)


def register_commands(argv: list[str] | None = None) -> None:
    """Register the commands defined outside this module, unless the command line is a hot
    read command that needs none of them."""
    import corridor.cli.commands.reports  # noqa: F401  (upcoming, status: always)

    first = next((w for w in _command_words(argv) if not w.startswith("-")), None)
    if first not in _HOT_COMMANDS:
        import corridor.cli.commands.crossing  # noqa: F401  (each registers its commands on `app`)
        import corridor.cli.commands.db  # noqa: F401
        import corridor.cli.commands.edit  # noqa: F401
        import corridor.cli.commands.knowledge  # noqa: F401
        import corridor.cli.commands.records  # noqa: F401
        import corridor.cli.commands.shapes  # noqa: F401


def run(argv: list[str] | None = None) -> int:
    from typer.exceptions import Abort, Exit, TyperException

    try:
        register_commands(argv)
        result = app(args=argv, standalone_mode=False, prog_name="corridor")
        return result if isinstance(result, int) else 0
    except Exit as exc:
        return exc.exit_code
    except CorridorError as exc:
        _error(exc.message, exc.hint)
        return exc.exit_code
    except TyperException as exc:  # click's usage errors: bad option, missing argument
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        return getattr(exc, "exit_code", EXIT_USAGE)
    except (Abort, KeyboardInterrupt):
        say("Aborted.")
        return 130
    except BrokenPipeError:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the reader went away (| head)
        return 0
    except Exception as exc:
        return _internal(exc)


def _error(message: str, hint: str | None) -> None:
    say(f"Error: {message}")
    if hint:
        say(f"  {hint}")


def _internal(exc: Exception) -> int:
    from corridor.core.errors import EXIT_DATABASE

    if type(exc).__module__.split(".")[0] in ("sqlalchemy", "sqlite3", "psycopg"):
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        _error(
            f"the database failed: {reason}",
            'check it is reachable and migrated: "corridor db current"',
        )
        return EXIT_DATABASE
    if os.environ.get("CORRIDOR_DEBUG"):
        raise exc
    _error(
        f"internal error: {type(exc).__name__}: {exc}",
        "this is a bug in corridor; rerun with CORRIDOR_DEBUG=1 and report the traceback",
    )
    return EXIT_INTERNAL
