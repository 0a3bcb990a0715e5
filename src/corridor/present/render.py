"""One renderer: table, JSON and CSV all come from the same rows.

Rows are lists of dicts whose values are plain (str, int, bool, None, date, datetime, list).
JSON is the stable contract: ISO dates, explicit keys, no colour. Tables are for people: aligned
columns, colour only on a terminal and never when NO_COLOR is set (https://no-color.org).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from corridor.core.errors import UsageError
from corridor.core.jsonable import plain, to_json  # noqa: F401  (re-exported for renderers)
from corridor.present.safe import safe


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"  # deadlines only: upcoming (and export); present/ics.py


def only(fmt: Format, allowed: tuple[Format, ...], command: str) -> None:
    """Refuse a --format the command has no form for, instead of silently printing a table."""
    if fmt not in allowed:
        raise UsageError(
            f"{command} has no {fmt.value} form",
            "use --format " + " or ".join(f.value for f in allowed),
        )


class TableOrJson(StrEnum):
    """For commands whose output is not one flat table (so has no CSV form)."""

    table = "table"
    json = "json"


def to_csv(
    rows: list[dict], columns: list[str], tags: dict[str, str] | None = None, *, bom: bool = False
) -> str:
    """CSV with a header row; with `tags` (column -> HXL hashtag, present/hxl.py) the HXL
    hashtag row follows the header (README, "Calendars, timeline, HTML report and HXL").
    Every cell goes through `csv_cell`; `bom` starts the file with a byte-order mark, so Excel
    reads it as UTF-8 (Arabic names included)."""
    buf = io.StringIO()
    if bom:
        buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    if tags is not None:
        writer.writerow([tags.get(c, "") for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return buf.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_cell(value):
    """One CSV (and HXL) cell (README "Spreadsheets"): nothing for None; booleans as `true` /
    `false` (as in JSON); a list as `a; b`; numbers as they are (a negative day count stays a
    number); text escaped for the terminal (`safe`) and, when it starts with `=`, `+`, `-`, `@`,
    a tab or a carriage return, neutralised with a leading `'` so no spreadsheet runs it as a
    formula. Text that is a plain number (`-3`) is left alone: a spreadsheet reads it as that
    number, and runs nothing. Dates are ISO (`2023-07-10`), which starts with a digit."""
    v = plain(value)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        v = "; ".join("true" if x is True else "false" if x is False else str(x) for x in v)
    if not isinstance(v, str):
        return v
    v = safe(v)
    if v.startswith(_FORMULA) and not _NUMBER.fullmatch(v):
        return "'" + v
    return v


_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33"}


def paint(text: str, style: str | None, colour: bool) -> str:
    if not colour or not style or not text:
        return text
    return f"\x1b[{_CODES[style]}m{text}\x1b[0m"


def text_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide East Asian characters take two, combining marks
    (Arabic vowel signs, accents) none."""
    if text.isascii():
        return len(text)
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken between words (the spaces at a break
    are dropped, other spacing is kept); a word longer than a line is cut."""
    if width < 1 or text_width(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for space, word in re.findall(r"(\s*)(\S+)", text):
        while text_width(word) > width:  # a URL or a long symbol: cut it, but never a date
            cut = _fit(word, width)
            cut = _outside_dates(word, cut)
            if cut >= len(word):
                break
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        if not line:
            line = word if lines else space + word
        elif text_width(line) + text_width(space) + text_width(word) <= width:
            line = line + space + word
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


# A date and the punctuation that closes it ("2023-08-13)"): never split across lines.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}[).,;:]*")


def _outside_dates(word: str, cut: int) -> int:
    """`cut` moved out of any date in `word` (and the punctuation that closes it): to the
    date's start if something comes before it, else to its end."""
    for m in _DATE.finditer(word):
        if m.start() < cut < m.end():
            return m.start() if m.start() > 0 else m.end()
    return cut


def _fit(word: str, width: int) -> int:
    """How many characters of `word` fit in `width` columns (at least one)."""
    used = 0
    for i, ch in enumerate(word):
        used += text_width(ch)
        if used > width:
            return max(i, 1)
    return len(word)


def wrap_lines(text: str, width: int | None, indent: str = "  ") -> str:
    """Each line of `text` wrapped to `width` columns, continuation lines indented under the
    line's own leading spaces plus `indent`. `width=None` leaves every line whole."""
    if width is None:
        return text
    out = []
    for line in text.split("\n"):
        lead = line[: len(line) - len(line.lstrip(" "))]
        first, *rest = wrap(line[len(lead) :], max(width - len(lead), 20))
        out.append(lead + first)
        more = lead + indent
        if rest:
            out += [more + q for q in wrap(" ".join(rest), max(width - len(more), 20))]
    return "\n".join(out)


# Below these a column reads badly: the free-text (last) column is then put under its row,
# across the table, instead of in a sliver at the right.
MIN_COLUMN = 10
MIN_TEXT = 30
MAX_INDENT = 16


def _floor(cells: list[str], header: str) -> int:
    longest = max((text_width(w) for c in cells for w in c.split()), default=0)
    dates = max((len(m.group()) for c in cells for m in _DATE.finditer(c)), default=0)
    return max(text_width(header), min(longest, MIN_COLUMN), dates)


def _shrink(widths: list[int], floors: list[int], excess: int, order: list[int]) -> list[int]:
    """Take `excess` columns from `order`'s columns: always from the widest one left (above its
    floor), so that wide columns end up level rather than one of them crushed."""
    widths = list(widths)
    while excess > 0:
        room = [i for i in order if widths[i] > floors[i]]
        if not room:
            break
        i = max(room, key=lambda k: (widths[k], -order.index(k)))
        widths[i] -= 1
        excess -= 1
    return widths


def _layout(cells, headers, width):
    """(widths, stacked): column widths that fit `width`, two spaces between columns. The
    last column (free text) gives way first, down to MIN_TEXT; if that is not enough, it goes
    under its row (stacked) and the other columns give way, widest first. If even the
    narrowest layout is too wide, the terminal wraps what is left."""
    n = len(headers)
    natural = [
        max([text_width(h)] + [text_width(r[i]) for r in cells]) for i, h in enumerate(headers)
    ]
    total = sum(natural) + 2 * (n - 1)
    if width is None or total <= width:
        return natural, False
    last = n - 1
    floors = [_floor([r[i] for r in cells], h) for i, h in enumerate(headers)]
    text_floor = min(natural[last], max(MIN_TEXT, floors[last]))
    if total - (natural[last] - text_floor) <= width:
        return _shrink(natural, [*floors[:last], text_floor], total - width, [last]), False
    if n == 1:
        return [width], False
    rest = natural[:last]
    order = sorted(range(last), key=lambda i: -rest[i])
    widths = _shrink(rest, floors[:last], sum(rest) + 2 * (last - 1) - width, order)
    return [*widths, natural[last]], True


def to_table(
    rows: list[dict],
    columns: list[tuple[str, str]],
    *,
    colour: bool = False,
    styles: dict[str, Callable[[dict], str | None]] | None = None,
    width: int | None = None,
) -> str:
    """Aligned columns; the last column is free text and is not padded.

    With `width` (the terminal's, corridor.cli.output.table_width) the table fits it: cells
    are wrapped between words inside their column, continuation lines under the column's
    start; when the free-text column would be too narrow to read, it goes on the lines under
    its row instead, indented under the second column (or by 4, after a wide first column).
    JSON and CSV are never shortened (README, "Output")."""
    styles = styles or {}
    cells = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    headers = [h for _, h in columns]
    widths, stacked = _layout(cells, headers, width)
    last = len(columns) - 1
    shown = last if stacked else last + 1  # columns on the row's own lines
    lines = [
        "  ".join(
            paint(_pad(h, w) if i < shown - 1 else h, "bold", colour)
            for i, (h, w) in enumerate(zip(headers[:shown], widths, strict=False))
        ).rstrip()
    ]
    # Stacked text goes under the second column, or 4 in when the first column is wide.
    indent = (widths[0] + 2 if widths[0] + 2 <= MAX_INDENT else 4) if stacked else 0
    if stacked:  # the free-text column's header, where its text goes: under the row
        lines.append(" " * indent + paint(headers[last], "bold", colour))
    for row, raw in zip(cells, rows, strict=True):
        wrapped = [wrap(text, w) for text, w in zip(row[:shown], widths, strict=False)]
        for n in range(max(len(x) for x in wrapped)):
            parts = []
            for i, ((key, _), pieces, w) in enumerate(zip(columns, wrapped, widths, strict=False)):
                text = pieces[n] if n < len(pieces) else ""
                style = styles[key](raw) if key in styles and text.strip() else None
                # Colour the text only: a blank cell or the padding is never painted.
                padding = " " * max(0, w - text_width(text)) if i < shown - 1 else ""
                parts.append(paint(text, style, colour) + padding)
            lines.append("  ".join(parts).rstrip())
        if stacked and row[last].strip() not in ("-", ""):
            for piece in wrap(row[last], max((width or 0) - indent, 20)):
                lines.append(" " * indent + piece)
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    """One line of text for a table cell, with unsafe characters escaped (present.safe)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"  # as in CSV and JSON (README "Spreadsheets")
    if isinstance(value, (list, tuple)):
        return safe(", ".join(map(str, value)), newlines=False) or "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z")
    return safe(str(value), newlines=False)
