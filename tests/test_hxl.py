"""HXL-tagged CSV (`--format csv --hxl`): the hashtag row under the header (README,
"Calendars, timeline, HTML report and HXL")."""

from __future__ import annotations

import csv
import io
import re

import pytest

# A hashtag, then lower-case attributes (the HXL standard's syntax).
HASHTAG = re.compile(r"#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*")


def _table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "argv, tagged",
    [
        (["status", "--as-of", "2023-03-01"], {"crossing": "#loc+name", "until": "#date+end"}),
        (
            ["upcoming", "--as-of", "2023-03-01", "--within", "365"],
            {"crossings": "#loc+name", "date": "#date+due", "note": "#description"},
        ),
        (["export"], {"crossing": "#loc+name", "uid": "#meta+id"}),
    ],
)
def test_hashtag_row_under_the_header(cli, reference_url, argv, tagged):
    plain = cli(*argv, "--format", "csv", "--db", reference_url)
    r = cli(*argv, "--format", "csv", "--hxl", "--db", reference_url)
    assert r.code == 0, r.err
    rows, plain_rows = _table(r.out), _table(plain.out)
    header, tags, data = rows[0], rows[1], rows[2:]
    # The usual columns first, unchanged, then the ones HXL users join on.
    assert header[: len(plain_rows[0])] == plain_rows[0]
    assert header[len(plain_rows[0]) :][-4:] == ["country_1", "country_2", "source", "source_url"]
    # The same deadlines and crossings (HXL has a row per crossing, and instants in the form
    # libhxl reads: tests/test_any_spreadsheet.py), in the same order.
    first = [row[0] for row in data]
    assert list(dict.fromkeys(first)) == list(dict.fromkeys(r[0] for r in plain_rows[1:]))
    assert len(data) >= len(plain_rows) - 1
    assert all(HASHTAG.fullmatch(t) for t in tags), tags
    for column, tag in tagged.items():
        assert tags[header.index(column)] == tag
    assert tags[header.index("country_1")] == tags[header.index("country_2")] == "#country+code"
    assert tags[header.index("source")] == "#meta+source"
    # No data row looks like a hashtag row.
    assert not any(row and row[0].startswith("#") for row in data)


def test_countries_and_sources_come_from_the_record(cli, reference_url):
    r = cli("status", "--as-of", "2019-06-01", "-f", "csv", "--hxl", "--db", reference_url)
    rows = list(csv.DictReader(io.StringIO(r.out)))[1:]  # [0] is the hashtag row
    sides = {row["crossing"]: (row["country_1"], row["country_2"]) for row in rows}
    assert sides == {
        "Al Yarubiyah": ("SY", "IQ"),
        "Al-Rai": ("SY", "TR"),
        "Al-Ramtha": ("SY", "JO"),
        "Bab al-Hawa": ("SY", "TR"),
        "Bab al-Salam": ("SY", "TR"),
    }
    hawa = next(row for row in rows if row["crossing"] == "Bab al-Hawa")
    assert hawa["instruments"] == "S/RES/2449 (2018)" and hawa["source"]


@pytest.mark.parametrize("argv", [["status"], ["upcoming", "-f", "json"], ["export"]])
def test_hxl_needs_csv(cli, reference_url, argv):
    r = cli(*argv, "--hxl", "--db", reference_url)
    assert (r.code, r.out, r.err) == (
        2,
        "",
        "Error: --hxl goes with --format csv\n  add --format csv\n",
    )


def test_the_readme_documents_every_hashtag():
    from pathlib import Path

    from corridor.present.hxl import TAGS

    readme = Path(__file__).parent.parent / "README.md"
    section = (
        readme.read_text(encoding="utf-8")
        .split("## Calendars, timeline, HTML report and HXL", 1)[1]
        .split("\n## ", 1)[0]
    )
    documented = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[1].startswith("`#"):
            columns = re.findall(r"`([a-z_0-9]+)`", cells[0])
            tags = re.findall(r"`(#[^`]+)`", cells[1])
            for i, column in enumerate(columns):
                documented.setdefault(column, set()).add(tags[min(i, len(tags) - 1)])
    for table in TAGS.values():
        for column, tag in table.items():
            assert tag in documented.get(column, set()), (column, tag)
