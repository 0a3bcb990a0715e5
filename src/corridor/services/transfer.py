"""Export: the whole record as text in the native format, or its deadlines as rows (for CSV)."""

from __future__ import annotations

import sqlalchemy as sa

from corridor.db import tables as t
from corridor.record.write import to_json, yaml_chunks
from corridor.store.snapshot import document_dict, document_parts


def export_text(conn, fmt: str, *, ascii: bool = False) -> str:
    """The whole record as `yaml` or `json`; `ascii` escapes every non-ASCII character
    (\\uXXXX in both), for a stream that is not UTF-8. Either way it reads back exactly. YAML
    is dumped one record at a time (bounded memory)."""
    if fmt == "json":
        return to_json(document_dict(conn), ascii=ascii)
    return "".join(yaml_chunks(document_parts(conn), ascii=ascii))


# ---------------------------------------------------------------- deadlines for spreadsheets

CSV_COLUMNS = [
    "date",
    "kind",
    "crossing",
    "crossing_slug",
    "instrument",
    "authority_timezone",
    "due_at",
    "known_from",
    "void_from",
    "conditional",
    "note",
    "uid",
]


def deadline_rows(conn) -> list[dict]:
    """Every derived deadline, one row per (deadline, crossing), with the dates that decide
    its visibility (known_from, void_from) so a spreadsheet can replay --as-of."""
    d, i, c = t.deadlines.c, t.instruments.c, t.crossings.c
    rows = [
        dict(
            date=r.due_date,
            kind=r.kind,
            crossing=r.name,
            crossing_slug=r.slug,
            instrument=r.symbol,
            authority_timezone=r.timezone,
            due_at=r.due_at,
            known_from=r.known_from,
            void_from=r.void_from,
            conditional=bool(r.conditional),
            note=r.note,
            uid=r.uid,
        )
        for r in conn.execute(
            sa.select(
                d.due_date,
                d.kind,
                d.due_at,
                d.known_from,
                d.void_from,
                d.conditional,
                d.note,
                d.uid,
                c.name,
                c.slug,
                i.symbol,
                i.timezone,
            )
            .join(t.instruments, i.id == d.instrument_id)
            .join(t.crossings, c.id == d.crossing_id)
        )
    ]
    rows.sort(key=lambda r: (r["date"], r["kind"], r["instrument"], r["crossing_slug"], r["uid"]))
    return rows
