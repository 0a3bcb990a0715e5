"""JSON documents are built in corridor.present (views for rows, documents for the envelope),
never in the CLI: a command hands json_text what present returned (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import corridor

CLI = Path(corridor.__file__).resolve().parent / "cli"

# Issue 17's to-do list: CLI modules that still build a JSON document themselves. Each goes
# when its documents move to corridor.present; one that no longer builds any must be struck,
# and a new one anywhere else fails.
NOT_YET: set[str] = set()


def _is_dict(node: ast.AST) -> bool:
    return isinstance(node, ast.Dict) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict"
    )


def envelopes_built(tree: ast.Module) -> list[int]:
    """Lines where json_text is handed a dict the CLI built: {...} or dict(...) right there, a
    name assigned one in the same function, or what a function of the same module returns."""
    own = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    found = []
    for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
        built = {
            t.id
            for n in ast.walk(scope)
            if isinstance(n, ast.Assign) and _is_dict(n.value)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(scope):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "json_text"
                and node.args
            ):
                continue
            arg = node.args[0]
            if (
                _is_dict(arg)
                or (isinstance(arg, ast.Name) and arg.id in built)
                or (
                    isinstance(arg, ast.Call)
                    and isinstance(arg.func, ast.Name)
                    and arg.func.id in own
                )
            ):
                found.append(node.lineno)
    return sorted(set(found))


def test_the_cli_builds_no_json_envelope():
    building = {}
    for path in sorted(CLI.rglob("*.py")):
        lines = envelopes_built(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            building[path.relative_to(CLI).as_posix()] = lines
    assert set(building) - NOT_YET == set(), (
        f"{building}: build these documents in corridor.present (present/documents.py)"
    )
    assert NOT_YET - set(building) == set(), "these build no document now: strike them"


def test_the_check_finds_each_way_of_building_one():
    source = (
        "def _envelope(rows):\n    return dict(items=rows)\n"
        "def show(rows):\n"
        "    out(json_text(dict(items=rows)))\n"
        "    out(json_text({'items': rows}))\n"
        "    doc = dict(items=rows)\n"
        "    out(json_text(doc))\n"
        "    out(json_text(_envelope(rows)))\n"
        "    out(json_text(listing(rows)))\n"
    )
    assert envelopes_built(ast.parse(source)) == [4, 5, 7, 8]
