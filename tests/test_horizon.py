"""Each crossing's horizon (docs/time.md, "Where the record's knowledge ends"): a fact moves
only its own crossings' horizons, a draft must name its crossings, a second corridor has its
own, and `crossing checked` declares the record complete (confirming a lapse)."""

from __future__ import annotations

import json


def test_a_renewal_moves_only_its_own_crossings_horizon(cli, reference_url):
    r = cli("renew", "Syria consent: Bab al-Hawa, extension 2 (to 2025-01-13)",
            "-s", "Example consent: Bab al-Hawa, extension 3", "--adopted", "2025-01-20",
            "--by", "t", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    items = {
        i["slug"]: i
        for i in json.loads(
            cli("status", "--db", reference_url, "--as-of", "2025-03-01", "-f", "json").out
        )["items"]
    }
    assert items["bab-al-hawa"]["state"] == "authorized"
    assert items["bab-al-hawa"]["record_ends"] == "2025-01-20"
    assert items["bab-al-salam"]["record_ends"] == "2024-11-13"
    warned = cli("status", "--db", reference_url, "--as-of", "2025-03-01").err
    assert "Bab al-Hawa" not in warned and "Bab al-Salam" in warned


def test_a_draft_moves_only_its_crossings_and_must_name_one(cli, reference_url):
    r = cli("draft", "2025-03-05", "A vetoed draft", "--kind", "vetoed", "--db", reference_url)
    assert r.code == 2 and "crossings" in r.err
    r = cli("draft", "2025-03-05", "A vetoed draft", "--kind", "vetoed", "-c", "bab al hawa",
            "--by", "t", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    items = {
        i["slug"]: i
        for i in json.loads(
            cli("status", "--db", reference_url, "--as-of", "2025-03-07", "-f", "json").out
        )["items"]
    }
    assert items["bab-al-salam"]["state"] == "unrenewed"
    assert items["bab-al-hawa"]["state"] == "lapsed"  # the veto is the reason
    assert items["bab-al-hawa"]["reason"]["kind"] == "vetoed"
    assert items["bab-al-hawa"]["record_ends"] == "2025-03-05"
    # A replay before the veto was known is unchanged by it.
    before = json.loads(
        cli("status", "--db", reference_url, "--as-of", "2025-03-05", "-f", "json").out
    )["items"]
    hawa = next(i for i in before if i["slug"] == "bab-al-hawa")
    assert (hawa["state"], hawa["record_ends"]) == ("unrenewed", "2025-01-13")


def test_a_second_corridor_has_its_own_horizon(cli, reference_url, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(
        "corridor: 1\n"
        "dataset: {name: Another corridor, knowledge_ends: 2026-06-30}\n"
        "crossings:\n"
        "  - {slug: port-x, name: Port X, countries: [SY, TR]}\n"
    )
    r = cli("import", str(other), "--yes", "--by", "t", "--db", reference_url)
    assert r.code == 0, r.err
    items = {
        i["slug"]: i
        for i in json.loads(
            cli("status", "--db", reference_url, "--as-of", "2026-07-02", "-f", "json").out
        )["items"]
    }
    assert items["port-x"]["record_ends"] == "2026-06-30"
    assert items["port-x"]["state"] == "never"
    assert items["bab-al-hawa"]["record_ends"] == "2025-01-13"


def test_crossing_checked_declares_the_record_complete(cli, reference_url):
    r = cli("crossing", "checked", "bab al salam", "al-rai", "--on", "2025-02-01",
            "--by", "t", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    # A check dated D is known once D is over everywhere: before, it is invisible. (The record
    # keeps one declaration per crossing: the one it replaced is in the audit trail only.)
    shown = cli("crossing", "show", "al-rai", "--db", reference_url, "--as-of", "2025-01-20")
    assert "Record known up to: 2025-02-01" not in shown.out
    shown = cli("crossing", "show", "al-rai", "--db", reference_url, "--as-of", "2025-02-03")
    assert "Record known up to: 2025-02-01" in shown.out
    item = json.loads(
        cli(
            "status", "-c", "al-rai", "--db", reference_url, "--as-of", "2025-02-03", "-f", "json"
        ).out
    )["items"][0]
    assert (item["state"], item["record_ends"]) == ("lapsed", "2025-02-01")
    assert item["reason"]["kind"] == "checked"  # the check past the end confirms the lapse
    assert "crossing checked" in cli("log", "--db", reference_url).out
    back = cli("crossing", "checked", "al-rai", "--on", "2025-01-01", "--db", reference_url)
    assert back.code == 2 and "already recorded as complete as of 2025-02-01" in back.err
