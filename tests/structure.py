"""The project's layers, read from the imports of its own code: which app imports which, and what breaks the rules.

`python -m tests.structure` prints the graph between the parts; tests/test_structure.py fails on a cycle, an upward
import or a source file over the size limit.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("network", "events", "webinars", "search")
PROJECT = "project"
# The project layer lives inside the network package but stands above every app: nothing imports it.
PROJECT_MODULES = ("network.settings", "network.urls", "network.wsgi", "network.asgi", "network.api", "network.demo")
# Which part may import which (the layers, top down: project, search, events | webinars, network).
ALLOWED = {
    PROJECT: {"network", "events", "webinars", "search"},
    "search": {"network", "events", "webinars"},
    "events": {"network"},
    "webinars": {"network"},
    "network": set(),
}
MAX_LINES = 500
# Data, not code: migrations, and the demo's prose.
LONG_FILES_ALLOWED = ("network/demo/content.py",)


@dataclass(frozen=True)
class Import:
    source: str  # the importing file, relative to the project
    importer: str  # its part: an app or the project layer
    module: str  # the module imported
    imported: str  # its part


def part_of(module: str) -> str | None:
    """The part a dotted module belongs to, or None for anything outside the project."""
    if any(module == name or module.startswith(f"{name}.") for name in PROJECT_MODULES):
        return PROJECT
    if ".management.commands" in f"{module}.":
        return PROJECT
    top = module.split(".")[0]
    return top if top in APPS else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files() -> list[Path]:
    """Every Python file of the apps and the project layer, migrations aside."""
    return sorted(p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def imports_of(path: Path) -> list[str]:
    """The modules a file imports (see `imports_in`)."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    return imports_in(path.read_text(encoding="utf-8"), package=".".join(package))


def imports_in(source: str, *, package: str) -> list[str]:
    """What source in `package` imports, anywhere in it (inside functions too), relative imports resolved.

    `from x import y` counts as `x.y`, since y may be a module (`from network import demo`)."""
    parts = package.split(".")
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = parts[: len(parts) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.extend(f"{module}.{alias.name}" for alias in node.names)
    return found


def project_imports() -> list[Import]:
    """Every import from one part of the project into another."""
    result = []
    for path in source_files():
        importer = part_of(module_name(path))
        for module in imports_of(path):
            imported = part_of(module)
            if imported and imported != importer:
                result.append(Import(path.relative_to(ROOT).as_posix(), importer, module, imported))
    return result


def graph(found: list[Import]) -> dict[str, set[str]]:
    edges = defaultdict(set)
    for item in found:
        edges[item.importer].add(item.imported)
    return edges


def forbidden(found: list[Import]) -> list[Import]:
    """The imports that run against the layers: upward, sideways, or into the project layer."""
    return [item for item in found if item.imported not in ALLOWED[item.importer]]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle between parts, each as the list of parts it passes through."""
    found: dict[tuple[str, ...], None] = {}

    def visit(node: str, trail: list[str]) -> None:
        for target in sorted(edges.get(node, ())):
            if target in trail:
                cycle = trail[trail.index(target) :]
                start = cycle.index(min(cycle))  # each cycle once, from its first part by name
                found[tuple(cycle[start:] + cycle[:start])] = None
            else:
                visit(target, [*trail, target])

    for start in sorted(edges):
        visit(start, [start])
    return [[*cycle, cycle[0]] for cycle in found]


def long_files() -> list[tuple[str, int]]:
    """Source files over MAX_LINES lines (tests included), migrations and demo content aside."""
    paths = [*source_files(), *sorted((ROOT / "tests").rglob("*.py"))]
    result = []
    for path in paths:
        relative = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and relative not in LONG_FILES_ALLOWED:
            result.append((relative, lines))
    return result


def main() -> int:
    found = project_imports()
    edges = graph(found)
    counts = defaultdict(int)
    for item in found:
        counts[item.importer, item.imported] += 1
    print("Imports between the parts (importer -> imported: how many import statements):")
    for importer in (PROJECT, "search", "events", "webinars", "network"):
        targets = ", ".join(f"{t} ({counts[importer, t]})" for t in sorted(edges.get(importer, ()))) or "nothing"
        print(f"  {importer:9} -> {targets}")
    problems = [f"  {i.source} ({i.importer}) imports {i.module} ({i.imported})" for i in forbidden(found)]
    problems += ["  cycle: " + " -> ".join(cycle) for cycle in cycles(edges)]
    problems += [f"  {path}: {lines} lines (at most {MAX_LINES})" for path, lines in long_files()]
    print("Against the layers:" if problems else "Nothing runs against the layers.")
    print("\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
