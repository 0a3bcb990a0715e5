"""No internal errors and bounded work (README "Guarantees"): renewal chains of any length,
cycles of any length, huge numbers and widths, old records with refused characters, backups
that are never partial nor piled up, a used outbox that no downgrade drops."""

from __future__ import annotations

import os
import stat

import pytest
import sqlalchemy as sa

from conftest import IS_PG


def _chain(n: int, newest_first: bool = True) -> str:
    """A record of one crossing and a renewal chain of `n` instruments, 1 month each."""
    items = []
    for k in range(n):
        year, month = 1950 + k // 12, k % 12 + 1
        renews = f'    renews: "C/{k - 1}"\n' if k else ""
        begins = "from: previous" if k else f"start: {year}-{month:02d}-01"
        items.append(
            f'  - symbol: "C/{k}"\n    kind: agreement\n    authority: Chain Authority\n'
            f"    timezone: UTC\n    adopted: {year}-{month:02d}-01\n{renews}"
            f"    periods: [{{crossings: [chain-x], {begins}, for: 1mo}}]\n"
        )
    if newest_first:
        items.reverse()
    return (
        "corridor: 1\ncrossings:\n  - {slug: chain-x, name: Chain X, countries: [SY, TR]}\n"
        "instruments:\n" + "".join(items)
    )


def test_a_long_chain_listed_newest_first_imports_and_a_long_cycle_is_refused(
    empty_url, cli, tmp_path
):
    path = tmp_path / "chain.yaml"
    path.write_text(_chain(1500))
    r = cli("import", str(path), "--yes", "--db", empty_url)
    assert r.code == 0, r.err
    r = cli("correct", "C/0", "renews=C/1499", "--yes", "--db", empty_url)
    assert r.code == 5 and "cycle" in r.err and "Traceback" not in r.err, r.err
    assert len([x for x in r.err.splitlines() if x.startswith("Error: ")]) == 1


def test_a_cycle_in_a_file_is_refused_whatever_its_length(empty_url, cli, tmp_path):
    text = _chain(1200).replace('  - symbol: "C/0"\n', '  - symbol: "C/0"\n    renews: "C/1199"\n')
    path = tmp_path / "cycle.yaml"
    path.write_text(text)
    r = cli("import", str(path), "--yes", "--db", empty_url)
    assert r.code == 5 and "cycle" in r.err and "more" in r.err, r.err


def test_huge_widths_are_refused_or_clamped(reference_url, cli, monkeypatch):
    r = cli("timeline", "--width", "99999999999", "--db", reference_url)
    assert r.code == 2 and "30<=x<=1000" in r.err
    monkeypatch.setenv("COLUMNS", "999999999")
    r = cli("timeline", "--db", reference_url)
    assert r.code == 0 and max(len(line) for line in r.out.splitlines()) <= 1000
    r = cli("crossing", "list", "--db", reference_url)
    assert r.code == 0 and max(len(line) for line in r.out.splitlines()) <= 1000


def test_check_takes_a_huge_window_without_an_internal_error(reference_url, cli):
    """A huge threshold is a range like any other (docs/alerts.md, "Monitoring"): one plugin
    line and a verdict, never an OverflowError."""
    for opt in ("--warn", "-w", "-c"):
        r = cli("check", opt, "999999999", "--db", reference_url)
        assert r.code in (0, 1, 2, 3) and r.out.startswith("CORRIDOR "), (opt, r.out, r.err)
        assert "internal error" not in r.out + r.err and r.out.count("\n") == 1


def test_an_automatic_renewal_past_2199_names_the_file_and_line(reference_url, cli, tmp_path):
    path = tmp_path / "auto.yaml"
    path.write_text(
        "corridor: 1\ninstruments:\n  - symbol: AR/1\n    kind: agreement\n"
        "    authority: Someone\n    timezone: UTC\n    adopted: 2190-01-10\n    periods:\n"
        "      - crossings: [bab-al-hawa]\n        for: 6mo\n"
        "        auto_renew: {for: 6mo, max: 100}\n"
    )
    r = cli("import", str(path), "--yes", "--db", reference_url)
    assert r.code == 5 and "auto.yaml, line 11" in r.err and "2199" in r.err, r.err


HOSTILE = "\x1b]0;x\x07"


def _poison(engine_for, url: str) -> None:
    with engine_for(url).begin() as conn:
        conn.execute(
            sa.text("UPDATE crossings SET name = :n WHERE slug = 'bab-al-hawa'"),
            {"n": f"Bab{HOSTILE} al-Hawa"},
        )
        conn.execute(
            sa.text("UPDATE instruments SET symbol = :s, notes = :m WHERE symbol = :o"),
            {"s": "S/RES/2672\x1b (2023)", "m": "bad\u202e", "o": "S/RES/2672 (2023)"},
        )


def test_old_values_are_reported_edited_around_and_exported_legibly(
    reference_url, engine_for, cli, tmp_path, databases
):
    _poison(engine_for, reference_url)
    if not IS_PG:
        os.chmod(sa.make_url(reference_url).database, 0o644)
    r = cli("db", "upgrade", "--db", reference_url)
    assert r.code == 0, r.err
    assert "3 stored value(s)" in r.err
    assert "corridor correct --crossing bab-al-hawa 'name=Bab]0;x al-Hawa'" in r.err
    assert "corridor correct 'S/RES/2672\\x1b (2023)' 'symbol=S/RES/2672 (2023)'" in r.err
    assert "\x1b" not in r.err and "\u202e" not in r.err
    if not IS_PG:
        mode = os.stat(sa.make_url(reference_url).database).st_mode
        assert stat.S_IMODE(mode) == 0o600
    # an edit of another field works, and the instrument is found by its legible symbol
    r = cli("correct", "S/RES/2672\\x1b (2023)", "title=A title", "--yes", "--db", reference_url)
    assert r.code == 0, r.err
    r = cli("crossing", "alias", "bab-al-hawa", "Another Name", "--db", reference_url)
    assert r.code == 0, r.err
    # export -> import works: the refused characters are written as visible escapes
    out = tmp_path / "e.yaml"
    assert cli("export", "-o", str(out), "--db", reference_url).code == 0
    text = out.read_text()
    assert "\x1b" not in text and "\\x1b" in text and "\\u202e" in text
    fresh = databases.clone("migrated")
    r = cli("import", str(out), "--yes", "--db", fresh)
    assert r.code == 0, r.err


@pytest.mark.skipif(IS_PG, reason="SQLite backups")
def test_backups_are_never_partial_and_retries_reuse_them(reference_url, tmp_path):
    from pathlib import Path

    from corridor.store.migrate import backup_sqlite

    path = Path(sa.make_url(reference_url).database)
    leftover = path.with_name(f".{path.name}.before-x.partial")
    leftover.write_bytes(b"")  # an interrupted backup
    first = backup_sqlite(path, "before-x", None)
    again = backup_sqlite(path, "before-x", None)
    assert first == again and first.stat().st_size > 0
    assert not leftover.exists()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert len(list(path.parent.glob(f"{path.stem}.before-x*"))) == 1


def test_a_downgrade_below_the_outbox_keeps_a_used_outbox(reference_url, engine_for):
    from alembic import command

    from corridor.core.errors import DatabaseError
    from corridor.store.migrate import alembic_config

    with engine_for(reference_url).begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO alert_outbox (uid, due_date, threshold, recipient, kind, payload,"
                " status, attempts, queued_at) VALUES ('u1', '2025-01-01', 7, 'team', 'expiry',"
                " '{}', 'sent', 1, '2025-01-01 00:00:00')"
            )
        )
    from corridor.db.connect import Location, make_engine

    engine = make_engine(Location(reference_url, "test"), foreign_keys=False, exclusive=True)
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        with pytest.raises(DatabaseError, match="outbox holds 1"):
            command.downgrade(cfg, "0003")
        conn.rollback()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM alert_outbox")).scalar() == 1
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        assert version >= "0004"  # stopped at the outbox (SQLite) or rolled back (PostgreSQL)
    engine.dispose()


def test_a_comma_in_a_crossing_name_is_written_backslash_comma(empty_url, cli):
    r = cli("crossing", "add", "Gate 1, North", "--slug", "gate-1", "--countries", "SY,TR",
            "--db", empty_url)  # fmt: skip
    assert r.code == 0, r.err
    r = cli("status", "-c", "Gate 1\\, North", "--db", empty_url)
    assert r.code == 0, r.err
    r = cli("status", "-c", "Gate 1, North", "--db", empty_url)
    assert r.code == 3  # "Gate 1" and "North" are two names, neither recorded


def test_the_calendar_never_links_javascript(reference_url, engine_for, cli):
    with engine_for(reference_url).begin() as conn:
        conn.execute(sa.text("UPDATE instruments SET source_url = 'javascript:alert(1)'"))
    r = cli("upcoming", "--as-of", "2023-06-01", "--within", "60", "--format", "ics",
            "--db", reference_url)  # fmt: skip
    assert r.code == 0 and "BEGIN:VEVENT" in r.out
    unfolded = r.out.replace("\r\n ", "").replace("\r", "")
    assert "URL:javascript" not in unfolded
    urls = [line for line in unfolded.splitlines() if line.startswith("URL")]
    assert all(line.startswith("URL:https://") for line in urls), urls  # a derived link


def test_the_export_dumped_record_by_record_is_the_whole_dump(reference_url, engine_for):
    from corridor.record.write import to_yaml, yaml_chunks
    from corridor.store.snapshot import document_dict, document_parts

    with engine_for(reference_url).connect() as conn:
        whole = to_yaml(document_dict(conn))
        pieces = list(yaml_chunks(document_parts(conn)))
    assert len(pieces) > 10 and "".join(pieces) == whole


def test_a_json_file_is_labelled_json_whatever_its_shape(reference_url, cli, tmp_path):
    path = tmp_path / "r.json"
    path.write_text('  [{"corridor": 1,,}]')
    r = cli("import", str(path), "--yes", "--db", reference_url)
    assert r.code == 5 and "not valid JSON" in r.err and "YAML" not in r.err
