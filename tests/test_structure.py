"""The front door, the deprecated aliases and the one way infeasible routes are handled."""

import subprocess
import sys
import warnings

import pytest

import routes
from routes.errors import InfeasibleRouteError, RoutesError


def test_front_door_exports_the_workhorses_lazily():
    code = "import sys, routes; print(any(m.startswith(('openap', 'matplotlib')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"  # import routes does not load OpenAP or matplotlib
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


def test_find_route_is_a_deprecated_alias_of_route():
    with pytest.warns(DeprecationWarning, match="use routes.route"):
        old = routes.find_route("SVO", "LAX", "closures-2022")
    assert old == routes.route("SVO", "LAX", "closures-2022")


def test_old_module_paths_warn_and_keep_the_functions_on_the_package():
    for name in ("routes.route", "routes.compare", "routes.feasibility", "routes.performance"):
        sys.modules.pop(name, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import routes.compare
        from routes.feasibility import diversion, polar_flags
        from routes.performance import estimate
        from routes.route import Route
    assert {str(w.message).split(" moved")[0] for w in caught if w.category is DeprecationWarning} >= {
        "module routes.feasibility",
        "module routes.performance",
        "module routes.route",
        "module routes.compare",
    }
    assert Route is routes.Route and estimate is routes.estimate
    assert diversion is routes.diversion and polar_flags is routes.polar_flags
    assert callable(routes.route) and callable(routes.compare)  # not replaced by the old modules


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
