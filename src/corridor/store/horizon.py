"""Each crossing's horizon: the date after which the record knows nothing of it (docs/time.md).

The horizon is derived, like coverage: the later of the crossing's declared `known_until`
("the record is complete as of", `corridor crossing checked`) and the date of every fact about
it (an instrument covering it adopted or announced, a review of such an instrument decided, a
draft naming it, a termination known, an objection notified). A fact moves only the horizons
of its own crossings. The one writer (corridor.store.writer.apply) and removals refresh it in
the same transaction.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from corridor.db import tables as t

_FACTS = """
SELECT pc.crossing_id AS cid, MAX(i.known_from) AS day
FROM period_crossings pc JOIN periods p ON p.id = pc.period_id
JOIN instruments i ON i.id = p.instrument_id GROUP BY pc.crossing_id
UNION ALL
SELECT pc.crossing_id, MAX(r.decided_on)
FROM period_crossings pc JOIN periods p ON p.id = pc.period_id
JOIN reviews r ON r.instrument_id = p.instrument_id
WHERE r.decided_on IS NOT NULL GROUP BY pc.crossing_id
UNION ALL
SELECT pc.crossing_id, MAX(i.terminated_known)
FROM period_crossings pc JOIN periods p ON p.id = pc.period_id
JOIN instruments i ON i.id = p.instrument_id
WHERE i.terminated_known IS NOT NULL GROUP BY pc.crossing_id
UNION ALL
SELECT pc.crossing_id, MAX(o.notified_on)
FROM period_crossings pc JOIN objections o ON o.period_id = pc.period_id
GROUP BY pc.crossing_id
UNION ALL
SELECT ec.crossing_id, MAX(e.event_date)
FROM event_crossings ec JOIN events e ON e.id = ec.event_id GROUP BY ec.crossing_id
"""


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def refresh_horizons(conn: sa.Connection) -> None:
    """Recompute every crossing's horizon; write only the ones that changed."""
    latest: dict[int, date] = {}
    for cid, day in conn.execute(sa.text(_FACTS)):
        day = _day(day)
        if day is not None and (cid not in latest or day > latest[cid]):
            latest[cid] = day
    c = t.crossings.c
    for cid, known_until, horizon in conn.execute(sa.select(c.id, c.known_until, c.horizon)):
        wanted = max((d for d in (known_until, latest.get(cid)) if d is not None), default=None)
        if wanted != horizon:
            conn.execute(sa.update(t.crossings).where(c.id == cid).values(horizon=wanted))
