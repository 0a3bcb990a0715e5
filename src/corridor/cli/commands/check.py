"""`corridor check`: a monitoring plugin by the Monitoring Plugins Development Guidelines
(docs/alerts.md, "Monitoring"). A hot read command: plain SQL, nothing heavy. Every error,
usage errors included, becomes `CORRIDOR UNKNOWN - …` and exit 3 in the one error boundary
(corridor.cli.main). It never creates, migrates or loads a database."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli.app import app
from corridor.cli.options import DbOpt, TzOpt
from corridor.cli.output import out
from corridor.cli.reading import knowledge_notes, open_read, read_settings
from corridor.core.errors import UsageError

# The longest warning window: ten years, as for alert thresholds (docs/alerts.md).

CHECK_EXIT_HELP = (
    "Exit codes (Nagios plugin convention): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (any error, "
    "a usage error or a timeout included)."
)


def _version(value: bool) -> None:
    if value:
        from corridor import __version__

        out(f"corridor check {__version__}\n")
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
            min=0,
            max=3650,
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
            min=0.1,
            max=3600,
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
    from corridor.cli.watchdog import Watchdog, timed_out
    from corridor.core.vocab import DEADLINE_KINDS
    from corridor.services import monitor

    with Watchdog(timeout) as dog:
        kinds = tuple(k.strip() for k in kind.split(",") if k.strip())
        bad = [k for k in kinds if k not in DEADLINE_KINDS]
        if bad or not kinds:
            raise UsageError(
                f'unknown kind "{",".join(bad)}"', "use one or more of: expiry,review,report"
            )
        thresholds = monitor.Thresholds(
            _range(warning, warn_old, "-w/--warning", "--warn", "30"),
            _range(critical, crit_old, "-c/--critical", "--crit", "7"),
            lapse_window,
        )
        _refuse_wider_critical(thresholds)
        reader = read_settings(tz, as_of)
        try:
            with open_read(db, reader.config, create=False, timeout=dog.left()) as conn:
                ids = None
                if crossing:
                    from corridor.services.lookups import find_crossing

                    ids = [find_crossing(conn, crossing)]
                verdict = monitor.check(
                    conn,
                    at=reader.at,
                    tz=reader.tz,
                    thresholds=thresholds,
                    kinds=kinds,
                    crossing_ids=ids,
                    per_crossing=per_crossing,
                    every_crossing=verbose >= 3,
                )
                if plans:
                    verdict = _with_plans(verdict, conn, reader, thresholds, ids)
                notes = knowledge_notes(conn, reader, ids) if verbose else []
        except Exception as exc:
            if timed_out(exc) or dog.left() <= 0:
                raise dog.error() from None
            raise
        lines = _lines(verdict, verbose, notes, reader, thresholds, kinds, timeout, db)
        dog.stop()
        out("".join(line + "\n" for line in lines))
    return verdict.code


def _with_plans(verdict, conn, reader, thresholds, ids):
    """The planned movements' verdict (corridor.services.plan_monitor) merged into the line."""
    from dataclasses import replace

    from corridor.services.monitor import window_days
    from corridor.services.plan_monitor import merge, plans_verdict

    within = window_days(thresholds)
    both = merge(
        verdict, plans_verdict(conn, at=reader.at, tz=reader.tz, within=within, crossing_ids=ids)
    )
    return replace(verdict, code=both.code, text=both.text, perfdata=both.perfdata)


def _range(new: str | None, old: str | None, name: str, old_name: str, default: str):
    from corridor.services.monitor import day_range

    if new is not None and old is not None:
        raise UsageError(f"use only one of {name} and {old_name}", f"e.g. {name.split('/')[0]} 30")
    return day_range(new if new is not None else old if old is not None else default, what=name)


def _refuse_wider_critical(t) -> None:
    """-w 30 -c 40 would never warn: a likely slip, refused with a sentence."""
    w, c = t.warning, t.critical
    plain = not (w.invert or c.invert) and w.end == c.end == float("inf")
    if plain and c.start > w.start:
        raise UsageError(
            f"-c/--critical {c} alerts earlier than -w/--warning {w}",
            "for example: -w 30 -c 7",
        )


def _lines(verdict, verbose, notes, reader, thresholds, kinds, timeout, db) -> list[str]:
    """The plugin output (the guidelines' verbosity levels): one line; -v every finding on
    the first line and the notes below it; -vv the settings; -vvv every crossing and
    deadline looked at. Stored text is escaped for the terminal (corridor.present.safe)."""
    from corridor.present.safe import safe
    from corridor.services.monitor import plain

    def clean(text: str) -> str:
        return " ".join(safe(plain(text), newlines=False).split())

    text = verdict.text
    if verbose and verdict.findings:
        text = "; ".join(f.text for f in verdict.findings)
    lines = [f"CORRIDOR {verdict.state} - {clean(text)} | {verdict.perfdata}"]
    if verbose >= 1:
        lines += [clean(n) for n in notes]
    if verbose >= 2:
        from corridor.cli.options import locate

        lines += [
            clean(f"database: {locate(db, reader.config).display}"),
            clean(f"as of: {reader.at.isoformat()} ({reader.zone_name})"),
            f"warning: {thresholds.warning}; critical: {thresholds.critical}; lapse window: "
            f"{thresholds.lapse_window} days; kinds: {','.join(kinds)}; timeout: {timeout:g} s",
        ]
    if verbose >= 3:
        for st in verdict.states:
            lines.append(clean(f"crossing {st.crossing}: {st.state} ({st.note})"))
        for d in verdict.deadlines:
            lines.append(clean(f"deadline {d.uid}: {d.kind} {d.date}, {d.days_left} days left"))
    return lines
