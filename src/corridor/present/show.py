"""The `show` commands' text for people: one crossing (`crossing show`) and one instrument
(`instrument show`). Stored text is escaped for the terminal (corridor.present.safe), then
wrapped to the width given (None: no limit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor.core.words import left_long
from corridor.present.documents import history_rows
from corridor.present.render import to_table, wrap_lines
from corridor.present.safe import safe
from corridor.services.parties import parties_line

if TYPE_CHECKING:
    from corridor.services.pages import CrossingPage

_OUTCOME = {"extended": "extended", "not_extended": "not extended", "pending": "pending"}


def crossing_text(page: CrossingPage, *, label: str, zone_name: str, width: int | None) -> str:
    """A crossing's page: what it is, its state as of `label` in the reader's zone, its whole
    history, and the parties of instruments with several."""
    h, made_by = page.history, page.made_by
    entries = history_rows(h.entries)
    shape = "-".join(h.countries) + ("" if h.kind == "land" else f", {h.kind}")
    lines = [f"{h.name} ({shape})"]
    if h.aliases:
        lines.append(f"Also: {', '.join(h.aliases)}")
    if h.lat is not None:
        lines.append(f"Location: {h.lat}, {h.lon}")
    if h.notes:
        lines.append(f"Notes: {h.notes}")
    if h.now.horizon is not None:
        lines.append(f"Record known up to: {h.now.horizon}")
    lines.append("")
    lines.append(f"As of {label}: {_now_sentence(h.now, zone_name)}")
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
    # stored text is escaped for the terminal (corridor.present.safe), then wrapped
    text = wrap_lines(safe("\n".join(lines)), width) + "\n"
    return text + wrap_lines(safe("\n".join(history)), width, " " * (14 + kind_w)) + "\n"


def _now_sentence(s, zone_name: str) -> str:
    if s.authorized:
        left = left_long(s.days_left)
        return (
            f"authorized until {s.until} ({left}; ends {s.until_local:%Y-%m-%d %H:%M %Z}) "
            f"by {', '.join(s.instruments)}"
        )
    return s.note


def instrument_text(view: dict, *, width: int | None, colour: bool) -> str:
    """An instrument's page from its view (corridor.present.views.instrument_view): what it is,
    its periods as a table, its reviews and reports."""
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
            colour=colour,
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
    return text


def _indent(table: str) -> str:
    return "".join(f"  {line}\n" if line else "\n" for line in table.splitlines())
