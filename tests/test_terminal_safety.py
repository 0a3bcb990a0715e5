"""Stored text never drives the terminal (README "Guarantees"): control characters and bidi
overrides a database holds are escaped in tables, CSV, messages and JSON, never in Arabic names,
and completion never offers them."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\r\x9b31m\u202e"
RAW = ["\x1b", "\x07", "\r", "\x9b", "\u202e"]


def _poison(engine_for, url: str) -> None:
    """Store hostile text as a database written before these rules existed would hold it."""
    with engine_for(url).begin() as conn:
        conn.execute(
            sa.text("UPDATE crossings SET name = :n, notes = :m WHERE slug = 'bab-al-hawa'"),
            {"n": f"Bab{HOSTILE} al-Hawa", "m": f"Bab{HOSTILE} al-Hawa"},
        )
        conn.execute(
            sa.text("UPDATE instruments SET symbol = :s WHERE symbol = 'S/RES/2672 (2023)'"),
            {"s": f"S/RES/2672{HOSTILE} (2023)"},
        )
        conn.execute(sa.text("UPDATE changes SET changed_by = :b"), {"b": f"mallory{HOSTILE}"})


def _clean(text: str) -> None:
    for char in RAW:
        assert char not in text, f"raw {char!r} reached the terminal: {text[:300]!r}"


@pytest.mark.parametrize(
    "args",
    [
        ["crossing", "list"],
        ["crossing", "list", "-f", "csv"],
        ["crossing", "show", "bab-al-hawa"],
        ["status", "--as-of", "2023-07-01"],
        ["status", "--as-of", "2023-07-01", "-f", "csv"],
        ["upcoming", "--as-of", "2023-07-01", "--within", "60"],
        ["upcoming", "--as-of", "2023-07-01", "--within", "60", "-f", "csv"],
        ["log", "-n", "3"],
        ["timeline", "--as-of", "2023-07-01", "--width", "200"],
        ["instrument", "show", "2672"],
        ["instrument", "list"],
        ["upcoming", "--as-of", "2023-07-01", "--within", "60", "--format", "ics"],
        [
            "correct",
            "S/RES/2672]0;pwned (2023)",
            "notes=x",
            "--yes",
        ],  # "did you mean" the hostile one
    ],
    ids=lambda a: "-".join(a[:3]),
)
def test_stored_control_characters_never_reach_the_terminal(args, cli, reference_url, engine_for):
    _poison(engine_for, reference_url)
    r = cli(*args, "--db", reference_url)
    assert r.code in (0, 3), r.err
    _clean(r.out.replace("\r\n", "\n") if "ics" in args else r.out)  # RFC 5545 lines end CRLF
    _clean(r.err)
    assert "\\x1b" in r.out + r.err or "\\u202e" in r.out + r.err  # shown, visibly escaped


@pytest.mark.parametrize(
    "args",
    [
        ["crossing", "list", "-f", "json"],
        ["crossing", "show", "bab-al-hawa", "-f", "json"],
        ["status", "--as-of", "2023-07-01", "-f", "json"],
        ["log", "-n", "2", "-f", "json"],
    ],
    ids=lambda a: "-".join(a[:2]),
)
# `export` is not here: it writes the record format, where a refused character stored by an
# older corridor is written as its visible escape so that the file imports again
# (docs/format.md, "Limits"; tests/test_limits.py).
def test_json_escapes_c1_and_bidi_but_keeps_the_value(args, cli, reference_url, engine_for):
    _poison(engine_for, reference_url)
    r = cli(*args, "--db", reference_url)
    assert r.code == 0, r.err
    _clean(r.out)
    assert HOSTILE in r.out.encode().decode("unicode_escape", "ignore") or HOSTILE in json.dumps(
        json.loads(r.out), ensure_ascii=False
    )


def test_arabic_names_pass_through_unescaped(cli, reference_url):
    r = cli("crossing", "list", "--db", reference_url)
    assert "باب الهوى" in r.out and "\\u" not in r.out


def test_safe_escapes_only_what_is_unsafe():
    from corridor.present.safe import safe

    assert safe("باب السلامة Öncüpınar") == "باب السلامة Öncüpınar"
    assert safe("a\x1bb\x9bc\u202ed\udcffe") == "a\\x1bb\\x9bc\\u202ed\\udcffe"
    assert safe("two\nlines") == "two\nlines" and safe("x\ny\tz", newlines=False) == "x\\ny\\tz"


def test_completion_never_offers_a_name_with_control_characters(reference_url, engine_for):
    from corridor.db.connect import Location, connect_reader
    from corridor.db.lookup import complete

    _poison(engine_for, reference_url)
    with connect_reader(Location(reference_url, "test"), create=False) as rd:
        offered = complete(rd, "") + complete(rd, "bab") + complete(rd, "Bab")
    assert offered and not any(c in name for name in offered for c in RAW)
