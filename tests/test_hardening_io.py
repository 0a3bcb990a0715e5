"""Input/output hardening (README "Limits" and "Guarantees"): terminal safety, private files,
redaction of credentials, special files, one set of limits on both backends, round trips."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import IS_PG

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\r\x9b31m\u202e"
RAW = ["\x1b", "\x07", "\r", "\x9b", "\u202e"]


def _poison(engine_for, url: str) -> None:
    """Store hostile text as a database written before these rules existed would hold it."""
    with engine_for(url).begin() as conn:
        conn.execute(
            sa.text("UPDATE crossings SET name = :n, notes = :m WHERE slug = 'bab-al-hawa'"),
            {"n": f"Bab{HOSTILE} al-Hawa", "m": f"Bab{HOSTILE} al-Hawa"},
        )
        conn.execute(
            sa.text("UPDATE instruments SET symbol = :s WHERE symbol = 'S/RES/2672 (2023)'"),
            {"s": f"S/RES/2672{HOSTILE} (2023)"},
        )
        conn.execute(sa.text("UPDATE changes SET changed_by = :b"), {"b": f"mallory{HOSTILE}"})


def _clean(text: str) -> None:
    for char in RAW:
        assert char not in text, f"raw {char!r} reached the terminal: {text[:300]!r}"


@pytest.mark.parametrize(
    "args",
    [
        ["crossing", "list"],
        ["crossing", "list", "-f", "csv"],
        ["crossing", "show", "bab-al-hawa"],
        ["status", "--as-of", "2023-07-01"],
        ["status", "--as-of", "2023-07-01", "-f", "csv"],
        ["upcoming", "--as-of", "2023-07-01", "--within", "60"],
        ["upcoming", "--as-of", "2023-07-01", "--within", "60", "-f", "csv"],
        ["log", "-n", "3"],
        ["timeline", "--as-of", "2023-07-01", "--width", "200"],
        ["instrument", "show", "2672"],
        ["instrument", "list"],
        ["upcoming", "--as-of", "2023-07-01", "--within", "60", "--format", "ics"],
        [
            "correct",
            "S/RES/2672]0;pwned (2023)",
            "notes=x",
            "--yes",
        ],  # "did you mean" the hostile one
    ],
    ids=lambda a: "-".join(a[:3]),
)
def test_stored_control_characters_never_reach_the_terminal(args, cli, reference_url, engine_for):
    _poison(engine_for, reference_url)
    r = cli(*args, "--db", reference_url)
    assert r.code in (0, 3), r.err
    _clean(r.out.replace("\r\n", "\n") if "ics" in args else r.out)  # RFC 5545 lines end CRLF
    _clean(r.err)
    assert "\\x1b" in r.out + r.err or "\\u202e" in r.out + r.err  # shown, visibly escaped


@pytest.mark.parametrize(
    "args",
    [
        ["crossing", "list", "-f", "json"],
        ["crossing", "show", "bab-al-hawa", "-f", "json"],
        ["status", "--as-of", "2023-07-01", "-f", "json"],
        ["log", "-n", "2", "-f", "json"],
    ],
    ids=lambda a: "-".join(a[:2]),
)
# `export` is not here: it writes the record format, where a refused character stored by an
# older corridor is written as its visible escape so that the file imports again
# (docs/format.md, "Limits"; tests/test_limits.py).
def test_json_escapes_c1_and_bidi_but_keeps_the_value(args, cli, reference_url, engine_for):
    _poison(engine_for, reference_url)
    r = cli(*args, "--db", reference_url)
    assert r.code == 0, r.err
    _clean(r.out)
    assert HOSTILE in r.out.encode().decode("unicode_escape", "ignore") or HOSTILE in json.dumps(
        json.loads(r.out), ensure_ascii=False
    )


def test_arabic_names_pass_through_unescaped(cli, reference_url):
    r = cli("crossing", "list", "--db", reference_url)
    assert "باب الهوى" in r.out and "\\u" not in r.out


def test_safe_escapes_only_what_is_unsafe():
    from corridor.present.safe import safe

    assert safe("باب السلامة Öncüpınar") == "باب السلامة Öncüpınar"
    assert safe("a\x1bb\x9bc\u202ed\udcffe") == "a\\x1bb\\x9bc\\u202ed\\udcffe"
    assert safe("two\nlines") == "two\nlines" and safe("x\ny\tz", newlines=False) == "x\\ny\\tz"


# ---------------------------------------------------------------- private files


@pytest.mark.skipif(IS_PG or os.name != "posix", reason="SQLite files on POSIX")
def test_new_sqlite_record_and_its_folder_are_private(cli, tmp_path):
    r = cli("crossing", "list")  # the default database in the (test) user data dir
    assert r.code == 0, r.err
    folder = tmp_path / "data" / "corridor"
    db = folder / "corridor.sqlite3"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS probe (x)")
    conn.execute("INSERT INTO probe VALUES (1)")
    conn.commit()
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db}{suffix}")
        assert side.exists() and stat.S_IMODE(side.stat().st_mode) == 0o600, suffix
    conn.close()


@pytest.mark.skipif(IS_PG or os.name != "posix", reason="SQLite files on POSIX")
def test_a_database_named_with_db_is_created_private(cli, tmp_path):
    path = tmp_path / "team.sqlite3"
    assert cli("db", "upgrade", "--empty", "--db", str(path)).code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_config_file_with_secrets_must_be_private(cli, tmp_path, monkeypatch):
    from corridor.cli.config import check_private
    from corridor.core.errors import UsageError

    config = tmp_path / "config.toml"
    config.write_text('database_url = "postgresql://alice:S3cret@127.0.0.1:1/c"\n')
    config.chmod(0o644)
    with pytest.raises(UsageError) as caught:
        check_private(config)
    assert f"chmod 600 {config}" in caught.value.hint
    monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
    r = cli("db", "path")
    assert r.code == 2 and "chmod 600" in r.err and "S3cret" not in r.err + r.out
    config.chmod(0o600)
    check_private(config)
    r = cli("db", "path")
    assert r.code == 0 and "S3cret" not in r.out + r.err and "alice:***@" in r.out


# ---------------------------------------------------------------- credentials


REDACTED = [
    ("postgresql://alice@h/c?password=S3cret", "postgresql+psycopg://alice@h/c?password=***"),
    ("postgresql://alice:S3cret@h/c", "postgresql+psycopg://alice:***@h/c"),
    ("postgresql://alice:S3@cr@t@h/c", "postgresql+psycopg://alice:***@h/c"),
    ("postgresql://alice:S3/cr:et@h:5432/c", "postgresql+psycopg://alice:***@h:5432/c"),
    (
        "postgresql://h/c?sslmode=require&sslpassword=S3cret&user=a",
        "postgresql+psycopg://h/c?sslmode=require&sslpassword=***&user=a",
    ),
    (
        "postgresql://alice:S3cret@h/c?password=S3cret",
        "postgresql+psycopg://alice:***@h/c?password=***",
    ),
]


@pytest.mark.parametrize(("url", "shown"), REDACTED)
def test_db_path_never_shows_a_password(url, shown, cli):
    r = cli("db", "path", "--db", url)
    assert r.code == 0 and r.out == shown + "\n"
    r = cli("db", "path", "--db", url, "--format", "json")
    assert json.loads(r.out)["url"] == shown
    assert "S3" not in r.out + r.err


@pytest.mark.parametrize("url", [u for u, _ in REDACTED])
def test_connection_errors_never_show_a_password(url, cli):
    url = url.replace("@h", "@127.0.0.1:1").replace("//h/", "//127.0.0.1:1/")
    r = cli("status", "--db", url)
    assert r.code == 4 and r.err.startswith("Error: ")
    assert "S3" not in r.err


def test_redact_hides_key_value_and_embedded_urls():
    from corridor.core.redact import redact

    text = "failed: host=h password=S3cret user=a; via postgresql://u:S3cret@h/db and 'S3cret'"
    assert "S3cret" not in redact(text, urls=["postgresql://u:S3cret@h/db"])


# ---------------------------------------------------------------- special files


def test_import_reads_a_pipe_with_a_writer(cli, empty_url, tmp_path):
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    record = "corridor: 1\ncrossings:\n  - {slug: rafah, name: Rafah, countries: [PS, EG]}\n"

    def writer():
        with open(fifo, "w") as f:
            f.write(record)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        # the writer may connect a moment after the open: retry the (non-blocking) read once
        for _ in range(50):
            r = cli("import", str(fifo), "--yes", "--db", empty_url)
            if r.code == 0:
                break
    finally:
        if thread.is_alive():
            with open(fifo) as f:
                f.read()
        thread.join()
    assert r.code == 0, r.err
    assert "Rafah" in cli("crossing", "list", "--db", empty_url).out


def test_export_through_a_symlink_keeps_the_link(cli, reference_url, tmp_path):
    target = tmp_path / "real.yaml"
    link = tmp_path / "link.yaml"
    target.write_text("old")
    link.symlink_to(target)
    assert cli("export", "-o", str(link), "--db", reference_url).code == 0
    assert link.is_symlink() and target.read_text().startswith("# corridor record")


def test_export_over_a_regular_file_keeps_its_permissions(cli, reference_url, tmp_path):
    out = tmp_path / "backup.yaml"
    out.write_text("old")
    out.chmod(0o600)
    assert cli("export", "-o", str(out), "--db", reference_url).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text() != "old"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.yaml"]  # no temporary left


def _corridor(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    kw.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "corridor", *args], stderr=subprocess.PIPE, env=env, **kw
    )


@pytest.mark.skipif(sys.platform != "linux", reason="/dev/stdout and /dev/full are Linux")
def test_export_to_dev_stdout_and_to_a_full_stdout(reference_url):
    r = _corridor("export", "-o", "/dev/stdout", "--db", reference_url)
    assert r.returncode == 0 and r.stdout.startswith(b"# corridor record")
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode)
    if stat.S_ISCHR(os.stat("/dev/full").st_mode):
        with open("/dev/full", "w") as full:
            r = _corridor("export", "--db", reference_url, stdout=full)
        assert r.returncode == 2 and b"No space left" in r.stderr
        assert b"Traceback" not in r.stderr and r.stderr.count(b"Error: ") == 1


# ---------------------------------------------------------------- limits and round trips


def test_db_upgrade_of_a_database_from_a_newer_corridor_is_exit_4(cli, reference_url, engine_for):
    with engine_for(reference_url).begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'zzzz'"))
    r = cli("db", "upgrade", "--db", reference_url)
    assert r.code == 4 and "zzzz" in r.err and "Traceback" not in r.err


def test_the_limits_are_the_same_on_every_backend(cli, reference_url):
    """A 200-character symbol and name and a 10 000-character note are accepted on both
    backends; one character more is refused the same way (exit 5) on both."""
    symbol = "S/RES/" + "9" * 194
    r = cli(
        "add",
        symbol,
        "--adopted",
        "2025-01-01",
        "--for",
        "6mo",
        "-c",
        "bab al hawa",
        "--notes",
        "n" * 10_000,
        "--by",
        "b" * 200,
        "--db",
        reference_url,
    )
    assert r.code == 0, r.err
    r = cli("crossing", "add", "N" * 200, "--countries", "SY,TR", "--db", reference_url)
    assert r.code == 0, r.err
    r = cli(
        "add",
        symbol + "9",
        "--adopted",
        "2025-01-01",
        "--for",
        "6mo",
        "-c",
        "bab al hawa",
        "--db",
        reference_url,
    )
    assert r.code == 5 and "longer than 200" in r.err


def _roundtrip(cli, text: str, first: str, second: str, tmp_path: Path) -> None:
    src = tmp_path / "in.yaml"
    src.write_text(text, encoding="utf-8")
    r = cli("import", str(src), "--yes", "--db", first)
    assert r.code == 0, r.err
    one = cli("export", "--db", first).out
    (tmp_path / "one.yaml").write_text(one, encoding="utf-8")
    r = cli("import", str(tmp_path / "one.yaml"), "--yes", "--db", second)
    assert r.code == 0, r.err
    assert cli("export", "--db", second).out == one


def test_metacharacters_in_every_text_field_are_stored_verbatim(cli, databases, tmp_path):
    from test_bad_input import SHELL, SQL, _metachars

    for text in (SQL, SHELL):
        record = _metachars(text).replace(", {crossings: [no-such-crossing], for: 6mo}", "")
        first, second = databases.clone("migrated"), databases.clone("migrated")
        _roundtrip(cli, record, first, second, tmp_path)
        shown = cli("crossing", "show", "meta-place", "--db", first, "-f", "json")
        assert json.loads(shown.out)["crossing"] == text


def test_a_record_at_every_limit_round_trips(cli, databases, tmp_path):
    name = "ب" * 200
    record = (
        "corridor: 1\ncrossings:\n"
        f"  - {{slug: {'a' * 80}, name: {name}, countries: [PS, EG], aliases: ['{'x' * 200}'],"
        f" notes: '{'n' * 10_000}'}}\n"
        "instruments:\n"
        f"  - symbol: '{'S' * 200}'\n    kind: resolution\n    authority: '{'A' * 200}'\n"
        "    timezone: America/New_York\n    adopted: 1900-01-01\n"
        f"    periods: [{{crossings: ['{'a' * 80}'], until: 2199-12-31}}]\n"
    )
    _roundtrip(cli, record, databases.clone("migrated"), databases.clone("migrated"), tmp_path)


def test_completion_never_offers_a_name_with_control_characters(reference_url, engine_for):
    from corridor.db.connect import Location, connect_reader
    from corridor.db.lookup import complete

    _poison(engine_for, reference_url)
    with connect_reader(Location(reference_url, "test"), create=False) as rd:
        offered = complete(rd, "") + complete(rd, "bab") + complete(rd, "Bab")
    assert offered and not any(c in name for name in offered for c in RAW)


def test_the_json_schema_states_the_same_limits():
    jsonschema = pytest.importorskip("jsonschema")
    from corridor.record.jsonschema import schema

    def record(**crossing):
        base = {"slug": "x", "name": "X", "countries": ["SY", "TR"]}
        return {"corridor": 1, "crossings": [dict(base, **crossing)]}

    jsonschema.validate(record(name="باب الهوى"), schema())
    for bad in (
        record(name="a\x1bb"),
        record(name="a\u202eb"),
        record(name="N" * 201),
        record(countries=["PS", "XX"]),
        record(known_until="2200-01-01"),
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema())
