"""The reference data of issue 16, item 12: the 2022-07-08 veto's vote and source, votes in
one notation, a sourced caveat on the 2023-07-13 Bab al-Hawa consent shown beside
"authorized", and the unconfirmed November 2024 extension left out, with what was searched."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

import corridor
from corridor.core.errors import EXIT_INVALID

DATA = Path(corridor.__file__).parent / "data" / "reference.yaml"
CONSENT = "Syria consent: Bab al-Hawa (2023-07-13)"


def _reference() -> dict:
    return yaml.safe_load(DATA.read_text("utf-8"))


def test_the_2022_07_08_veto_has_its_vote_and_source():
    [veto] = [
        e
        for e in _reference()["events"]
        if str(e["date"]) == "2022-07-08" and e["kind"] == "vetoed"
    ]
    assert veto["vote"] == "13-1-1"
    assert veto["source"] == "UN press release SC/14963"


def test_every_vote_is_written_as_counts():
    doc = _reference()
    votes = [i["vote"] for i in doc["instruments"] if i.get("vote")]
    votes += [e["vote"] for e in doc["events"] if e.get("vote")]
    assert len(votes) >= 20
    assert all(re.fullmatch(r"\d+-\d+-\d+", v) for v in votes), votes


@pytest.mark.parametrize("vote", ["unanimous", "12 to 3", "12-0", "15-0-0 (unanimous)"])
def test_a_vote_in_another_notation_is_refused(cli, reference_url, vote):
    r = cli("correct", "2642", f"vote={vote}", "--yes", "--db", reference_url)
    assert r.code == EXIT_INVALID
    assert "is not a vote count" in r.err and "e.g. 12-0-3" in r.err
    r = cli("draft", "2024-01-01", "A draft", "--kind", "other", "--vote", vote,
            "-c", "bab al hawa", "--db", reference_url)  # fmt: skip
    assert r.code == EXIT_INVALID
    schema = json.loads(cli("schema").out)
    assert "vote" in json.dumps(schema) and "[0-9]{1,4}-[0-9]{1,4}-[0-9]{1,4}" in json.dumps(schema)


def _status(cli, url, day):
    r = cli("status", "--as-of", day, "--format", "json", "--db", url)
    assert r.code == 0, r.err
    return {i["slug"]: i for i in json.loads(r.out)["items"]}


def test_the_2023_consent_is_authorized_with_its_caveat(cli, reference_url):
    items = _status(cli, reference_url, "2023-08-01")
    hawa = items["bab-al-hawa"]
    assert hawa["state"] == "authorized" and hawa["instruments"] == [CONSENT]
    assert "two unacceptable conditions" in hawa["caveat"]
    assert "2023-08-08" in hawa["caveat"] and "2023-09-19" in hawa["caveat"]
    assert "(AFP" in hawa["caveat"]  # the caveat names its sources
    assert items["bab-al-salam"]["caveat"] is None  # other crossings: none
    # The next step (extension 1, from 2024-01-14) carries no caveat.
    assert _status(cli, reference_url, "2024-03-01")["bab-al-hawa"]["caveat"] is None
    table = cli("status", "--as-of", "2023-08-01", "--db", reference_url).out
    row = next(line for line in table.splitlines() if line.startswith("Bab al-Hawa"))
    assert "authorized*" in row
    assert "* Bab al-Hawa: Not usable at first" in table


def test_the_caveat_beside_authorized_in_the_report_and_instrument_show(cli, reference_url):
    page = cli("report", "--html", "-", "--as-of", "2023-08-01", "--db", reference_url).out
    assert re.search(
        r'class="state state-authorized">authorized <span class="caveat" dir="auto">'
        r"\(caveat: Not usable at first",
        page,
    )
    shown = json.loads(cli("instrument", "show", CONSENT, "-f", "json", "--db", reference_url).out)
    assert shown["caveat"].startswith("Not usable at first")
    assert "Caveat: Not usable" in cli("instrument", "show", CONSENT, "--db", reference_url).out


def test_the_caveat_survives_export_and_import(cli, reference_url, new_url, tmp_path):
    path = tmp_path / "record.yaml"
    text = cli("export", "--db", reference_url).out
    assert "caveat: " in text
    path.write_text(text, "utf-8")
    assert cli("import", str(path), "--yes", "--db", new_url).code == 0
    assert cli("export", "--db", new_url).out == text


def test_the_unconfirmed_november_2024_extension_is_not_recorded(cli, reference_url):
    doc = _reference()
    symbols = [i["symbol"] for i in doc["instruments"]]
    assert not any("2025-02-13" in s for s in symbols)
    [last] = [i for i in doc["instruments"] if "extension 6" in i["symbol"]]
    assert "2025-02-13" in last["notes"] and "unconfirmed" in last["notes"]
    assert "Searched" in last["notes"]
    items = _status(cli, reference_url, "2024-12-01")
    assert items["bab-al-salam"]["state"] != "authorized"
