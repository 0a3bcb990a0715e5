"""`corridor instrument list` and `corridor instrument show SYMBOL`: every instrument, and
everything recorded about one. Registered by corridor.cli.main.register_commands()."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from corridor.cli.app import app
from corridor.cli.complete import complete_symbol
from corridor.cli.options import DbOpt, FormatOpt, WideOpt, open_read
from corridor.cli.output import json_text, out, table_width
from corridor.present.render import Format, TableOrJson, to_csv, to_table, use_colour, wrap_lines
from corridor.present.safe import safe
from corridor.present.views import instrument_rows, instrument_view

instrument_app = typer.Typer(
    help="See the recorded instruments: resolutions, consents, agreements.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(instrument_app, name="instrument")

_OUTCOME = {"extended": "extended", "not_extended": "not extended", "pending": "pending"}


def _read(db):
    from corridor.cli.config import load_config  # lazy: `--help` imports every command module

    return open_read(db, load_config())


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
    from corridor.services.instruments import list_instruments  # lazy: as in _read

    with _read(db) as conn:
        rows = instrument_rows(list_instruments(conn))
    if fmt is Format.json:
        out(json_text(dict(items=rows)))
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
    from corridor.services.instruments import show_instrument  # lazy: as in _read

    with _read(db) as conn:
        view = instrument_view(show_instrument(conn, symbol))
    if fmt is TableOrJson.json:
        out(json_text(view))
        return
    width = table_width(wide)
    v = view
    head = [f"{v['symbol']}: {v['kind']} of {v['authority']} ({v['timezone']})"]
    for label, key in (
        ("Title", "title"),
        ("Adopted", "adopted"),
        ("Vote", "vote"),
        ("Source", "source"),
        ("Source URL", "source_url"),
        ("Unconfirmed", "unconfirmed"),
        ("Caveat", "caveat"),
        ("Notes", "notes"),
    ):
        if v[key] is not None:
            head.append(f"{label}: {v[key]}")
    for link in v["links"]:
        how = " (derived)" if link["derived"] else ""
        head.append(f"Link: {link['url']}{how}")
    if v["renews"]:
        head.append(f"{(v['relation'] or 'renews').capitalize()}: {v['renews']}")
    for heir in v["renewed_by"]:
        head.append(f"Followed by: {heir['symbol']} ({heir['relation']} it)")
    if not v["renewed_by"]:
        head.append("Followed by: nothing recorded")
    text = wrap_lines(safe("\n".join(head)), width) + "\n\nPeriods:\n"  # stored text, escaped
    periods = []
    for p in v["periods"]:
        notes = []
        if p["term"]:
            notes.append(f"for {p['term']}" + (f" from {p['term_from']}" if p["term_from"] else ""))
        if p["stated"]:
            notes.append(f'"{p["stated"]}"')
        if p["conditional_on"]:
            notes.append(
                f"if extended at the {p['conditional_on']} review: {_OUTCOME[p['outcome']]}"
            )
        periods.append(dict(p, note="; ".join(notes) or None))
    text += _indent(
        to_table(
            periods,
            [("start", "FROM"), ("until", "UNTIL"), ("crossings", "CROSSINGS"), ("note", "TERM")],
            colour=use_colour(sys.stdout),
            width=None if width is None else width - 2,
        )
    )
    lines = []
    if v["reviews"]:
        lines.append("\nReviews:")
        for r in v["reviews"]:
            decided = ""
            if r["decided_on"]:
                decided = f" (decided {r['decided_on']}" + (
                    f" by {r['decided_by']})" if r["decided_by"] else ")"
                )
            lines.append(f"  {r['date']}  {_OUTCOME[r['outcome']]}{decided}")
            if r["condition"]:
                lines.append(f"    condition: {r['condition']}")
            if r["note"]:
                lines.append(f"    note: {r['note']}")
    if v["reports"]:
        lines.append("\nReports due:")
        for r in v["reports"]:
            note = f" ({r['note']})" if r["note"] else ""
            lines.append(f"  {r['due']}  {r['description']}{note}")
    if lines:
        text += wrap_lines(safe("\n".join(lines)), width, "    ") + "\n"
    out(text)


def _indent(table: str) -> str:
    return "".join(f"  {line}\n" if line else "\n" for line in table.splitlines())
