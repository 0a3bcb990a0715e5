"""Exactly once, however slow (docs/alerts.md, "Delivery safety"): per-recipient claims, leases
renewed while a run lives and judged by the database's clock, bookkeeping through locks, and
what an interrupted run leaves. Real receivers on 127.0.0.1, real runs in OS processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from configs import write_config as _config
from corridor.db.connect import Location, connect_reader, make_engine
from receivers import Http

NY = ("--tz", "America/New_York")
AS_OF = datetime(2022, 12, 27, 5, tzinfo=UTC)  # S/RES/2642: expiry and review 14 days ahead


def _rows(url) -> list[dict]:
    engine = make_engine(Location(url, "test"))
    try:
        with engine.connect() as conn:
            found = conn.execute(
                sa.text(
                    "SELECT recipient, threshold, status, attempts, last_error FROM alert_outbox"
                )
            ).mappings()
            return [dict(r) for r in found]
    finally:
        engine.dispose()


def _posts_by_path(http: Http) -> Counter:
    return Counter(r["path"] for r in http.requests if r["method"] == "POST")


# ---------------------------------------------------------------- 300+ slow recipients


def test_300_slow_recipients_two_runs_overlapping_past_the_lease_send_each_once(
    reference_url, http, tmp_path, monkeypatch
):
    """310 recipients behind a receiver that sleeps, and a lease of 1 s, so each run outlives
    it many times. Recipient "slow", in the middle, answers only after the second run (started
    while the first is sending to "slow") has got past it: by then the claim is older than the
    lease, and only its renewal keeps the second run from sending it again. Both then share
    the rest. 0 duplicates, 0 lost."""
    n = 310
    http.delay = 0.01
    arrived, second_moved = threading.Event(), threading.Event()

    def hold_slow(path: str) -> None:
        if path.startswith("/r/slow") and not arrived.is_set():
            arrived.set()
            time.sleep(1.5)  # past the lease
            second_moved.wait(2.0)  # Apprise's own read timeout is about 4 s
        elif arrived.is_set():
            second_moved.set()  # the first run is held above: this is the second one

    http.on_request = hold_slow
    names = [f"n{i:03d}" for i in range(n - 1)]
    names.insert(150, "slow")
    recipients = "".join(
        f'[[alerts.recipients]]\nname = "{name}"\nurl = "{http.url("json", f"/r/{name}")}"\n\n'
        for name in names
    )
    config = _config(tmp_path, monkeypatch, f"[alerts]\nlease_seconds = 1\n\n{recipients}")
    env = dict(os.environ, CORRIDOR_CONFIG=str(config), CORRIDOR_BUSY_TIMEOUT="60")
    cmd = [sys.executable, "-m", "corridor", "alerts", "run", "--as-of", "2022-12-27"]
    cmd += ["--db", reference_url, *NY]

    def start():
        return subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    runs = [start()]
    assert arrived.wait(300)
    runs.append(start())
    results = [(*p.communicate(timeout=600), p.returncode) for p in runs]
    assert [r[2] for r in results] == [0, 0], results
    posts = _posts_by_path(http)
    assert sorted(posts) == sorted(f"/r/{name}" for name in names)  # 0 lost
    assert set(posts.values()) == {1}  # 0 duplicates
    rows = _rows(reference_url)
    assert len(rows) == 2 * n  # the expiry and the review point, for each recipient
    assert {r["status"] for r in rows} == {"sent"}
    assert {r["attempts"] for r in rows} == {1}


# ---------------------------------------------------------------- the service, run by hand


def _recipients(http: Http, names: list[str]):
    from corridor.core.terms import zone
    from corridor.services.alerts_plan import Recipient

    ny = "America/New_York"
    return [Recipient(n, http.url("json", f"/r/{n}"), ny, zone(ny)) for n in names]


def _run(url, recipients, *, now: datetime, send, lease=timedelta(minutes=15), at=AS_OF, busy=60.0):
    """One `alerts run` through the service layer, with the host's `now` given, and `busy`
    the bound on waiting for another writer ($CORRIDOR_BUSY_TIMEOUT, read by the CLI)."""
    import uuid

    from corridor.services import alerts
    from corridor.services.alerts_plan import Settings

    settings = Settings(lease=lease)
    with connect_reader(Location(url, "test")) as conn:
        work = alerts.work(conn, at=at, recipients=recipients, settings=settings, now=now)
    engine = make_engine(Location(url, "test", busy_seconds=busy))
    try:
        return alerts.run(
            engine,
            work,
            recipients=recipients,
            now=now,
            as_of=at.date(),
            token=uuid.uuid4().hex,
            send=send,
            settings=settings,
        )
    finally:
        engine.dispose()


def _deliver(http: Http):
    from corridor.services import deliver

    def send(rec, message):
        return deliver.send(rec.url, message.subject, message.body)

    return send


@pytest.mark.parametrize("skew", [timedelta(hours=1), timedelta(hours=-1), timedelta(days=3)])
def test_a_claim_is_judged_by_the_database_clock_whatever_the_hosts_say(reference_url, http, skew):
    """Two cron hosts whose clocks disagree by `skew` share one database. While host A sends
    to "a", host B runs in full: it must neither take A's claim (its clock says the claim is
    old) nor miss "b"."""
    recipients = _recipients(http, ["a", "b"])
    host_a = datetime(2022, 12, 27, 12, tzinfo=UTC)
    inner = []
    deliver = _deliver(http)

    def send_a(rec, message):
        if rec.name == "a" and not inner:
            inner.append(_run(reference_url, recipients, now=host_a + skew, send=deliver))
        return deliver(rec, message)

    outer = _run(reference_url, recipients, now=host_a, send=send_a)
    posts = _posts_by_path(http)
    assert posts == {"/r/a": 1, "/r/b": 1}
    assert outer.delivered + inner[0].delivered in (["a", "b"], ["b", "a"])
    assert {r["status"] for r in _rows(reference_url)} == {"sent"}


def test_a_crashed_runs_claim_is_sent_again_after_its_lease_by_the_database_clock(
    reference_url, http
):
    """A run that claimed and died: a run whose host clock is a day ahead still waits for
    the lease, measured by the database; after it, the alert is sent (nothing is lost)."""
    from corridor.services.alerts_plan import Settings
    from corridor.store import claims

    recipients = _recipients(http, ["a"])
    lease = timedelta(seconds=1)
    from corridor.services import alerts

    with connect_reader(Location(reference_url, "test")) as conn:
        work = alerts.work(
            conn, at=AS_OF, recipients=recipients, settings=Settings(lease=lease), now=AS_OF
        )
    engine = make_engine(Location(reference_url, "test"))
    try:
        new = [(a.key, a.kind, a.payload()) for a in work.new]
        give_up = claims.GiveUp()
        claims.queue(engine, new, work.wanted, ["a"], now=AS_OF, lease=lease, give_up=give_up)
        assert len(claims.claim(engine, "a", work.wanted, token="crashed", lease=lease)) == 2
    finally:
        engine.dispose()
    ahead = AS_OF + timedelta(days=1)
    first = _run(reference_url, recipients, now=ahead, send=_deliver(http), lease=lease)
    assert first.delivered == [] and _posts_by_path(http) == {}
    time.sleep(1.2)  # the lease runs out on the database's clock
    second = _run(reference_url, recipients, now=AS_OF, send=_deliver(http), lease=lease)
    assert second.delivered == ["a"] and _posts_by_path(http) == {"/r/a": 1}
    assert {r["status"] for r in _rows(reference_url)} == {"sent"}


def test_sending_rows_that_are_no_longer_due_expire(reference_url, http):
    """A run claimed the 14-day alerts and died. By 2023-01-05 the 7-day threshold is due:
    the stale claim is expired, never sent (it stayed `sending` forever before)."""
    from corridor.services import alerts
    from corridor.services.alerts_plan import Settings
    from corridor.store import claims

    recipients = _recipients(http, ["a"])
    lease = timedelta(seconds=1)
    with connect_reader(Location(reference_url, "test")) as conn:
        work = alerts.work(
            conn, at=AS_OF, recipients=recipients, settings=Settings(lease=lease), now=AS_OF
        )
    engine = make_engine(Location(reference_url, "test"))
    try:
        new = [(a.key, a.kind, a.payload()) for a in work.new]
        claims.queue(
            engine, new, work.wanted, ["a"], now=AS_OF, lease=lease, give_up=claims.GiveUp()
        )
        claims.claim(engine, "a", work.wanted, token="crashed", lease=lease)
    finally:
        engine.dispose()
    time.sleep(1.2)
    later = datetime(2023, 1, 5, 5, tzinfo=UTC)
    result = _run(reference_url, recipients, now=later, send=_deliver(http), lease=lease, at=later)
    assert result.delivered == ["a"]
    rows = sorted((r["threshold"], r["status"]) for r in _rows(reference_url))
    assert rows == [(7, "sent"), (7, "sent"), (14, "expired"), (14, "expired")]
    assert _posts_by_path(http) == {"/r/a": 1}


# ---------------------------------------------------------------- locks around the bookkeeping


def _hold_write_lock(url: str, seconds: float) -> tuple[threading.Thread, threading.Event]:
    """Another writer holds the database's write lock (SQLite BEGIN IMMEDIATE, PostgreSQL the
    advisory write lock) for `seconds`."""
    taken = threading.Event()

    def hold():
        engine = make_engine(Location(url, "test"))
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("UPDATE alert_runs SET queued = queued WHERE id < 0"))
                taken.set()
                time.sleep(seconds)
        finally:
            engine.dispose()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    return thread, taken


def test_a_lock_held_across_the_bookkeeping_is_waited_out(reference_url, http):
    recipients = _recipients(http, ["a", "b"])
    deliver = _deliver(http)
    holders = []

    def send(rec, message):
        error = deliver(rec, message)
        if rec.name == "a":
            thread, taken = _hold_write_lock(reference_url, 1.5)
            taken.wait(10)
            holders.append(thread)
        return error

    result = _run(reference_url, recipients, now=AS_OF, send=send, busy=20)
    holders[0].join()
    assert result.delivered == ["a", "b"] and result.unrecorded == []
    assert {r["status"] for r in _rows(reference_url)} == {"sent"}
    again = _run(reference_url, recipients, now=AS_OF, send=deliver)
    assert again.delivered == []
    assert _posts_by_path(http) == {"/r/a": 1, "/r/b": 1}


def test_a_lock_past_the_busy_timeout_leaves_one_recipient_in_the_crash_window(
    cli, reference_url, http, tmp_path, monkeypatch
):
    """The lock outlasts the busy timeout right after "a" was delivered: "a" stays claimed
    (the documented crash window; `alerts status` says so once its lease is over), "b" is
    delivered and recorded all the same, and no raw lock error escapes."""
    recipients = _recipients(http, ["a", "b"])
    deliver = _deliver(http)
    holders = []

    def send(rec, message):
        error = deliver(rec, message)
        if rec.name == "a":
            thread, taken = _hold_write_lock(reference_url, 3.0)
            taken.wait(10)
            holders.append(thread)
        return error

    lease = timedelta(seconds=1)
    result = _run(reference_url, recipients, now=AS_OF, send=send, lease=lease, busy=2)
    holders[0].join()
    assert result.delivered == ["a", "b"] and result.unrecorded == ["a"]
    statuses = Counter((r["recipient"], r["status"]) for r in _rows(reference_url))
    assert statuses == {("a", "sending"): 2, ("b", "sent"): 2}
    time.sleep(1.2)
    _config(tmp_path, monkeypatch, "[alerts]\nlease_seconds = 1\n")
    status = cli("alerts", "status", "--db", reference_url)
    assert status.code == 0, status.err
    assert status.out.count("could not record the result: the next run sends it again") == 2
    data = json.loads(cli("alerts", "status", "--db", reference_url, "--format", "json").out)
    assert {w["recipient"] for w in data["waiting"]} == {"a"}
    assert all(isinstance(w["age_seconds"], int) for w in data["waiting"])


def test_raw_lock_errors_never_reach_the_user(cli, reference_url, monkeypatch):
    monkeypatch.setenv("CORRIDOR_BUSY_TIMEOUT", "1")
    uid = next(
        i["uid"]
        for i in json.loads(
            cli("upcoming", "--as-of", "2022-12-27", "--db", reference_url, "-f", "json", *NY).out
        )["items"]
        if i["kind"] == "expiry"
    )
    thread, taken = _hold_write_lock(reference_url, 4.0)
    assert taken.wait(10)
    ack = cli("alerts", "ack", uid, "--db", reference_url, *NY)
    run = cli("alerts", "run", "--stdout", "--as-of", "2022-12-27", "--db", reference_url, *NY)
    thread.join()
    for r in (ack, run):
        assert r.code == 4, r.err
        assert r.err.startswith("Error: the database is busy"), r.err
        assert "database is locked" not in r.err and "lock timeout" not in r.err
    assert run.out == ""  # nothing was claimed, so nothing was printed as sent
    again = cli("alerts", "run", "--stdout", "--as-of", "2022-12-27", "--db", reference_url, *NY)
    assert again.code == 0 and again.out.count("quiet it:") == 2


# ---------------------------------------------------------------- Ctrl-C


def test_ctrl_c_during_delivery_says_what_was_and_was_not_sent(
    reference_url, http, tmp_path, monkeypatch
):
    http.delays["/r/slow"] = 60
    arrived = threading.Event()
    http.on_request = lambda path: arrived.set() if path.startswith("/r/slow") else None
    config = _config(
        tmp_path,
        monkeypatch,
        "".join(
            f'[[alerts.recipients]]\nname = "{n}"\nurl = "{http.url("json", f"/r/{n}")}"\n\n'
            for n in ("first", "slow", "last")
        ),
    )
    env = dict(os.environ, CORRIDOR_CONFIG=str(config))
    cmd = [sys.executable, "-m", "corridor", "alerts", "run", "--as-of", "2022-12-27"]
    proc = subprocess.Popen(
        [*cmd, "--db", reference_url, *NY],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert arrived.wait(120), proc.communicate(timeout=5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Sent to: first." in err
    assert "Interrupted while sending to slow: it may or may not have arrived" in err
    assert "Not sent (the next run sends them): last." in err
    assert "Traceback" not in err
    rows = Counter((r["recipient"], r["status"]) for r in _rows(reference_url))
    assert rows == {("first", "sent"): 2, ("slow", "failed"): 2, ("last", "pending"): 2}
    # The interrupted claim is recovered at once (no lease to wait for): the next run sends
    # to "slow" again, and to "last".
    http.delays.clear()
    done = subprocess.run(
        [*cmd, "--db", reference_url, *NY], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert _posts_by_path(http) == {"/r/first": 1, "/r/slow": 2, "/r/last": 1}
