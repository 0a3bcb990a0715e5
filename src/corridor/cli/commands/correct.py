"""The commands that correct the record: `correct` (fields, validated like an import) and
`remove` (a record entered by mistake).

Registered by corridor.cli.main.register_commands(), like the other editing commands
(corridor.cli.commands.edit): parse, call one service (corridor.services.corrections) through
the unit of work (corridor.cli.writing.write), which asks before it overwrites or removes
(--yes skips), and show the result.
"""

from typing import Annotated

import typer

from corridor.cli import writing
from corridor.cli.app import app
from corridor.cli.complete import complete_symbol
from corridor.cli.options import ByOpt, DbOpt, DryRunOpt, Out, OutOpt, SourceOpt, YesOpt
from corridor.core.errors import UsageError

InsteadCrossingOpt = Annotated[
    str | None, typer.Option("--crossing", metavar="TEXT", help="Act on this crossing instead.")
]
InsteadDraftOpt = Annotated[
    str | None,
    typer.Option("--draft", metavar='"DATE TITLE"', help="Act on this draft instead."),
]


@app.command("correct")
def correct(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SYMBOL] FIELD=VALUE...",
            help="The instrument (unless --crossing or --draft), then the fields to change.",
        ),
    ] = None,
    crossing: InsteadCrossingOpt = None,
    draft: InsteadDraftOpt = None,
    source: SourceOpt = None,
    yes: YesOpt = False,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Correct recorded fields, validated like an import. Asks first (--yes skips).

    Fields are the record format's (docs/format.md). An empty value clears a field or removes
    a list item; an index one past the end adds one. For an instrument with one period,
    `until=` means `periods[0].until=`. Changing symbol, slug, date or title renames in place.

    \b
    Examples:
      corridor correct "S/RES/2642 (2022)" "source_url=https://undocs.org/S/RES/2642(2022)"
      corridor correct 2585 "periods[1].until=2022-07-10" --source "UN press release"
      corridor correct 2642 "reports[1].due=2023-06-10" "reports[1].description=SG report"
      corridor correct --crossing "bab al hawa" "notes=Reyhanlı side" --dry-run
      corridor correct --draft "2022-07-08 Ireland" vote=13-1-1
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.corrections import correct as run

    args = list(args or [])
    symbol = None if (crossing or draft) else (args.pop(0) if args else None)
    if symbol and "=" in symbol and not args:
        raise UsageError("name the instrument first, then FIELD=VALUE")
    target = _target(symbol, crossing, draft)
    change = writing.change(by, "correct", source)
    writing.report(
        writing.write(
            db, change, lambda conn, ch: run(conn, target, args, ch), yes=yes, dry_run=dry_run
        ),
        fmt,
    )


@app.command("remove")
def remove(
    symbol: Annotated[
        str | None,
        typer.Argument(
            metavar="[SYMBOL]", autocompletion=complete_symbol, help="The instrument to remove."
        ),
    ] = None,
    crossing: InsteadCrossingOpt = None,
    draft: InsteadDraftOpt = None,
    source: SourceOpt = None,
    yes: YesOpt = False,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Remove a record entered by mistake. Asks first (--yes skips); the audit trail keeps it.

    Refused while other records depend on it (an instrument that renews it, an instrument or
    draft that names a crossing).

    \b
    Examples:
      corridor remove "S/RES/9999 (2025)"
      corridor remove --crossing jaber --yes --dry-run
      corridor remove --draft "2023-07-11 Russia"
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.corrections import remove as run

    target = _target(symbol, crossing, draft)
    change = writing.change(by, "remove", source)
    writing.report(
        writing.write(db, change, lambda conn, ch: run(conn, target, ch), yes=yes, dry_run=dry_run),
        fmt,
    )


def _target(symbol: str | None, crossing: str | None, draft: str | None):
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.corrections import Target

    given = [
        (kind, text)
        for kind, text in (("instrument", symbol), ("crossing", crossing), ("draft", draft))
        if text
    ]
    if len(given) != 1:
        raise UsageError(
            'name one record: an instrument SYMBOL, --crossing NAME, or --draft "DATE TITLE"'
        )
    kind, text = given[0]
    return Target(kind, text)
