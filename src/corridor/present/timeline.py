"""The terminal timeline (`corridor timeline`, docs/sharing.md): one row per crossing.

Layout of a row: the crossing's name padded to the name column, a space, the frame character,
then the chart, to the full width. Day `d` of the range [lo, hi] falls in chart column

    (d - lo).days * width // ((hi - lo).days + 1)

so a column spans one or more whole days. A column shows, by priority: a gap, the as-of marker,
a review point, an expiry (the last covered day of a period), a label, the bar of the
instrument kind, the dots of "no authority" after a gap or lapse; blank is never authorized,
or outside what the record knows. Gaps shorter than a column still get their column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from corridor.present.safe import safe

_CODES = {
    "resolution": "34",  # blue
    "consent": "32",  # green
    "agreement": "35",  # magenta
    "gap": "1;31",  # bold red
    "lapse": "2;31",  # dim red
    "review": "33",  # yellow
    "asof": "1",  # bold
    "axis": "2",  # dim
}


@dataclass(frozen=True)
class Glyphs:
    frame: str
    fill: dict[str, str]
    end: dict[str, str]
    gap: str
    lapse: str
    review: str
    asof: str
    ellipsis: str


UNICODE = Glyphs(
    frame="│",
    fill={"resolution": "━", "consent": "═", "agreement": "─"},
    end={"resolution": "┫", "consent": "╣", "agreement": "┤"},
    gap="×",
    lapse="·",
    review="◆",
    asof="┃",
    ellipsis="…",
)
ASCII = Glyphs(
    frame="|",
    fill={"resolution": "=", "consent": "~", "agreement": "-"},
    end={"resolution": "]", "consent": "]", "agreement": "]"},
    gap="X",
    lapse=".",
    review="*",
    asof="!",
    ellipsis=".",
)

KIND_WORDS = {
    "resolution": "Council resolution",
    "consent": "consent",
    "agreement": "agreement",
}
NAME_MAX = 22
MIN_CHART = 20


def column(day: date, lo: date, hi: date, width: int) -> int:
    return (day - lo).days * width // ((hi - lo).days + 1)


def label_candidates(symbol: str) -> list[str]:
    """From the full symbol down to its shortest recognisable part: "S/RES/2642 (2022)",
    "S/RES/2642", "2642"; a consent's "extension 2", "ext 2"."""
    out = [symbol]
    head = re.sub(r"\s*\([^)]*\)$", "", symbol)
    out.append(head)
    if ":" in head:
        tail = head.split(":", 1)[1].split(",")[-1].strip()
        out.append(tail)
        out.append(re.sub(r"^extension\s+", "ext ", tail))
    number = re.search(r"(\d+)(?!.*\d)", head)
    if number and "/" in head:
        out.append(number.group(1))
    seen: list[str] = []
    for text in out:
        if text and text not in seen:
            seen.append(text)
    return sorted(seen, key=len, reverse=True)


def render(
    tl,
    *,
    lo: date,
    hi: date,
    width: int,
    colour: bool = False,
    unicode: bool = True,
    labels: bool = True,
) -> str:
    g = UNICODE if unicode else ASCII
    names = [safe(r.name, newlines=False) for r in tl.rows]  # stored text, escaped (present.safe)
    name_w = min(max([len(n) for n in names] + [4]), NAME_MAX)
    chart_w = max(width - name_w - 2, MIN_CHART)
    total = (hi - lo).days + 1

    def col(day: date) -> int:
        return column(day, lo, hi, chart_w)

    def clamp(day: date) -> int | None:
        if day < lo or day > hi:
            return None
        return col(day)

    lines = [
        f"Authority over time, {lo} to {hi}, as known on {tl.as_of}: "
        f"1 column = {_per_column(total, chart_w)}"
    ]
    lines.append(" " * (name_w + 2) + _axis(lo, hi, chart_w, col))
    asof_col = clamp(tl.as_of)
    for row in tl.rows:
        cells: list[tuple[str, str | None]] = [(" ", None)] * chart_w
        rank = [0] * chart_w

        def put(c: int, ch: str, style: str | None, prio: int, cells=cells, rank=rank) -> None:
            if 0 <= c < chart_w and prio >= rank[c]:
                cells[c] = (ch, style)
                rank[c] = prio

        def span(first: date, last: date) -> range:
            a, b = max(first, lo), min(last, hi)
            return range(col(a), col(b) + 1) if a <= b else range(0)

        known_end = min(tl.as_of, hi)  # an ended authority is a lapse up to the as-of date
        for gap in row.gaps:
            last = gap.last if gap.last is not None else known_end
            for c in span(gap.first, last):
                put(c, g.lapse, "lapse", 1)
        for bar in row.bars:
            for c in span(bar.start, bar.end):
                put(c, g.fill.get(bar.kind, g.fill["agreement"]), bar.kind, 2)
        for mark in row.marks:
            at = clamp(mark.day)
            if at is None:
                continue
            if mark.kind == "expiry":
                kind = next((b.kind for b in row.bars if b.symbol == mark.symbol), "agreement")
                put(at, g.end.get(kind, g.end["agreement"]), kind, 4)
            else:
                put(at, g.review, "review", 5)
        for gap in row.gaps:
            at = clamp(gap.first)
            if at is not None:
                put(at, g.gap, "gap", 10)  # above the as-of marker: a gap is never hidden
        if labels:
            _labels(row, cells, rank, span, g, chart_w)
        if asof_col is not None:
            put(asof_col, g.asof, "asof", 9)
        shown = safe(row.name, newlines=False)
        name = shown if unicode else ascii_text(shown)
        name = name if len(name) <= name_w else name[: name_w - 1] + g.ellipsis
        chart = "".join(_paint(ch, style, colour) for ch, style in cells)
        lines.append(name.ljust(name_w) + " " + g.frame + chart)
    lines += _legend(g, tl.as_of, colour, name_w + 2 + chart_w)
    return "\n".join(lines) + "\n"


def _labels(row, cells, rank, span, g, chart_w) -> None:
    """Write each instrument's symbol into the longest run of plain bar inside its bar, with
    one bar character left on each side, choosing the longest form that fits."""
    by_symbol: dict[str, list[int]] = {}
    for bar in row.bars:
        by_symbol.setdefault(bar.symbol, []).extend(span(bar.start, bar.end))
    for symbol, cols in by_symbol.items():
        kind = next(b.kind for b in row.bars if b.symbol == symbol)
        fill = g.fill.get(kind, g.fill["agreement"])
        best: list[int] = []
        run: list[int] = []
        for c in sorted(set(cols)):
            if rank[c] == 2 and cells[c][0] == fill and (not run or run[-1] == c - 1):
                run.append(c)
            else:
                run = [c] if rank[c] == 2 and cells[c][0] == fill else []
            if len(run) > len(best):
                best = list(run)
        room = len(best) - 2
        forms = label_candidates(safe(symbol, newlines=False))
        text = next((t for t in forms if len(t) <= room), None)
        if not text:
            continue
        start = best[0] + 1 + (room - len(text)) // 2
        for i, ch in enumerate(text):
            cells[start + i] = (ch, f"label-{kind}")
            rank[start + i] = 3


def _paint(ch: str, style: str | None, colour: bool) -> str:
    if not colour or style is None or ch == " ":
        return ch
    if style.startswith("label-"):
        return f"\x1b[1;{_CODES[style[6:]]}m{ch}\x1b[0m"
    return f"\x1b[{_CODES[style]}m{ch}\x1b[0m"


def _per_column(total_days: int, chart_w: int) -> str:
    per = total_days / chart_w
    return f"{per:.0f} days" if per >= 1.5 else ("1 day" if per >= 0.5 else "less than a day")


def _axis(lo: date, hi: date, chart_w: int, col) -> str:
    """Year labels at the column of each 1 January; every 2nd, 5th or 10th year when tight."""
    axis = [" "] * chart_w
    years = list(range(lo.year + (lo > date(lo.year, 1, 1)), hi.year + 1))
    if not years:  # a range within one year: label its start
        years = []
        text = f"{lo:%Y-%m}"
        axis[: len(text)] = text
        return "".join(axis)
    for step in (1, 2, 5, 10, 20, 50):
        placed = [(col(date(y, 1, 1)), str(y)) for y in years if y % step == 0 or step == 1]
        if all(b - a >= 5 for (a, _), (b, _) in zip(placed, placed[1:], strict=False)):
            break
    for c, text in placed:
        if c + len(text) <= chart_w:
            axis[c : c + len(text)] = text
    return "".join(axis).rstrip()


def _legend(g: Glyphs, as_of: date, colour: bool, width: int) -> list[str]:
    """The key, its entries kept whole and wrapped to `width` columns."""
    # (glyph, style to paint it with or None, words)
    entries: list[tuple[str, str | None, str]] = [
        (g.fill[k], k, KIND_WORDS[k]) for k in ("resolution", "consent")
    ]
    entries += [
        (g.fill["agreement"], "agreement", "agreement"),
        (g.end["resolution"], None, "expiry"),
        (g.review, "review", "review"),
        (g.gap + g.lapse, "gap", "gap, no authority"),
        (g.asof, "asof", str(as_of)),
    ]
    lines: list[str] = []
    line, used = "", 0
    for glyph, style, words in entries:
        size = len(glyph) + 1 + len(words)
        if used and used + 2 + size > width:
            lines.append(line)
            line, used = "", 0
        if used:
            line, used = line + "  ", used + 2
        line += f"{_paint(glyph, style, colour) if style else glyph} {words}"
        used += size
    return [*lines, line]


def default_range(tl, as_of: date) -> tuple[date, date]:
    """Whole years from the first period to the later of the record's end and `as_of`."""
    first = tl.first or as_of
    last = max(x for x in (tl.last, as_of) if x is not None)
    return date(first.year, 1, 1), date(last.year, 12, 31)


def ascii_text(text: str) -> str:
    """For a terminal that is not UTF-8: accents dropped, other scripts as '?'."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(
        ch if ord(ch) < 128 else ("" if unicodedata.combining(ch) else "?") for ch in plain
    )
