"""docs/architecture.md as a test: every rule home it names exists and is used.

The "Where each rule lives" table names a home for each rule: a module (`core/terms.py`), then
the functions or classes in it that hold the rule (`plan`). Each module must exist, each name
must be an attribute of its module, and each must be used: a module imported by another module
of the package, a name referenced somewhere other than its own definition. A table that names a
renamed, moved or dead function fails here, not in a reader's head.
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path

import pytest

import corridor

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(corridor.__file__).resolve().parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def rule_homes(text: str) -> list[tuple[str, str, list[str]]]:
    """(rule, module path, names) for each module named in the table's "home" column."""
    section = text.split("## Where each rule lives", 1)[1].split("\n## ", 1)[0]
    homes = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("rule", "") or set(cells[0]) <= set("-: "):
            continue
        rule, home = cells
        current: tuple[str, str, list[str]] | None = None
        for token in re.findall(r"`([^`]+)`", home):
            if token.endswith(".py"):
                current = (rule, token, [])
                homes.append(current)
            else:
                assert current is not None, f"{token!r} names no module first: {line}"
                assert token.isidentifier(), f"{token!r} is not a name in {current[1]}: {line}"
                current[2].append(token)
    return homes


HOMES = rule_homes(ARCHITECTURE.read_text(encoding="utf-8"))


def _module_name(path: str) -> str:
    return "corridor." + path.removesuffix(".py").replace("/", ".")


@cache
def _trees() -> dict[str, ast.Module]:
    return {
        _module_name(p.relative_to(PACKAGE).as_posix()): ast.parse(p.read_text(encoding="utf-8"))
        for p in PACKAGE.rglob("*.py")
    }


def _imported_by_others(module: str) -> list[str]:
    parent, _, leaf = module.rpartition(".")
    users = []
    for name, tree in _trees().items():
        if name == module:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imports = any(a.name == module for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                imports = node.module == module or (
                    node.module == parent and any(a.name == leaf for a in node.names)
                )
            else:
                continue
            if imports:
                users.append(name)
    return users


def _references(module: str, attr: str) -> list[str]:
    """Modules that mention `attr` outside its own definition in `module`."""
    users = []
    for name, tree in _trees().items():
        skip: set[int] = set()
        if name == module:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
                    and node.name == attr
                ):
                    skip.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if (
                (isinstance(node, ast.Name) and node.id == attr)
                or (isinstance(node, ast.Attribute) and node.attr == attr)
                or (isinstance(node, ast.alias) and (node.asname or node.name) == attr)
            ):
                users.append(name)
                break
    return users


def test_the_table_names_homes():
    assert len(HOMES) >= 20
    assert sum(len(names) for _, _, names in HOMES) >= 10


@pytest.mark.parametrize(
    ("path", "names"), [(path, names) for _, path, names in HOMES], ids=lambda v: str(v)
)
def test_each_rule_home_exists_and_is_used(path, names):
    module = _module_name(path)
    assert (PACKAGE / path).is_file(), f"docs/architecture.md names {path}, which does not exist"
    loaded = importlib.import_module(module)
    assert _imported_by_others(module), f"nothing imports {module}"
    for attr in names:
        assert hasattr(loaded, attr), f"docs/architecture.md names {path} {attr}: not there"
        assert _references(module, attr), f"{path} {attr} is named as a rule's home but unused"


def test_a_lying_table_fails():
    """The checks find a missing module, a missing name and a name nothing uses."""
    table = (
        "## Where each rule lives\n\n| rule | home |\n|---|---|\n"
        "| a | `core/nothing.py` |\n| b | `core/terms.py` `no_such_rule` |\n"
    )
    (_, missing, _), (_, terms, names) = rule_homes(table)
    assert not (PACKAGE / missing).exists()
    assert not hasattr(importlib.import_module(_module_name(terms)), names[0])
    assert _references("corridor.core.terms", "no_such_rule") == []
    assert _imported_by_others("corridor.cli.clock")  # and the helpers see real uses
    assert "corridor.cli.reading" in _references("corridor.cli.clock", "now_utc")
