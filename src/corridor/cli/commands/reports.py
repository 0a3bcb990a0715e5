"""The hot read commands, upcoming and status, as Typer knows them: their options and help.
Their bodies are in corridor.cli.hot, which corridor.cli.main also runs without Typer for a
plain command line. Always registered; they import nothing heavy."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli.app import app
from corridor.cli.options import (
    AsOfOpt,
    BomOpt,
    CrossingsOpt,
    DbOpt,
    FormatOpt,
    HxlOpt,
    KindsOpt,
    KnownAtOpt,
    QuietOpt,
    TableFormat,
    TableFormatOpt,
    TzOpt,
    WideOpt,
)
from corridor.present.render import Format


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
    known_at: KnownAtOpt = None,
    crossing: CrossingsOpt = None,
    kind: KindsOpt = None,
    fmt: FormatOpt = Format.table,
    hxl: HxlOpt = False,
    bom: BomOpt = False,
    wide: WideOpt = False,
    quiet: QuietOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Deadlines due in the window, soonest first: expiries, review points, report dates.

    \b
    Examples:
      corridor upcoming
      corridor upcoming --within 6mo --crossing "bab al hawa" -c "bab al salam"
      corridor upcoming --kind expiry,review --as-of 2022-12-20
      corridor upcoming --as-of 2023-07-10T21:00Z --format json
      corridor upcoming --within 12mo --format ics > deadlines.ics

    Days left count calendar days in your timezone to the last covered moment: an expiry
    "until 10 January" at midnight in New York ends at 08:00 on 11 January in Istanbul.
    Next: corridor status, or corridor crossing show NAME.
    """
    from corridor.cli import hot  # lazy: shell completion registers this command, never runs it

    hot.upcoming(
        within=within,
        as_of=as_of,
        known_at=known_at,
        crossing=crossing,
        kind=kind,
        fmt=fmt,
        hxl=hxl,
        bom=bom,
        wide=wide,
        quiet=quiet,
        tz=tz,
        db=db,
    )


@app.command()
def status(
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    crossing: CrossingsOpt = None,
    table_format: TableFormatOpt = TableFormat.table,
    hxl: HxlOpt = False,
    bom: BomOpt = False,
    wide: WideOpt = False,
    quiet: QuietOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Each crossing at an instant: authorized or not, by which instruments, until when.

    \b
    Examples:
      corridor status
      corridor status --as-of 2022-07-11T12:00-04:00
      corridor status --as-of 2023-07-11T04:30:00Z -c "bab al hawa,bab al salam"
      corridor status --as-of 2020-07-11T12:00-04:00 --known-at now -c cilvegozu
      corridor status --format json | jq '.items[] | select(.authorized)'

    UNTIL is the authority's last day; ENDS is the instant it ends, in your timezone.
    A crossing whose authority ended shows when, and why if the record says (vetoed,
    not extended, terminated...); with no renewal and no reason recorded it shows
    "ENDED, no renewal recorded": an alarm, never a guess. A fact is known from the end
    of its day in its authority's zone unless the record gives its time (docs/time.md).
    Next: corridor crossing show NAME for the whole history.
    """
    from corridor.cli import hot  # lazy: shell completion registers this command, never runs it

    hot.status(
        as_of=as_of,
        known_at=known_at,
        crossing=crossing,
        fmt=Format(table_format),  # no ics form for status
        hxl=hxl,
        bom=bom,
        wide=wide,
        quiet=quiet,
        tz=tz,
        db=db,
    )
