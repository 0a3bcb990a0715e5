"""`corridor crossing show` and `corridor crossing list`: a crossing's history, and every
crossing. Registered by corridor.cli.main.register_commands()."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from corridor.cli.app import crossing_app
from corridor.cli.config import load_settings
from corridor.cli.options import (
    AsOfOpt,
    DbOpt,
    FormatOpt,
    KnownAtOpt,
    QuietOpt,
    TzOpt,
    WideOpt,
    complete_crossing,
    knowledge_warning,
    open_read,
    read_settings,
)
from corridor.cli.output import json_text, out, set_quiet, table_width, use_colour
from corridor.present.documents import crossing_document, listing
from corridor.present.render import Format, TableOrJson, only, to_csv, to_table
from corridor.present.safe import ascii_only
from corridor.present.show import crossing_text
from corridor.services import lookups
from corridor.services.pages import crossing_page


@crossing_app.command("show")
def crossing_show(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            autocompletion=complete_crossing,
            help="Any name, alias, spelling or script.",
        ),
    ],
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    fmt: Annotated[
        TableOrJson,
        typer.Option(
            "--format", "-f", case_sensitive=False, help="table for people; json for scripts."
        ),
    ] = TableOrJson.table,
    wide: WideOpt = False,
    quiet: QuietOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """A crossing's whole history: periods, gaps, reviews, failed drafts, and what covers it.

    \b
    Examples:
      corridor crossing show "Bab al-Hawa"
      corridor crossing show cilvegozu --as-of 2021-07-26
      corridor crossing show "باب الهوى" --format json
    """
    set_quiet(quiet)
    reader = read_settings(tz, as_of, known_at)
    with open_read(db, reader.config) as conn:
        page = crossing_page(
            conn,
            name,
            at=reader.at,
            tz=reader.tz,
            known_at=reader.known,
            latin_names=fmt is TableOrJson.table and ascii_only(sys.stdout),
        )
        knowledge_warning(conn, reader, [page.crossing_id])
    if fmt is TableOrJson.json:
        out(
            json_text(
                crossing_document(
                    page, as_of=reader.as_of, at=reader.at, zone_name=reader.zone_name
                )
            )
        )
        return
    width = table_width(wide)
    out(crossing_text(page, label=reader.label, zone_name=reader.zone_name, width=width))


@crossing_app.command("list")
def crossing_list(fmt: FormatOpt = Format.table, wide: WideOpt = False, db: DbOpt = None) -> None:
    """Every crossing with its countries and aliases.

    \b
    Example:
      corridor crossing list --format json
    """
    only(fmt, (Format.table, Format.json, Format.csv), "crossing list")
    config = load_settings()
    with open_read(db, config) as conn:
        rows = lookups.crossing_list(conn)
    if fmt is Format.json:
        out(json_text(listing(rows)))
    elif fmt is Format.csv:
        out(to_csv(rows, ["slug", "crossing", "countries", "aliases"]))
    else:
        for r in rows:
            r["between"] = "-".join(r["countries"])
        out(
            to_table(
                rows,
                [
                    ("crossing", "CROSSING"),
                    ("slug", "SLUG"),
                    ("between", "COUNTRIES"),
                    ("aliases", "ALIASES"),
                ],
                colour=use_colour(sys.stdout),
                width=table_width(wide),
            )
        )
