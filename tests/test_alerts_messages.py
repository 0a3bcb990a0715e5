"""What an alert says (docs/alerts.md, "The digest" and "Closing the loop"): subjects that fit
every channel, cut between graphemes; the server's reply in a failed delivery; a review's
own wording; the exact end of an authority; "renewed" and a lapse's reason closing the loop."""

from __future__ import annotations

import json
import os
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from configs import write_config as _config
from corridor.db.connect import Location, make_engine
from corridor.services.digest import SUBJECT_MAX, cut, graphemes, subject_of
from receivers import Http

NY = ("--tz", "America/New_York")

# ---------------------------------------------------------------- graphemes

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one grapheme
FLAGS = "\U0001f1f8\U0001f1fe\U0001f1f9\U0001f1f7"  # Syria, Türkiye: two graphemes
THUMB = "\U0001f44d\U0001f3fd"  # with a skin tone: one grapheme
VOWELLED = "\u0645\u064e\u0639\u0652\u0628\u064e\u0631"  # "ma'bar" with harakat: 4 graphemes
ACCENT = "Cilve\u0301go\u0308zu\u0308"  # combining acute and diaereses


@pytest.mark.parametrize(
    "text, count",
    [(FAMILY, 1), (FLAGS, 2), (THUMB, 1), (VOWELLED, 4), (ACCENT, 9), ("ok\r\n", 3)],
)
def test_graphemes_keep_marks_zwj_sequences_modifiers_and_flags_whole(text, count):
    assert len(graphemes(text)) == count
    assert "".join(graphemes(text)) == text


PIECES = st.sampled_from([FAMILY, FLAGS, THUMB, VOWELLED, ACCENT, "ب", "Bab al-Hawa ", "\u0301"])


@given(st.lists(PIECES, min_size=1, max_size=40), st.integers(min_value=2, max_value=90))
def test_a_cut_never_splits_a_grapheme_and_fits(pieces, limit):
    text = "".join(pieces)
    short = cut(text, limit)
    assert len(short) <= limit
    if short == text:
        return
    assert short.endswith("…")
    kept = short[:-1]
    whole = graphemes(text)
    # What is kept is whole graphemes of the text, from its start (trailing spaces dropped).
    prefix = "".join(whole[: len(graphemes(kept))])
    assert prefix.rstrip() == kept


def test_a_subject_fits_78_characters_with_its_count_of_more():
    name = "\u0628\u0627\u0628 " * 60
    subject = subject_of(f"{name} expires in 3 days (S/RES/2642)", 4)
    assert len(subject) <= SUBJECT_MAX
    assert subject.startswith("corridor: \u0628\u0627\u0628") and subject.endswith("… (+4 more)")


# ---------------------------------------------------------------- real SMTP


def _sql(url: str, statement: str, **params) -> None:
    engine = make_engine(Location(url, "test"))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement), params)
    finally:
        engine.dispose()


def test_200_arabic_characters_reach_a_real_smtp_server(
    cli, reference_url, smtp, tmp_path, monkeypatch
):
    """Apprise writes a subject as one encoded word: 200 Arabic characters made a 2 131-octet
    Subject line that the server refused ("500 Line too long"). Cut to 78, it arrives, and the
    body carries the whole name."""
    name = ("\u0645\u0639\u0628\u0631 \u0628\u0627\u0628 \u0627\u0644\u0647\u0648\u0649 " * 20)[
        :200
    ]
    _sql(reference_url, "UPDATE crossings SET name = :n WHERE slug = 'bab-al-hawa'", n=name)
    _config(
        tmp_path,
        monkeypatch,
        f'[[alerts.recipients]]\nname = "field"\nurl = "{smtp.url()}"\n',
    )
    r = cli("alerts", "run", "--as-of", "2022-12-27", "--db", reference_url, *NY)
    assert (r.code, r.err) == (0, "")
    assert len(smtp.messages) == 1
    msg = message_from_bytes(smtp.messages[0].original_content)
    subject = str(make_header(decode_header(msg["Subject"])))
    assert len(subject) <= SUBJECT_MAX and subject.endswith("… (+1 more)")
    assert subject.startswith("corridor: " + name[:20])
    body = msg.get_payload(decode=True) if not msg.is_multipart() else None
    text = (body or msg.get_payload(0).get_payload(decode=True)).decode("utf-8")
    assert f"{name} expires in 14 days (S/RES/2642)" in text


def test_a_failed_delivery_says_what_the_server_answered(
    cli, reference_url, smtp, tmp_path, monkeypatch
):
    class Refuse:
        async def handle_DATA(self, server, session, envelope):
            return "550 5.7.1 Rejected: mailbox quota exceeded"

    smtp.controller.handler = Refuse()
    _config(
        tmp_path,
        monkeypatch,
        f'[[alerts.recipients]]\nname = "field"\nurl = "{smtp.url()}"\n',
    )
    r = cli("alerts", "run", "--as-of", "2022-12-27", "--db", reference_url, *NY)
    assert r.code == 6
    assert "The server answered: (550, b'5.7.1 Rejected: mailbox quota exceeded')" in r.err
    status = json.loads(cli("alerts", "status", "--db", reference_url, "-f", "json").out)
    assert "mailbox quota exceeded" in status["last_failure"]["last_error"]


# ---------------------------------------------------------------- wording


def test_a_review_says_what_is_decided_and_by_when_with_no_ends_line(cli, reference_url):
    r = cli("alerts", "run", "--stdout", "--as-of", "2022-12-27", "--db", reference_url, *NY)
    review = next(b for b in r.out.split("\n\n") if "review point in 14 days" in b)
    lines = review.splitlines()
    assert lines[1] == "  review of S/RES/2642 (2022)"
    assert lines[2].startswith("  decides: ")
    assert lines[3] == "  by: the end of 2023-01-10, 2023-01-11 00:00 EST (America/New_York)"
    assert not any(line.startswith("  ends:") for line in lines)


def test_a_lapse_gives_the_exact_end_in_the_readers_zone_and_the_authoritys(cli, reference_url):
    """Two hours after the end, not "ended 1 day ago": the instant, in both zones."""
    r = cli(
        "alerts", "run", "--stdout", "--as-of", "2023-07-11T09:00+03:00", "--db", reference_url,
        "--tz", "Europe/Istanbul",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert (
        "Bab al-Hawa: authority ended 2023-07-10 24:00 New York (2023-07-11 07:00 Istanbul); "
        "no renewal is recorded"
    ) in r.out
    assert "ago" not in r.out


# ---------------------------------------------------------------- closing the loop


def test_renewed_is_said_once_to_whoever_got_the_thresholds(cli, reference_url, tmp_path):
    http = Http()
    try:
        run = ("alerts", "run", "--stdout", "--db", reference_url, *NY)
        assert "expires in 7 days" in cli(*run, "--as-of", "2023-01-03").out
        # S/RES/2672, adopted 2023-01-09 (known from the end of that day): the expiry and the
        # review point are superseded. A recipient that got no threshold alert hears nothing.
        r = cli(*run, "--as-of", "2023-01-10", "--to", http.url("json"))
        assert r.code == 0, r.err
        assert r.out.startswith(
            "Subject: corridor: Bab al-Hawa: renewed to 2023-07-10 by S/RES/2672\n"
        )
        assert r.out.count("renewed to 2023-07-10") == 2  # the subject, one block
        assert http.requests == []
        assert cli(*run, "--as-of", "2023-01-11").out == ""
    finally:
        http.close()


def test_another_authority_taking_over_is_continued_not_renewed(cli, reference_url):
    """The Council's authority for Bab al-Hawa ended on 2023-07-10; Syria's consent of
    2023-07-13 carries it on: not a renewal of S/RES/2672."""
    run = ("alerts", "run", "--stdout", "--db", reference_url, "--tz", "Europe/Istanbul")
    assert "expires in 1 day" in cli(*run, "--as-of", "2023-07-10").out
    r = cli(*run, "--as-of", "2023-07-14")
    assert "Bab al-Hawa: continued to 2024-01-13 under Syria consent: Bab al-Hawa" in r.out
    assert "renewed to" not in r.out


def test_a_lapses_reason_known_later_is_one_more_message(cli, empty_url, tmp_path):
    from invented import _only_2585

    assert cli("import", str(_only_2585(tmp_path)), "--db", empty_url, "--yes").code == 0
    run = ("alerts", "run", "--stdout", "--db", empty_url, *NY)
    first = cli(*run, "--as-of", "2022-07-11")
    assert "authority ended 2022-07-10 24:00 New York; no renewal is recorded" in first.out
    vetoed = cli(
        "draft", "2022-07-12", "Invented: Bab al-Hawa twelve months", "--kind", "vetoed",
        "-c", "Bab al-Hawa", "--db", empty_url,
    )  # fmt: skip
    assert vetoed.code == 0, vetoed.err
    told = cli(*run, "--as-of", "2022-07-13")
    assert told.out.startswith(
        "Subject: corridor: Bab al-Hawa: authority ended 2022-07-10 24:00 New York; the renewal"
    )
    assert "the renewal was vetoed on 2022-07-12 (Invented: Bab al-Hawa twelve months)" in told.out
    assert "For whoever keeps the record:" not in told.out
    # The reason is known: the lapse no longer repeats (only an unrenewed end does).
    for day in ("2022-07-14", "2022-07-20"):
        assert cli(*run, "--as-of", day).out == "", day


def test_stale_alerts_keep_record_keeper_hints_in_the_footer(
    cli, reference_url, tmp_path, monkeypatch
):
    _config(tmp_path, monkeypatch, "[alerts]\nstale_after_days = 30\n")
    r = cli("alerts", "run", "--stdout", "--as-of", "2026-06-01", "--db", reference_url, *NY)
    field, keeper = r.out.split("For whoever keeps the record:\n")
    assert "crossing checked" not in field and "corridor crossing checked" in keeper
    assert os.linesep not in keeper.replace("\n", "")


def test_an_alert_shows_the_instruments_caveat(cli, reference_url):
    """The 2023 Bab al-Hawa consent holds in law with a sourced caveat (issue 16, item 12):
    the alert that its end is near says it beside the dates, as status does."""
    r = cli("alerts", "run", "--stdout", "--as-of", "2024-01-06", "--db", reference_url)
    assert r.code == 0, r.err
    block = next(b for b in r.out.split("\n\n") if "Syria consent: Bab al-Hawa (2023-07-13)" in b)
    assert "  caveat: " in block and "unacceptable" in block
