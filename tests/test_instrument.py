"""`corridor instrument list` and `corridor instrument show` (README, "JSON output")."""

from __future__ import annotations

import json

import pytest

from corridor.core.errors import EXIT_NOT_FOUND, EXIT_USAGE


def test_instrument_list_has_every_instrument_with_its_lineage(cli, reference_url):
    items = json.loads(cli("instrument", "list", "-f", "json", "--db", reference_url).out)["items"]
    export = json.loads(cli("export", "-f", "json", "--db", reference_url).out)
    assert sorted(i["symbol"] for i in items) == sorted(i["symbol"] for i in export["instruments"])
    by = {i["symbol"]: i for i in items}
    assert by["S/RES/2585 (2021)"]["renews"] == "S/RES/2533 (2020)"
    assert by["S/RES/2585 (2021)"]["renewed_by"] == ["S/RES/2642 (2022)"]
    assert by["S/RES/2585 (2021)"]["until"] == "2022-07-10"  # its extension was granted
    assert by["S/RES/2165 (2014)"]["crossings"] == [
        "Al Yarubiyah", "Al-Ramtha", "Bab al-Hawa", "Bab al-Salam",
    ]  # fmt: skip
    table = cli("instrument", "list", "--db", reference_url).out.splitlines()
    assert table[0].split()[:4] == ["SYMBOL", "KIND", "ADOPTED", "UNTIL"]
    assert len(table) == len(items) + 1  # one line per instrument when not a terminal


def test_a_pending_extension_shows_in_the_list(cli, reference_url):
    r = cli(
        "add", "S/RES/7001 (2025)", "--adopted", "2025-07-10", "--for", "6mo", "--extension",
        "6mo", "--condition", "SG report", "-c", "bab al hawa", "--db", reference_url,
    )  # fmt: skip
    assert r.code == 0, r.err
    items = json.loads(cli("instrument", "list", "-f", "json", "--db", reference_url).out)["items"]
    new = next(i for i in items if i["symbol"] == "S/RES/7001 (2025)")
    assert (new["until"], new["until_if_extended"]) == ("2026-01-10", "2026-07-10")
    table = cli("instrument", "list", "--db", reference_url).out
    assert "2026-01-10 (+ext. to 2026-07-10)" in table


def test_instrument_show_by_a_unique_part_of_the_symbol(cli, reference_url):
    r = cli("instrument", "show", "2642", "-f", "json", "--db", reference_url)
    assert r.code == 0, r.err
    v = json.loads(r.out)
    assert v["symbol"] == "S/RES/2642 (2022)"
    assert (v["vote"], v["renews"], v["relation"]) == ("12-0-3", "S/RES/2585 (2021)", "renews")
    assert v["renewed_by"] == [
        {"symbol": "S/RES/2672 (2023)", "relation": "confirms", "adopted": "2023-01-09"}
    ]
    assert v["periods"][0]["crossings"] == ["Bab al-Hawa"]
    assert v["periods"][0]["until"] == "2023-01-10"
    assert v["reviews"][0]["outcome"] == "extended"
    assert v["reviews"][0]["decided_by"] == "S/RES/2672 (2023)"
    assert v["reports"][0]["due"] == "2022-12-10"
    table = cli("instrument", "show", "s/res/2642(2022)", "--db", reference_url)
    assert table.code == 0
    for text in ("Vote: 12-0-3", "Renews: S/RES/2585 (2021)", "Followed by: S/RES/2672 (2023)",
                 "Periods:", "Reviews:", "Reports due:", "2022-12-10"):  # fmt: skip
        assert text in table.out


def test_instrument_show_says_what_is_unconfirmed_and_the_conditional_period(cli, reference_url):
    v = json.loads(cli("instrument", "show", "2585", "-f", "json", "--db", reference_url).out)
    assert v["unconfirmed"]
    assert [p["conditional_on"] for p in v["periods"]] == [None, "2022-01-10"]
    assert v["periods"][1]["outcome"] == "extended"
    table = cli("instrument", "show", "2585", "--db", reference_url).out
    assert "Unconfirmed: " in table
    assert "if extended at the 2022-01-10 review: extended" in table


@pytest.mark.parametrize(
    ("text", "code", "start"),
    [
        ("S/RES/2", EXIT_USAGE, 'Error: "S/RES/2" matches 11 instruments: S/RES/2165 (2014); '),
        ("S/RES/9999", EXIT_NOT_FOUND, 'Error: no instrument "S/RES/9999"'),
    ],
)
def test_instrument_show_ambiguous_or_unknown(cli, reference_url, text, code, start):
    r = cli("instrument", "show", text, "--db", reference_url)
    assert r.code == code
    assert r.err.startswith(start)
