"""Planned movements' verdicts as rows: the JSON contract of `plan check` (docs/plans.md), its
CSV and its table. One row per movement."""

from __future__ import annotations

from corridor.present.render import to_table

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
