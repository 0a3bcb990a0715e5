"""The real CLI, through its one error boundary: exact stdout, stderr and exit codes."""

from __future__ import annotations

import json

import pytest

from conftest import IS_PG, TEST_NOW
from corridor.core.errors import EXIT_DATABASE, EXIT_NOT_FOUND, EXIT_USAGE
from corridor.db.connect import SCHEMA_HEAD

NY = ("--tz", "America/New_York")


def test_upcoming_table_exact(cli, reference_url):
    r = cli("upcoming", "--db", reference_url, "--as-of", "2022-11-20", "--within", "60", *NY)
    assert r.code == 0
    assert r.err == ""
    assert r.out == (
        "DATE        LEFT  KIND    CROSSINGS    INSTRUMENT         ENDS                  NOTE\n"
        "2022-12-10  20d   report  Bab al-Hawa  S/RES/2642 (2022)  2022-12-11 00:00 EST  "
        "report due: Secretary-General's special report on humanitarian needs. "
        # 2022-12-10 was a Saturday: flagged, never moved (docs/records.md, Working days)
        "Saturday is not a working day (UN Security Council: weekend Sat-Sun); the last "
        "working day before it is Friday 2022-12-09\n"
        "2023-01-10  51d   expiry  Bab al-Hawa  S/RES/2642 (2022)  2023-01-11 00:00 EST  "
        "expires unless continued at the 2023-01-10 review: a second six-month extension will "
        "require a separate resolution\n"
        "2023-01-10  51d   review  Bab al-Hawa  S/RES/2642 (2022)  2023-01-11 00:00 EST  "
        "review: a second six-month extension will require a separate resolution\n"
    )


def test_upcoming_json_contract(cli, reference_url):
    r = cli(
        "upcoming",
        "--db",
        reference_url,
        "--as-of",
        "2022-12-20",
        "--within",
        "30",
        "--tz",
        "Europe/Istanbul",
        "--format",
        "json",
    )
    assert r.code == 0 and r.err == ""
    data = json.loads(r.out)
    assert data["as_of"] == "2022-12-20"
    assert data["timezone"] == "Europe/Istanbul"
    assert data["within_days"] == 30
    first = data["items"][0]
    assert first["date"] == "2023-01-10"
    assert first["kind"] == "expiry"
    assert first["crossings"] == ["Bab al-Hawa"]
    assert first["instrument"] == "S/RES/2642 (2022)"
    assert first["days_left"] == 22  # the last covered moment is 08:00 on 11 January in Istanbul
    assert first["due_at"] == "2023-01-11T05:00:00Z"
    assert first["due_local"] == "2023-01-11T08:00:00+03:00"
    assert {"note", "authority_timezone", "uid", "conditional", "crossing_slugs"} <= set(first)


def test_upcoming_csv(cli, reference_url):
    r = cli(
        "upcoming",
        "--db",
        reference_url,
        "--as-of",
        "2023-04-20",
        "--within",
        "30",
        "--kind",
        "expiry",
        *NY,
        "-f",
        "csv",
    )
    assert r.code == 0
    assert r.out.splitlines() == [
        "date,days_left,kind,crossings,instrument,due_local,note",
        "2023-05-13,23,expiry,Al-Rai; Bab al-Salam,Syria consent: Bab al-Salam and Al-Rai "
        '(2023-02-13),2023-05-13T17:00:00-04:00,"authorization ends (three months, '
        '2023-02-13 to 2023-05-13)"',
    ]


@pytest.mark.parametrize("within", ["6mo", "181d", "181"])
def test_within_accepts_days_and_months(cli, reference_url, within):
    r = cli(
        "upcoming",
        "--db",
        reference_url,
        "--as-of",
        "2021-07-26",
        "--within",
        within,
        *NY,
        "-f",
        "json",
        "--kind",
        "review",
    )
    assert r.code == 0
    assert [i["date"] for i in json.loads(r.out)["items"]] == ["2022-01-10"]


def test_empty_window_is_silent_on_stdout_and_says_so_on_stderr(cli, reference_url):
    r = cli("upcoming", "--db", reference_url, "--as-of", "2016-03-01", "--within", "30", *NY)
    assert (r.code, r.out) == (0, "")
    assert r.err == "Nothing due in the next 30 days (as of 2016-03-01, America/New_York).\n"


def test_after_the_record_ends_the_tool_says_so(cli, reference_url):
    r = cli("upcoming", "--db", reference_url, "--as-of", "2026-11-24", *NY)
    assert (r.code, r.out) == (0, "")
    notes = [line for line in r.err.splitlines() if line.startswith("Note:")]
    assert notes == [
        "Note: no renewal of Al-Rai, Bab al-Salam is recorded after its authority ended on "
        '2024-11-13. Record the renewal, or confirm the lapse with "corridor crossing checked '
        'NAME --on DATE".',
        "Note: no renewal of Bab al-Hawa is recorded after its authority ended on 2025-01-13. "
        'Record the renewal, or confirm the lapse with "corridor crossing checked NAME --on '
        'DATE".',
    ]  # Al Yarubiyah and Al-Ramtha lapsed for a known reason: dropped by S/RES/2504


def test_status_json_contract(cli, reference_url):
    r = cli("status", "--db", reference_url, "--as-of", "2023-07-12", *NY, "-f", "json")
    assert r.code == 0 and r.err == ""
    items = {i["crossing"]: i for i in json.loads(r.out)["items"]}
    assert set(items) == {"Al Yarubiyah", "Al-Rai", "Al-Ramtha", "Bab al-Hawa", "Bab al-Salam"}
    hawa = items["Bab al-Hawa"]
    assert (hawa["authorized"], hawa["until"], hawa["instruments"]) == (False, None, [])
    assert hawa["lapsed_since"] == "2023-07-11"
    salam = items["Bab al-Salam"]
    assert salam["authorized"] is True
    assert salam["until"] == "2023-08-13"
    assert salam["instruments"] == [
        "Syria consent: Bab al-Salam and Al-Rai, extension 1 (to 2023-08-13)"
    ]


def test_status_table_exact(cli, reference_url):
    r = cli("status", "--db", reference_url, "--as-of", "2022-12-20", *NY)
    assert r.code == 0 and r.err == ""
    assert r.out.splitlines() == [
        "CROSSING      STATUS      UNTIL       ENDS                  LEFT  NOTE",
        "Al Yarubiyah  lapsed      -           -                     -     "
        "authority ended 2020-01-10 (last: S/RES/2449 (2018)); dropped by S/RES/2504 (2020) on "
        "2020-01-10",
        "Al-Rai        never       -           -                     -     "
        "never authorized in the record",
        "Al-Ramtha     lapsed      -           -                     -     "
        "authority ended 2020-01-10 (last: S/RES/2449 (2018)); dropped by S/RES/2504 (2020) on "
        "2020-01-10",
        "Bab al-Hawa   authorized  2023-01-10  2023-01-11 00:00 EST  21d   by S/RES/2642 (2022); "
        "review 2023-01-10: a second six-month extension will require a separate resolution",
        "Bab al-Salam  lapsed      -           -                     -     "
        "authority ended 2020-07-10 (last: S/RES/2504 (2020)); dropped by S/RES/2533 (2020) on "
        "2020-07-11",
    ]


@pytest.mark.parametrize(
    "name", ["cilvegozu", "Cilvegözü", "bab el hawa", "باب الهوى", "BAB AL-HAWA", "bab-al-hawa"]
)
def test_crossing_names_resolve_through_aliases(cli, reference_url, name):
    r = cli(
        "status",
        "--db",
        reference_url,
        "--crossing",
        name,
        "--as-of",
        "2022-12-20",
        *NY,
        "-f",
        "json",
    )
    assert r.code == 0, r.err
    assert [i["crossing"] for i in json.loads(r.out)["items"]] == ["Bab al-Hawa"]


def test_crossing_show(cli, reference_url):
    r = cli("crossing", "show", "cilvegozu", "--db", reference_url, "--as-of", "2022-08-01", *NY)
    assert r.code == 0 and r.err == ""
    lines = r.out.splitlines()
    assert lines[0] == "Bab al-Hawa (SY-TR)"
    assert (
        "As of 2022-08-01: authorized until 2023-01-10 (162 days left; ends 2023-01-11 00:00 "
        "EST) by S/RES/2642 (2022)"  # the same form as the tables' ENDS cells
    ) in lines
    assert "  2022-07-11  gap     gap: no authority on 2022-07-11 (1 day)" in lines
    assert any(
        line.startswith(
            "  2020-07-11  gap     gap in what was known: authority lapsed at 2020-07-11 00:00 "
            "EDT; S/RES/2533 (2020), adopted later that day, covers it back to 2020-07-11"
        )
        for line in lines
    )


def test_crossing_show_json(cli, reference_url):
    r = cli(
        "crossing",
        "show",
        "Al-Rai",
        "--db",
        reference_url,
        "--as-of",
        "2024-12-01",
        *NY,
        "-f",
        "json",
    )
    data = json.loads(r.out)
    assert data["crossing"] == "Al-Rai"
    assert data["now"]["state"] == "unrenewed"
    assert data["now"]["record_ends"] == "2024-11-13"
    assert [e["date"] for e in data["history"] if e["kind"] == "period"][0] == "2023-02-13"


# ---------------------------------------------------------------- errors: no tracebacks


def test_unknown_crossing_suggests(cli, reference_url):
    r = cli("status", "--db", reference_url, "--crossing", "bab al hawwa")
    assert (r.code, r.out) == (EXIT_NOT_FOUND, "")
    assert r.err == (
        'Error: no crossing matches "bab al hawwa"\n  did you mean: Bab al-Hawa, Bab al-Salam?\n'
    )


@pytest.mark.parametrize(
    "date,message",
    [
        (
            "2023-02-30",
            'Error: --as-of "2023-02-30" is not a real date (day is out of range for '
            "month)\n  check the day and month\n",
        ),
        (
            "10/01/2023",
            'Error: --as-of "10/01/2023" is not a date in YYYY-MM-DD form\n'
            "  for example 2023-07-10\n",
        ),
    ],
)
def test_bad_dates(cli, reference_url, date, message):
    r = cli("upcoming", "--db", reference_url, "--as-of", date)
    assert (r.code, r.out, r.err) == (EXIT_USAGE, "", message)


def test_bad_timezone(cli, reference_url):
    r = cli("status", "--db", reference_url, "--tz", "Mars/Olympus")
    assert r.code == EXIT_USAGE
    assert r.err.startswith('Error: unknown timezone "Mars/Olympus" (from --tz)\n  use an IANA')


def test_bad_within_and_kind(cli, reference_url):
    r = cli("upcoming", "--db", reference_url, "--within", "soon")
    assert r.code == EXIT_USAGE and r.err.startswith('Error: --within "soon" is not a length')
    r = cli("upcoming", "--db", reference_url, "--kind", "expiry,deadline")
    assert r.code == EXIT_USAGE and r.err.startswith('Error: unknown deadline kind "deadline"')


def test_unreachable_database(cli):
    r = cli("upcoming", "--db", "postgresql://nobody@127.0.0.1:9/nothing")
    assert r.code == EXIT_DATABASE
    assert r.err.startswith(
        "Error: cannot use the database postgresql+psycopg://nobody@127.0.0.1"
        ":9/nothing (from --db): "
    )
    assert "Traceback" not in r.err


def test_missing_folder_for_sqlite(cli, tmp_path):
    r = cli("status", "--db", str(tmp_path / "nope" / "x.sqlite3"))
    assert r.code == EXIT_DATABASE
    assert "does not exist" in r.err


def test_usage_errors_exit_2_without_traceback(cli):
    r = cli("upcoming", "--bogus")
    assert r.code == EXIT_USAGE
    assert "No such option: --bogus" in r.err and "Traceback" not in r.err


def test_wrong_schema_version_is_reported(cli, reference_url, engine_for):
    with engine_for(reference_url).begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    r = cli("status", "--db", reference_url)
    assert r.code == EXIT_DATABASE
    assert "which this corridor does not know" in r.err


# ---------------------------------------------------------------- database location


def test_db_path_resolution_order(cli, monkeypatch, tmp_path):
    r = cli("db", "path", "-f", "json")
    assert json.loads(r.out)["source"].startswith("default")
    config = tmp_path / "c.toml"
    config.write_text('database_url = "sqlite:///from-config.sqlite3"\n')
    monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
    assert json.loads(cli("db", "path", "-f", "json").out)["url"] == "sqlite:///from-config.sqlite3"
    monkeypatch.setenv("CORRIDOR_DATABASE_URL", "sqlite:///from-env.sqlite3")
    assert json.loads(cli("db", "path", "-f", "json").out)["url"] == "sqlite:///from-env.sqlite3"
    r = cli("db", "path", "--db", "sqlite:///from-flag.sqlite3")
    assert (r.out, r.err) == ("sqlite:///from-flag.sqlite3\n", "(from --db)\n")


def test_bad_config_is_named(cli, monkeypatch, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('timezon = "Europe/Istanbul"\n')
    monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
    r = cli("status")
    assert r.code == EXIT_USAGE
    assert r.err.startswith(f'Error: unknown setting "timezon" in {config}')


def test_timezone_order_flag_env_config(cli, reference_url, monkeypatch, tmp_path):
    def zone_used(*extra):
        r = cli("status", "--db", reference_url, "--as-of", "2022-12-20", "-f", "json", *extra)
        return json.loads(r.out)["timezone"]

    assert zone_used() == "UTC"  # the system zone (TZ=UTC in tests)
    config = tmp_path / "c.toml"
    config.write_text('timezone = "Asia/Damascus"\n')
    monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
    assert zone_used() == "Asia/Damascus"
    monkeypatch.setenv("CORRIDOR_TZ", "Europe/Istanbul")
    assert zone_used() == "Europe/Istanbul"
    assert zone_used("--tz", "America/New_York") == "America/New_York"


def test_first_use_creates_and_loads(cli, new_url):
    r = cli("status", "--db", new_url, "--as-of", "2022-12-20", "-f", "json")
    assert r.code == 0
    assert r.err.startswith("Created a new corridor database at ")
    assert "loaded the bundled reference dataset" in r.err
    assert len(json.loads(r.out)["items"]) == 5
    again = cli("status", "--db", new_url, "--as-of", "2022-12-20", "-f", "json")
    assert (again.err, again.out) == ("", r.out)


def test_first_use_can_stay_empty(cli, new_url, monkeypatch):
    monkeypatch.setenv("CORRIDOR_REFERENCE", "0")
    r = cli("status", "--db", new_url)
    assert r.code == 0
    assert "left it empty" in r.err
    assert r.err.endswith("The record has no crossings. Add one, or import a record.\n")


def test_db_upgrade_empty_and_current(cli, new_url):
    expected = (  # a PostgreSQL database that exists, or a SQLite file that does not yet
        "none (new database)\n"
        if IS_PG
        else "none (no database file yet: the first command that needs it creates it)\n"
    )
    assert cli("db", "current", "--db", new_url).out == expected
    r = cli("db", "upgrade", "--empty", "--db", new_url)
    assert (r.code, r.err) == (0, f"Schema migrated from nothing to {SCHEMA_HEAD}.\n")
    assert cli("crossing", "list", "--db", new_url, "-f", "json").out == '{"items": []}\n'
    assert cli("db", "current", "--db", new_url).out == f"{SCHEMA_HEAD} (up to date)\n"
    assert cli("db", "upgrade", "--db", new_url).err == (
        f"Schema already at {SCHEMA_HEAD}: nothing to do.\n"
    )
    assert cli("crossing", "list", "--db", new_url, "-f", "json").out == '{"items": []}\n'


def test_reference_load_is_idempotent(reference_url, engine_for):
    from corridor.store.writer import load_reference

    summary = load_reference(engine_for(reference_url), TEST_NOW)
    assert summary.changed == 0
    assert summary.unchanged == 1 + 5 + 21 + 10  # the dataset counts too


def _command_paths(command, prefix=()):
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        yield prefix
        return
    for name, sub in subcommands.items():
        yield from _command_paths(sub, (*prefix, name))


def test_every_command_has_help_with_an_example(cli):
    """Walks the real command tree, so a new command without an example fails here."""
    import typer

    from corridor.cli.app import app
    from corridor.cli.main import register_commands

    register_commands(["--help"])
    paths = list(_command_paths(typer.main.get_command(app)))
    assert len(paths) >= 19  # 2 reports, 2 crossing, 3 db, 12 editing and record commands
    for path in paths:
        r = cli(*path, "--help")
        assert r.code == 0, path
        assert "Example" in r.out, path
        assert "corridor " + " ".join(path) in r.out.split("Example", 1)[1], path


def test_version(cli):
    r = cli("--version")
    assert (r.code, r.out) == (0, "corridor 0.1.0\n")


def test_db_upgrade_loads_the_reference_on_a_new_database(cli, new_url):
    r = cli("db", "upgrade", "--db", new_url)
    assert r.err == (
        f"Schema migrated from nothing to {SCHEMA_HEAD}.\nLoaded the bundled reference dataset.\n"
    )
    assert len(json.loads(cli("crossing", "list", "--db", new_url, "-f", "json").out)["items"]) == 5


def test_only_clock_asks_the_time():
    """docs/time.md: time is an input; exactly one module asks the clock."""
    from pathlib import Path

    import corridor

    calls = (
        "datetime.now(",
        "date.today(",
        "time.time(",
        ".utcnow(",
        "pendulum.now(",
        "pendulum.today(",
    )
    offenders = [
        f"{path.name}: {call}"
        for path in Path(corridor.__file__).parent.glob("*.py")
        if path.name != "clock.py"
        for call in calls
        if call in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_unknown_crossing_on_an_empty_record(cli, empty_url):
    r = cli("status", "--db", empty_url, "--crossing", "Bab al-Hawa")
    assert (r.code, r.out) == (EXIT_NOT_FOUND, "")
    assert r.err == (
        'Error: no crossing matches "Bab al-Hawa"\n  run "corridor status" to list the crossings\n'
    )


def test_concurrent_first_use_creates_the_database_once(new_url, tmp_path):
    """Cron jobs starting together on a new database: none fails, one creates it."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, CORRIDOR_CONFIG=str(tmp_path / "none.toml"))
    argv = [
        sys.executable,
        "-m",
        "corridor",
        "status",
        "--db",
        new_url,
        "--as-of",
        "2022-12-20",
        "-f",
        "json",
    ]
    procs = [
        subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path
        )
        for _ in range(4)
    ]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    assert [code for code, _out, _err in results] == [0, 0, 0, 0], [e for _c, _o, e in results]
    assert sum("Created a new corridor database" in err for _c, _o, err in results) == 1
    assert len({out for _c, out, _e in results}) == 1
