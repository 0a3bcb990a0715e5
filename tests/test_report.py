"""`corridor report --html FILE`: one self-contained page, checked in headless Chromium (the
Debian `chromium` package; .ci/run installs it)."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# CI (.ci/run) installs chromium and sets CORRIDOR_REQUIRE_TOOLS=1: there, a missing one fails.
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CORRIDOR_REQUIRE_TOOLS"),
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)

HOSTILE = """\
corridor: 1
crossings:
  - slug: test-x
    name: "<script>alert(1)</script> & \\"Q\\""
    countries: [SY, TR]
    aliases: ["معبر <b>الاختبار</b>"]
instruments:
  - symbol: "Test <consent> & co"
    kind: consent
    authority: "Gov <i>"
    timezone: Asia/Damascus
    adopted: 2023-03-01
    source: "Note <img src=x onerror=alert(1)>"
    source_url: "javascript:alert(1)"
    periods:
      - crossings: [test-x]
        start: 2023-03-01
        until: 2023-06-01
"""


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _report(cli, url, tmp_path, *args) -> Path:
    target = tmp_path / "report.html"
    r = cli("report", "--html", str(target), *args, "--db", url)
    assert r.code == 0, r.err
    assert r.out == "" and f"Wrote {target}." in r.err
    return target


def test_the_page_has_every_part_and_loads_nothing(cli, reference_url, tmp_path):
    text = _report(cli, reference_url, tmp_path, "--as-of", "2023-07-12").read_text("utf-8")
    for part in ('id="status"', 'id="upcoming"', 'id="timeline"', 'id="history"', "<svg"):
        assert part in text
    assert "@page { size: A4" in text and "@media print" in text
    assert "Content-Security-Policy" in text
    parser = Tags()
    parser.feed(text)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed", "img"), tag
        assert "src" not in attrs, (tag, attrs)
        if tag == "link":
            assert attrs["href"].startswith("data:")
    # Hover text on the timeline: the gaps of July 2020, July 2022 and July 2023.
    for gap in ("2020-07-11", "2022-07-11", "2023-07-11"):
        assert re.search(f"<title>gap: no authority[^<]*{gap}", text), gap
    # Each crossing's history, with its sources.
    assert text.count('<section class="crossing"') == 5
    assert "UN press release SC/14577" in text
    # The Arabic names render right-to-left, isolated from the text around them.
    assert '<bdi dir="rtl" lang="ar">معبر باب الهوى</bdi>' in text
    # At the start of 12 July (UTC) the veto of 11 July is not yet known (it is from the end
    # of that day in New York): the authority's end is an alarm, said at the top.
    assert (
        "No renewal of Bab al-Hawa is recorded: the authority ended at the end of 2023-07-10"
        in (text)
    )


def test_the_page_says_which_authority_ended_with_no_renewal(cli, reference_url, tmp_path):
    text = _report(cli, reference_url, tmp_path, "--as-of", "2025-03-01").read_text("utf-8")
    assert (
        "No renewal of Al-Rai, Bab al-Salam is recorded: the authority ended at the end of "
        "2024-11-13." in text
    )
    assert (
        "No renewal of Bab al-Hawa is recorded: the authority ended at the end of 2025-01-13."
        in (text)
    )
    assert text.count("ended, no renewal recorded") == 3  # in the status table
    assert "dropped by S/RES/2504 (2020)" in text  # Al Yarubiyah and Al-Ramtha: a reason


def test_database_text_is_escaped(cli, reference_url, tmp_path):
    record = tmp_path / "hostile.yaml"
    record.write_text(HOSTILE, encoding="utf-8")
    assert cli("import", str(record), "--yes", "--db", reference_url).code == 0
    text = _report(cli, reference_url, tmp_path, "--as-of", "2023-04-01").read_text("utf-8")
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert "<img" not in text and "javascript:" not in text.replace("&quot;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot;" in text
    assert "Test &lt;consent&gt; &amp; co" in text
    assert '<bdi dir="rtl" lang="ar">معبر &lt;b&gt;الاختبار&lt;/b&gt;</bdi>' in text
    parser = Tags()
    parser.feed(text)
    assert not [a for t, a in parser.tags if t == "a" and "javascript" in a.get("href", "")]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, HOME=str(tmp_path)),
    )


def _console(stderr: str) -> list[str]:
    """The page's console messages: errors, uncaught exceptions, blocked loads (the page's
    Content-Security-Policy turns any attempt to load something into one)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@needs_chromium
def test_chromium_catches_a_console_error(tmp_path):
    """The check below can fail: a page that loads something or throws shows up."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<title>bad</title></head><body><img src="https://example.invalid/x.png"></body></html>',
        encoding="utf-8",
    )
    run = _chromium(tmp_path, "--dump-dom", bad.as_uri())
    assert run.returncode == 0
    assert any("violates the following Content Security Policy" in m for m in _console(run.stderr))


@needs_chromium
def test_chromium_renders_the_report_without_console_errors(cli, reference_url, tmp_path):
    page = _report(cli, reference_url, tmp_path)
    run = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    assert "Bab al-Hawa" in run.stdout and "<svg" in run.stdout  # the DOM the browser built
    shot = tmp_path / "report.png"
    run = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    assert _png_size(shot) == (1280, 2000)
    assert shot.stat().st_size > 50_000  # a blank page is a few kB
    pdf = tmp_path / "report.pdf"
    run = _chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes and all(  # every page A4: 210 x 297 mm = 595.3 x 841.9 pt (the print CSS)
        abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes
    )
