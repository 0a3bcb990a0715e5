"""What a calendar feed needs beyond the deadlines themselves (docs/sharing.md):

- `all_deadlines`: every deadline of the record, for `corridor export --format ics`, grouped
  and identified exactly as `upcoming` groups them, so an event keeps its UID whichever
  command wrote the feed;
- `instrument_facts`: each instrument's kind, authority and source, and, from the audit trail,
  how many times it was changed (the events' SEQUENCE) and when last (LAST-MODIFIED). Both come
  from recorded facts only, so two exports of the same record are identical but for DTSTAMP.

Plain SQL through corridor.db.sql: the `upcoming --format ics` path must stay light.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from corridor.core.links import Link, source_links
from corridor.db.sql import reader
from corridor.services.reports import Deadline, group_deadlines


@dataclass(frozen=True)
class InstrumentFacts:
    symbol: str
    kind: str  # resolution | consent | agreement
    authority: str
    timezone: str
    source: str | None
    source_url: str | None
    sequence: int  # recorded changes after the first: 0 for an instrument never corrected
    last_modified: datetime | None  # the last recorded change, UTC
    links: tuple[Link, ...] = ()  # source_url, then derived links (corridor.core.links)


@dataclass(frozen=True)
class Side:
    name: str
    countries: tuple[str, ...]


# Every deadline except the end of a conditional extension that was decided `not_extended`
# (it never existed). Grouped by uid, in the same order as services.reports.upcoming.
ALL_DEADLINES = """
SELECT d.due_date, d.due_at, d.kind, d.note, d.conditional, d.uid, d.detail, d.crossing_id,
       i.symbol, i.timezone, c.name, c.slug, r.outcome, r.decided_on, r.review_date
FROM deadlines d
JOIN instruments i ON i.id = d.instrument_id
JOIN crossings c ON c.id = d.crossing_id
LEFT JOIN reviews r ON r.id = d.review_id
WHERE NOT (d.kind = 'expiry' AND d.conditional AND d.void_from IS NOT NULL)
ORDER BY d.due_at, d.kind, i.symbol, c.name
"""


def all_deadlines(conn, *, at: datetime, tz: tzinfo) -> list[Deadline]:
    """Every deadline in the record, one per uid like upcoming; `days_left` counts from `at`
    in `tz` (docs/time.md) and is negative for past deadlines. Built like upcoming's items
    (corridor.services.reports.group_deadlines), so an event says what upcoming says."""
    return group_deadlines(reader(conn).rows(ALL_DEADLINES), at, tz)


def instrument_facts(conn, symbols: list[str]) -> dict[str, InstrumentFacts]:
    db = reader(conn)
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    wanted_set = set(wanted)
    history = _change_counts(db)
    out = {}
    # A long IN list would hit SQLite's limit on parameters: then read them all and filter.
    few = len(wanted) <= 500
    for row in db.rows(
        "SELECT symbol, kind, authority, timezone, source, source_url, adopted FROM instruments"
        + (" WHERE symbol IN :symbols" if few else ""),
        symbols=wanted if few else [],
    ):
        if not few and row.symbol not in wanted_set:
            continue
        count, last = history.get(row.symbol, (0, None))
        out[row.symbol] = InstrumentFacts(
            row.symbol,
            row.kind,
            row.authority,
            row.timezone,
            row.source,
            row.source_url,
            max(count - 1, 0),
            last,
            tuple(source_links(row.symbol, row.source, row.source_url, row.adopted)),
        )
    return out


def _change_counts(db) -> dict[str, tuple[int, datetime | None]]:
    """Per current symbol: the number of audit entries of that instrument, following renames
    (a correction of the symbol keeps the count, so SEQUENCE never goes down), and the last."""
    counts: dict[str, tuple[int, datetime | None]] = {}
    for row in db.rows(
        "SELECT record_key, changed_at, old_value FROM changes"
        " WHERE entity = 'instrument' ORDER BY id"
    ):
        key = row.record_key
        if row.old_value and f'"symbol":{json.dumps(key, ensure_ascii=False)}' not in (
            row.old_value
        ):
            old = json.loads(row.old_value).get("symbol")
            if old and old != key and old in counts:
                counts[key] = counts.pop(old)
        count, _ = counts.get(key, (0, None))
        counts[key] = (count + 1, _utc(row.changed_at))
    return counts


def _utc(value) -> datetime:
    if isinstance(value, str):  # SQLite keeps UTC instants as naive ISO text (db/types.py)
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def crossing_sides(conn) -> dict[str, Side]:
    """Every crossing's name and the countries it joins (one for a port), by slug."""
    from corridor.db.lookup import crossing_shapes

    shapes = crossing_shapes(conn)
    return {
        r.slug: Side(r.name, tuple(shapes[r.slug][1]))
        for r in reader(conn).rows("SELECT slug, name FROM crossings")
    }
