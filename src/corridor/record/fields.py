"""Reading one field of a record: typed access to a mapping of the native format, with errors
that name the file, the line and the field (`team.yaml, line 14: instruments[1].periods[0]
.until: ...`), and the text limits of docs/format.md "Limits". corridor.record.format and
corridor.record.instrument build records with these; corridor.record.validate applies the same
limits to records built in Python.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Set as AbstractSet
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from corridor.core.errors import CorridorError, InvalidDataError
from corridor.core.terms import Term, check_date, parse_date, parse_fact_time, parse_term
from corridor.core.text import MAX_NAME, MAX_TEXT, text_problem
from corridor.record.model import Day, Where

_T = TypeVar("_T")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")
# The limits of docs/format.md "Limits", the same on every backend: the column widths of
# corridor.db.tables for names, MAX_TEXT for free text. Longer text fails here, never in the
# database.
TERM_BASES = ("start", "adoption", "previous")  # what `for` counts from, besides a date
MAX_LEN = {
    "slug": 80,
    "name": MAX_NAME,
    "alias": MAX_NAME,
    "aliases": MAX_NAME,
    "crossings": MAX_NAME,
    "symbol": MAX_NAME,
    "renews": MAX_NAME,
    "authority": MAX_NAME,
    "decided_by": MAX_NAME,
    "signed_in": MAX_NAME,
    "timezone": 64,
    "vote": 64,
    "kind": 20,
    "outcome": 20,
    "relation": 20,
    "from": 16,
    "for": 16,
    "countries": 2,
}
# Free text that may run over several lines; every other field is one line.
MULTILINE = frozenset(
    {
        "notes",
        "note",
        "condition",
        "stated",
        "unconfirmed",
        "caveat",
        "description",
        "known_until_note",
    }
)


def text_error(value: str, key: str) -> str | None:
    """Why `value` cannot be the field `key` (core.text rules and MAX_LEN), or None."""
    return text_problem(
        value,
        multiline=key in MULTILINE,
        limit=MAX_LEN.get(key, MAX_TEXT),
        identifier=MAX_LEN.get(key) == MAX_NAME or key == "slug",
    )


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


class Fields:
    """Typed access to one mapping, with errors that say where the bad value is."""

    def __init__(
        self,
        data: Any,
        where: Where,
        allowed: AbstractSet[str],
        required: AbstractSet[str] = frozenset(),
    ):
        if not isinstance(data, dict):
            raise InvalidDataError(f"{where.at()}: expected a mapping, got {kind_of(data)}")
        self.data, self.where = data, where
        unknown = sorted(str(k) for k in set(data) - allowed)
        if unknown:
            raise InvalidDataError(
                f"{self.at(unknown[0])}: unknown key",
                f"allowed keys: {', '.join(sorted(allowed))}",
            )
        for key in sorted(required):
            if data.get(key) in (None, ""):
                raise InvalidDataError(f"{self.at(key)}: required")

    def at(self, key: str) -> str:
        return self.where.at(key)

    def child(self, key: str, index: int | None = None) -> Where:
        if index is None:
            return self.where.child(self.data, key, f"{self.where.path}.{key}".lstrip("."))
        items = self.data[key]
        return self.where.child(items, index, f"{self.where.path}.{key}[{index}]".lstrip("."))

    def str(self, key: str, like: str | None = None) -> str | None:
        """The text at `key`, checked against the limits of the field `like` (default: key)."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            hint = "put it in quotes" if isinstance(value, (int, float)) else None
            raise InvalidDataError(f"{self.at(key)}: expected text, got {kind_of(value)}", hint)
        value = value.strip() or None
        problem = value and text_error(value, like or key)
        if problem:
            raise InvalidDataError(f"{self.at(key)}: {problem}")
        return value

    def choice(
        self,
        key: builtins.str,
        options: tuple[builtins.str, ...],
        default: builtins.str | None = None,
    ) -> builtins.str | None:
        value = self.str(key) or default
        if value is not None and value not in options:
            raise InvalidDataError(f"{self.at(key)}: {value!r} is not one of {', '.join(options)}")
        return value

    def date(self, key: builtins.str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            # a record built in Python (corridor.store.snapshot), not read from a file
            return date_of(value, self.at(key))
        if not isinstance(value, str):
            raise InvalidDataError(f"{self.at(key)}: expected a date (YYYY-MM-DD), got {value!r}")
        return date_of(value, self.at(key))

    def fact_time(self, key: builtins.str) -> tuple[Day | None, datetime | None]:
        """A fact's date and, when the value gives a time, its instant: `2020-07-11` or
        `2020-07-11T15:05-04:00` (docs/time.md, "When a fact is known")."""
        value = self.data.get(key)
        if value is None:
            return None, None
        if isinstance(value, datetime):  # a record built in Python
            if value.tzinfo is None:
                raise InvalidDataError(f"{self.at(key)}: an instant needs a timezone")
            return date_of(value.date(), self.at(key)), value.astimezone(UTC)
        if isinstance(value, date):
            return date_of(value, self.at(key)), None
        if not isinstance(value, str):
            raise InvalidDataError(
                f"{self.at(key)}: expected a date (YYYY-MM-DD) or an instant "
                f"(YYYY-MM-DDTHH:MM with Z or an offset), got {value!r}"
            )
        try:
            return parse_fact_time(value, what="date")
        except CorridorError as exc:
            raise InvalidDataError(f"{self.at(key)}: {exc.message}", exc.hint) from None

    def term_from(self, key: builtins.str) -> builtins.str | None:
        """What a `for` counts from: start | adoption | previous | a date. Always returned as
        text ("2025-07-11" for a date), whether the record was read from a file (dates are
        text there) or built in Python (dates are `date` values, as corridor.store.snapshot
        writes them). docs/format.md documents the key."""
        value = self.data.get(key)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, str):
            text = value.strip()
            if not text or text in TERM_BASES:
                return text or None
            return date_of(text, self.at(key)).isoformat()
        if value is None:
            return None
        raise InvalidDataError(
            f"{self.at(key)}: expected start, adoption, previous or a date (YYYY-MM-DD), "
            f"got {kind_of(value)}"
        )

    def number(self, key: builtins.str, lo: float, hi: float) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise InvalidDataError(f"{self.at(key)}: expected a number from {lo:g} to {hi:g}")
        return float(value)

    def list(self, key: builtins.str) -> builtins.list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise InvalidDataError(f"{self.at(key)}: expected a list, got {kind_of(value)}")
        return value

    def strings(self, key: builtins.str) -> builtins.list[builtins.str]:
        items = self.list(key)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise InvalidDataError(f"{self.child(key, i).at()}: expected non-empty text")
            problem = text_error(item.strip(), key)
            if problem:
                raise InvalidDataError(f"{self.child(key, i).at()}: {problem}")
        return [s.strip() for s in items]


def revision_of(f: Fields) -> int | None:
    value = f.data.get("revision")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise InvalidDataError(f"{f.at('revision')}: expected a whole number from 0, got {value!r}")
    return value


def instant_of(f: Fields, key: str) -> datetime | None:
    """An instant with its offset (`2024-01-11T09:30:00Z`), kept in UTC."""
    value = f.data.get(key)
    if value is None:
        return None
    if isinstance(value, datetime):  # YAML reads an unquoted timestamp itself
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidDataError(
            f"{f.at(key)}: expected an instant with its offset, such as 2024-01-11T09:30:00Z,"
            f" got {value!r}"
        )
    return parsed.astimezone(UTC)


def date_of(value: str | date, where: str) -> date:
    try:
        if isinstance(value, date):
            return check_date(value, what="date")
        return parse_date(value, what="date")
    except CorridorError as exc:
        raise InvalidDataError(f"{where}: {exc.message}", exc.hint) from None


def required(value: _T | None, f: Fields, key: str) -> _T:
    """A value of a required key: present and not blank, or an error naming the field."""
    if value is None:
        raise InvalidDataError(f"{f.at(key)}: required")
    return value


def term_of(f: Fields, key: str) -> Term | None:
    text = f.str(key)
    if not text:
        return None
    try:
        return parse_term(text, what="term")
    except CorridorError as exc:
        raise InvalidDataError(f"{f.at(key)}: {exc.message}", exc.hint) from None


# One notation for votes: in favour, against, abstaining ("12-0-3"); "unanimous" is written as
# its count, e.g. "15-0-0" in the Security Council (docs/format.md).
VOTE = re.compile(r"\d{1,4}-\d{1,4}-\d{1,4}")


def vote_of(f: Fields) -> str | None:
    vote = f.str("vote")
    if vote is not None and not VOTE.fullmatch(vote.strip()):
        raise InvalidDataError(
            f"{f.at('vote')}: {vote!r} is not a vote count",
            "write it as IN FAVOUR-AGAINST-ABSTAINING, e.g. 12-0-3; a unanimous vote of the "
            "Security Council is 15-0-0",
        )
    return vote.strip() if vote is not None else None
