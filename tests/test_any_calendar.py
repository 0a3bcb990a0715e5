"""Any calendar (issue 16, item 6): a feed's SEQUENCE and LAST-MODIFIED survive a move to
another database (export, then import: the README's way to a team PostgreSQL), and a feed with
no deadline is still a valid calendar."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from icalendar import Calendar

KHAL = shutil.which("khal")


def _events(text: str) -> dict[str, tuple[int, str | None]]:
    found = {}
    for ev in Calendar.from_ical(text).walk("VEVENT"):
        modified = ev.get("LAST-MODIFIED")
        found[str(ev["UID"])] = (
            int(ev["SEQUENCE"]),
            modified.to_ical().decode() if modified else None,
        )
    return found


def _revised(text: str) -> set[str]:
    """The events of instruments changed since they were recorded: a SEQUENCE above the one a
    cancellation alone gives (a superseded deadline is published one higher, unchanged)."""
    out = set()
    for ev in Calendar.from_ical(text).walk("VEVENT"):
        bump = 1 if str(ev.get("STATUS")) == "CANCELLED" else 0
        if int(ev["SEQUENCE"]) > bump:
            out.add(str(ev["UID"]))
    return out


def _ok(r):
    assert r.code == 0, r.err
    return r.out


def test_sequence_and_last_modified_survive_a_move(cli, reference_url, empty_url, tmp_path):
    # Two corrections of one resolution: its events are at SEQUENCE 2.
    for until in ("2023-07-11", "2023-07-12"):
        _ok(cli("correct", "2672", "periods[0].for=", f"periods[0].until={until}", "--yes",
                "--db", reference_url))  # fmt: skip
    feed = _ok(cli("export", "--format", "ics", "--db", reference_url))
    before = _events(feed)
    assert max(seq for seq, _ in before.values()) == 2
    record = tmp_path / "record.yaml"
    _ok(cli("export", "-o", str(record), "--db", reference_url))
    _ok(cli("import", str(record), "--yes", "--db", empty_url))
    after = _events(_ok(cli("export", "--format", "ics", "--db", empty_url)))
    assert after.keys() == before.keys()
    # Every event keeps its SEQUENCE; a changed instrument's events their LAST-MODIFIED too.
    assert {uid: seq for uid, (seq, _) in after.items()} == {
        uid: seq for uid, (seq, _) in before.items()
    }
    changed = {uid: v for uid, v in before.items() if uid in _revised(feed)}
    assert changed and {uid: after[uid] for uid in changed} == changed
    # A change in the new database goes on from there: never backwards.
    _ok(cli("correct", "2672", "periods[0].until=2023-07-13", "--yes", "--db", empty_url))
    moved = _events(_ok(cli("export", "--format", "ics", "--db", empty_url)))
    newer = [uid for uid in moved if moved[uid][0] > before.get(uid, (0, None))[0]]
    assert newer and all(moved[uid][0] >= 3 for uid in newer)  # 4 if now cancelled
    # And the record exported from the new database reads the same as the one it came from.
    again = tmp_path / "again.yaml"
    _ok(cli("export", "-o", str(again), "--db", empty_url))
    assert "revision: 3" in again.read_text(encoding="utf-8")


def test_a_json_record_carries_them_too(cli, reference_url, empty_url, tmp_path):
    _ok(cli("correct", "2642", "notes=corrected", "--yes", "--db", reference_url))
    record = tmp_path / "record.json"
    _ok(cli("export", "--format", "json", "-o", str(record), "--db", reference_url))
    _ok(cli("import", str(record), "--yes", "--db", empty_url))
    feeds = [
        _ok(cli("export", "--format", "ics", "--db", url)) for url in (reference_url, empty_url)
    ]
    before, after = _events(feeds[0]), _events(feeds[1])
    changed = {uid: v for uid, v in before.items() if uid in _revised(feeds[0])}
    assert changed and {uid: after[uid] for uid in changed} == changed


@pytest.mark.parametrize("value", ["-1", "'many'", "'2024-01-11'", "'yesterday'"])
def test_a_bad_revision_or_instant_is_refused_with_its_place(cli, empty_url, tmp_path, value):
    key = "modified" if "20" in value or "yester" in value else "revision"
    record = tmp_path / "bad.yaml"
    record.write_text(
        "corridor: 1\ncrossings:\n  - slug: x\n    name: X\n    countries: [SY, TR]\n"
        "instruments:\n  - symbol: A\n    kind: consent\n    authority: Gov\n"
        "    timezone: Asia/Damascus\n    adopted: 2023-03-01\n"
        f"    {key}: {value}\n"
        "    periods:\n      - crossings: [x]\n"
        "        start: 2023-03-01\n        until: 2023-06-01\n",
        encoding="utf-8",
    )
    r = cli("import", str(record), "--yes", "--db", empty_url)
    assert r.code != 0 and "Traceback" not in r.err
    assert r.err.startswith("Error: ") and key in r.err


def test_an_empty_feed_is_a_valid_calendar(cli, empty_url, tmp_path):
    text = _ok(cli("upcoming", "--format", "ics", "--db", empty_url))
    cal = Calendar.from_ical(text)
    assert not cal.walk("VEVENT")
    # RFC 5545 section 3.6: a calendar has at least one component.
    assert cal.subcomponents, text
    feed = tmp_path / "empty.ics"
    feed.write_text(text, encoding="utf-8")
    if KHAL is None:
        if os.environ.get("CORRIDOR_REQUIRE_TOOLS"):
            pytest.fail("khal is not installed")
        pytest.skip("khal is not installed")
    home = tmp_path / "khal"
    (home / "cal").mkdir(parents=True)
    config = home / "config"
    config.write_text(
        f"[calendars]\n[[c]]\npath = {home / 'cal'}\ntype = calendar\n"
        "[locale]\nlocal_timezone = UTC\ndefault_timezone = UTC\n"
        f"[sqlite]\npath = {home / 'khal.db'}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [KHAL, "-c", str(config), "import", "--batch", str(feed)],
        capture_output=True,
        text=True,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"},
    )
    assert done.returncode == 0, done.stderr
