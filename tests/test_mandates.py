"""A 6+6 mandate recorded the documented way (README "Recording changes") can be reviewed,
renewed, exported and imported: every record the CLI writes is one the format accepts
(issue 7, defect 1)."""

from __future__ import annotations

import json

import pytest

from corridor.record.format import Where, parse_instrument

CONDITION = "subject to the Secretary-General's substantive report"


def _add_6_plus_6(cli, url, *extra):
    r = cli(
        "add", "S/RES/7001 (2025)", "--adopted", "2025-07-10", *extra, "--for", "6mo",
        "--extension", "6mo", "--condition", CONDITION, "-c", "bab al hawa", "--db", url,
    )  # fmt: skip
    assert r.code == 0, r.err
    return r


@pytest.mark.parametrize(
    ("extra", "review_day", "ext_end"),
    [
        pytest.param((), "2026-01-10", "2026-07-10", id="from-adoption"),
        pytest.param(("--from", "2025-07-11"), "2026-01-11", "2026-07-11", id="from-a-date"),
    ],
)
def test_a_6_plus_6_mandate_can_be_reviewed_and_renewed(
    cli, reference_url, extra, review_day, ext_end
):
    url = reference_url
    _add_6_plus_6(cli, url, *extra)
    r = cli("review", "7001", review_day, "--extended", "--on", "2026-01-09", "--db", url)
    assert (r.code, r.err) == (
        0,
        f"Recorded the {review_day} review of S/RES/7001 (2025): extended (decided 2026-01-09).\n",
    )
    r = cli("renew", "7001", "-s", "S/RES/7002 (2026)", "--adopted", "2026-07-09", "--db", url)
    assert r.code == 0, r.err
    assert r.err.startswith("Recorded S/RES/7001 (2025) -> S/RES/7002 (2026): Bab al-Hawa until ")
    data = json.loads(cli("export", "-f", "json", "--db", url).out)
    renewal = next(i for i in data["instruments"] if i["symbol"] == "S/RES/7002 (2026)")
    assert renewal["periods"][0]["start"] > ext_end  # picks up after the granted extension


def test_the_from_date_of_a_period_survives_every_reading(cli, reference_url, engine_for):
    """What the store reads back (dates as `date` values) parses, and says the same thing."""
    from corridor.store.snapshot import instrument_dict

    _add_6_plus_6(cli, reference_url, "--from", "2025-07-11")
    with engine_for(reference_url).connect() as conn:
        from corridor.services.edit import instrument_id_of

        stored = instrument_dict(conn, instrument_id_of(conn, "S/RES/7001 (2025)"))
    rec = parse_instrument(stored, Where(stored["symbol"]))
    assert [p.term_from for p in rec.periods] == ["2025-07-11", "2026-01-11"]


def test_every_instrument_the_store_holds_parses_back(cli, reference_url, engine_for):
    """The store's read model and the format agree on every recorded instrument."""
    from corridor.db import tables as t
    from corridor.store.snapshot import instrument_dict

    _add_6_plus_6(cli, reference_url, "--from", "2025-07-11")
    with engine_for(reference_url).connect() as conn:
        ids = list(conn.execute(t.instruments.select().with_only_columns(t.instruments.c.id)))
        for (iid,) in ids:
            stored = instrument_dict(conn, iid)
            parse_instrument(stored, Where(stored["symbol"]))
    assert len(ids) > 10


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_and_import_keep_a_6_plus_6_mandate_reviewable(
    cli, reference_url, empty_url, tmp_path, fmt
):
    _add_6_plus_6(cli, reference_url, "--from", "2025-07-11")
    path = tmp_path / f"record.{fmt}"
    assert cli("export", "-f", fmt, "-o", str(path), "--db", reference_url).code == 0
    r = cli("import", str(path), "--db", empty_url)
    assert r.code == 0, r.err
    r = cli("review", "7001", "2026-01-11", "--not-extended", "--on", "2026-01-09",
            "--db", empty_url)  # fmt: skip
    assert r.code == 0, r.err
    again = tmp_path / f"again.{fmt}"
    assert cli("export", "-f", fmt, "-o", str(again), "--db", empty_url).code == 0
    assert "not_extended" in again.read_text()
