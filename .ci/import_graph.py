"""Check the project's import graph (run by `make lint` and CI; no Django needed).

1. No module-level import cycle among the project's modules (``core``, ``councils``, ``scorecard``,
   ``selfassessment``, ``peerchallenge``, ``config``; migrations aside). Importing ``a.b.c`` runs ``a/b/__init__.py`` first, so an
   import counts as one of each package on the way that the importer is not already inside.
2. Dependencies run one way: ``core`` ← ``councils`` ← ``scorecard`` ← ``selfassessment`` ← ``peerchallenge``
   ← ``config``. A module
   never imports (at any level) from a layer above its own.
3. An import inside a function is allowed only where the same import at module level would close a cycle, or
   in an ``AppConfig.ready()`` (Django loads ``apps.py`` before any model), and it carries a comment (on its
   line or the line above) giving the reason.

    .venv/bin/python .ci/import_graph.py          # prints problems, exits 1 if any
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "councils", "scorecard", "selfassessment", "peerchallenge", "config"]


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    in_function: str  # the function's name, "" at module level
    commented: bool


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: list[Import] = []

    def commented(node: ast.stmt) -> bool:
        own = lines[node.lineno - 1]
        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        return "#" in own or above.startswith("#")

    def targets(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [t for alias in node.names if (t := _resolve(alias.name, modules))]
        if node.level or not node.module:
            return []
        # ``from a.b import c``: the module a.b.c when there is one, else a.b
        return [t for alias in node.names if (t := _resolve(f"{node.module}.{alias.name}", modules))]

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in targets(child):
                    if target != module:
                        found.append(Import(module, target, child.lineno, function, commented(child)))
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            visit(child, inner)

    visit(ast.parse(source, filename=str(path)), "")
    return found


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def runs_on_import(edge: Import, modules: dict[str, Path]) -> set[str]:
    """The modules an import runs: the target and each package on its way the importer is not inside."""
    inside = set(_ancestors(edge.source))
    return {edge.target} | {p for p in _ancestors(edge.target) if p in modules and p not in inside}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph[node])
    return False


def problems() -> list[str]:
    modules = project_modules()
    edges = [edge for module, path in modules.items() for edge in imports_of(module, path, modules)]
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for edge in edges:
        if not edge.in_function:
            graph[edge.source] |= runs_on_import(edge, modules) - {edge.source}
    found = [f"import cycle: {' -> '.join([*cycle, cycle[0]])}" for cycle in cycles(graph)]
    layer = {name: position for position, name in enumerate(LAYERS)}
    for edge in edges:
        where = f"{modules[edge.source].relative_to(ROOT)}:{edge.line}"
        if layer[edge.target.split(".")[0]] > layer[edge.source.split(".")[0]]:
            found.append(f"{where}: {edge.source} imports {edge.target}, a layer above it")
        if not edge.in_function or (edge.source.endswith(".apps") and edge.in_function == "ready"):
            continue
        if not any(reaches(graph, target, edge.source) for target in runs_on_import(edge, modules)):
            found.append(
                f"{where}: {edge.target} is imported inside {edge.in_function}() but closes no cycle: "
                "import it at the top of the module"
            )
        elif not edge.commented:
            found.append(
                f"{where}: say why {edge.target} is imported inside {edge.in_function}() (a comment)"
            )
    return found


def main() -> int:
    found = list(dict.fromkeys(problems()))
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} import problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
