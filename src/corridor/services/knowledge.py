"""Saying how far the record is known: "the record for these crossings is complete as of D".

Each crossing has its own horizon (docs/time.md): the latest day of every fact about it known
at K, this declaration (`known_until` in the record format) included. Declaring a date after
an authority ended with no renewal recorded says: someone checked the sources up to D, and
nothing else happened; the lapse is then confirmed ("checked"). The declaration is a
change like any other: one writer, audited.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from corridor.core.errors import UsageError
from corridor.record.format import Declaration, Document, Where, parse_crossing
from corridor.services.edit import Result, find_crossing
from corridor.store.audit import Change
from corridor.store.snapshot import crossing_dict
from corridor.store.writer import apply


def mark_checked(
    conn,
    names: list[str],
    day: date,
    change: Change,
    note: str | None = None,
    *,
    at: datetime | None = None,
    recorded_at: datetime | None = None,
) -> Result:
    """Record that the record for these crossings is complete as of `day` (known from `at`
    when given, else from the instant it is recorded if `day` is that day, else from the end
    of `day` everywhere: docs/time.md). The declaration it replaces is kept (checked_before),
    so a replay as known before this one still has it."""
    if not names:
        raise UsageError(
            "name at least one crossing", 'e.g. corridor crossing checked "Bab al-Hawa"'
        )
    recs = []
    for name in names:
        stored = crossing_dict(conn, find_crossing(conn, name))
        rec = parse_crossing(stored, Where(f"crossing {stored['slug']}"))
        if rec.known_until is not None and day < rec.known_until:
            raise UsageError(
                f"{rec.name} is already recorded as complete as of {rec.known_until}, after {day}",
                "to move it back, correct it: corridor correct --crossing "
                f'"{rec.slug}" known_until={day}',
            )
        earlier = list(rec.checked_before)
        if rec.known_until is not None and (rec.known_until, rec.known_until_at) != (day, at):
            earlier.append(Declaration(rec.known_until, rec.known_until_at))
        when = at
        if when is None and recorded_at is not None and recorded_at.astimezone(UTC).date() == day:
            when = recorded_at  # recorded on its own day: known from now
        recs.append(
            replace(
                rec,
                known_until=day,
                known_until_at=when,
                known_until_note=note or rec.known_until_note,
                checked_before=tuple(sorted(set(earlier), key=lambda x: (x[0], x[1] is not None))),
            )
        )
    summary = apply(conn, Document(crossings=recs, source=change.source), change=change)
    listed = ", ".join(r.name for r in recs)
    return Result(f"Recorded: the record for {listed} is complete as of {day}.", summary)
