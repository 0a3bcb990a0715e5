"""Hostile text for the bad-input tests: SQL and shell metacharacters, and a record file that
puts them in every text field."""

from __future__ import annotations

SQL = "x'); DROP TABLE crossings; -- \" OR 1=1 ; DELETE FROM instruments"


SHELL = "$(rm -rf ~) `reboot` ; | && > /etc/passwd $HOME * ?"


def _metachars(text: str) -> str:
    """Every text field of every kind of record holds `text`; the file is refused only because
    its last period names a crossing that does not exist, so nothing may be written."""
    q = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (
        "corridor: 1\n"
        f"dataset: {{name: {q}, note: {q}}}\n"
        "crossings:\n"
        f"  - {{slug: meta-place, name: {q}, countries: [SY, TR], aliases: [{q}],"
        f" notes: {q}, known_until_note: {q}}}\n"
        "instruments:\n"
        f"  - symbol: {q}\n    title: {q}\n    kind: resolution\n    authority: {q}\n"
        "    timezone: America/New_York\n    adopted: 2025-01-10\n"
        f"    vote: 1-2-3\n    source: {q}\n    source_url: {q}\n    unconfirmed: {q}\n"
        f"    notes: {q}\n    caveat: {q}\n"
        f"    reviews: [{{date: 2025-04-01, condition: {q}, note: {q}}}]\n"
        f"    reports: [{{due: 2025-03-01, description: {q}, note: {q}}}]\n"
        f"    periods: [{{crossings: [meta-place], for: 6mo, stated: {q}}},"
        " {crossings: [no-such-crossing], for: 6mo}]\n"
        "events:\n"
        f"  - {{date: 2025-02-01, kind: vetoed, title: {q}, source: {q}, note: {q},"
        " crossings: [meta-place]}\n"
    )
