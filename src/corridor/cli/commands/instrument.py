"""`corridor instrument list` and `corridor instrument show SYMBOL`: every instrument, and
everything recorded about one. Registered by corridor.cli.main.register_commands()."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from corridor.cli.app import app
from corridor.cli.complete import complete_symbol
from corridor.cli.config import load_settings
from corridor.cli.options import DbOpt, FormatOpt, WideOpt, open_read
from corridor.cli.output import json_text, out, table_width, use_colour
from corridor.present.documents import listing
from corridor.present.render import Format, TableOrJson, to_csv, to_table
from corridor.present.show import instrument_text
from corridor.present.views import instrument_rows, instrument_view
from corridor.services.instruments import list_instruments, show_instrument

instrument_app = typer.Typer(
    help="See the recorded instruments: resolutions, consents, agreements.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(instrument_app, name="instrument")


def _read(db):
    return open_read(db, load_settings())


@instrument_app.command("list")
def instrument_list(fmt: FormatOpt = Format.table, wide: WideOpt = False, db: DbOpt = None):
    """Every instrument, oldest first: what it covers, until when, what renews it.

    \b
    Examples:
      corridor instrument list
      corridor instrument list --format json | jq '.items[] | select(.renewed_by == [])'

    UNTIL is the last day it covers for certain; a pending extension shows as "(+ext. to D)".
    Next: corridor instrument show SYMBOL.
    """
    with _read(db) as conn:
        rows = instrument_rows(list_instruments(conn))
    if fmt is Format.json:
        out(json_text(listing(rows)))
        return
    if fmt is Format.csv:
        out(
            to_csv(
                rows,
                ["symbol", "kind", "authority", "adopted", "crossings", "start", "until",
                 "until_if_extended", "renews", "renewed_by"],
            )
        )  # fmt: skip
        return
    for r in rows:
        r["ends"] = r["until"]
        if r["until_if_extended"] != r["until"]:
            r["ends"] = f"{r['until'] or '-'} (+ext. to {r['until_if_extended']})"
    out(
        to_table(
            rows,
            [
                ("symbol", "SYMBOL"),
                ("kind", "KIND"),
                ("adopted", "ADOPTED"),
                ("ends", "UNTIL"),
                ("crossings", "CROSSINGS"),
            ],
            colour=use_colour(sys.stdout),
            width=table_width(wide),
        )
    )


@instrument_app.command("show")
def instrument_show(
    symbol: Annotated[
        str,
        typer.Argument(
            metavar="SYMBOL",
            autocompletion=complete_symbol,
            help='The symbol, or a unique part of it ("2642").',
        ),
    ],
    fmt: Annotated[
        TableOrJson,
        typer.Option(
            "--format", "-f", case_sensitive=False, help="table for people; json for scripts."
        ),
    ] = TableOrJson.table,
    wide: WideOpt = False,
    db: DbOpt = None,
) -> None:
    """Everything recorded about one instrument: periods, reviews and their outcomes, reports,
    what it renews and what renews it, vote, source and what is unconfirmed.

    \b
    Examples:
      corridor instrument show 2642
      corridor instrument show "S/RES/2585 (2021)" --format json

    Next: corridor correct SYMBOL FIELD=VALUE to fix a field.
    """
    with _read(db) as conn:
        view = instrument_view(show_instrument(conn, symbol))
    if fmt is TableOrJson.json:
        out(json_text(view))
        return
    out(instrument_text(view, width=table_width(wide), colour=use_colour(sys.stdout)))
