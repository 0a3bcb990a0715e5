"""The commands for looking rather than reading: `timeline` (the terminal chart) and `report`
(one self-contained HTML page). docs/sharing.md describes both.

Registered lazily by corridor.cli.main.register_commands(). Like the rest of the CLI: parse,
call the services, render (corridor.present.timeline, corridor.present.html).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from corridor.cli import clock
from corridor.cli.app import app
from corridor.cli.options import (
    AsOfOpt,
    CrossingsOpt,
    DbOpt,
    IncludePlansOpt,
    KnownAtOpt,
    TzOpt,
    crossing_ids,
    knowledge_warning,
    open_read,
    read_settings,
    within_days,
)
from corridor.cli.output import MAX_WIDTH, out, say, terminal_columns, use_colour, write_file
from corridor.core.errors import UsageError
from corridor.core.terms import parse_date
from corridor.present.html import page
from corridor.present.plans import html_section, verdict_rows
from corridor.present.timeline import default_range, render
from corridor.services.pages import report as report_page
from corridor.services.timeline import timeline as run


def _as_of(settings) -> dict:
    """The reading services' time arguments: the instant asked about, and as known when
    (--known-at; docs/time.md)."""
    return dict(at=settings.at, known_at=settings.known)


def _date_opt(text: str | None, what: str):
    return parse_date(text, what=what) if text else None


def _utf8(stream) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding in ("utf8", "utf8sig")


@app.command()
def timeline(
    crossing: CrossingsOpt = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help="First day shown. Default: 1 January of the first period's year.",
        ),
    ] = None,  # fmt: skip
    end: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="DATE",
            help="Last day shown. Default: 31 December of the year the record (or --as-of) ends.",
        ),
    ] = None,  # fmt: skip
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            min=30,
            max=MAX_WIDTH,
            metavar="COLUMNS",
            help="30 to 1000. Default: the terminal's, or $COLUMNS.",
        ),
    ] = None,
    labels: Annotated[
        bool,
        typer.Option("--labels/--no-labels", help="Write the instruments' symbols on the bars."),
    ] = True,
    ascii_only: Annotated[
        bool,
        typer.Option("--ascii", help="Plain ASCII (automatic when the output is not UTF-8)."),
    ] = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Every crossing's authority over time: one row each, gaps marked.

    Bars show who authorized the crossing (a Council resolution, a consent, an agreement),
    ending in the expiry mark; review points, gaps (no authority, even for part of a day)
    and the as-of day are marked. Later instruments are invisible with --as-of.

    \b
    Examples:
      corridor timeline
      corridor timeline --from 2019-01-01 --to 2024-12-31 --crossing "bab al hawa"
      corridor timeline --as-of 2023-07-12 --no-labels | less -S
    """
    settings = read_settings(tz, as_of, known_at)
    lo, hi = _date_opt(start, "--from"), _date_opt(end, "--to")
    _check_range(lo, hi)
    with open_read(db, settings.config) as conn:
        ids = crossing_ids(conn, crossing)
        tl = run(conn, crossing_ids=ids, tz=settings.tz, **_as_of(settings))
        knowledge_warning(conn, settings, ids)
    if not tl.rows:
        say("The record has no crossings. Add one, or import a record.")
        return
    d_lo, d_hi = default_range(tl, settings.as_of)
    lo, hi = lo or d_lo, hi or d_hi
    _check_range(lo, hi)
    columns = width or terminal_columns()
    out(
        render(
            tl,
            lo=lo,
            hi=hi,
            width=columns,
            colour=use_colour(sys.stdout),
            unicode=not ascii_only and _utf8(sys.stdout),
            labels=labels,
        )
    )


def _check_range(lo, hi) -> None:
    if lo is not None and hi is not None and hi < lo:
        raise UsageError(f"--to {hi} is before --from {lo}", "swap them")


@app.command()
def report(
    html: Annotated[
        str,
        typer.Option("--html", metavar="FILE", help="Write the page to FILE (- for stdout)."),
    ],
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    within: Annotated[
        str,
        typer.Option(
            "--within", "-w", metavar="DAYS", help="Upcoming deadlines this far ahead (90, 6mo)."
        ),
    ] = "90",
    crossing: CrossingsOpt = None,
    include_plans: IncludePlansOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """One self-contained HTML page to share or print: status, upcoming deadlines, the
    timeline, and each crossing's history with its sources.

    It works offline (no network, no scripts) and prints on A4.

    \b
    Examples:
      corridor report --html corridor.html
      corridor report --html bab-al-hawa.html --as-of 2023-07-12 --crossing "bab al hawa"
    """
    settings = read_settings(tz, as_of, known_at)
    days = within_days(within, settings.as_of)
    with open_read(db, settings.config) as conn:
        ids = crossing_ids(conn, crossing)
        shown = report_page(
            conn,
            at=settings.at,
            tz=settings.tz,
            within=days,
            crossing_ids=ids,
            known_at=settings.known,
            plans=include_plans,  # private: never without the flag (README "Guarantees")
        )
        knowledge_warning(conn, settings, ids)
    plans = "" if shown.plans is None else html_section(verdict_rows(shown.plans))
    text = page(
        title=shown.title,
        as_of=settings.as_of,
        zone_name=settings.zone_name,
        within=days,
        states=shown.states,
        deadlines=shown.deadlines,
        timeline=shown.timeline,
        histories=shown.histories,
        rows_by_slug={r.slug: r for r in shown.timeline.rows},
        generated=clock.now_utc(),
        plans=plans,
    )
    if html == "-":
        out(text)
        return
    write_file(html, text)  # atomic for a file; writes through a device or pipe
    say(f"Wrote {html}.")
