"""Upgrading a record that has data in it, from every earlier revision, and back (README
"Guarantees"). The seeded rows are the bundled reference record, copied table by table (only the
tables and columns that exist at that revision) from a current database, as a corridor of that
revision would have written them."""

from __future__ import annotations

import os
import sqlite3

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from conftest import IS_PG
from corridor.db.connect import SCHEMA_HEAD, Location, make_engine, schema_version
from corridor.store.migrate import alembic_config, upgrade

# Every revision before the head, oldest first (0001 ... the one before SCHEMA_HEAD).
EARLIER = [
    r.revision
    for r in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
    if r.revision != SCHEMA_HEAD
]
# Derived at upgrade time from the other tables: never seeded.
DERIVED = {"alembic_version", "crossing_keys"}


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    engine = make_engine(Location(url, "test"), foreign_keys=False, exclusive=True)
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)
        conn.commit()
    engine.dispose()


# Emptied and rebuilt by the upgrade through 0003 (deadline uids changed meaning there).
REBUILT_BY_0003 = {"coverage", "deadlines"}


def _seed(url: str, reference_url: str, revision: str) -> dict[str, int]:
    """Copy the reference rows into the tables (and columns) that exist in `url`."""
    from corridor.db import tables as t

    source = make_engine(Location(reference_url, "test"), read_only=True)
    target = make_engine(Location(url, "test"), foreign_keys=False)
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        present = set(sa.inspect(dst).get_table_names()) - {"alembic_version"}
        if revision < "0005":  # filled by the upgrade through 0005; later, by the writer
            present -= DERIVED
        if revision < "0003":
            present -= REBUILT_BY_0003
        for table in t.metadata.sorted_tables:
            if table.name not in present:
                continue
            cols = {c["name"] for c in sa.inspect(dst).get_columns(table.name)}
            rows = [
                {k: v for k, v in r._mapping.items() if k in cols}
                # in key order: a renewal's row comes after the row it renews (its foreign key)
                for r in src.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            if table.name == "crossings" and "country_a" in cols:  # before 0007: two columns
                sides: dict[int, list[str]] = {}
                for cid, code in src.execute(
                    sa.text(
                        "SELECT crossing_id, code FROM crossing_countries ORDER BY crossing_id, "
                        "position"
                    )
                ):
                    sides.setdefault(cid, []).append(code)
                for row in rows:
                    row["country_a"], row["country_b"] = sides[row["id"]][:2]
            counts[table.name] = len(rows)
            if rows:  # into the table as it is at that revision (no later defaults)
                dst.execute(sa.insert(sa.Table(table.name, sa.MetaData(), autoload_with=dst)), rows)
        if dst.dialect.name == "postgresql":  # rows came with their ids: move the sequences on
            for name in counts:
                if "id" in t.metadata.tables[name].c:
                    dst.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                    )
    source.dispose()
    target.dispose()
    return counts


def _counts(url: str, names) -> dict[str, int]:
    engine = make_engine(Location(url, "test"), read_only=True)
    with engine.connect() as conn:
        out = {n: conn.exec_driver_sql(f"SELECT COUNT(*) FROM {n}").scalar() for n in names}
    engine.dispose()
    return out


def test_there_are_earlier_revisions_to_test():
    assert EARLIER[0] == "0001" and len(EARLIER) >= 4


@pytest.mark.parametrize("revision", EARLIER)
def test_a_database_with_data_at_an_earlier_revision_upgrades_to_head(
    revision, new_url, reference_url, cli
):
    _migrate(new_url, revision)
    counts = _seed(new_url, reference_url, revision)
    assert counts["instruments"] > 0 and counts["crossing_aliases"] > 0
    r = cli("db", "current", "--db", new_url)
    assert r.code == 0 and r.out.startswith(f"{revision} (needs upgrade to {SCHEMA_HEAD})")
    r = cli("db", "upgrade", "--db", new_url)
    assert r.code == 0, r.err
    assert f"Schema migrated from {revision} to {SCHEMA_HEAD}." in r.err
    assert _counts(new_url, counts) == counts  # no row lost on the way
    rebuilt = _counts(new_url, REBUILT_BY_0003)
    assert rebuilt == _counts(reference_url, REBUILT_BY_0003)  # derived rows, rebuilt
    # Every name is indexed (one crossing per name), and the record reads, exports and edits
    # like a new one.
    assert _counts(new_url, ["crossing_keys"])["crossing_keys"] >= counts["crossings"]
    # The caveat (revision 0010) had no column before: the reference's is the only difference.
    import yaml

    upgraded = yaml.safe_load(cli("export", "--db", new_url).out)
    reference = yaml.safe_load(cli("export", "--db", reference_url).out)
    if revision < "0010":
        for i in reference["instruments"]:
            i.pop("caveat", None)
    assert upgraded == reference
    r = cli("crossing", "alias", "bab al hawa", "Upgraded gate", "--db", new_url)
    assert r.code == 0, r.err
    r = cli("crossing", "alias", "al-ramtha", "upgraded  GATE", "--db", new_url)
    assert r.code == 5 and "already names the crossing Bab al-Hawa" in r.err


@pytest.mark.skipif(IS_PG, reason="the backup copies a SQLite file")
def test_upgrading_a_sqlite_file_backs_it_up_first_and_says_where(
    new_url, reference_url, cli, tmp_path
):
    _migrate(new_url, EARLIER[0])
    counts = _seed(new_url, reference_url, EARLIER[0])
    path = sa.make_url(new_url).database
    r = cli("db", "upgrade", "--db", new_url)
    assert r.code == 0, r.err
    line = next(x for x in r.err.splitlines() if x.startswith("Backed up the database"))
    copy = line.rsplit(" to ", 1)[1].rstrip(".")
    assert os.path.dirname(copy) == os.path.dirname(path) and copy != path
    assert os.stat(copy).st_mode & 0o077 == 0  # as private as the record itself
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert (
            conn.execute("SELECT COUNT(*) FROM instruments").fetchone()[0] == counts["instruments"]
        )
    # Nothing to migrate: no backup.
    r = cli("db", "upgrade", "--db", new_url)
    assert r.code == 0 and "Backed up" not in r.err


def test_downgrade_then_upgrade_round_trips(reference_url, cli):
    """From head down to each earlier revision and back up: the record is the same."""
    r = cli("crossing", "alias", "bab al hawa", "Before the round trip", "--db", reference_url)
    assert r.code == 0, r.err
    # A downgrade below 0010 drops the caveat column, and the caveat with it.
    r = cli("correct", "Bab al-Hawa (2023", "caveat=", "--yes", "--db", reference_url)
    assert r.code == 0, r.err
    before = cli("export", "--db", reference_url).out
    keys = _counts(reference_url, ["crossing_keys"])
    for revision in reversed(EARLIER):
        _migrate(reference_url, revision, down=True)
        engine = make_engine(Location(reference_url, "test"), read_only=True)
        with engine.connect() as conn:
            assert schema_version(conn) == revision
        engine.dispose()
        upgrade(Location(reference_url, "test"))
        after = cli("export", "--db", reference_url).out
        if revision < "0002":  # below the audit trail: the calendar revisions it counts go too
            assert _no_revisions(after) == _no_revisions(before), revision
        else:
            assert after == before, revision
        assert _counts(reference_url, ["crossing_keys"]) == keys


def _no_revisions(text: str) -> str:
    """The export without the calendar's revision and last change (counted from the audit
    trail: docs/format.md, "Moving a record")."""
    return "\n".join(
        line
        for line in text.splitlines()
        if not line.strip().startswith(("revision:", "modified:"))
    )


def test_db_current_refuses_a_database_written_by_a_newer_corridor(reference_url, cli):
    """Defect 11: a revision this corridor does not know exits 4, like every other command."""
    engine = make_engine(Location(reference_url, "test"))
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'zzzz'")
    engine.dispose()
    for args in (("db", "current"), ("db", "current", "--format", "json"), ("status",)):
        r = cli(*args, "--db", reference_url)
        assert r.code == 4, (args, r.out, r.err)
        assert "zzzz" in r.err and "newer corridor" in r.err and r.out == ""
