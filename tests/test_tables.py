"""Tables fit the terminal (README, "Output"): at $COLUMNS (else the terminal's width) long
text is wrapped between words inside its column, or put under its row when the column would
be too narrow; --wide and piped output keep one line per row; JSON and CSV are complete."""

from __future__ import annotations

import json

import pytest

from corridor.present.render import text_width, to_table, wrap

NY = ("--tz", "America/New_York")

REPORTS = [
    pytest.param(["upcoming", "--as-of", "2022-11-20", "--within", "60", *NY], id="upcoming"),
    pytest.param(["status", "--as-of", "2022-12-20", *NY], id="status"),
    pytest.param(["crossing", "list"], id="crossing-list"),
    pytest.param(["crossing", "show", "bab al hawa", "--as-of", "2023-01-01", *NY], id="show"),
    pytest.param(["log", "-n", "30", *NY], id="log"),
]


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("argv", REPORTS)
@pytest.mark.parametrize("columns", [80, 60])
def test_tables_fit_the_width_and_lose_no_word(cli, reference_url, monkeypatch, argv, columns):
    wide = cli(*argv, "--db", reference_url)  # not a terminal, no $COLUMNS: one line per row
    assert wide.code == 0, wide.err
    assert max(text_width(line) for line in wide.out.splitlines()) > columns
    monkeypatch.setenv("COLUMNS", str(columns))
    r = cli(*argv, "--db", reference_url)
    assert r.code == 0, r.err
    assert max(text_width(line) for line in r.out.splitlines()) <= columns
    assert sorted(_words(r.out)) == sorted(_words(wide.out))
    full = cli(*argv, "--wide", "--db", reference_url)
    assert full.out == wide.out


def test_upcoming_at_80_columns_exact(cli, reference_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("upcoming", "--as-of", "2022-11-20", "--within", "60", *NY, "--db", reference_url)
    assert r.out == (
        "DATE        LEFT  KIND    CROSSINGS    INSTRUMENT         ENDS\n"
        "            NOTE\n"
        "2022-12-10  20d   report  Bab al-Hawa  S/RES/2642 (2022)  2022-12-11 00:00 EST\n"
        "            report due: Secretary-General's special report on humanitarian\n"
        "            needs. Saturday is not a working day (UN Security Council: weekend\n"
        "            Sat-Sun); the last working day before it is Friday 2022-12-09\n"
        "2023-01-10  51d   expiry  Bab al-Hawa  S/RES/2642 (2022)  2023-01-11 00:00 EST\n"
        "            expires unless continued at the 2023-01-10 review: a second\n"
        "            six-month extension will require a separate resolution\n"
        "2023-01-10  51d   review  Bab al-Hawa  S/RES/2642 (2022)  2023-01-11 00:00 EST\n"
        "            review: a second six-month extension will require a separate\n"
        "            resolution\n"
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_are_never_shortened(cli, reference_url, monkeypatch, fmt):
    argv = ["upcoming", "--as-of", "2022-11-20", "--within", "60", *NY, "-f", fmt]
    before = cli(*argv, "--db", reference_url).out
    monkeypatch.setenv("COLUMNS", "40")
    assert cli(*argv, "--db", reference_url).out == before
    if fmt == "json":
        notes = [i["note"] for i in json.loads(before)["items"]]
        assert any(len(n) > 80 for n in notes)


def test_a_cell_wraps_inside_its_column_with_continuation_lines_under_it():
    rows = [dict(a="x", b="one two three four five six seven eight nine ten eleven twelve")]
    text = to_table(rows, [("a", "A"), ("b", "NOTE")], width=40)
    assert text.splitlines() == [
        "A  NOTE",
        "x  one two three four five six seven",
        "   eight nine ten eleven twelve",
    ]


def test_wrap_counts_wide_characters_and_cuts_overlong_words():
    assert wrap("日本語 日本語", 6) == ["日本語", "日本語"]
    assert wrap("https://example.org/a/very/long/path", 10) == [
        "https://ex",
        "ample.org/",
        "a/very/lon",
        "g/path",
    ]
    assert text_width("باب الهوى") == 9
    assert text_width("مَعْبَر") == 4  # vowel signs take no column
