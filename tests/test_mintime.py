"""Minimum-time routes through the front door (``route(..., objective="time", wind=...)``:
`routes.engine.solve_time` with `routes.mintime.CruiseAir`, kept by `routes.mintime.accept`).

Known answers (still air, a course-independent wind, refraction at a speed step), the guarantees
on real closures (clear of closed airspace, never slower than the shortest route) and an
independent fine-grid minimum-time search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

import routes
from polar_grid import polar_grid
from routes import geodesy
from routes.analysis.performance import cruise_tas_kt, estimate, get_aircraft
from routes.analysis.wind import average_wind, still_air
from routes.errors import ObjectiveError, RoutesError
from routes.inputs.airports import LatLon
from routes.inputs.scenarios import get_scenario

MS_TO_KT = 3600.0 / 1852.0
B77W = get_aircraft("B77W")
TAS_KT = cruise_tas_kt(B77W.cruise_mach, B77W.cruise_alt_ft)


def _triangle(u_kt, v_kt, course_deg, tas_kt):
    az = np.radians(course_deg)
    along = u_kt * np.sin(az) + v_kt * np.cos(az)
    cross = u_kt * np.cos(az) - v_kt * np.sin(az)
    return np.sqrt(np.maximum(tas_kt**2 - cross**2, 0.0)) + along


@dataclass(frozen=True)
class Jet:
    """A synthetic high-latitude westerly jet with a wavy meridional component (m/s)."""

    lat0: float = 60.0
    peak_ms: float = 60.0
    label: str = "test jet"

    def wind_ms(self, lonlat):
        lon, lat = lonlat[:, 0], lonlat[:, 1]
        u = self.peak_ms * np.exp(-(((lat - self.lat0) / 8.0) ** 2))
        v = 15.0 * np.sin(np.radians(2 * lon)) * np.exp(-(((lat - 65.0) / 15.0) ** 2))
        return u, v

    def ground_speed_kt(self, lonlat, course_deg, tas_kt, alt_ft):
        u, v = self.wind_ms(np.asarray(lonlat))
        return _triangle(u * MS_TO_KT, v * MS_TO_KT, np.asarray(course_deg), tas_kt)


@dataclass(frozen=True)
class SpeedStep:
    """Not a wind but a medium: ground speed = TAS north of the equator, ``factor`` x TAS south."""

    factor: float = 0.6
    label: str = "speed step at the equator"

    def ground_speed_kt(self, lonlat, course_deg, tas_kt, alt_ft):
        return np.where(np.asarray(lonlat)[:, 1] >= 0.0, tas_kt, self.factor * tas_kt)


def air_time_min(lonlat: np.ndarray, wind, step_km: float = 10.0) -> float:
    """Independent cruise time (min) along geodesic legs: Geod.inv_intermediate points, wind at
    each segment's midpoint, course of the segment."""
    pts = geodesy.densify_path(lonlat, step_km)
    az, _, d = geodesy.inverse(pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1])
    mlon, mlat, _ = geodesy.GEOD.fwd(pts[:-1, 0], pts[:-1, 1], az, d / 2)
    gs = wind.ground_speed_kt(np.column_stack([mlon, mlat]), az, TAS_KT, B77W.cruise_alt_ft)
    return float((d / 1852.0 / gs).sum() * 60.0)


@pytest.fixture(scope="module")
def jet_routes():
    """Shortest and minimum-time routes in the test jet, both directions, Canada closed too."""
    out = {}
    for o, d in (("SVO", "LAX"), ("LAX", "SVO")):
        out[o, d] = (
            routes.route(o, d, "europe-canada-closed"),
            routes.route(o, d, "europe-canada-closed", objective="time", wind=Jet()),
        )
    return out


# --- bad input ------------------------------------------------------------------------------------
def test_bad_objective_and_wind_combinations_raise_specific_errors():
    assert routes.routing.OBJECTIVES == ("distance", "time")  # the front door's vocabulary
    with pytest.raises(ObjectiveError, match=r"unknown objective 'fastest'.*'distance', 'time'"):
        routes.route("SVO", "LAX", "europe-closed", objective="fastest")
    with pytest.raises(ObjectiveError, match="objective='time' needs a wind"):
        routes.route("SVO", "LAX", "europe-closed", objective="time")
    with pytest.raises(ObjectiveError, match="only changes the route with objective='time'"):
        routes.route("SVO", "LAX", "europe-closed", wind=average_wind(-20))
    with pytest.raises(ObjectiveError, match="wind must be a wind model"):
        routes.route("SVO", "LAX", "europe-closed", objective="time", wind=25.0)
    assert issubclass(ObjectiveError, RoutesError)


def test_infeasible_stays_infeasible_with_its_reason():
    r = routes.route("SVO", "LAX", "closures-2022", objective="time", wind=Jet())
    assert not r.feasible and "closed airspace of United States" in r.reason
    assert r.objective == "time"


# --- known answers --------------------------------------------------------------------------------
def test_still_air_gives_the_shortest_route():
    shortest = routes.route("SVO", "SEA", "europe-canada-closed")
    fastest = routes.route("SVO", "SEA", "europe-canada-closed", objective="time", wind=still_air())
    assert fastest.waypoints == shortest.waypoints
    assert (fastest.objective, fastest.wind) == ("time", "still air")
    assert shortest.objective == "distance"
    assert fastest.stats["saving_min"] == 0.0


def test_course_independent_wind_gives_the_shortest_route():
    """With the same ground speed on every course, time is distance / speed: the search runs in
    full and must come back to the shortest route."""
    shortest = routes.route("SVO", "LAX", "europe-closed")
    fastest = routes.route("SVO", "LAX", "europe-closed", objective="time", wind=average_wind(-40))
    assert fastest.waypoints == shortest.waypoints
    assert fastest.stats["graph_edges"] > 1000  # the lattice was searched
    assert fastest.stats["saving_min"] == 0.0


def test_refraction_at_a_speed_step_matches_the_two_leg_optimum():
    """Speed v north of the equator and 0.6 v south: the fastest path is two geodesics meeting on
    the equator (each is optimal inside its uniform half); its crossing point is found here by a
    1-D minimisation, independently of the route search."""
    a, b = LatLon(lat=10.0, lon=0.0), LatLon(lat=-10.0, lon=20.0)
    step = SpeedStep()

    def t(x):
        d1 = geodesy.distance_m(a.lon, a.lat, x, 0.0)
        d2 = geodesy.distance_m(x, 0.0, b.lon, b.lat)
        return float(d1 + d2 / step.factor) / 1852.0 / TAS_KT * 60.0

    best = minimize_scalar(t, bounds=(0.0, 20.0), method="bounded", options={"xatol": 1e-6})
    r = routes.route(a, b, "pre-2022", objective="time", wind=step)
    geodesic_min = air_time_min(routes.geodesic_route(a, b).lonlat(), step)
    route_min = air_time_min(r.lonlat(), step, step_km=1.0)
    assert best.fun < geodesic_min - 5  # refraction pays: the optimum is not the geodesic
    assert route_min == pytest.approx(best.fun, rel=2e-3)
    # the route crosses the equator near the analytic crossing point
    pts = r.densified(1.0)
    cross = pts[np.argmin(np.abs(pts[:, 1]))]
    assert abs(cross[0] - best.x) < 0.5


def test_cruise_air_times_legs_like_an_independent_integration_both_ways():
    from routes.mintime import CruiseAir

    air = CruiseAir(Jet(), TAS_KT, B77W.cruise_alt_ft)
    a = np.array([[37.4, 55.9], [-118.4, 33.9], [10.0, 60.0]])
    b = np.array([[-118.4, 33.9], [37.4, 55.9], [40.0, 61.0]])
    forward, backward = air.both_ways(a, b)
    np.testing.assert_allclose(forward, air(a, b), rtol=1e-12)
    np.testing.assert_allclose(backward, air(b, a), rtol=1e-9)  # the same samples, read backwards
    for i in range(len(a)):
        assert forward[i] / 60.0 == pytest.approx(air_time_min(np.vstack([a[i], b[i]]), Jet()), rel=2e-3)
    assert forward[2] < backward[2]  # eastbound with the jet is faster
    assert len(air(np.zeros((0, 2)), np.zeros((0, 2)))) == 0


# --- guarantees on real closures ------------------------------------------------------------------
@pytest.mark.parametrize("pair", [("SVO", "LAX"), ("LAX", "SVO")])
def test_jet_route_is_clear_and_never_slower(jet_routes, pair):
    shortest, fastest = jet_routes[pair]
    check = routes.verify_route(fastest)
    assert check.ok and check.points_inside == 0 and not check.crosses
    t_short = estimate(shortest, "B77W", wind=Jet()).block_time_min
    t_fast = estimate(fastest, "B77W", wind=Jet()).block_time_min
    assert t_fast <= t_short
    assert fastest.stats["time_min"] == pytest.approx(t_fast)
    assert fastest.stats["shortest_time_min"] == pytest.approx(t_short)
    assert fastest.stats["saving_min"] == pytest.approx(t_short - t_fast)
    # the independent integration agrees that it is faster
    assert air_time_min(fastest.lonlat(), Jet()) < air_time_min(shortest.lonlat(), Jet())
    assert fastest.distance_km >= shortest.distance_km - 1e-6  # a detour, never shorter than the shortest


# block time (min) of the shortest and of the minimum-time route, and the latter's length (km), in
# the test jet, B777-300ER: recorded before the search moved into the engine (issue 27)
JET_FIGURES = {("SVO", "LAX"): (733.689, 728.563, 10557.93), ("LAX", "SVO"): (744.615, 742.448, 10512.03)}


@pytest.mark.parametrize("pair", list(JET_FIGURES))
def test_jet_figures_are_unchanged(jet_routes, pair):
    _, fastest = jet_routes[pair]
    shortest_min, fastest_min, fastest_km = JET_FIGURES[pair]
    assert fastest.stats["shortest_time_min"] == pytest.approx(shortest_min, abs=0.002)
    assert fastest.stats["time_min"] == pytest.approx(fastest_min, abs=0.002)
    assert fastest.distance_km == pytest.approx(fastest_km, abs=0.01)


def test_the_front_door_prepares_once_and_calls_the_engine_once(monkeypatch):
    from routes import engine, routing

    calls = {"route": 0, "obstacles": 0, "solve_time": 0, "solve": 0}

    def counted(name, fn):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(routing, "route", counted("route", routing.route))
    monkeypatch.setattr(routing, "scenario_obstacles", counted("obstacles", routing.scenario_obstacles))
    monkeypatch.setattr(engine, "solve_time", counted("solve_time", engine.solve_time))
    monkeypatch.setattr(engine, "solve", counted("solve", engine.solve))
    routing.route("SVO", "SEA", "europe-closed", objective="time", wind=Jet())
    assert calls == {"route": 1, "obstacles": 1, "solve_time": 1, "solve": 0}  # solve runs inside the engine


def test_westbound_into_the_jet_saves_minutes(jet_routes):
    _, fastest = jet_routes["SVO", "LAX"]
    assert fastest.stats["saving_min"] > 2.0
    assert fastest.wind == "test jet" and fastest.objective == "time"
    props = fastest.to_geojson()["properties"]
    assert (props["objective"], props["objective_wind"]) == ("time", "test jet")
    assert routes.route("SVO", "LAX", "europe-closed").summary()["objective"] == "distance"


def test_margin_is_kept():
    r = routes.route("SVO", "SEA", "europe-canada-closed", margin_nm=20, objective="time", wind=Jet())
    check = routes.verify_route(r)
    assert check.ok and check.min_clearance_km >= 20 * 1.852 - 1.0


# --- independent fine-grid minimum-time search ----------------------------------------------------
CELL_M = 60_000.0


def grid_time_min(origin: str, dest: str, scenario: str, wind) -> float:
    """Fastest path on a 60 km, 32-connected grid in a north-polar azimuthal-equidistant plane:
    cells within ~1.5 cells of the routing obstacles blocked, edge time = geodesic length / ground
    speed at the edge midpoint on the edge's course, scipy Dijkstra (directed)."""
    a, b = routes.get_airport(origin), routes.get_airport(dest)
    g = polar_grid(a, b, scenario, CELL_M, reach=3)
    lon, lat, start, goal = g.lon, g.lat, g.start, g.goal
    az, _, d = geodesy.inverse(lon[g.rows], lat[g.rows], lon[g.cols], lat[g.cols])
    mlon, mlat, back = geodesy.GEOD.fwd(lon[g.rows], lat[g.rows], az, d / 2)
    gs = wind.ground_speed_kt(np.column_stack([mlon, mlat]), (np.asarray(back) + 180) % 360, TAS_KT, 0.0)
    w = d / 1852.0 / gs * 60.0
    graph = coo_matrix((w, (g.rows, g.cols)), shape=(g.size, g.size)).tocsr()
    t = dijkstra(graph, directed=True, indices=start)[goal]
    snap = air_time_min(np.array([[a.lon, a.lat], [lon[start], lat[start]]]), wind) + air_time_min(
        np.array([[lon[goal], lat[goal]], [b.lon, b.lat]]), wind
    )
    return float(t + snap)


def test_no_slower_than_a_fine_grid_minimum_time_path(jet_routes):
    pair = ("SVO", "LAX")  # one direction keeps the suite fast; the open-sky test below runs both
    _, fastest = jet_routes[pair]
    grid = grid_time_min(*pair, "europe-canada-closed", Jet())
    ours = air_time_min(fastest.lonlat(), Jet())
    assert ours <= grid
    assert grid <= ours * 1.02  # the grid keeps ~90 km off the obstacles, and 32 directions cost ~0.3 %


@pytest.mark.parametrize("pair", [("LAX", "SVO"), ("SVO", "LAX")])
def test_open_sky_jet_detour_beats_the_geodesic_and_a_fine_grid(pair):
    """Nothing closed: the grid's wind gain over the geodesic is real (it is not just inflation),
    and the route finds at least as much."""
    fastest = routes.route(*pair, "pre-2022", objective="time", wind=Jet())
    geodesic = air_time_min(routes.geodesic_route(*pair).lonlat(), Jet())
    grid = grid_time_min(*pair, "pre-2022", Jet())
    ours = air_time_min(fastest.lonlat(), Jet())
    assert grid < geodesic - 5.0
    assert ours <= grid <= ours * 1.01


# --- the walk through the front door --------------------------------------------------------------
def _floor(module: str) -> int:
    """The floor of ``module`` as the package docstring states it (read by tests/test_structure.py)."""
    from test_structure import _floor_of, _floors

    return _floor_of(module, _floors())[0]


@pytest.mark.parametrize("objective", ["distance", "time"])
def test_the_walk_of_a_scenario_through_route_never_climbs(objective):
    """Every call from one module of the package to another while `route` runs goes to the same
    floor or a lower one. The one exception is by design: the engine calls the flight time it
    was handed (`mintime.CruiseAir`), as a sort calls its key."""
    import sys

    from routes.scenario_obstacles import clear_caches

    calls = set()

    def profile(frame, event, arg):
        caller = frame.f_back
        if event == "call" and caller is not None:
            a, b = caller.f_globals.get("__name__", ""), frame.f_globals.get("__name__", "")
            if a.startswith("routes") and b.startswith("routes") and a != b:
                calls.add((a, b, frame.f_code.co_name))

    wind = Jet() if objective == "time" else None
    clear_caches()
    sys.setprofile(profile)
    try:
        routes.route("SVO", "SEA", get_scenario("europe-canada-closed"), objective=objective, wind=wind)
    finally:
        sys.setprofile(None)
    climbs = {c for c in calls if _floor(c[1]) > _floor(c[0])}
    handed = {("routes.engine.lattice", "routes.mintime", f) for f in ("both_ways", "__call__")}
    assert climbs == (handed if objective == "time" else set())
    assert len(calls) > 30  # (the walk was seen: the engine, the inputs, the results)
