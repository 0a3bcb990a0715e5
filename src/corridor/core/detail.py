"""A derived deadline's detail: `DeadlineDetail`, and its JSON form (`deadlines.detail`).

corridor.core.derive writes it: what an expiry's note alone cannot say (an automatic renewal
and its last day to object, a disputed end, a termination), and `changes`: what it becomes
from an instant on (an objection, a passed notice day, a termination), in the order of their
instants. The reports read it as known at T (`as_known_at`): each change counts from its
instant. The JSON form is the one every version stored (sorted keys, text as is): `to_json`
writes exactly the keys the detail carries (`keys`), and a key this version does not know is
kept as it was (`extra`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class DisputedEnd:
    """One of a period's ends when sources disagree (docs/records.md, "alt_ends")."""

    until: str  # ISO date
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "until": self.until}  # as stored: sorted keys


@dataclass(frozen=True)
class DeadlineDetail:
    """A deadline's detail; a field it does not carry is None (or empty) and is not written."""

    note: str | None = None  # replaces the deadline's note
    renews_to: str | None = None  # ISO date: an automatic renewal follows, to this day
    objection_by: str | None = None  # ISO date: the last day to object to it
    disputed_ends: tuple[DisputedEnd, ...] = ()  # earliest first
    auto_renewal: str | None = None  # "last derived": the last automatic renewal derived
    terminated: Mapping[str, Any] | None = None  # {effective, known, by, source}
    objection: Mapping[str, Any] | None = None  # {on, by}
    changes: tuple[DeadlineDetail, ...] = ()  # from their instants on (`at`), in order
    at: str | None = None  # a change: the instant it counts from (ISO, "Z")
    # The keys written (to_json); None: those given a value other than the default.
    keys: frozenset[str] = field(default=None, repr=False)  # type: ignore[arg-type]
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)  # keys this one lacks

    def __post_init__(self) -> None:
        if self.keys is None:
            given = {f.name for f in fields(self) if f.name in _FIELDS}
            given = {k for k in given if getattr(self, k) not in (None, ())}
            object.__setattr__(self, "keys", frozenset(given))

    @property
    def empty(self) -> bool:
        """Nothing to say (e.g. only changes not yet known)."""
        return not self.keys

    @property
    def renews_to_day(self) -> date | None:
        return date.fromisoformat(self.renews_to) if self.renews_to else None

    @property
    def objection_by_day(self) -> date | None:
        return date.fromisoformat(self.objection_by) if self.objection_by else None

    def as_known_at(self, at: datetime) -> DeadlineDetail:
        """The detail as known at `at`: each change known by then replaces what it names."""
        if not self.changes and "changes" not in self.keys:
            return self  # nothing changes from an instant: the same (frozen) detail
        keys, values = set(self.keys) - {"changes"}, {}
        for change in self.changes:  # in the order of their instants
            if change.at is not None and _instant(change.at) <= at:
                named = change.keys - {"at"}
                keys |= named
                values.update({k: getattr(change, k) for k in named if k in _FIELDS})
        return replace(self, **values, changes=(), keys=frozenset(keys))

    def to_dict(self) -> dict[str, Any]:
        """The JSON object, with exactly the keys the detail carries."""
        out: dict[str, Any] = {}
        for key in self.keys:
            if key not in _FIELDS:
                out[key] = self.extra[key]
                continue
            value = getattr(self, key)
            if key == "disputed_ends":
                value = [e.to_dict() for e in value]
            elif key == "changes":
                value = [c.to_dict() for c in value]
            elif isinstance(value, Mapping):
                value = dict(value)
            out[key] = value
        return out

    def to_json(self) -> str:
        """The stored form (corridor.core.derive wrote it so from the start)."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DeadlineDetail:
        known: dict[str, Any] = {k: v for k, v in data.items() if k in _FIELDS}
        if "disputed_ends" in known:
            known["disputed_ends"] = tuple(
                DisputedEnd(e["until"], e["source"]) for e in known["disputed_ends"] or ()
            )
        if "changes" in known:
            known["changes"] = tuple(cls.from_dict(c) for c in known["changes"] or ())
        extra = {k: v for k, v in data.items() if k not in _FIELDS}
        return cls(**known, keys=frozenset(data), extra=extra)

    @classmethod
    def from_json(cls, text: str | None) -> DeadlineDetail:
        """A stored detail; none (NULL) reads as an empty one."""
        return cls.from_dict(json.loads(text)) if text else cls()


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


_FIELDS = frozenset(f.name for f in fields(DeadlineDetail)) - {"keys", "extra"}
