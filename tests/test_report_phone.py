"""The HTML report on a phone and for every reader (issue 16, items 2 and 3), in Debian's Chromium
driven by Playwright (no browser download: the system `chromium`, which .ci/run installs).

At 390 CSS px the page never scrolls sideways (tables and the timeline scroll in their own box),
timeline labels stay at 11 CSS px or more, names are isolated one by one, graphics reach 3:1
against white, and the timeline's shapes are reachable by a screen reader."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = bool(os.environ.get("CORRIDOR_REQUIRE_TOOLS"))

MIXED = """\
corridor: 1
crossings:
  - slug: mixed
    name: "Cilvegözü – باب الهوى"
    countries: [SY, TR]
    aliases: ["باب الهوى"]
instruments:
  - symbol: "Test consent"
    kind: consent
    authority: "Gov"
    timezone: Asia/Damascus
    adopted: 2023-03-01
    periods:
      - crossings: [mixed]
        start: 2023-03-01
        until: 2023-06-01
"""


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if REQUIRED:
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if REQUIRED:
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _report(cli, url: str, tmp_path: Path, *args: str) -> Path:
    path = tmp_path / "report.html"
    r = cli("report", "--html", str(path), "--as-of", "2023-07-01", *args, "--db", url)
    assert r.code == 0, r.err
    return path


def _open(browser, path: Path, width: int):
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 844 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )
    page = context.new_page()
    page.goto(path.as_uri())
    return page


LABEL_SIZES = """() => Array.from(document.querySelectorAll('svg text')).map(t =>
    parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""


@pytest.mark.slow
def test_a_phone_never_scrolls_the_page_sideways(browser, cli, reference_url, tmp_path):
    path = _report(cli, reference_url, tmp_path)
    page = _open(browser, path, 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Every table and the timeline scroll in a box of their own, inside the page.
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('table, svg.chart')).map(e => {
            const box = e.closest('.scroll');
            return box ? [box.getBoundingClientRect().right, getComputedStyle(box).overflowX]
                       : null; })"""
    )
    assert boxes and all(b is not None and b[0] <= 390 and b[1] == "auto" for b in boxes)
    # Text columns are not squeezed to a word a line: a note cell is at least 14rem wide.
    widths = page.evaluate(
        "() => Array.from(document.querySelectorAll('td[dir=auto]')).map(td => td.clientWidth)"
    )
    assert widths and min(widths) >= 14 * 14
    sizes = page.evaluate(LABEL_SIZES)
    assert sizes and min(sizes) >= 11, sizes
    page.screenshot(path=str(tmp_path / "phone-390.png"))  # for a person to look at


@pytest.mark.slow
def test_the_desktop_page_is_unchanged_in_shape(browser, cli, reference_url, tmp_path):
    path = _report(cli, reference_url, tmp_path)
    page = _open(browser, path, 1280)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # The timeline fits its column: no box scrolls on a desktop.
    assert page.evaluate(
        "() => Array.from(document.querySelectorAll('.scroll'))"
        ".every(b => b.scrollWidth <= b.clientWidth + 1)"
    )
    assert min(page.evaluate(LABEL_SIZES)) >= 11
    page.screenshot(path=str(tmp_path / "desktop-1280.png"))


def test_print_keeps_the_timeline_on_the_page(browser, cli, reference_url, tmp_path):
    path = _report(cli, reference_url, tmp_path)
    page = _open(browser, path, 1280)
    page.emulate_media(media="print")
    # A4 at 12 mm margins is about 700 CSS px: the timeline shrinks to it, as it always has.
    page.set_viewport_size({"width": 700, "height": 1000})
    width = page.evaluate("document.querySelector('#timeline svg').getBoundingClientRect().width")
    assert width <= 700
    assert page.evaluate("document.documentElement.scrollWidth") <= 700


def test_mixed_script_names_keep_their_order(browser, cli, empty_url, tmp_path):
    record = tmp_path / "mixed.yaml"
    record.write_text(MIXED, encoding="utf-8")
    r = cli("import", str(record), "--yes", "--db", empty_url)
    assert r.code == 0, r.err
    path = _report(cli, empty_url, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert 'dir="rtl"' not in text  # never a whole cell or name forced right-to-left
    assert "<bdi>Cilvegözü – باب الهوى</bdi>" in text
    assert '<bdi lang="ar">باب الهوى</bdi>' in text
    page = _open(browser, path, 1280)
    # Chromium lays the mixed name out left to right: the Latin part comes first on screen.
    order = page.evaluate(
        """() => { const b = Array.from(document.querySelectorAll('h3 bdi'))
                     .find(e => e.textContent.startsWith('Cilveg'));
                   return getComputedStyle(b).direction; }"""
    )
    assert order == "ltr"


def _luminance(colour: str) -> float:
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, against: str = "#ffffff") -> float:
    hi, lo = sorted((_luminance(colour), _luminance(against)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper_matches_known_ratios():
    assert round(contrast("#000000"), 1) == 21.0
    assert round(contrast("#777777"), 2) == 4.48


def test_graphics_reach_three_to_one(cli, reference_url, tmp_path):
    from corridor.present.html import GRAPHIC_COLOURS

    for name, colour in GRAPHIC_COLOURS.items():
        assert contrast(colour) >= 3, (name, colour, round(contrast(colour), 2))
    # And every fill that means something in the page (shapes and legend swatches) is one of
    # them: the separators (white) and the year grid (aria-hidden) carry no meaning.
    text = _report(cli, reference_url, tmp_path).read_text(encoding="utf-8")
    svg = text[text.index("<svg") : text.index("</svg>")]
    used = set(re.findall(r'fill="(#[0-9a-fA-F]{3,6})"', svg))
    used |= set(re.findall(r"background:(#[0-9a-fA-F]{3,6})", text))
    assert used
    for colour in used:
        assert contrast(colour) >= 3, (colour, round(contrast(colour), 2))


def test_screen_readers_reach_every_shape(browser, cli, reference_url, tmp_path):
    path = _report(cli, reference_url, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert 'role="img"' not in text
    page = _open(browser, path, 1280)
    tree = page.locator("svg.chart").aria_snapshot()
    # Each crossing is a list; each bar, gap and review an item with its hover text.
    assert 'list "Bab al-Hawa"' in tree
    assert "S/RES/2642 (2022) (Council resolution, UN Security Council)" in tree
    assert "gap: " in tree
    assert "review" in tree.lower()
