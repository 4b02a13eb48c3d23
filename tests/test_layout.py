"""The layout of the code: ``followup`` builds on ``budget``, never the reverse, and no
module of either app comes back to itself through its imports.

Read from the source with ``ast``, without importing anything, so an import inside a
function counts as much as one at the top of a module. Migrations are left out: they
are generated and name their dependencies as strings.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("budget", "followup")


def modules(app: str) -> dict[str, Path]:
    """The app's modules by dotted name (a package is its ``__init__``), migrations left out."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(source: str, *, package: str) -> list[tuple[int, tuple[str, ...]]]:
    """(line, candidates) for every name imported anywhere in ``source``, functions
    included. The candidates are what the name may be, most specific first: ``import
    a.b`` gives (a.b,); ``from a import b`` gives (a.b, a): a.b if that is a module, else
    something defined in a. Relative imports are resolved against ``package``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, (alias.name,)) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            found += [(node.lineno, (f"{base}.{alias.name}", base)) for alias in node.names]
    return sorted(found)


def module_imports(name: str, path: Path):
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imports(path.read_text(encoding="utf-8"), package=package)


def import_graph(known: dict[str, Path]):
    """Edges between the ``known`` modules, each with where it was first seen (path, line).
    An import is an edge to its most specific candidate that is one of the modules."""
    edges = {name: {} for name in known}
    for name, path in known.items():
        for line, candidates in module_imports(name, path):
            target = next((c for c in candidates if c in known), None)
            if target is not None and target != name:
                edges[name].setdefault(target, (path, line))
    return edges


def find_cycle(edges) -> list[str] | None:
    """One cycle of the graph as [a, b, …, a], or None (depth first, in name order)."""
    done, path = set(), []

    def visit(node):
        path.append(node)
        for target in sorted(edges[node]):
            if target in path:
                return [*path[path.index(target) :], target]
            if target not in done:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        done.add(node)
        return None

    for node in sorted(edges):
        if node not in done:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def is_followup(name: str) -> bool:
    return name == "followup" or name.startswith("followup.")


def test_budget_never_imports_followup():
    offences = [
        f"{path.relative_to(ROOT)}:{line}: imports {candidates[0]}"
        for name, path in modules("budget").items()
        for line, candidates in module_imports(name, path)
        if any(is_followup(c) for c in candidates)
    ]

    assert offences == [], "budget must not import followup:\n" + "\n".join(offences)


def test_the_apps_modules_import_each_other_without_a_cycle():
    edges = import_graph({name: path for app in APPS for name, path in modules(app).items()})

    cycle = find_cycle(edges)

    assert cycle is None, "an import cycle:\n" + "\n".join(
        f"  {a} -> {b}  ({edges[a][b][0].relative_to(ROOT)}:{edges[a][b][1]})"
        for a, b in zip(cycle, cycle[1:], strict=False)
    )


# The checks above are only as good as what they read: they see through functions and
# relative imports, and a cycle is a cycle however long.


def test_an_import_inside_a_function_is_seen():
    source = "import os\n\n\ndef f():\n    from followup.models import Report\n"

    found = imports(source, package="budget.views")

    assert found == [(1, ("os",)), (5, ("followup.models.Report", "followup.models"))]


def test_a_relative_import_is_resolved_against_its_package():
    found = imports(
        "from ..models import Committee\nfrom . import tables\n", package="budget.views"
    )

    assert found == [
        (1, ("budget.models.Committee", "budget.models")),
        (2, ("budget.views.tables", "budget.views")),
    ]


def test_a_cycle_through_three_modules_is_found_and_a_chain_is_not():
    chain = {"a": {"b": None}, "b": {"c": None}, "c": {}}
    circle = {"a": {"b": None}, "b": {"c": None}, "c": {"a": None}}

    assert find_cycle(chain) is None
    assert find_cycle(circle) == ["a", "b", "c", "a"]
