"""Schema migrations through Alembic: imported only when a database is created or upgraded."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

from corridor.core.errors import DatabaseError
from corridor.db.connect import (
    Location,
    make_engine,
    schema_mismatch,
    schema_version,
    unreachable,
)


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
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(
    location: Location, revision: str = "head", *, seed: bool = False, now: datetime | None = None
) -> tuple[str | None, str, bool]:
    """Migrate to `revision` on a connection of its own. Returns (before, after, seeded).

    With `seed`, a database that had no schema before is also loaded with the bundled reference
    dataset in the same transaction, so no other process ever sees it migrated but empty.
    SQLite runs with foreign keys off (batch migrations copy tables) and is checked with
    `PRAGMA foreign_key_check` afterwards. Two processes starting on a new database do not
    both migrate it: SQLite's transaction is BEGIN EXCLUSIVE, PostgreSQL takes an advisory
    lock; the second one waits, then finds the database at head. `now` dates the reference
    load in the audit trail; it is required with `seed`.
    """
    if seed and now is None:
        raise ValueError("upgrade(seed=True) needs now")
    engine = make_engine(location, foreign_keys=False, exclusive=True)
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            else:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(72616964)"))
            before = schema_version(conn)
            if before is not None and before not in _known_revisions():
                raise schema_mismatch(location, before)  # written by a newer corridor: exit 4
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            seeded = seed and before is None
            if seeded:
                from corridor.record.format import REFERENCE_NAME, reference_document
                from corridor.store.audit import default_change
                from corridor.store.writer import apply

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
        raise unreachable(location, exc) from None
    finally:
        engine.dispose()
    return before, after, seeded
