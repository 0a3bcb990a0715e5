"""The hot read commands: upcoming and status. Always registered; they import nothing heavy."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from corridor.cli.app import app
from corridor.cli.options import (
    AsOfOpt,
    CrossingOpt,
    DbOpt,
    FormatOpt,
    TzOpt,
    knowledge_warning,
    open_read,
    read_settings,
    within_days,
)
from corridor.cli.output import WideOpt, json_text, out, say, table_width
from corridor.core.errors import UsageError
from corridor.core.words import left_short
from corridor.present.render import Format, to_csv, to_table, use_colour
from corridor.present.views import status_rows


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
    crossing: CrossingOpt = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind", "-k", metavar="KINDS", help="Comma-separated: expiry, review, report."
        ),
    ] = "expiry,review,report",
    fmt: FormatOpt = Format.table,
    wide: WideOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Deadlines due in the window, soonest first: expiries, review points, report dates.

    \b
    Examples:
      corridor upcoming
      corridor upcoming --within 6mo --crossing "bab al hawa"
      corridor upcoming --as-of 2022-12-20 --format json

    Days left count calendar days in your timezone to the last covered moment: an expiry
    "until 10 January" at midnight in New York ends at 08:00 on 11 January in Istanbul.
    Next: corridor status, or corridor crossing show NAME.
    """
    from corridor.core.vocab import DEADLINE_KINDS
    from corridor.db.lookup import find_crossing
    from corridor.services.reports import upcoming as run

    kinds = tuple(k.strip() for k in kind.split(",") if k.strip())
    bad = [k for k in kinds if k not in DEADLINE_KINDS]
    if bad or not kinds:
        raise UsageError(
            f'unknown kind "{",".join(bad)}"', "use one or more of: expiry,review,report"
        )
    reader = read_settings(tz, as_of)
    days = within_days(within, reader.as_of)
    with open_read(db, reader.config) as conn:
        ids = [find_crossing(conn, crossing)] if crossing else None
        items = run(
            conn, as_of=reader.as_of, within=days, tz=reader.tz, crossing_ids=ids, kinds=kinds
        )
        knowledge_warning(conn, reader.as_of)
    rows = [
        dict(
            date=d.date,
            days_left=d.days_left,
            kind=d.kind,
            crossings=d.crossings,
            crossing_slugs=d.slugs,
            instrument=d.instrument,
            note=d.note,
            due_at=d.due_at,
            due_local=d.due_local,
            authority_timezone=d.authority_timezone,
            conditional=d.conditional,
            uid=d.uid,
        )
        for d in items
    ]
    if fmt is Format.json:
        out(
            json_text(
                dict(as_of=reader.as_of, timezone=reader.zone_name, within_days=days, items=rows)
            )
        )
    elif fmt is Format.csv:
        out(
            to_csv(
                rows, ["date", "days_left", "kind", "crossings", "instrument", "due_local", "note"]
            )
        )
    elif rows:
        for r in rows:
            r["left"] = left_short(r["days_left"])
        out(
            to_table(
                rows,
                [
                    ("date", "DATE"),
                    ("left", "LEFT"),
                    ("kind", "KIND"),
                    ("crossings", "CROSSINGS"),
                    ("instrument", "INSTRUMENT"),
                    ("due_local", "ENDS"),
                    ("note", "NOTE"),
                ],
                colour=use_colour(sys.stdout),
                styles={"left": lambda r: "red" if r["days_left"] <= 7 else None},
                width=table_width(wide),
            )
        )
    if not rows:
        say(f"Nothing due in the next {days} days (as of {reader.as_of}, {reader.zone_name}).")


_STATE_WORDS = {
    "authorized": "authorized",
    "lapsed": "lapsed",
    "never": "never",
    "no_known_authority": "no known authority",
}


@app.command()
def status(
    as_of: AsOfOpt = None,
    crossing: CrossingOpt = None,
    fmt: FormatOpt = Format.table,
    wide: WideOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Each crossing on a date: authorized or not, by which instruments, until when.

    \b
    Examples:
      corridor status
      corridor status --as-of 2022-07-11
      corridor status --format json | jq '.items[] | select(.authorized)'

    A crossing that is not authorized shows since when it lapsed, or that it never was;
    after the record's knowledge ends it shows "no known authority", never a guess.
    Next: corridor crossing show NAME for the whole history.
    """
    from corridor.db.lookup import find_crossing
    from corridor.services.reports import status as run

    reader = read_settings(tz, as_of)
    with open_read(db, reader.config) as conn:
        ids = [find_crossing(conn, crossing)] if crossing else None
        items = run(conn, as_of=reader.as_of, tz=reader.tz, crossing_ids=ids)
        knowledge_warning(conn, reader.as_of)
    rows = status_rows(items)
    if fmt is Format.json:
        out(json_text(dict(as_of=reader.as_of, timezone=reader.zone_name, items=rows)))
    elif fmt is Format.csv:
        out(
            to_csv(
                rows,
                [
                    "crossing",
                    "authorized",
                    "state",
                    "until",
                    "days_left",
                    "instruments",
                    "lapsed_since",
                    "note",
                ],
            )
        )
    else:
        for r in rows:
            r["status"] = _STATE_WORDS[r["state"]]
            r["left"] = left_short(r["days_left"])
        out(
            to_table(
                rows,
                [
                    ("crossing", "CROSSING"),
                    ("status", "STATUS"),
                    ("until", "UNTIL"),
                    ("left", "LEFT"),
                    ("instruments", "INSTRUMENTS"),
                    ("note", "NOTE"),
                ],
                colour=use_colour(sys.stdout),
                styles={"status": lambda r: "green" if r["authorized"] else "red"},
                width=table_width(wide),
            )
        )
        if not rows:
            say("The record has no crossings. Add one, or import a record.")
