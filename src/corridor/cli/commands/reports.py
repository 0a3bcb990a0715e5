"""The hot read commands: upcoming and status. Always registered; they import nothing heavy."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Annotated

import typer

from corridor.cli.app import app
from corridor.cli.options import (
    AsOfOpt,
    CrossingsOpt,
    DbOpt,
    FormatOpt,
    KindsOpt,
    KnownAtOpt,
    TzOpt,
    crossing_ids,
    deadline_kinds,
    knowledge_warning,
    open_read,
    read_settings,
    within_days,
)
from corridor.cli.output import QuietOpt, WideOpt, json_text, note, out, set_quiet, table_width
from corridor.cli.sharing import HxlOpt, check_hxl
from corridor.core.words import left_short, time_left
from corridor.present.render import Format, only, to_csv, to_table, use_colour
from corridor.present.views import deadline_rows, status_rows


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
    from corridor.services.reports import upcoming as run

    set_quiet(quiet)
    kinds = deadline_kinds(kind)
    check_hxl(hxl, fmt)
    reader = read_settings(tz, as_of, known_at)
    days = within_days(within, reader.as_of)
    with open_read(db, reader.config) as conn:
        ids = crossing_ids(conn, crossing)
        items = run(
            conn,
            at=reader.at,
            within=days,
            tz=reader.tz,
            crossing_ids=ids,
            kinds=kinds,
            known_at=reader.known,
        )
        knowledge_warning(conn, reader, ids)
        if fmt is Format.ics:  # an iCalendar feed (docs/sharing.md); imports icalendar
            from corridor.cli.sharing import ics_text

            out(ics_text(conn, items))
            return
    rows = deadline_rows(items)
    if fmt is Format.json:
        out(
            json_text(
                dict(
                    as_of=reader.as_of,
                    at=reader.at,
                    known_at=reader.known,
                    timezone=reader.zone_name,
                    reader_timezone=reader.zone_name,
                    within_days=days,
                    items=rows,
                )
            )
        )
    elif fmt is Format.csv:
        columns = ["date", "days_left", "kind", "crossings", "instrument", "due_local", "note"]
        if hxl:
            from corridor.cli.sharing import hxl_csv

            out(hxl_csv("upcoming", rows, columns, (db, reader.config)))
        else:
            out(to_csv(rows, columns))
    elif rows:
        for r in rows:
            r["left"] = left_short(r["days_left"])
            if r["non_working"]:  # flag only: the date stands (docs/records.md, Working days)
                r["note"] = f"{r['note']}. {r['non_working']['note']}"
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
        note(f"Nothing due in the next {days} days (as of {reader.label}, {reader.zone_name}).")


_STATE_WORDS = {
    "authorized": "authorized",
    "lapsed": "lapsed",
    "unrenewed": "ENDED, no renewal recorded",
    "never": "never",
    "unknown": "unknown (no source)",
}


@app.command()
def status(
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    crossing: CrossingsOpt = None,
    fmt: FormatOpt = Format.table,
    hxl: HxlOpt = False,
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
    from corridor.services.reports import status as run

    set_quiet(quiet)
    only(fmt, (Format.table, Format.json, Format.csv), "status")
    check_hxl(hxl, fmt)
    reader = read_settings(tz, as_of, known_at)
    with open_read(db, reader.config) as conn:
        ids = crossing_ids(conn, crossing)
        items = run(conn, at=reader.at, tz=reader.tz, crossing_ids=ids, known_at=reader.known)
        knowledge_warning(conn, reader, ids)
    rows = status_rows(items)
    if fmt is Format.json:
        out(
            json_text(
                dict(
                    as_of=reader.as_of,
                    at=reader.at,
                    known_at=reader.known,
                    timezone=reader.zone_name,
                    reader_timezone=reader.zone_name,
                    items=rows,
                )
            )
        )
    elif fmt is Format.csv:
        columns = [
            "crossing",
            "authorized",
            "state",
            "until",
            "days_left",
            "instruments",
            "lapsed_since",
            "note",
        ]
        if hxl:
            from corridor.cli.sharing import hxl_csv

            out(hxl_csv("status", rows, columns, (db, reader.config)))
        else:
            out(to_csv(rows, columns))
    else:
        for r in rows:
            r["status"] = _STATE_WORDS[r["state"]] + (" (unconfirmed)" if r["unconfirmed"] else "")
            r["left"] = left_short(r["days_left"])
            if r["until_at"] is not None and r["until_at"] - reader.at < timedelta(days=1):
                r["left"] = time_left(r["until_at"], reader.at)
            r["ends"] = r["until_local"]  # the end instant, in the reader's zone
            if r["instruments"]:  # in the note, so the table fits 60 columns
                by = "by " + ", ".join(r["instruments"])
                r["note"] = f"{by}; {r['note']}" if r["note"] else by
        out(
            to_table(
                rows,
                [
                    ("crossing", "CROSSING"),
                    ("status", "STATUS"),
                    ("until", "UNTIL"),
                    ("ends", "ENDS"),
                    ("left", "LEFT"),
                    ("note", "NOTE"),
                ],
                colour=use_colour(sys.stdout),
                styles={"status": lambda r: "green" if r["authorized"] else "red"},
                width=table_width(wide),
            )
        )
        if not rows:
            note("The record has no crossings. Add one, or import a record.")
