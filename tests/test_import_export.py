"""Import and export: one native format, deterministic, round-trippable, all or nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from corridor.core.errors import EXIT_INVALID, EXIT_USAGE
from corridor.record.format import MAX_BYTES, parse_text, reference_text
from corridor.record.jsonschema import schema

DOCS = Path(__file__).resolve().parents[1] / "docs" / "records.md"
README = Path(__file__).resolve().parents[1] / "README.md"


def export(cli, url: str, *args: str) -> str:
    r = cli("export", "--db", url, *args)
    assert r.code == 0, r.err
    return r.out


def changes(cli, url: str) -> list:
    return json.loads(cli("log", "--format", "json", "--db", url).out)["items"]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_import_export_is_byte_identical(cli, reference_url, empty_url, tmp_path, fmt):
    first = export(cli, reference_url, "--format", fmt)
    path = tmp_path / f"record.{fmt}"
    path.write_text(first, encoding="utf-8")
    r = cli("import", str(path), "--db", empty_url)
    assert r.code == 0, r.err
    assert r.err.startswith(f"Imported {path}: 37 created, 0 updated, 0 unchanged.\n")
    assert export(cli, empty_url, "--format", fmt) == first
    assert export(cli, empty_url, "--format", "csv") == export(
        cli, reference_url, "--format", "csv"
    )


def test_export_keeps_how_terms_are_stated(cli, reference_url):
    data = json.loads(export(cli, reference_url, "--format", "json"))
    first = data["instruments"][0]
    assert first["periods"] == [
        {
            "crossings": ["al-ramtha", "al-yarubiyah", "bab-al-hawa", "bab-al-salam"],
            "start": "2014-07-14",
            "until": "2015-01-10",
            "for": "180d",
            "from": "adoption",
            "stated": "180 days from adoption",
        }
    ]
    assert [i["symbol"] for i in data["instruments"][:3]] == [
        "S/RES/2165 (2014)",
        "S/RES/2191 (2014)",
        "S/RES/2258 (2015)",
    ]


def test_the_bundled_dataset_and_every_export_validate_against_the_json_schema(cli, reference_url):
    validator = jsonschema.Draft202012Validator(schema())
    jsonschema.Draft202012Validator.check_schema(schema())
    assert list(validator.iter_errors(parse_text(reference_text(), "reference.yaml"))) == []
    assert list(validator.iter_errors(json.loads(export(cli, reference_url, "-f", "json")))) == []
    yaml_export = parse_text(export(cli, reference_url), "export.yaml")
    assert list(validator.iter_errors(yaml_export)) == []


def test_schema_command_prints_the_schema(cli, tmp_path):
    r = cli("schema")
    assert (r.code, r.err) == (0, "")
    assert json.loads(r.out) == schema()
    target = tmp_path / "record.schema.json"
    r = cli("schema", "-o", str(target))
    assert (r.code, r.out, r.err) == (0, "", f"Wrote {target}.\n")
    assert json.loads(target.read_text()) == schema()


def test_importing_the_same_file_twice_changes_nothing(cli, reference_url, empty_url, tmp_path):
    path = tmp_path / "record.yaml"
    path.write_text(export(cli, reference_url), encoding="utf-8")
    assert cli("import", str(path), "--db", empty_url).code == 0
    trail = changes(cli, empty_url)
    assert len(trail) == 37  # one per record: dataset, 5 crossings, 21 instruments, 10 drafts
    r = cli("import", str(path), "--db", empty_url)
    assert (r.code, r.out) == (0, "")
    assert r.err == f"Imported {path}: nothing changed (37 records already up to date).\n"
    assert changes(cli, empty_url) == trail
    r = cli("import", str(path), "--db", empty_url, "--format", "json")
    assert json.loads(r.out)["created"] == json.loads(r.out)["updated"] == []


def test_an_import_that_overwrites_asks_first(cli, reference_url, tmp_path):
    text = export(cli, reference_url).replace("vote: 12-0-3\n", "vote: 12-1-2\n", 1)
    path = tmp_path / "changed.yaml"
    path.write_text(text, encoding="utf-8")
    before = export(cli, reference_url)
    r = cli("import", str(path), "--db", reference_url)
    assert (r.code, r.err) == (
        EXIT_USAGE,
        f"Error: not confirmed: {path} changes 1 recorded record:\n"
        "  updated instrument S/RES/2393 (2017)\nApply?\n"
        "  nothing was changed; rerun with --yes to confirm (the input is not a terminal)\n",
    )
    assert export(cli, reference_url) == before
    r = cli("import", str(path), "--yes", "--by", "importer", "--db", reference_url)
    assert r.code == 0
    assert r.err == (
        f"Imported {path}: 0 created, 1 updated, 36 unchanged.\n"
        "  updated instrument S/RES/2393 (2017)\n"
    )
    latest = changes(cli, reference_url)[0]
    assert (latest["by"], latest["via"], latest["source"], latest["key"]) == (
        "importer",
        "import",
        str(path),
        "S/RES/2393 (2017)",
    )
    assert latest["changes"] == [{"field": "vote", "old": "12-0-3", "new": "12-1-2"}]


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_one_bad_record_in_the_middle_writes_nothing(cli, reference_url, empty_url, tmp_path):
    good = export(cli, reference_url)
    empty_before = export(cli, empty_url)

    # Caught while reading: an impossible date in the 7th instrument.
    bad = good.replace("until: 2020-07-10\n", "until: 2020-02-30\n", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    r = cli("import", str(path), "--db", empty_url)
    line = _line_of(bad, "until: 2020-02-30")
    assert (r.code, r.out) == (EXIT_INVALID, "")
    assert r.err == (
        f'Error: {path}, line {line}: instruments[6].periods[0].until: date "2020-02-30" is not '
        "a real date (day is out of range for month)\n  check the day and month\n"
    )
    assert export(cli, empty_url) == empty_before

    # Caught while writing, after the crossings and six instruments went in: all rolled back.
    bad = good.replace("  - crossings: [bab-al-hawa]\n", "  - crossings: [bab-al-haw]\n", 1)
    bad = bad.replace("      - crossings: [bab-al-hawa]\n", "      - crossings: [bab-al-haw]\n", 1)
    path.write_text(bad, encoding="utf-8")
    r = cli("import", str(path), "--db", empty_url)
    line = _line_of(bad, "- crossings: [bab-al-haw]")
    assert (r.code, r.out) == (EXIT_INVALID, "")
    assert r.err == (
        f"Error: {path}, line {line}: instruments[7].periods[0].crossings: no crossing "
        "'bab-al-haw'\n  add it under `crossings:` or use an existing slug\n"
    )
    assert export(cli, empty_url) == empty_before
    assert changes(cli, empty_url) == []

    # And into a full database: nothing of the file is applied, the trail is untouched.
    before, trail = export(cli, reference_url), changes(cli, reference_url)
    r = cli("import", str(path), "--db", reference_url, "--yes")
    assert r.code == EXIT_INVALID
    assert export(cli, reference_url) == before
    assert changes(cli, reference_url) == trail


BAD_FILES = [
    pytest.param(
        "corridor: 1\ncrossings:\n  - slug: x\n    name: X\n    countries: [SY, TR]\n"
        "    colour: red\n",
        "{f}, line 6: crossings[0].colour: unknown key\n  allowed keys: aliases, checked_before, "
        "countries, kind, known_until, known_until_note, lat, lon, name, notes, slug, unknown\n",
        id="unknown-key",
    ),
    pytest.param(
        "corridor: 1\ncrossings:\n  - slug: x\n    name: 2024\n    countries: [SY, TR]\n",
        "{f}, line 4: crossings[0].name: expected text, got a number\n  put it in quotes\n",
        id="wrong-type",
    ),
    pytest.param(
        "corridor: 1\ncrossings:\n  - slug: x\n    name: X\n    countries: SY\n",
        "{f}, line 5: crossings[0].countries: expected a list, got str\n",
        id="wrong-type-list",
    ),
    pytest.param(
        "corridor: 1\ncrossings: [\n",
        "{f}, line 3: not valid YAML (did not find expected node content)\n",
        id="not-yaml",
    ),
    pytest.param(
        "corridor: 1\ncrossings: []\ncrossings: []\n",
        "{f}, line 3: duplicate key 'crossings'\n",
        id="duplicate-key",
    ),
    pytest.param(
        "corridor: 1\nx: &big [a, b]\ncrossings: *big\n",
        "{f}, line 2: YAML anchors and aliases (& and *) are not supported\n"
        "  write the values out in full\n",
        id="yaml-aliases",
    ),
    pytest.param(
        '{\n  "corridor": 1,\n  "crossings": [\n    {"slug": "x", "name": "X",\n'
        '     "countries": ["SY", "TR"], "lat": 91}\n  ]\n}\n',
        "{f}, line 5: crossings[0].lat: expected a number from -90 to 90\n",
        id="json-with-line",
    ),
    pytest.param(
        '{"corridor": 1,\n "crossings": [}\n',
        "{f}, line 2: not valid JSON (Expecting value)\n",
        id="not-json",
    ),
    pytest.param(
        "corridor: 2\n",
        "{f}, line 1: corridor: format version 2 is not supported\n"
        "  this corridor reads `corridor: 1`\n",
        id="version",
    ),
    pytest.param(
        "- just\n- a list\n",
        "{f}: expected a mapping with `corridor: 1` at the top\n",
        id="not-a-mapping",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("text", "err"), BAD_FILES)
def test_a_bad_file_is_refused_with_file_line_and_field(cli, reference_url, tmp_path, text, err):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    before = export(cli, reference_url)
    r = cli("import", str(path), "--db", reference_url)
    assert (r.code, r.out, r.err) == (EXIT_INVALID, "", "Error: " + err.format(f=path))
    assert export(cli, reference_url) == before


def test_oversized_and_unreadable_input_is_refused(cli, reference_url, tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.write(b"corridor: 1\n# " + b"x" * MAX_BYTES + b"\n")
    r = cli("import", str(big), "--db", reference_url)
    assert (r.code, r.err) == (
        EXIT_INVALID,
        f"Error: {big}: larger than 20 MiB\n  split the file\n",
    )
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("corridor: 1\n# Cilvegözü\n".encode("latin-1"))
    r = cli("import", str(latin), "--db", reference_url)
    assert (r.code, r.err) == (EXIT_INVALID, f"Error: {latin}, line 2: not UTF-8 text\n")
    r = cli("import", str(tmp_path / "missing.yaml"), "--db", reference_url)
    assert (r.code, r.err) == (EXIT_INVALID, f"Error: {tmp_path / 'missing.yaml'}: no such file\n")


def test_export_csv_is_the_deadlines_table(cli, reference_url, tmp_path):
    out = export(cli, reference_url, "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == (
        "date,kind,crossing,crossing_slug,instrument,authority_timezone,due_at,known_from,"
        "void_from,conditional,note,uid"
    )
    assert (
        "2023-01-10,expiry,Bab al-Hawa,bab-al-hawa,S/RES/2642 (2022),America/New_York,"
        "2023-01-11T05:00:00Z,2022-07-13,,false,expires unless continued at the 2023-01-10 review: "
        "a second six-month extension will require a separate resolution,"
    ) in out
    target = tmp_path / "deadlines.csv"
    r = cli("export", "-f", "csv", "-o", str(target), "--db", reference_url)
    assert (r.code, r.out, r.err) == (0, "", f"Wrote {target}.\n")
    assert target.read_text(encoding="utf-8") == out


def _docs_example(doc: Path = DOCS) -> str:
    text = doc.read_text(encoding="utf-8")
    section = text.split("## Example: a host-government consent", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def test_the_readme_shows_the_same_consent_example():
    assert _docs_example(README) == _docs_example(DOCS)


def test_the_documented_consent_example_imports(cli, reference_url, tmp_path):
    path = tmp_path / "jaber.yaml"
    path.write_text(_docs_example(), encoding="utf-8")
    r = cli("import", str(path), "--db", reference_url)
    assert r.code == 0, r.err
    assert r.err == (
        f"Imported {path}: 4 created, 0 updated, 0 unchanged.\n"
        "  created crossing jaber\n"
        "  created instrument Example consent: Jaber (2025-03-01)\n"
        "  created instrument Example consent: Jaber, extension 1\n"
        "  created instrument Example consent: Jaber, extension 2\n"
    )
    status = cli("status", "-c", "nasib", "--as-of", "2025-09-15", "-f", "json",
                 "--db", reference_url)  # fmt: skip
    item = json.loads(status.out)["items"][0]
    assert (item["crossing"], item["state"], item["until"]) == ("Jaber", "authorized", "2025-12-01")
    assert cli("import", str(path), "--db", reference_url).err.startswith(
        f"Imported {path}: nothing changed"
    )
    validator = jsonschema.Draft202012Validator(schema())
    assert list(validator.iter_errors(parse_text(_docs_example(), "example"))) == []


def test_import_reports_progress_per_instrument(reference_url, engine_for):
    from corridor.cli.clock import now_utc
    from corridor.record.format import reference_text
    from corridor.services.records import import_text
    from corridor.store.audit import Change

    seen = []
    with engine_for(reference_url).begin() as conn:
        import_text(
            conn,
            reference_text(),
            "reference.yaml",
            Change(now_utc(), "t", "import", "x"),
            progress=lambda done, total: seen.append((done, total)),
        )
    assert seen == [(n, 21) for n in range(1, 22)]
