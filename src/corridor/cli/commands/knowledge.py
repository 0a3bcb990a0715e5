"""`corridor crossing checked`: the record for these crossings is complete as of a date."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli import clock, writing
from corridor.cli.app import crossing_app
from corridor.cli.options import (
    ByOpt,
    DbOpt,
    DryRunOpt,
    Out,
    OutOpt,
    SourceOpt,
    complete_crossing,
    split_values,
)
from corridor.cli.writing import fact_of


@crossing_app.command("checked")
def crossing_checked(
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="CROSSING...",
            autocompletion=complete_crossing,
            help="Crossings whose record is complete (any name; commas also separate).",
        ),
    ],
    on: Annotated[
        str,
        typer.Option(
            "--on",
            metavar="WHEN",
            help="Complete as of this date (YYYY-MM-DD) or instant (2025-02-01T10:00Z).",
        ),
    ],
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What was checked, and where.")
    ] = None,
    source: SourceOpt = None,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Say the record for these crossings is complete as of a date.

    Run this once you have checked the sources up to DATE and recorded everything they say.
    An authority that ended before DATE with no renewal recorded then reads "lapsed" (the
    check confirms it) instead of "no renewal recorded" (an alarm). DATE may be an instant
    (2025-02-01T10:00Z); typed on its own day, the check is known from the moment you run it.

    \b
    Example:
      corridor crossing checked "Bab al-Hawa" "Bab al-Salam" --on 2025-02-01 \\
          --note "OCHA updates to 2025-02-01" --dry-run

    Next: corridor status, or corridor crossing show NAME.
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.knowledge import mark_checked

    day, at = fact_of(on, "--on")
    change = writing.change(by, "crossing checked", source)
    now = clock.now_utc()
    writing.report(
        writing.write(
            db,
            change,
            lambda conn, ch: mark_checked(
                conn, split_values(names), day, ch, note, at=at, recorded_at=now
            ),
            dry_run=dry_run,
        ),
        fmt,
    )
