"""Schema migrations through Alembic: imported only when a database is created or upgraded."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

from corridor.db import Location, make_engine, schema_version, unreachable
from corridor.errors import DatabaseError


def migrations_dir() -> Path:
    """The wheel ships migrations inside the package; a source checkout has them at the root."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "migrations", here.parents[1] / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseError("the migrations are missing from this installation", "reinstall corridor")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(
    location: Location, revision: str = "head", *, seed: bool = False
) -> tuple[str | None, str, bool]:
    """Migrate to `revision` on a connection of its own. Returns (before, after, seeded).

    With `seed`, a database that had no schema before is also loaded with the bundled reference
    dataset in the same transaction, so no other process ever sees it migrated but empty.
    SQLite runs with foreign keys off (batch migrations copy tables) and is checked with
    `PRAGMA foreign_key_check` afterwards. Two processes starting on a new database do not
    both migrate it: SQLite's transaction is BEGIN EXCLUSIVE, PostgreSQL takes an advisory
    lock; the second one waits, then finds the database at head.
    """
    engine = make_engine(location, foreign_keys=False, exclusive=True)
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            else:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(72616964)"))
            before = schema_version(conn)
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            seeded = seed and before is None
            if seeded:
                from corridor.record import reference_document
                from corridor.store import apply

                apply(conn, reference_document())
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
