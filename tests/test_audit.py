"""The audit trail: who changed what, when, from which source; one entry per changed record."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from corridor.core.errors import InvalidDataError
from corridor.db import tables as t
from corridor.store.audit import Change, diff, entries

NOON = datetime(2099, 3, 1, 12, 0, tzinfo=UTC)  # later than any real change


def test_who_changed_the_bab_al_hawa_expiry_and_when(cli, reference_url):
    r = cli(
        "correct", "Syria consent: Bab al-Hawa, extension 2", "for=", "until=2025-01-14",
        "--source", "OCHA update of 2024-07-12", "--by", "Amal", "--yes", "--db", reference_url,
    )  # fmt: skip
    assert r.code == 0, r.err
    r = cli("correct", "--crossing", "bab al salam", "notes=Öncüpınar gate", "--yes",
            "--by", "Omar", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err

    r = cli("log", "--crossing", "bab al hawa", "--limit", "1", "--tz", "Europe/Istanbul",
            "--db", reference_url)  # fmt: skip
    assert (r.code, r.err) == (0, "")
    lines = r.out.splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d Europe/Istanbul  Amal  correct: updated instrument "
        r"Syria consent: Bab al-Hawa, extension 2 \(to 2025-01-13\)",
        lines[0],
    )
    assert lines[1:] == [
        "    periods[0].until: 2025-01-13 -> 2025-01-14",
        "    periods[0].for: 6mo -> (none)",
        "    periods[0].from: previous -> (none)",
        "    source: OCHA update of 2024-07-12",
    ]
    # The Bab al-Salam change is not Bab al-Hawa's, and shows under its own crossing.
    salam = cli("log", "-c", "Öncüpınar", "-f", "json", "--db", reference_url)
    latest = json.loads(salam.out)["items"][0]
    assert (latest["by"], latest["entity"], latest["key"]) == ("Omar", "crossing", "bab-al-salam")
    assert latest["changes"] == [
        {
            "field": "notes",
            "old": "Syrian side: Aleppo governorate, 5 km north of Azaz. Other side: Öncüpınar "
            "gate, Kilis, Türkiye.",
            "new": "Öncüpınar gate",
        }
    ]


def test_the_reference_load_is_audited_once_per_record(cli, reference_url):
    data = json.loads(cli("log", "--format", "json", "--db", reference_url).out)
    items = data["items"]
    assert len(items) == 37
    assert {(i["via"], i["action"], i["source"]) for i in items} == {
        ("reference", "created", "reference.yaml")
    }
    assert sum(i["entity"] == "instrument" for i in items) == 21
    hawa = json.loads(cli("log", "-c", "cilvegozu", "-f", "json", "--db", reference_url).out)
    assert len(hawa["items"]) == 1 + 14 + 10  # the crossing, its instruments, its drafts


def test_log_since_and_instrument_filters(cli, reference_url):
    assert (
        cli("log", "--since", "2000-01-01", "-n", "2", "--db", reference_url).out.count(
            "reference: created"
        )
        == 2
    )
    r = cli("log", "--since", "2199-01-01", "--db", reference_url)
    assert (r.code, r.out, r.err) == (0, "", "No changes recorded for that filter.\n")
    r = cli("log", "--instrument", "2642", "--db", reference_url)
    assert r.out.splitlines()[0].endswith("reference: created instrument S/RES/2642 (2022)")
    assert r.out.splitlines()[1] == "    periods[0]: bab-al-hawa 2022-07-12 to 2023-01-10"
    r = cli("log", "--since", "2023-02-30", "--db", reference_url)
    assert r.code == 2 and r.err.startswith('Error: --since "2023-02-30" is not a real date')


def test_a_removed_crossing_lives_on_in_the_trail(cli, reference_url):
    assert cli("crossing", "add", "Jaber", "--countries", "SY,JO", "--db", reference_url).code == 0
    r = cli("remove", "--crossing", "jaber", "--yes", "--by", "Lina", "--db", reference_url)
    assert (r.code, r.err) == (0, "Removed the crossing jaber.\n")
    items = json.loads(cli("log", "-c", "jaber", "-f", "json", "--db", reference_url).out)["items"]
    assert [(i["action"], i["by"]) for i in items][:1] == [("removed", "Lina")]
    assert items[0]["old"]["name"] == "Jaber" and items[0]["new"] is None


def test_services_take_the_time_and_the_author_as_input(reference_url, engine_for):
    from corridor.services.decisions import record_review

    change = Change(NOON, "tester", "review", "UN press release")
    with engine_for(reference_url).begin() as conn:
        record_review(conn, "S/RES/2642 (2022)", datetime(2023, 1, 10).date(), "extended",
                      datetime(2023, 1, 8).date(), change)  # fmt: skip
        latest = entries(conn, limit=1)[0]
    assert (latest.at, latest.by, latest.via, latest.source) == (
        NOON,
        "tester",
        "review",
        "UN press release",
    )
    assert latest.fields == [("reviews[0].decided_on", "2023-01-09", "2023-01-08")]
    assert latest.crossings == ["bab-al-hawa"]


def test_a_failed_change_leaves_no_trail(reference_url, engine_for):
    from corridor.services.corrections import Target, correct

    engine = engine_for(reference_url)
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(t.changes)).scalar()
    with pytest.raises(InvalidDataError), engine.begin() as conn:
        correct(conn, Target("instrument", "2585"), ["periods[1].until=2022-07-11"],
                Change(NOON, "x", "correct"))  # fmt: skip
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.changes)).scalar() == count


def test_diff_names_the_changed_fields():
    old = {"symbol": "A", "periods": [{"until": "2023-01-10", "crossings": ["x"]}], "vote": "1"}
    new = {"symbol": "A", "periods": [{"until": "2023-01-11", "crossings": ["x", "y"]}]}
    assert diff(old, new) == [
        ("periods[0].until", "2023-01-10", "2023-01-11"),
        ("periods[0].crossings", ["x"], ["x", "y"]),
        ("vote", "1", None),
    ]


def test_audited_values_equal_what_a_fresh_read_exports(reference_url, engine_for):
    """The store builds each audit entry's new value from what it wrote, without reading it
    back; it must equal the export of the stored instrument."""
    import json

    import sqlalchemy as sa

    from corridor.db import tables as t
    from corridor.store.snapshot import instrument_dict, plain

    with engine_for(reference_url).connect() as conn:
        ids = dict(conn.execute(sa.select(t.instruments.c.symbol, t.instruments.c.id)).all())
        rows = conn.execute(sa.select(t.changes).where(t.changes.c.entity == "instrument")).all()
        assert len(rows) == 21
        for row in rows:
            new = json.loads(row.new_value)
            assert new == plain(instrument_dict(conn, ids[row.record_key])), row.record_key
