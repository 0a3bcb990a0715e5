"""Alerts delivered through Apprise to real receivers on 127.0.0.1: an SMTP server (aiosmtpd)
for mailto://, an HTTP server for json:// webhooks and the heartbeat. Concurrent runs in
separate OS processes; a channel that is down."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
import sqlalchemy as sa

from configs import write_config as _config

NY = ("--tz", "America/New_York")


def _subject(envelope) -> str:
    msg = message_from_bytes(envelope.original_content)
    return str(make_header(decode_header(msg["Subject"])))


def test_email_through_apprise_mailto_to_a_real_smtp_server(
    cli, reference_url, smtp, tmp_path, monkeypatch
):
    _config(
        tmp_path,
        monkeypatch,
        f"""
[[alerts.recipients]]
name = "gaziantep-logistics"
url = "{smtp.url()}"
timezone = "Europe/Istanbul"
""",
    )
    r = cli("alerts", "run", "--as-of", "2022-12-27", "--db", reference_url, *NY)
    assert (r.code, r.out, r.err) == (0, "", "")
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail.rcpt_tos == ["team@example.org"]
    assert _subject(mail) == "corridor: Bab al-Hawa expires in 15 days (S/RES/2642) (+1 more)"
    body = mail.original_content.decode("utf-8", "replace")
    assert "ends: 2023-01-11 08:00 +03 (Europe/Istanbul)" in body
    # Once: the same run again sends nothing.
    assert cli("alerts", "run", "--as-of", "2022-12-27", "--db", reference_url, *NY).code == 0
    assert len(smtp.messages) == 1


def test_json_webhook_and_heartbeat(cli, reference_url, http):
    r = cli(
        "alerts", "run", "--as-of", "2022-12-27", "--db", reference_url, *NY,
        "--to", http.url("json"), "--heartbeat", http.url("http", "/ping/abc"),
    )  # fmt: skip
    assert (r.code, r.out, r.err) == (0, "", "")
    posts = http.posts()
    assert len(posts) == 1
    assert posts[0]["title"].startswith("corridor: Bab al-Hawa expires in 14 days")
    assert posts[0]["message"].count("quiet it: corridor alerts ack") == 2
    assert http.gets() == ["/ping/abc"]
    # Nothing due: no message, but the heartbeat still says the run happened.
    r = cli(
        "alerts", "run", "--as-of", "2022-12-28", "--db", reference_url, *NY,
        "--to", http.url("json"), "--heartbeat", http.url("http", "/ping/abc"),
    )  # fmt: skip
    assert (r.code, r.out, r.err) == (0, "", "")
    assert len(http.posts()) == 1 and http.gets() == ["/ping/abc", "/ping/abc"]


def _apprise_logger_state():
    log = logging.getLogger("apprise")
    return (log.level, log.propagate, list(log.handlers), log.disabled)


@pytest.mark.parametrize("reachable", [True, False])
def test_delivery_leaves_the_apprise_logger_as_it_found_it(http, reachable):
    """Sending captures Apprise's log for the message, then restores its level, propagation
    and handlers: a program that embeds corridor keeps its own logging."""
    import apprise  # noqa: F401  (importing it adds its NullHandler: not ours to undo)

    from corridor.services.deliver import send

    logging.getLogger("apprise").propagate = True  # the default, whatever ran before
    before = _apprise_logger_state()
    url = http.url("json") if reachable else "json://127.0.0.1:9/closed"
    problem = send(url, "subject", "body")
    assert (problem is None) == reachable
    assert _apprise_logger_state() == before
    if reachable:
        assert http.posts()[0]["title"] == "subject"


def test_a_channel_that_is_down_fails_the_run_and_the_next_run_delivers_once(
    cli, reference_url, http, engine_for
):
    http.status = 500
    hook = http.url("json", "/hook/s3cr3tT0ken1234567")
    args = ("alerts", "run", "--as-of", "2022-12-27", "--db", reference_url, *NY, "--to", hook)
    beat = ("--heartbeat", http.url("http", "/ping"))
    r = cli(*args, *beat)
    assert r.code == 6
    assert r.out == ""
    assert "Error: 1 delivery(ies) failed" in r.err and "retried by the next run" in r.err
    assert "s3cr3tT0ken1234567" not in r.err
    assert http.gets() == ["/ping/6"]
    assert len(http.posts()) == 1  # tried once, refused
    http.status = 200
    r = cli(*args, *beat)
    assert (r.code, r.out, r.err) == (0, "", "")
    assert len(http.posts()) == 2 and http.gets() == ["/ping/6", "/ping"]
    assert cli(*args).code == 0
    assert len(http.posts()) == 2  # delivered once, not again
    engine = engine_for(reference_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT status, attempts, last_error FROM alert_outbox")).all()
    assert sorted(rows) == [("sent", 2, None), ("sent", 2, None)]


def test_an_unreachable_heartbeat_is_a_failure_not_silence(cli, reference_url):
    r = cli(
        "alerts", "run", "--stdout", "--as-of", "2021-09-01", "--db", reference_url,
        "--heartbeat", "http://127.0.0.1:9/ping/secret-uuid-0123456789",
    )  # fmt: skip
    assert r.code == 6 and r.out == ""
    assert "the heartbeat failed" in r.err and "secret-uuid-0123456789" not in r.err


def test_four_processes_at_once_deliver_each_alert_exactly_once(reference_url, http, tmp_path):
    """Four OS processes run the same hour's `alerts run` together: SQLite's BEGIN IMMEDIATE or
    PostgreSQL's FOR UPDATE SKIP LOCKED lets exactly one of them claim each alert."""
    env = dict(os.environ, CORRIDOR_CONFIG=str(tmp_path / "none.toml"))
    hook = http.url("json")
    sent = {}
    for day in ("2022-12-27", "2023-01-03"):
        argv = [sys.executable, "-m", "corridor", "alerts", "run", "--as-of", day, "--db",
                reference_url, *NY, "--to", hook, "--stdout"]  # fmt: skip
        procs = [
            subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)
        ]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
        assert [code for code, _, _ in results] == [0] * 4, [err for _, _, err in results]
        assert [err for _, _, err in results] == [b""] * 4
        printed = b"".join(out for _, out, _ in results).decode()
        sent[day] = (printed.count("quiet it:"), printed.count("Subject: "))
    posts = http.posts()
    assert sent == {"2022-12-27": (2, 1), "2023-01-03": (2, 1)}  # stdout: once per day
    assert len(posts) == 2  # the webhook: one digest per day, never repeated
    assert [p["message"].count("quiet it:") for p in posts] == [2, 2]


def test_heartbeat_and_secrets_from_the_config_and_environment(
    cli, reference_url, http, tmp_path, monkeypatch
):
    _config(
        tmp_path,
        monkeypatch,
        f"""
[alerts]
heartbeat = "{http.url("http", "/ping/${HC_UUID}")}"

[[alerts.recipients]]
name = "hook"
url = "{http.url("json", "/hook/${HOOK_TOKEN}")}"
""",
    )
    run = ("alerts", "run", "--as-of", "2022-12-27", "--db", reference_url, *NY)
    r = cli(*run)
    # The only recipient is skipped, naming the variable (docs/alerts.md, "Recipients are
    # isolated"): exit 6, and the heartbeat's own unset variable is said too.
    assert r.code == 6 and 'recipient "hook" was skipped: its url uses ${HOOK_TOKEN}' in r.err
    assert "the heartbeat uses ${HC_UUID}, which is not set in the environment" in r.err
    monkeypatch.setenv("HC_UUID", "uuid-0f1e2d3c4b5a")
    monkeypatch.setenv("HOOK_TOKEN", "tok-9a8b7c6d5e4f3210")
    r = cli(*run)
    assert (r.code, r.out, r.err) == (0, "", "")
    assert [r["path"] for r in http.requests if r["method"] == "POST"] == [
        "/hook/tok-9a8b7c6d5e4f3210"
    ]
    assert http.gets() == ["/ping/uuid-0f1e2d3c4b5a"]
    status = cli("alerts", "status", "--db", reference_url)
    assert "tok-9a8b7c6d5e4f3210" not in status.out and "${HOOK_TOKEN}" in status.out
