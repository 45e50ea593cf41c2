"""The code's shape: every import at the top of its module (or a comment says why not), and no
circle between the site's modules."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["collectif", "home", "pillars", "boussole", "campaigns", "newsletter", "search"]


def modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "settings" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name.removesuffix(".__init__"), path


def imported(name, path, node):
    """The first-party modules an import statement names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            parts = package.split(".")
            parent = ".".join(parts[: len(parts) - node.level + 1])
            base = f"{parent}.{base}" if base else parent
        targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
    return [t for t in targets if t.split(".")[0] in APPS]


def test_imports_inside_functions_say_why():
    unexplained = []
    for _name, path in modules():
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    here, above = lines[inner.lineno - 1], lines[inner.lineno - 2]
                    if "#" not in here and not above.strip().startswith("#"):
                        unexplained.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert unexplained == []


def test_no_circle_between_the_sites_modules():
    known = dict(modules())
    graph = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text())
        graph[name] = {
            target
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in imported(name, path, node)
            # A module's own packages are not what it depends on: `from . import x` names
            # the package, and a package's __init__ gathers its modules.
            if target in known and not f"{name}.".startswith(f"{target}.")
        }
    circles, done = [], set()

    def visit(module, trail):
        if module in trail:
            circles.append(" → ".join([*trail[trail.index(module) :], module]))
            return
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert circles == []
