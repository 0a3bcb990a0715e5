"""Links to the sources a record names (docs/format.md, "Links to sources"). Pure functions.

A record cites its sources in text: the instrument's symbol ("S/RES/2642 (2022)"), other UN
documents ("S/2023/506"), UN press releases ("UN press release SC/14577"). Each becomes a link
to the official copy:

- a UN document symbol: `https://undocs.org/` + the symbol without spaces,
  e.g. https://undocs.org/S/RES/2642(2022);
- a press release `SC/NNNNN` of a known year (the instrument's adoption, the draft's vote):
  `https://press.un.org/en/YYYY/scNNNNN.doc.htm`.

A link built this way is marked `derived`: the pattern is the UN's, but nobody checked that the
page exists. A `source_url` given in the record comes first and is not derived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

UNDOCS = "https://undocs.org/"
PRESS = "https://press.un.org/en/{year}/sc{number}.doc.htm"

# A UN document symbol: a series (S, A, E) then "/"-separated parts, at least one numeric
# ("S/RES/2642", "S/2023/506", "A/RES/77/1", "S/PV.9087"), and a resolution's "(YYYY)".
_SYMBOL = re.compile(
    r"(?<![\w/])(?P<body>(?:S|A|E)(?:/(?:[A-Z]+(?:\.\d+)?|\d+))+)(?:\s*\((?P<year>\d{4})\))?"
)
_PRESS = re.compile(r"(?<![\w/])SC/(?P<number>\d{4,6})(?![\w/])")


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    derived: bool  # built from a pattern, not given in the record


def document_links(text: str | None) -> list[Link]:
    """A link for every UN document symbol in `text`, in order of appearance."""
    out = []
    for m in _SYMBOL.finditer(text or ""):
        body = m.group("body")
        if not any(ch.isdigit() for ch in body):
            continue
        year = m.group("year")
        path = body + (f"({year})" if year else "")
        out.append(Link(UNDOCS + path, m.group(0), True))
    return out


def press_links(text: str | None, year: int | None) -> list[Link]:
    """A link for every `SC/NNNNN` press release in `text`, when the year is known."""
    if year is None:
        return []
    return [
        Link(
            PRESS.format(year=year, number=m.group("number")),
            f"UN press release {m.group(0)}",
            True,
        )
        for m in _PRESS.finditer(text or "")
    ]


def is_web_url(url: str | None) -> bool:
    """An http(s) URL: the only kind an HTML report makes clickable."""
    return bool(url) and re.match(r"(?i)https?://[^\s<>\"']+$", url or "") is not None


def source_links(
    symbol: str | None, source: str | None, source_url: str | None, day: date | None
) -> list[Link]:
    """Every link for a record: its `source_url` first (given, so it wins), then the official
    copy of its symbol, then the documents and press releases its `source` text names (a
    press release is dated by `day`: the adoption, or the vote). Each URL once."""
    year = day.year if day is not None else None
    given = (source_url or "").strip()
    links = [Link(given, "source", False)] if given else []
    links += document_links(symbol)
    links += document_links(source) + press_links(source, year)
    seen: set[str] = set()
    out = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def first_url(links: list[Link] | tuple[Link, ...]) -> str | None:
    """The one link to give where there is room for one (a calendar's URL, a digest line): the
    first http(s) one, so a `source_url` that is not a web address never becomes a link."""
    return next((k.url for k in links if is_web_url(k.url)), None)
