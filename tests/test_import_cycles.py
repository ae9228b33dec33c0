"""No import circles in interview_sim: every module's imports, read with ast (at module level
and inside functions alike, since a lazy import is still a dependency; imports under
`if TYPE_CHECKING:` are left out, as they never run), must form a graph without a cycle."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest

import interview_sim

PACKAGE = Path(interview_sim.__file__).parent

# Pairs of modules that import each other, known and being removed elsewhere: their imports of
# each other are left out of the graph (any other circle through them still fails).
ALLOWED_CYCLES: frozenset[frozenset[str]] = frozenset()  # none: keep it that way


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(nodes: Iterable[ast.AST]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in `nodes` and below, in functions too, except under
    `if TYPE_CHECKING:` (its else branch does run, so it counts)."""
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _imports(node.orelse)
        else:
            yield from _imports(ast.iter_child_nodes(node))


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports. `from P import x` counts as an
    import of P.x when that is a module of ours, else of P."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        for node in _imports([ast.parse(path.read_text("utf-8"), str(path))]):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:  # relative: from the module's own package upwards
                    package = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = package[: len(package) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in files else base for a in node.names
                ]
            graph[name].update(t for t in targets if t in files and t != name)
    return graph


def knots(graph: Mapping[str, set[str]]) -> list[set[str]]:
    """Each group of modules that import one another (strongly connected, Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One circle through each knot: [a, b, ..., a]."""
    return [_circle(graph, group) for group in knots(graph)]


def _circle(graph: Mapping[str, set[str]], group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & group):
                if nxt == start:
                    return [*paths[node], start]
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no circle through {sorted(group)}")  # pragma: no cover


def without_allowed(graph: Mapping[str, set[str]]) -> dict[str, set[str]]:
    return {
        name: {t for t in targets if frozenset({name, t}) not in ALLOWED_CYCLES}
        for name, targets in graph.items()
    }


def test_the_package_has_no_import_circle() -> None:
    graph = without_allowed(import_graph(PACKAGE))
    found = [
        f"{' -> '.join(_circle(graph, group))} (importing one another: {', '.join(sorted(group))})"
        for group in knots(graph)
    ]
    assert not found, "import circles:\n" + "\n".join(found)


@pytest.mark.parametrize("pair", sorted(map(sorted, ALLOWED_CYCLES)), ids="<->".join)
def test_every_allowed_circle_still_exists(pair: list[str]) -> None:
    """An allowance outlives its circle only by mistake: drop it once the circle is gone."""
    graph = import_graph(PACKAGE)
    a, b = pair
    assert b in graph[a] and a in graph[b], f"{a} and {b} no longer import each other"


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"a.py": "import pkg.b\n", "b.py": "def f():\n    from pkg import a\n"},
            [["pkg.a", "pkg.b", "pkg.a"]],
            id="lazy-import-counts",
        ),
        pytest.param(
            {
                "a.py": "from typing import TYPE_CHECKING\nimport pkg.b\n",
                "b.py": "import typing\nif typing.TYPE_CHECKING:\n    from pkg.a import X\n",
            },
            [],
            id="type-checking-import-does-not",
        ),
        pytest.param(
            {
                "sub/__init__.py": "",
                "sub/c.py": "from .. import a\n",
                "a.py": "from pkg.sub import c\n",
            },
            [["pkg.a", "pkg.sub.c", "pkg.a"]],
            id="relative-and-submodule-imports",
        ),
        pytest.param(
            {"a.py": "import pkg.b\n", "b.py": "import pkg.c\n", "c.py": "import os\n"},
            [],
            id="a-chain-is-no-circle",
        ),
        pytest.param(
            {
                "a.py": "import pkg.b\n",
                "b.py": "import pkg.c\n",
                "c.py": "if True:\n    import pkg.a\n",
            },
            [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]],
            id="three-modules",
        ),
    ],
)
def test_the_guard_finds_circles(
    tmp_path: Path, files: dict[str, str], expected: list[list[str]]
) -> None:
    assert cycles(import_graph(_package(tmp_path, files))) == expected
