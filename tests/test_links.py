"""A link to every source (issue 16, item 7): UN document symbols link to undocs.org, SC press
releases of a known year to press.un.org; derived links say so; a recorded source_url wins."""

from __future__ import annotations

import json
from datetime import date

from corridor.core.links import Link, document_links, first_url, press_links, source_links


def test_document_symbols_link_to_their_official_copy():
    assert document_links("S/RES/2642 (2022)") == [
        Link("https://undocs.org/S/RES/2642(2022)", "S/RES/2642 (2022)", True)
    ]
    urls = [k.url for k in document_links("see S/2023/506 and S/PV.9087; A/RES/77/1.")]
    assert urls == [
        "https://undocs.org/S/2023/506",
        "https://undocs.org/S/PV.9087",
        "https://undocs.org/A/RES/77/1",
    ]
    # Not a document symbol: a press release, a consent's title, a fraction.
    assert document_links("UN press release SC/14577") == []
    assert document_links("Syria consent: Bab al-Salam and Al-Rai (2023-02-13)") == []
    assert document_links("AS/1 and MS/2") == []


def test_only_web_addresses_become_the_one_link():
    links = source_links("S/RES/2672 (2023)", None, "javascript:alert(1)", None)
    assert first_url(links) == "https://undocs.org/S/RES/2672(2023)"
    assert first_url(source_links(None, "AP and AFP", None, None)) is None


def test_press_releases_need_a_known_year():
    assert press_links("UN press release SC/14577", 2021) == [
        Link("https://press.un.org/en/2021/sc14577.doc.htm", "UN press release SC/14577", True)
    ]
    assert press_links("UN press release SC/14577", None) == []
    assert press_links("GA/12417", 2022) == []


def test_a_recorded_source_url_comes_first_and_is_not_derived():
    links = source_links(
        "S/RES/2585 (2021)",
        "UN press release SC/14577",
        "https://example.org/text",
        date(2021, 7, 9),
    )
    assert [(k.url, k.derived) for k in links] == [
        ("https://example.org/text", False),
        ("https://undocs.org/S/RES/2585(2021)", True),
        ("https://press.un.org/en/2021/sc14577.doc.htm", True),
    ]
    # The same URL given and derived is one link, the given one.
    same = source_links("S/RES/2642 (2022)", None, "https://undocs.org/S/RES/2642(2022)", None)
    assert [(k.url, k.derived) for k in same] == [("https://undocs.org/S/RES/2642(2022)", False)]


def test_instrument_show_lists_the_links(cli, reference_url):
    r = cli("instrument", "show", "2585", "--db", reference_url)
    assert r.code == 0, r.err
    assert "Link: https://undocs.org/S/RES/2585(2021) (derived)" in r.out
    assert "Link: https://press.un.org/en/2021/sc14577.doc.htm (derived)" in r.out
    doc = json.loads(cli("instrument", "show", "2585", "-f", "json", "--db", reference_url).out)
    assert doc["links"][0] == dict(
        url="https://undocs.org/S/RES/2585(2021)", derived=True, label="S/RES/2585 (2021)"
    )
    assert doc["source_url"] is None  # the key stays; links are added beside it


def test_source_url_wins_in_show_and_calendar(cli, reference_url):
    url = "https://digitallibrary.un.org/record/3975133"
    assert cli("correct", "2642", f"source_url={url}", "--yes", "--db", reference_url).code == 0
    doc = json.loads(cli("instrument", "show", "2642", "-f", "json", "--db", reference_url).out)
    assert doc["links"][0] == dict(url=url, derived=False, label="source")
    ics = cli("export", "--format", "ics", "--db", reference_url).out
    unfolded = ics.replace("\r\n ", "").replace("\n ", "")
    assert f"URL:{url}" in unfolded
    assert "URL:https://undocs.org/S/RES/2585(2021)" in unfolded  # derived for the others


def test_calendar_description_names_the_links(cli, reference_url):
    ics = cli("export", "--format", "ics", "--db", reference_url).out
    unfolded = ics.replace("\r\n ", "").replace("\n ", "")
    assert "Link: https://press.un.org/en/2021/sc14577.doc.htm (derived)" in unfolded
    assert "URL:https://undocs.org/S/RES/2672(2023)" in unfolded


def test_html_report_links_sources_over_http_only(cli, reference_url):
    bad = "source_url=javascript:alert(1)"
    assert cli("correct", "2672", bad, "--yes", "--db", reference_url).code == 0
    ics = cli("export", "--format", "ics", "--db", reference_url).out.replace("\r\n ", "")
    assert "URL:javascript" not in ics and "URL:https://undocs.org/S/RES/2672(2023)" in ics
    page = cli("report", "--html", "-", "--db", reference_url).out
    assert '<a href="https://undocs.org/S/RES/2585(2021)"' in page
    assert '<a href="https://press.un.org/en/2021/sc14577.doc.htm"' in page
    assert "(derived)" in page
    assert 'href="javascript:' not in page
    assert '<a href="https://undocs.org/S/RES/2672(2023)"' in page  # still derived from the symbol


def test_digest_gives_the_link(cli, reference_url):
    r = cli(
        "alerts", "run", "--stdout", "--as-of", "2022-12-27", "--db", reference_url,
        "--tz", "Europe/Istanbul",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert "  link: https://undocs.org/S/RES/2642(2022)" in r.out.splitlines()


def test_lapse_digest_gives_the_link(cli, reference_url):
    r = cli(
        "alerts", "run", "--stdout", "--as-of", "2022-07-11", "--db", reference_url,
        "--tz", "America/New_York",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert "  link: https://undocs.org/S/RES/2585(2021)" in r.out.splitlines()
