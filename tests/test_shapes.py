"""Corridors beyond Syria (docs/records.md): crossings of any shape, the parties to an
instrument, and working days. Through the real CLI and the real format, on both backends."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from jsonschema import Draft202012Validator

from corridor.core.errors import EXIT_INVALID, EXIT_USAGE
from corridor.db.connect import SCHEMA_HEAD, Location, make_engine
from corridor.record.format import parse_text
from corridor.record.jsonschema import schema


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

    listed = json.loads(cli("crossing", "list", "-f", "json", "--db", reference_url).out)
    by_slug = {x["slug"]: x for x in listed["items"]}
    assert (by_slug["port-of-odesa"]["countries"], by_slug["port-of-odesa"]["kind"]) == (
        ["UA"],
        "sea",
    )
    assert by_slug["bab-al-hawa"]["countries"] == ["SY", "TR"]
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


# ---------------------------------------------------------------- the worked examples

DOCS = Path(__file__).resolve().parents[1] / "docs" / "records.md"
UTC = ("--tz", "UTC")


def _example(heading: str) -> str:
    section = DOCS.read_text(encoding="utf-8").split(f"### Example: {heading}", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def _import(cli, url, tmp_path, heading: str, name: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(_example(heading), encoding="utf-8")
    r = cli("import", str(path), "--db", url)
    assert r.code == 0, r.err
    assert (
        list(Draft202012Validator(schema()).iter_errors(parse_text(_example(heading), name))) == []
    )


def _status(cli, url, crossing: str, as_of: str) -> dict:
    r = cli("status", "-c", crossing, "--as-of", as_of, "-f", "json", *UTC, "--db", url)
    assert r.code == 0, r.err
    return json.loads(r.out)["items"][0]


def _upcoming(cli, url, crossing: str, as_of: str) -> list[dict]:
    r = cli("upcoming", "-c", crossing, "--as-of", as_of, "-f", "json", *UTC, "--db", url)
    assert r.code == 0, r.err
    return json.loads(r.out)["items"]


def test_the_port_example(cli, reference_url, tmp_path):
    _import(cli, reference_url, tmp_path, "a port crossing", "port")
    assert _status(cli, reference_url, "port sudan", "2025-04-01")["state"] == "never"
    now = _status(cli, reference_url, "بورتسودان", "2025-05-01")
    assert (now["state"], now["until"], now["days_left"]) == ("authorized", "2025-07-05", 65)
    (due,) = _upcoming(cli, reference_url, "port sudan", "2025-06-10")
    assert (due["date"], due["kind"], due["days_left"]) == ("2025-07-05", "expiry", 25)
    assert due["non_working"] is None  # no calendar is known for Sudan
    later = _status(cli, reference_url, "port sudan", "2025-07-06")
    # Nothing records a renewal or a reason: an alarm, not "lapsed" (docs/time.md).
    assert (later["state"], later["lapsed_since"]) == ("unrenewed", "2025-07-06")
    shown = json.loads(
        cli("crossing", "show", "port sudan", "-f", "json", "--db", reference_url).out
    )
    assert (shown["kind"], shown["countries"]) == ("sea", ["SD"])


def test_the_four_party_example(cli, reference_url, tmp_path):
    _import(cli, reference_url, tmp_path, "a four-party agreement's parties", "parties")
    r = cli("crossing", "show", "adre", "--as-of", "2025-02-01", *UTC, "--db", reference_url)
    assert r.out.endswith(
        "Parties:\n  Example agreement: Adré corridor (2025-01-15): Government of Chad (host), "
        "Government of Sudan (signatory), Example relief agency (signatory), Example guarantor "
        "(guarantor); signed in N'Djamena; dates in Africa/Ndjamena\n"
    )
    shown = json.loads(
        cli(
            "crossing", "show", "adre", "--as-of", "2025-02-01", "-f", "json", "--db", reference_url
        ).out  # fmt: skip
    )
    (inst,) = shown["instruments"]
    assert (inst["authority"], inst["timezone"], inst["signed_in"]) == (
        "Government of Chad",
        "Africa/Ndjamena",
        "N'Djamena",
    )
    assert [(p["name"], p["role"]) for p in inst["parties"]] == [
        ("Government of Chad", "host"),
        ("Government of Sudan", "signatory"),
        ("Example relief agency", "signatory"),
        ("Example guarantor", "guarantor"),
    ]
    assert inst["parties"][3]["note"] == "witnessed the signature"
    (due,) = _upcoming(cli, reference_url, "adre", "2025-04-20")
    assert (due["date"], due["days_left"]) == ("2025-05-15", 25)  # the date is not moved
    assert due["non_working"] == {
        "day": "Thursday",
        "calendar": "Government of Chad",
        "reason": "holiday",
        "holiday": "Example holiday",
        "last_working_day": "2025-05-14",
        "note": "Thursday is not a working day (Government of Chad: holiday, Example holiday); "
        "the last working day before it is Wednesday 2025-05-14",
    }
    table = cli("upcoming", "-c", "adre", "--as-of", "2025-04-20", *UTC, "--db", reference_url)
    assert "2025-05-15" in table.out and "Thursday is not a working day" in table.out
    log = cli("log", "--db", reference_url).out
    assert "created calendar Government of Chad" in log


def test_the_three_month_steps_example(cli, reference_url, tmp_path):
    _import(cli, reference_url, tmp_path, "a consent in three-month steps", "steps")
    before = _status(cli, reference_url, "example gate", "2025-06-28")
    assert (before["state"], before["until"], before["days_left"]) == (
        "authorized",
        "2025-07-01",
        3,
    )
    during = _status(cli, reference_url, "example gate", "2025-07-05")
    assert (during["state"], during["lapsed_since"]) == ("unrenewed", "2025-07-02")
    # Step 3, adopted on 2025-07-10, is known from the end of that day in its zone.
    assert _status(cli, reference_url, "example gate", "2025-07-10")["state"] == "unrenewed"
    after = _status(cli, reference_url, "example gate", "2025-07-11")
    assert (after["state"], after["until"]) == ("authorized", "2025-10-01")
    assert after["instruments"] == ["Example consent: Example Gate, step 3"]
    show = cli("crossing", "show", "example gate", "--as-of", "2025-07-11", *UTC,
               "--db", reference_url).out  # fmt: skip
    assert (
        "gap in what was known: authority lapsed at 2025-07-02 00:00 +03; Example consent: "
        "Example Gate, step 3, adopted on 2025-07-10, covers it back to 2025-07-02 (known from "
        "the end of 2025-07-10)"
    ) in show


def test_the_examples_round_trip_byte_for_byte(cli, reference_url, empty_url, tmp_path):
    for heading, name in (
        ("a port crossing", "port"),
        ("a four-party agreement's parties", "parties"),
        ("a consent in three-month steps", "steps"),
    ):
        _import(cli, reference_url, tmp_path, heading, name)
    for fmt in ("yaml", "json"):
        first = (
            export(cli, reference_url)
            if fmt == "yaml"
            else cli("export", "--format", "json", "--db", reference_url).out
        )
        path = tmp_path / f"all.{fmt}"
        path.write_text(first, encoding="utf-8")
        r = cli("import", str(path), "--db", empty_url)
        assert r.code == 0, r.err
        again = cli("export", "--format", fmt, "--db", empty_url).out
        assert again == first
        if fmt == "yaml":  # the new sections, written as the format documents them
            assert "calendars:\n  - for: Government of Chad\n    weekend: [Sat, Sun]\n" in first
            assert "signed_in: N'Djamena\n    parties:\n      - name: Government of Chad\n" in (
                first
            )


def test_the_documented_commands_run(cli, reference_url):
    r = cli("crossing", "add", "Adré", "--countries", "TD,SD", "--db", reference_url)
    assert r.code == 0, r.err
    r = cli("add", "Example agreement: Adré corridor (2025-01-15)", "--kind", "agreement",
            "--authority", "Government of Chad", "--timezone", "Africa/Ndjamena",
            "--signed-in", "N'Djamena",
            "--party", "Government of Chad:host", "--party", "Government of Sudan:signatory",
            "--party", "Example relief agency:signatory", "--party", "Example guarantor:guarantor",
            "--adopted", "2025-01-15", "--for", "120d", "--from", "start", "-c", "adre",
            "-f", "json", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    record = json.loads(r.out)["record"]
    assert record["signed_in"] == "N'Djamena" and len(record["parties"]) == 4
    assert record["periods"][0]["until"] == "2025-05-15"
    # A renewal keeps the parties unless told otherwise.
    r = cli("renew", "Adré corridor", "-s", "Example agreement: Adré corridor, renewal",
            "--adopted", "2025-05-10", "--for", "60d", "-f", "json",
            "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    renewed = json.loads(r.out)["record"]
    assert renewed["parties"] == record["parties"] and renewed["signed_in"] == "N'Djamena"
    r = cli("renew", "Adré corridor, renewal", "-s", "Example agreement: Adré corridor, 2",
            "--adopted", "2025-07-01", "--for", "60d", "--party", "Government of Chad:host",
            "-f", "json", "--db", reference_url)  # fmt: skip
    assert json.loads(r.out)["record"]["parties"] == [
        {"name": "Government of Chad", "role": "host"}
    ]
    for bad in ("Government of Chad:boss", "no role"):
        r = cli("add", "X", "--kind", "agreement", "--authority", "Government of Chad",
                "--adopted", "2025-01-15", "--for", "120d", "-c", "adre", "--party", bad,
                "--db", reference_url)  # fmt: skip
        assert r.code == EXIT_USAGE and "--party" in r.err, r.err


# ---------------------------------------------------------------- working days, the rule


def test_a_deadline_on_a_day_off_is_flagged_with_the_working_day_before_it():
    from datetime import date

    from corridor.core import workdays

    known = workdays.calendars()
    council = workdays.governing(known, "UN Security Council", ["SY", "TR"])
    flag = workdays.non_working(date(2022, 7, 10), council)  # S/RES/2585 ended on a Sunday
    assert (flag.day, flag.reason, flag.last_working_day) == ("Sunday", "weekend", date(2022, 7, 8))
    assert workdays.non_working(date(2022, 7, 11), council) is None
    syria = workdays.governing(known, "Government of the Syrian Arab Republic", [])
    assert workdays.non_working(date(2024, 1, 12), syria).day == "Friday"
    assert workdays.non_working(date(2024, 1, 14), syria) is None  # Sunday works in Syria
    # An unknown authority: the countries of the crossings decide.
    assert [c.applies_to for c in workdays.governing(known, "Someone", ["TR", "XX"])] == ["TR"]
    # The record adds holidays and may replace a weekend; the shipped source stays.
    known = workdays.calendars(
        [workdays.Calendar("sy", ("Fri",), None, {date(2024, 1, 14): "A holiday"})]
    )
    syria = workdays.governing(known, "Government of the Syrian Arab Republic", [])
    assert workdays.non_working(date(2024, 1, 13), syria) is None  # Saturday, no longer off
    flag = workdays.non_working(date(2024, 1, 14), syria)
    assert (flag.reason, flag.holiday, flag.last_working_day) == (
        "holiday",
        "A holiday",
        date(2024, 1, 13),
    )
    assert syria[0].source and "Syria" in syria[0].source


def test_calendars_in_the_format_are_checked(cli, empty_url, tmp_path):
    for body, message in (
        ("  - for: SY\n    weekend: [Friday]\n", "'Friday' is not one of Mon"),
        ("  - for: SY\n    weekend: [Fri, Fri]\n", "a day is listed twice"),
        (
            "  - for: SY\n    holidays:\n      - {date: 2025-01-01, name: A}\n"
            "      - {date: 2025-01-01, name: B}\n",
            "a second holiday on 2025-01-01",
        ),
        ("  - for: SY\n  - for: sy\n", "duplicate calendar"),
    ):
        path = tmp_path / "bad.yaml"
        path.write_text(f"corridor: 1\ncalendars:\n{body}", encoding="utf-8")
        r = cli("import", str(path), "--db", empty_url)
        assert r.code == EXIT_INVALID and message in r.err, r.err


def test_the_format_reference_example_is_valid():
    """docs/format.md's annotated example, with its parties and calendars, parses."""
    from corridor.record.format import parse_document

    text = (Path(__file__).resolve().parents[1] / "docs" / "format.md").read_text("utf-8")
    doc = parse_document(parse_text(re.search(r"```yaml\n(.*?)```", text, re.S).group(1), "f"))
    assert [(p.name, p.role) for p in doc.instruments[0].parties] == [
        ("UN Security Council", "authority")
    ]
    assert (doc.calendars[0].applies_to, doc.calendars[0].weekend) == (
        "UN Security Council",
        ("Sat", "Sun"),
    )


def test_the_new_help_examples_run(cli, reference_url):
    """The --help examples for ports and parties, run as printed (after docs/records.md's
    `corridor crossing add "Adré" --countries TD,SD`)."""
    import shlex

    def examples(*path: str) -> list[list[str]]:
        text = cli(*path, "--help").out.split("Example", 1)[1]
        text = re.sub(r"\\\s*\n\s*", " ", text)  # join continued lines
        lines = [x.strip() for x in text.splitlines() if x.strip().startswith("corridor ")]
        # The examples with invented facts are printed with --dry-run; here they are written.
        return [[a for a in shlex.split(x)[1:] if a != "--dry-run"] for x in lines]

    assert cli("crossing", "add", "Adré", "--countries", "TD,SD", "--db", reference_url).code == 0
    ran = 0
    for path in (("crossing", "add"), ("add",)):
        for argv in examples(*path):
            if "--kind" in argv and argv[argv.index("--kind") + 1] in ("sea", "agreement"):
                r = cli(*argv, "--db", reference_url)
                assert r.code == 0, (argv, r.err)
                ran += 1
    assert ran >= 2
    shown = json.loads(cli("crossing", "show", "adre", "-f", "json", "--db", reference_url).out)
    assert [p["role"] for p in shown["instruments"][0]["parties"]] == ["host", "signatory"]


def test_a_change_of_parties_alone_is_an_audited_update(cli, reference_url, tmp_path):
    _import(cli, reference_url, tmp_path, "a four-party agreement's parties", "parties")
    text = _example("a four-party agreement's parties").replace(
        "{name: Example guarantor, role: guarantor, note: witnessed the signature}",
        "{name: Example guarantor, role: observer}",
    )
    path = tmp_path / "changed.yaml"
    path.write_text(text, encoding="utf-8")
    r = cli("import", str(path), "--db", reference_url, "--yes")
    assert r.code == 0, r.err
    assert "0 created, 1 updated" in r.err
    last = json.loads(cli("log", "--format", "json", "--db", reference_url).out)["items"]
    change = next(c for c in last if c["action"] == "updated")
    assert change["entity"] == "instrument"
    assert change["old"]["parties"][3] == {
        "name": "Example guarantor",
        "role": "guarantor",
        "note": "witnessed the signature",
    }
    assert change["new"]["parties"][3] == {"name": "Example guarantor", "role": "observer"}
