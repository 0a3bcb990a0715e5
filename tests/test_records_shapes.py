"""The time-shaped records of docs/records.md ("Shapes beyond a plain period"): automatic
renewal, objections, termination, spans marked unknown and disputed ends. Each worked example
is read from the documentation itself, imported, and checked at the dates the page names
(before, during and after each event); then the same facts through the editing commands, the
`--as-of` replay of objections and terminations, the JSON contract, export round trips, the
audit trail, and agreement of the three reports with an oracle (tests/oracle.py) at many
instants."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.core.terms import zone
from corridor.db.lookup import find_crossing
from corridor.services.history import crossing_history
from corridor.services.reports import status, upcoming
from oracle import oracle, shape_spans, unknown_at

DOC = Path(__file__).resolve().parents[1] / "docs" / "records.md"
IST = "Europe/Istanbul"


def examples() -> list[str]:
    text = DOC.read_text("utf-8")
    section = text[text.index("## Shapes beyond a plain period") :]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)


@pytest.fixture
def shapes(empty_url, cli, tmp_path):
    """An empty database with every worked example of the page imported."""
    for n, text in enumerate(examples()):
        path = tmp_path / f"example{n}.yaml"
        path.write_text(text, encoding="utf-8")
        r = cli("import", str(path), "--db", empty_url, "--yes")
        assert r.code == 0, r.err
    return empty_url


def state(cli, url, crossing, as_of, tz=IST):
    r = cli("status", "-c", crossing, "--as-of", as_of, "--tz", tz, "--format", "json", "--db", url)
    assert r.code == 0, r.err
    return json.loads(r.out)["items"][0]


def due(cli, url, crossing, as_of, tz=IST):
    r = cli("upcoming", "-c", crossing, "--as-of", as_of, "--tz", tz, "-w", "400",
            "--format", "json", "--db", url)  # fmt: skip
    assert r.code == 0, r.err
    return [(i["kind"], i["date"]) for i in json.loads(r.out)["items"]], json.loads(r.out)["items"]


def test_the_page_has_the_three_examples():
    assert len(examples()) == 3


def test_automatic_renewal_then_termination_at_each_key_date(shapes, cli):
    port = "example port"
    s = state(cli, shapes, port, "2025-03-01")
    assert (s["state"], s["until"], s["renews_to"], s["objection_by"]) == (
        "authorized", "2025-05-01", "2025-06-30", "2025-04-01")  # fmt: skip
    assert s["note"] == "renews automatically to 2025-06-30 unless a party objects (by 2025-04-01)"
    kinds, items = due(cli, shapes, port, "2025-03-01")
    assert kinds[:2] == [("notice", "2025-04-01"), ("expiry", "2025-05-01")]
    assert items[1]["renews_to"] == "2025-06-30" and items[1]["objection_by"] == "2025-04-01"
    # The last day to object has passed: the renewal is certain, and the notice has gone.
    s = state(cli, shapes, port, "2025-04-02")
    assert (s["until"], s["renews_to"]) == ("2025-05-01", "2025-06-30")
    assert s["note"] == "renews automatically to 2025-06-30 (no objection by 2025-04-01)"
    assert due(cli, shapes, port, "2025-04-02")[0][0] == ("expiry", "2025-05-01")
    # The renewal runs from its first instant: 00:00 on 2 May in Istanbul.
    assert state(cli, shapes, port, "2025-05-01T20:59:59Z")["until"] == "2025-05-01"
    s = state(cli, shapes, port, "2025-05-01T21:00:00Z")
    assert (s["until"], s["renews_to"], s["objection_by"]) == (
        "2025-06-30", "2025-08-29", "2025-05-31")  # fmt: skip
    # Until the termination is known (the end of 2025-06-01 in Istanbul), the old end stands.
    assert state(cli, shapes, port, "2025-05-31")["until"] == "2025-06-30"
    assert ("notice", "2025-05-31") in due(cli, shapes, port, "2025-05-31")[0]
    assert state(cli, shapes, port, "2025-06-01")["until"] == "2025-06-30"
    s = state(cli, shapes, port, "2025-06-02")
    assert (s["state"], s["until"], s["renews_to"]) == ("authorized", "2025-06-14", None)
    assert s["note"] == "terminated by Party B with effect from 2025-06-15 (known 2025-06-01)"
    assert due(cli, shapes, port, "2025-06-02")[0] == [("expiry", "2025-06-14")]
    s = state(cli, shapes, port, "2025-06-15")
    assert (s["state"], s["lapsed_since"]) == ("lapsed", "2025-06-15")
    assert s["reason"]["kind"] == "terminated"
    assert due(cli, shapes, port, "2025-06-15")[0] == []


def test_crossing_show_lists_the_renewal_and_the_termination_with_its_source(shapes, cli):
    r = cli("crossing", "show", "example port", "--as-of", "2025-07-01", "--tz", IST,
            "--format", "json", "--db", shapes)  # fmt: skip
    history = json.loads(r.out)["history"]
    kinds = [(h["kind"], h["date"]) for h in history]
    assert kinds == [("period", "2025-01-01"), ("renewal", "2025-05-02"),
                     ("termination", "2025-06-01")]  # fmt: skip
    assert "cut short" in history[1]["text"]
    assert "Party B's note of 1 June 2025" in history[2]["text"]
    before = cli("crossing", "show", "example port", "--as-of", "2025-05-31", "--tz", IST,
                 "--db", shapes).out  # fmt: skip
    assert "terminated" not in before and "renewed automatically" in before


def test_an_unknown_span_is_unknown_not_lapsed(shapes, cli):
    ridge = "example ridge"
    tz = "Asia/Damascus"
    assert state(cli, shapes, ridge, "2025-05-14", tz)["until"] == "2025-05-14"
    s = state(cli, shapes, ridge, "2025-06-01", tz)
    # Inside the span: unknown, with no lapse date (a lapse never starts inside one).
    assert (s["state"], s["authorized"], s["lapsed_since"]) == ("unknown", False, None)
    assert s["note"].startswith("unknown (no source) from 2025-05-15 to 2025-08-31")
    table = cli("status", "-c", ridge, "--as-of", "2025-06-01", "--db", shapes).out
    assert "unknown (no source)" in table and "lapsed" not in table
    # The consent of 2025-09-01 is known from the end of that day: until then, the span has
    # ended and nothing follows it (an alarm, not "unknown").
    assert state(cli, shapes, ridge, "2025-09-01", tz)["state"] == "unrenewed"
    assert state(cli, shapes, ridge, "2025-09-02", tz)["until"] == "2025-11-30"
    assert state(cli, shapes, ridge, "2025-12-01", tz)["state"] == "unrenewed"
    show = cli("crossing", "show", ridge, "--as-of", "2025-06-01", "--tz", tz, "--db", shapes)
    assert "As of 2025-06-01: unknown (no source)" in show.out
    assert "gap" not in show.out and "interviews with drivers" in show.out


def test_a_disputed_end_uses_the_earliest_and_lists_both(shapes, cli):
    valley = "example valley"
    tz = "Africa/Khartoum"
    s = state(cli, shapes, valley, "2025-04-01", tz)
    assert (s["until"], s["end_disputed"]) == ("2025-04-30", True)
    assert [e["until"] for e in s["disputed_ends"]] == ["2025-04-30", "2025-06-29"]
    assert "Party B's statement" in s["disputed_ends"][0]["source"]
    _kinds, items = due(cli, shapes, valley, "2025-04-01", tz)
    assert items[0]["date"] == "2025-04-30" and items[0]["end_disputed"] is True
    assert state(cli, shapes, valley, "2025-05-01", tz)["state"] == "unrenewed"
    # An ordinary crossing says nothing of disputes or renewals.
    plain = state(cli, shapes, valley, "2025-02-01", tz)
    assert (plain["end_disputed"], plain["disputed_ends"], plain["renews_to"]) == (False, [], None)


def test_export_import_export_is_byte_identical(shapes, cli, databases, tmp_path):
    new_url = databases.clone("migrated")
    first = cli("export", "--db", shapes).out
    for key in ("auto_renew:", "terminated:", "unknown:", "alternative_ends:"):
        assert key in first
    path = tmp_path / "all.yaml"
    path.write_text(first, encoding="utf-8")
    assert cli("import", str(path), "--db", new_url, "--yes").code == 0
    assert cli("export", "--db", new_url).out == first
    assert cli("import", str(path), "--db", shapes, "--yes").err.count("nothing changed") == 1


AGREEMENT = [
    "add", "Example agreement (2025)", "--kind", "agreement", "--authority", "Parties A-D",
    "--timezone", IST, "--adopted", "2025-01-01", "--for", "120d", "-c", "bab al hawa",
    "--auto-renew", "60d", "--notice", "30d", "--max-renewals", "3",
]  # fmt: skip


def agreement(cli, url):
    assert cli(*AGREEMENT, "--db", url).code == 0
    # The record of Bab al-Hawa is declared complete, so an end reads "lapsed".
    assert cli("crossing", "checked", "bab al hawa", "--on", "2026-12-31", "--db", url).code == 0


def test_an_objection_stops_the_renewal_and_is_invisible_before_it_was_notified(reference_url, cli):
    agreement(cli, reference_url)
    r = cli("object", "Example agreement", "--on", "2025-03-20", "--party", "Party C",
            "--source", "Party C's letter", "--by", "tester", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    hawa = "bab al hawa"
    s = state(cli, reference_url, hawa, "2025-03-19")
    assert (s["until"], s["renews_to"]) == ("2025-05-01", "2025-06-30")
    assert ("notice", "2025-04-01") in due(cli, reference_url, hawa, "2025-03-19")[0]
    # The objection is known from the end of 2025-03-20 in Istanbul.
    assert state(cli, reference_url, hawa, "2025-03-20")["renews_to"] == "2025-06-30"
    s = state(cli, reference_url, hawa, "2025-03-21")
    assert (s["until"], s["renews_to"], s["objection_by"]) == ("2025-05-01", None, None)
    assert s["note"] == "ends: Party C objected on 2025-03-20; no automatic renewal"
    assert due(cli, reference_url, hawa, "2025-03-21")[0] == [("expiry", "2025-05-01")]
    s = state(cli, reference_url, hawa, "2025-05-02")
    assert s["state"] == "lapsed" and s["reason"]["kind"] == "objected"
    log = cli("log", "--instrument", "Example agreement", "--db", reference_url).out
    assert "tester  object: updated instrument Example agreement (2025)" in log


def test_a_late_objection_stops_the_following_renewal(reference_url, cli):
    agreement(cli, reference_url)
    # After the 2025-04-01 notice day: the renewal of 2 May goes ahead, the next one does not.
    cli("object", "Example agreement", "--on", "2025-04-10", "--party", "Party D",
        "--db", reference_url)  # fmt: skip
    s = state(cli, reference_url, "bab al hawa", "2025-05-02")
    assert (s["until"], s["renews_to"]) == ("2025-06-30", None)
    assert state(cli, reference_url, "bab al hawa", "2025-07-01")["state"] == "lapsed"


def test_renewals_are_bounded(reference_url, cli):
    agreement(cli, reference_url)
    # 120 days, then three renewals of 60 days: 2025-06-30, 2025-08-29, 2025-10-28.
    s = state(cli, reference_url, "bab al hawa", "2025-09-01")
    assert (s["until"], s["renews_to"]) == ("2025-10-28", None)
    assert s["note"].startswith("last automatic renewal derived (at most 3)")
    assert state(cli, reference_url, "bab al hawa", "2025-10-29")["state"] != "authorized"


def test_terminate_command_replays_with_knowledge_time(reference_url, cli):
    hawa, ny = "bab al hawa", "America/New_York"
    r = cli("terminate", "2672", "--effective", "2023-05-01", "--known", "2023-04-20",
            "--party", "UN Security Council", "--source", "an invented example",
            "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    assert state(cli, reference_url, hawa, "2023-04-19", ny)["until"] == "2023-07-10"
    assert state(cli, reference_url, hawa, "2023-04-20", ny)["until"] == "2023-07-10"
    s = state(cli, reference_url, hawa, "2023-04-21", ny)  # known from the end of 04-20
    assert (s["until"], s["until_at"]) == ("2023-04-30", "2023-05-01T04:00:00Z")
    s = state(cli, reference_url, hawa, "2023-05-01", ny)
    assert (s["state"], s["lapsed_since"]) == ("lapsed", "2023-05-01")
    # A second termination of the same instrument asks first; --yes replaces it.
    again = ["terminate", "2672", "--effective", "2023-06-01", "--known", "2023-04-20"]
    assert cli(*again, "--db", reference_url).code == 2
    assert cli(*again, "--yes", "--db", reference_url).code == 0
    assert state(cli, reference_url, hawa, "2023-05-15", ny)["until"] == "2023-05-31"


def test_unknown_and_alt_until_commands(reference_url, cli):
    r = cli("unknown", "al-ramtha", "--from", "2024-02-01", "--to", "2024-03-31",
            "--note", "no source", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    # The span is known from the instant it was recorded (today): a replay of 2024 does not
    # see it, an audit as known now does (docs/time.md).
    assert state(cli, reference_url, "al-ramtha", "2024-03-01", "UTC")["state"] == "lapsed"
    now = cli("status", "-c", "al-ramtha", "--as-of", "2024-03-01", "--known-at", "now",
              "-f", "json", "--db", reference_url)  # fmt: skip
    assert json.loads(now.out)["items"][0]["state"] == "unknown"
    assert "known: " in cli("export", "--db", reference_url).out
    assert state(cli, reference_url, "al-ramtha", "2024-04-01", "UTC")["state"] != "unknown"
    r = cli("add", "Example consent (2025)", "--kind", "consent", "--authority",
            "Government of Jordan", "--timezone", "Asia/Amman", "--adopted", "2025-05-01",
            "--until", "2025-08-28", "-c", "al-ramtha",
            "--alt-until", "2025-06-30: Party B's announcement", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    s = state(cli, reference_url, "al-ramtha", "2025-06-01", "Asia/Amman")
    assert (s["until"], s["end_disputed"]) == ("2025-06-30", True)
    bad = cli("add", "X (2025)", "--kind", "consent", "--authority", "Government of Jordan",
              "--adopted", "2025-05-01", "--until", "2025-08-28", "-c", "al-ramtha",
              "--alt-until", "2025-06-30", "--db", reference_url)  # fmt: skip
    assert bad.code == 2 and "has no source" in bad.err
    nothing = cli("object", "2672", "--on", "2023-02-01", "--party", "X", "--db", reference_url)
    assert nothing.code == 5 and "does not renew automatically" in nothing.err


# ---------------------------------------------------------------- agreement, by property


@pytest.fixture
def shape_record(shapes, engine_for, cli):
    # Ten renewals (the default bound) on a crossing that also has a disputed period.
    args = [("example valley" if a == "bab al hawa" else a) for a in AGREEMENT[:-2]]
    assert cli(*args, "--db", shapes).code == 0
    cli("object", "Example agreement", "--on", "2025-07-20", "--party", "C", "--db", shapes)
    doc = yaml.safe_load(cli("export", "--db", shapes).out)
    for inst in doc["instruments"]:  # the oracle works from the file's own values
        _dates(inst)
    for c in doc["crossings"]:
        _dates(c)
    conn = engine_for(shapes).connect()
    yield conn, doc
    conn.close()


def _dates(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                node[k] = date.fromisoformat(v)
            else:
                _dates(v)
    elif isinstance(node, list):
        for v in node:
            _dates(v)


def test_reports_agree_with_the_oracle_on_the_shapes(shape_record):
    conn, doc = shape_record
    slugs = ["example-port", "example-ridge", "example-valley"]
    ids = {s: find_crossing(conn, s) for s in slugs}
    edges = sorted({x for _s, a, b, k, _d in shape_spans(doc, END) for x in (a, b, k)})
    zones = ["UTC", "Europe/Istanbul", "Pacific/Kiritimati", "America/Los_Angeles"]

    @settings(max_examples=400, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(
        at=st.one_of(
            st.builds(
                lambda e, m: e + timedelta(minutes=m),
                st.sampled_from(edges),
                st.integers(-36 * 60, 36 * 60),
            ),
            st.builds(
                lambda e, us: e + timedelta(microseconds=us),
                st.sampled_from(edges),
                st.sampled_from([-1, 0, 1]),
            ),  # fmt: skip
        ),
        zone_name=st.sampled_from(zones),
        pick=st.sampled_from(slugs),
    )
    def check(at, zone_name, pick):
        tz = zone(zone_name)
        spans = shape_spans(doc, at)
        states = {s.slug: s for s in status(conn, at=at, tz=tz, crossing_ids=list(ids.values()))}
        expiries = upcoming(conn, at=at, within=800, tz=tz, kinds=("expiry",))
        for slug in slugs:
            s = states[slug]
            authorized, until, ends_at = oracle(spans, slug, at)
            assert (s.authorized, s.until, s.until_at) == (authorized, until, ends_at), slug
            if not authorized:
                assert (s.state == "unknown") == unknown_at(doc, slug, at), slug
            mine = [d for d in expiries if slug in d.slugs and not d.conditional]
            if authorized:
                first = min(mine, key=lambda d: d.due_at)
                assert (first.date, first.due_at, first.days_left) == (
                    s.until, s.until_at, s.days_left)  # fmt: skip
        shown = crossing_history(conn, ids[pick], at=at, tz=tz).now
        s = states[pick]
        assert (shown.state, shown.until, shown.note, shown.disputed_ends) == (
            s.state, s.until, s.note, s.disputed_ends)  # fmt: skip

    check()


END = datetime(2026, 12, 31, tzinfo=UTC)


def test_the_examples_validate_against_the_json_schema(shapes, cli):
    import jsonschema

    from corridor.record.jsonschema import schema

    validator = jsonschema.Draft202012Validator(schema())
    exported = json.loads(cli("export", "--format", "json", "--db", shapes).out)
    assert list(validator.iter_errors(exported)) == []
    for text in examples():
        assert (
            list(validator.iter_errors(json.loads(json.dumps(yaml.safe_load(text), default=str))))
            == []
        )


def test_the_terminal_version_of_the_agreement_gives_the_same_answers(shapes, cli, databases):
    import shlex

    text = DOC.read_text("utf-8")
    section = text[text.index("### Automatic renewal, and a termination") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1).replace("\\\n", " ")
    url = databases.clone("migrated")
    for line in block.strip().splitlines():
        words = shlex.split(line)
        assert words[0] == "corridor"
        r = cli(*words[1:], "--db", url)
        assert r.code == 0, (line, r.err)
    for as_of in ("2025-03-01", "2025-05-02", "2025-05-31", "2025-06-01", "2025-06-14"):
        mine, theirs = (
            state(cli, url, "example port", as_of),
            state(cli, shapes, "example port", as_of),
        )
        keys = ("state", "until", "until_at", "renews_to", "objection_by")
        assert [mine[k] for k in keys] == [theirs[k] for k in keys], as_of
        assert due(cli, url, "example port", as_of)[0] == due(cli, shapes, "example port", as_of)[0]
