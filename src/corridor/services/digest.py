"""One plain-text message per recipient and run (docs/alerts.md, "The digest"): short lines
that read on a phone, the most urgent alert first, and a subject that says it in one line,
e.g. "corridor: Bab al-Hawa expires in 7 days (S/RES/2642)".

Subjects fit every channel: at most SUBJECT_MAX characters (RFC 5322's recommended line
length), cut at a grapheme boundary with "…"; the body always carries the whole headline.
What only the record keeper can do (`corridor renew …`, `crossing checked`) goes in a footer
marked for them, apart from what field staff need.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from corridor.core.words import short_symbol
from corridor.services.alert_facts import AlertFacts

SUBJECT_MAX = 78
KEEPER_HEADER = "For whoever keeps the record:"

_WHAT = {
    "expiry": "expires",
    "review": "review point",
    "report": "report due",
    "notice": "last day to object",
    "lapse": "authority ended",
    "stale": "record out of date",
}


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str
    count: int


def _when(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "in 1 day"
    if days > 0:
        return f"in {days} days"
    return "1 day ago" if days == -1 else f"{-days} days ago"


def headline(f: AlertFacts) -> str:
    if f.kind == "plan":  # a planned movement's verdict (corridor.services.plan_alerts)
        return f.headline or ""
    where = ", ".join(f.crossings)
    inst = f" ({short_symbol(f.instrument)})" if f.instrument else ""
    kind = f.kind
    if kind in ("lapse", "renewed", "reason"):
        return (
            (f.then or "") if kind != "lapse" or "ended" in f.keys else _old_lapse(f, where, inst)
        )
    if kind == "stale":
        return f"{where}: {_WHAT[kind]}{inst}"
    return f"{where} {_WHAT.get(kind, kind)} {_when(f.days_left)}{inst}"


def _old_lapse(f: AlertFacts, where: str, inst: str) -> str:
    """A lapse queued by an older version (no exact end in its facts)."""
    return f"{where}: authority ended {f.date}, no renewal recorded{inst}"


def _order(f: AlertFacts) -> tuple:
    first = {"lapse": 0, "reason": 1, "renewed": 2}.get(f.kind, 3)
    return (first, f.days_left, f.date, f.kind, ", ".join(f.crossings))


# ---------------------------------------------------------------- graphemes

_ZWJ = "\u200d"


def _extends(ch: str, prev: str) -> bool:
    """Whether `ch` belongs to the grapheme that `prev` ends (UAX #29, the rules that matter
    for a cut: combining and enclosing marks, spacing marks, ZWJ sequences, variation
    selectors, emoji modifiers and tags, regional-indicator pairs)."""
    code = ord(ch)
    if unicodedata.category(ch) in ("Mn", "Me", "Mc") or ch == _ZWJ:
        return True
    if prev == _ZWJ:
        return True
    return (
        0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tags
    )


def graphemes(text: str) -> list[str]:
    """`text` split into user-perceived characters (close to UAX #29's extended clusters)."""
    out: list[str] = []
    ri_run = 0  # regional indicators pair up into flags
    for ch in text:
        is_ri = 0x1F1E6 <= ord(ch) <= 0x1F1FF
        joins = out and (
            _extends(ch, out[-1][-1])
            or (is_ri and ri_run % 2 == 1)
            or (out[-1][-1] == "\r" and ch == "\n")
        )
        if joins:
            out[-1] += ch
        else:
            out.append(ch)
        ri_run = ri_run + 1 if is_ri else 0
    return out


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters (code points), cut between graphemes with "…"."""
    if len(text) <= limit:
        return text
    kept, size = [], 0
    for g in graphemes(text):
        if size + len(g) > limit - 1:
            break
        kept.append(g)
        size += len(g)
    return "".join(kept).rstrip() + "…"


def subject_of(first: str, more: int) -> str:
    """One line (a subject is a header: a line break in stored text must not end it)."""
    tail = f" (+{more} more)" if more else ""
    head = "corridor: "
    line = first.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return head + cut(line, SUBJECT_MAX - len(head) - len(tail)) + tail


# ---------------------------------------------------------------- the message


def _block(f: AlertFacts) -> list[str]:
    lines = [headline(f)]
    kind = f.kind
    if kind == "plan":
        return [*lines, *(f"  {line}" for line in f.lines or ())]
    if kind == "stale":
        return [*lines, f"  {f.then}", f"  quiet it: corridor alerts ack {f.uid}"]
    if kind in ("renewed", "reason"):
        lines.append(f"  earlier alerts: {f.kind_before} of {f.instrument}, {f.date}")
        return lines
    if kind == "review":
        lines.append(f"  review of {f.instrument}")
        lines.append(f"  decides: {f.then}")
        lines.append(f"  by: the end of {f.date}, {f.due_local} ({f.zone})")
        lines.append(f"  days left: {f.days_left}")
    elif kind == "lapse":
        lines.append(f"  expiry of {f.instrument}")
        if "ended" not in f.keys:
            lines.append(f"  then: {f.then}")
    else:
        lines.append(f"  {kind} of {f.instrument}")
        lines.append(f"  date: {f.date}")
        if f.due_local:
            lines.append(f"  ends: {f.due_local} ({f.zone})")
        lines.append(f"  days left: {f.days_left}")
        lines.append(f"  then: {f.then}")
    if f.note:
        lines.append(f"  note: {f.note}")
    if f.caveat:  # a sourced reservation (docs/format.md, "caveat")
        lines.append(f"  caveat: {f.caveat}")
    if f.unconfirmed:  # an inferred step: no announcement of its own (docs/time.md)
        lines.append(f"  unconfirmed: {f.unconfirmed}")
    if f.source_url:
        lines.append(f"  source: {f.source_url}")
    if f.source_link and f.source_link != f.source_url:
        lines.append(f"  link: {f.source_link}")  # one click to the document (core/links)
    if kind not in ("renewed", "reason"):
        lines.append(f"  quiet it: corridor alerts ack {f.uid}")
    return lines


def digest(facts: list[AlertFacts]) -> Digest:
    items = sorted(facts, key=_order)
    blocks, said = [], set()
    for f in items:
        if f.kind in ("renewed", "reason"):
            if f.then in said:
                continue  # one renewal that closes an expiry and a review: said once
            said.add(f.then)
        blocks.append("\n".join(_block(f)))
    keeper = []
    for f in items:
        if f.keeper:
            line = f"  {', '.join(f.crossings)}: {f.keeper}"
            if line not in keeper:
                keeper.append(line)
    subject = subject_of(headline(items[0]), len(blocks) - 1)
    if keeper:
        blocks.append("\n".join([KEEPER_HEADER, *keeper]))
    as_of = items[0].as_of
    footer = f"-- corridor alerts run, as of {as_of}"
    return Digest(subject, "\n\n".join(blocks) + "\n\n" + footer + "\n", len(items))
