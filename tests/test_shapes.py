"""Corridors beyond Syria (docs/records.md): crossings of any shape, the parties to an
instrument, and working days. Through the real CLI and the real format, on both backends."""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import command

from corridor.core.errors import EXIT_INVALID, EXIT_USAGE
from corridor.db.connect import SCHEMA_HEAD, Location, make_engine


def export(cli, url: str) -> str:
    r = cli("export", "--db", url)
    assert r.code == 0, r.err
    return r.out


# ---------------------------------------------------------------- crossings of any shape


def test_a_port_a_two_country_border_and_a_route_are_recorded_as_what_they_are(cli, reference_url):
    r = cli("crossing", "add", "Port of Odesa", "--kind", "sea", "--countries", "ua",
            "--alias", "Odesa", "--db", reference_url)  # fmt: skip
    assert (r.code, r.out) == (0, ""), r.err
    assert "Recorded the crossing Port of Odesa (port-of-odesa, UA, sea)." in r.err
    r = cli("crossing", "add", "Adré", "--countries", "TD,SD", "--db", reference_url)
    assert r.code == 0, r.err
    assert "(adre, TD-SD)" in r.err
    r = cli("crossing", "add", "Black Sea corridor", "--kind", "route",
            "--countries", "UA,TR,RO,BG", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err

    shown = json.loads(cli("crossing", "show", "odesa", "-f", "json", "--db", reference_url).out)
    assert (shown["countries"], shown["kind"], shown["slug"]) == (["UA"], "sea", "port-of-odesa")
    assert shown["now"]["state"] == "never"
    shown = json.loads(cli("crossing", "show", "adre", "-f", "json", "--db", reference_url).out)
    assert (shown["countries"], shown["kind"]) == (["TD", "SD"], "land")
    table = cli("crossing", "show", "Black Sea corridor", "--db", reference_url).out
    assert table.splitlines()[0] == "Black Sea corridor (UA-TR-RO-BG, route)"
    # The Syrian crossings are unchanged: two countries, land, nothing new in their history.
    hawa = json.loads(
        cli("crossing", "show", "bab al hawa", "-f", "json", "--db", reference_url).out
    )
    assert (hawa["countries"], hawa["kind"]) == (["SY", "TR"], "land")

    # Lookup and completion work as for any crossing.
    assert cli("status", "-c", "odesa", "-f", "json", "--db", reference_url).code == 0
    from corridor.db.lookup import complete

    engine = make_engine(Location(reference_url, "test"))
    with engine.connect() as conn:
        assert "Port of Odesa" in complete(conn, "Port")
    engine.dispose()

    # The export writes the kind only when it is not the default, countries in their order.
    text = export(cli, reference_url)
    assert (
        "- slug: port-of-odesa\n    name: Port of Odesa\n    kind: sea\n    countries: [UA]\n"
        in (text)
    )
    assert "- slug: adre\n    name: Adré\n    countries: [TD, SD]\n" in text
    assert "countries: [UA, TR, RO, BG]" in text


def test_the_record_format_takes_one_or_more_codes_and_a_kind(cli, empty_url, tmp_path):
    good = tmp_path / "shapes.yaml"
    good.write_text(
        "corridor: 1\ncrossings:\n"
        "  - slug: port-sudan\n    name: Port Sudan\n    kind: sea\n    countries: [SD]\n"
        "  - slug: chad-sudan\n    name: Chad–Sudan route\n    kind: route\n"
        "    countries: [TD, SD]\n",
        encoding="utf-8",
    )
    r = cli("import", str(good), "--db", empty_url)
    assert r.code == 0, r.err
    first = export(cli, empty_url)
    again = tmp_path / "again.yaml"
    again.write_text(first, encoding="utf-8")
    r = cli("import", str(again), "--db", empty_url)
    assert "nothing changed" in r.out + r.err
    assert export(cli, empty_url) == first
    for body, message in (
        ("countries: []", "expected one or more ISO 3166-1 alpha-2 codes"),
        ("countries: [sd]", "expected one or more ISO 3166-1 alpha-2 codes"),
        ("countries: [SD, SD]", "a country is listed twice"),
        ("countries: [SD]\n    kind: river", "'river' is not one of land, sea, air, route"),
    ):
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            f"corridor: 1\ncrossings:\n  - slug: x\n    name: X\n    {body}\n", encoding="utf-8"
        )
        r = cli("import", str(bad), "--db", empty_url)
        assert r.code == EXIT_INVALID and message in r.err, r.err
    assert export(cli, empty_url) == first


def test_crossing_add_refuses_a_kind_it_does_not_know(cli, empty_url):
    r = cli("crossing", "add", "X", "--kind", "river", "--countries", "SD", "--db", empty_url)
    assert r.code == EXIT_USAGE and "river" in r.err


def test_0007_moves_the_two_country_columns_into_a_list_and_back(new_url):
    """An 0006 database with two-country crossings upgrades with its data, on both backends;
    and the downgrade puts a one-country crossing's code on both sides."""
    from corridor.store.migrate import alembic_config

    engine = make_engine(Location(new_url, "test"), foreign_keys=False)
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
        conn.execute(
            sa.text(
                "INSERT INTO crossings (id, slug, name, country_a, country_b)"
                " VALUES (1, 'a', 'A', 'SY', 'TR'), (2, 'b', 'B', 'SY', 'IQ')"
            )
        )
        conn.commit()
        command.upgrade(cfg, "0007")
        conn.commit()
        rows = conn.execute(
            sa.text(
                "SELECT crossing_id, position, code FROM crossing_countries"
                " ORDER BY crossing_id, position"
            )
        ).all()
        assert [tuple(r) for r in rows] == [(1, 0, "SY"), (1, 1, "TR"), (2, 0, "SY"), (2, 1, "IQ")]
        assert conn.execute(sa.text("SELECT kind FROM crossings")).scalars().all() == [
            "land",
            "land",
        ]
        conn.execute(
            sa.text("INSERT INTO crossings (id, slug, name, kind) VALUES (3, 'p', 'P', 'sea')")
        )
        conn.execute(sa.text("INSERT INTO crossing_countries VALUES (3, 0, 'UA')"))
        conn.commit()
        command.downgrade(cfg, "0006")
        conn.commit()
        rows = conn.execute(
            sa.text("SELECT id, country_a, country_b FROM crossings ORDER BY id")
        ).all()
        assert [tuple(r) for r in rows] == [(1, "SY", "TR"), (2, "SY", "IQ"), (3, "UA", "UA")]
        command.upgrade(cfg, "head")
        conn.commit()
        assert (
            conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
        )
    engine.dispose()
