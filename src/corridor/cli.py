"""The command line: parse, call one service, render, and map errors to exit codes in
`main()`, the one error boundary. Everything below this module is terminal-agnostic."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Annotated

import typer

from corridor import __version__, clock
from corridor.errors import EXIT_INTERNAL, EXIT_USAGE, CorridorError, UsageError
from corridor.render import Format, to_csv, to_json, to_table, use_colour

EXIT_CODES_HELP = (
    "Exit codes: 0 ok (also when nothing is due), 1 internal error, 2 usage error (bad option, "
    "date, duration or timezone), 3 not found (no such crossing or instrument), 4 database "
    "unreachable or at the wrong schema, 5 invalid data."
)

app = typer.Typer(
    name="corridor",
    help="Track the legal authorizations that keep humanitarian cross-border corridors open: "
    "what expires next, what covers each crossing, and every crossing's history.\n\n"
    "Start with:  corridor upcoming   then   corridor status",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
crossing_app = typer.Typer(
    help="Look up crossings and their history.", no_args_is_help=True, rich_markup_mode=None
)
db_app = typer.Typer(
    help="Where the record lives, and its schema.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(crossing_app, name="crossing")
app.add_typer(db_app, name="db")


def _complete_crossing(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        from corridor.config import load_config
        from corridor.db import SCHEMA_HEAD, connect_reader, resolve_location
        from corridor.lookup import complete

        location = resolve_location(ctx.params.get("db"), load_config())
        with connect_reader(location, create=False) as rd:
            if not rd.has_table("alembic_version"):
                return []
            if rd.scalar("SELECT version_num FROM alembic_version") != SCHEMA_HEAD:
                return []
            return complete(rd, incomplete)
    except Exception:  # completion must never print a traceback into the user's prompt
        return []


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Database URL or SQLite file. Default: $CORRIDOR_DATABASE_URL, the config file, "
        "then a SQLite file in your data dir (see: corridor db path).",
    ),
]
TzOpt = Annotated[
    str | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        help="Your IANA timezone, for times and days left. Default: $CORRIDOR_TZ, the config "
        "file, then the system zone.",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Answer as the tool would have on DATE (YYYY-MM-DD): later instruments and "
        "decisions are invisible. Default: today in your timezone.",
    ),
]
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="table for people; json (stable, documented) or csv for scripts."
    ),
]
CrossingOpt = Annotated[
    str | None,
    typer.Option(
        "--crossing",
        "-c",
        metavar="NAME",
        autocompletion=_complete_crossing,
        help="Only this crossing (any name, alias, spelling or script).",
    ),
]


@dataclass
class Reader:
    zone_name: str
    tz: tzinfo
    as_of: date
    config: dict


def _reader(tz_opt: str | None, as_of_opt: str | None) -> Reader:
    from corridor.config import load_config
    from corridor.terms import parse_date, zone

    config = load_config()
    name = (
        tz_opt
        or os.environ.get("CORRIDOR_TZ")
        or config.get("timezone")
        or clock.system_zone_name()
    )
    tz = zone(name)
    as_of = parse_date(as_of_opt, what="--as-of") if as_of_opt else clock.today_in(tz)
    return Reader(name, tz, as_of, config)


def _open(db_opt: str | None, config: dict):
    from corridor.db import open_database, reference_wanted, resolve_location

    return open_database(
        resolve_location(db_opt, config), load_reference=reference_wanted(config), notify=_say
    )


def _read(db_opt: str | None, config: dict):
    """A read-only connection for the report commands: no SQLAlchemy import (corridor.sql)."""
    from corridor.db import open_reader, reference_wanted, resolve_location

    return open_reader(
        resolve_location(db_opt, config), load_reference=reference_wanted(config), notify=_say
    )


def _json(payload: dict) -> str:
    return to_json(payload, pretty=sys.stdout.isatty())


def _out(text: str) -> None:
    sys.stdout.write(text)


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")


def _within_days(text: str, as_of: date) -> int:
    from corridor.terms import parse_term

    if text.strip().isdigit():
        return int(text)
    term = parse_term(text, what="--within")
    return (term.after(as_of) - as_of).days


def _knowledge_warning(conn, as_of: date) -> None:
    from corridor.reports import knowledge_ends

    ends = knowledge_ends(conn)
    if ends is not None and as_of > ends:
        _say(
            f"Note: the record's knowledge ends {ends}; nothing later is known to it. "
            "Record newer instruments to keep these answers true."
        )


# ---------------------------------------------------------------- reports


@app.command()
def upcoming(
    within: Annotated[
        str,
        typer.Option(
            "--within",
            "-w",
            metavar="DAYS",
            help="How far ahead: days (90 or 90d), weeks (2w) or months (6mo).",
        ),
    ] = "90",
    as_of: AsOfOpt = None,
    crossing: CrossingOpt = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind", "-k", metavar="KINDS", help="Comma-separated: expiry, review, report."
        ),
    ] = "expiry,review,report",
    fmt: FormatOpt = Format.table,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Deadlines due in the window, soonest first: expiries, review points, report dates.

    \b
    Examples:
      corridor upcoming
      corridor upcoming --within 6mo --crossing "bab al hawa"
      corridor upcoming --as-of 2022-12-20 --format json

    Days left count calendar days in your timezone to the last covered moment: an expiry
    "until 10 January" at midnight in New York ends at 08:00 on 11 January in Istanbul.
    Next: corridor status, or corridor crossing show NAME.
    """
    from corridor.lookup import find_crossing
    from corridor.reports import upcoming as run
    from corridor.vocab import DEADLINE_KINDS

    kinds = tuple(k.strip() for k in kind.split(",") if k.strip())
    bad = [k for k in kinds if k not in DEADLINE_KINDS]
    if bad or not kinds:
        raise UsageError(
            f'unknown kind "{",".join(bad)}"', "use one or more of: expiry,review,report"
        )
    reader = _reader(tz, as_of)
    days = _within_days(within, reader.as_of)
    with _read(db, reader.config) as conn:
        ids = [find_crossing(conn, crossing)] if crossing else None
        items = run(
            conn, as_of=reader.as_of, within=days, tz=reader.tz, crossing_ids=ids, kinds=kinds
        )
        _knowledge_warning(conn, reader.as_of)
    rows = [
        dict(
            date=d.date,
            days_left=d.days_left,
            kind=d.kind,
            crossings=d.crossings,
            crossing_slugs=d.slugs,
            instrument=d.instrument,
            note=d.note,
            due_at=d.due_at,
            due_local=d.due_local,
            authority_timezone=d.authority_timezone,
            conditional=d.conditional,
            uid=d.uid,
        )
        for d in items
    ]
    if fmt is Format.json:
        _out(
            _json(dict(as_of=reader.as_of, timezone=reader.zone_name, within_days=days, items=rows))
        )
    elif fmt is Format.csv:
        _out(
            to_csv(
                rows, ["date", "days_left", "kind", "crossings", "instrument", "due_local", "note"]
            )
        )
    elif rows:
        for r in rows:
            r["left"] = "today" if r["days_left"] == 0 else f"{r['days_left']}d"
        _out(
            to_table(
                rows,
                [
                    ("date", "DATE"),
                    ("left", "LEFT"),
                    ("kind", "KIND"),
                    ("crossings", "CROSSINGS"),
                    ("instrument", "INSTRUMENT"),
                    ("due_local", f"ENDS ({reader.zone_name})"),
                    ("note", "NOTE"),
                ],
                colour=use_colour(sys.stdout),
                styles={"left": lambda r: "red" if r["days_left"] <= 7 else None},
            )
        )
    if not rows:
        _say(f"Nothing due in the next {days} days (as of {reader.as_of}, {reader.zone_name}).")


def _status_rows(items) -> list[dict]:
    return [
        dict(
            crossing=s.crossing,
            slug=s.slug,
            authorized=s.authorized,
            state=s.state,
            until=s.until,
            until_at=s.until_at,
            until_local=s.until_local,
            days_left=s.days_left,
            instruments=s.instruments,
            lapsed_since=s.lapsed_since,
            last_instrument=s.last_instrument,
            pending=s.pending,
            record_ends=s.record_ends,
            note=s.note,
        )
        for s in items
    ]


_STATE_WORDS = {
    "authorized": "authorized",
    "lapsed": "lapsed",
    "never": "never",
    "no_known_authority": "no known authority",
}


@app.command()
def status(
    as_of: AsOfOpt = None,
    crossing: CrossingOpt = None,
    fmt: FormatOpt = Format.table,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Each crossing on a date: authorized or not, by which instruments, until when.

    \b
    Examples:
      corridor status
      corridor status --as-of 2022-07-11
      corridor status --format json | jq '.items[] | select(.authorized)'

    A crossing that is not authorized shows since when it lapsed, or that it never was;
    after the record's knowledge ends it shows "no known authority", never a guess.
    Next: corridor crossing show NAME for the whole history.
    """
    from corridor.lookup import find_crossing
    from corridor.reports import status as run

    reader = _reader(tz, as_of)
    with _read(db, reader.config) as conn:
        ids = [find_crossing(conn, crossing)] if crossing else None
        items = run(conn, as_of=reader.as_of, tz=reader.tz, crossing_ids=ids)
        _knowledge_warning(conn, reader.as_of)
    rows = _status_rows(items)
    if fmt is Format.json:
        _out(_json(dict(as_of=reader.as_of, timezone=reader.zone_name, items=rows)))
    elif fmt is Format.csv:
        _out(
            to_csv(
                rows,
                [
                    "crossing",
                    "authorized",
                    "state",
                    "until",
                    "days_left",
                    "instruments",
                    "lapsed_since",
                    "note",
                ],
            )
        )
    else:
        for r in rows:
            r["status"] = _STATE_WORDS[r["state"]]
            r["left"] = None if r["days_left"] is None else f"{r['days_left']}d"
        _out(
            to_table(
                rows,
                [
                    ("crossing", "CROSSING"),
                    ("status", "STATUS"),
                    ("until", "UNTIL"),
                    ("left", "LEFT"),
                    ("instruments", "INSTRUMENTS"),
                    ("note", "NOTE"),
                ],
                colour=use_colour(sys.stdout),
                styles={"status": lambda r: "green" if r["authorized"] else "red"},
            )
        )
        if not rows:
            _say("The record has no crossings. Add one, or import a record.")


def _version(value: bool) -> None:
    if value:
        _out(f"corridor {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Track the legal authorizations that keep humanitarian cross-border corridors open."""


# ---------------------------------------------------------------- the error boundary


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error becomes `Error: …` on stderr and a documented exit code."""
    code = run(argv)
    sys.exit(code)


# The read commands run on every TAB press and every cron tick. Typer builds every registered
# command on each run, so the other commands (cli_crossing, cli_db, cli_edit, cli_records) are
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
    first = next((w for w in _command_words(argv) if not w.startswith("-")), None)
    if first not in _HOT_COMMANDS:
        import corridor.cli_crossing  # noqa: F401  (each registers its commands on `app`)
        import corridor.cli_db  # noqa: F401
        import corridor.cli_edit  # noqa: F401
        import corridor.cli_records  # noqa: F401


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
        _say("Aborted.")
        return 130
    except BrokenPipeError:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the reader went away (| head)
        return 0
    except Exception as exc:
        return _internal(exc)


def _error(message: str, hint: str | None) -> None:
    _say(f"Error: {message}")
    if hint:
        _say(f"  {hint}")


def _internal(exc: Exception) -> int:
    from corridor.errors import EXIT_DATABASE

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
