"""What one write did (`Summary`), and the natural keys it changes in place (`Renames`): the
one writer's (corridor.store.writer) input and answer, shared by the modules that upsert each
kind of record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Summary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return len(self.created) + len(self.updated) + len(self.removed)


@dataclass
class Renames:
    """Natural keys that change in place (`corridor correct ... symbol=NEW`): new -> old."""

    crossings: dict[str, str] = field(default_factory=dict)
    instruments: dict[str, str] = field(default_factory=dict)
    events: dict[tuple[date, str], tuple[date, str]] = field(default_factory=dict)
