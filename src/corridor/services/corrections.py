"""Correcting and removing recorded facts: `corridor correct` (FIELD=VALUE assignments on the
export form of a record, validated like an import) and `corridor remove`.

Both go through the one writer (corridor.store.writer) and corridor.store.removal, in the caller's
transaction, and are audited there. Both report themselves as destructive, so the CLI asks
before committing them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from corridor.core.errors import InvalidDataError, NotFoundError, UsageError
from corridor.core.terms import parse_date
from corridor.core.words import plural
from corridor.db import tables as t
from corridor.record.format import (
    Document,
    Where,
    parse_crossing,
    parse_event,
    parse_instrument,
)
from corridor.services.edit import (
    Result,
    deadlines_of,
    find_crossing,
    find_instrument,
    instrument_id_of,
    refuse_existing,
    result_of,
    slugs_for,
)
from corridor.store.audit import Change, diff
from corridor.store.removal import forget_decider, remove_crossing, remove_event, remove_instrument
from corridor.store.snapshot import crossing_dict, event_dict, instrument_dict, plain
from corridor.store.writer import Renames, Summary, apply


# Authorities whose zone is known before the record holds any of their instruments.
@dataclass(frozen=True)
class Target:
    """What `correct` and `remove` act on: an instrument (by symbol), a crossing (by any
    name), or a draft ("YYYY-MM-DD" or "YYYY-MM-DD TITLE")."""

    kind: str  # instrument | crossing | draft
    text: str


def _find_draft(conn, text: str) -> tuple[int, date, str]:
    day = parse_date(text.strip()[:10], what="draft date")
    title = text.strip()[10:].strip()
    e = t.events.c
    rows = conn.execute(sa.select(e.id, e.title).where(e.event_date == day)).all()
    hits = [r for r in rows if r.title == title] or [
        r for r in rows if r.title.casefold().startswith(title.casefold())
    ]
    if len(hits) == 1:
        return hits[0].id, day, hits[0].title
    if not rows:
        raise NotFoundError(f"no draft or event recorded on {day}")
    titles = "; ".join(f'"{r.title}"' for r in rows)
    raise NotFoundError(
        f'{len(hits) or "no"} drafts on {day} match "{title}"'
        if title
        else f"{len(rows)} drafts on {day}",
        f'say which, e.g. --draft "{day} {rows[0].title}"; there: {titles}',
    )


_PERIOD_FIELDS = {"start", "until", "for", "from", "stated", "conditional_on", "crossings"}
_LISTS = {"crossings", "aliases", "countries"}
_NUMBERS = {"lat", "lon"}
_PATH = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def _assign(conn, record: dict, assignment: str, kind: str) -> None:
    """Apply one FIELD=VALUE to a record dict. An empty value clears the field (or removes a
    list item); an index one past the end adds an item: reports[1].due=2023-06-10."""
    path, sep, value = assignment.partition("=")
    path = path.strip()
    if not sep or not path:
        raise UsageError(
            f'"{assignment}" is not FIELD=VALUE',
            'e.g. source_url=https://... or "periods[0].until=2023-01-10"',
        )
    steps = []
    for part in path.split("."):
        m = _PATH.fullmatch(part)
        if not m:
            raise UsageError(
                f'"{path}" is not a field path', "e.g. until, periods[1].until, reviews[0].note"
            )
        steps.append((m.group(1), None if m.group(2) is None else int(m.group(2))))
    if kind == "instrument" and len(steps) == 1 and steps[0][0] in _PERIOD_FIELDS:
        periods = record.get("periods", [])
        if len(periods) != 1:
            raise UsageError(
                f"{record['symbol']} has {len(periods)} periods: say which, "
                f"e.g. periods[0].{steps[0][0]}=..."
            )
        steps.insert(0, ("periods", 0))
    node = record
    for n, (key, index) in enumerate(steps):
        last = n == len(steps) - 1
        if index is None:
            if last:
                _set(conn, node, key, value.strip())
            else:
                node = node.setdefault(key, {})
                if not isinstance(node, dict):
                    raise UsageError(f'"{path}": {key} is not a group of fields')
            continue
        items = node.setdefault(key, [])
        if not isinstance(items, list) or index > len(items):
            raise UsageError(f'"{path}": {key} has {len(items)} items (numbered from 0)')
        if last:
            if value.strip():
                raise UsageError(
                    f'"{path}": set the fields of an item, e.g. {key}[{index}].note=...'
                )
            if index == len(items):
                raise UsageError(f'"{path}": no such item to remove')
            items.pop(index)
            continue
        if index == len(items):
            items.append({})
        node = items[index]


def _set(conn, node: dict, key: str, value: str) -> None:
    if value == "":
        node.pop(key, None)
        if key == "for":
            node.pop("from", None)  # `from` only means something with `for`
    elif key in _LISTS:
        items = [v.strip() for v in value.split(",") if v.strip()]
        node[key] = slugs_for(conn, items) if key == "crossings" else items
    elif key in _NUMBERS:
        try:
            node[key] = float(value)
        except ValueError:
            raise UsageError(f'{key}: "{value}" is not a number') from None
    elif key == "corridor":
        raise UsageError("the format version cannot be corrected")
    else:
        node[key] = value


def correct(conn, target: Target, assignments: list[str], change: Change) -> Result:
    """Change fields of a recorded instrument, crossing or draft: FIELD=VALUE, validated like an
    import. Changing the natural key (symbol, slug, date or title) renames in place."""
    if not assignments:
        raise UsageError(
            "say what to change: FIELD=VALUE ...",
            'e.g. corridor correct "S/RES/2642 (2022)" source_url=https://...',
        )
    renames = Renames()
    if target.kind == "instrument":
        iid, key = find_instrument(conn, target.text)
        old = instrument_dict(conn, iid)
    elif target.kind == "crossing":
        cid = find_crossing(conn, target.text)
        old = crossing_dict(conn, cid)
        key = old["slug"]
    else:
        eid, day, title = _find_draft(conn, target.text)
        old = event_dict(conn, eid)
        key = f"{day} {title}"
    record = plain(old)  # dates as text, as in a file
    for assignment in assignments:
        _assign(conn, record, assignment, target.kind)
    where = Where(key)
    doc = Document(source=change.source)
    # One name per record type: an instrument, a crossing and a draft have different fields.
    if target.kind == "instrument":
        instrument = parse_instrument(record, where)
        if instrument.symbol != key:
            refuse_existing(conn, instrument.symbol)
            renames.instruments[instrument.symbol] = key
        doc.instruments.append(instrument)
        label = instrument.symbol
    elif target.kind == "crossing":
        crossing = parse_crossing(record, where)
        if crossing.slug != key:
            if conn.execute(
                sa.select(t.crossings.c.id).where(t.crossings.c.slug == crossing.slug)
            ).first():
                raise InvalidDataError(
                    f"a crossing with the slug {crossing.slug} is already recorded"
                )
            renames.crossings[crossing.slug] = key
        doc.crossings.append(crossing)
        label = crossing.name
    else:
        draft = parse_event(record, where)
        if (draft.date, draft.title) != (day, title):
            renames.events[(draft.date, draft.title)] = (day, title)
        doc.events.append(draft)
        label = f"the draft of {draft.date}"
    summary = apply(conn, doc, change=change, renames=renames)
    new_iid: int | None = None  # the instrument's id after a rename, for result_of
    if target.kind == "instrument":
        new_iid = instrument_id_of(conn, instrument.symbol)
        new = instrument_dict(conn, new_iid)
    elif target.kind == "crossing":
        new = crossing_dict(conn, _crossing_id(conn, crossing.slug))
    else:
        new = event_dict(conn, _event_id(conn, draft.date, draft.title))
    fields = diff(plain(old), plain(new))
    if not fields:
        return Result(f"{label}: nothing to change.", summary)
    shown = "; ".join(f"{p}: {_show(a)} -> {_show(b)}" for p, a, b in fields)
    return result_of(
        conn,
        f"Corrected {label}: {shown}.",
        summary,
        new_iid,
        destructive=True,
        question=f"Correct {key}: {shown}?",
    )


def _show(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _crossing_id(conn, slug: str) -> int:
    return conn.execute(sa.select(t.crossings.c.id).where(t.crossings.c.slug == slug)).scalar_one()


def _event_id(conn, day: date, title: str) -> int:
    e = t.events.c
    return conn.execute(sa.select(e.id).where(e.event_date == day, e.title == title)).scalar_one()


def remove(conn, target: Target, change: Change) -> Result:
    """Remove a record. Refused while other records depend on it."""
    summary = Summary()
    if target.kind == "instrument":
        iid, symbol = find_instrument(conn, target.text)
        n = len(deadlines_of(conn, iid))
        remove_instrument(conn, symbol, change)
        summary.removed.append(f"instrument {symbol}")
        label = f"the instrument {symbol} and its {plural(n, 'deadline')}"
        summary.updated += forget_decider(conn, symbol, change)
        if summary.updated:
            named = ", ".join(u.removeprefix("instrument ") for u in summary.updated)
            label += f" (and its name as what decided a review of {named})"
    elif target.kind == "crossing":
        slug = conn.execute(
            sa.select(t.crossings.c.slug).where(
                t.crossings.c.id == find_crossing(conn, target.text)
            )
        ).scalar_one()
        remove_crossing(conn, slug, change)
        summary.removed.append(f"crossing {slug}")
        label = f"the crossing {slug}"
    else:
        _eid, day, title = _find_draft(conn, target.text)
        remove_event(conn, day, title, change)
        summary.removed.append(f"event {day} {title}")
        label = f'the draft of {day} "{title}"'
    return Result(f"Removed {label}.", summary, destructive=True, question=f"Remove {label}?")
