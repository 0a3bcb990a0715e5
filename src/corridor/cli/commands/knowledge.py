"""`corridor crossing checked`: the record for these crossings is complete as of a date."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli.app import crossing_app
from corridor.cli.commands.edit import (
    ByOpt,
    DryRunOpt,
    Out,
    OutOpt,
    SourceOpt,
    _change,
    _date,
    _report,
    _write,
)
from corridor.cli.options import DbOpt, complete_crossing, split_values


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
        str, typer.Option("--on", metavar="DATE", help="Complete as of this date (YYYY-MM-DD).")
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

    Until then, after the last recorded fact about a crossing, reports answer "no known
    authority" rather than "lapsed", and warn that the record knows nothing later. Run this
    once you have checked the sources up to DATE and recorded everything they say.

    \b
    Example:
      corridor crossing checked "Bab al-Hawa" "Bab al-Salam" --on 2025-02-01 \\
          --note "OCHA updates to 2025-02-01" --dry-run

    Next: corridor status, or corridor crossing show NAME.
    """
    from corridor.services.knowledge import mark_checked

    day = _date(on, "--on")
    change = _change(by, "crossing checked", source)
    _report(
        _write(
            db,
            change,
            lambda conn, ch: mark_checked(conn, split_values(names), day, ch, note),
            dry_run=dry_run,
        ),
        fmt,
    )
