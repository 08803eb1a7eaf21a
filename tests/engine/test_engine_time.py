"""The engine's minimum-time search `engine.solve_time`, on plain polygons and synthetic flight times.

No wind, aircraft or scenario: the engine gets a ``leg_time`` callable, as the front door gives it.
"""

import ast
from pathlib import Path

import numpy as np
import pytest
import shapely
from scipy.optimize import minimize_scalar

from routes import engine, geodesy

BOX = shapely.segmentize(shapely.box(12.0, -1.0, 18.0, 4.0), 0.1)
START, GOAL = np.array([0.0, 0.0]), np.array([30.0, 0.0])


def banded_leg_time(slow_ms: float = 200.0, fast_ms: float = 300.0, fast_from_lat: float = 2.0):
    """Flight time (s) of geodesic legs in a medium: ``slow_ms`` south of ``fast_from_lat``,
    ``fast_ms`` north of it; each leg summed over 20 pieces at their midpoints."""

    def leg_time(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        az, _, dist = geodesy.inverse(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        az, dist = np.atleast_1d(az), np.atleast_1d(dist)
        frac = (np.arange(20) + 0.5) / 20
        _, lat, _ = geodesy.GEOD.fwd(
            np.repeat(a[:, 0], 20), np.repeat(a[:, 1], 20), np.repeat(az, 20), np.outer(dist, frac).ravel()
        )
        speed = np.where(np.asarray(lat) >= fast_from_lat, fast_ms, slow_ms).reshape(-1, 20)
        return (dist[:, None] / 20 / speed).sum(axis=1)

    return leg_time


def still_leg_time(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Flight time (s) at 250 m/s whatever the course: proportional to length."""
    return geodesy.distance_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1]) / 250.0


def path_time_s(lonlat: np.ndarray, leg_time) -> float:
    return float(leg_time(lonlat[:-1], lonlat[1:]).sum())


@pytest.fixture(scope="module")
def box():
    return engine.prepare_obstacles([(BOX, 20_000.0)])


def test_a_faster_band_gives_a_clear_detour_faster_than_the_shortest_path(box):
    leg_time = banded_leg_time()
    sol = engine.solve_time(START, GOAL, box, leg_time, min_saving_s=10.0)
    shortest = engine.solve(START, GOAL, box)
    assert sol.found and sol.faster
    assert np.array_equal(sol.shortest.lonlat, shortest.lonlat)
    t_short = path_time_s(shortest.lonlat, leg_time)
    assert sol.stats["shortest_time_s"] == pytest.approx(t_short)
    assert sol.time_s == pytest.approx(path_time_s(sol.lonlat, leg_time))
    assert sol.time_s < t_short - 2000.0  # most of the way in the fast band
    # an independent optimum: refract into the band at (x, 2), pass over the box's expanded
    # corners, refract out symmetrically; best x by a 1-D minimisation (the search is not used)

    def family(x: float) -> np.ndarray:
        return np.array([[0, 0], [x, 2.0], [11.85, 4.25], [18.15, 4.25], [30 - x, 2.0], [30, 0]])

    best = minimize_scalar(lambda x: path_time_s(family(x), leg_time), bounds=(0.1, 11.0), method="bounded")
    assert engine.path_clear(box, family(best.x), 60.0)
    assert best.fun * 0.995 < sol.time_s <= best.fun
    assert abs(sol.lonlat[1, 0] - best.x) < 0.1  # it enters the band where refraction says
    assert sol.length_m > shortest.length_m  # a detour, longer but faster
    assert np.array_equal(sol.lonlat[0], START) and np.array_equal(sol.lonlat[-1], GOAL)
    assert engine.path_clear(box, sol.lonlat, 60.0)
    assert sol.obstacle_km.shape == (len(sol.lonlat),) and (sol.obstacle_km >= 0).all()
    assert sol.stats["graph_edges"] > 1000 and sol.stats["lattice_nodes"] > 100


def test_still_air_returns_the_shortest_path(box):
    sol = engine.solve_time(START, GOAL, box, still_leg_time, min_saving_s=10.0)
    shortest = engine.solve(START, GOAL, box)
    assert sol.found and not sol.faster
    assert len(shortest.lonlat) > 2  # (the box is in the way: a real shortest path)
    assert np.array_equal(sol.lonlat, shortest.lonlat)
    assert sol.length_m == pytest.approx(shortest.length_m, rel=1e-12)
    assert sol.time_s == pytest.approx(shortest.length_m / 250.0, rel=1e-9)
    assert sol.stats["graph_edges"] > 1000  # the lattice was searched and came back


def test_no_route_and_out_of_time_are_reasons_not_paths(box):
    ring = shapely.Point(10, 50).buffer(3).difference(shapely.Point(10, 50).buffer(2))
    walled = engine.prepare_obstacles([(shapely.segmentize(ring, 0.1), 0.0)])
    sol = engine.solve_time(np.array([0.0, 0.0]), np.array([10.0, 50.0]), walled, still_leg_time)
    assert (sol.found, sol.reason, sol.lonlat, sol.faster) == (False, engine.ENCLOSED, None, False)
    assert np.isnan(sol.time_s) and sol.shortest.reason == engine.ENCLOSED
    late = engine.solve_time(START, GOAL, box, banded_leg_time(), max_seconds=1e-6)
    assert (late.reason, late.lonlat) == (engine.OUT_OF_TIME, None)


def test_the_budget_covers_the_minimum_time_search_too(box):
    import time

    def slow_leg_time(a, b):
        time.sleep(0.3)
        return still_leg_time(a, b)

    engine.solve(START, GOAL, box)  # warm chart: the shortest path takes milliseconds
    t = time.perf_counter()
    late = engine.solve_time(START, GOAL, box, slow_leg_time, max_seconds=0.5)
    assert late.shortest.found and (late.reason, late.lonlat) == (engine.OUT_OF_TIME, None)
    assert time.perf_counter() - t < 2.0  # stopped at the next check, not at the end


def test_a_broken_leg_time_is_refused(box):
    with pytest.raises(ValueError, match="leg_time must return one time >= 0"):
        engine.solve_time(START, GOAL, box, lambda a, b: np.full(len(a), np.nan))
    with pytest.raises(ValueError, match=r"\d+ legs gave \(1,\) values"):
        engine.solve_time(START, GOAL, box, lambda a, b: np.ones(1))


def test_the_engine_imports_only_itself_and_geodesy():
    """Sealed: no scenario, wind, aircraft or front door inside `routes.engine`, in functions too."""
    import routes.engine

    for path in Path(routes.engine.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "routes":
                assert [a.name for a in node.names] == ["geodesy"], path.name
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("routes."):
                assert node.module == "routes.geodesy" or node.module.startswith("routes.engine."), node.module
