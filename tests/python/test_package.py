"""The package is layered: no import cycle between its modules (lazy imports included), the
project found from the working directory and never from where the package is installed, one
definition of the engines, and a command line that only parses and dispatches."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "marketmetrics"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every package module and the package modules it imports, anywhere in its code."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found
    return graph


def test_no_import_cycle_between_the_package_modules():
    graph = _imports()
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]))
                elif nxt not in path and len(path) < 8:
                    stack.append((nxt, [*path, nxt]))
    # A package's __init__ re-exporting its own modules is not a cycle of the layers.
    cycles = [
        c for c in cycles if not all(m.startswith(c.split(" -> ")[0]) for m in c.split(" -> "))
    ]
    assert not cycles, cycles[:5]


def test_the_project_is_never_found_from_the_package_files():
    """A module may find its own package data next to it (the dashboard's template), never the
    project (marketmetrics.project finds that from the working directory)."""
    users = [p.name for p in PACKAGE.rglob("*.py") if ".parents[" in p.read_text(encoding="utf-8")]
    assert users == []


def test_the_engines_are_named_once():
    defined = [
        _module(p)
        for p in PACKAGE.rglob("*.py")
        if "Engine = Literal[" in p.read_text(encoding="utf-8")
    ]
    assert defined == ["marketmetrics.dbt_runner"]


def test_the_command_line_only_parses_and_dispatches():
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    lazy = [
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert lazy == [], f"imports inside functions of cli.py at lines {lazy}"
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert len((PACKAGE / "cli.py").read_text(encoding="utf-8").splitlines()) < 650
    assert "build_parser" in functions and "main" in functions
