"""Narrow terminals (issue 16, item 8), at 40, 60 and 80 columns: the timeline's title wraps, a
date is never split, every kind of history row keeps crossing show's alignment, a blank cell is
never coloured on a real terminal, and the timeline's as-of marker is always drawn."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from corridor.present.render import text_width

WIDTHS = [40, 60, 80]
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def columns(monkeypatch):
    def set_to(width: int) -> None:
        monkeypatch.setenv("COLUMNS", str(width))

    return set_to


@pytest.mark.parametrize("width", WIDTHS)
def test_the_timeline_title_wraps_to_the_terminal(cli, reference_url, columns, width):
    columns(width)
    r = cli("timeline", "--as-of", "2023-07-12", "--db", reference_url)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert all(text_width(line) <= width for line in lines), [
        line for line in lines if text_width(line) > width
    ]
    title = " ".join(lines[: next(i for i, x in enumerate(lines) if x.startswith(" "))])
    # The range ends with the year of what was known then (nothing known later is drawn).
    assert "as known on 2023-07-12" in title and "2014-01-01 to 2023-12-31" in title


@pytest.mark.parametrize("width", WIDTHS)
def test_the_as_of_marker_is_drawn_on_every_row_even_in_a_gap(cli, reference_url, columns, width):
    # On 2023-07-12 Bab al-Hawa is in a gap (2023-07-11 to 2023-07-12) that starts in the same
    # column as the as-of date at these widths.
    columns(width)
    r = cli("timeline", "--as-of", "2023-07-12", "--db", reference_url)
    rows = [line for line in r.out.splitlines() if "│" in line]
    assert len(rows) == 5
    at = {line.index("┃") if "┃" in line else None for line in rows}
    assert len(at) == 1 and None not in at, rows
    hawa = next(line for line in rows if line.startswith("Bab al-Hawa"))
    assert "×" in hawa  # and the gap is still there, beside it


@pytest.mark.parametrize("width", WIDTHS)
def test_a_date_is_never_split(cli, reference_url, columns, width):
    columns(width)
    for argv in (
        ("upcoming", "--as-of", "2023-07-01"),
        ("status", "--as-of", "2023-07-01"),
        ("crossing", "show", "bab al salam", "--as-of", "2023-07-01"),
    ):
        r = cli(*argv, "--db", reference_url)
        assert r.code == 0, r.err
        for line in r.out.splitlines():
            assert not re.search(r"\d{4}-\d{2}-?$|\d{4}-$", line.rstrip()), (argv, line)
            assert not re.match(r"\s*(\d{2}\)|-\d{2}|\))", line), (argv, line)
    if width == 60:
        r = cli("upcoming", "--as-of", "2023-07-01", "--db", reference_url)
        assert "2023-08-13)" in r.out


SHAPES = Path(__file__).resolve().parents[1] / "docs" / "records.md"


def test_renewal_and_termination_rows_keep_the_alignment(cli, empty_url, tmp_path, columns):
    text = SHAPES.read_text("utf-8")
    section = text[text.index("## Shapes beyond a plain period") :]
    for n, example in enumerate(re.findall(r"```yaml\n(.*?)```", section, re.S)):
        path = tmp_path / f"example{n}.yaml"
        path.write_text(example, encoding="utf-8")
        assert cli("import", str(path), "--yes", "--db", empty_url).code == 0
    for width in WIDTHS:
        columns(width)
        r = cli("crossing", "show", "example port", "--as-of", "2026-01-01",
                "--tz", "Europe/Istanbul", "--db", empty_url)  # fmt: skip
        assert r.code == 0, r.err
        history = r.out.split("History:\n", 1)[1].split("\n\n", 1)[0].splitlines()
        starts = set()
        kinds = set()
        for line in history:
            m = re.match(r"  (\d{4}-\d{2}-\d{2})  (\S+)( +)", line)
            if m:
                kinds.add(m.group(2))
                starts.add(m.end())
            else:  # a continuation line: under the text, not under the date or kind
                starts.add(len(line) - len(line.lstrip(" ")))
        assert {"renewal", "termination", "period"} <= kinds
        assert len(starts) == 1, (width, history)


def _on_a_terminal(width: int, *args: str) -> str:
    """The CLI's stdout on a real pseudo-terminal, colour on."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(COLUMNS=str(width), TERM="xterm")
    proc = subprocess.Popen(
        [sys.executable, "-m", "corridor", *args],
        stdout=slave,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return out.decode("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_blank_cells_are_never_coloured(reference_url, tmp_path, width):
    os.environ.setdefault("CORRIDOR_CONFIG", str(tmp_path / "none.toml"))
    seen_colour = False
    for argv in (("status", "--as-of", "2023-07-01"), ("upcoming", "--as-of", "2023-07-01")):
        text = _on_a_terminal(width, *argv, "--db", reference_url)
        colours = re.findall(r"\x1b\[(3\d)m(.*?)\x1b\[0m", text)
        seen_colour |= bool(colours)
        blank = [body for _code, body in colours if not body.strip()]
        assert not blank, (argv, text)
        # A coloured word is never padded inside its colour either.
        assert not [body for _code, body in colours if body != body.rstrip()], argv
    assert seen_colour  # the terminal did get colour: the test looked at something
