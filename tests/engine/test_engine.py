"""The sealed engine: entry point, fast exits, large polygons, the band rule, time budget, a sweep."""

import importlib

import numpy as np
import pytest
import shapely

from routes import engine, geodesy
from routes.analysis.verify import verify_route
from routes.inputs.airports import LatLon
from routes.inputs.scenarios import Scenario, get_scenario
from routes.routing import geodesic_route
from routes.routing import route as find_route
from routes.scenario_obstacles import scenario_obstacles

# mission distances (km) recorded before the engine's rewrite (issue 10), margin 0
MISSION_KM = {
    ("LAX", "europe-closed"): 9872.989,
    ("SFO", "europe-closed"): 9515.467,
    ("SEA", "europe-closed"): 8433.974,
    ("PDX", "europe-closed"): 8641.778,
    ("LAX", "europe-canada-closed"): 10473.902,
    ("SFO", "europe-canada-closed"): 9957.420,
    ("SEA", "europe-canada-closed"): 9053.932,
    ("PDX", "europe-canada-closed"): 9177.813,
}


@pytest.mark.parametrize(("dest", "scenario"), list(MISSION_KM))
def test_mission_routes_unchanged_within_0_01_percent(mission_routes, dest, scenario):
    assert mission_routes[(dest, scenario)].distance_km == pytest.approx(MISSION_KM[(dest, scenario)], rel=1e-4)


def test_engine_runs_on_plain_polygons():
    # a 10 x 10 degree box on the equator: the taut string passes its two northern corners
    obs = engine.prepare_obstacles([(shapely.segmentize(shapely.box(-5, -5, 5, 5), 0.1), 0.0)])
    sol = engine.solve(np.array([-10.0, 4.0]), np.array([10.0, 4.0]), obs)
    assert sol.found and len(sol.lonlat) == 4
    corners = np.array([[-10, 4], [-5, 5], [5, 5], [10, 4]], float)
    expected_m = geodesy.distance_m(corners[:-1, 0], corners[:-1, 1], corners[1:, 0], corners[1:, 1]).sum()
    assert sol.length_m == pytest.approx(expected_m, rel=1e-4)
    assert engine.legs_clear(obs, np.array([-10.0, 6.0]), np.array([10.0, 6.0]))
    assert not engine.legs_clear(obs, np.array([-10.0, 0.0]), np.array([10.0, 0.0]))
    # a taut route's legs touch corners: clear with a tolerance, not strictly
    legs = engine.legs_clear(obs, sol.lonlat[:-1], sol.lonlat[1:], tolerance_m=50.0)
    assert legs.shape == (3,) and legs.all()


def test_engine_reasons_without_a_route():
    ring = shapely.Point(10, 50).buffer(3).difference(shapely.Point(10, 50).buffer(2))
    obs = engine.prepare_obstacles([(shapely.segmentize(ring, 0.1), 0.0)])
    assert engine.solve(np.array([0.0, 0.0]), np.array([10.0, 50.0]), obs).reason == engine.ENCLOSED
    assert engine.solve(np.array([0.0, 0.0]), np.array([10.0, 47.5]), obs).reason == engine.ENDPOINT_BLOCKED


def test_clear_geodesic_builds_no_chart():
    # Mexico City - Belem with Russia, China, Mongolia and North Korea closed (84 s before)
    scn = Scenario.build("far-closures", closed_states=["RUS", "CHN", "MNG", "PRK"])
    r = find_route("MMMX", "SBBE", scn)
    assert r.feasible and len(r.waypoints) == 2 and r.distance_km == pytest.approx(r.geodesic_km)
    assert "chart_nodes" not in r.stats and r.stats["chart_s"] == 0.0


def test_enclosed_destination_is_no_route_quickly():
    # Belgrade: Serbia, Bosnia and Kosovo are open but surrounded by closed states (44 s before)
    r = find_route("26.683,-80.096", "BEG", "europe-closed")
    assert not r.feasible and "enclosed" in r.reason
    assert r.stats["seconds"] < 30  # generous: CI shares 2 cores


def test_time_budget_gives_an_explicit_answer():
    box = shapely.segmentize(shapely.box(-5, -5, 5, 5), 0.1)
    obs = engine.prepare_obstacles([(box, 0.0)])
    sol = engine.solve(np.array([-10.0, 4.0]), np.array([10.0, 4.0]), obs, max_seconds=1e-9)
    assert not sol.found and sol.reason == engine.OUT_OF_TIME
    scn = Scenario.build("budget", closed_polygons=box)
    r = find_route("4,-10", "4,10", scn, max_seconds=1e-9)
    assert not r.feasible and "time budget of 1e-09 s ran out" in r.reason
    assert find_route("4,-10", "4,10", scn, max_seconds=60).feasible
    with pytest.raises(ValueError, match="max_seconds"):
        find_route("SVO", "SFO", "europe-canada-closed", max_seconds=0)


def test_closed_northern_hemisphere_leaves_southern_pairs_alone():
    scn = Scenario.build("north-closed", closed_polygons=shapely.box(-180, 0, 180, 90))
    r = find_route(LatLon(-30, 10), LatLon(-35, 48), scn)
    assert r.feasible and len(r.waypoints) == 2
    assert r.distance_km == pytest.approx(geodesic_route(LatLon(-30, 10), LatLon(-35, 48)).distance_km)
    assert verify_route(r).ok


def test_world_sized_open_corridor_opens_everything():
    scn = get_scenario("europe-closed").with_polygons(open_corridors=shapely.box(-180, -90, 180, 90))
    lax = find_route("SVO", "LAX", scn)
    assert lax.feasible and lax.distance_km == pytest.approx(lax.geodesic_km)
    cdg = find_route("SVO", "CDG", scn)
    assert cdg.feasible and cdg.distance_km == pytest.approx(cdg.geodesic_km)


def test_band_rule_large_margin_keeps_a_route():
    # SVO lies within 500 nm of closed Europe: it may leave the band within 505 nm of itself
    r = find_route("SVO", "LAX", "europe-closed", margin_nm=500)
    assert r.feasible
    assert r.distance_km == pytest.approx(10583.1, abs=1.0)
    assert verify_route(r, margin_nm=0).ok
    # the route found is no longer than the valid SVO - Yekaterinburg - LAX route
    assert r.distance_km < find_route("SVO", "SVX").distance_km + find_route("SVX", "LAX").distance_km


def test_band_rule_takes_the_northern_route_from_st_petersburg():
    r = find_route("LED", "LAX", "europe-closed", margin_nm=100)
    assert r.feasible and r.distance_km < 9800  # not the 12,044 km detour round Ukraine
    assert verify_route(r, margin_nm=0).ok
    assert r.max_latitude > 70


def test_obstacles_are_small_pieces_with_caps():
    obs = scenario_obstacles(get_scenario("europe-closed"), 0.0)
    assert obs.n_pieces == len(obs.radii) == len(obs.centers)
    assert obs.radii.max() < np.radians(20)  # pieces fit a gnomonic frame with room to spare
    for j in range(0, obs.n_pieces, 7):  # every vertex lies within its piece's cap
        xyz = np.vstack(obs.rings[j])
        assert (xyz @ obs.centers[j] >= np.cos(obs.radii[j]) - 1e-12).all()


# a small global sweep (pairs from the 3,000-15,000 km benchmark draw that need a detour or are
# clear): every route passes the independent check and is never shorter than the geodesic
SWEEP = [
    ("HYD", "KIX", ["RUS", "CHN", "MNG", "PRK"]),
    ("URC", "SYR", None),
    ("SCL", "BJL", None),
    ("LAS", "FAI", ["RUS", "BLR"]),
]


@pytest.mark.parametrize(("origin", "dest", "closed"), SWEEP)
def test_sweep_routes_are_verified_and_never_shorter_than_the_geodesic(origin, dest, closed):
    scn = Scenario.build("sweep", closed_states=closed) if closed else get_scenario("europe-closed")
    r = find_route(origin, dest, scn)
    assert r.feasible
    assert r.distance_km >= r.geodesic_km - 1e-6
    assert verify_route(r).ok


def test_pieces_past_the_rim_are_clipped_on_the_sphere_not_pulled_in():
    from routes.engine.chart import clip_to_cap

    center = geodesy.to_xyz(0.0, 0.0)
    # a lon/lat box from 80 to 100 deg east of the centre, 10 deg tall: half of it beyond the 85 deg cap
    lon = np.r_[np.linspace(80, 100, 41), np.full(21, 100.0), np.linspace(100, 80, 41), np.full(21, 80.0)]
    lat = np.r_[np.full(41, -5.0), np.linspace(-5, 5, 21), np.full(41, 5.0), np.linspace(5, -5, 21)]
    ring = geodesy.to_xyz(lon, lat)
    clipped = clip_to_cap(ring, center, 85.0)
    assert (clipped @ center >= np.cos(np.radians(85.0)) - 1e-9).all()
    gno = geodesy.Gnomonic(lon0=0.0, lat0=0.0)
    poly = shapely.Polygon(gno.forward_xyz(clipped))
    assert poly.is_valid
    # inside the cap the region is unchanged: (82, 0) and (84.9, 4.9) in, (82, 5.5) out
    for (lo, la), inside in [((82.0, 0.0), True), ((84.9, 4.9), True), ((82.0, 5.5), False)]:
        x, y = gno.forward(np.array([lo, la]))
        assert shapely.contains_xy(poly, x, y) == inside
    assert clip_to_cap(ring, geodesy.to_xyz(90.0, 0.0), 85.0) is ring  # wholly inside: unchanged
    assert len(clip_to_cap(ring, geodesy.to_xyz(-90.0, 0.0), 85.0)) == 0  # wholly outside: gone


def test_path_clear_tests_all_legs_as_one_polyline():
    # a U round a small box: legs pass the same piece on two sides (two runs of points near it)
    obs = engine.prepare_obstacles([(shapely.segmentize(shapely.box(-1, -1, 1, 1), 0.1), 0.0)])
    around = np.array([[-3.0, 0.0], [-1.5, 1.5], [1.5, 1.5], [1.5, -1.5], [3.0, -1.5]])
    assert engine.path_clear(obs, around) and engine.legs_clear(obs, around[:-1], around[1:]).all()
    through = np.array([[-3.0, 0.0], [-1.5, 1.5], [1.5, 1.5], [0.0, -3.0]])  # last leg cuts the box
    assert not engine.path_clear(obs, through)
    assert engine.legs_clear(obs, through[:-1], through[1:]).tolist() == [True, True, False]
    assert engine.path_clear(obs, around[:1])  # no leg: nothing to cross


def test_corners_used_twice_keep_only_visible_candidates_and_the_same_routes():
    # Moscow - Americas with Europe closed: the second query through a corner tests all its
    # candidate edges at once and keeps the visible ones; routes must not change.
    solve_module = importlib.import_module("routes.engine.solve")  # the module, not engine.solve

    obs = scenario_obstacles(get_scenario("europe-closed"), 0.0)
    ends = [([37.41, 55.97], [-73.78, 40.64]), ([30.26, 59.80], [-87.90, 41.98]), ([37.41, 55.97], [-80.29, 25.79])]
    solve_module.clear_caches()
    first = [engine.solve(np.array(a), np.array(b), obs) for a, b in ends]
    chart = solve_module._chart(obs, *engine.chart_key(np.array(ends[0][0]), np.array(ends[0][1])), None, ())
    graph = next(iter(chart.graphs.values()))
    before = {u: graph.candidates(u)[0].copy() for u in list(graph._candidates)}  # second use: settles
    assert graph._settled
    for u in graph._settled:
        kept = graph.candidates(u)[0]
        assert set(kept) <= set(before[u])
        assert all(graph.edge_visible(u, int(v)) for v in kept)
        dropped = set(before[u]) - set(kept)
        assert not any(graph.edge_visible(u, v) for v in dropped)
    again = [engine.solve(np.array(a), np.array(b), obs) for a, b in ends]
    for x, y in zip(first, again, strict=True):
        assert x.found and y.found and y.length_m == pytest.approx(x.length_m, rel=1e-12)
        assert np.array_equal(x.lonlat, y.lonlat)


def test_endpoints_are_kept_per_graph_with_exact_distances_and_tangents():
    # a matrix's routes on one chart share airports: each airport's distances to every turn point
    # are computed once per graph (the last MAX_ENDPOINTS) and are the WGS84 geodesics
    from routes.engine import graph as graph_module

    obs = scenario_obstacles(get_scenario("europe-closed"), 0.0)
    svo, lax = np.array([37.4146, 55.9726]), np.array([-118.408, 33.9425])
    solve_module = importlib.import_module("routes.engine.solve")
    chart = solve_module._chart(obs, *engine.chart_key(svo, lax), None, ())
    graph = graph_module.graph_for(chart, svo, lax)
    end = graph.endpoint(svo)
    assert graph.endpoint(np.array([37.4146, 55.9726])) is end  # kept
    lon, lat = graph.node_lonlat[:, 0], graph.node_lonlat[:, 1]
    np.testing.assert_allclose(end.dist_m, geodesy.distance_m(svo[0], svo[1], lon, lat), rtol=1e-12)
    assert np.array_equal(end.tangent, graph.tangent_mask(end.xy, np.arange(graph.n_nodes)))
    assert 0 < end.tangent.sum() < graph.n_nodes
    for k in range(graph_module.MAX_ENDPOINTS + 5):
        graph.endpoint(np.array([-100.0 + k * 0.01, 40.0]))
    assert len(graph._endpoints) == graph_module.MAX_ENDPOINTS
    assert graph.endpoint(svo) is not end  # evicted, computed again: the same values
    np.testing.assert_array_equal(graph.endpoint(svo).dist_m, end.dist_m)


def test_a_blocked_direct_edge_is_not_searched_again_and_routes_do_not_change():
    obs = engine.prepare_obstacles([(shapely.segmentize(shapely.box(-5, -5, 5, 5), 0.1), 0.0)])
    a, b = np.array([-10.0, 4.0]), np.array([10.0, 4.0])
    solve_module = importlib.import_module("routes.engine.solve")
    chart = solve_module._chart(obs, *engine.chart_key(a, b), None, ())
    search = importlib.import_module("routes.engine.search")
    graph = importlib.import_module("routes.engine.graph").graph_for(chart, a, b)
    plain = search.shortest_path(graph, a, b)
    skipped = search.shortest_path(graph, a, b, direct_blocked=True)
    assert plain.length_m == skipped.length_m and np.array_equal(plain.lonlat, skipped.lonlat)
    # a clear direct edge is the answer, unless the caller says it is blocked
    c, d = np.array([-10.0, 6.0]), np.array([10.0, 6.0])
    assert len(search.shortest_path(graph, c, d).lonlat) == 2
    detour = search.shortest_path(graph, c, d, direct_blocked=True)
    assert detour is None or len(detour.lonlat) > 2


def test_single_geodesics_get_the_verdicts_of_a_batch():
    # one or two edges skip the coarse pass (chart.FEW_EDGES): same verdicts as in a batch
    obs = scenario_obstacles(get_scenario("europe-closed"), 0.0)
    svo, lax = np.array([37.4146, 55.9726]), np.array([-118.408, 33.9425])
    solve_module = importlib.import_module("routes.engine.solve")
    chart = solve_module._chart(obs, *engine.chart_key(svo, lax), None, ())
    ends = chart.gno.inverse(chart.corners()[0])[::7]
    a = np.repeat(lax[None, :], len(ends), axis=0)
    batch, dist = chart.visible(a, ends)
    assert 10 < batch.sum() < len(ends) - 10  # both verdicts occur
    one = np.array([chart.visible(a[i : i + 1], ends[i : i + 1])[0][0] for i in range(len(ends))])
    assert np.array_equal(one, batch)
    np.testing.assert_allclose(dist, geodesy.distance_m(lax[0], lax[1], ends[:, 0], ends[:, 1]), rtol=1e-12)


def test_a_repeated_query_settles_no_corner_a_third_one_does():
    # settling a corner tests all its candidate edges (graph.SETTLE_AT): a query repeated at once
    # must not pay that for every corner of its search (0.6-0.8 s for Mexico City-Istanbul)
    from routes.engine import graph as graph_module

    solve_module = importlib.import_module("routes.engine.solve")
    obs = scenario_obstacles(get_scenario("europe-closed"), 0.0)
    a, b = np.array([37.4146, 55.9726]), np.array([-73.7781, 40.6413])  # SVO - JFK rounds Europe
    solve_module.clear_caches()
    runs = [engine.solve(a, b, obs) for _ in range(graph_module.SETTLE_AT - 1)]
    graph = next(iter(solve_module._chart(obs, *engine.chart_key(a, b), None, ()).graphs.values()))
    assert graph_module.SETTLE_AT == 3 and not graph._settled
    runs.append(engine.solve(a, b, obs))
    assert graph._settled
    assert len({round(r.length_m, 6) for r in runs}) == 1 and all(r.found for r in runs)


def test_a_chart_copied_to_another_process_gives_the_same_routes_warm():
    # `export_chart` / `import_chart`: the route-matrix job copies a warm chart (outline, graphs,
    # verdicts) to a worker instead of building it there; the obstacles there are another object
    # built from the same inputs (the worker's own, for the same scenario and margin)
    def obstacles():
        return engine.prepare_obstacles([(shapely.segmentize(shapely.box(-5, -5, 5, 5), 0.1), 0.0)])

    here, there = obstacles(), obstacles()
    a, b, c = np.array([-10.0, 4.0]), np.array([10.0, 4.0]), np.array([9.0, -3.0])
    center = engine.chart_key(a, b)
    assert engine.chart_key(a, c) == center  # one chart serves both queries
    assert engine.export_chart(here, center) is None  # not built yet
    first = [engine.solve(a, x, here) for x in (b, c)]
    data = engine.export_chart(here, center)
    assert isinstance(data, bytes) and engine.export_chart(here, (center[0] + 10.0, center[1])) is None
    before = engine.chart_counts()
    assert engine.import_chart(there, center, data)
    assert not engine.import_chart(there, center, b"not read: held already")
    copied = [engine.solve(a, x, there) for x in (b, c)]
    after = engine.chart_counts()
    assert (after["built"], after["imported"]) == (before["built"], before["imported"] + 1)  # nothing built
    for x, y in zip(first, copied, strict=True):
        assert x.found and y.found and y.length_m == x.length_m and np.array_equal(x.lonlat, y.lonlat)
        assert y.length_m > geodesy.distance_m(a[0], a[1], *y.lonlat[-1])  # (a real detour)
    chart = importlib.import_module("routes.engine.solve")._chart(there, *center, None, ())
    assert chart.verdicts and shapely.is_prepared(chart.vis_geometry)  # warm, and prepared again
    with pytest.raises(ValueError, match="not an exported chart"):
        engine.import_chart(obstacles(), center, b"garbage")
    other = engine.prepare_obstacles([(shapely.box(-5, -5, 5, 5), 0.0), (shapely.box(20, 20, 21, 21), 0.0)])
    with pytest.raises(ValueError, match="pieces"):
        engine.import_chart(other, center, data)


def test_chart_keys_of_many_queries_equal_the_keys_one_by_one():
    # `chart_keys` (the matrix job plans its partitions with it) must give exactly the engine's
    # own `chart_key` of each query: random pairs, near the poles and across the antimeridian
    rng = np.random.default_rng(7)
    n = 400
    lon = rng.uniform(-180, 180, (n, 2))
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, (n, 2))))
    lat[:40] = np.clip(lat[:40] * 0.05 + 88.0, -90, 90)  # near the north pole
    lon[40:80, 0], lon[40:80, 1] = 179.5, -179.5  # across the antimeridian
    starts, goals = np.column_stack([lon[:, 0], lat[:, 0]]), np.column_stack([lon[:, 1], lat[:, 1]])
    keys = engine.chart_keys(starts, goals)
    assert keys == [engine.chart_key(s, g) for s, g in zip(starts, goals, strict=True)]
    assert len(set(keys)) > 50 and any(k[1] == 90.0 for k in keys[:40])  # (snapped to the pole)
    assert engine.chart_keys(np.zeros((0, 2)), np.zeros((0, 2))) == []
