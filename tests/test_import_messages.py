"""What `import` says: a refused import lists what it would change, and its counts add up."""

from __future__ import annotations

import json

from corridor.core.errors import EXIT_USAGE


def test_a_refused_import_lists_what_it_would_change(cli, reference_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "record.yaml"
    assert cli("export", "-o", "record.yaml", "--db", reference_url).code == 0
    text = path.read_text()
    assert "vote: 13-2-0" in text
    path.write_text(text.replace("vote: 13-2-0", "vote: 13-2-1", 1))
    r = cli("import", "record.yaml", "--db", reference_url)
    assert r.code == EXIT_USAGE
    lines = r.err.splitlines()
    assert lines[0] == "Error: not confirmed: record.yaml changes 1 recorded record:"
    assert lines[1].startswith("  updated event 2019-12-20 ")
    assert "nothing was changed" in lines[-1]


def test_import_counts_add_up(cli, reference_url, empty_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "record.json"
    assert cli("export", "-f", "json", "-o", "record.json", "--db", reference_url).code == 0
    data = json.loads(path.read_text())
    total = 1 + len(data["crossings"]) + len(data["instruments"]) + len(data["events"])
    first = cli("import", "record.json", "--db", empty_url)
    assert first.err == f"Imported record.json: {total} created, 0 updated, 0 unchanged.\n"
    again = cli("import", "record.json", "--db", empty_url)
    assert again.err == (
        f"Imported record.json: nothing changed ({total} records already up to date).\n"
    )
