"""Glue for the sharing formats (docs/sharing.md): the iCalendar feed and HXL-tagged CSV.

Called from `upcoming`, `status` and `export` only when --format ics or --hxl asks for it; at
import time this module loads nothing heavy, so the hot read paths stay light
(tests/test_read_paths.py): what only those formats need is imported where they are made.
No commands live here: see corridor.cli.commands.visual.
"""

from __future__ import annotations

from corridor.cli import clock
from corridor.cli.reading import open_read
from corridor.core.errors import UsageError
from corridor.present.render import to_csv


def plan_verdict_rows(conn, reader, crossing_ids=None, within: int = 36500) -> list[dict]:
    """Planned movements' verdicts for --include-plans (docs/plans.md)."""
    # lazy: only with --include-plans; cli/hot.py imports this module on every read
    from corridor.present.plans import verdict_rows
    from corridor.services.plan_check import check

    items = check(conn, at=reader.at, tz=reader.tz, within=within, crossing_ids=crossing_ids)
    return verdict_rows(items)


def check_hxl(hxl: bool, fmt, bom: bool = False) -> None:
    if hxl and fmt.value != "csv":
        raise UsageError("--hxl goes with --format csv", "add --format csv")
    if bom and fmt.value != "csv":
        raise UsageError("--bom goes with --format csv", "add --format csv")


def ics_text(conn, deadlines, *, title: str | None = None, plans: bytes = b"") -> str:
    """The deadlines as an iCalendar feed, with the facts it needs read through `conn`."""
    # lazy: icalendar and the calendar's reads, only for --format ics (tests/test_read_paths.py)
    from corridor.present.ics import calendar
    from corridor.services.calendar import crossing_sides, instrument_facts
    from corridor.services.lookups import record_name

    facts = instrument_facts(conn, [d.instrument for d in deadlines])
    sides = crossing_sides(conn)
    name = title or _calendar_name(record_name(conn))
    data = calendar(deadlines, facts, sides, now=clock.now_utc(), name=name, extra=plans)
    return data.decode("utf-8")


def _calendar_name(dataset: str | None) -> str:
    return f"corridor: {dataset}" if dataset else "corridor deadlines"


def hxl_csv(table: str, rows: list[dict], columns: list[str], conn, *, bom: bool = False) -> str:
    """CSV with the HXL hashtag row under the header, and the columns HXL users join on
    (present/hxl.py). `conn` is an open connection (or a (db option, config) pair to open)."""
    # lazy: only for --hxl; cli/hot.py imports this module on every read
    from corridor.present.hxl import TAGS, enrich, hxl_columns, hxl_dates, one_per_cell
    from corridor.services.calendar import crossing_sides, instrument_facts

    rows = one_per_cell(table, rows)
    slug_key = {"status": "slug", "upcoming": "crossing_slugs", "export": "crossing_slug"}[table]
    instrument_key = {"status": "instruments", "upcoming": "instrument", "export": "instrument"}[
        table
    ]
    symbols: list[str] = []
    for row in rows:
        value = row.get(instrument_key)
        symbols += value if isinstance(value, list) else [value] if value else []
    if isinstance(conn, tuple):
        with open_read(*conn) as db:
            sides, facts = crossing_sides(db), instrument_facts(db, symbols)
    else:
        sides, facts = crossing_sides(conn), instrument_facts(conn, symbols)
    enrich(rows, slug_key, instrument_key, sides, facts)
    hxl_dates(table, rows)
    return to_csv(rows, hxl_columns(table, columns), TAGS[table], bom=bom)
