"""Schema migrations through Alembic: imported only when a database is created or upgraded."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

from corridor.core.errors import DatabaseError
from corridor.db import tables as t
from corridor.db.connect import (
    Location,
    make_engine,
    schema_mismatch,
    schema_version,
    unreachable,
)
from corridor.record.format import REFERENCE_NAME, reference_document
from corridor.store.audit import default_change
from corridor.store.horizon import refresh_horizons
from corridor.store.rederive import rederive
from corridor.store.retry import is_busy, retrying
from corridor.store.writer import apply


def migrations_dir() -> Path:
    """The wheel ships migrations inside the package; a source checkout has them at the root."""
    package = Path(__file__).resolve().parents[1]  # src/corridor (or site-packages/corridor)
    for candidate in (package / "migrations", package.parents[1] / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseError("the migrations are missing from this installation", "reinstall corridor")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def _known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # a migrations folder without any migration in it
        raise DatabaseError(
            "the migrations are missing from this installation", "reinstall corridor"
        )
    return head


def sqlite_path(location: Location) -> Path | None:
    """The file of a SQLite database, or None for any other database."""
    url = sa.make_url(location.url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def backup_sqlite(path: Path, label: str, now: datetime | None) -> Path:
    """A consistent copy of the SQLite file at `path`, next to it, readable by its owner only,
    made with `VACUUM INTO` (which reads one snapshot, whatever other readers do). The name
    carries `now` (passed in: only corridor.cli.clock reads the clock) when it is given.

    The copy is written under a hidden temporary name and renamed when complete, so an
    interrupted backup never leaves an empty or partial file under a backup's name. A retry
    reuses an earlier complete backup with the same label when the record has not changed
    since (same schema revision, same audit trail), so retries do not pile up copies."""
    suffix = path.suffix or ".sqlite3"
    earlier = _same_backup(path, label, suffix)
    if earlier is not None:
        return earlier
    stamp = f"-{now:%Y%m%dT%H%M%SZ}" if now is not None else ""
    target = path.with_name(f"{path.stem}.{label}{stamp}{suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.{label}{stamp}-{n}{suffix}")
    partial = path.with_name(f".{path.name}.{label}.partial")
    try:
        partial.unlink(missing_ok=True)  # left by an interrupted backup
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout=60000")
            conn.execute("VACUUM INTO ?", (str(partial),))
        finally:
            conn.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(
            f"cannot back up {path} before migrating it: {exc}",
            "nothing was changed; free some space or fix the folder's permissions, then retry",
        ) from None
    return target


def _fingerprint(path: Path) -> tuple | None:
    """(schema revision, audit lines, last audit id) of a SQLite file, or None if unreadable."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        try:
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            audit = conn.execute("SELECT count(*), max(id) FROM changes").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return (version, *audit)


def _same_backup(path: Path, label: str, suffix: str) -> Path | None:
    """The newest backup `label` of `path` that holds what `path` holds now, if any."""
    candidates = sorted(
        path.parent.glob(f"{path.stem}.{label}*{suffix}"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    if not candidates:
        return None
    mine = _fingerprint(path)
    if mine is None:
        return None
    for candidate in candidates[:3]:
        if candidate.stat().st_size > 0 and _fingerprint(candidate) == mine:
            return candidate
    return None


def _version_of(location: Location) -> str | None:
    engine = make_engine(location, read_only=True)
    try:
        with engine.connect() as conn:
            return schema_version(conn)
    finally:
        engine.dispose()


# A migration that changes how derived rows are made empties them and sets this key; they are
# rebuilt once the upgrade reaches the head, with the code of the corridor that runs it, so no
# migration calls code that a later migration may change (migrations/versions/0003_*).
REBUILD = "rebuild_derived"


def rebuild_if_asked(conn: sa.Connection) -> None:
    meta = t.record_meta.c
    if conn.execute(sa.select(meta.value).where(meta.key == REBUILD)).first() is None:
        return
    for iid in conn.execute(sa.select(t.instruments.c.id).order_by(t.instruments.c.id)).scalars():
        rederive(conn, iid)
    refresh_horizons(conn)
    conn.execute(sa.delete(t.record_meta).where(meta.key == REBUILD))


def upgrade(
    location: Location,
    revision: str = "head",
    *,
    seed: bool = False,
    now: datetime | None = None,
    notify=None,
) -> tuple[str | None, str, bool]:
    """Migrate to `revision` on a connection of its own. Returns (before, after, seeded).

    With `seed`, a database that had no schema before is also loaded with the bundled reference
    dataset in the same transaction, so no other process ever sees it migrated but empty.
    SQLite runs with foreign keys off (batch migrations copy tables) and is checked with
    `PRAGMA foreign_key_check` afterwards. Two processes starting on a new database do not
    both migrate it: SQLite's transaction is BEGIN EXCLUSIVE, PostgreSQL takes an advisory
    lock; the second one waits, then finds the database at head. `now` dates the reference
    load in the audit trail; it is required with `seed`.

    A SQLite file that has a schema and is not yet at `revision` is first copied next to
    itself (`backup_sqlite`); `notify(message)` hears where.
    """
    if seed and now is None:
        raise ValueError("upgrade(seed=True) needs now")
    path = sqlite_path(location)
    if path is not None and path.is_file() and path.stat().st_size > 0:
        try:
            current = retrying(lambda: _version_of(location), seconds=location.busy_seconds)
        except SQLAlchemyError as exc:
            raise unreachable(location, exc) from None
        target = head_revision() if revision == "head" else revision
        script = ScriptDirectory.from_config(alembic_config())
        known = {r.revision for r in script.walk_revisions()}
        if current in known and current != target:  # (an unknown one is not migrated)
            copy = backup_sqlite(path, f"before-{target}", now)
            if notify is not None:
                notify(f"Backed up the database (schema {current}) to {copy}.")
    result = _upgrade_checked(location, revision, seed, now)
    if path is not None and path.is_file():
        _make_private(path)
    return result


def _make_private(path: Path) -> None:
    """An upgraded or new record file, and its -wal and -shm files, are private to their
    owner (README "Limits"), whatever mode an older corridor left them with."""
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            if p.exists() and p.stat().st_uid == os.getuid():
                os.chmod(p, 0o600)


def _upgrade_checked(location, revision, seed, now):
    if _version_of_existing(location) is None:
        _refuse_foreign_read_only(location)
    return retrying(lambda: _upgrade(location, revision, seed, now), seconds=location.busy_seconds)


def _version_of_existing(location: Location) -> str | None:
    path = sqlite_path(location)
    if path is not None and not (path.is_file() and path.stat().st_size > 0):
        return None
    try:
        return retrying(lambda: _version_of(location), seconds=location.busy_seconds)
    except SQLAlchemyError as exc:
        raise unreachable(location, exc) from None


def _refuse_foreign_read_only(location: Location) -> None:
    """The foreign-tables check on a read-only connection first, so that a file that is not
    ours is not even switched to WAL mode (its bytes stay as they were)."""
    path = sqlite_path(location)
    if path is not None and not (path.is_file() and path.stat().st_size > 0):
        return
    engine = make_engine(location, read_only=True)
    try:
        with engine.connect() as conn:
            _refuse_foreign(location, conn)
    except SQLAlchemyError as exc:
        raise unreachable(location, exc) from None
    finally:
        engine.dispose()


def _refuse_foreign(location: Location, conn: sa.Connection) -> None:
    """A database that holds tables but no corridor schema belongs to another application:
    corridor never adds its own tables and data to it (nothing is changed)."""
    names = sorted(sa.inspect(conn).get_table_names())
    if names:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        raise DatabaseError(
            f"the database {location.display} is not a corridor database: it holds other "
            f"tables ({shown}) and no corridor schema; nothing was changed",
            "point --db at a new file or an empty database, or at an existing corridor record",
        )


def _upgrade(location: Location, revision: str, seed: bool, now: datetime | None):
    engine = make_engine(location, foreign_keys=False, exclusive=True)
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            before = schema_version(conn)
            if before is not None and before not in _known_revisions():
                raise schema_mismatch(location, before)  # written by a newer corridor: exit 4
            if before is None:
                _refuse_foreign(location, conn)
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            if schema_version(conn) == head_revision():
                rebuild_if_asked(conn)
            seeded = seed and before is None
            if seeded:
                assert now is not None
                apply(
                    conn,
                    reference_document(),
                    change=default_change(REFERENCE_NAME, "reference", now),
                )
            if sqlite:
                bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise DatabaseError(f"migration left broken foreign keys: {bad[:5]}")
            after = schema_version(conn)
            conn.commit()
    except SQLAlchemyError as exc:
        if is_busy(exc):
            raise
        raise unreachable(location, exc) from None
    finally:
        engine.dispose()
    return before, after, seeded
