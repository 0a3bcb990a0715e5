"""A quiet run is remembered (docs/alerts.md): a run with nothing to send keeps a memo, and
the next runs skip planning while the record's stamp stays the same and the instant is before
`quiet_until`. It must never silence an alert: a plan asked anywhere before quiet_until is
the plan asked when the memo was made, and cron with the memo sends exactly what cron without
it sends, through facts recorded from the CLI between runs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.core.quiet import Until
from corridor.core.terms import day_start, zone
from corridor.db.connect import Location, connect_reader
from corridor.services import alerts, alerts_quiet
from corridor.services.alerts_plan import Recipient, Settings, plan
from invented import _only_2585

NY = ("--tz", "America/New_York")
ZONES = ("America/New_York", "Asia/Damascus", "Asia/Kathmandu", "Pacific/Chatham", "UTC")
PLANNED = "Planned in full; remembered until"
RECALLED = "Not planned again"


def _uid(cli, url: str, kind: str, as_of: str) -> str:
    r = cli("upcoming", "--db", url, *NY, "--as-of", as_of, "-w", "400", "-f", "json")
    return next(i["uid"] for i in json.loads(r.out)["items"] if i["kind"] == kind)


def _keys(conn, at, recipients, settings_, until=None) -> list:
    found = plan(conn, at=at, recipients=recipients, settings=settings_, lazy=True, until=until)
    return sorted(a.key for a in found)


@st.composite
def _cases(draw, days: list[date]):
    names = draw(st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True))
    recipients = [Recipient(f"r{i}", None, n, zone(n)) for i, n in enumerate(names)]
    thresholds = tuple(draw(st.sets(st.integers(0, 120), min_size=1, max_size=6)))
    settings_ = Settings(
        thresholds=thresholds,
        lapse_repeat_days=draw(st.sampled_from((0, 1, 2, 7))),
        stale_after_days=draw(st.sampled_from((None, 30))),
    )
    if draw(st.booleans()):  # anywhere in the record's years
        start = datetime(2014, 6, 1, tzinfo=UTC)
        at = start + timedelta(seconds=draw(st.integers(0, 13 * 365 * 86_400)))
    else:  # up to two days before a threshold is reached in a recipient's zone
        day = draw(st.sampled_from(days)) - timedelta(days=draw(st.sampled_from(thresholds)))
        reached = day_start(day, draw(st.sampled_from(recipients)).tz)
        at = reached - timedelta(seconds=draw(st.integers(1, 2 * 86_400)))
    fractions = draw(st.lists(st.floats(0, 1, exclude_max=True), min_size=2, max_size=2))
    return at, recipients, settings_, fractions


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_plan_asked_before_quiet_until_is_the_plan_at_the_memo(reference_url, data):
    """On the reference record, at random instants (and just before thresholds are reached),
    for random recipients and settings: the alerts planned anywhere in [at, quiet_until) are
    those planned at `at` (its last microsecond included)."""
    with connect_reader(Location(reference_url, "test")) as conn:
        days = sorted({r.due_date for r in conn.rows("SELECT due_date FROM deadlines")})
        at, recipients, settings_, fractions = data.draw(_cases(days))
        until = Until(at)
        then = _keys(conn, at, recipients, settings_, until)
        limit = alerts_quiet.quiet_until(conn, at, recipients, until)
        assert at < limit <= at + timedelta(days=1)
        span = limit - at
        for t in [at + span * f for f in fractions] + [limit - timedelta(microseconds=1)]:
            assert _keys(conn, t, recipients, settings_) == then, (at, t, limit)


def test_a_threshold_reached_at_a_recipients_midnight_ends_the_memo(reference_url):
    """Kathmandu is UTC+5:45: no stored instant falls on its midnights. S/RES/2642's authority
    ends at 24:00 New York on 2023-01-10, 10:45 on the 11th in Kathmandu: its 7-day threshold
    is reached there on the 4th, at 2023-01-03 18:15 UTC."""
    ktm = Recipient("ktm", None, "Asia/Kathmandu", zone("Asia/Kathmandu"))
    reached = day_start(date(2023, 1, 4), ktm.tz)
    at = reached - timedelta(hours=6)
    with connect_reader(Location(reference_url, "test")) as conn:
        until = Until(at)
        before = _keys(conn, at, [ktm], Settings(), until)
        assert alerts_quiet.quiet_until(conn, at, [ktm], until) == reached
        assert _keys(conn, reached, [ktm], Settings()) != before


def test_quiet_until_stops_at_a_fact_recorded_with_its_instant(cli, empty_url, tmp_path):
    """A renewal adopted at 15:05 New York (19:05 UTC) is known from that instant: a memo made
    at 18:00 UTC lasts until 19:05, not until a midnight, and the run at 19:05 says so."""
    assert cli("import", str(_only_2585(tmp_path)), "--db", empty_url, "--yes").code == 0
    r = cli("renew", "2585", "-s", "S/RES/2642 (2022)", "--adopted", "2022-07-12T15:05-04:00",
            "--for", "6mo", "--db", empty_url)  # fmt: skip
    assert r.code == 0, r.err
    run = ("alerts", "run", "--stdout", "-v", "--db", empty_url, *NY, "--as-of")
    assert "no renewal is recorded" in cli(*run, "2022-07-11T12:00Z").out
    assert "no renewal is recorded" in cli(*run, "2022-07-12T12:00Z").out  # it repeats daily
    quiet = cli(*run, "2022-07-12T18:00Z")
    assert quiet.out == "" and f"{PLANNED} 2022-07-12 15:05 EDT" in quiet.err
    assert RECALLED in cli(*run, "2022-07-12T19:04:59Z").err
    renewed = cli(*run, "2022-07-12T19:05Z")
    assert renewed.out.startswith("Subject: corridor: Bab al-Hawa: renewed to 2023-01-10")


def test_any_change_to_the_record_or_the_outbox_plans_again(cli, reference_url, tmp_path):
    """The stamp moves on every write, whoever makes it: an edit, an acknowledgement; and a
    different set of recipients has a memo of its own."""
    run = ("alerts", "run", "--stdout", "-v", "--db", reference_url, *NY, "--as-of")
    assert cli(*run, "2022-11-26").out  # sends what is due
    assert PLANNED in cli(*run, "2022-11-26T06:00Z").err
    assert RECALLED in cli(*run, "2022-11-26T07:00Z").err
    r = cli("correct", "2642", "reports[0].due=2022-12-12", "--yes", "--db", reference_url)
    assert r.code == 0, r.err
    moved = cli(*run, "2022-11-26T08:00Z")
    assert "Bab al-Hawa report due in 16 days" in moved.out  # a new date: thresholds again
    assert PLANNED in cli(*run, "2022-11-26T09:00Z").err
    r = cli(
        "alerts", "ack", _uid(cli, reference_url, "report", "2022-11-26"), "--db", reference_url
    )
    assert r.code == 0, r.err
    assert PLANNED in cli(*run, "2022-11-26T10:00Z").err
    assert RECALLED in cli(*run, "2022-11-26T11:00Z").err
    # Another zone is another recipient: it plans for itself.
    other = ("alerts", "run", "--stdout", "-v", "--db", reference_url, "--tz", "Asia/Damascus")
    assert PLANNED in cli(*other, "--as-of", "2022-11-26T12:00Z").err
    del r


def test_a_waiting_row_is_never_remembered(cli, reference_url, engine_for):
    """A row claimed by a run still delivering has a lease that ends on its own clock: a run
    that finds it has nothing to send now, and keeps no memo."""
    cli("alerts", "run", "--stdout", "--as-of", "2022-11-26", "--db", reference_url, *NY)
    at = datetime(2022, 11, 26, 12, tzinfo=UTC)
    stdout = [Recipient("stdout", None, NY[1], zone(NY[1]))]

    def work():
        with connect_reader(Location(reference_url, "test")) as conn:
            return alerts.work(conn, at=at, recipients=stdout, settings=Settings(), now=at)

    assert work().empty and work().keep is not None  # nothing waits: remembered
    with engine_for(reference_url).begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE alert_outbox SET status = 'sending', claimed_at = :now"
                " WHERE id = (SELECT MAX(id) FROM alert_outbox)"
            ),
            {"now": datetime.now(UTC)},
        )
    busy = work()
    assert busy.empty and busy.keep is None


def test_the_memo_can_be_turned_off(cli, reference_url, tmp_path, monkeypatch):
    path = tmp_path / "corridor.toml"
    path.write_text("[alerts]\nremember_quiet = false\n")
    path.chmod(0o600)
    monkeypatch.setenv("CORRIDOR_CONFIG", str(path))
    run = ("alerts", "run", "--stdout", "-v", "--db", reference_url, *NY, "--as-of")
    cli(*run, "2026-06-01")
    for t in ("2026-06-01T01:00Z", "2026-06-01T02:00Z"):
        err = cli(*run, t).err
        assert PLANNED not in err and RECALLED not in err


def _schedule() -> list[str]:
    """Every two hours from 9 to 15 July 2022, and the instants around the end of S/RES/2585
    (24:00 New York on the 10th) and the adoption of S/RES/2642 (15:05 New York on the 12th)."""
    start = datetime(2022, 7, 9, tzinfo=UTC)
    instants = {start + timedelta(hours=2 * n) for n in range(6 * 12)}
    for edge in (datetime(2022, 7, 11, 4, tzinfo=UTC), datetime(2022, 7, 12, 19, 5, tzinfo=UTC)):
        instants |= {edge - timedelta(microseconds=1), edge, edge + timedelta(minutes=1)}
    return [t.isoformat().replace("+00:00", "Z") for t in sorted(instants)]


def test_cron_with_the_memo_sends_what_cron_without_it_sends(cli, databases, tmp_path, monkeypatch):
    """Two copies of a record that has fallen behind at S/RES/2585, one run with the memo and
    one without, through the same simulated cron. A renewal is recorded from the CLI before the
    run on the 12th; an acknowledgement on the 14th. Every run prints the same alerts."""
    on, off = tmp_path / "on.toml", tmp_path / "off.toml"
    on.write_text("[alerts]\nlapse_repeat_days = 1\n")
    off.write_text("[alerts]\nlapse_repeat_days = 1\nremember_quiet = false\n")
    for p in (on, off):
        p.chmod(0o600)
    urls = {on: databases.clone("migrated"), off: databases.clone("migrated")}
    record = _only_2585(tmp_path)
    recalled = 0
    for config, url in urls.items():
        monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
        assert cli("import", str(record), "--db", url, "--yes").code == 0
    for at in _schedule():
        said = {}
        for config, url in urls.items():
            monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
            if at == "2022-07-12T12:00:00Z":
                r = cli("renew", "2585", "-s", "S/RES/2642 (2022)", "--adopted",
                        "2022-07-12T15:05-04:00", "--for", "6mo", "--db", url)  # fmt: skip
                assert r.code == 0, r.err
            if at == "2022-07-14T00:00:00Z":
                uid = _uid(cli, url, "expiry", at)
                assert cli("alerts", "ack", uid, "--db", url).code == 0
            r = cli("alerts", "run", "--stdout", "-v", "--db", url, *NY, "--as-of", at)
            assert r.code == 0, r.err
            said[config] = r.out
            recalled += config == on and RECALLED in r.err
        assert said[on] == said[off], at
    assert recalled > len(_schedule()) // 2  # the memo did spare most runs their plan


def test_alerts_status_shows_a_memo_in_force(cli, reference_url):
    """Asked now: the first run sends what is due today, the second finds nothing new and
    leaves a memo, which `alerts status` shows until its quiet_until."""
    run = ("alerts", "run", "--stdout", "--db", reference_url, *NY)
    cli(*run)
    assert cli(*run).out == ""
    status = cli("alerts", "status", "--db", reference_url, "--format", "json")
    (memo,) = json.loads(status.out)["quiet"]
    checked, until = (datetime.fromisoformat(memo[k]) for k in ("checked_at", "quiet_until"))
    assert checked <= datetime.now(UTC) < until
    text = cli("alerts", "status", "--db", reference_url).out
    assert "Remembered: nothing due until " in text and "unless the record changes" in text
    # A change ends it.
    assert cli("crossing", "alias", "bab al hawa", "Memo gate", "--db", reference_url).code == 0
    assert (
        json.loads(cli("alerts", "status", "--db", reference_url, "-f", "json").out)["quiet"] == []
    )
