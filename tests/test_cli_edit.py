"""The editing commands through the real CLI: exact stdout, stderr and exit codes, and a record
that is byte-for-byte unchanged whenever a command is refused."""

from __future__ import annotations

import json

import pytest

from conftest import TEST_NOW
from corridor.core.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_USAGE

NY = ("--tz", "America/New_York")
SYRIA = "Government of the Syrian Arab Republic"


def export(cli, url: str) -> str:
    r = cli("export", "--db", url)
    assert r.code == 0, r.err
    return r.out


@pytest.fixture
def until_2585(empty_url, engine_for):
    """The reference record as it stood after S/RES/2585 (2021): everything later removed."""
    from corridor.record.format import parse_document, parse_text, reference_text
    from corridor.store.audit import default_change
    from corridor.store.writer import apply

    data = json.loads(json.dumps(parse_text(reference_text(), "reference.yaml")))
    data["instruments"] = [i for i in data["instruments"] if (i["adopted"] or "9") <= "2021-07-09"]
    data["events"] = [e for e in data["events"] if e["date"] <= "2021-07-09"]
    data["dataset"]["knowledge_ends"] = "2021-07-09"
    with engine_for(empty_url).begin() as conn:
        apply(
            conn,
            parse_document(data, "until-2585.yaml"),
            change=default_change("test", "load", TEST_NOW),
        )
    return empty_url


def test_replay_2642_with_one_command_and_reports_show_it_at_once(cli, until_2585):
    before = cli("upcoming", "--db", until_2585, "--as-of", "2022-12-20", *NY)
    assert before.out == ""

    r = cli(
        "renew",
        "S/RES/2585 (2021)",
        "--symbol",
        "S/RES/2642 (2022)",
        "--adopted",
        "2022-07-12",
        "--for",
        "6mo",
        "--review",
        "2023-01-10",
        "--condition",
        "a second six-month extension will require a separate resolution",
        "--report",
        "2022-12-10: Secretary-General's special report on humanitarian needs",
        "--vote",
        "12-0-3",
        "--by",
        "alice",
        "--db",
        until_2585,
    )
    assert r.code == 0
    assert (
        r.err == "Recorded S/RES/2585 (2021) -> S/RES/2642 (2022): Bab al-Hawa until 2023-01-10.\n"
    )
    assert r.out == (
        "DATE        KIND    CROSSINGS    NOTE\n"
        "2022-12-10  report  Bab al-Hawa  report due: Secretary-General's special report on "
        "humanitarian needs\n"
        "2023-01-10  expiry  Bab al-Hawa  expires unless continued at the 2023-01-10 review: a "
        "second six-month extension will require a separate resolution\n"
        "2023-01-10  review  Bab al-Hawa  review: a second six-month extension will require a "
        "separate resolution\n"
    )

    up = cli("upcoming", "--db", until_2585, "--as-of", "2022-12-20", "--kind", "expiry", *NY)
    assert up.code == 0
    assert up.out == (
        "DATE        LEFT  KIND    CROSSINGS    INSTRUMENT         ENDS                  NOTE\n"
        "2023-01-10  21d   expiry  Bab al-Hawa  S/RES/2642 (2022)  2023-01-11 00:00 EST  "
        "expires unless continued at the 2023-01-10 review: a second six-month extension will "
        "require a separate resolution\n"
    )
    # The renewal's term counts from 2585's end (2022-07-10 + 6 months), and it starts on
    # adoption, after the one-day gap: exactly as the reference dataset has it.
    record = json.loads(cli("export", "--format", "json", "--db", until_2585).out)
    renewal = next(i for i in record["instruments"] if i["symbol"] == "S/RES/2642 (2022)")
    assert renewal["periods"] == [
        {
            "crossings": ["bab-al-hawa"],
            "start": "2022-07-12",
            "until": "2023-01-10",
            "for": "6mo",
            "from": "previous",
        }
    ]
    assert renewal["renews"] == "S/RES/2585 (2021)"
    # A fact dated after the crossing's horizon moves it forward, for its own crossing only.
    shown = cli("status", "-f", "json", "--as-of", "2022-12-20", "--db", until_2585, *NY)
    ends = {i["slug"]: i["record_ends"] for i in json.loads(shown.out)["items"]}
    assert ends["bab-al-hawa"] == "2022-07-12"
    assert ends["al-yarubiyah"] == "2021-07-09"


def test_renew_copies_the_scope_and_drops_crossings(cli, reference_url):
    r = cli(
        "renew",
        "2449",
        "-s",
        "S/RES/2504 bis (2020)",
        "--adopted",
        "2020-01-10",
        "--relation",
        "replaces",
        "--drop",
        "Al Yarubiyah",
        "--drop",
        "ramtha",
        "--add",
        "al rai",
        "--db",
        reference_url,
        "-f",
        "json",
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["created"] == ["instrument S/RES/2504 bis (2020)"]
    assert data["record"]["periods"] == [
        {
            "crossings": ["al-rai", "bab-al-hawa", "bab-al-salam"],
            "start": "2020-01-11",
            "until": "2021-01-10",
            "for": "12mo",
            "from": "previous",
        }
    ]
    assert data["record"]["relation"] == "replaces"


def test_add_a_six_plus_six_mandate(cli, reference_url):
    r = cli(
        "add",
        "S/RES/9001 (2025)",
        "--adopted",
        "2025-01-09",
        "--start",
        "2025-01-11",
        "--for",
        "6mo",
        "--extension",
        "6mo",
        "--condition",
        "the Secretary-General's substantive report",
        "-c",
        "bab al hawa",
        "--db",
        reference_url,
    )
    assert r.code == 0, r.err
    assert r.err == (
        "Recorded S/RES/9001 (2025): Bab al-Hawa until 2025-07-11 "
        "(extension to 2026-01-11 pending review).\n"
    )
    assert r.out.splitlines()[1:] == [
        "2025-07-11  expiry  Bab al-Hawa  expires unless continued at the 2025-07-11 review: "
        "the Secretary-General's substantive report",
        "2025-07-11  review  Bab al-Hawa  review: extension to 2026-01-11 subject to the "
        "Secretary-General's substantive report",
        "2026-01-11  expiry  Bab al-Hawa  end of the extension granted at the 2025-07-11 "
        "review, if granted",
    ]
    status = cli("status", "-c", "bab al hawa", "--as-of", "2025-03-01", "--db", reference_url)
    assert "2025-07-11" in status.out


VALIDATION = [
    pytest.param(
        [
            "add",
            "Syria consent: test",
            "--kind",
            "consent",
            "--authority",
            SYRIA,
            "--adopted",
            "2024-01-01",
            "--until",
            "2023-12-01",
            "-c",
            "bab al hawa",
        ],
        EXIT_INVALID,
        "Error: Syria consent: test: periods[0]: ends on 2023-12-01, before it starts on "
        "2024-01-01\n",
        id="end-before-start",
    ),
    pytest.param(
        [
            "add",
            "Syria consent: test",
            "--kind",
            "consent",
            "--authority",
            SYRIA,
            "--adopted",
            "2024-01-01",
            "--for",
            "3mo",
            "-c",
            "Bab al-Hewa",
        ],
        EXIT_NOT_FOUND,
        'Error: no crossing matches "Bab al-Hewa"\n  did you mean: Bab al-Hawa, Bab al-Salam?\n',
        id="unknown-crossing",
    ),
    pytest.param(
        [
            "add",
            "S/RES/2642 (2022)",
            "--adopted",
            "2022-07-12",
            "--for",
            "6mo",
            "-c",
            "bab al hawa",
        ],
        EXIT_INVALID,
        "Error: S/RES/2642 (2022) is already recorded\n"
        '  to change it: corridor correct "S/RES/2642 (2022)" FIELD=VALUE\n',
        id="duplicate-symbol",
    ),
    pytest.param(
        ["add", "s/res/2642(2022)", "--adopted", "2022-07-12", "--for", "6mo", "-c", "bab al hawa"],
        EXIT_INVALID,
        "Error: s/res/2642(2022): symbol: 's/res/2642(2022)' is already recorded as "
        "'S/RES/2642 (2022)'\n  use the recorded symbol, or correct it with: corridor correct\n",
        id="near-duplicate-symbol",
    ),
    pytest.param(
        [
            "add",
            "Syria consent: test",
            "--kind",
            "consent",
            "--authority",
            SYRIA,
            "--adopted",
            "2023-02-30",
            "--for",
            "3mo",
            "-c",
            "bab al hawa",
        ],
        EXIT_USAGE,
        'Error: --adopted "2023-02-30" is not a real date (day is out of range for month)\n'
        "  check the day and month\n",
        id="impossible-date",
    ),
    pytest.param(
        ["renew", "2585", "-s", "S/RES/9999 (2022)", "--adopted", "2022-01-05"]
        + ["--start", "2022-01-05", "--for", "6mo"],
        EXIT_INVALID,
        "Error: S/RES/9999 (2022): periods[0].start: starts on 2022-01-05, while S/RES/2585 "
        "(2021), which it renews, still covers bab-al-hawa until 2022-07-10; the two would give "
        "the same days two different ends (2022-07-10 and 2023-01-10)\n"
        "  a renewal starts the day after the instrument it renews ends; check the dates and "
        "`renews`, or record it with relation `replaces`\n",
        id="renewal-overlaps-what-it-renews",
    ),
    pytest.param(
        ["renew", "2585", "-s", "S/RES/9999 (2022)", "--adopted", "2022-01-05"]
        + ["--start", "2022-01-05", "--until", "2022-05-01"],
        EXIT_INVALID,
        "Error: S/RES/9999 (2022): ends on 2022-05-01, but S/RES/2585 (2021), which it renews, "
        "already covers until 2022-07-10: the renewal would extend nothing\n"
        "  a renewal starts the day after the instrument it renews ends; check the dates and "
        "`renews`, or record it with relation `replaces`\n",
        id="renewal-ends-before-what-it-renews",
    ),
    pytest.param(
        ["renew", "2585", "-s", "S/RES/9999 (2021)", "--adopted", "2021-07-01", "--for", "6mo"],
        EXIT_INVALID,
        "Error: S/RES/9999 (2021): adopted: 2021-07-01 is before S/RES/2585 (2021), which it "
        "renews, was adopted (2021-07-09)\n"
        "  a renewal starts the day after the instrument it renews ends; check the dates and "
        "`renews`, or record it with relation `replaces`\n",
        id="renewal-adopted-before-what-it-renews",
    ),
    pytest.param(
        [
            "add",
            "Jordan consent: Jaber",
            "--kind",
            "consent",
            "--authority",
            "Government of Jordan",
            "--adopted",
            "2025-03-01",
            "--for",
            "3mo",
            "-c",
            "bab al hawa",
        ],
        EXIT_USAGE,
        'Error: no timezone is known for the authority "Government of Jordan"\n'
        "  give its IANA zone with --authority-zone (e.g. Asia/Damascus): an instrument's last day "
        "ends at midnight in its authority's zone\n",
        id="new-authority-without-timezone",
    ),
    pytest.param(
        ["review", "2585", "2022-01-11", "--extended", "--on", "2022-01-10"],
        EXIT_NOT_FOUND,
        "Error: S/RES/2585 (2021) has no review point on 2022-01-11\n"
        "  its review points: 2022-01-10\n",
        id="no-such-review",
    ),
    pytest.param(
        ["review", "2585", "2022-01-10", "--not-extended", "--on", "2022-01-10", "--yes"],
        EXIT_INVALID,
        "Error: this change to S/RES/2585 (2021) contradicts S/RES/2642 (2022), which renews "
        "it: S/RES/2642 (2022): periods[0]: `for: 6mo` from 2022-01-10 ends on 2022-07-10, but "
        "`until` says 2023-01-10\n"
        '  correct S/RES/2642 (2022) too (in the same import file, or first with "corridor '
        'correct"), or remove it\n',
        id="edit-contradicts-a-later-renewal",
    ),
    pytest.param(
        ["correct", "2642", "until=2023-01-11", "--yes"],
        EXIT_INVALID,
        "Error: S/RES/2642 (2022): periods[0]: `for: 6mo` from 2022-07-10 ends on 2023-01-10, "
        "but `until` says 2023-01-11\n"
        "  fix one of them, or drop `for` and keep the date the text states\n",
        id="correct-until-against-for",
    ),
    pytest.param(
        ["correct", "2642", "adopted=2023-02-30", "--yes"],
        EXIT_INVALID,
        'Error: S/RES/2642 (2022): adopted: date "2023-02-30" is not a real date (day is out '
        "of range for month)\n  check the day and month\n",
        id="correct-impossible-date",
    ),
    pytest.param(
        ["remove", "S/RES/2585 (2021)", "--yes"],
        EXIT_INVALID,
        "Error: S/RES/2585 (2021) cannot be removed: S/RES/2642 (2022) renews it\n"
        "  remove or correct that instrument first\n",
        id="remove-with-dependents",
    ),
    pytest.param(
        ["remove", "--crossing", "Al-Ramtha", "--yes"],
        EXIT_INVALID,
        "Error: al-ramtha cannot be removed: S/RES/2165 (2014), S/RES/2191 (2014), S/RES/2258 "
        "(2015) and others name it\n  remove those records first, or keep the crossing\n",
        id="remove-crossing-in-use",
    ),
    pytest.param(
        ["remove", "S/RES/2672 (2023)"],
        EXIT_USAGE,
        "Error: not confirmed: Remove the instrument S/RES/2672 (2023) and its 2 deadlines (and "
        "its name as what decided a review of S/RES/2642 (2022))?\n"
        "  nothing was changed; rerun with --yes to confirm (the input is not a terminal)\n",
        id="destructive-without-yes",
    ),
    pytest.param(
        ["crossing", "alias", "Bab al-Salam", "Cilvegözü"],
        EXIT_INVALID,
        'Error: "Cilvegözü" already names the crossing Bab al-Hawa\n'
        "  an alias must point to one crossing only\n",
        id="alias-of-another-crossing",
    ),
    pytest.param(
        ["draft", "2023-07-11", "Russia: Bab al-Hawa six months", "--kind", "failed"],
        EXIT_INVALID,
        'Error: a draft on 2023-07-11 titled "Russia: Bab al-Hawa six months" is already '
        "recorded\n  give it a different title, or change it with: corridor correct --draft\n",
        id="duplicate-draft",
    ),
]


@pytest.mark.parametrize(("argv", "code", "err"), VALIDATION)
def test_a_refused_edit_says_why_in_one_line_and_changes_nothing(
    cli, reference_url, argv, code, err
):
    before = export(cli, reference_url)
    log_before = cli("log", "--format", "json", "--db", reference_url).out
    r = cli(*argv, "--db", reference_url)
    assert (r.code, r.err, r.out) == (code, err, "")
    assert export(cli, reference_url) == before
    assert cli("log", "--format", "json", "--db", reference_url).out == log_before


def test_review_outcome_then_changing_it_asks_first(cli, until_2585):
    url = until_2585
    assert cli(
        "renew", "2585", "-s", "S/RES/2642 (2022)", "--adopted", "2022-07-12", "--for", "6mo",
        "--review", "2023-01-10", "--db", url,
    ).code == 0  # fmt: skip
    r = cli(
        "review", "S/RES/2642 (2022)", "2023-01-10", "--extended", "--on", "2023-01-09",
        "--decided-by", "S/RES/2672 (2023)", "--db", url,
    )  # fmt: skip
    assert (r.code, r.err) == (
        0,
        "Recorded the 2023-01-10 review of S/RES/2642 (2022): extended (decided 2023-01-09).\n",
    )
    r = cli("review", "2642", "2023-01-10", "--not-extended", "--on", "2023-01-09", "--db", url)
    assert (r.code, r.err) == (
        EXIT_USAGE,
        "Error: not confirmed: The 2023-01-10 review of S/RES/2642 (2022) is already recorded "
        "as extended. Record it as not extended (decided 2023-01-09) instead?\n"
        "  nothing was changed; rerun with --yes to confirm (the input is not a terminal)\n",
    )
    r = cli("review", "2642", "2023-01-10", "--extended", "--db", url)
    assert (r.code, r.err) == (EXIT_USAGE, "Error: give the date it was decided with --on DATE\n")
    r = cli("review", "2642", "2023-01-10", "--extended", "--pending", "--db", url)
    assert r.code == EXIT_USAGE
    assert r.err == "Error: give exactly one of --extended, --not-extended and --pending\n"


def test_draft_crossing_alias_correct_and_remove(cli, reference_url):
    url = reference_url
    r = cli("crossing", "add", "Jaber", "--countries", "sy,jo", "--alias", "Nassib", "--db", url)
    assert (r.code, r.err, r.out) == (0, "Recorded the crossing Jaber (jaber, SY-JO).\n", "")
    r = cli("crossing", "alias", "nassib", "جابر", "Nasib", "--db", url)
    assert (r.code, r.err) == (0, "Added to Jaber: جابر, Nasib.\n")
    r = cli("crossing", "alias", "jaber", "Nasib", "--db", url)
    assert (r.code, r.err) == (0, "Jaber already has those names: nothing changed.\n")
    r = cli("crossing", "add", "Nasib", "--countries", "SY,JO", "--db", url)
    assert (r.code, r.err) == (
        EXIT_INVALID,
        'Error: "Nasib" already names the crossing Jaber\n'
        '  to add a spelling to it: corridor crossing alias "Jaber" NAME\n',
    )

    r = cli(
        "add", "Jordan consent: Jaber (2025-03-01)", "--kind", "consent", "--authority",
        "Government of Jordan", "--timezone", "Asia/Amman", "--adopted", "2025-03-01",
        "--for", "3mo", "-c", "nassib", "--db", url,
    )  # fmt: skip
    assert r.err == "Recorded Jordan consent: Jaber (2025-03-01): Jaber until 2025-06-01.\n"
    # The authority is known now: its zone need not be given again.
    r = cli(
        "renew", "Jordan consent: Jaber", "-s", "Jordan consent: Jaber, extension 1",
        "--adopted", "2025-05-28", "--db", url,
    )  # fmt: skip
    assert r.err == (
        "Recorded Jordan consent: Jaber (2025-03-01) -> Jordan consent: Jaber, extension 1: "
        "Jaber until 2025-09-01.\n"
    )

    r = cli("draft", "2025-05-20", "Russia: Jaber closure", "--kind", "failed", "-c", "jaber",
            "--vote", "2-3-10", "--db", url)  # fmt: skip
    assert r.err == 'Recorded the failed draft of 2025-05-20: "Russia: Jaber closure".\n'
    r = cli("correct", "--draft", "2025-05-20 Russia", "vote=3-3-9", "--yes", "--db", url)
    assert r.err == "Corrected the draft of 2025-05-20: vote: 2-3-10 -> 3-3-9.\n"

    r = cli("correct", "--crossing", "jaber", "lat=32.54", "lon=36.2", "--yes", "--db", url)
    assert r.err == "Corrected Jaber: lat: (none) -> 32.54; lon: (none) -> 36.2.\n"
    r = cli("correct", "--crossing", "jaber", "slug=jaber-nasib", "--yes", "--db", url)
    assert r.err == "Corrected Jaber: slug: jaber -> jaber-nasib.\n"
    data = json.loads(cli("export", "-f", "json", "--db", url).out)
    consent = next(i for i in data["instruments"] if i["symbol"].endswith("extension 1"))
    assert consent["periods"][0]["crossings"] == ["jaber-nasib"]

    rename = "symbol=Jordan consent: Jaber (2025-05-28)"
    r = cli("correct", "Jordan consent: Jaber, extension 1", rename, "--yes", "--db", url)
    assert r.code == 0, r.err
    csv = cli("export", "-f", "csv", "--db", url).out
    assert "Jordan consent: Jaber (2025-05-28)" in csv and "Jaber, extension 1" not in csv

    r = cli("remove", "--draft", "2025-05-20", "--yes", "--db", url)
    assert r.err == 'Removed the draft of 2025-05-20 "Russia: Jaber closure".\n'
    r = cli("remove", "Jordan consent: Jaber (2025-05-28)", "--yes", "--db", url)
    assert r.err == (
        "Removed the instrument Jordan consent: Jaber (2025-05-28) and its 1 deadline.\n"
    )


def test_correct_needs_a_record_and_a_field(cli, reference_url):
    r = cli("correct", "2642", "--db", reference_url)
    assert (r.code, r.err) == (
        EXIT_USAGE,
        "Error: say what to change: FIELD=VALUE ...\n"
        '  e.g. corridor correct "S/RES/2642 (2022)" source_url=https://...\n',
    )
    r = cli("correct", "2585", "until=2022-07-11", "--db", reference_url)
    assert (r.code, r.err) == (
        EXIT_USAGE,
        "Error: S/RES/2585 (2021) has 2 periods: say which, e.g. periods[0].until=...\n",
    )
    r = cli("correct", "2585", "colour=red", "--db", reference_url)
    assert r.code == EXIT_INVALID
    assert r.err.startswith("Error: S/RES/2585 (2021): colour: unknown key\n  allowed keys: ")
    r = cli("correct", "Syria consent", "notes=x", "--db", reference_url)
    assert r.code == EXIT_USAGE  # ambiguous: the same code and words as instrument show
    assert r.err.startswith('Error: "Syria consent" matches 10 instruments: ')


WRITERS = [
    ["add"],
    ["renew"],
    ["review"],
    ["draft"],
    ["crossing", "add"],
    ["crossing", "alias"],
    ["correct"],
    ["remove"],
    ["import"],
]


@pytest.mark.parametrize("argv", [*WRITERS, ["export"], ["schema"], ["log"]])
def test_every_command_has_help_with_an_example(cli, argv):
    r = cli(*argv, "--help")
    assert r.code == 0
    assert "Example" in r.out
    assert f"corridor {' '.join(argv)}" in r.out
    if argv in WRITERS:
        assert "--by NAME" in r.out
