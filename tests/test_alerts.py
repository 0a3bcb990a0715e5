"""`corridor alerts run|status|ack` on the reference record, through the real CLI: what fires,
once, for whom; catch-up; lapses; acknowledgements; cron discipline; the config contract."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from invented import _only_2585

NY = ("--tz", "America/New_York")
DEFAULT = (90, 60, 30, 14, 7, 3, 1, 0)


def outbox(engine_for, url) -> list[dict]:
    engine = engine_for(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT uid, due_date, threshold, recipient, kind, status, attempts, payload"
                " FROM alert_outbox ORDER BY id"
            )
        ).mappings()
        found = [dict(r) for r in rows]
    for r in found:
        r["as_of"] = json.loads(r.pop("payload"))["as_of"]
        r["due_date"] = str(r["due_date"])
    return found


def write_config(tmp_path, monkeypatch, text: str, mode: int = 0o600):
    path = tmp_path / "corridor.toml"
    path.write_text(text)
    path.chmod(mode)
    monkeypatch.setenv("CORRIDOR_CONFIG", str(path))
    return path


def days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def expected_firings(due: date, start: date, stop: date | None) -> dict[date, int]:
    """When each threshold should fire for a deadline whose last day (in New York) is `due`,
    replayed daily from `start`, stopping when the record supersedes it on `stop`: each
    threshold on its own day; a first run that finds thresholds already reached sends only the
    most urgent of them."""
    fired: dict[date, int] = {}
    first = (due - start).days
    reached = [t for t in DEFAULT if t >= first]
    if reached:
        fired[start] = min(reached)
    for t in DEFAULT:
        day = due - timedelta(days=t)
        if day > start and (stop is None or day < stop):
            fired[day] = t
    return fired


def test_replay_sends_each_threshold_once_and_nothing_on_quiet_days(cli, reference_url, engine_for):
    """2022-10-01 to 2023-01-10, one run a day as cron would, then a day replayed.

    The record as it stood: S/RES/2642's report due 2022-12-10 and its expiry and review point
    on 2023-01-10; S/RES/2672, adopted 2023-01-09, is known from the end of that day in New
    York (docs/time.md): the 1-day threshold fires on the 9th; from the 10th the expiry is
    superseded and the review decided, so the 0-day threshold must not fire."""
    start, end = date(2022, 10, 1), date(2023, 1, 10)
    report = expected_firings(date(2022, 12, 10), start, None)
    expiry = expected_firings(date(2023, 1, 10), start, date(2023, 1, 10))
    expected = {("report", "2022-12-10", t, d.isoformat()) for d, t in report.items()} | {
        (kind, "2023-01-10", t, d.isoformat())
        for d, t in expiry.items()
        for kind in ("expiry", "review")
    }
    # Closing the loop: S/RES/2672 (known from the end of 2023-01-09) supersedes both; one
    # message says so, on the first run that knows it.
    renewed = {("renewed", "2023-01-10", -90001, "2023-01-10")}
    expected |= renewed
    per_day: dict[str, int] = {}
    for day in days(start, end):
        r = cli("alerts", "run", "--stdout", "--as-of", day.isoformat(), "--db", reference_url, *NY)
        assert r.code == 0 and r.err == "", (day, r.err)
        per_day[day.isoformat()] = r.out.count("quiet it: corridor alerts ack ")
        if r.out:
            assert r.out.startswith("Subject: corridor: Bab al-Hawa")
    rows = outbox(engine_for, reference_url)
    assert {(r["kind"], r["due_date"], r["threshold"], r["as_of"]) for r in rows} == expected
    assert len(rows) == len(expected) + 1 == 8 + 7 + 7 + 2  # the expiry's and the review's
    assert all(r["status"] == "sent" and r["attempts"] == 1 for r in rows)
    quiet = [d for d, n in per_day.items() if n == 0]
    assert len(quiet) == 102 - len({e[3] for e in expected - renewed})
    for day, n in per_day.items():
        assert n == sum(1 for e in expected - renewed if e[3] == day), day
    # Replayed days send nothing again, a catch-up day included.
    for day in ("2022-10-01", "2022-12-27", "2022-12-28", "2023-01-07"):
        r = cli("alerts", "run", "--stdout", "--as-of", day, "--db", reference_url, *NY)
        assert (r.code, r.out, r.err) == (0, "", ""), day
    assert len(outbox(engine_for, reference_url)) == len(expected) + 1


def test_catch_up_sends_only_the_most_urgent_threshold(cli, reference_url, engine_for):
    r = cli("alerts", "run", "--stdout", "--as-of", "2023-01-05", "--db", reference_url, *NY)
    assert r.code == 0
    rows = outbox(engine_for, reference_url)
    assert sorted((r["kind"], r["threshold"]) for r in rows) == [("expiry", 7), ("review", 7)]
    assert "Bab al-Hawa expires in 5 days (S/RES/2642)" in r.out
    # The day after, 7 is still the most urgent reached threshold: nothing new.
    assert (
        cli("alerts", "run", "--stdout", "--as-of", "2023-01-06", "--db", reference_url, *NY).out
        == ""
    )


def test_the_digest_says_what_when_and_what_then(cli, reference_url):
    r = cli(
        "alerts", "run", "--stdout", "--as-of", "2022-12-27", "--db", reference_url,
        "--tz", "Europe/Istanbul",
    )  # fmt: skip
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0] == "Subject: corridor: Bab al-Hawa expires in 15 days (S/RES/2642) (+1 more)"
    assert "  expiry of S/RES/2642 (2022)" in lines
    assert "  date: 2023-01-10" in lines
    assert "  ends: 2023-01-11 08:00 +03 (Europe/Istanbul)" in lines
    assert "  days left: 15" in lines
    assert "  then: no authority after this instant unless renewed" in lines
    assert any(line.startswith("  source: ") for line in lines)
    assert lines[-1] == "-- corridor alerts run, as of 2022-12-27"


def test_an_end_of_authority_is_announced_then_its_reason_then_what_follows(cli, reference_url):
    """11 July 2023, live: S/RES/2672 ended at 24:00 New York on the 10th; the renewal was
    vetoed on the 11th (known from the end of that day); Syria's consent of the 13th (known
    from the end of that day in Damascus) carried Bab al-Hawa on."""
    run = ("alerts", "run", "--stdout", "--db", reference_url, *NY, "-c", "bab al hawa")
    r = cli("alerts", "run", "--stdout", "--as-of", "2023-07-11", "--db", reference_url, *NY)
    assert r.code == 0
    # The exact end instant, not "ended 1 day ago" (issue 15, item 7), and no reason yet.
    assert "Bab al-Hawa: authority ended 2023-07-10 24:00 New York; no renewal is recorded" in r.out
    assert "day ago" not in r.out
    # What only the record keeper can do is in a footer marked for them.
    field, keeper = r.out.split("For whoever keeps the record:\n")
    assert "corridor renew" not in field and "crossing checked" not in field
    assert "corridor renew …" in keeper and "corridor crossing checked …" in keeper
    assert r.out.startswith("Subject: corridor: Bab al-Hawa: authority ended 2023-07-10 24:00")
    again = cli("alerts", "run", "--stdout", "--as-of", "2023-07-11", "--db", reference_url, *NY)
    assert again.out == ""
    # The veto becomes known: one more message says why; it is never silence.
    why = cli("alerts", "run", "--stdout", "--as-of", "2023-07-12", "--db", reference_url, *NY)
    assert "the renewal was vetoed on 2023-07-11" in why.out
    assert "quiet it" not in why.out
    # The consent carries it on: one message closes the loop.
    after = cli("alerts", "run", "--stdout", "--as-of", "2023-07-14", "--db", reference_url, *NY)
    assert "Bab al-Hawa: continued to 2024-01-13 under Syria consent: Bab al-Hawa" in after.out
    later = cli("alerts", "run", "--stdout", "--as-of", "2023-07-15", "--db", reference_url, *NY)
    assert later.out == ""
    del run


def test_a_lapse_whose_reason_is_known_says_it_at_once(cli, reference_url):
    """As of 2022-07-11 S/RES/2585 had ended and a renewal had been vetoed on 07-08: the end
    is announced with its reason (never silenced by it), once; S/RES/2642 (adopted 07-12,
    known from the end of that day) closes the loop on the 13th."""
    r = cli("alerts", "run", "--stdout", "--as-of", "2022-07-11", "--db", reference_url, *NY)
    assert (
        "Bab al-Hawa: authority ended 2022-07-10 24:00 New York; the renewal was vetoed on "
        "2022-07-08" in r.out
    )
    assert "For whoever keeps the record:" not in r.out
    assert cli("alerts", "run", "--stdout", "--as-of", "2022-07-12", "--db", reference_url,
               *NY).out == ""  # fmt: skip
    after = cli("alerts", "run", "--stdout", "--as-of", "2022-07-13", "--db", reference_url, *NY)
    assert after.out.startswith(
        "Subject: corridor: Bab al-Hawa: renewed to 2023-01-10 by S/RES/2642\n"
    )


def test_lapse_repeats_and_its_repeat_is_configurable(cli, empty_url, tmp_path, monkeypatch):
    """A record that has fallen behind: S/RES/2585 ended, nothing recorded after it."""
    r = cli("import", str(_only_2585(tmp_path)), "--db", empty_url, "--yes")
    assert r.code == 0, r.err
    for day, shown in (("2022-07-11", True), ("2022-07-12", True), ("2022-07-12", False)):
        r = cli("alerts", "run", "--stdout", "--as-of", day, "--db", empty_url, *NY)
        assert ("no renewal is recorded" in r.out) is shown, day
    write_config(tmp_path, monkeypatch, "[alerts]\nlapse_repeat_days = 7\n")
    outs = [
        cli("alerts", "run", "--stdout", "--as-of", f"2022-07-{d}", "--db", empty_url, *NY).out
        for d in range(13, 21)
    ]
    assert [bool(o) for o in outs] == [False] * 5 + [True] + [False] * 2  # day 8 after the end
    assert "authority ended 2022-07-10 24:00 New York; no renewal is recorded" in outs[5]


def test_ack_quiets_until_the_date_given(cli, reference_url, engine_for):
    uid = _uid(cli, reference_url, "2022-12-27", "expiry")
    r = cli("alerts", "ack", uid, "--until", "2022-12-30", "--db", reference_url, *NY)
    assert r.code == 0, r.err
    assert "quiet until 2022-12-30" in r.err
    r = cli("alerts", "run", "--stdout", "--as-of", "2022-12-27", "--db", reference_url, *NY)
    assert "review point in 14 days" in r.out and "expires" not in r.out
    r = cli("alerts", "run", "--stdout", "--as-of", "2023-01-03", "--db", reference_url, *NY)
    assert "Bab al-Hawa expires in 7 days" in r.out
    # Without --until it lasts until the deadline's date.
    uid = _uid(cli, reference_url, "2022-12-01", "report")
    assert cli("alerts", "ack", uid, "--db", reference_url, *NY).code == 0
    r = cli("alerts", "run", "--stdout", "--as-of", "2022-12-09", "--db", reference_url, *NY)
    assert "report due" not in r.out


def test_ack_of_an_unknown_uid_is_not_found(cli, reference_url):
    r = cli("alerts", "ack", "expiry-nope@corridor", "--db", reference_url)
    assert r.code == 3 and 'no deadline has the uid "expiry-nope@corridor"' in r.err


def _uid(cli, url, as_of, kind) -> str:
    r = cli("upcoming", "--as-of", as_of, "--db", url, "--format", "json", *NY)
    return next(i["uid"] for i in json.loads(r.out)["items"] if i["kind"] == kind)


def test_dry_run_shows_what_and_to_whom_and_changes_nothing(cli, reference_url, engine_for):
    secret = "json://127.0.0.1:9/hook/abcdef0123456789secret?token=hunter22"
    r = cli(
        "alerts", "run", "--dry-run", "--to", secret, "--stdout", "--as-of", "2022-12-27",
        "--db", reference_url, *NY,
    )  # fmt: skip
    assert r.code == 0
    assert "=== to stdout (stdout): 2 alert(s)" in r.out
    assert "json://127.0.0.1:9/hook/ab***?token=***" in r.out
    assert "hunter22" not in r.out + r.err and "0123456789secret" not in r.out + r.err
    assert "Dry run: nothing was sent or recorded." in r.err
    assert outbox(engine_for, reference_url) == []


def test_no_recipients_is_an_error_not_silence(cli, reference_url):
    r = cli("alerts", "run", "--as-of", "2022-12-27", "--db", reference_url)
    assert r.code == 2
    assert "no alert recipients" in r.err and "--stdout" in r.err


def test_recipient_filters_and_thresholds_from_the_config(
    cli, reference_url, tmp_path, monkeypatch, engine_for
):
    write_config(
        tmp_path,
        monkeypatch,
        """
[alerts]
thresholds = [30, 7]

[[alerts.recipients]]
name = "ops"
url = "json://127.0.0.1:9/never"
crossings = ["bab al hawa"]
kinds = ["review"]
thresholds = [14]
timezone = "Asia/Damascus"

[[alerts.rules]]
instrument = "S/RES/2642"
thresholds = [20]
""",
    )
    r = cli(
        "alerts",
        "run",
        "--dry-run",
        "--stdout",
        "--as-of",
        "2022-12-27",
        "--db",
        reference_url,
        *NY,
    )
    assert r.code == 0, r.err
    # The instrument rule wins over both lists: 20 days reached for stdout and ops alike;
    # ops only gets the review point, shown in its own zone.
    assert "=== to ops (json://127.0.0.1:9/never): 1 alert(s)" in r.out
    assert "(Asia/Damascus)" in r.out
    assert r.out.count("quiet it:") == 3


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_config_with_recipients_readable_by_others_is_refused(
    cli, reference_url, tmp_path, monkeypatch, mode
):
    path = write_config(
        tmp_path,
        monkeypatch,
        '[[alerts.recipients]]\nname = "a"\nurl = "mailto://u:pw@example.org"\n',
        mode,
    )
    r = cli("alerts", "run", "--as-of", "2022-12-27", "--db", reference_url)
    assert r.code == 2
    assert "holds secrets but others can read it" in r.err and f"chmod 600 {path}" in r.err
    assert "pw@" not in r.err


@pytest.mark.parametrize(
    "text, words",
    [
        ('[alerts]\nthresholds = "soon"\n', "must be a list"),
        ("[alerts]\nthresholds = [30, -1]\n", "between 0 and 3660"),
        ('[[alerts.recipients]]\nname = "a"\n', 'has no "url"'),
        (
            '[[alerts.recipients]]\nname = "a"\nurl = "x://y"\nkinds = ["nope"]\n',
            'unknown kind "nope"',
        ),
        ("[alerts]\nfrequency = 3\n", 'unknown setting "frequency"'),
        ("[[alerts.rules]]\nthresholds = [3]\n", "one of crossing or instrument"),
    ],
)
def test_bad_alert_config_is_a_usage_error(cli, reference_url, tmp_path, monkeypatch, text, words):
    write_config(tmp_path, monkeypatch, text)
    r = cli("alerts", "run", "--stdout", "--db", reference_url)
    assert r.code == 2 and words in r.err, r.err


def test_status_shows_runs_sent_pending_and_redacts(cli, reference_url, tmp_path, monkeypatch):
    write_config(
        tmp_path,
        monkeypatch,
        '[alerts]\nheartbeat = "https://hc-ping.com/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab"\n'
        '[[alerts.recipients]]\nname = "team"\n'
        'url = "mailto://me:s3cretpass@127.0.0.1:9?to=x@example.org"\n',
    )
    assert cli("alerts", "status", "--db", reference_url).out.startswith("Last run: never")
    cli("alerts", "run", "--dry-run", "--stdout", "--db", reference_url)  # records nothing
    r = cli("alerts", "run", "--stdout", "--as-of", "2022-12-27", "--db", reference_url, "--to",
            "json://127.0.0.1:9/hook")  # fmt: skip
    assert r.code == 6  # nothing listens on port 9: that delivery failed
    r = cli("alerts", "status", "--db", reference_url)
    assert r.code == 0
    assert "(as of 2022-12-27): 6 queued, 2 sent, 2 failed" in r.out
    assert "  team: mailto://***@127.0.0.1:9?to=x@example.org" in r.out
    assert "Heartbeat: https://hc-ping.com/0f***" in r.out
    assert "s3cretpass" not in r.out and "0123456789ab" not in r.out
    assert "Last failure: to:" in r.out
    data = json.loads(cli("alerts", "status", "--db", reference_url, "-f", "json").out)
    assert len(data["waiting"]) == 4 and {w["status"] for w in data["waiting"]} == {"failed"}
    assert len(data["sent"]) == 2


def test_migration_0004_downgrades_and_upgrades(new_url):
    from alembic import command

    from corridor.db.connect import Location, make_engine
    from corridor.store.migrate import alembic_config, upgrade

    loc = Location(new_url, "test")
    upgrade(loc)
    engine = make_engine(loc)
    for target in ("0003", "head"):
        with engine.connect() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            (command.downgrade if target == "0003" else command.upgrade)(cfg, target)
            conn.commit()
            has = sa.inspect(conn).has_table("alert_outbox")
        assert has is (target == "head")
    engine.dispose()


def test_nothing_due_is_silent_even_from_a_subprocess(reference_url, tmp_path):
    import subprocess
    import sys

    env = dict(os.environ, CORRIDOR_CONFIG=str(tmp_path / "none.toml"))
    run = subprocess.run(
        [sys.executable, "-m", "corridor", "alerts", "run", "--stdout", "--as-of", "2021-09-01",
         "--db", reference_url],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_a_corrected_date_starts_the_thresholds_again(cli, reference_url):
    run = ("alerts", "run", "--stdout", "--db", reference_url, *NY, "--as-of")
    assert "Bab al-Hawa report due in 14 days" in cli(*run, "2022-11-26").out
    assert cli(*run, "2022-11-28").out == ""
    r = cli("correct", "2642", "reports[0].due=2022-12-12", "--yes", "--db", reference_url)
    assert r.code == 0, r.err
    # The report's date moved: it is a new (deadline, date); 14 days is reached again.
    assert "Bab al-Hawa report due in 14 days" in cli(*run, "2022-11-28").out
    assert cli(*run, "2022-11-28").out == ""


def test_stale_knowledge_alerts_once_when_configured(cli, reference_url, tmp_path, monkeypatch):
    run = ("alerts", "run", "--stdout", "--db", reference_url, *NY, "--as-of", "2025-03-01")
    first = cli(*run).out  # off unless configured; the ended authorities are announced
    assert "the record's knowledge of" not in first and "no renewal is recorded" in first
    write_config(tmp_path, monkeypatch, "[alerts]\nstale_after_days = 30\n")
    r = cli(*run)
    assert r.code == 0
    # The record's knowledge ends 2025-01-13 (2024-11-13 for the consent crossings).
    assert r.out.count("\n  the record's knowledge of ") == 5
    assert "the record's knowledge of Bab al-Hawa ends 2025-01-13, more than 30 days ago" in r.out
    assert cli(*run).out == ""
