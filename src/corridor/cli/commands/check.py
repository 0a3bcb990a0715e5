"""`corridor check`: a monitoring plugin by the Monitoring Plugins Development Guidelines
(docs/alerts.md, "Monitoring"), declared to Typer (options, help). Its body is
corridor.cli.hot_check, which a plain `check` command line runs without Typer. Every error,
usage errors included, becomes `CORRIDOR UNKNOWN - …` and exit 3 in the one error boundary
(corridor.cli.main). It never creates, migrates or loads a database."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli import hot_check
from corridor.cli.app import app
from corridor.cli.hot_check import CHECK_EXIT_HELP
from corridor.cli.options import DbOpt, TzOpt
from corridor.cli.output import out


def _version(value: bool) -> None:
    if value:
        out(hot_check.version_text())
        raise typer.Exit()


RangeHelp = (
    "a number N is fewer than N days left (N: in range syntax); or a Monitoring Plugins "
    "range: 10:20 alerts outside 10..20, @10:20 inside it, ~:10 above 10."
)


@app.command(epilog=CHECK_EXIT_HELP)
def check(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE|INSTANT",
            help="Check as of DATE (YYYY-MM-DD: the start of that day in your zone) or INSTANT "
            "(2023-01-10T12:00Z). Default: now.",
        ),
    ] = None,
    warning: Annotated[
        str | None,
        typer.Option("--warning", "-w", metavar="RANGE", help=f"WARNING days left: {RangeHelp}"),
    ] = None,
    critical: Annotated[
        str | None,
        typer.Option("--critical", "-c", metavar="RANGE", help="CRITICAL days left, the same way."),
    ] = None,
    warn_old: Annotated[str | None, typer.Option("--warn", hidden=True)] = None,
    crit_old: Annotated[str | None, typer.Option("--crit", hidden=True)] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind", "-k", metavar="KINDS", help="Comma-separated: expiry, review, report."
        ),
    ] = "expiry,review",
    crossing: Annotated[
        str | None,
        typer.Option(
            "--crossing",
            metavar="NAME",
            help="Only this crossing (any name, alias, spelling or script).",
        ),
    ] = None,
    lapse_window: Annotated[
        int,
        typer.Option(
            "--lapse-window",
            metavar="DAYS",
            min=hot_check.LAPSE_WINDOW[0],
            max=hot_check.LAPSE_WINDOW[1],
            help="An authority that ended less than DAYS ago is CRITICAL, whatever the "
            "reason; later an unrenewed one is WARNING (the record is stale).",
        ),
    ] = 30,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            "-t",
            metavar="SECONDS",
            min=hot_check.TIMEOUT[0],
            max=hot_check.TIMEOUT[1],
            help="UNKNOWN after SECONDS, a lock held by another connection included.",
        ),
    ] = 10,
    plans: Annotated[
        bool,
        typer.Option(
            "--plans",
            help="Also the planned movements within the -w window: WARNING at risk, CRITICAL "
            "blocked (docs/plans.md).",
        ),
    ] = False,
    per_crossing: Annotated[
        bool,
        typer.Option(
            "--perfdata-per-crossing",
            help="Also perfdata per crossing: SLUG_days (soonest deadline) and SLUG_lapsed.",
        ),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="-v every finding and note; -vv the settings; -vvv every crossing and deadline.",
        ),
    ] = 0,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> int:
    """One line for monitoring: CORRIDOR OK|WARNING|CRITICAL|UNKNOWN - … | perfdata.

    \b
    Examples:
      corridor check --as-of 2022-10-01
      corridor check -w 60 -c 14 --crossing "Bab al-Hawa" --as-of 2022-10-01
      corridor check --as-of 2022-10-01 && echo "nothing due within 30 days"
      corridor check --plans --as-of 2022-12-20

    CRITICAL: a crossing's authority ended less than --lapse-window days ago, or a deadline
    in the -c range. WARNING: an authority ended longer ago and nothing records a renewal or
    why, or a deadline in the -w range. Writes nothing on stderr; -v adds lines.
    Use it in Icinga/Nagios as a plugin, in Zabbix as an external check, or in a script.
    """
    return hot_check.check(
        as_of=as_of,
        warning=warning,
        critical=critical,
        warn_old=warn_old,
        crit_old=crit_old,
        kind=kind,
        crossing=crossing,
        lapse_window=lapse_window,
        timeout=timeout,
        plans=plans,
        per_crossing=per_crossing,
        verbose=verbose,
        tz=tz,
        db=db,
    )
