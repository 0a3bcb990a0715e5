"""`corridor crossing show` and `corridor crossing list`: a crossing's history, and every
crossing. Registered by corridor.cli.main.register_commands()."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from corridor.cli.app import crossing_app
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
from corridor.cli.output import json_text, out, set_quiet, table_width
from corridor.core.words import left_long
from corridor.present.render import (
    Format,
    TableOrJson,
    only,
    to_csv,
    to_table,
    use_colour,
    wrap_lines,
)
from corridor.present.safe import ascii_only, safe
from corridor.present.views import parties_rows, status_rows


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
    # lazy: `corridor --help` imports every command module, not what its commands run
    from corridor.db.lookup import crossing_names, find_crossing
    from corridor.services.history import crossing_history
    from corridor.services.parties import parties_line, parties_of

    set_quiet(quiet)
    reader = read_settings(tz, as_of, known_at)
    with open_read(db, reader.config) as conn:
        cid = find_crossing(conn, name)
        h = crossing_history(conn, cid, at=reader.at, tz=reader.tz, known_at=reader.known)
        knowledge_warning(conn, reader, [cid])
        made_by = parties_of(conn, [e.instrument for e in h.entries if e.instrument])
        if fmt is TableOrJson.table and ascii_only(sys.stdout):
            crossing_names(conn)  # an Arabic alias is then shown as its Latin name (present.safe)
    now = status_rows([h.now])[0]
    entries = [
        dict(
            date=e.date,
            kind=e.kind,
            text=e.text,
            instrument=e.instrument,
            until=e.until,
            **e.detail,
        )
        for e in h.entries
    ]
    if fmt is TableOrJson.json:
        out(
            json_text(
                dict(
                    as_of=reader.as_of,
                    at=reader.at,
                    timezone=reader.zone_name,
                    crossing=h.name,
                    slug=h.slug,
                    countries=list(h.countries),
                    kind=h.kind,
                    aliases=h.aliases,
                    lat=h.lat,
                    lon=h.lon,
                    notes=h.notes,
                    now=now,
                    history=entries,
                    instruments=parties_rows(made_by),
                )
            )
        )
        return
    shape = "-".join(h.countries) + ("" if h.kind == "land" else f", {h.kind}")
    lines = [f"{h.name} ({shape})"]
    if h.aliases:
        lines.append(f"Also: {', '.join(h.aliases)}")
    if h.lat is not None:
        lines.append(f"Location: {h.lat}, {h.lon}")
    if h.notes:
        lines.append(f"Notes: {h.notes}")
    if h.now.record_ends is not None:
        lines.append(f"Record known up to: {h.now.record_ends}")
    lines.append("")
    lines.append(f"As of {reader.label}: {_now_sentence(h.now, reader.zone_name)}")
    lines += [f"  pending: {p}" for p in h.now.pending]
    lines.append("")
    lines.append("History:")
    # Every kind of row in one column, as wide as the longest kind shown ("termination").
    kind_w = max([6, *(len(e["kind"]) for e in entries)])
    history = [f"  {e['date']}  {e['kind']:<{kind_w}}  {e['text']}" for e in entries]
    shown = [p for p in made_by if p.parties or p.signed_in]
    if shown:  # instruments with several parties, or signed where no authority sits
        history.append("")
        history.append("Parties:")
        history += [f"  {p.symbol}: {parties_line(p)}" for p in shown]
    width = table_width(wide)
    # stored text is escaped for the terminal (corridor.present.safe), then wrapped
    text = wrap_lines(safe("\n".join(lines)), width) + "\n"
    out(text + wrap_lines(safe("\n".join(history)), width, " " * (14 + kind_w)) + "\n")


def _now_sentence(s, zone_name: str) -> str:
    if s.authorized:
        left = left_long(s.days_left)
        return (
            f"authorized until {s.until} ({left}; ends {s.until_local:%Y-%m-%d %H:%M %Z}) "
            f"by {', '.join(s.instruments)}"
        )
    return s.note


@crossing_app.command("list")
def crossing_list(fmt: FormatOpt = Format.table, wide: WideOpt = False, db: DbOpt = None) -> None:
    """Every crossing with its countries and aliases.

    \b
    Example:
      corridor crossing list --format json
    """
    # lazy: `corridor --help` imports every command module, not what its commands run
    from corridor.cli.config import load_config
    from corridor.db.lookup import crossing_list as rows_of

    only(fmt, (Format.table, Format.json, Format.csv), "crossing list")
    config = load_config()
    with open_read(db, config) as conn:
        rows = rows_of(conn)
    if fmt is Format.json:
        out(json_text(dict(items=rows)))
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
