"""A run decides what is due before it builds any message (corridor.services.alerts.work plans
with `lazy=True`): the alerts it sends carry exactly the facts an eager plan builds, a run
with nothing new builds none, and what becomes due later is still sent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corridor.core.terms import zone
from corridor.db.connect import Location, connect_reader
from corridor.services import alerts
from corridor.services.alerts_plan import Recipient, Settings, complete, plan

NY, IST = "America/New_York", "Europe/Istanbul"


def _recipients() -> list[Recipient]:
    return [
        Recipient("ny", None, NY, zone(NY)),
        Recipient("ist", None, IST, zone(IST), kinds=frozenset({"expiry", "lapse"})),
    ]


@pytest.mark.parametrize(
    "at, kinds",
    [
        (datetime(2023, 1, 3, 12, tzinfo=UTC), {"expiry", "review", "stale"}),
        (datetime(2023, 7, 12, 12, tzinfo=UTC), {"expiry", "lapse", "stale"}),  # Bab al-Hawa
        (datetime(2026, 6, 1, 12, tzinfo=UTC), {"lapse", "stale"}),
    ],
)
def test_deferred_facts_are_the_eager_plans(reference_url, at, kinds):
    settings = Settings(stale_after_days=30)
    with connect_reader(Location(reference_url, "test")) as conn:
        eager = plan(conn, at=at, recipients=_recipients(), settings=settings)
        lazy = plan(conn, at=at, recipients=_recipients(), settings=settings, lazy=True)
        assert [a.key for a in lazy] == [a.key for a in eager]
        assert {a.kind for a in eager} == kinds
        waiting = {a.kind for a in lazy if a.make is not None}
        assert waiting == kinds - {"stale"}  # deadlines and lapses wait for complete()
        complete(conn, lazy)
    assert [(a.key, a.kind, a.payload()) for a in lazy] == [
        (a.key, a.kind, a.payload()) for a in eager
    ]
    assert all(a.make is None for a in lazy)


def test_a_run_sends_the_new_alerts_with_their_facts_and_builds_nothing_else(reference_url, cli):
    at = datetime(2023, 1, 3, 12, tzinfo=UTC)
    settings = Settings()
    recipients = _recipients()[:1]
    with connect_reader(Location(reference_url, "test")) as conn:
        eager = {a.key: a.payload() for a in plan(conn, at=at, recipients=recipients,
                                                   settings=settings)}  # fmt: skip
        work = alerts.work(conn, at=at, recipients=recipients, settings=settings, now=at)
    assert work.new and {a.key: a.payload() for a in work.new} == eager
    # Sent once (the CLI queues and prints them), a replay of the same instant has nothing new,
    # and the alerts it plans keep their facts unbuilt.
    run = ("alerts", "run", "--stdout", "--db", reference_url, "--tz", NY)
    assert "expires in 7 days" in cli(*run, "--as-of", "2023-01-03T12:00Z").out
    stdout = [Recipient("stdout", None, NY, zone(NY))]
    with connect_reader(Location(reference_url, "test")) as conn:
        again = alerts.work(conn, at=at, recipients=stdout, settings=settings, now=at)
        planned = plan(conn, at=at, recipients=stdout, settings=settings, lazy=True)
    assert again.empty and again.wanted == {a.key for a in planned}
    # Two days later the next threshold is due, and sent in full.
    later = cli(*run, "--as-of", "2023-01-07T12:00Z")
    assert "expires in 3 days" in later.out and "S/RES/2642" in later.out


def test_a_stale_alert_reaches_its_recipient_whoever_shares_its_zone(reference_url):
    """The first recipient of a zone wants lapses but no stale alerts, the second only stale
    ones: the horizons the stale alert reads are still asked for (a plan skips them only when
    nobody wants them)."""
    at = datetime(2026, 6, 1, 12, tzinfo=UTC)
    settings = Settings(stale_after_days=30)
    first = Recipient("first", None, NY, zone(NY), kinds=frozenset({"expiry", "lapse"}))
    second = Recipient("second", None, NY, zone(NY), kinds=frozenset({"stale"}))
    with connect_reader(Location(reference_url, "test")) as conn:
        alone = plan(conn, at=at, recipients=[second], settings=settings)
        shared = plan(conn, at=at, recipients=[first, second], settings=settings)
    stale = [a.key for a in alone if a.kind == "stale"]
    assert stale
    assert [a.key for a in shared if a.kind == "stale"] == stale
