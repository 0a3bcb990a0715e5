"""One plain-text message per recipient and run (docs/alerts.md, "The digest"): short lines
that read on a phone, the most urgent alert first, and a subject that says it in one line,
e.g. "corridor: Bab al-Hawa expires in 7 days (S/RES/2642)"."""

from __future__ import annotations

from dataclasses import dataclass

_WHAT = {
    "expiry": "expires",
    "review": "review point",
    "report": "report due",
    "lapse": "authority ended, no renewal recorded",
    "stale": "record out of date",
}


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str
    count: int


def _short(symbol: str) -> str:
    return symbol.split(" (")[0] if symbol.startswith("S/RES/") else symbol


def _when(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "in 1 day"
    if days > 0:
        return f"in {days} days"
    return "1 day ago" if days == -1 else f"{-days} days ago"


def headline(f: dict) -> str:
    if f["kind"] == "plan":  # a planned movement's verdict (corridor.services.plan_alerts)
        return f["headline"]
    where = ", ".join(f["crossings"])
    inst = f" ({_short(f['instrument'])})" if f.get("instrument") else ""
    if f["kind"] == "lapse":
        why = f.get("reason") or "no renewal recorded"
        return f"{where}: authority ended {_when(f['days_left'])}, {why}{inst}"
    if f["kind"] == "stale":
        return f"{where}: {_WHAT[f['kind']]}{inst}"
    return f"{where} {_WHAT[f['kind']]} {_when(f['days_left'])}{inst}"


def _order(f: dict) -> tuple:
    lapse_first = 0 if f["kind"] == "lapse" else 1
    return (lapse_first, f["days_left"], f["date"], f["kind"], ", ".join(f["crossings"]))


def digest(facts: list[dict]) -> Digest:
    items = sorted(facts, key=_order)
    first = headline(items[0])
    subject = f"corridor: {first}"
    if len(items) > 1:
        subject += f" (+{len(items) - 1} more)"
    blocks = []
    for f in items:
        lines = [headline(f)]
        if f["kind"] == "plan":
            lines.extend(f"  {line}" for line in f["lines"])
        elif f["kind"] == "stale":
            lines.append(f"  {f['then']}")
        else:
            lines.append(f"  {f['kind']} of {f['instrument']}")
            lines.append(f"  date: {f['date']}")
            if f.get("due_local"):
                lines.append(f"  ends: {f['due_local']} ({f['zone']})")
            if f["kind"] != "lapse":
                lines.append(f"  days left: {f['days_left']}")
            lines.append(f"  then: {f['then']}")
            if f.get("note"):
                lines.append(f"  note: {f['note']}")
            if f.get("source_url"):
                lines.append(f"  source: {f['source_url']}")
            if f.get("source_link") and f["source_link"] != f.get("source_url"):
                lines.append(f"  link: {f['source_link']}")
            lines.append(f"  quiet it: corridor alerts ack {f['uid']}")
        blocks.append("\n".join(lines))
    as_of = items[0].get("as_of", "")
    footer = f"-- corridor alerts run, as of {as_of}"
    return Digest(subject, "\n\n".join(blocks) + "\n\n" + footer + "\n", len(items))
