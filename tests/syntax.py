"""Reading the package's syntax trees for the guard tests (tests/test_guardrails.py's clock
check, tests/test_settings.py's environment check): which dotted name a local name stands for."""

from __future__ import annotations

import ast


def bindings(tree: ast.Module) -> dict[str, str]:
    """Local name -> the dotted name it stands for, from the module's imports (at any depth)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    """`node` (a name or an attribute chain) as the dotted name it reads, or None when it does
    not start from an imported name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in names:
        return None
    return ".".join([names[node.id], *reversed(parts)])
