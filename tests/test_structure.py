"""The import structure of ``qa``: no module imports one that imports it back, however indirectly."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

QA = ROOT / "qa"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The qa modules a file imports, anywhere in it (lazy imports in functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in modules}
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle (the modules in order), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[module] = 2
        path.pop()
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_no_module_imports_one_that_imports_it_back() -> None:
    files = {_module(p): p for p in QA.rglob("*.py")}
    # a module's own package (``qa.checks.balance`` takes ``CodeCheck`` from ``qa.checks``) is its face, not a tie
    graph = {name: {t for t in _imports(path, set(files)) if not name.startswith(t + ".")} for name, path in files.items()}
    graph["qa"] -= {"qa.api"}  # ``qa.check``, handed on lazily by the package's face: the one way up
    assert _cycle(graph) == []
