"""The front door, the layers of the package, and the one way infeasible routes are handled."""

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import routes
from routes.errors import InfeasibleRouteError, RoutesError


def test_front_door_exports_the_workhorses_lazily():
    heavy = ("openap", "matplotlib", "folium", "dask", "scipy")
    code = f"import sys, routes; print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"  # import routes loads none of OpenAP, matplotlib, folium, Dask or SciPy
    from routes.analysis.diversion import diversion
    from routes.comparison import compare
    from routes.presentation.maps import plot_routes
    from routes.presentation.report import write_report

    assert (routes.compare, routes.diversion, routes.plot_routes, routes.write_report) == (
        compare,
        diversion,
        plot_routes,
        write_report,
    )
    assert set(routes.__all__) <= set(dir(routes))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        routes.nope  # noqa: B018


def test_rich_output_and_explore_are_attached_after_a_bare_import():
    code = (
        "import routes\n"
        "from routes.comparison import Comparison\n"
        "from routes.analysis.performance import Estimate\n"
        "print([sorted(m for m in ('_repr_html_', 'explore') if hasattr(t, m))"
        " for t in (routes.Route, routes.Scenario, Estimate, Comparison)])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (
        out.stdout.strip()
        == "[['_repr_html_', 'explore'], ['_repr_html_'], ['_repr_html_'], ['_repr_html_', 'explore']]"
    )


def test_extensions_reach_types_defined_before_and_after_registering():
    from routes.extensions import extensible, qualified_name, register

    class Early:
        x = 2

    class Late:
        x = 3

    extensible(Early)
    register(qualified_name(Early), "double", lambda self: 2 * self.x)
    register(qualified_name(Late), "double", lambda self: 2 * self.x)
    assert not hasattr(Late, "double")  # not marked extensible yet
    extensible(Late)
    assert (Early().double(), Late().double(), Late.double.__qualname__) == (4, 6, "Late.double")


def test_the_names_of_0_1_are_gone():
    """0.2.0 removed the compatibility layer: old module paths, aliases and keywords fail loudly."""
    for old in ("routes.performance", "routes.feasibility", "routes.route", "routes.compare", "routes.wind"):
        sys.modules.pop(old, None)
        with pytest.raises(ModuleNotFoundError, match=old.replace(".", r"\.")):
            importlib.import_module(old)
    assert callable(routes.route) and callable(routes.compare)
    with pytest.raises(AttributeError, match="no attribute 'find_route'"):
        routes.find_route  # noqa: B018
    with pytest.raises(TypeError, match="closed"):
        routes.Scenario.build("mine", closed=["RU"])
    with pytest.raises(TypeError, match="open"):
        routes.get_scenario("pre-2022").with_polygons(open=None)
    renamed = ((routes.Scenario, "open_polygons"), (routes.Overflight, "closed"), (routes.Estimate, "range_feasible"))
    for cls, old in renamed:
        assert not hasattr(cls, old), f"{cls.__name__}.{old}"


@pytest.mark.parametrize("analysis", ["overflight", "verify_route", "estimate", "diversion", "polar_flags"])
def test_every_analysis_of_an_infeasible_route_raises_the_same_error(analysis):
    r = routes.route("SVO", "LAX", "closures-2022")
    with pytest.raises(InfeasibleRouteError, match=r"SVO-LAX \(closures-2022\): destination LAX lies in") as err:
        getattr(routes, analysis)(r)
    assert isinstance(err.value, RoutesError) and isinstance(err.value, ValueError)


def test_geodesy_is_the_only_module_importing_pyproj():
    import ast
    from pathlib import Path

    src = Path(routes.__file__).parent
    importers = set()
    for path in src.rglob("*.py"):
        tree = ast.parse(path.read_text())
        type_only = {
            id(n)
            for guard in ast.walk(tree)
            if isinstance(guard, ast.If) and getattr(guard.test, "id", "") == "TYPE_CHECKING"
            for n in ast.walk(guard)
        }
        for node in ast.walk(tree):
            if id(node) in type_only:
                continue
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n.split(".")[0] == "pyproj" for n in names):
                importers.add(path.relative_to(src).as_posix())
    assert importers == {"geodesy.py"}


# ----------------------------------------------------------------------------- the floors

SRC = Path(routes.__file__).parent

# Removed by the engine branch: it deletes routes.mintime (which reaches back into the front door)
# and breaks the engine.chart <-> engine.graph cycle. The lead drops these three lines at merge.
ALLOWED_EDGES: set[tuple[str, str]] = set()
"""Edges allowed against the rules (none)."""


def _floors() -> dict[str, tuple[int, str]]:
    """The floors of the package docstring: module (or package) name -> (number, floor name)."""
    floors, current = {}, None
    for line in routes.__doc__.splitlines():
        head = re.match(r"(\d+)\. ([\w ]+): (.*)", line)
        if head:
            current = (int(head.group(1)), head.group(2))
        elif not line.startswith("   "):
            current = None
        if current:
            floors.update(dict.fromkeys(re.findall(r"``(routes[\w.]*)``", line), current))
    return floors


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> dict[str, int]:
    """The package's modules that ``name`` imports (anywhere in the file: inside functions and
    ``TYPE_CHECKING`` blocks too; relative imports resolved) -> the line of the first import."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text())):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        for target in targets:
            while target and target not in modules:  # `import routes.inputs.airports.x` -> the module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.setdefault(target, node.lineno)
    return found


def _floor_of(name: str, floors: dict[str, tuple[int, str]]) -> tuple[int, str] | None:
    for prefix in sorted(floors, key=len, reverse=True):  # the longest entry wins
        if name == prefix or (prefix != "routes" and name.startswith(prefix + ".")):
            return floors[prefix]
    return None


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_package_docstring_lists_the_floors():
    floors = _floors()
    assert [floors[m] for m in ("routes.errors", "routes.inputs", "routes.engine", "routes.analysis")] == [
        (1, "base"),
        (2, "inputs"),
        (3, "engine"),
        (4, "analysis"),
    ]
    assert floors["routes.cli"] == (7, "cli") and floors["routes.network"][0] == 6
    modules = _modules()
    assert not [m for m in floors if m not in modules], "the docstring names a module that does not exist"


def test_every_module_imports_only_from_its_floor_or_below():
    floors, modules = _floors(), _modules()
    unplaced = sorted(m for m in modules if _floor_of(m, floors) is None)
    assert not unplaced, f"modules on no floor (add them to the floors in routes/__init__.py): {unplaced}"
    broken = []
    for name, path in sorted(modules.items()):
        (mine, my_name) = _floor_of(name, floors)
        for target, line in sorted(_imports(name, path, modules).items()):
            (theirs, their_name) = _floor_of(target, floors)
            if theirs > mine and (name, target) not in ALLOWED_EDGES:
                broken.append(
                    f"{path.relative_to(SRC.parent)}:{line}: {name} (floor {mine} {my_name}) imports {target} "
                    f"(floor {theirs} {their_name}): a module imports only from its own floor or below"
                )
    assert not broken, "imports that run back up:\n" + "\n".join(broken)


def test_no_import_cycles():
    modules = _modules()
    edges = {m: set(_imports(m, p, modules)) - {b for a, b in ALLOWED_EDGES if a == m} for m, p in modules.items()}
    cycles = _cycles(edges)
    details = [
        "cycle of " + ", ".join(c) + ": " + ", ".join(f"{a} imports {b}" for a in c for b in sorted(edges[a] & set(c)))
        for c in cycles
    ]
    assert not cycles, "import cycles:\n" + "\n".join(details)
