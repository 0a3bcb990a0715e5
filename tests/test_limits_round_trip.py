"""One set of limits on every backend (README "Limits"): the same lengths accepted and refused
(exit 5) on SQLite and PostgreSQL, every text field stored verbatim, a record at every limit
round-tripping through export and import, and the JSON Schema stating the same limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_the_limits_are_the_same_on_every_backend(cli, reference_url):
    """A 200-character symbol and name and a 10 000-character note are accepted on both
    backends; one character more is refused the same way (exit 5) on both."""
    symbol = "S/RES/" + "9" * 194
    r = cli(
        "add",
        symbol,
        "--adopted",
        "2025-01-01",
        "--for",
        "6mo",
        "-c",
        "bab al hawa",
        "--notes",
        "n" * 10_000,
        "--by",
        "b" * 200,
        "--db",
        reference_url,
    )
    assert r.code == 0, r.err
    r = cli("crossing", "add", "N" * 200, "--countries", "SY,TR", "--db", reference_url)
    assert r.code == 0, r.err
    r = cli(
        "add",
        symbol + "9",
        "--adopted",
        "2025-01-01",
        "--for",
        "6mo",
        "-c",
        "bab al hawa",
        "--db",
        reference_url,
    )
    assert r.code == 5 and "longer than 200" in r.err


def _roundtrip(cli, text: str, first: str, second: str, tmp_path: Path) -> None:
    src = tmp_path / "in.yaml"
    src.write_text(text, encoding="utf-8")
    r = cli("import", str(src), "--yes", "--db", first)
    assert r.code == 0, r.err
    one = cli("export", "--db", first).out
    (tmp_path / "one.yaml").write_text(one, encoding="utf-8")
    r = cli("import", str(tmp_path / "one.yaml"), "--yes", "--db", second)
    assert r.code == 0, r.err
    assert cli("export", "--db", second).out == one


def test_metacharacters_in_every_text_field_are_stored_verbatim(cli, databases, tmp_path):
    from hostile import SHELL, SQL, _metachars

    for text in (SQL, SHELL):
        record = _metachars(text).replace(", {crossings: [no-such-crossing], for: 6mo}", "")
        first, second = databases.clone("migrated"), databases.clone("migrated")
        _roundtrip(cli, record, first, second, tmp_path)
        shown = cli("crossing", "show", "meta-place", "--db", first, "-f", "json")
        assert json.loads(shown.out)["crossing"] == text


def test_a_record_at_every_limit_round_trips(cli, databases, tmp_path):
    name = "ب" * 200
    record = (
        "corridor: 1\ncrossings:\n"
        f"  - {{slug: {'a' * 80}, name: {name}, countries: [PS, EG], aliases: ['{'x' * 200}'],"
        f" notes: '{'n' * 10_000}'}}\n"
        "instruments:\n"
        f"  - symbol: '{'S' * 200}'\n    kind: resolution\n    authority: '{'A' * 200}'\n"
        "    timezone: America/New_York\n    adopted: 1900-01-01\n"
        f"    periods: [{{crossings: ['{'a' * 80}'], until: 2199-12-31}}]\n"
    )
    _roundtrip(cli, record, databases.clone("migrated"), databases.clone("migrated"), tmp_path)


def test_the_json_schema_states_the_same_limits():
    jsonschema = pytest.importorskip("jsonschema")
    from corridor.record.jsonschema import schema

    def record(**crossing):
        base = {"slug": "x", "name": "X", "countries": ["SY", "TR"]}
        return {"corridor": 1, "crossings": [dict(base, **crossing)]}

    jsonschema.validate(record(name="باب الهوى"), schema())
    for bad in (
        record(name="a\x1bb"),
        record(name="a\u202eb"),
        record(name="N" * 201),
        record(countries=["PS", "XX"]),
        record(known_until="2200-01-01"),
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema())
