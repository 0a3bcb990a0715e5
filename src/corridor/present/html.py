"""The HTML report (`corridor report --html FILE`, docs/sharing.md): one self-contained page.

- No network: no CDN, no web font, no script; the timeline is inline SVG whose shapes carry
  <title> elements (the hover text); the favicon is an empty data: URL so the browser asks
  for nothing.
- Every text that comes from the database goes through `esc()` (HTML-escaped, quotes too).
- Each name is isolated on its own (<bdi>, whose direction is its own first strong letter), never
  a whole cell set right-to-left: "Cilvegözü – باب الهوى" keeps its order. A name written only
  in Arabic script also carries lang="ar".
- A phone (390 CSS px) never scrolls the page sideways: each table and the timeline scroll in
  their own box; the timeline keeps its labels at 11 CSS px or more.
- Graphics reach 3:1 contrast against white (WCAG 1.4.11; `GRAPHIC_COLOURS`), and each shape
  of the timeline is a list item with its own label for screen readers.
- Print CSS for A4: colours kept, tables and rows not split across pages where avoidable.
"""

from __future__ import annotations

import html
import unicodedata
from datetime import date, datetime

from corridor.present.timeline import KIND_WORDS, default_range

COLOURS = {"resolution": "#1f5fa8", "consent": "#2e8540", "agreement": "#8a3ea8"}
GAP, GAP_START, REVIEW, MARK = "#e06666", "#b3261e", "#b8860b", "#111111"
# Every colour that carries meaning in the timeline (tests/test_report_phone.py checks 3:1).
GRAPHIC_COLOURS = {**COLOURS, "gap": GAP, "gap start": GAP_START, "review": REVIEW, "mark": MARK}
_SVG_W = 1000  # the timeline's viewBox width; never drawn narrower, so labels stay >= 11 px
STATE_WORDS = {  # corridor.services.status: one vocabulary for every output
    "authorized": "authorized",
    "lapsed": "lapsed",
    "unrenewed": "ended, no renewal recorded",
    "unknown": "unknown (no source)",
    "never": "never authorized",
}

CSS = """
:root { --ink: #1b1b1b; --muted: #5b5b5b; --line: #d0d0d0; --bad: #b3261e; --ok: #2e8540; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Arabic",
       Tahoma, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px;
       padding: 1.2rem; }
h1 { font-size: 1.5rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; border-bottom: 2px solid var(--ink);
     break-after: avoid; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; break-after: avoid; }
p.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; }
th, td { text-align: start; vertical-align: top; padding: .25rem .5rem;
         border-bottom: 1px solid var(--line); }
th { font-weight: 600; background: #f3f3f3; }
td.num { text-align: end; font-variant-numeric: tabular-nums; }
td.date, td.num, td.name { white-space: nowrap; }
.state { font-weight: 600; }
.state-authorized { color: var(--ok); }
.state-lapsed, .state-unrenewed, .state-never { color: var(--bad); }
.soon { color: var(--bad); font-weight: 600; }
.kind-gap { color: var(--bad); }
.aliases { color: var(--muted); }
figure { margin: .5rem 0; }
svg { width: 100%; height: auto; display: block; }
svg.chart { min-width: 1000px; }
.scroll { overflow-x: auto; max-width: 100%; }
td[dir="auto"] { min-width: 14rem; }  /* text columns never shrink to a word a line */
.scroll:focus-visible { outline: 2px solid #1f5fa8; outline-offset: 2px; }
h1, h2, h3, p, li, figcaption { overflow-wrap: anywhere; }
@media (max-width: 600px) { body { padding: .6rem; font-size: 14px; } }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
.legend span { margin-inline-end: 1rem; white-space: nowrap; }
.swatch { display: inline-block; width: 1.4em; height: .8em; vertical-align: middle;
          margin-inline-end: .3em; }
ul.sources { margin: .2rem 0 .8rem; padding-inline-start: 1.2rem; }
a { color: #1f5fa8; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 9.5pt; max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr, figure, .legend { break-inside: avoid; page-break-inside: avoid; }
  section.crossing { break-inside: auto; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 85%; word-break: break-all; }
  thead { display: table-header-group; }
  .scroll { overflow: visible; }
  td[dir="auto"] { min-width: 0; }
  svg.chart { min-width: 0; }
}
"""


def esc(value) -> str:
    """Any value as HTML text: escaped, quotes included (safe in attributes too)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    return html.escape(str(value), quote=True)


def _rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def name_html(text: str) -> str:
    """One name isolated from the text around it. <bdi> takes its direction from the name's
    own first strong letter, so a mixed name ("Cilvegözü – باب الهوى") keeps its order; a name
    that starts in Arabic script is also marked lang="ar"."""
    first = next((ch for ch in text if unicodedata.bidirectional(ch) in ("L", "R", "AL")), "")
    if _rtl(first) and "\u0600" <= first <= "\u06ff":
        return f'<bdi lang="ar">{esc(text)}</bdi>'
    return f"<bdi>{esc(text)}</bdi>"


def _scroll(label: str, content: str) -> str:
    """A box that scrolls sideways on its own, so the page never does (a phone)."""
    return (
        f'<div class="scroll" role="region" tabindex="0" aria-label="{esc(label)}">{content}</div>'
    )


def _link(text: str | None, url: str | None) -> str:
    if url and url.lower().startswith(("https://", "http://")):
        return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(text or url)}</a>'
    return esc(text or url or "")


def _links(bar) -> str:
    """The official copies a source names (corridor.core.links), as links: http(s) only; a
    derived link says so. The record's own source_url is already the citation's link."""
    shown = [
        _link(k.label, k.url) + (' <span class="muted">(derived)</span>' if k.derived else "")
        for k in getattr(bar, "links", ())
        if k.url != bar.source_url and k.url.lower().startswith(("https://", "http://"))
    ]
    return f" — {', '.join(shown)}" if shown else ""


def page(
    *,
    title: str | None,
    as_of: date,
    zone_name: str,
    within: int,
    states,
    deadlines,
    timeline,
    histories,
    rows_by_slug: dict,
    generated: datetime,
    plans: str = "",  # the planned movements' section: only with --include-plans
) -> str:
    heading = "Cross-border authorizations" + (f": {title}" if title else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="corridor">',
        # Nothing may load from anywhere: a violation shows in the browser's console.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        '<link rel="icon" href="data:,">',
        f"<title>{esc(heading)} (as of {as_of})</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{esc(heading)}</h1>",
        f'<p class="meta">As known on <strong>{as_of}</strong> ({esc(zone_name)}). '
        f"Written {generated:%Y-%m-%d %H:%M} UTC by corridor. Dates are the authorities' "
        "calendar dates; an authorization &ldquo;until D&rdquo; ends at midnight at the end "
        "of D in the authority's timezone.</p>",
        _knowledge(states),
        "</header>",
        _status(states),
        _upcoming(deadlines, within, zone_name),
        _timeline(timeline, as_of),
        _histories(histories, rows_by_slug),
        plans,
        "<footer>Made with corridor. Facts come from the record; see each crossing's "
        "sources.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _knowledge(states) -> str:
    """Which crossings' authority ended with no renewal and no reason recorded (`unrenewed`,
    docs/time.md): an alarm, said at the top of the page."""
    by_end: dict[date, list[str]] = {}
    for s in states:
        if s.state == "unrenewed" and s.lapsed_since is not None:
            by_end.setdefault(s.lapsed_since, []).append(s.crossing)
    return "".join(
        f'<p class="soon">No renewal of {esc(", ".join(names))} is recorded: the authority '
        f"ended at the end of {date.fromordinal(since.toordinal() - 1)}.</p>"
        for since, names in sorted(by_end.items())
    )


def _status(states) -> str:
    rows = []
    for s in states:
        left = "" if s.days_left is None else f"{s.days_left}"
        soon = (
            ' class="num soon"' if s.days_left is not None and s.days_left <= 7 else ' class="num"'
        )
        rows.append(
            "<tr>"
            f'<td class="name"><a href="#crossing-{esc(s.slug)}">{name_html(s.crossing)}</a></td>'
            f'<td class="state state-{esc(s.state)}">{esc(STATE_WORDS.get(s.state, s.state))}'
            f"{_caveat(s)}</td>"
            f'<td class="date">{esc(s.until)}</td>'
            f"<td{soon}>{esc(left)}</td>"
            f'<td dir="auto">{esc(s.instruments)}</td>'
            f'<td dir="auto">{esc(s.note)}</td>'
            "</tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="6" class="muted">The record has no crossings.</td></tr>')
    table = (
        "<table><thead><tr><th>Crossing</th><th>Status</th><th>Until</th><th>Days left</th>"
        "<th>Instruments</th><th>Note</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    return f'<section id="status"><h2>Status</h2>{_scroll("Status", table)}</section>'


def _caveat(s) -> str:
    """A sourced caveat on the authority in force, beside "authorized" (docs/format.md)."""
    caveat = getattr(s, "caveat", None)
    if not caveat:
        return ""
    return f' <span class="caveat" dir="auto">(caveat: {esc(caveat)})</span>'


def _upcoming(deadlines, within: int, zone_name: str) -> str:
    rows = []
    for d in deadlines:
        soon = ' class="num soon"' if d.days_left <= 7 else ' class="num"'
        rows.append(
            "<tr>"
            f'<td class="date">{d.date}</td>'
            f"<td{soon}>{d.days_left}</td>"
            f"<td>{esc(d.kind)}</td>"
            f"<td>{', '.join(name_html(c) for c in d.crossings)}</td>"
            f'<td dir="auto">{esc(d.instrument)}</td>'
            f'<td class="date">{d.due_local:%Y-%m-%d %H:%M}</td>'
            f'<td dir="auto">{esc(d.note)}</td>'
            "</tr>"
        )
    body = (
        _scroll(
            "Upcoming deadlines",
            "<table><thead><tr><th>Date</th><th>Days left</th><th>Kind</th><th>Crossings</th>"
            f"<th>Instrument</th><th>Ends ({esc(zone_name)})</th><th>Note</th></tr></thead>"
            "<tbody>" + "".join(rows) + "</tbody></table>",
        )
        if rows
        else f'<p class="muted">Nothing due in the next {within} days.</p>'
    )
    return (
        f'<section id="upcoming"><h2>Upcoming deadlines (next {within} days)</h2>{body}</section>'
    )


# ---------------------------------------------------------------- the timeline as SVG

_LABEL_W, _CHART_W, _ROW_H, _TOP, _BAR_H = 130, 860, 26, 26, 14


def _timeline(tl, as_of: date) -> str:
    if not tl.rows:
        return ""
    lo, hi = default_range(tl, as_of)
    width = _SVG_W
    height = _TOP + _ROW_H * len(tl.rows) + 8
    total = (hi - lo).days + 1

    def x(day: date) -> float:
        day = min(max(day, lo), hi)
        return _LABEL_W + (day - lo).days * _CHART_W / total

    # Not role="img": that would hide every shape's title from a screen reader. Each crossing
    # is a list, each shape an item labelled with what its hover text says.
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="group" aria-labelledby="tl-title">',
        f'<title id="tl-title">Authority over time, {lo} to {hi}, as known on {as_of}</title>',
    ]

    def item(text: str) -> str:
        return f'role="listitem" aria-label="{esc(text)}"'

    for year in range(lo.year, hi.year + 1):
        gx = x(date(year, 1, 1))
        out.append(
            f'<line x1="{gx:.1f}" y1="{_TOP - 6}" x2="{gx:.1f}" y2="{height - 4}" '
            'stroke="#e3e3e3" stroke-width="1" aria-hidden="true"/>'
        )
        if hi.year - lo.year <= 15 or year % 2 == 0:
            out.append(f'<text x="{gx + 2:.1f}" y="{_TOP - 10}" aria-hidden="true">{year}</text>')
    for i, row in enumerate(tl.rows):
        y = _TOP + i * _ROW_H
        mid = y + _ROW_H / 2
        out.append(f'<g class="row" role="list" aria-label="{esc(row.name)}">')
        out.append(f'<text x="4" y="{mid + 4:.1f}" aria-hidden="true">{esc(row.name)}</text>')
        known_end = min(tl.as_of, hi)  # an ended authority is a lapse up to the as-of date
        for gap in row.gaps:
            last = gap.last if gap.last is not None else known_end
            if last < lo or gap.first > hi or last < gap.first:
                continue
            gx, gw = x(gap.first), max(x(last) - x(gap.first) + _CHART_W / total, 3)
            out.append(
                f'<rect x="{gx:.1f}" y="{mid - 3:.1f}" width="{gw:.1f}" height="6" '
                f'fill="{GAP}" {item(gap.text)}><title>{esc(gap.text)}</title></rect>'
            )
        for bar in row.bars:
            if bar.end < lo or bar.start > hi:
                continue
            bx = x(bar.start)
            bw = max(x(bar.end) - bx + _CHART_W / total, 1.5)
            colour = COLOURS.get(bar.kind, "#666")
            tip = (
                f"{bar.symbol} ({KIND_WORDS.get(bar.kind, bar.kind)}, {bar.authority}): "
                f"{bar.start} to {bar.end}"
            )
            out.append(
                f'<rect x="{bx:.1f}" y="{mid - _BAR_H / 2:.1f}" width="{bw:.1f}" '
                f'height="{_BAR_H}" fill="{colour}" stroke="#fff" stroke-width="0.6" {item(tip)}>'
                f"<title>{esc(tip)}</title></rect>"
            )
        for mark in row.marks:  # expiries: a dark tick at the end of the last covered day
            if mark.kind != "expiry" or not lo <= mark.day <= hi:
                continue
            ex = x(mark.day) + _CHART_W / total
            out.append(
                f'<rect x="{ex - 1.2:.1f}" y="{mid - _BAR_H / 2 - 2:.1f}" width="1.2" '
                f'height="{_BAR_H + 4}" fill="{MARK}" {item(mark.text)}>'
                f"<title>{esc(mark.text)}</title></rect>"
            )
        for gap in row.gaps:  # the gap's start, always visible however short
            if lo <= gap.first <= hi:
                gx = x(gap.first)
                out.append(
                    f'<rect x="{gx - 1:.1f}" y="{mid - 10:.1f}" width="3" height="20" '
                    f'fill="{GAP_START}" {item("gap: " + gap.text)}>'
                    f"<title>gap: {esc(gap.text)}</title></rect>"
                )
        for mark in row.marks:
            if not lo <= mark.day <= hi or mark.kind != "review":
                continue
            mx = x(mark.day) + _CHART_W / total / 2
            out.append(
                f'<path d="M{mx:.1f} {mid - 7:.1f} l5 7 l-5 7 l-5 -7 z" fill="{REVIEW}" '
                f'stroke="#5b4500" stroke-width="0.6" {item(f"{mark.text} ({mark.day})")}>'
                f"<title>{esc(mark.text)} ({mark.day})</title></path>"
            )
        out.append("</g>")
    if lo <= as_of <= hi:
        ax = x(as_of)
        out.append(
            f'<line x1="{ax:.1f}" y1="{_TOP - 4}" x2="{ax:.1f}" y2="{height - 2}" '
            f'stroke="{MARK}" stroke-width="1.5" stroke-dasharray="4 2" '
            f'aria-label="as of {as_of}"><title>as of {as_of}</title></line>'
        )
    out.append("</svg>")
    legend = (
        '<p class="legend">'
        + "".join(
            f'<span><i class="swatch" style="background:{c}"></i>{esc(KIND_WORDS[k])}</span>'
            for k, c in COLOURS.items()
        )
        + f'<span><i class="swatch" style="background:{GAP}"></i>gap (no authority, '
        "even for part of a day)</span>"
        + f'<span><i class="swatch" style="background:{REVIEW}"></i>review point</span>'
        + f"<span>dashed line: {as_of}</span></p>"
    )
    return (
        '<section id="timeline"><h2>Timeline</h2><figure>'
        + _scroll("Timeline", "".join(out))
        + f"<figcaption>{legend}</figcaption></figure></section>"
    )


# ---------------------------------------------------------------- histories


def _histories(histories, rows_by_slug: dict) -> str:
    parts = ['<section id="history"><h2>Each crossing\'s history</h2>']
    for h in histories:
        parts.append(f'<section class="crossing" id="crossing-{esc(h.slug)}">')
        sides = esc("–".join(h.countries))
        parts.append(f'<h3>{name_html(h.name)} <span class="muted">({sides})</span></h3>')
        if h.aliases:
            parts.append(
                '<p class="aliases">Also: ' + ", ".join(name_html(a) for a in h.aliases) + "</p>"
            )
        if h.notes:
            parts.append(f'<p dir="auto">{esc(h.notes)}</p>')
        rows = []
        for e in h.entries:
            until = f" → {e.until}" if e.until and e.kind in ("period", "gap") else ""
            rows.append(
                f'<tr class="kind-{esc(e.kind)}"><td class="date">{e.date}{esc(until)}</td>'
                f'<td>{esc(e.kind)}</td><td dir="auto">{esc(e.text)}</td></tr>'
            )
        parts.append(
            _scroll(
                f"History of {h.name}",
                "<table><thead><tr><th>Date</th><th>What</th><th>Detail</th></tr></thead><tbody>"
                + "".join(rows)
                + "</tbody></table>",
            )
            if rows
            else '<p class="muted">Nothing recorded.</p>'
        )
        row = rows_by_slug.get(h.slug)
        sources = []
        seen = set()
        for bar in row.bars if row else []:
            if bar.symbol in seen:
                continue
            seen.add(bar.symbol)
            cite = (
                _link(bar.source, bar.source_url)
                if (bar.source or bar.source_url)
                else ('<span class="muted">no source recorded</span>')
            )
            sources.append(f"<li><bdi>{esc(bar.symbol)}</bdi>: {cite}{_links(bar)}</li>")
        if sources:
            parts.append('<h4>Sources</h4><ul class="sources">' + "".join(sources) + "</ul>")
        parts.append("</section>")
    parts.append("</section>")
    return "".join(parts)
