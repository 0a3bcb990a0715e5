"""AlertFacts (corridor.services.alert_facts): one type for what an alert says, with its JSON
form in the outbox. Rows written by older versions still read, and what is read is written
back unchanged, byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from corridor.core.terms import zone
from corridor.db.connect import Location, connect_reader
from corridor.services.alert_facts import (
    DEADLINE_KEYS,
    LAPSE_KEYS,
    STALE_KEYS,
    AlertFacts,
)
from corridor.services.alerts_plan import Recipient, Settings, plan
from corridor.services.digest import digest, headline

NY = "America/New_York"


def _planned(url: str) -> list:
    recipients = [Recipient("team", None, NY, zone(NY))]
    settings = Settings(stale_after_days=30)
    found = []
    with connect_reader(Location(url, "test")) as conn:
        for at in ("2022-12-27", "2023-01-11", "2023-07-12", "2024-12-01"):
            when = datetime.fromisoformat(at).replace(tzinfo=UTC) + timedelta(hours=12)
            found += plan(conn, at=when, recipients=recipients, settings=settings)
    return found


def test_every_planned_alert_reads_back_as_it_was_written(reference_url):
    alerts = _planned(reference_url)
    kinds = {a.kind for a in alerts}
    assert {"expiry", "lapse", "stale"} <= kinds
    for alert in alerts:
        text = alert.payload()
        assert json.dumps(json.loads(text), sort_keys=True, default=str) == text
        again = AlertFacts.from_json(text)
        assert again == alert.facts
        assert again.to_json() == text
        expected = {"lapse": LAPSE_KEYS, "stale": STALE_KEYS}.get(alert.kind, DEADLINE_KEYS)
        assert set(json.loads(text)) == set(expected)


# A lapse as an older version stored it: no exact end instant ("ended"), and a key this
# version does not know.
OLD_LAPSE = json.dumps(
    {
        "as_of": "2023-07-12",
        "crossings": ["Bab al-Hawa"],
        "date": "2023-07-10",
        "days_left": -2,
        "due_at": "2023-07-11T04:00:00+00:00",
        "due_local": "2023-07-11 00:00 EDT",
        "instrument": "S/RES/2672 (2023)",
        "kind": "lapse",
        "source_url": None,
        "then": "no authority since 2023-07-11",
        "uid": "expiry-x@corridor",
        "zone": NY,
        "zz_later_key": [1, 2],
    },
    sort_keys=True,
)


def test_a_row_from_an_older_version_reads_and_is_kept_byte_for_byte():
    facts = AlertFacts.from_json(OLD_LAPSE)
    assert facts.kind == "lapse" and facts.crossings == ("Bab al-Hawa",)
    assert facts.ended is None and facts.reason is None and facts.instrument_id is None
    assert facts.extra == {"zz_later_key": [1, 2]}
    assert facts.to_json() == OLD_LAPSE
    assert headline(facts) == (
        "Bab al-Hawa: authority ended 2023-07-10, no renewal recorded (S/RES/2672)"
    )
    body = digest([facts]).body
    assert "  then: no authority since 2023-07-11" in body  # no exact end: its "then" line


def test_an_empty_payload_reads_as_nothing_said():
    facts = AlertFacts.from_json("{}")
    assert facts.keys == frozenset() and facts.to_json() == "{}"


def test_a_closure_keeps_what_it_closes_and_says_what_closed_it():
    lapse = AlertFacts.from_json(OLD_LAPSE)
    reason = {"kind": "vetoed", "on": "2023-07-11", "title": "S/2023/506"}
    closed = lapse.closing("reason", "2023-08-01", reason=reason, then="vetoed")
    data = json.loads(closed.to_json())
    assert set(data) == set(json.loads(OLD_LAPSE)) | {"reason", "kind_before"}
    assert (data["kind"], data["kind_before"], data["as_of"]) == ("reason", "lapse", "2023-08-01")
    assert data["reason"] == reason and data["zz_later_key"] == [1, 2]
    kept = AlertFacts.from_json(
        json.dumps(dict(json.loads(OLD_LAPSE), keeper="record it"), sort_keys=True)
    )
    assert "keeper" not in json.loads(kept.closing("reason", "2023-08-01", then="x").to_json())
