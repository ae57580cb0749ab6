"""The package's layering (docs/ARCHITECTURE.md): each subpackage imports only the layers below it, and no
module imports itself back through others, counting the imports inside functions (which exist only to keep
``kgtool --help`` fast) as imports. Read from the source with ``ast``: nothing is imported to check it."""

from __future__ import annotations

import ast
from pathlib import Path

import kgtool

PACKAGE = Path(kgtool.__file__).parent

#: Bottom to top. A part may import any part of a lower layer, never one of its own layer or above.
LAYERS: list[set[str]] = [
    {"errors"},
    {"environment", "choices", "templates"},
    {"files"},  # bounded reads take their limits from the environment settings
    {"rdf"},
    {"store"},
    {"sparql"},
    {"validation", "reasoning"},
    {"check"},
    {"docs", "report"},
    {"cli"},
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """The kgtool modules ``name`` imports anywhere in its body; ``from pkg import sub`` counts as ``pkg.sub``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    is_package = MODULES[name].name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _part(module: str) -> str | None:
    """The layered part a module belongs to (``kgtool.sparql.queries`` → ``sparql``); None for ``kgtool``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _layer(part: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if part in layer)


def test_every_part_has_a_layer():
    parts = {_part(module) for module in MODULES} - {None}
    assert parts == set().union(*LAYERS)


def test_parts_import_only_lower_layers():
    wrong = [
        f"{module} imports {imported}"
        for module, imports in GRAPH.items()
        for imported in imports
        if (mine := _part(module)) and (theirs := _part(imported)) and mine != theirs
        if _layer(theirs) >= _layer(mine)
    ]
    assert wrong == []


def test_no_import_cycles():
    """Tarjan's strongly connected components over the whole import graph: every component is one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in GRAPH[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_check_sees_imports():
    """The graph is not empty by mistake: the command line reaches every layer."""
    reached, pending = set(), ["kgtool.cli.main"]
    while pending:
        module = pending.pop()
        if module not in reached:
            reached.add(module)
            pending.extend(GRAPH[module])
    assert {_part(module) for module in reached} >= set().union(*LAYERS) - {"environment"}
