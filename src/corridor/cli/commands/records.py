"""The commands that move whole records: import, export, schema, and the audit log.

Registered with the editing commands by corridor.cli.main.register_commands(). Like the rest of
the CLI: parse, call one service (corridor.services.records for import, schema and log,
corridor.services.transfer for export), render (corridor.present.changes, .views).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from corridor.cli import writing
from corridor.cli.app import app
from corridor.cli.options import (
    BomOpt,
    ByOpt,
    DbOpt,
    DryRunOpt,
    HxlOpt,
    IncludePlansOpt,
    Out,
    OutOpt,
    TzOpt,
    WideOpt,
    YesOpt,
    named,
    read_settings,
)
from corridor.cli.output import json_text, out, say, table_width, write_file
from corridor.cli.sharing import check_hxl, hxl_csv, ics_text, plan_verdict_rows
from corridor.cli.writing import date_of
from corridor.core.errors import UsageError
from corridor.core.terms import day_start
from corridor.present.changes import import_notes, log_empty, log_text
from corridor.present.plans import ics_events
from corridor.present.render import to_csv
from corridor.present.safe import ascii_only
from corridor.present.views import log_view
from corridor.services.calendar import all_deadlines


class ExportFormat(StrEnum):
    """--format of `corridor export`: the whole record, the deadlines, or a calendar."""

    yaml = "yaml"
    json = "json"
    csv = "csv"
    ics = "ics"


@app.command("import")
def import_(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="A record file, YAML or JSON; - for stdin.")
    ],
    yes: YesOpt = False,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Merge a record file into the database: all or nothing, by natural keys.

    Crossings match by slug, instruments by symbol, drafts by date and title: importing the
    same file twice changes nothing. Errors name the file, line and field, and leave the
    database as it was. Changing records already recorded asks first (--yes skips).

    \b
    Examples:
      corridor import team.yaml
      corridor export | ssh field-office corridor import - --yes
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.records import import_text, read_record_file

    name, text = read_record_file(file)
    change = writing.change(by, "import", name)
    progress = _progress_on_terminal("Importing instruments")
    result = writing.write(
        db,
        change,
        lambda conn, ch: import_text(conn, text, name, ch, progress),
        yes=yes,
        dry_run=dry_run,
    )
    writing.report(result, fmt)
    if result is not None and fmt is Out.table:
        for line in import_notes(result):
            say(line)


def _progress_on_terminal(label: str, at_least: int = 200):
    """A progress callback that redraws one line on stderr, for a person watching a long
    import; nothing when stderr is not a terminal (cron logs stay clean) or the work is short."""
    if not sys.stderr.isatty():
        return None
    step = {"last": 0}

    def show(done: int, total: int) -> None:
        if total < at_least or (done - step["last"] < max(1, total // 100) and done != total):
            return
        step["last"] = done
        sys.stderr.write(f"\r{label}: {done}/{total}" + ("\n" if done == total else ""))
        sys.stderr.flush()

    return show


@app.command("export")
def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="yaml or json: the whole record (docs/format.md); csv: the deadlines table; "
            "ics: every deadline as an iCalendar feed (docs/sharing.md).",
        ),
    ] = ExportFormat.yaml,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
    hxl: HxlOpt = False,
    include_plans: IncludePlansOpt = False,
    bom: BomOpt = False,
    db: DbOpt = None,
) -> None:
    """Write the whole record in the native format, the deadlines as CSV, or a calendar.

    The output is deterministic: export, import into an empty database, export again gives
    the same bytes (for ics: the same but for each event's DTSTAMP, the time of the export).

    \b
    Examples:
      corridor export -o backup.yaml
      corridor export --format json | jq '.instruments[].symbol'
      corridor export --format csv -o deadlines.csv
      corridor export --format csv --hxl -o deadlines-hxl.csv
      corridor export --format ics -o corridor.ics
    """
    # lazy: services.transfer imports sqlalchemy; --help and completion import this module
    from corridor.services.transfer import CSV_COLUMNS, deadline_rows, export_text

    check_hxl(hxl, fmt, bom)
    if include_plans and fmt.value != "ics":  # the record file stays the record
        raise UsageError(
            "--include-plans goes with --format ics: plans are not part of the record",
            "write the plans to their own private file: corridor plan export -o plans.csv",
        )
    with writing.engine(db, read_only=True).connect() as conn:
        if fmt.value == "ics":
            reader = read_settings(None, None)
            plans = b""
            if include_plans:  # private: never without the flag (README "Guarantees")
                plans = ics_events(plan_verdict_rows(conn, reader), reader.at)
            text = ics_text(conn, all_deadlines(conn, at=reader.at, tz=reader.tz), plans=plans)
        elif fmt.value == "csv" and hxl:
            text = hxl_csv("export", deadline_rows(conn), list(CSV_COLUMNS), conn, bom=bom)
        elif fmt.value == "csv":
            text = to_csv(deadline_rows(conn), CSV_COLUMNS, bom=bom)
        else:
            text = export_text(conn, fmt.value, ascii=output is None and ascii_only(sys.stdout))
    if output is None:
        out(text)
        return
    write_file(output, text)
    say(f"Wrote {output}.")


@app.command("schema")
def schema_(
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
) -> None:
    """Print the record format as a JSON Schema, for editors and other tools.

    \b
    Example:
      corridor schema -o corridor-record.schema.json
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.records import schema_text

    text = schema_text()
    if output is None:
        out(text)
        return
    write_file(output, text)
    say(f"Wrote {output}.")


@app.command("log")
def log(
    crossing: Annotated[
        str | None,
        typer.Option(
            "--crossing",
            "-c",
            metavar="NAME",
            callback=named,
            help="Only changes touching this crossing (any name).",
        ),
    ] = None,
    instrument: Annotated[
        str | None,
        typer.Option(
            "--instrument", "-i", metavar="SYMBOL", help="Only changes to this instrument."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only changes on or after DATE (your zone)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, max=1_000_000, help="At most N.")
    ] = None,
    fmt: OutOpt = Out.table,
    wide: WideOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Who changed what, when, and from which source: newest first.

    \b
    Examples:
      corridor log --crossing "bab al hawa"
      corridor log --since 2025-01-01 --format json
      corridor log --instrument "S/RES/2642 (2022)" -n 5
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.records import audit_log

    reader = read_settings(tz, None)
    start = day_start(date_of(since, "--since"), reader.tz) if since else None
    with writing.engine(db, read_only=True).connect() as conn:
        items = audit_log(conn, crossing=crossing, instrument=instrument, since=start, limit=limit)
    if fmt is Out.json:
        out(json_text(log_view(reader.zone_name, items)))
        return
    if not items:
        say(log_empty(bool(crossing or since or (instrument or "").strip())))
        return
    out(log_text(items, reader.tz, reader.zone_name, table_width(wide)))
