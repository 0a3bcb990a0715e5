"""One name, one crossing, enforced by the database (README "Guarantees", defect 2): every
writer goes through `crossing_keys`, whose primary key is the folded name."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from corridor.db import tables as t


def _file(tmp_path, body: str):
    path = tmp_path / "names.yaml"
    path.write_text("corridor: 1\ncrossings:\n" + body)
    return str(path)


GATE = "  - slug: {slug}\n    name: {name}\n    countries: [SY, TR]\n    aliases: [{aliases}]\n"


def test_an_import_giving_one_name_to_two_crossings_is_refused(empty_url, cli, tmp_path):
    body = GATE.format(slug="north-gate", name="North Gate", aliases="Twin")
    body += GATE.format(slug="south-gate", name="South Gate", aliases="the TWIN")
    r = cli("import", _file(tmp_path, body), "--db", empty_url)
    assert r.code == 5 and '"the TWIN" already names the crossing North Gate' in r.err
    assert "gate" not in cli("crossing", "list", "--db", empty_url).out  # all or nothing


def test_an_import_refuses_a_name_another_crossing_already_has(reference_url, cli, tmp_path):
    before = cli("export", "--db", reference_url).out
    body = GATE.format(slug="new-gate", name="New Gate", aliases="Bab el Hawa")
    r = cli("import", _file(tmp_path, body), "--db", reference_url)
    assert r.code == 5 and "already names the crossing Bab al-Hawa" in r.err
    assert cli("export", "--db", reference_url).out == before


def test_a_name_can_move_between_crossings_in_one_import(empty_url, cli, tmp_path):
    first = GATE.format(slug="north-gate", name="North Gate", aliases="Moving")
    first += GATE.format(slug="south-gate", name="South Gate", aliases="")
    assert cli("import", _file(tmp_path, first), "--db", empty_url).code == 0
    moved = GATE.format(slug="south-gate", name="South Gate", aliases="Moving")
    moved += GATE.format(slug="north-gate", name="North Gate", aliases="")
    r = cli("import", _file(tmp_path, moved), "--yes", "--db", empty_url)
    assert r.code == 0, r.err
    r = cli("crossing", "show", "moving", "--format", "json", "--db", empty_url)
    assert r.code == 0 and '"south-gate"' in r.out


def test_removing_a_crossing_frees_its_names(empty_url, cli):
    assert cli("crossing", "add", "East Gate", "--countries", "SY,IQ", "--db", empty_url).code == 0
    assert cli("remove", "--crossing", "east gate", "--yes", "--db", empty_url).code == 0
    r = cli("crossing", "add", "West Gate", "--countries", "SY,IQ", "--alias", "East Gate",
            "--db", empty_url)  # fmt: skip
    assert r.code == 0, r.err


def test_the_database_itself_refuses_a_shared_name(reference_url, engine_for):
    """Even a writer that skipped every check in the program cannot store it."""
    engine = engine_for(reference_url)
    with engine.connect() as conn:
        key, owner = conn.execute(
            sa.select(t.crossing_keys.c.name_key, t.crossing_keys.c.crossing_id)
        ).first()
        other = conn.execute(sa.select(t.crossings.c.id).where(t.crossings.c.id != owner)).scalar()
        conn.rollback()
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.insert(t.crossing_keys).values(name_key=key, crossing_id=other))


def test_a_confirmed_change_is_not_applied_to_a_record_that_changed_meanwhile(
    reference_url, cli, monkeypatch
):
    """A change that overwrites facts is shown, confirmed, then made afresh under the write
    lock; if another writer changed the same facts while the user read the question, the
    confirmed change is not silently applied to something else."""
    from corridor.cli import writing

    def confirm_while_someone_else_writes(question: str) -> bool:
        assert question == "Correct bab-al-hawa: lat: 36.2306 -> 36.3?"
        r = cli("correct", "--crossing", "bab al hawa", "lat=36.25", "--yes", "--db", reference_url)
        assert r.code == 0, r.err
        return True

    monkeypatch.setattr(writing, "confirm", confirm_while_someone_else_writes)
    r = cli("correct", "--crossing", "bab al hawa", "lat=36.3", "--db", reference_url)
    assert r.code == 2 and "the record changed while you were deciding" in r.err
    r = cli("crossing", "show", "bab al hawa", "--format", "json", "--db", reference_url)
    assert '"lat": 36.25' in r.out
