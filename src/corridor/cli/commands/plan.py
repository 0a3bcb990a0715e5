"""`corridor plan …`: planned movements (convoys) and their verdicts (docs/plans.md).

Parse, call one service (corridor.services.plans for writes, corridor.services.plan_check for
verdicts), render (corridor.present.plans, .views). Writes run through the unit of work in one
write transaction with retry, like every edit (corridor.cli.writing.run); --dry-run runs the
same transaction and rolls it back.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from corridor.cli import writing
from corridor.cli.app import app
from corridor.cli.complete import complete_crossing
from corridor.cli.options import (
    AsOfOpt,
    ByOpt,
    CrossingsOpt,
    DbOpt,
    FormatOpt,
    NoteOpt,
    TzOpt,
    WideOpt,
    crossing_ids,
    open_read,
    read_settings,
    within_days,
)
from corridor.cli.output import json_text, out, say, table_width, use_colour, write_file
from corridor.core.errors import CorridorError
from corridor.core.verdicts import RANK
from corridor.present.plans import table, verdict_rows
from corridor.present.render import Format, only, to_csv, to_table
from corridor.present.views import plan_check_view, plan_list_view
from corridor.services.plan_check import check as check_plans
from corridor.services.plan_check import read_plans

plan_app = typer.Typer(
    help="Planned movements (convoys): record them, and check each against the authority it "
    "depends on. Plans are private: never in the record's export, calendar or reports.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(plan_app, name="plan")

# `plan check`: a movement in the window is not covered (README "Exit codes").
EXIT_NOT_COVERED = 7


class FailOn(StrEnum):
    at_risk = "at_risk"
    blocked = "blocked"


DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Show what would change; change nothing.")
]
MovementCrossingOpt = Annotated[
    str,
    typer.Option(
        "--crossing",
        "-c",
        metavar="NAME",
        autocompletion=complete_crossing,
        help="The crossing (any name or spelling).",
    ),
]


@plan_app.command("add")
def add(
    ref: Annotated[str, typer.Argument(metavar="REF", help="Your reference, e.g. CONVOY-0712.")],
    crossing: MovementCrossingOpt,
    on: Annotated[str, typer.Option("--on", metavar="DATE", help="The (first) day.")],
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="The last day of a window.")
    ] = None,
    note: NoteOpt = None,
    dry_run: DryRunOpt = False,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Record a planned movement, or change the one with this reference.

    \b
    Examples:
      corridor plan add CONVOY-0712 --crossing "bab al hawa" --on 2023-07-12
      corridor plan add CONVOY-0720 -c cilvegozu --on 2023-07-20 --until 2023-07-22 -n

    Next: corridor plan check
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.plans import check_input, upsert

    item = check_input(ref, crossing, on, until, note)
    change = writing.change(by, "plan add", None)
    writing.run(db, change, lambda conn, ch: upsert(conn, [item], ch), dry_run=dry_run)


@plan_app.command("import")
def import_(
    path: Annotated[str, typer.Argument(metavar="FILE.csv", help="ref,crossing,on,until,note")],
    replace: Annotated[
        bool, typer.Option("--replace", help="The file is the whole plan: remove the others.")
    ] = False,
    dry_run: DryRunOpt = False,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Import movements from a CSV file, merged by ref; all or nothing.

    The file has a header row (ref,crossing,on,until,note; until and note may be left out)
    and is UTF-8, with or without a BOM. An error names its line and field.

    \b
    Examples:
      corridor plan export -o plan.csv && corridor plan import plan.csv --dry-run
      corridor plan export -o plan.csv && corridor plan import plan.csv --replace
    """
    # lazy: the services import sqlalchemy, record.files yaml; every command imports this module
    from corridor.record.files import read_text
    from corridor.services.plans import check_rows, parse_csv, upsert

    try:
        text = read_text(path)
    except CorridorError as exc:
        raise type(exc)(f"{path}: {exc.message}", exc.hint) from None
    items = parse_csv(text)
    check_rows(items)
    change = writing.change(by, "plan import", path)
    run = lambda conn, ch: upsert(conn, items, ch, replace=replace)  # noqa: E731
    writing.run(db, change, run, dry_run=dry_run)


@plan_app.command("remove")
def remove(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The movement's reference.")],
    dry_run: DryRunOpt = False,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Remove a planned movement (the audit trail keeps it).

    \b
    Example:
      corridor plan remove CONVOY-0712 --dry-run
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.plans import remove as run

    change = writing.change(by, "plan remove", None)
    writing.run(db, change, lambda conn, ch: run(conn, ref, ch), dry_run=dry_run)


@plan_app.command("list")
def list_(
    fmt: FormatOpt = Format.table,
    wide: WideOpt = False,
    db: DbOpt = None,
) -> None:
    """Every planned movement, by first day.

    \b
    Example:
      corridor plan list --format json
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.plans import COLUMNS, plan_rows

    only(fmt, (Format.table, Format.json, Format.csv), "plan list")
    reader = read_settings(None, None)
    with open_read(db, reader.config) as conn:
        rows = plan_rows(read_plans(conn))
    if fmt is Format.json:
        out(json_text(plan_list_view(rows)))
    elif fmt is Format.csv:
        out(to_csv(rows, list(COLUMNS)))
    elif rows:
        columns = [("ref", "REF"), ("crossing", "CROSSING"), ("on", "ON"), ("until", "UNTIL")]
        columns.append(("note", "NOTE"))
        out(to_table(rows, columns, colour=use_colour(sys.stdout), width=table_width(wide)))
    else:
        say("No planned movement. Add one: corridor plan add REF --crossing NAME --on DATE")


@plan_app.command("export")
def export(
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (mode 0600)."),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Write the plan as CSV (ref,crossing,on,until,note), as `plan import` reads it.

    The file is private to you (0600): convoy dates are security information.

    \b
    Example:
      corridor plan export -o plan.csv
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.plans import to_csv_text

    reader = read_settings(None, None)
    with open_read(db, reader.config) as conn:
        text = to_csv_text(read_plans(conn))
    if output is None:
        out(text)
        return
    write_file(output, text, mode=0o600)
    say(f"Wrote {output}.")


CHECK_EPILOG = (
    "Exit codes: 0 every movement in the window is covered; 7 one is not (with --fail-on: "
    "one is at that verdict or worse); 2-5 as for every command."
)


@plan_app.command("check", epilog=CHECK_EPILOG)
def check(
    as_of: AsOfOpt = None,
    within: Annotated[
        str,
        typer.Option("--within", "-w", metavar="DAYS", help="Movements starting within DAYS."),
    ] = "90",
    crossing: CrossingsOpt = None,
    fmt: FormatOpt = Format.table,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 7 only for this verdict or worse (at_risk < unknown < blocked). "
            "Default: any movement not covered.",
        ),
    ] = None,
    wide: WideOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> int:
    """Each planned movement's verdict: covered, at_risk, blocked or unknown.

    covered: authorized all its days, as known now (with the margin to the authority's end);
    at_risk: it falls after a deadline whose outcome is not known yet (depends_on names it);
    blocked: the record knows there is no authority that day; unknown: the record cannot say.

    \b
    Examples:
      corridor plan check
      corridor plan check --as-of 2022-12-20 --within 60 --format json
      corridor plan check --fail-on blocked || echo "a convoy is blocked"
    """
    only(fmt, (Format.table, Format.json, Format.csv), "plan check")
    reader = read_settings(tz, as_of)
    days = within_days(within, reader.as_of)
    with open_read(db, reader.config) as conn:
        ids = crossing_ids(conn, crossing)
        items = check_plans(conn, at=reader.at, tz=reader.tz, within=days, crossing_ids=ids)
    rows = verdict_rows(items)
    if fmt is Format.json:
        out(json_text(plan_check_view(reader.as_of, reader.at, reader.zone_name, days, rows)))
    elif fmt is Format.csv:
        columns = ["ref", "crossing", "on", "until", "verdict", "day", "margin_days", "why"]
        out(to_csv(rows, columns))
    elif rows:
        out(table(rows, colour=use_colour(sys.stdout), width=table_width(wide)))
    else:
        say(f"No planned movement within {days} days (as of {reader.label}).")
    floor = RANK[fail_on.value] if fail_on else RANK["at_risk"]
    worse = [r for r in rows if RANK[r["verdict"]] >= floor]
    if worse:
        say(f"{len(worse)} of {len(rows)} planned movements in the window not covered.")
        return EXIT_NOT_COVERED
    return 0
