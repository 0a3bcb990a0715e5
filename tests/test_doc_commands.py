"""The commands the docs show, and what they say of options: every `corridor ...` line in
README.md and docs/*.md uses only options its command shows; the party of a termination is
--party; countries are one or more codes; the top-level help lists every exit code."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _doc_commands() -> list[tuple[str, list[str]]]:
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in re.findall(r"```sh\n(.*?)```", path.read_text("utf-8"), re.S):
            for line in re.sub(r"\\\n\s*", " ", block).splitlines():
                line = line.split(" | ")[0].strip()
                if line.startswith("corridor "):
                    try:
                        found.append((path.name, shlex.split(line, comments=True)[1:]))
                    except ValueError:
                        continue
    return found


DOCS = _doc_commands()


def _command(words: list[str]):
    import typer

    from corridor.cli.app import app
    from corridor.cli.main import register_commands

    register_commands(["--help"])
    cmd = typer.main.get_command(app)
    for word in words:
        subs = getattr(cmd, "commands", None)
        if not subs or word not in subs:
            break
        cmd = subs[word]
    return cmd


def test_docs_were_found():
    assert len(DOCS) > 40


@pytest.mark.parametrize(("where", "argv"), DOCS, ids=lambda x: " ".join(x)[:50])
def test_doc_commands_use_only_visible_options(where, argv):
    cmd = _command(argv)
    visible = {o for p in cmd.params if not getattr(p, "hidden", False) for o in p.opts}
    visible |= {"--help", "-h"}
    for word in argv:
        option = word.split("=", 1)[0]
        if option.startswith("--") and len(option) > 2:
            assert option in visible, f"{where}: corridor {' '.join(argv)}: {option}"


def test_the_party_of_a_termination_or_objection_is_party_not_by():
    for where, argv in DOCS:
        if argv[:1] in (["terminate"], ["object"]):
            assert "--by" not in argv, f"{where}: corridor {' '.join(argv)}"
    text = (ROOT / "docs" / "records.md").read_text("utf-8")
    assert "--by PARTY" not in text and '--by "Party' not in text


def test_countries_are_one_or_more_codes_in_format_md():
    text = (ROOT / "docs" / "format.md").read_text("utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `countries` |"))
    assert "one or more" in row and "two ISO" not in row


def test_the_top_level_help_lists_every_exit_code(cli):
    text = " ".join(cli("--help").out.split())
    for code in range(7):
        assert f"{code} " in text.split("Exit codes:", 1)[1], code
    assert "6 a delivery failed" in text
