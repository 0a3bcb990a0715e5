"""What one alert says: `AlertFacts`, and its JSON form in the outbox (`alert_outbox.payload`).

The plan builds them (corridor.services.alerts_plan, plan_alerts), closures extend them
(corridor.services.alerts_close) and the digest reads them (corridor.services.digest). Stored
facts are read back for retries and closures, also when an older version wrote them: the JSON
form is unchanged, key for key and byte for byte (`to_json` writes exactly the keys the alert
carries, `keys`), and a key this version does not know is kept as it was (`extra`).

Which keys an alert carries depends on its kind (docs/alerts.md, "The digest"):
- a deadline (expiry, review, report, notice): DEADLINE_KEYS;
- a lapse: LAPSE_KEYS (`ended`, the exact end instant, since issue 12; older rows lack it);
- stale knowledge: STALE_KEYS;
- a planned movement's verdict: PLAN_KEYS;
- a closure ("renewed", "reason"): the keys of the alert it closes, with `kind_before` and
  what closed it (`renewed` or `reason`), without `keeper`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from types import MappingProxyType
from typing import Any

DEADLINE_KEYS = (
    "kind", "crossings", "instrument", "date", "due_at", "due_local", "zone", "days_left",
    "then", "note", "source_url", "source_link", "caveat", "unconfirmed", "uid", "as_of",
)  # fmt: skip
LAPSE_KEYS = (
    "kind", "crossings", "instrument", "instrument_id", "date", "due_at", "due_local", "zone",
    "days_left", "ended", "then", "reason", "keeper", "source_url", "source_link", "uid",
    "as_of",
)  # fmt: skip
STALE_KEYS = (
    "kind", "crossings", "instrument", "date", "zone", "days_left", "then", "keeper",
    "source_url", "uid", "as_of",
)  # fmt: skip
PLAN_KEYS = (
    "kind", "uid", "ref", "verdict", "headline", "lines", "crossings", "date", "days_left",
    "as_of", "instrument",
)  # fmt: skip
_KEYS_OF = {"lapse": LAPSE_KEYS, "stale": STALE_KEYS, "plan": PLAN_KEYS}


@dataclass(frozen=True)
class AlertFacts:
    """One alert's facts. Dates and instants are ISO text, as stored; a field the alert's
    kind does not carry is None (or empty) and is not written (`keys`)."""

    kind: str
    crossings: tuple[str, ...] = ()
    instrument: str | None = None  # its symbol; "" for stale knowledge, None for a plan
    date: str = ""  # the deadline's date (the authority's), or the day the record ends
    uid: str = ""
    as_of: str = ""  # the recipient's date at the run
    days_left: int = 0  # negative: days since (a lapse, stale knowledge)
    zone: str | None = None  # the recipient's zone
    due_at: str | None = None  # the end instant (UTC, ISO)
    due_local: str | None = None  # ... in the recipient's zone, "YYYY-MM-DD HH:MM ZZZ"
    then: str | None = None  # what happens then, or what happened (lapse, closures)
    note: str | None = None
    source_url: str | None = None  # the source as recorded: its URL or its text
    source_link: str | None = None  # the one link to give (corridor.core.links)
    caveat: str | None = None
    unconfirmed: str | None = None  # why its instrument is an inferred step
    instrument_id: int | None = None  # a lapse: the instrument that ended
    ended: str | None = None  # a lapse: the exact end instant, as said (end_instant)
    reason: Mapping[str, Any] | None = None  # a lapse: why it ended (Status.reason)
    keeper: str | None = None  # what only the record keeper can do
    kind_before: str | None = None  # a closure: the kind of the alert it closes
    renewed: tuple[Mapping[str, Any], ...] | None = None  # a closure: {crossing, until, by, word}
    ref: str | None = None  # a plan: the movement's reference
    verdict: str | None = None  # a plan: its verdict
    headline: str | None = None  # a plan: the digest's headline
    lines: tuple[str, ...] | None = None  # a plan: the lines under it
    # The keys written (to_json); None: those of its kind.
    keys: frozenset[str] = field(default=None, repr=False)  # type: ignore[arg-type]
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)  # keys this one lacks

    def __post_init__(self) -> None:
        if self.keys is None:
            object.__setattr__(self, "keys", frozenset(_KEYS_OF.get(self.kind, DEADLINE_KEYS)))

    def closing(self, kind: str, today: str, **values: Any) -> AlertFacts:
        """The closure of this alert (corridor.services.alerts_close): `kind` "renewed" or
        "reason", said on `today`, with `values` (then, renewed or reason) replacing its own."""
        return replace(
            self,
            **values,
            kind=kind,
            kind_before=self.kind or "",
            as_of=today,
            keeper=None,
            keys=(self.keys | {*values, "kind", "kind_before", "as_of"}) - {"keeper"},
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object, with exactly the keys the alert carries."""
        out: dict[str, Any] = {}
        for key in self.keys:
            if key in _FIELDS:
                value = getattr(self, key)
                if key in ("crossings", "lines") and value is not None:
                    value = list(value)
                elif key == "renewed" and value is not None:
                    value = [dict(v) for v in value]
                elif key == "reason" and value is not None:
                    value = dict(value)
                out[key] = value
            else:
                out[key] = self.extra[key]
        return out

    def to_json(self) -> str:
        """The outbox's payload (the stored form: sorted keys, as every version wrote it)."""
        return json.dumps(self.to_dict(), sort_keys=True, default=str)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AlertFacts:
        known = {k: v for k, v in data.items() if k in _FIELDS}
        for key in ("crossings", "lines"):
            if known.get(key) is not None:
                known[key] = tuple(known[key])
        if known.get("renewed") is not None:
            known["renewed"] = tuple(known["renewed"])
        extra = {k: v for k, v in data.items() if k not in _FIELDS}
        return cls(
            **{"kind": "", **known},
            keys=frozenset(data),
            extra=MappingProxyType(extra),
        )

    @classmethod
    def from_json(cls, text: str) -> AlertFacts:
        """Facts as stored by this or an older version (a key it lacks reads as None)."""
        return cls.from_dict(json.loads(text))


_FIELDS = frozenset(f.name for f in fields(AlertFacts)) - {"keys", "extra"}


@dataclass
class Alert:
    """One alert: one (deadline uid, deadline date, threshold, recipient), and what it says."""

    uid: str
    due_date: date
    threshold: int
    recipient: str
    kind: str
    facts: AlertFacts

    @property
    def key(self) -> tuple[str, date, int, str]:
        return (self.uid, self.due_date, self.threshold, self.recipient)

    def payload(self) -> str:
        return self.facts.to_json()
