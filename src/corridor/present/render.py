"""One renderer: table, JSON and CSV all come from the same rows.

Rows are lists of dicts whose values are plain (str, int, bool, None, date, datetime, list).
JSON is the stable contract: ISO dates, explicit keys, no colour. Tables are for people: aligned
columns, colour only on a terminal and never when NO_COLOR is set (https://no-color.org).
"""

from __future__ import annotations

import csv
import io
import os
from datetime import datetime
from enum import StrEnum

from corridor.core.jsonable import plain, to_json  # noqa: F401  (re-exported for renderers)
from corridor.present.safe import safe

JSON_VERSION = 1


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"  # deadlines only: upcoming (and export); present/ics.py


def only(fmt: Format, allowed: tuple[Format, ...], command: str) -> None:
    """Refuse a --format the command has no form for, instead of silently printing a table."""
    if fmt not in allowed:
        from corridor.core.errors import UsageError

        raise UsageError(
            f"{command} has no {fmt.value} form",
            "use --format " + " or ".join(f.value for f in allowed),
        )


def to_csv(rows: list[dict], columns: list[str], tags: dict[str, str] | None = None) -> str:
    """CSV with a header row; with `tags` (column -> HXL hashtag, present/hxl.py) the HXL
    hashtag row follows the header (README, "Calendars, timeline, HTML report and HXL")."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    if tags is not None:
        writer.writerow([tags.get(c, "") for c in columns])
    for row in rows:
        writer.writerow(
            [
                safe("; ".join(map(str, v)))
                if isinstance(v := plain(row.get(c)), list)
                else ("" if v is None else (safe(v) if isinstance(v, str) else v))
                for c in columns
            ]
        )
    return buf.getvalue()


def use_colour(stream) -> bool:
    if os.environ.get("NO_COLOR", "") != "" or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33"}


def paint(text: str, style: str | None, colour: bool) -> str:
    if not colour or not style or not text:
        return text
    return f"\x1b[{_CODES[style]}m{text}\x1b[0m"


def to_table(
    rows: list[dict],
    columns: list[tuple[str, str]],
    *,
    colour: bool = False,
    styles: dict[str, callable] | None = None,
) -> str:
    """Aligned columns; the last column is free text and is not padded."""
    styles = styles or {}
    cells = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    headers = [h for _, h in columns]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [
        "  ".join(
            paint(h.ljust(w) if i < len(headers) - 1 else h, "bold", colour)
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        ).rstrip()
    ]
    for row, raw in zip(cells, rows, strict=True):
        parts = []
        for i, ((key, _), text, w) in enumerate(zip(columns, row, widths, strict=True)):
            padded = text.ljust(w) if i < len(columns) - 1 else text
            style = styles[key](raw) if key in styles else None
            parts.append(paint(padded, style, colour))
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    """One line of text for a table cell, with unsafe characters escaped (present.safe)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return safe(", ".join(map(str, value)), newlines=False) or "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z")
    return safe(str(value), newlines=False)
