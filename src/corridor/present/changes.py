"""Changes to the record, as people read them: a write's result (its message, the audit entries
a dry run would write, the deadlines it derived), an import's listing, a planned movement's
change, and the audit trail (`corridor log`). The JSON forms are in corridor.present.views; the
CLI writes what these return, `notes` to stderr and `text` to stdout."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

from corridor.core.words import plural
from corridor.present.render import to_table, wrap_lines
from corridor.present.safe import safe

DEADLINE_COLUMNS = [
    ("date", "DATE"),
    ("kind", "KIND"),
    ("crossings", "CROSSINGS"),
    ("note", "NOTE"),
]


@dataclass(frozen=True)
class Shown:
    """What a command shows: lines for stderr (for people: escaped when written), and text for
    stdout (what was asked for; stored text already escaped)."""

    notes: list[str] = field(default_factory=list)
    text: str = ""


def write_shown(result, *, colour: bool, width: int | None) -> Shown:
    """A write's result (corridor.services.edit `Result`) as --format table shows it: the
    message; with --dry-run, the audit entries it would write; the deadlines it derived."""
    dry = getattr(result, "dry_run", False)
    notes = ["Dry run: nothing was written. It would record:"] if dry else []
    notes.append(result.message)
    text = audit_text(result.audit) if dry else ""
    if result.deadlines:
        text += to_table(result.deadlines, DEADLINE_COLUMNS, colour=colour, width=width)
    return Shown(notes, text)


def audit_text(audit: list[dict]) -> str:
    """The audit entries a dry run would write (corridor.services.unit `audit_entry`), one line
    each; stored text is escaped."""
    lines = [f"Audit trail: {plural(len(audit), 'entry', 'entries')} would be written"]
    for a in audit:
        where = f" [{', '.join(a['crossings'])}]" if a["crossings"] else ""
        lines.append(f"  {a['action']} {a['entity']} {a['key']}{where} by {a['by']} via {a['via']}")
        lines += [f"    {f['field']}: {f['old']!r} -> {f['new']!r}" for f in a["fields"]]
    return safe("\n".join(lines)) + "\n"


def import_notes(result) -> list[str]:
    """After an import's message: the records it created (up to ten) and updated."""
    created = result.summary.created
    lines = [f"  created {c}" for c in created] if len(created) <= 10 else []
    return lines + [f"  updated {u}" for u in result.summary.updated]


def plan_note(result, *, dry_run: bool) -> str:
    """A planned movement's change (corridor.services.plans), one line."""
    return ("Dry run, nothing changed: " if dry_run else "") + result.message


def log_text(items, tz: tzinfo, zone_name: str, width: int | None) -> str:
    """`corridor log` as a table for people: one entry per block, newest first; stored text is
    escaped for the terminal, then wrapped."""
    lines = []
    for e in items:
        when = e.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        lines.append(f"{when} {zone_name}  {e.by}  {e.via}: {e.action} {e.entity} {e.key}")
        lines += [f"    {f}: {_short(a)} -> {_short(b)}" for f, a, b in e.fields]
        if e.entity == "instrument" and e.action != "updated":
            for n, p in enumerate((e.new or e.old or {}).get("periods", [])):
                extra = (
                    f", if extended at the {p['conditional_on']} review"
                    if "conditional_on" in p
                    else ""
                )
                span = f"{', '.join(p['crossings'])} {p['start']} to {p['until']}"
                lines.append(f"    periods[{n}]: {span}{extra}")
        if e.source:
            lines.append(f"    source: {e.source}")
    return wrap_lines(safe("\n".join(lines)), width, "  ") + "\n"


def log_empty(filtered: bool) -> str:
    return "No changes recorded" + (" for that filter." if filtered else ".")


def _short(value, width: int = 70) -> str:
    if value is None:
        return "(none)"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
