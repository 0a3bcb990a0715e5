"""Secrets are never shown (README "Guarantees"): the one redactor (corridor.core.redact) for
database and channel URLs, driver messages through it, libpq strings never taken as file
names, configs holding any credential refused unless private."""

from __future__ import annotations

import json
import os

import pytest

from corridor.core.redact import redact, redact_url, secrets_of

# (url, the strings that must never be shown)
URLS = [
    ("postgresql://u:S3c@retTail@127.0.0.1:1/db", ["S3c", "retTail"]),
    ("postgresql://u:S3c#ret?Tail@127.0.0.1:1/db", ["S3c", "ret", "Tail"]),
    ("postgresql://u:S3c%40retTail@127.0.0.1:1/db", ["S3c", "retTail", "S3c%40"]),
    ("json://user:S3cret#Tail@host/x", ["S3cret", "Tail"]),
    ("json://user:S3c?ret@host/x", ["S3c?ret"]),
    ("mailto://tokenvalue@host", ["tokenvalue"]),
    ("ntfy://mysecrettopic", ["mysecrettopic"]),
    ("ntfys://ntfy.sh/mysecrettopic", ["mysecrettopic"]),
    ("ntfy://u:p4ssword@localhost:8080/topicone/topictwo", ["p4ssword", "topicone", "topictwo"]),
    ("host=127.0.0.1 port=1 password='S3c@ret Tail'", ["S3c@ret", "Tail"]),
]


@pytest.mark.parametrize(("url", "secrets"), URLS, ids=[u for u, _ in URLS])
def test_the_redactor_hides_every_secret_of_a_url(url, secrets):
    shown = redact_url(url)
    message = (
        f"could not connect via {url}: failed to resolve host 'retTail@127.0.0.1' "
        f"for {' and '.join(secrets)}"
    )
    hidden = redact(message, urls=[url])
    for secret in secrets:
        assert secret not in shown, shown
        assert secret not in hidden, hidden
    assert secrets_of(url)


def test_redact_with_explicit_secrets_and_short_passwords():
    assert redact("pw is S3c@retTail, bye", secrets=["S3c@retTail"]) == "pw is ***, bye"
    assert "ab" not in redact("login ab failed", urls=["postgresql://u:ab@h/db"])
    assert redact("nothing secret here") == "nothing secret here"


def test_a_location_that_is_not_a_url_is_shown_but_a_channel_that_is_not_is_hidden():
    """A database path is shown; a mistyped channel URL may be a token: nothing of it is."""
    assert redact_url("/srv/corridor/db.sqlite3") == "/srv/corridor/db.sqlite3"
    assert redact_url("host=h password=S3cret") == "host=h password=***"
    assert redact_url("tgram//8123456789:AAtoken/chat", channel=True) == "***"
    assert redact_url("json://user:S3cret@host/x", channel=True) == redact_url(
        "json://user:S3cret@host/x"
    )


SEVEN = [
    ["db", "path"],
    ["db", "current"],
    ["status"],
    ["upcoming"],
    ["export"],
    ["import", "{file}", "--yes"],
    ["db", "upgrade"],
    ["crossing", "list"],
]


@pytest.mark.parametrize("how", ["--db", "env", "config"])
@pytest.mark.parametrize("args", SEVEN, ids=[" ".join(a) for a in SEVEN])
def test_a_password_with_an_at_sign_is_never_shown(args, how, cli, tmp_path, monkeypatch):
    url = "postgresql://u:S3c@retTail@127.0.0.1:1/db"
    record = tmp_path / "r.yaml"
    record.write_text("corridor: 1\ncrossings: []\n")
    args = [a.replace("{file}", str(record)) for a in args]
    if how == "--db":
        args += ["--db", url]
    elif how == "env":
        monkeypatch.setenv("CORRIDOR_DATABASE_URL", url)
    else:
        config = tmp_path / "c.toml"
        config.write_text(f'database_url = "{url}"\n')
        config.chmod(0o600)
        monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
    r = cli(*args)
    for secret in ("S3c", "retTail"):
        assert secret not in r.out + r.err
    assert r.code in (0, 4), r.err
    if r.code:
        assert len([x for x in r.err.splitlines() if x.startswith("Error: ")]) == 1
        assert "'127.0.0.1'" in r.err or "127.0.0.1" in r.err


def test_check_never_shows_the_password(cli):
    r = cli("check", "--db", "postgresql://u:S3c@retTail@127.0.0.1:1/db")
    assert r.code == 3 and "UNKNOWN" in r.out
    assert "S3c" not in r.out + r.err and "retTail" not in r.out + r.err


def test_the_password_is_encoded_so_the_driver_sees_the_right_host(cli):
    from corridor.db.connect import resolve_location

    loc = resolve_location("postgresql://u:S3c@retTail@db.example:5432/x", {})
    assert loc.url == "postgresql+psycopg://u:S3c%40retTail@db.example:5432/x"


def test_a_libpq_string_is_read_as_a_url_never_as_a_file(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "host=127.0.0.1 port=1 dbname=x user=u password=S3cretTail"
    r = cli("db", "path", "--db", text)
    assert r.code == 0 and r.out == "postgresql+psycopg://u:***@127.0.0.1:1/x\n"
    r = cli("status", "--db", text)
    assert r.code == 4 and "S3cret" not in r.err
    assert list(tmp_path.iterdir()) == []  # no file named after the password


def test_a_libpq_string_that_cannot_be_read_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("status", "--db", "host=h password=S3cret extra words")
    assert r.code == 2 and "libpq" in r.err and "S3cret" not in r.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize(
    "line",
    [
        'database_url = "postgresql://u:ab@127.0.0.1:1/x"',
        'database_url = "postgresql://u:a@127.0.0.1:1/x"',
        'database_url = "host=127.0.0.1 port=1 user=u password=ab dbname=x"',
        'database_url = "postgresql://u@127.0.0.1:1/x?password=ab"',
    ],
)
def test_a_config_holding_any_credential_must_be_private(line, cli, tmp_path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text(line + "\n")
    config.chmod(0o644)
    monkeypatch.setenv("CORRIDOR_CONFIG", str(config))
    r = cli("db", "path")
    assert r.code == 2 and "chmod 600" in r.err
    config.chmod(0o600)
    assert cli("db", "path").code == 0


# ---------------------------------------------------------------- database URLs shown


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
