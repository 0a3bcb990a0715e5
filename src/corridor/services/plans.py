"""Planned movements (docs/plans.md): add, import, remove, list, export.

Plans are the team's own data, not part of the record: their own table, never in the record's
export, calendar or reports (README "Guarantees"). Every change is written in the caller's
transaction with its audit entry (corridor.store.audit, entity `plan`), so the trail and the
plans cannot disagree. Nothing here knows about the terminal.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from corridor.core.errors import InvalidDataError, NotFoundError, UsageError
from corridor.core.terms import parse_date
from corridor.core.text import MAX_NAME, MAX_TEXT, text_problem
from corridor.db import tables as t
from corridor.db.lookup import find_crossing
from corridor.services.plan_check import Plan, read_plans
from corridor.store import audit
from corridor.store.audit import Change

COLUMNS = ("ref", "crossing", "on", "until", "note")
MAX_ROWS = 100_000


@dataclass
class PlanInput:
    """A planned movement as typed or read from a file; `line` is the file's line, if any."""

    ref: str
    crossing: str
    on: date
    until: date | None = None
    note: str | None = None
    line: int | None = None


@dataclass
class PlanResult:
    message: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- reading input


def _where(line: int | None, name: str) -> str:
    return f"line {line}, field {name}" if line is not None else f"--{name}"


def check_input(ref: str, crossing: str, on: str, until: str | None, note: str | None, line=None):
    """A PlanInput from text, or a UsageError naming the line and the field."""

    def bad(name: str, problem: str, hint: str | None = None):
        return UsageError(f"{_where(line, name)}: {problem}", hint)

    ref = (ref or "").strip()
    if not ref:
        raise bad("ref", "the reference is empty", "give the team's own reference: CONVOY-0712")
    problem = text_problem(ref, multiline=False, limit=MAX_NAME)
    if problem:
        raise bad("ref", problem)
    if not (crossing or "").strip():
        raise bad("crossing", "no crossing given", "name it: corridor crossing list")
    first = parse_date((on or "").strip(), what=_where(line, "on"))
    last = parse_date(until.strip(), what=_where(line, "until")) if until else None
    if last is not None and last < first:
        raise bad("until", f"{last} is before the first day {first}")
    if last == first:
        last = None
    note = (note or "").strip() or None
    if note is not None:
        problem = text_problem(note, multiline=True, limit=MAX_TEXT)
        if problem:
            raise bad("note", problem)
    return PlanInput(ref, crossing.strip(), first, last, note, line)


def parse_csv(text: str) -> list[PlanInput]:
    """Rows of a plan file: UTF-8 (a BOM is dropped), a header naming at least ref, crossing
    and on, in any order. Errors name the line and the field."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise UsageError(
            "line 1: the file is empty", f"start with a header: {','.join(COLUMNS)}"
        ) from None
    except csv.Error as exc:
        raise UsageError(f"line 1: not CSV ({exc})") from None
    unknown = [h for h in header if h not in COLUMNS]
    missing = [h for h in ("ref", "crossing", "on") if h not in header]
    if unknown or missing:
        what = f'unknown column "{unknown[0]}"' if unknown else f'no "{missing[0]}" column'
        raise UsageError(f"line 1: {what}", f"the header is: {','.join(COLUMNS)}")
    out: list[PlanInput] = []
    seen: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise UsageError(f"line {line}: {len(values)} fields, the header has {len(header)}")
            row = {h: _uncell(v) for h, v in zip(header, values, strict=False)}
            item = check_input(
                row.get("ref", ""),
                row.get("crossing", ""),
                row.get("on", ""),
                row.get("until") or None,
                row.get("note"),
                line,
            )
            if item.ref in seen:
                raise UsageError(
                    f"line {line}, field ref: {item.ref} is also on line {seen[item.ref]}",
                    "each movement has its own reference",
                )
            seen[item.ref] = line
            out.append(item)
            if len(out) > MAX_ROWS:
                raise UsageError(f"line {line}: more than {MAX_ROWS} movements")
    except csv.Error as exc:
        raise UsageError(f"line {reader.line_num}: not CSV ({exc})") from None
    return out


# ---------------------------------------------------------------- writing


def _value(plan: Plan | PlanInput, slug: str) -> dict:
    """What the audit trail keeps of a plan."""
    return dict(ref=plan.ref, crossing=slug, on=plan.on, until=plan.until, note=plan.note)


def _resolve(conn, item: PlanInput) -> tuple[int, str]:
    try:
        cid = find_crossing(conn, item.crossing)
    except NotFoundError as exc:
        where = _where(item.line, "crossing")
        raise NotFoundError(f"{where}: {exc.message}", exc.hint) from None
    slug = conn.execute(sa.select(t.crossings.c.slug).where(t.crossings.c.id == cid)).scalar_one()
    return cid, slug


def _existing(conn) -> dict[str, Plan]:
    return {p.ref: p for p in read_plans(conn)}


def upsert(conn, items: list[PlanInput], change: Change, *, replace: bool = False) -> PlanResult:
    """Add or update movements by ref (and with `replace`, remove every other one), in the
    caller's transaction, one audit entry each. All or nothing: the first error raises."""
    audit.check_change(change)
    before = _existing(conn)
    resolved = [(item, *_resolve(conn, item)) for item in items]
    result = PlanResult("")
    p = t.plans.c
    for item, cid, slug in resolved:
        old = before.get(item.ref)
        new = _value(item, slug)
        if old is not None and _value(old, old.slug) == new:
            result.unchanged.append(item.ref)
            continue
        values = dict(
            crossing_id=cid,
            on_date=item.on,
            until_date=item.until,
            note=item.note,
            updated_at=change.at,
            updated_by=change.by,
        )
        if old is None:
            conn.execute(
                sa.insert(t.plans).values(
                    ref=item.ref, created_at=change.at, created_by=change.by, **values
                )
            )
            result.created.append(item.ref)
        else:
            conn.execute(sa.update(t.plans).where(p.ref == item.ref).values(**values))
            result.updated.append(item.ref)
        old_value = _value(old, old.slug) if old else None
        action = "created" if old is None else "updated"
        crossings = {slug, *([old.slug] if old else [])}
        audit.write(
            conn,
            change,
            action=action,
            entity="plan",
            key=item.ref,
            old=old_value,
            new=new,
            crossings=crossings,
        )
    if replace:
        keep = {item.ref for item in items}
        for ref, old in before.items():
            if ref not in keep:
                _delete(conn, old, change)
                result.removed.append(ref)
    result.message = _message(result)
    return result


def _delete(conn, old: Plan, change: Change) -> None:
    conn.execute(sa.delete(t.plans).where(t.plans.c.ref == old.ref))
    audit.write(
        conn,
        change,
        action="removed",
        entity="plan",
        key=old.ref,
        old=_value(old, old.slug),
        new=None,
        crossings=[old.slug],
    )


def remove(conn, ref: str, change: Change) -> PlanResult:
    audit.check_change(change)
    old = _existing(conn).get(ref.strip())
    if old is None:
        raise NotFoundError(
            f'no planned movement has the reference "{ref}"', "see: corridor plan list"
        )
    _delete(conn, old, change)
    return PlanResult(f"Removed {old.ref}.", removed=[old.ref])


def _message(r: PlanResult) -> str:
    parts = [
        f"{len(v)} {w}"
        for v, w in (
            (r.created, "added"),
            (r.updated, "updated"),
            (r.removed, "removed"),
            (r.unchanged, "unchanged"),
        )
        if v
    ]
    return "Planned movements: " + (", ".join(parts) if parts else "nothing to do") + "."


# ---------------------------------------------------------------- reading out


def plan_rows(plans: list[Plan]) -> list[dict]:
    """The rows of `plan list` and `plan export`: the same columns as an import file."""
    return [
        dict(ref=p.ref, crossing=p.crossing, on=p.on, until=p.until, note=p.note or "")
        for p in plans
    ]


def to_csv_text(plans: list[Plan]) -> str:
    """A plan file that `plan import` reads back as it is."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in plan_rows(plans):
        w.writerow([_cell(r[c]) for c in COLUMNS])
    return buf.getvalue()


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run a cell starting with = + - @ as a formula (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _uncell(text: str) -> str:
    """The inverse of `_cell`: a file written by `plan export` reads back as it was."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def check_rows(items: list[PlanInput]) -> None:
    if not items:
        raise InvalidDataError(
            "the file holds no movement", "one movement per line after the header"
        )
