"""`remove`: an instrument removed takes its name out of the review outcomes it decided, and
the audit trail says so."""

from __future__ import annotations

import json


def test_removing_an_instrument_removes_its_name_from_review_outcomes(cli, reference_url):
    def decided_by(url):
        data = json.loads(cli("export", "-f", "json", "--db", url).out)
        return {
            (i["symbol"], r["date"]): r.get("decided_by")
            for i in data["instruments"]
            for r in i.get("reviews", [])
        }

    before = decided_by(reference_url)
    assert before[("S/RES/2642 (2022)", "2023-01-10")] == "S/RES/2672 (2023)"
    r = cli("remove", "S/RES/2672 (2023)", "--yes", "--db", reference_url)
    assert r.code == 0, r.err
    assert "S/RES/2642 (2022)" in r.err
    after = decided_by(reference_url)
    assert after[("S/RES/2642 (2022)", "2023-01-10")] is None
    assert "S/RES/2672 (2023)" not in after.values()
    log = json.loads(cli("log", "-n", "2", "-f", "json", "--db", reference_url).out)["items"]
    assert [(e["action"], e["key"]) for e in log] == [
        ("updated", "S/RES/2642 (2022)"),
        ("removed", "S/RES/2672 (2023)"),
    ]
