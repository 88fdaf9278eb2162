"""The library's layers: data flows one way, and no module imports one above it or forms a cycle.

``core`` < ``render`` < ``kb`` < ``sparql`` | ``network`` < ``maps`` < ``server`` < the public API (``graph``,
``graph.api``). ``sparql`` and ``network`` are siblings: neither imports the other. Imports inside functions
count too: a lazy import is still a dependency.
"""

import ast
from pathlib import Path

import pytest

GRAPH = Path(__file__).resolve().parent.parent / "graph"
LAYERS = {"core": 0, "render": 1, "kb": 2, "sparql": 3, "network": 3, "maps": 4, "server": 5, "api": 6}


def _module_name(path: Path) -> str:
    parts = path.relative_to(GRAPH.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str:
    parts = module.split(".")
    return "api" if len(parts) == 1 or parts[1] == "api" else parts[1]


def _imports(path: Path, module: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "graph" or a.name.startswith("graph."):
                    yield a.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_pkg else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "graph" or target.startswith("graph."):
                yield target, node.lineno
                for a in node.names:  # `from graph.kb import build` imports the module graph.kb.build
                    yield f"{target}.{a.name}", node.lineno


def _graph():
    files = sorted(GRAPH.rglob("*.py"))
    assert len(files) > 20, "the glob found the library's modules"
    modules = {_module_name(p): p for p in files}
    edges = {}
    for name, path in modules.items():
        deps = set()
        for target, line in _imports(path, name):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                deps.add((target, line))
        edges[name] = deps
    return modules, edges


def test_no_module_imports_a_higher_layer_or_a_sibling():
    modules, edges = _graph()
    wrong = []
    for name, deps in edges.items():
        here = _package(name)
        for target, line in deps:
            there = _package(target)
            if there == here or there == "api" and here == "api":
                continue
            if LAYERS[there] >= LAYERS[here]:
                wrong.append(f"{modules[name].relative_to(GRAPH.parent)}:{line}: {name} ({here}) imports {target} ({there})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_import_cycles():
    import networkx as nx

    _, edges = _graph()
    G = nx.DiGraph([(a, b) for a, deps in edges.items() for b, _ in deps if not b == "graph"])
    cycles = sorted(sorted(c) for c in nx.simple_cycles(G))
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_every_layer_is_a_package_or_the_api(package):
    assert package == "api" or (GRAPH / package / "__init__.py").is_file() or package == "server"
