"""Checking records built in Python (as the command line builds them) with the rules the
parser (corridor.record.format) applies to a file: the text and date limits of docs/format.md
"Limits". `corridor.store.writer.apply` calls `check_document`, so no path writes text a file
could not hold.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

from corridor.core.errors import CorridorError, InvalidDataError
from corridor.core.terms import check_date
from corridor.record.fields import text_error
from corridor.record.model import CrossingRec, Document, EventRec, InstrumentRec, Where


def check_document(doc: Document) -> None:
    """Apply the text and date limits to every record of `doc`, naming the field at fault."""
    for key, value in doc.dataset.items():
        if isinstance(value, str) and (problem := text_error(value, key)):
            raise InvalidDataError(f"dataset.{key}: {problem}")
    recs: list[CrossingRec | InstrumentRec | EventRec] = [
        *doc.crossings,
        *doc.instruments,
        *doc.events,
    ]
    for rec in recs:
        _visit(rec, rec.where)


def _visit(obj: Any, where: Where) -> None:
    where = getattr(obj, "where", None) or where
    for f in fields(obj):
        if f.name == "where":
            continue
        value = getattr(obj, f.name)
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, str):
                problem = text_error(item, f.name)
                if problem:
                    raise InvalidDataError(f"{where.at(f.name)}: {problem}")
            elif isinstance(item, date):
                try:
                    check_date(item.date() if isinstance(item, datetime) else item)
                except CorridorError as exc:
                    msg = f"{where.at(f.name)}: {exc.message}"
                    raise InvalidDataError(msg, exc.hint) from None
            elif is_dataclass(item):
                _visit(item, where)
