"""The outline: bays no shortest path uses are filled, and routes stay the same as with every corner."""

import os

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routes import engine
from routes.engine.chart import chart_center
from routes.engine.outline import Outline, clusters
from routes.engine.search import shortest_path
from routes.engine.solve import _chart
from routes.scenario_obstacles import scenario_obstacles

# a "C" open to the east: its bay (x 2..8, y 2..8) opens through one gap (x = 8..10, y 2..8)
C_SHAPE = shapely.box(0, 0, 10, 10).difference(shapely.box(2, 2, 10, 8))


def test_a_bay_with_one_lid_is_filled_up_to_the_hull():
    outline = Outline(C_SHAPE)
    assert outline.shape().equals(shapely.box(0, 0, 10, 10))
    assert len(outline.fills) == 1 and outline.fills[0].equals(shapely.box(2, 2, 10, 8))
    assert outline.filled_at(np.array([[5.0, 5.0], [20.0, 5.0]])) == frozenset({0})
    assert outline.filled_at(np.array([[20.0, 5.0]])) == frozenset()


def test_a_bay_holding_an_endpoint_stays_open():
    outline = Outline(C_SHAPE)
    assert outline.shape(outline.filled_at(np.array([[5.0, 5.0], [20.0, 5.0]]))).equals(C_SHAPE)
    assert outline.shape().equals(shapely.box(0, 0, 10, 10))  # the open bay is not remembered


def test_an_island_inside_a_bay_goes_with_the_bay():
    island = shapely.box(4, 4, 6, 6)
    assert sorted(map(sorted, clusters([C_SHAPE, island]))) == [[0], [1]]
    outline = Outline(shapely.union_all([C_SHAPE, island]))
    assert outline.shape().equals(shapely.box(0, 0, 10, 10))


def test_an_island_across_the_lid_joins_the_group():
    island = shapely.box(9, 4, 12, 6)  # half in the bay, half out: the lid is not clear
    groups = clusters([C_SHAPE, island])
    assert len(groups) == 1
    outline = Outline(shapely.union_all([C_SHAPE, island]))
    # the bay now opens above and below the island (two lids, a channel): it stays open
    assert not outline.shape().contains(shapely.Point(5, 5)) and outline.fills == []


def _route_both_ways(obs: engine.Obstacles, start: np.ndarray, goal: np.ndarray) -> tuple[float, float]:
    """The engine's length, and the length found on every convex corner of the chart (no outline)."""
    from routes.engine.graph import Graph

    sol = engine.solve(start, goal, obs)
    chart = _chart(obs, *chart_center(start, goal), None, ())
    path = shortest_path(Graph(chart), start, goal)
    return (sol.length_m if sol.found else np.nan), (path.length_m if path is not None else np.nan)


def test_routes_round_a_bay_are_those_found_on_every_corner():
    c = shapely.segmentize(C_SHAPE, 0.1)
    obs = engine.prepare_obstacles([(c, 0.0)])
    for start, goal in [((-5, 5), (15, 6)), ((5, 5), (15, 5)), ((5, 5), (-5, 12)), ((12, 5), (-5, 5))]:
        fast, full = _route_both_ways(obs, np.array(start, float), np.array(goal, float))
        assert fast == pytest.approx(full, rel=1e-7), (start, goal)


def test_the_sea_of_okhotsk_stays_open_through_the_kuril_straits():
    # Bogota - Beijing with Russia and Belarus closed threads a Kuril strait and La Perouse:
    # the region the outline must keep open has several lids
    from routes.inputs.scenarios import Scenario

    obs = scenario_obstacles(Scenario.build("rus-blr", closed_states=["RUS", "BLR"]))
    bog, pek = np.array([-74.1469, 4.70159]), np.array([116.584, 40.0799])
    sol = engine.solve(bog, pek, obs)
    assert sol.found and sol.length_m / 1000 == pytest.approx(15747.37, abs=0.5)
    assert ((sol.lonlat[:, 0] > 150) & (sol.lonlat[:, 1] > 46)).any()  # through a Kuril strait


@st.composite
def bays(draw):
    """A box with two to four notches cut from random sides, and two endpoints nearby."""
    shape = shapely.box(0, 0, 8, 8)
    for _ in range(draw(st.integers(2, 4))):
        side = draw(st.sampled_from("nsew"))
        a = draw(st.floats(0.5, 6.0))
        w = draw(st.floats(0.5, 1.5))
        depth = draw(st.floats(1.0, 6.0))
        notch = {
            "n": shapely.box(a, 8 - depth, a + w, 8.5),
            "s": shapely.box(a, -0.5, a + w, depth),
            "e": shapely.box(8 - depth, a, 8.5, a + w),
            "w": shapely.box(-0.5, a, depth, a + w),
        }[side]
        shape = shape.difference(notch)
    pts = [draw(st.tuples(st.floats(-3, 11), st.floats(-3, 11))) for _ in range(2)]
    return shape, np.array(pts, float)


@settings(
    max_examples=int(os.environ.get("POLAR_ROUTES_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(bays())
def test_property_outline_keeps_the_shortest_route(case):
    shape, ends = case
    obs = engine.prepare_obstacles([(shapely.segmentize(shape, 0.25), 0.0)])
    start, goal = ends
    near = [shape.distance(shapely.Point(p)) < 0.05 for p in (start, goal)]  # inside, or on an edge
    if np.hypot(*(start - goal)) < 0.5 or any(near):
        return
    fast, full = _route_both_ways(obs, start, goal)
    assert np.isnan(fast) == np.isnan(full)
    if not np.isnan(full):
        assert fast == pytest.approx(full, rel=1e-7)  # ties within millimetres may pick other corners
