"""Values stored before today's rules, made legible for the record format (docs/format.md,
"Limits"): export, the audit trail and every edit read records through `legible`, so a value
an older corridor stored with a character the rules now refuse (ESC, BEL, CR, U+202E, an
invisible filler, a Cyrillic letter among Latin ones) is written as a visible escape, the same
one `present.safe` shows on a terminal: `\\x1b`, `\\u202e`, `\\u3164`. The escaped text passes
the rules, so export -> import works and an edit of another field is not refused; the
character itself is never written back raw. `corridor db upgrade` lists such values
(corridor.store.legacy).
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from corridor.core.terms import Term
from corridor.core.text import (
    _INVISIBLE,
    _LATIN,
    _LOOKALIKE,
    MAX_NAME,
    UNSAFE,
    UNSAFE_LINE,
    escape,
)
from corridor.record.fields import MAX_LEN, MULTILINE, text_error
from corridor.record.model import Where


def legible_text(value: str, key: str) -> str:
    """`value` of the field `key`, with every character the rules refuse escaped visibly.
    Text the rules accept comes back unchanged (the common case, checked first)."""
    if (value.isascii() and value.isprintable()) or text_error(value, key) is None:
        return value
    text = (UNSAFE if key in MULTILINE else UNSAFE_LINE).sub(escape, value)
    if MAX_LEN.get(key) == MAX_NAME or key == "slug":
        text = _INVISIBLE.sub(escape, text)
        text = re.sub("[\u200c\u200d]", escape, text)
        if _LATIN.search(text):
            for letters in _LOOKALIKE.values():
                text = letters.sub(escape, text)
    return text


def legible(data: Any, key: str = "") -> Any:
    """A record's export form (dicts, lists, text) with `legible_text` applied to every text
    value under its own key; other values pass through."""
    if isinstance(data, str):
        return legible_text(data, key)
    if isinstance(data, dict):
        return {k: legible(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [legible(v, key) for v in data]
    return data


def cleaned_text(value: str, key: str) -> str:
    """A suggestion for `value` that the rules accept: control, text-direction and invisible
    characters removed (a line break in a one-line field becomes a space), lookalike letters
    escaped as in `legible_text`."""
    single = key not in MULTILINE
    text = re.sub("[\r\n\t\u2028\u2029]+", " ", value) if single else value
    text = (UNSAFE if not single else UNSAFE_LINE).sub("", text)
    text = _INVISIBLE.sub("", text)
    text = re.sub(" {2,}", " ", text).strip() if single else text
    return legible_text(text, key)


_R = TypeVar("_R")


def legible_rec(rec: _R) -> _R:
    """A record (corridor.record.model) with `legible_text` applied to every text value under
    its field's name, as `legible` does to the export form (whose keys are those names)."""
    if not is_dataclass(rec) or isinstance(rec, (type, Term, Where)):
        return rec
    changes: dict[str, Any] = {}
    for f in fields(rec):
        value = getattr(rec, f.name)
        if isinstance(value, str):
            new: Any = legible_text(value, f.name)
        elif isinstance(value, tuple) and not hasattr(value, "_fields"):
            new = tuple(
                legible_text(v, f.name) if isinstance(v, str) else legible_rec(v) for v in value
            )
        else:
            new = legible_rec(value)
        if new is not value and new != value:
            changes[f.name] = new
    return replace(rec, **changes) if changes else rec
