"""Replays are stable (docs/time.md, "Two times"): adding a fact whose known instant is after K
never changes what any output says as known at K.

A property test on the bundled record, on the backend under test: pick an instant K (weighted
towards adoption days and end instants), record every output at K (status, upcoming, crossing
show, the timeline, check, the alerts plan, the calendar feed, and status/upcoming about other
instants as known at K), then add one fact dated after K (a vetoed draft, a new consent, a
termination, a declared check), in a transaction that is rolled back, and ask again.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.core.terms import zone
from corridor.db.lookup import find_crossing
from corridor.record.format import parse_document
from corridor.services.alerts_plan import Recipient, Settings
from corridor.services.alerts_plan import plan as alerts_plan
from corridor.services.calendar import all_deadlines
from corridor.services.history import crossing_history
from corridor.services.knowledge import mark_checked
from corridor.services.monitor import Thresholds, check, day_range
from corridor.services.reports import status, upcoming
from corridor.services.shapes import mark_unknown
from corridor.services.timeline import timeline
from corridor.store.audit import Change
from corridor.store.snapshot import instrument_dict
from corridor.store.writer import apply
from oracle import periods

CHANGE = Change(datetime(2026, 1, 1, tzinfo=UTC), "replay-test", "test")
ZONES = ["UTC", "America/New_York", "Europe/Istanbul", "Asia/Tokyo", "Pacific/Kiritimati"]
FACTS = ["draft", "consent", "terminate", "checked", "span"]
THRESHOLDS = Thresholds(day_range("30", what="-w"), day_range("7", what="-c"))


def _verdict(v) -> tuple:
    return (v.code, v.text, v.perfdata)


@pytest.fixture(scope="module")
def record(databases):
    from corridor.db.connect import Location, make_engine

    engine = make_engine(Location(databases.clone("reference"), "test"))
    conn = engine.connect()
    spans = periods(conn)
    edges = sorted({x for _s, a, b, k, _d in spans for x in (a, b, k)})
    hawa = find_crossing(conn, "bab al hawa")
    conn.rollback()
    yield conn, edges, hawa
    conn.close()
    engine.dispose()


def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def outputs(conn, k: datetime, tz, hawa: int) -> dict:
    """Every output, as known at K."""
    rec = Recipient("stdout", None, str(tz), tz)
    return {
        "status": _plain(status(conn, at=k, tz=tz)),
        "status_before": _plain(status(conn, at=k - timedelta(days=20), tz=tz, known_at=k)),
        "status_after": _plain(status(conn, at=k + timedelta(days=15), tz=tz, known_at=k)),
        "upcoming": _plain(upcoming(conn, at=k, within=400, tz=tz)),
        "upcoming_before": _plain(
            upcoming(conn, at=k - timedelta(days=20), within=400, tz=tz, known_at=k)
        ),
        "show": _plain(crossing_history(conn, hawa, at=k, tz=tz)),
        "timeline": _plain(timeline(conn, at=k, tz=tz)),
        "check": _verdict(
            check(
                conn,
                at=k,
                tz=tz,
                thresholds=THRESHOLDS,
                kinds=("expiry", "review"),
                crossing_ids=None,
            )
        ),  # fmt: skip
        "alerts": sorted(
            (a.uid, a.kind, a.threshold, str(a.due_date))
            for a in alerts_plan(conn, at=k, recipients=[rec], settings=Settings())
        ),
        "calendar": sorted(
            (d.uid, str(d.date), getattr(d, "cancelled", None))
            for d in all_deadlines(conn, at=k, tz=tz)
        ),
    }


def _fact(conn, kind: str, day: date, hawa: int):
    """A document adding one fact dated `day` (known from the end of it), or None."""
    if kind == "draft":
        return parse_document(
            {
                "corridor": 1,
                "events": [
                    {
                        "date": day.isoformat(),
                        "kind": "vetoed",
                        "title": f"A later draft ({day})",
                        "crossings": ["bab-al-hawa"],
                    }
                ],
            }
        )
    if kind == "consent":
        return parse_document(
            {
                "corridor": 1,
                "instruments": [
                    {
                        "symbol": f"Later consent ({day})",
                        "kind": "consent",
                        "authority": "Government of the Syrian Arab Republic",
                        "timezone": "Asia/Damascus",
                        "adopted": day.isoformat(),
                        "periods": [
                            {
                                "crossings": ["bab-al-hawa"],
                                "start": (day - timedelta(days=40)).isoformat(),
                                "until": (day + timedelta(days=90)).isoformat(),
                            }
                        ],
                    }
                ],
            }
        )
    if kind == "span":  # as `corridor unknown` records it: known from the instant it runs
        recorded = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
        return lambda: mark_unknown(
            conn,
            "bab al hawa",
            day - timedelta(days=30),
            day + timedelta(days=30),
            CHANGE,
            note="a later declaration",
            recorded_at=recorded,
        )
    if kind == "checked":  # as `corridor crossing checked` records it
        current = conn.exec_driver_sql(
            f"SELECT known_until FROM crossings WHERE id = {hawa}"
        ).scalar()
        if current is not None and str(current)[:10] >= day.isoformat():
            return None  # a declaration only moves forward
        return lambda: mark_checked(conn, ["bab al hawa"], day, CHANGE)
    # terminate the instrument in force over `day` (if any), with effect ten days later
    row = conn.exec_driver_sql(
        "SELECT p.instrument_id FROM periods p JOIN period_crossings pc ON pc.period_id = p.id"
        f" WHERE pc.crossing_id = {hawa} AND p.start_date <= '{day}' AND p.end_date >= '{day}'"
        " ORDER BY p.start_date DESC LIMIT 1"
    ).first()
    if row is None:
        return None
    doc = instrument_dict(conn, row[0])
    if doc.get("terminated"):
        return None
    doc["terminated"] = {"effective": day + timedelta(days=10), "known": day}
    return parse_document({"corridor": 1, "instruments": [doc]})


def test_a_fact_known_after_k_changes_nothing_said_at_k(record):
    conn, edges, hawa = record
    checked = []

    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        k=st.one_of(
            st.builds(
                lambda e, m: e + timedelta(minutes=m),
                st.sampled_from(edges),
                st.integers(-36 * 60, 36 * 60),
            ),
            st.datetimes(min_value=datetime(2014, 7, 1), max_value=datetime(2025, 6, 1)).map(
                lambda d: d.replace(tzinfo=UTC)
            ),
        ),
        zone_name=st.sampled_from(ZONES),
        kind=st.sampled_from(FACTS),
        days_later=st.integers(1, 60),
    )
    def prop(k, zone_name, kind, days_later):
        tz = zone(zone_name)
        day = k.astimezone(UTC).date() + timedelta(days=days_later)  # its end is after K
        before = outputs(conn, k, tz, hawa)
        doc = _fact(conn, kind, day, hawa)
        if doc is None:
            conn.rollback()
            return
        later = datetime.combine(day + timedelta(days=2), datetime.min.time(), UTC)
        try:
            doc() if callable(doc) else apply(conn, doc, change=CHANGE)
            after = outputs(conn, k, tz, hawa)
            (now,) = status(conn, at=k, tz=tz, crossing_ids=[hawa], known_at=later)
        finally:
            conn.rollback()
        for key in before:
            assert after[key] == before[key], (key, kind, k, day)
        # ... and once known, the fact counts: the crossing's horizon as known then reaches
        # it (a span: inside it, nothing but a recorded authority is said).
        if kind == "span":
            assert now.state in ("unknown", "authorized") or k < datetime.combine(
                day - timedelta(days=30), datetime.min.time(), UTC
            ), (kind, k, day, now.state)
        else:
            assert now.horizon is not None and now.horizon >= day, (kind, k, day)
        checked.append(kind)

    prop()
    assert len(checked) >= 30 and set(checked) >= {"draft", "consent", "terminate", "span"}
