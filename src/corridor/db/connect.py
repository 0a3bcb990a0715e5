"""Where the record lives, and opening it.

One resolver for the URL: --db > $CORRIDOR_DATABASE_URL > config file > a SQLite file in the
user's data dir (the environment is read by corridor.cli.config, which passes it in). Opening
checks the schema version with a plain query against `alembic_version` and compares it with
SCHEMA_HEAD; Alembic itself is imported only to migrate (benchmarks/README.md: importing it
costs ~340 ms).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from corridor.core.errors import DatabaseError, UsageError
from corridor.db.sql import Reader, reader

if TYPE_CHECKING:  # SQLAlchemy is imported lazily: read paths never need it (corridor.db.sql)
    import sqlalchemy as sa
    from sqlalchemy.engine import Engine

# The newest migration in migrations/versions. tests/test_migrations.py keeps this honest.
SCHEMA_HEAD = "0011"

ENV_URL = "CORRIDOR_DATABASE_URL"

# How long a writer waits for another one before giving up with a clear "busy" error (README,
# "Guarantees"). $CORRIDOR_BUSY_TIMEOUT (seconds) changes it, e.g. for a cron job: read by
# corridor.cli.config, carried by the Location to every engine and reader made from it.
DEFAULT_BUSY_SECONDS = 60.0


@dataclass(frozen=True)
class Location:
    url: str
    source: str  # which rule chose it: "--db", "$CORRIDOR_DATABASE_URL", "config …", "default"
    busy_seconds: float = DEFAULT_BUSY_SECONDS  # the bound on waiting for another writer

    @property
    def display(self) -> str:
        """The URL with every credential hidden (corridor.core.redact, the one redactor)."""
        from corridor.core.redact import redact_url  # lazy: the redactor is off the read path

        return redact_url(self.url)


def default_sqlite_path() -> Path:
    import platformdirs  # lazy: only for the default location (a light read path)

    return Path(platformdirs.user_data_dir("corridor", appauthor=False)) / "corridor.sqlite3"


def resolve_location(
    cli_url: str | None,
    config: dict,
    config_file: str = "the config file",
    *,
    env_url: str | None = None,
    busy_seconds: float = DEFAULT_BUSY_SECONDS,
) -> Location:
    """The database to use, and which rule chose it. `config_file` names the file that
    `config` was read from, for messages; `env_url` is $CORRIDOR_DATABASE_URL."""
    if cli_url is not None:
        if not cli_url.strip():
            raise UsageError(
                '--db "" names no database',
                'give a path or URL, or leave --db out to use the default ("corridor db path")',
            )
        return _supported(Location(_normalise(cli_url, "--db"), "--db", busy_seconds))
    if env_url:
        source = f"${ENV_URL}"
        return _supported(Location(_normalise(env_url, source), source, busy_seconds))
    if config.get("database_url"):
        source = f"config file {config_file}"
        return _supported(
            Location(_normalise(config["database_url"], source), source, busy_seconds)
        )
    return Location(f"sqlite:///{default_sqlite_path()}", "default (user data dir)", busy_seconds)


SUPPORTED = ("sqlite", "postgresql")  # README, "Where the record lives"


def _supported(location: Location) -> Location:
    """Refuse a URL for a database corridor does not support (mysql://, oracle://...) before
    anything tries to load a driver for it."""
    scheme = location.url.split("://", 1)[0].split("+", 1)[0].lower()
    if scheme not in SUPPORTED:
        raise UsageError(
            f'"{location.display}" (from {location.source}) is a {scheme} URL: corridor keeps '
            "its record in SQLite or PostgreSQL only",
            "use sqlite:///path/to/file.sqlite3 or postgresql://user@host/dbname",
        )
    return location


def _normalise(url: str, source: str = "--db") -> str:
    """Accept a bare file path for SQLite, a libpq keyword string and plain postgresql:// for
    psycopg 3. Refuse what would silently open another database than the one named: an
    in-memory SQLite database (it keeps nothing), a path holding `?` (a URL reads the rest as
    options). A port that is not a number is a usage error here, before any driver sees it."""
    url = url.strip()
    if "://" not in url and _LIBPQ.match(url):
        url = libpq_to_url(url, source)
    if "://" not in url:
        if "?" in url:
            raise UsageError(
                f'the database path "{_shown(url)}" (from {source}) holds a "?", which a '
                "database URL reads as the start of its options, so another file would be used",
                "rename the file or its folder, or give a sqlite:/// URL with the ? written %3F",
            )
        return f"sqlite:///{Path(url).expanduser().absolute()}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.lower().startswith("postgres"):
        url = _encode_userinfo(url)
    if url.lower().startswith("sqlite"):
        _check_sqlite(url, source)
    _check_ports(url, source)
    return url


def _encode_userinfo(url: str) -> str:
    """A password holding an unencoded `@ # ? /` (postgresql://u:S3c@ret@host/db) is what the
    user meant, and what the one redactor hides (the user information ends at the last `@`):
    %-encode those characters so the driver connects to the right host, with that password."""
    from corridor.core.redact import split_userinfo  # lazy: PostgreSQL only; SQLite reads fast

    parts = split_userinfo(url)
    if parts is None:
        return url
    scheme, user, password, rest = parts
    user = quote(user, safe="%:!$&'()*+,;=")
    if password is not None:
        password = ":" + quote(password, safe="%!$&'()*+,;=:")
    return f"{scheme}{user}{password or ''}{rest}"


def _shown(text: str) -> str:
    from corridor.core.redact import redact_url  # lazy: an error's wording, off the read path
    from corridor.core.text import UNSAFE_LINE

    return UNSAFE_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", redact_url(text))


def _check_sqlite(url: str, source: str) -> None:
    rest = url.split("://", 1)[1]
    name = rest[1:] if rest.startswith("/") else rest
    path, _, query = name.partition("?")
    if path in ("", ":memory:") or rest == "":
        raise UsageError(
            f'"{_shown(url)}" (from {source}) is an in-memory SQLite database, which keeps '
            "nothing once the command ends",
            "give a file: sqlite:///path/to/file.sqlite3 (or just the path)",
        )
    if query and not all("=" in part for part in query.split("&")):
        raise UsageError(
            f'the database URL "{_shown(url)}" (from {source}) holds a "?" that starts no '
            "option, so another file would be used",
            "write a ? that is part of the file name as %3F, or rename the file",
        )


# A libpq keyword/value connection string: "host=db dbname=corridor user=a password=...".
_LIBPQ_KEYS = (
    "host|hostaddr|port|dbname|user|password|passfile|sslmode|sslrootcert|sslcert|sslkey|"
    "sslpassword|connect_timeout|application_name|options|service|target_session_attrs"
)
_LIBPQ = re.compile(rf"^\s*(?:{_LIBPQ_KEYS})\s*=", re.I)
_LIBPQ_PAIR = re.compile(r"\s*(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']*)")


def libpq_to_url(text: str, source: str) -> str:
    """A libpq keyword string as a postgresql+psycopg URL (every part %-encoded), or a
    UsageError saying why it cannot be read. The string is never taken as a file name."""
    pairs: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        m = _LIBPQ_PAIR.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise UsageError(
                f"the database setting (from {source}) looks like a libpq connection string "
                "but cannot be read as one",
                "write it as a URL: postgresql://user:password@host:5432/dbname "
                "(%-encode @ : / ? # in the password)",
            )
        key, value = m.group(1).lower(), m.group(2)
        if value.startswith("'"):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        pairs[key] = value
        pos = m.end()
    unknown = [k for k in pairs if not re.fullmatch(_LIBPQ_KEYS, k)]
    if unknown:
        raise UsageError(
            f'the libpq connection string (from {source}) has the unknown keyword "{unknown[0]}"',
            "write it as a URL: postgresql://user:password@host:5432/dbname",
        )
    user = quote(pairs.pop("user", ""), safe="")
    password = pairs.pop("password", None)
    auth = user + (":" + quote(password, safe="") if password is not None else "")
    host = pairs.pop("host", "")
    hosts = ",".join(quote(h, safe="") for h in host.split(",")) if host else ""
    port = pairs.pop("port", "")
    if port:
        hosts = f"{hosts}:{port}" if hosts else f":{port}"
    dbname = quote(pairs.pop("dbname", ""), safe="")
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs.items())
    return f"postgresql+psycopg://{auth + '@' if auth else ''}{hosts}/{dbname}" + (
        f"?{query}" if query else ""
    )


def _check_ports(url: str, source: str) -> None:
    if url.startswith("sqlite"):
        return
    from corridor.core.redact import redact_url, split_userinfo  # lazy: not for SQLite

    parts = split_userinfo(url)
    rest = parts[3][1:] if parts else url.split("://", 1)[1]
    hosts = re.split(r"[/?#]", rest, maxsplit=1)[0]
    for host in hosts.split(","):
        port = host.rsplit("]", 1)[-1].rpartition(":")[2] if ":" in host.rsplit("]", 1)[-1] else ""
        if port and not (port.isdigit() and 0 < int(port) < 65536):
            raise UsageError(
                f'the database URL {redact_url(url)} (from {source}) has the port "{port}", '
                "which is not a number from 1 to 65535",
                "write it as postgresql://user@host:5432/dbname",
            )


def prepare_sqlite_file(location: Location, path: Path, *, create: bool = True) -> None:
    """Make a new SQLite record private (README "Limits"): the default data folder is created
    0700, and a new database file 0600 before SQLite opens it. SQLite gives its -wal and -shm
    files the permissions of the database file, so they are private too."""
    parent = path.parent
    if location.source.startswith("default"):
        fresh = not parent.exists()
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if fresh or parent.name == "corridor":  # the tool's own folder, never a shared one
            _chmod(parent, 0o700)
    elif not parent.is_dir():
        raise DatabaseError(
            f"cannot open the database {location.display}: folder {parent} does not exist",
            "create the folder, or point --db at another path",
        )
    if create and not path.exists():
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass  # another process created it first
        except OSError as exc:
            raise DatabaseError(
                f"cannot create the database {location.display}: {exc.strerror}",
                "check the folder's permissions, or point --db at another path",
            ) from None


def _chmod(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):  # not ours to change: it stays as its owner made it
        os.chmod(path, mode)


# Every write transaction on PostgreSQL takes this transaction-level advisory lock first, as
# BEGIN IMMEDIATE does on SQLite: writers take turns, and what a writer reads before it writes
# cannot change under it. Readers (plain SELECTs) never wait for it.
WRITE_LOCK = 72616964


# The engine option that carries its Location's busy_seconds (busy_seconds_of).
BUSY_OPTION = "corridor_busy_seconds"


def busy_seconds_of(conn: Engine | Reader) -> float:
    """The bound on waiting for another writer that `conn` was made with: an engine
    (make_engine) or a Reader (connect_reader) carries its Location's busy_seconds."""
    if isinstance(conn, Reader):
        return DEFAULT_BUSY_SECONDS if conn.busy_seconds is None else conn.busy_seconds
    return float(conn.get_execution_options().get(BUSY_OPTION, DEFAULT_BUSY_SECONDS))


def _sqlite_setup(foreign_keys: bool, wal: bool, busy: float):
    busy_ms = int(busy * 1000)

    def on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # the driver must not BEGIN on its own: on_begin does
        cur = dbapi_conn.cursor()
        if foreign_keys:
            cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        if wal:  # persistent in the file: readers then never wait for a writer
            with contextlib.suppress(Exception):  # busy: a later writer converts it
                cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    return on_connect


def _sqlite_begin(statement: str):
    def on_begin(conn) -> None:
        conn.exec_driver_sql(statement)

    return on_begin


def _pg_begin_write(busy: float):
    ms = int(busy * 1000)

    def on_begin(conn) -> None:
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {ms}")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return on_begin


def _pg_begin_read(conn) -> None:
    conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def make_engine(
    location: Location,
    *,
    foreign_keys: bool = True,
    exclusive: bool = False,
    read_only: bool = False,
) -> Engine:
    """An engine on the record. Every transaction is one of three kinds:

    - write (the default): SQLite `BEGIN IMMEDIATE`, PostgreSQL the advisory write lock, taken
      before the first read, so a read-modify-write cannot lose another writer's update;
    - `read_only`: a consistent snapshot that never waits for a writer (SQLite `BEGIN` on a
      WAL file, PostgreSQL REPEATABLE READ READ ONLY);
    - `exclusive` (SQLite `BEGIN EXCLUSIVE`): two processes creating a new database take turns
      instead of both migrating it.

    SQLite files are switched to WAL mode by writers."""
    # lazy: keeps sqlalchemy off the read path (tests/test_read_paths.py)
    import sqlalchemy as sa
    from sqlalchemy import event
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        url = sa.make_url(location.url)
    except (ArgumentError, ValueError):
        raise UsageError(
            f'"{location.display}" (from {location.source}) is not a database URL',
            "use sqlite:///path/to/file.sqlite3 or postgresql://user@host/dbname",
        ) from None
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        prepare_sqlite_file(location, Path(url.database).expanduser())
    try:
        engine = sa.create_engine(url, execution_options={BUSY_OPTION: location.busy_seconds})
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(
            f"no driver for {url.get_backend_name()} ({exc})",
            'install the PostgreSQL driver with: pip install "corridor[postgres]"'
            if url.get_backend_name() == "postgresql"
            else "corridor keeps its record in SQLite or PostgreSQL only",
        ) from None
    if engine.dialect.name == "sqlite":
        memory = url.database in (None, "", ":memory:")
        event.listen(
            engine,
            "connect",
            _sqlite_setup(foreign_keys, not read_only and not memory, location.busy_seconds),
        )
        begin = "BEGIN" if read_only else ("BEGIN EXCLUSIVE" if exclusive else "BEGIN IMMEDIATE")
        event.listen(engine, "begin", _sqlite_begin(begin))
    elif engine.dialect.name == "postgresql":
        writer = _pg_begin_write(location.busy_seconds)
        event.listen(engine, "begin", _pg_begin_read if read_only else writer)
    return engine


def schema_version(conn: sa.Connection) -> str | None:
    """The migrated revision, or None for a database corridor has never touched."""
    import sqlalchemy as sa  # lazy: keeps sqlalchemy off the read path

    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def unreachable(location: Location, exc: Exception) -> DatabaseError:
    from corridor.core.redact import redact  # lazy: an error's wording

    reason = redact(
        str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0], urls=[location.url]
    )
    return DatabaseError(
        f"cannot use the database {location.display} (from {location.source}): {reason}",
        'check the URL and that the server is running; "corridor db path" shows which '
        "database is in use",
    )


def schema_mismatch(location: Location, version: str) -> DatabaseError:
    if version.isdigit() and version < SCHEMA_HEAD:
        return DatabaseError(
            f"the database {location.display} is at schema {version}; "
            f"this corridor needs {SCHEMA_HEAD}",
            'run "corridor db upgrade" (back the database up first if it is shared)',
        )
    return DatabaseError(
        f"the database {location.display} is at schema {version}, which this corridor "
        f"does not know (it knows up to {SCHEMA_HEAD})",
        "it was migrated by a newer corridor: upgrade corridor",
    )


def _driver_error(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in ("sqlite3", "psycopg")


def connect_reader(location: Location, *, create: bool = True, timeout: float | None = None):
    """A native DB-API Reader for SQLite and psycopg URLs; other drivers go through SQLAlchemy.
    With create=False a missing SQLite file is an error rather than a new empty file. With
    `timeout` (seconds) a statement waits at most that long for a lock or to finish (SQLite's
    busy timeout; PostgreSQL's lock_timeout and statement_timeout), and connecting to a server
    at most that long too: `corridor check -t`."""
    url = location.url
    busy = location.busy_seconds
    wait = busy if timeout is None else max(min(timeout, busy), 0.001)
    if url.startswith("sqlite:///") and "?" not in url:
        import sqlite3  # lazy: only for a SQLite URL

        path = Path(url[len("sqlite:///") :])
        prepare_sqlite_file(location, path, create=create)
        target = path if create else f"{path.absolute().as_uri()}?mode=rw"
        conn = sqlite3.connect(target, isolation_level=None, uri=not create, timeout=wait)
        conn.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
        return Reader(conn, "sqlite", busy_seconds=busy)
    if url.startswith("postgresql+psycopg://"):
        try:
            import psycopg  # lazy: only for a PostgreSQL URL (an optional driver)
        except ImportError:
            raise DatabaseError(
                "no driver for postgresql",
                'install the PostgreSQL driver with: pip install "corridor[postgres]"',
            ) from None
        connect_timeout = 10 if timeout is None else max(2, min(10, math.ceil(timeout)))
        pg_conn = psycopg.connect(
            "postgresql://" + url.split("://", 1)[1],
            autocommit=True,
            connect_timeout=connect_timeout,
        )
        if timeout is not None:
            ms = max(int(wait * 1000), 1)
            pg_conn.execute(f"SET lock_timeout = {ms}")
            pg_conn.execute(f"SET statement_timeout = {ms}")
        return Reader(pg_conn, "postgresql", busy_seconds=busy)
    return reader(make_engine(location).connect())


def _is_sqlalchemy(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("sqlalchemy")
