"""`--dry-run` on every command that writes the record (issue 16, item 10): it shows the change
and the audit entries it would write, and writes nothing."""

from __future__ import annotations

import inspect
import json


def _write_commands() -> dict[str, object]:
    """Every command whose callback writes through the unit of work
    (`corridor.cli.writing.write`, or `.run` for planned movements)."""
    import typer

    from corridor.cli.app import app
    from corridor.cli.main import register_commands

    register_commands(["--help"])
    found: dict[str, object] = {}

    def walk(cmd, path):
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, (*path, name))
        callback = getattr(cmd, "callback", None)
        if callback is not None and any(
            helper in inspect.getsource(callback) for helper in ("writing.write(", "writing.run(")
        ):
            found[" ".join(path)] = cmd

    walk(typer.main.get_command(app), ())
    return found


def test_every_write_command_takes_dry_run():
    commands = _write_commands()
    expected = {"add", "renew", "review", "draft", "correct", "remove", "import", "object"}
    expected |= {"terminate", "unknown", "crossing add", "crossing alias", "crossing checked"}
    assert expected <= set(commands)
    for name, cmd in commands.items():
        options = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert "--dry-run" in options, name
        assert "dry_run=dry_run" in inspect.getsource(cmd.callback), name


def _state(cli, url):
    export = cli("export", "--db", url)
    log = cli("log", "--format", "json", "--db", url)
    assert export.code == 0 and log.code == 0
    return export.out, log.out


def test_terminate_dry_run_shows_the_audit_entry_and_writes_nothing(cli, reference_url):
    before = _state(cli, reference_url)
    r = cli("terminate", "S/RES/2672 (2023)", "--effective", "2023-05-01", "--known",
            "2023-04-20", "--party", "Party B", "--dry-run", "--by", "tester",
            "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    assert "Dry run: nothing was written" in r.err
    assert "Audit trail: 1 entry would be written" in r.out
    assert "updated instrument S/RES/2672 (2023) [bab-al-hawa] by tester via terminate" in r.out
    assert "terminated.by: None -> 'Party B'" in r.out
    assert _state(cli, reference_url) == before


def test_dry_run_json_carries_the_audit_entries(cli, reference_url):
    before = _state(cli, reference_url)
    r = cli("crossing", "add", "Jaber", "--countries", "SY,JO", "--alias", "Nassib",
            "--dry-run", "--format", "json", "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["dry_run"] is True and doc["created"] == ["crossing jaber"]
    [entry] = doc["audit"]
    assert (entry["action"], entry["entity"], entry["key"]) == ("created", "crossing", "jaber")
    assert entry["via"] == "crossing add"
    assert _state(cli, reference_url) == before
    # Without --dry-run the same command writes: the dry run was the only thing stopping it.
    assert cli("crossing", "add", "Jaber", "--countries", "SY,JO", "--db", reference_url).code == 0
    assert _state(cli, reference_url) != before


def test_a_destructive_dry_run_neither_asks_nor_writes(cli, reference_url):
    """`correct` asks before overwriting; with --dry-run there is nothing to confirm."""
    before = _state(cli, reference_url)
    r = cli("correct", "2672", "vote=15-0-1", "--dry-run", "--db", reference_url)
    assert r.code == 0, r.err
    assert "vote: '15-0-0' -> '15-0-1'" in r.out
    assert _state(cli, reference_url) == before


def test_import_dry_run(cli, reference_url, tmp_path):
    before = _state(cli, reference_url)
    path = tmp_path / "changed.yaml"
    path.write_text(before[0].replace("vote: 12-0-3", "vote: 12-0-2", 1), "utf-8")
    r = cli("import", str(path), "--dry-run", "--db", reference_url)
    assert r.code == 0, r.err
    assert "updated instrument" in r.out and "vote: '12-0-3' -> '12-0-2'" in r.out
    assert _state(cli, reference_url) == before
