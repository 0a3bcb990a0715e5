"""Values stored by an older corridor that today's rules refuse (corridor.core.text): control
characters, text-direction controls, invisible characters, lookalike letters, text over its
limit. `corridor db upgrade` lists each one with the `corridor correct` command that fixes it
(docs/format.md, "Limits"). Until then they are shown and exported escaped
(corridor.record.legible), and edits of other fields work.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

import sqlalchemy as sa

from corridor.db import tables as t
from corridor.record.format import text_error
from corridor.record.legible import cleaned_text, legible_text

# (table, the field's name in the record format, column) for every stored text a person wrote.
_INSTRUMENT = ("symbol", "title", "authority", "source", "source_url", "unconfirmed", "notes")
_CROSSING = ("name", "notes", "known_until_note")
_EVENT = ("title", "source", "note")


@dataclass(frozen=True)
class Refused:
    where: str  # "instrument S/RES/1\x1b (2023), notes"
    problem: str  # "contains U+001B (a control character)"
    fix: str  # the corridor correct command, with the value escaped visibly


def _q(text: str) -> str:
    return shlex.quote(text)


def refused_values(conn: sa.Connection) -> list[Refused]:
    """Every stored value that today's rules refuse, in a stable order."""
    found: list[Refused] = []
    i = t.instruments.c
    cols = [getattr(i, f) for f in _INSTRUMENT if hasattr(i, f)]
    for row in conn.execute(sa.select(i.id, *cols).order_by(i.id)):
        symbol = legible_text(row.symbol, "symbol")
        found += _fields(row, _INSTRUMENT, f"instrument {symbol}", f"corridor correct {_q(symbol)}")
    c = t.crossings.c
    cols = [getattr(c, f) for f in _CROSSING if hasattr(c, f)]
    for row in conn.execute(sa.select(c.id, c.slug, *cols).order_by(c.slug)):
        found += _fields(
            row, _CROSSING, f"crossing {row.slug}", f"corridor correct --crossing {_q(row.slug)}"
        )
    a = t.crossing_aliases.c
    rows = conn.execute(
        sa.select(c.slug, a.alias, a.position).join(t.crossings, c.id == a.crossing_id)
    )
    for row in sorted(rows, key=lambda r: (r.slug, r.position)):
        problem = text_error(row.alias, "aliases")
        if problem:
            fixed = cleaned_text(row.alias, "aliases")
            found.append(
                Refused(
                    f"crossing {row.slug}, alias {legible_text(row.alias, 'aliases')}",
                    problem,
                    f"corridor correct --crossing {_q(row.slug)} "
                    f"{_q(f'aliases[{row.position}]={fixed}')}",
                )
            )
    e = t.events.c
    cols = [getattr(e, f) for f in _EVENT if hasattr(e, f)]
    for row in conn.execute(sa.select(e.id, e.event_date, *cols).order_by(e.event_date, e.id)):
        title = legible_text(row.title or "", "title")
        prefix = title.split("\\", 1)[0].strip()  # _find_draft matches a title's start
        draft = _q(f"{row.event_date} {prefix}".strip())
        found += _fields(
            row, _EVENT, f"event {row.event_date} {title}", f"corridor correct --draft {draft}"
        )
    return found


def _fields(row, fields, where: str, command: str) -> list[Refused]:
    """The refused text fields of one stored row, each with the `corridor correct` line that
    mends it (`command` names the record; the field and its cleaned value follow)."""
    out = []
    for field in fields:
        value = getattr(row, field, None)
        if not isinstance(value, str):
            continue
        problem = text_error(value, field)
        if problem:
            fixed = cleaned_text(value, field)
            out.append(Refused(f"{where}, {field}", problem, f"{command} {_q(f'{field}={fixed}')}"))
    return out
