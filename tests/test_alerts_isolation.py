"""One recipient can't silence the rest; stored and configured text reaches no terminal raw;
the heartbeat, `alerts ack`, silence and the outbox's tidiness (docs/alerts.md). Through the
real CLI, against real receivers on 127.0.0.1, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from configs import write_config as _config
from corridor.db.connect import Location, make_engine

NY = ("--tz", "America/New_York")
RUN = ("alerts", "run", "--as-of", "2022-12-27")
RAW = ("\x1b", "\x07", "\r", "\u202e", "\x9b")


def _sql(url: str, statement: str, **params) -> list:
    engine = make_engine(Location(url, "test"))
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(statement), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def _recipient(name: str, url: str, extra: str = "") -> str:
    return f"[[alerts.recipients]]\nname = {json.dumps(name)}\nurl = {json.dumps(url)}\n{extra}\n"


# ---------------------------------------------------------------- isolation


def test_a_broken_recipient_or_rule_is_skipped_and_the_others_still_get_their_alerts(
    cli, reference_url, http, tmp_path, monkeypatch
):
    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    _config(
        tmp_path,
        monkeypatch,
        _recipient("x" * 201, http.url("json", "/long"))
        + _recipient("stale-filter", http.url("json", "/stale"), 'crossings = ["Nowhere Gate"]')
        + _recipient("unset-var", http.url("json", "/hook/${NO_SUCH_TOKEN}"))
        + _recipient("bad-url", "not a url at all")
        + _recipient("good", http.url("json", "/good"))
        + '[[alerts.rules]]\ncrossing = "Gone Crossing"\nthresholds = [30]\n',
    )
    r = cli(*RUN, "--db", reference_url, *NY)
    assert r.code == 6, r.err
    assert [p["path"] for p in http.requests] == ["/good"]
    assert http.posts("/good")[0]["message"].count("quiet it:") == 2
    err = r.err
    assert 'recipient "' + "x" * 59 + '…" was skipped: its name is longer than 200' in err
    assert 'recipient "stale-filter" was skipped: ' in err and "Nowhere Gate" in err
    assert 'recipient "unset-var" was skipped: its url uses ${NO_SUCH_TOKEN}' in err
    assert 'recipient "bad-url" was skipped: its url "***" is not an Apprise URL' in err
    assert "[[alerts.rules]] #1 was skipped: " in err and "Gone Crossing" in err
    assert err.count("Error:") == 1  # one line, naming each
    # Nothing of the skipped recipients reached the database (varchar(200) on PostgreSQL).
    rows = _sql(reference_url, "SELECT DISTINCT recipient FROM alert_outbox")
    assert [r[0] for r in rows] == ["good"]
    # The next run: the good recipient's alerts were sent once; the problems are said again.
    again = cli(*RUN, "--db", reference_url, *NY)
    assert again.code == 6 and len(http.requests) == 1


def test_corridor_user_is_checked_before_the_database(cli, reference_url, monkeypatch):
    uid = _expiry_uid(cli, reference_url)
    for bad, words in (("u" * 201, "longer than 200"), ("ops\x1b[2J", "U+001B")):
        monkeypatch.setenv("CORRIDOR_USER", bad)
        r = cli("alerts", "ack", uid, "--db", reference_url, *NY)
        assert r.code == 2 and "CORRIDOR_USER is " in r.err and words in r.err, r.err
        assert "\x1b" not in r.err
    assert _sql(reference_url, "SELECT count(*) FROM alert_acks")[0][0] == 0


def _expiry_uid(cli, url: str, kind: str = "expiry") -> str:
    r = cli("upcoming", "--as-of", "2022-12-27", "--db", url, "--format", "json", *NY)
    return next(i["uid"] for i in json.loads(r.out)["items"] if i["kind"] == kind)


# ---------------------------------------------------------------- the one escaper


def test_text_stored_by_older_versions_is_escaped_in_digests_and_dry_run_headers(
    cli, reference_url, tmp_path, monkeypatch
):
    """Control characters stored before today's rules (inserted with SQL), and a recipient
    name holding an OSC sequence, never reach the terminal raw."""
    hostile = "Bab al-Hawa\x1b]0;owned\x07\r\n\u202eX\x9b2J"
    _sql(reference_url, "UPDATE crossings SET name = :n WHERE slug = 'bab-al-hawa'", n=hostile)
    _config(tmp_path, monkeypatch, _recipient("ops\x1b]0;title\x07", "json://127.0.0.1:9/x"))
    dry = cli(*RUN, "--dry-run", "--stdout", "--db", reference_url, *NY)
    printed = cli(*RUN, "--stdout", "--db", reference_url, *NY)
    for r in (dry, printed):
        assert "Bab al-Hawa\\x1b]0;owned\\x07\\x0d" in r.out, r.out
        subject = next(line for line in r.out.splitlines() if line.startswith("Subject: "))
        assert "\\u202eX\\x9b2J expires in 14 days" in subject  # one line, stored LF or not
        for ch in RAW:
            assert ch not in r.out and ch not in r.err
    assert 'recipient "ops\\x1b]0;title\\x07" was skipped' in printed.err


# ---------------------------------------------------------------- the heartbeat


@pytest.mark.parametrize("beat", ["file:///tmp/corridor-heartbeat", "data:,ping"])
def test_a_heartbeat_that_is_not_http_is_refused_before_anything_is_sent(
    cli, reference_url, http, tmp_path, monkeypatch, beat
):
    r = cli(*RUN, "--to", http.url("json"), "--heartbeat", beat, "--db", reference_url, *NY)
    assert r.code == 2 and "--heartbeat must be an http:// or https:// URL" in r.err, r.err
    _config(tmp_path, monkeypatch, f'[alerts]\nheartbeat = "{beat}"\n')
    r = cli(*RUN, "--to", http.url("json"), "--db", reference_url, *NY)
    assert r.code == 2 and "heartbeat in [alerts] of" in r.err, r.err
    assert "TypeError" not in r.err and http.requests == []


# ---------------------------------------------------------------- ack takes every uid


def test_ack_takes_every_uid_an_alert_prints(cli, reference_url, tmp_path, monkeypatch):
    """A review decided since its alert was sent, a report, an expiry, a lapse (its expiry's
    uid) and a stale-knowledge alert: every "quiet it" line works, today."""
    _config(tmp_path, monkeypatch, "[alerts]\nstale_after_days = 30\n")
    printed = set()
    for day in ("2022-12-01", "2022-12-27", "2022-07-11", "2026-06-01"):
        r = cli("alerts", "run", "--stdout", "--as-of", day, "--db", reference_url, *NY)
        printed |= {
            line.split("corridor alerts ack ")[1]
            for line in r.out.splitlines()
            if "quiet it: corridor alerts ack " in line
        }
    kinds = {uid.split("-")[0] for uid in printed}
    assert {"expiry", "review", "report", "stale"} <= kinds, printed
    for uid in sorted(printed):
        r = cli("alerts", "ack", uid, "--db", reference_url, *NY)
        assert r.code == 0, (uid, r.err)
        assert f"Acknowledged {uid}" in r.err


# ---------------------------------------------------------------- silence


def test_alerts_run_is_silent_unless_something_is_wrong_and_verbose_says_more(cli, reference_url):
    quiet = cli("alerts", "run", "--stdout", "--as-of", "2022-08-01", "--db", reference_url, *NY)
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    loud = cli(
        "alerts", "run", "--stdout", "-v", "--as-of", "2022-08-01", "--db", reference_url, *NY
    )
    assert loud.code == 0 and loud.out == ""
    assert loud.err.startswith("Nothing due as of 2022-08-01.")
    sent = cli("alerts", "run", "--stdout", "--as-of", "2026-06-01", "--db", reference_url, *NY)
    assert "no renewal is recorded" in sent.out and sent.err == ""  # the alarm is the message
    beyond = cli(
        "alerts", "run", "--stdout", "-v", "--as-of", "2026-06-01", "--db", reference_url, *NY
    )
    assert beyond.out == "" and "Note: no renewal of" in beyond.err
    assert (
        "Note:"
        not in cli(
            "alerts", "run", "--stdout", "--as-of", "2026-06-02", "--db", reference_url, *NY
        ).err
    )


# ---------------------------------------------------------------- the outbox kept tidy


def test_a_one_off_recipient_is_given_up_then_retried_or_forgotten(
    cli, reference_url, http, tmp_path, monkeypatch
):
    _config(tmp_path, monkeypatch, "[alerts]\ngive_up_after_attempts = 2\n")
    http.status = 500
    to = ("--to", http.url("json"))
    for _ in range(2):
        assert cli(*RUN, *to, "--db", reference_url, *NY).code == 6
    assert len(http.requests) == 2
    status = cli("alerts", "status", "--db", reference_url)
    assert status.out.count("given up: `corridor alerts retry UID`") == 2
    assert " old; " in status.out
    rows = json.loads(cli("alerts", "status", "--db", reference_url, "-f", "json").out)
    assert {w["status"] for w in rows["waiting"]} == {"given_up"}
    # Given up: the next run does not try again.
    assert cli(*RUN, *to, "--db", reference_url, *NY).code == 0
    assert len(http.requests) == 2
    r = cli("alerts", "retry", "--given-up", "--db", reference_url)
    assert r.code == 0 and "2 delivery(ies) will be tried again" in r.err
    http.status = 200
    assert cli(*RUN, *to, "--db", reference_url, *NY).code == 0
    assert len(http.requests) == 3
    # Forget: by uid, or every given-up row.
    http.status = 500
    later = ("alerts", "run", "--as-of", "2023-01-05")
    for _ in range(2):
        assert cli(*later, *to, "--db", reference_url, *NY).code == 6
    r = cli("alerts", "forget", "--given-up", "--db", reference_url)
    assert r.code == 0 and "2 delivery(ies) forgotten" in r.err
    assert cli(*later, *to, "--db", reference_url, *NY).code == 0
    assert len(http.requests) == 5
    assert "Pending or failed: 0" in cli("alerts", "status", "--db", reference_url).out
    assert cli("alerts", "forget", "--db", reference_url).code == 2
    r = cli("alerts", "retry", "expiry-nope@corridor", "--db", reference_url)
    assert r.code == 3


def test_a_one_off_recipient_is_given_up_after_days_too(
    cli, reference_url, http, tmp_path, monkeypatch
):
    _config(tmp_path, monkeypatch, "[alerts]\ngive_up_after_days = 1\n")
    http.status = 500
    assert cli(*RUN, "--to", http.url("json"), "--db", reference_url, *NY).code == 6
    # Queued two days ago, by the database's clock: the next run, of anyone, gives it up.
    _sql(reference_url, "UPDATE alert_outbox SET queued_at = :t", t=_two_days_ago(reference_url))
    assert (
        cli("alerts", "run", "--stdout", "--as-of", "2022-08-01", "--db", reference_url).code == 0
    )
    rows = _sql(reference_url, "SELECT DISTINCT status FROM alert_outbox")
    assert [r[0] for r in rows] == ["given_up"]


def _two_days_ago(url: str):
    from datetime import timedelta

    from corridor.db.connect import connect_reader
    from corridor.store.outbox import db_now

    with connect_reader(Location(url, "test")) as conn:
        when = db_now(conn) - timedelta(days=2)
    if url.startswith("sqlite"):  # as corridor.db.types stores instants there: naive UTC
        return when.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return when
