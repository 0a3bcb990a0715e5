"""A deadline's identity (docs/time.md, "A deadline's identity"): its uid does not depend on
the filter, the symbol's spelling or the database, and survives a corrected date."""

from __future__ import annotations

import json

NY = ("--tz", "America/New_York")


def _uids(cli, url, *extra):
    r = cli("upcoming", "--db", url, "--as-of", "2020-01-01", "--within", "30", "-f", "json",
            *NY, *extra)  # fmt: skip
    return {(i["kind"], i["date"]): i["uid"] for i in json.loads(r.out)["items"]}


def test_uids_do_not_depend_on_the_filter_the_spelling_or_the_database(
    cli, reference_url, new_url, tmp_path
):
    everything = _uids(cli, reference_url)
    # S/RES/2449's expiry on 2020-01-10 covers four crossings in one row.
    key = ("expiry", "2020-01-10")
    for name in ("bab al hawa", "al yarubiyah", "al-ramtha"):
        assert _uids(cli, reference_url, "-c", name)[key] == everything[key]
    backup = tmp_path / "backup.yaml"
    assert cli("export", "-o", str(backup), "--db", reference_url).code == 0
    assert cli("import", str(backup), "--db", new_url).code == 0
    assert _uids(cli, new_url) == everything
    r = cli("correct", "S/RES/2449 (2018)", "symbol=S/RES/2449(2018)", "--yes", "--by", "t",
            "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    assert _uids(cli, reference_url) == everything


def test_a_corrected_date_keeps_the_uid(cli, reference_url):
    args = (
        "upcoming",
        "--db",
        reference_url,
        "--as-of",
        "2022-11-20",
        "-k",
        "report",
        "-f",
        "json",
    )
    (before,) = json.loads(cli(*args).out)["items"]
    r = cli("correct", "S/RES/2642 (2022)", "reports[0].due=2022-12-12", "--yes",
            "--by", "t", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    (after,) = json.loads(cli(*args).out)["items"]
    assert (after["date"], after["uid"]) == ("2022-12-12", before["uid"])
