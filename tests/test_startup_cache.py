"""Prepared obstacles and charts on disk: a fresh process starts warm; damaged, truncated or foreign
files are rebuilt with a warning and never change a route; two processes writing at once leave a
valid cache. (The session's cache folder is a temporary one: see conftest.py.)"""

from __future__ import annotations

import multiprocessing
import warnings

import numpy as np
import pytest

import routes
from routes import engine, scenario_obstacles
from routes.diskcache import DiskCache, cache_dir
from routes.errors import CacheWarning
from routes.inputs import closures
from routes.inputs.scenarios import Scenario

pytestmark = pytest.mark.skipif(cache_dir() is None, reason="the disk cache is off (POLAR_ROUTES_NO_CACHE)")
MARGIN_NM = 3.25
"""A margin no other test uses, so these tests own their cache files."""
SVO, LAX = np.array([37.4146, 55.9726]), np.array([-118.408, 33.9425])


def _scenario(name: str = "startup-test") -> Scenario:
    return Scenario.build(name, closed_states=sorted(routes.get_scenario("europe-closed").closed_states))


def _fresh_process() -> None:
    """Forget everything held in memory, as a new process would."""
    scenario_obstacles.clear_caches()
    closures.closed_airspace.cache_clear()


def _route(scn: Scenario) -> routes.Route:
    return routes.route("SVO", "LAX", scn, margin_nm=MARGIN_NM)


def _chart_store() -> tuple[DiskCache, str]:
    scn = _scenario()
    center = engine.chart_key(SVO, LAX)
    return scenario_obstacles._store("charts"), f"{scenario_obstacles.obstacles_key(scn, MARGIN_NM)}|{center!r}"


@pytest.fixture(scope="module")
def cold_route() -> routes.Route:
    """The route built with nothing on disk (its obstacles and chart written there)."""
    _fresh_process()
    store, name = _chart_store()
    store.path(name).unlink(missing_ok=True)
    r = _route(_scenario())
    assert engine.chart_counts()["built"] >= 1
    return r


def test_a_fresh_process_reads_the_chart_and_builds_none(cold_route):
    _fresh_process()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        r = _route(_scenario())
    assert engine.chart_counts() == {"built": 0, "imported": 1, "held": 1}
    assert r.distance_km == cold_route.distance_km
    assert r.waypoints == cold_route.waypoints


def test_scenarios_closing_the_same_airspace_share_the_files(cold_route):
    _fresh_process()
    r = _route(_scenario("another name"))
    assert engine.chart_counts()["built"] == 0
    assert r.distance_km == cold_route.distance_km


@pytest.mark.parametrize(
    "damage",
    [
        lambda data, other: data[: len(data) // 2],  # truncated
        lambda data, other: data[:-10] + bytes(10),  # damaged payload
        lambda data, other: b"not a cache file at all",  # foreign
        lambda data, other: other,  # another entry's file copied over this one (foreign)
    ],
    ids=["truncated", "damaged", "not-ours", "another-key"],
)
def test_a_bad_chart_file_is_rebuilt_with_a_warning_and_the_same_route(cold_route, damage):
    store, name = _chart_store()
    path = store.path(name)
    other = DiskCache("charts", store.version, folder=store.folder.parent)
    other.store("some other chart", b"x")
    path.write_bytes(damage(path.read_bytes(), other.path("some other chart").read_bytes()))
    _fresh_process()
    with pytest.warns(CacheWarning, match="rebuilding"):
        r = _route(_scenario())
    assert engine.chart_counts()["built"] >= 1
    assert r.distance_km == cold_route.distance_km
    assert r.waypoints == cold_route.waypoints
    _fresh_process()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        _route(_scenario())  # the rebuilt file is whole again
    assert engine.chart_counts()["built"] == 0


def test_a_damaged_obstacles_file_is_rebuilt_with_a_warning(cold_route):
    scn = _scenario()
    store = scenario_obstacles._store("obstacles")
    path = store.path(scenario_obstacles.obstacles_key(scn, MARGIN_NM))
    path.write_bytes(path.read_bytes()[:-100])
    _fresh_process()
    with pytest.warns(CacheWarning, match="checksum"):
        r = _route(scn)
    assert r.distance_km == cold_route.distance_km


def test_a_chart_of_other_obstacles_is_refused(cold_route):
    # a valid file whose chart belongs to obstacles with another number of pieces: never used
    store, name = _chart_store()
    store.store(name, b"\x80\x05K\x01.")  # a pickle of the integer 1: not an exported chart
    _fresh_process()
    with pytest.warns(CacheWarning, match="cached chart"):
        r = _route(_scenario())
    assert r.distance_km == cold_route.distance_km


def _route_in_child(args: tuple[str, float]) -> tuple[float, int]:
    folder, margin_nm = args
    import os

    os.environ["POLAR_ROUTES_CACHE_DIR"] = folder
    import routes as r
    from routes import engine as e

    km = r.route("SVO", "LAX", "europe-closed", margin_nm=margin_nm).distance_km
    return km, e.chart_counts()["built"]


@pytest.mark.slow
def test_two_processes_writing_at_once_leave_a_valid_cache(tmp_path, monkeypatch):
    folder = str(tmp_path / "cache")
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        got = pool.map(_route_in_child, [(folder, 2.0), (folder, 2.0)])
    assert got[0][0] == got[1][0]
    monkeypatch.setenv("POLAR_ROUTES_CACHE_DIR", folder)
    for namespace in ("obstacles", "charts", "closed", "scenarios", "airports"):
        files = list((tmp_path / "cache" / namespace).glob("*.pkl"))
        assert files, namespace
    assert not list((tmp_path / "cache").rglob("*.tmp"))  # no half-written file left
    _fresh_process()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        km = routes.route("SVO", "LAX", "europe-closed", margin_nm=2.0).distance_km
    assert km == got[0][0]
    assert engine.chart_counts()["built"] == 0


def test_the_chart_files_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("POLAR_ROUTES_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(scenario_obstacles, "MAX_CHART_FILES", 2)
    _fresh_process()
    scn = _scenario()
    for dest in ("LAX", "SEA", "NRT", "JFK"):  # different charts
        routes.route("SVO", dest, scn, margin_nm=MARGIN_NM)
    assert engine.chart_counts()["built"] >= 3
    assert len(list((tmp_path / "charts").glob("*.pkl"))) == 2
