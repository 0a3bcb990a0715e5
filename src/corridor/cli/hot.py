"""The hot read commands, `upcoming` and `status`, without Typer.

They run on every cron tick and in every status bar, and Typer with its click is most of their
import time (benchmarks/README.md). So their bodies live here, free of Typer;
corridor.cli.commands.reports declares them to Typer (options, help) and calls them. When a
command line is a plain `upcoming` or `status` (options this module knows, each given the way
`OPTIONS` spells it, values Typer would accept unchanged), `parse` reads it and
corridor.cli.main runs the body without importing Typer at all. Anything else (--help, shell
completion, an unknown, repeated or abbreviated option, a missing value, a format Typer would
refuse) returns None and goes through Typer, which answers and words its errors as always.
tests/test_hot.py checks that `OPTIONS` and Typer's declarations agree.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from corridor.cli.argv import FLAG, VALUE, VALUES, read_options
from corridor.cli.output import json_text, note, out, set_quiet, table_width, use_colour
from corridor.cli.reading import (
    crossing_ids,
    deadline_kinds,
    knowledge_warning,
    open_read,
    read_settings,
    within_days,
)
from corridor.cli.sharing import check_hxl
from corridor.core.words import left_short, time_left
from corridor.present.render import Format, only, to_csv, to_table, wrap_lines
from corridor.present.safe import safe
from corridor.present.views import deadline_rows, report_document, status_rows
from corridor.services.reports import status as run_status
from corridor.services.reports import upcoming as run_upcoming


def upcoming(
    *,
    within: str = "90",
    as_of: str | None = None,
    known_at: str | None = None,
    crossing: list[str] | None = None,
    kind: list[str] | None = None,
    fmt: Format = Format.table,
    hxl: bool = False,
    bom: bool = False,
    wide: bool = False,
    quiet: bool = False,
    tz: str | None = None,
    db: str | None = None,
) -> None:
    """`corridor upcoming`: deadlines due in the window, soonest first."""
    set_quiet(quiet)
    kinds = deadline_kinds(kind)
    check_hxl(hxl, fmt, bom)
    reader = read_settings(tz, as_of, known_at)
    days = within_days(within, reader.as_of)
    with open_read(db, reader.config) as conn:
        ids = crossing_ids(conn, crossing)
        items = run_upcoming(
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
            from corridor.services.calendar import cancelled_within

            # What no longer falls in the window is published cancelled, not left out.
            gone = cancelled_within(
                conn, at=reader.at, within=days, tz=reader.tz, crossing_ids=ids, kinds=kinds
            )
            out(ics_text(conn, [*items, *gone]))
            return
    rows = deadline_rows(items)
    if fmt is Format.json:
        out(
            json_text(
                report_document(
                    as_of=reader.as_of,
                    at=reader.at,
                    known_at=reader.known,
                    zone=reader.zone_name,
                    within_days=days,
                    items=rows,
                )
            )
        )
    elif fmt is Format.csv:
        columns = ["date", "days_left", "kind", "crossings", "instrument", "due_local", "note"]
        if hxl:
            from corridor.cli.sharing import hxl_csv

            out(hxl_csv("upcoming", rows, columns, (db, reader.config), bom=bom))
        else:
            out(to_csv(rows, columns, bom=bom))
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


_STATE_WORDS = {  # corridor.services.status: one vocabulary of states
    "authorized": "authorized",
    "lapsed": "lapsed",
    "unrenewed": "ENDED, no renewal recorded",
    "never": "never",
    "unknown": "unknown (no source)",
}


def status(
    *,
    as_of: str | None = None,
    known_at: str | None = None,
    crossing: list[str] | None = None,
    fmt: Format = Format.table,
    hxl: bool = False,
    bom: bool = False,
    wide: bool = False,
    quiet: bool = False,
    tz: str | None = None,
    db: str | None = None,
) -> None:
    """`corridor status`: each crossing at an instant, as known at an instant."""
    set_quiet(quiet)
    only(fmt, (Format.table, Format.json, Format.csv), "status")
    check_hxl(hxl, fmt, bom)
    reader = read_settings(tz, as_of, known_at)
    with open_read(db, reader.config) as conn:
        ids = crossing_ids(conn, crossing)
        items = run_status(
            conn, at=reader.at, tz=reader.tz, crossing_ids=ids, known_at=reader.known
        )
        knowledge_warning(conn, reader, ids)
    rows = status_rows(items)
    if fmt is Format.json:
        out(
            json_text(
                report_document(
                    as_of=reader.as_of,
                    at=reader.at,
                    known_at=reader.known,
                    zone=reader.zone_name,
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

            out(hxl_csv("status", rows, columns, (db, reader.config), bom=bom))
        else:
            out(to_csv(rows, columns, bom=bom))
    else:
        for r in rows:
            r["status"] = _STATE_WORDS[r["state"]] + (" (unconfirmed)" if r["unconfirmed"] else "")
            r["status"] += "*" if r["caveat"] else ""
            r["left"] = left_short(r["days_left"])
            if r["until_at"] is not None and r["until_at"] - reader.at < timedelta(days=1):
                r["left"] = time_left(r["until_at"], reader.at)  # under a day: hours
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
        caveats = [f"* {r['crossing']}: {r['caveat']}" for r in rows if r["caveat"]]
        if caveats:  # the mark's meaning, under the table (stored text, escaped)
            out(wrap_lines(safe("\n".join(caveats)), table_width(wide)) + "\n")
        if not rows:
            note("The record has no crossings. Add one, or import a record.")


# ---------------------------------------------------------------- reading argv without Typer


_COMMON = {
    "--as-of": ("as_of", VALUE),
    "--known-at": ("known_at", VALUE),
    "--crossing": ("crossing", VALUES),
    "-c": ("crossing", VALUES),
    "--format": ("fmt", VALUE),
    "-f": ("fmt", VALUE),
    "--hxl": ("hxl", FLAG),
    "--bom": ("bom", FLAG),
    "--wide": ("wide", FLAG),
    "--quiet": ("quiet", FLAG),
    "-q": ("quiet", FLAG),
    "--tz": ("tz", VALUE),
    "--db": ("db", VALUE),
}
# Each command's options as Typer declares them (corridor.cli.commands.reports): the spelling,
# the parameter it fills and how. tests/test_hot.py fails when the two drift apart.
OPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "upcoming": {
        **_COMMON,
        "--within": ("within", VALUE),
        "-w": ("within", VALUE),
        "--kind": ("kind", VALUES),
        "-k": ("kind", VALUES),
    },
    # status has no calendar form: its --format is a TableFormat (corridor.cli.options)
    "status": {**_COMMON, "--format": ("table_format", VALUE), "-f": ("table_format", VALUE)},
}
COMMANDS: dict[str, Callable[..., None]] = {"upcoming": upcoming, "status": status}


def parse(argv: list[str]) -> tuple[Callable[..., None], dict[str, Any]] | None:
    """The body and its arguments when `argv` is a plain `upcoming` or `status` command line;
    None for anything Typer should read (it then reads the line as always)."""
    if not argv or argv[0] not in OPTIONS:
        return None
    kwargs = read_options(argv[1:], OPTIONS[argv[0]])
    if kwargs is None:
        return None
    if "table_format" in kwargs:  # status: table, json or csv only
        if kwargs["table_format"].lower() not in ("table", "json", "csv"):
            return None  # Typer refuses it, in its own words
        kwargs["fmt"] = kwargs.pop("table_format")
    if "fmt" in kwargs:
        if kwargs["fmt"].lower() not in Format.__members__:
            return None  # Typer refuses it, in its own words
        kwargs["fmt"] = Format(kwargs["fmt"].lower())  # --format is case-insensitive
    return COMMANDS[argv[0]], kwargs
