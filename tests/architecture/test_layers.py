"""The package's import graph: no cycles between modules, and the front door stays light."""

from __future__ import annotations

import subprocess
import sys

import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Imports inside functions count too: grimp reads every import statement of each module.
    return grimp.build_graph("jixiao", cache_dir=None)


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
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
                    work.append((child, iter(edges.get(child, []))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    group.append(m)
                    if m == node:
                        break
                # A package's __init__ re-exporting its own modules is not a cycle of code.
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_module_imports_one_that_imports_it_back(graph):
    # Package __init__ files that only re-export are left out: importing jixiao.batch.run
    # runs jixiao/batch/__init__.py first, which is not a dependency of run on its siblings.
    inits = {m for m in graph.modules if graph.find_children(m)}
    for m in inits:
        graph.remove_module(m)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    g = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        g.add_module(m)
    g.add_import(importer="p.a", imported="p.b")
    g.add_import(importer="p.b", imported="p.c")
    g.add_import(importer="p.c", imported="p.a")
    assert _cycles(g) == [["p.a", "p.b", "p.c"]]


def test_layer_contracts_hold():
    done = subprocess.run(
        [sys.executable, "-m", "importlinter.cli", "--no-cache"], capture_output=True, text=True
    )
    if done.returncode != 0 and "No module named" in done.stderr:
        done = subprocess.run(["lint-imports", "--no-cache"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_importing_the_front_door_loads_neither_pandas_nor_openpyxl():
    code = (
        "import sys, jixiao; jixiao.__version__; "
        "print(sorted(m for m in ('pandas', 'openpyxl', 'typer', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_building_a_report_does_not_load_openpyxl():
    # The report only needs which chart to draw; openpyxl cost `jixiao report` 0.37 s (issue 15).
    code = "import sys, jixiao.report.builder; print('openpyxl' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
