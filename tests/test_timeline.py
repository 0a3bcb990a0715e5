"""`corridor timeline`: the reference record's history must be visible in the drawing.

Column positions are computed here from the documented mapping (present/timeline.py): day d
of [lo, hi] falls in column (d - lo).days * width // ((hi - lo).days + 1) of the chart, which
starts after the frame character."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from datetime import date

import pytest

LO, HI = date(2014, 1, 1), date(2025, 12, 31)
FRAME, RES, CONSENT, GAP, LAPSE, REVIEW, ASOF = "│", "━", "═", "×", "·", "◆", "┃"


def _charts(text: str, frame: str = FRAME) -> dict[str, str]:
    rows = {}
    for line in text.splitlines():
        name, sep, chart = line.partition(" " + frame)
        if sep and name.strip():
            rows[name.strip()] = chart
    return rows


def _col(day: date, chart: str, lo: date = LO, hi: date = HI) -> int:
    return (day - lo).days * len(chart) // ((hi - lo).days + 1)


def _at(chart: str, day: date, **kw) -> str:
    return chart[_col(day, chart, **kw)]


def _draw(cli, url, *args: str) -> dict[str, str]:
    r = cli("timeline", "--from", str(LO), "--to", str(HI), *args, "--db", url)
    assert r.code == 0, r.err
    return _charts(r.out)


def test_the_2020_drop_of_al_yarubiyah_and_al_ramtha(cli, reference_url):
    rows = _draw(cli, reference_url, "--as-of", "2025-01-01", "--width", "130", "--no-labels")
    for name in ("Al Yarubiyah", "Al-Ramtha"):
        chart = rows[name]
        assert _at(chart, date(2014, 10, 1)) == RES
        assert _at(chart, date(2019, 6, 1)) == RES
        assert _at(chart, date(2020, 1, 11)) == GAP  # dropped by S/RES/2504 (2020)
        after = chart[_col(date(2020, 1, 11), chart) + 1 : _col(date(2025, 1, 1), chart)]
        assert after and set(after) == {LAPSE}  # and never authorized again
        assert _at(chart, date(2025, 1, 1)) == ASOF
        assert GAP not in chart[: _col(date(2020, 1, 11), chart)]  # no gap before: renewed
        assert _at(chart, date(2014, 3, 1)) == " "  # before S/RES/2165 (2014)


def test_the_july_2020_and_july_2022_gaps_and_the_2023_lapse_then_consents(cli, reference_url):
    rows = _draw(cli, reference_url, "--as-of", "2025-01-01", "--width", "150", "--no-labels")
    hawa = rows["Bab al-Hawa"]
    for day in (date(2020, 7, 11), date(2022, 7, 11), date(2023, 7, 11)):
        assert _at(hawa, day) == GAP, day
    assert hawa.count(GAP) == 3
    assert _at(hawa, date(2021, 3, 1)) == RES
    assert _at(hawa, date(2023, 3, 1)) == RES
    assert _at(hawa, date(2023, 10, 1)) == CONSENT  # the consents that followed
    assert _at(hawa, date(2024, 9, 1)) == CONSENT
    assert _at(hawa, date(2022, 1, 10)) == REVIEW  # S/RES/2585's review point
    salam = rows["Bab al-Salam"]
    assert _at(salam, date(2020, 7, 11)) == GAP  # dropped by S/RES/2533 (2020)
    assert _at(salam, date(2021, 6, 1)) == LAPSE
    assert _at(salam, date(2023, 4, 1)) == CONSENT  # the post-earthquake consents
    assert _at(rows["Al-Rai"], date(2023, 4, 1)) == CONSENT
    assert set(rows["Al-Rai"][: _col(date(2023, 2, 1), rows["Al-Rai"])]) == {" "}  # never before


def test_as_of_hides_what_was_not_yet_known(cli, reference_url):
    rows = _draw(cli, reference_url, "--as-of", "2023-07-12", "--width", "150", "--no-labels")
    hawa = rows["Bab al-Hawa"]
    # The gap starts in the as-of marker's column: the marker is drawn (it always is), and the
    # gap steps into the column before it, so both are seen (issue 16).
    asof = _col(date(2023, 7, 12), hawa)
    assert _col(date(2023, 7, 11), hawa) == asof
    assert (hawa[asof - 1], hawa[asof]) == (GAP, ASOF)
    assert _at(rows["Al Yarubiyah"], date(2023, 7, 12)) == ASOF
    assert set(hawa[_col(date(2023, 7, 12), hawa) + 1 :]) == {" "}  # the consent is unknown
    assert _at(rows["Al-Rai"], date(2023, 4, 1)) == CONSENT  # adopted 2023-02-13: known


def test_gaps_agree_with_the_crossing_history(reference_url, engine_for):
    from corridor.core.terms import day_start, zone
    from corridor.db.lookup import find_crossing
    from corridor.services.history import crossing_history
    from corridor.services.timeline import timeline

    utc = zone("UTC")
    at = day_start(date(2025, 1, 1), utc)
    with engine_for(reference_url).connect() as conn:
        tl = timeline(conn, at=at, tz=utc)
        for row in tl.rows:
            h = crossing_history(conn, find_crossing(conn, row.slug), at=at, tz=utc)
            between = [g.first for g in row.gaps if g.last is not None]
            assert between == [e.date for e in h.entries if e.kind == "gap"], row.slug


def test_labels_name_the_instruments_where_there_is_room(cli, reference_url):
    rows = _draw(cli, reference_url, "--as-of", "2025-01-01", "--width", "220")
    yarubiyah = rows["Al Yarubiyah"]
    assert "S/RES/2449" in yarubiyah
    at = yarubiyah.index("S/RES/2449")
    assert _col(date(2019, 1, 11), yarubiyah) < at
    assert at + len("S/RES/2449") <= _col(date(2020, 1, 10), yarubiyah)
    r = cli("timeline", "--width", "60", "--db", reference_url)
    rows = [line for line in r.out.splitlines() if f" {FRAME}" in line]
    assert len(rows) == 5 and {len(line) for line in rows} == {60}


def test_fits_columns_and_falls_back_to_ascii(cli, reference_url, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "90")
    r = cli("timeline", "--db", reference_url, "--as-of", "2024-01-01")
    assert r.code == 0
    assert max(len(line) for line in r.out.splitlines()[1:-1]) == 90
    env = dict(os.environ, PYTHONIOENCODING="ascii", COLUMNS="100")
    done = subprocess.run(
        [sys.executable, "-m", "corridor", "timeline", "--db", reference_url, "--no-labels"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("ascii")  # fails if any byte is not ASCII
    rows = _charts(text, frame="|")
    assert "=" in rows["Bab al-Hawa"] and "X" in rows["Bab al-Hawa"]
    assert "~" in rows["Al-Rai"]


def _run_on_a_terminal(argv: list[str], env: dict) -> bytes:
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "corridor", *argv],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(leader)
    return b"".join(chunks)


@pytest.mark.parametrize("no_color, expected", [(None, True), ("1", False)])
def test_colour_only_on_a_terminal_and_never_with_no_color(reference_url, no_color, expected):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(COLUMNS="100", TERM="xterm")
    if no_color:
        env["NO_COLOR"] = no_color
    argv = ["timeline", "--db", reference_url, "--as-of", "2024-01-01"]
    assert (b"\x1b[" in _run_on_a_terminal(argv, env)) is expected
    piped = subprocess.run([sys.executable, "-m", "corridor", *argv], capture_output=True, env=env)
    assert piped.returncode == 0 and b"\x1b[" not in piped.stdout


def test_to_before_from_is_a_usage_error(cli, reference_url):
    r = cli("timeline", "--from", "2024-01-01", "--to", "2023-01-01", "--db", reference_url)
    assert (r.code, r.out, r.err) == (
        2,
        "",
        "Error: --to 2023-01-01 is before --from 2024-01-01\n  swap them\n",
    )
