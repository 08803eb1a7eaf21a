"""The front door, the layers of the package, and the one way infeasible routes are handled."""

import importlib
import subprocess
import sys

import pytest

import routes
from routes.errors import InfeasibleRouteError, RoutesError


def test_front_door_exports_the_workhorses_lazily():
    heavy = ("openap", "matplotlib", "folium", "dask")
    code = f"import sys, routes; print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"  # import routes loads none of OpenAP, matplotlib, folium or Dask
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
