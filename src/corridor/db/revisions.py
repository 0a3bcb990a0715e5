"""Each instrument's revision and last change, from the audit trail: what a calendar feed sends
as SEQUENCE and LAST-MODIFIED (corridor.services.calendar), and what an export carries to
another database (corridor.store.snapshot; docs/format.md "Moving a record").

The revision counts the recorded changes after the first: 0 for an instrument never changed.
A correction of the symbol keeps the count, so SEQUENCE never goes down. An import of a record
that carries `revision` and `modified` (an export from another database) goes on from there:
creating the instrument takes them as they are; changing it takes one more than the larger of
its own and the carried revision.

Plain SQL through corridor.db.sql: the `upcoming --format ics` path must stay light.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from corridor.db.sql import ReadConn, reader


def revisions(conn: ReadConn) -> dict[str, tuple[int, datetime | None]]:
    """Per current symbol: (revision, last change in UTC)."""
    counts: dict[str, tuple[int, datetime | None]] = {}
    for row in reader(conn).rows(
        "SELECT record_key, changed_at, action, old_value, new_value FROM changes"
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
        at = _utc(row.changed_at)
        carried = _carried(row.new_value)
        if carried is None:
            counts[key] = (count + 1, at)
        elif row.action == "created":
            revision, modified = carried
            counts[key] = (revision + 1, modified or at)
        else:
            counts[key] = (max(count, carried[0] + 1) + 1, at)
    return {key: (count - 1 if count else 0, last) for key, (count, last) in counts.items()}


def _carried(new_value: str | None) -> tuple[int, datetime | None] | None:
    if not new_value or '"revision":' not in new_value:  # the common case: no JSON parse
        return None
    new = json.loads(new_value)
    if not isinstance(new.get("revision"), int):
        return None
    modified = new.get("modified")
    return new["revision"], _utc(modified) if modified else None


def _utc(value) -> datetime:
    if isinstance(value, str):  # SQLite keeps UTC instants as naive ISO text (db/types.py)
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
