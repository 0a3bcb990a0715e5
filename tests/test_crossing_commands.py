"""`crossing list` (its countries), `crossing alias` (names differing only in case stored once)
and `crossing show` (only the formats it has)."""

from __future__ import annotations

import json

from corridor.core.errors import EXIT_USAGE


def test_crossing_list_shows_the_countries(cli, reference_url):
    table = cli("crossing", "list", "--db", reference_url).out.splitlines()
    assert table[0].split() == ["CROSSING", "SLUG", "COUNTRIES", "ALIASES"]
    assert any(line.startswith("Bab al-Hawa ") and " SY-TR " in line for line in table)
    items = json.loads(cli("crossing", "list", "-f", "json", "--db", reference_url).out)["items"]
    assert {i["slug"]: i["countries"] for i in items}["al-ramtha"] == ["SY", "JO"]
    csv = cli("crossing", "list", "-f", "csv", "--db", reference_url).out.splitlines()
    assert csv[0] == "slug,crossing,countries,aliases"


def test_aliases_differing_only_in_case_are_stored_once(cli, reference_url, tmp_path):
    r = cli("crossing", "alias", "bab al hawa", "CILVEGÖZÜ", "BAB AL-HAWA", "--db", reference_url)
    assert (r.code, r.err) == (0, "Bab al-Hawa already has those names: nothing changed.\n")
    r = cli("crossing", "add", "Jaber", "--countries", "SY,JO", "--alias", "Nasib",
            "--alias", "NASIB", "--alias", "jaber", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    items = json.loads(cli("crossing", "list", "-f", "json", "--db", reference_url).out)["items"]
    assert {i["slug"]: i["aliases"] for i in items}["jaber"] == ["Nasib"]


def test_crossing_show_offers_only_the_formats_it_has(cli, reference_url):
    help_text = cli("crossing", "show", "--help").out
    assert "csv" not in help_text
    r = cli("crossing", "show", "bab al hawa", "-f", "csv", "--db", reference_url)
    assert r.code == EXIT_USAGE
    assert "'csv' is not one of 'table', 'json'" in r.err
