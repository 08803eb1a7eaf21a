"""Shared fixtures."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest
from hypothesis import is_hypothesis_test

# Tests never read or write the user's real cache folder: every test session (each pytest-xdist
# worker too) starts with an empty disk cache of its own, set before anything is imported or built,
# and removes it at the end. Subprocesses (CLI, notebooks) inherit it. POLAR_ROUTES_NO_CACHE=1 runs
# the suite without a disk cache (tests/test_startup_cache.py is then skipped).
_CACHE_DIR = tempfile.mkdtemp(prefix="polar-routes-test-cache-")
atexit.register(shutil.rmtree, _CACHE_DIR, ignore_errors=True)  # also in the pytest-xdist controller
os.environ["POLAR_ROUTES_CACHE_DIR"] = _CACHE_DIR

import routes  # noqa: E402
from routes.comparison import MISSION_DESTINATIONS  # noqa: E402
from routes.routing import geodesic_route  # noqa: E402

WEST_COAST = MISSION_DESTINATIONS


@pytest.fixture(scope="session", autouse=True)
def test_cache_dir():
    """The session's own disk cache folder (`routes.diskcache`), removed at the end."""
    os.environ["POLAR_ROUTES_CACHE_DIR"] = _CACHE_DIR
    yield _CACHE_DIR
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def svo_lax_geodesic():
    return geodesic_route("SVO", "LAX")


@pytest.fixture(scope="session")
def mission_routes():
    """SVO -> West Coast routes under the two feasible closure scenarios, keyed (dest, scenario)."""
    return {(d, s): routes.route("SVO", d, s) for d in WEST_COAST for s in ("europe-closed", "europe-canada-closed")}


def _mark(items: list[pytest.Item]) -> None:
    """Markers that follow from what a test uses (the others are written on the tests: ``slow`` on
    the notebooks and the report, ``browser`` on tests/presentation/test_browser.py):
    ``property`` on every hypothesis test, ``network`` on every test that uses the module's Dask
    cluster (the ``client`` fixture). ``-m "not slow and not network"`` gives a quick run."""
    for item in items:
        if is_hypothesis_test(getattr(item, "obj", None)):
            item.add_marker(pytest.mark.property)
        if "client" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.network)


# The longest tests (tens of seconds each, measured with --durations) start first, so that the two
# pytest-xdist workers each take one early instead of meeting them at the end of the run.
SLOW_FIRST = ("test_network_notebook.py", "test_notebook.py", "test_cli.py::test_report_writes_the_folder")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    _mark(items)

    def rank(item: pytest.Item) -> int:
        return next((i for i, key in enumerate(SLOW_FIRST) if key in item.nodeid), len(SLOW_FIRST))

    items.sort(key=rank)  # stable: everything else keeps its order
