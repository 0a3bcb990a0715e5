"""The commands for the time-shaped facts of docs/records.md ("Shapes beyond a plain period"):
`object` (an objection to an automatic renewal), `terminate`, and `unknown` (a span with no
source). Registered by corridor.cli.main.register_commands; the services are
corridor.services.shapes, called through the unit of work (corridor.cli.writing.write)."""

from typing import Annotated

import typer

from corridor.cli import clock, writing
from corridor.cli.app import app
from corridor.cli.options import (
    ByOpt,
    DbOpt,
    DryRunOpt,
    NoteOpt,
    Out,
    OutOpt,
    PartyOpt,
    SourceOpt,
    YesOpt,
)
from corridor.cli.writing import date_of, fact_of


@app.command("object")
def object_(
    symbol: Annotated[
        str, typer.Argument(metavar="SYMBOL", help="The instrument (or part of it).")
    ],
    on: Annotated[
        str,
        typer.Option(
            "--on",
            metavar="WHEN",
            help="The day the objection was notified, or its instant; known from the end of "
            "that day unless a time is given.",
        ),
    ],
    party: PartyOpt,
    period: Annotated[
        int | None,
        typer.Option("--period", metavar="N", help="Which period (0, 1, ...) if several renew."),
    ] = None,
    note: NoteOpt = None,
    source: SourceOpt = None,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Record a party's objection to an automatic renewal: the renewal stops at the current end.

    \b
    Examples:
      corridor add "Example agreement (2025)" --kind agreement --authority "Parties A-D" \\
          --authority-zone Europe/Istanbul --adopted 2025-01-01 --for 120d -c "bab al hawa" \\
          --auto-renew 60d --notice 30d --dry-run
      corridor object "Example agreement (2025)" --on 2025-03-20 --party "Party C" \\
          --source "Party C's letter of 20 March" --dry-run

    An objection notified on DATE stops the first renewal whose last day to object is on or
    after DATE. Reports as of an earlier day do not see it. Next: corridor status.
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.shapes import record_objection

    day, at = fact_of(on, "--on")
    change = writing.change(by, "object", source)
    now = clock.now_utc()
    writing.report(
        writing.write(
            db,
            change,
            lambda conn, ch: record_objection(
                conn,
                symbol,
                day,
                party,
                ch,
                period=period,
                source=source,
                note=note,
                at=at,
                recorded_at=now,
            ),
            dry_run=dry_run,
        ),
        fmt,
    )


@app.command("terminate")
def terminate(
    symbol: Annotated[
        str, typer.Argument(metavar="SYMBOL", help="The instrument (or part of it).")
    ],
    effective: Annotated[
        str,
        typer.Option(
            "--effective", metavar="DATE", help='"With effect from": the first day not covered.'
        ),
    ],
    known: Annotated[
        str,
        typer.Option(
            "--known",
            metavar="WHEN",
            help="The day the termination became known, or its instant (2025-06-01T10:00Z).",
        ),
    ],
    party: Annotated[
        str | None,
        typer.Option("--party", metavar="PARTY", help="The party that terminates it."),
    ] = None,
    note: NoteOpt = None,
    source: SourceOpt = None,
    yes: YesOpt = False,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Record that an instrument ends early, with effect from a date, known from another.

    \b
    Examples:
      corridor terminate "S/RES/2672 (2023)" --effective 2023-05-01 --known 2023-04-20 \\
          --party "UN Security Council" --source "an invented example" --dry-run

    Until the termination is known (the end of the --known day in the authority's zone,
    unless it gives a time), reports show the old end; from then on, the coverage ends at the
    start of --effective. Nothing recorded is rewritten. Next: corridor crossing show NAME.
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.shapes import record_termination

    eff, (knw, knw_at) = date_of(effective, "--effective"), fact_of(known, "--known")
    change = writing.change(by, "terminate", source)
    now = clock.now_utc()
    writing.report(
        writing.write(
            db,
            change,
            lambda conn, ch: record_termination(
                conn,
                symbol,
                eff,
                knw,
                ch,
                by=party,
                source=source,
                note=note,
                known_at=knw_at,
                recorded_at=now,
            ),
            yes=yes,
            dry_run=dry_run,
        ),
        fmt,
    )


@app.command("unknown")
def unknown(
    crossing: Annotated[str, typer.Argument(metavar="CROSSING", help="Any name of the crossing.")],
    from_: Annotated[
        str, typer.Option("--from", metavar="DATE", help="The first day no source covers.")
    ],
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="The last such day.")],
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What is known, and why not more.")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", metavar="ZONE", help="The zone of the dates (default UTC)."),
    ] = None,
    source: SourceOpt = None,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Mark a span of a crossing's history unknown: reports say "unknown (no source)" there.

    \b
    Examples:
      corridor unknown "bab al salam" --from 2023-05-14 --to 2023-08-13 \\
          --timezone Asia/Damascus --note "an extension surely covered it; no source gives dates" \\
          --dry-run

    Inside the span, where no recorded instrument covers the crossing, `status` answers
    `unknown`, never `lapsed`. Next: corridor crossing show NAME.
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.shapes import mark_unknown

    start, until = date_of(from_, "--from"), date_of(to, "--to")
    change = writing.change(by, "unknown", source)
    writing.report(
        writing.write(
            db,
            change,
            lambda conn, ch: mark_unknown(
                conn,
                crossing,
                start,
                until,
                ch,
                note=note,
                source=source,
                timezone=timezone,
                recorded_at=clock.now_utc(),
            ),
            dry_run=dry_run,
        ),
        fmt,
    )
