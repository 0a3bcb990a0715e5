"""Any spreadsheet (issue 16, items 4 and 5): CSV and HXL as pandas and libhxl read them. A
cell that would run as a formula is neutralised, booleans are spelled one way, `--bom` is there
for Excel, HXL has one value per cell and dates libhxl cleans without moving them."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

pd = pytest.importorskip("pandas")
hxl = pytest.importorskip("hxl")

FORMULA = """\
corridor: 1
crossings:
  - slug: formula
    name: "=2+3"
    countries: [SY, TR]
    aliases: ["@SUM(A1)", "-1+2"]
instruments:
  - symbol: "+CMD|' /C calc'!A0"
    kind: consent
    authority: "Gov"
    timezone: Asia/Damascus
    adopted: 2023-03-01
    source: "-2+3"
    periods:
      - crossings: [formula]
        start: 2023-03-01
        until: 2023-06-01
"""


@pytest.fixture
def formula_db(cli, reference_url, tmp_path):
    record = tmp_path / "formula.yaml"
    record.write_text(FORMULA, encoding="utf-8")
    r = cli("import", str(record), "--yes", "--db", reference_url)
    assert r.code == 0, r.err
    return reference_url


@pytest.mark.parametrize("hxl_flag", [[], ["--hxl"]], ids=["csv", "hxl"])
def test_a_formula_is_read_as_text(cli, formula_db, tmp_path, hxl_flag):
    path = tmp_path / "deadlines.csv"
    r = cli("export", "--format", "csv", *hxl_flag, "-o", str(path), "--db", formula_db)
    assert r.code == 0, r.err
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skiprows=[1] if hxl_flag else None)
    ours = frame[frame["crossing_slug"] == "formula"]
    assert not ours.empty
    # The value a spreadsheet shows: the text itself, prefixed so that it is not run.
    assert set(ours["crossing"]) == {"'=2+3"}
    assert set(ours["instrument"]) == {"'+CMD|' /C calc'!A0"}
    if hxl_flag:
        assert set(ours["source"]) == {"'-2+3"}
    # Nothing in the file starts a cell with a formula character.
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or cell.lstrip("-").replace(".", "").isdigit(), cell


def test_negative_numbers_and_dates_are_left_alone(cli, reference_url):
    r = cli("upcoming", "--as-of", "2023-08-20", "--within", "400", "--format", "csv",
            "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    frame = pd.read_csv(io.StringIO(r.out))
    assert frame["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    status = cli("status", "--as-of", "2023-07-01", "--format", "csv", "--db", reference_url)
    frame = pd.read_csv(io.StringIO(status.out))
    assert frame["days_left"].dropna().map(lambda v: float(v) == int(v)).all()


def test_one_spelling_of_booleans(cli, reference_url):
    status = cli("status", "--as-of", "2023-07-01", "--format", "csv", "--db", reference_url)
    export = cli("export", "--format", "csv", "--db", reference_url)
    spelled = set(pd.read_csv(io.StringIO(status.out), dtype=str)["authorized"])
    spelled |= set(pd.read_csv(io.StringIO(export.out), dtype=str)["conditional"])
    assert spelled == {"true", "false"}
    # pandas reads them as booleans.
    assert pd.read_csv(io.StringIO(status.out))["authorized"].dtype == bool


@pytest.mark.parametrize("argv", [["export"], ["status"], ["upcoming", "--within", "400"]])
def test_bom_for_excel(cli, reference_url, argv):
    plain = cli(*argv, "--as-of", "2023-07-01", "--format", "csv", "--db", reference_url).out
    if argv == ["export"]:
        plain = cli("export", "--format", "csv", "--db", reference_url).out
        r = cli("export", "--format", "csv", "--bom", "--db", reference_url)
    else:
        r = cli(*argv, "--as-of", "2023-07-01", "--format", "csv", "--bom", "--db", reference_url)
    assert r.code == 0, r.err
    assert r.out == "\ufeff" + plain
    assert list(pd.read_csv(io.StringIO(r.out), encoding="utf-8-sig").columns)[0] in (
        "date",
        "crossing",
    )
    refused = cli("status", "--bom", "--db", reference_url)
    assert refused.code == 2 and "--bom goes with --format csv" in refused.err


def _hxl(text: str):
    return hxl.data(list(csv.reader(io.StringIO(text))))


@pytest.mark.parametrize(
    "argv",
    [["upcoming", "--as-of", "2023-07-01", "--within", "60"], ["status", "--as-of", "2023-07-01"]],
    ids=["upcoming", "status"],
)
def test_hxl_one_value_per_cell(cli, reference_url, argv):
    r = cli(*argv, "--format", "csv", "--hxl", "--db", reference_url)
    assert r.code == 0, r.err
    found = list(_hxl(r.out).with_rows("#loc+name=Bab al-Salam"))
    assert found, r.out
    for row in _hxl(r.out):
        for value, column in zip(row.values, row.columns, strict=False):
            if column.tag == "#description":
                continue  # a note is prose: its semicolons are not a list
            assert "; " not in (value or ""), row.values
    by_slug = list(_hxl(r.out).with_rows("#loc+code=bab-al-salam"))
    assert len(found) == len(by_slug)


@pytest.mark.parametrize(
    "argv",
    [
        ["export"],
        ["upcoming", "--as-of", "2023-01-01", "--within", "400"],
        ["status", "--as-of", "2023-07-01"],
    ],
    ids=["export", "upcoming", "status"],
)
def test_hxl_dates_keep_their_meaning_when_libhxl_cleans_them(cli, reference_url, argv):
    r = cli(*argv, "--format", "csv", "--hxl", "--db", reference_url)
    assert r.code == 0, r.err
    raw = list(_hxl(r.out).gen_raw(show_headers=False))
    clean = list(_hxl(r.out).clean_data(date="#date").gen_raw(show_headers=False))
    tags = raw[0]
    checked = 0
    for before, after in zip(raw[1:], clean[1:], strict=True):
        for tag, a, b in zip(tags, before, after, strict=True):
            if not tag.startswith("#date") or not a:
                continue
            day = date.fromisoformat(a) if len(a) == 10 else datetime.fromisoformat(a).date()
            assert b == day.isoformat(), (tag, a, b)
            checked += 1
    assert checked
