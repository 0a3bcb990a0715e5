"""Planned movements' verdicts as rows: the JSON contract of `plan check` (docs/plans.md), its
CSV and its table. One row per movement."""

from __future__ import annotations

from datetime import UTC, timedelta

from corridor.present.html import esc
from corridor.present.render import to_table
from corridor.present.safe import safe

_WORDS = {"covered": "covered", "at_risk": "AT RISK", "blocked": "BLOCKED", "unknown": "unknown"}
_STYLE = {"covered": "green", "at_risk": "yellow", "blocked": "red", "unknown": "yellow"}


def verdict_rows(items) -> list[dict]:
    rows = []
    for item in items:
        p, v = item.plan, item.verdict
        multi = p.until is not None
        why = v.text if not multi else f"{v.day}: {v.text}"
        rows.append(
            dict(
                ref=p.ref,
                crossing=p.crossing,
                slug=p.slug,
                on=p.on,
                until=p.until,
                note=p.note,
                verdict=v.verdict,
                day=v.day,  # the worst day (the first of them)
                covered_until=v.until,
                margin_days=v.margin_days,
                depends_on=v.depends_on,
                reason=v.reason,
                ended_on=v.ended_on,
                instruments=v.instruments,
                why=why,
            )
        )
    return rows


def _when(row: dict) -> str:
    if row["until"] is None:
        return str(row["on"])
    return f"{row['on']}..{row['until']:%m-%d}"


def table(rows: list[dict], *, colour: bool, width: int | None) -> str:
    for r in rows:
        r["when"] = _when(r)
        r["state"] = _WORDS[r["verdict"]]
    return to_table(
        rows,
        [
            ("ref", "REF"),
            ("crossing", "CROSSING"),
            ("when", "WHEN"),
            ("state", "VERDICT"),
            ("why", "WHY"),
        ],
        colour=colour,
        styles={"state": lambda r: _STYLE[r["verdict"]]},
        width=width,
    )


# ---------------------------------------------------------------- --include-plans only
# Plans are never in the record's outputs unless the user asks (README "Guarantees"): these
# are called by `report --html --include-plans` and `export --format ics --include-plans`.


def html_section(rows: list[dict]) -> str:
    """The planned movements' verdicts as one HTML section of the report."""
    body = "".join(
        "<tr>"
        f'<td class="name">{esc(r["ref"])}</td><td>{esc(r["crossing"])}</td>'
        f'<td class="date">{esc(_when(r))}</td>'
        f'<td class="state state-{esc(r["verdict"])}">{esc(_WORDS[r["verdict"]])}</td>'
        f"<td>{esc(r['why'])}</td>"
        "</tr>"
        for r in rows
    )
    return (
        '<section id="plans"><h2>Planned movements</h2>'
        '<p class="meta">Private to your team: included with --include-plans.</p>'
        "<table><thead><tr><th>Ref</th><th>Crossing</th><th>When</th><th>Verdict</th>"
        f"<th>Why</th></tr></thead><tbody>{body}</tbody></table></section>"
    )


def ics_events(rows: list[dict], now) -> bytes:
    """One private all-day event per movement (CLASS:CONFIDENTIAL), its verdict in the title."""
    # lazy: cli/commands/visual imports this module, and `--help` must not load icalendar
    from icalendar import Event

    stamp = now.astimezone(UTC).replace(microsecond=0)
    out = []
    for r in rows:
        ev = Event()
        ev.add("uid", f"plan-{r['ref']}@corridor")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", r["on"])
        ev.add("dtend", (r["until"] or r["on"]) + timedelta(days=1))
        title = f"{r['ref']} {r['crossing']}: {r['verdict'].replace('_', ' ')}"
        ev.add("summary", safe(title, newlines=False))
        ev.add("description", safe(r["why"]))
        ev.add("class", "CONFIDENTIAL")
        out.append(ev.to_ical())
    return b"".join(out)
