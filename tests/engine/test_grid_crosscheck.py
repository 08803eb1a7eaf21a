"""Cross-check the engine's optimum with an independent fine-grid search on the real data.

A 16-connected grid of ~25 km cells in a north-polar azimuthal-equidistant plane; cells within
one cell of the routing obstacles are blocked; edge weights are WGS84 geodesic lengths; scipy's
Dijkstra finds the grid optimum. A grid path is a feasible but slightly longer path (16
directions leave ~1 % of excess), so the engine must be no longer than the grid and within a few
percent of it; a worse homotopy choice by the engine would fail the first test.
"""

import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

import routes
from polar_grid import polar_grid
from routes import geodesy
from routes.inputs.airports import get_airport

CELL_M = 25_000.0


def grid_length_km(origin: str, dest: str, scenario: str) -> float:
    a, b = get_airport(origin), get_airport(dest)
    g = polar_grid(a, b, scenario, CELL_M, reach=2, inside_buffer_deg=0.3)  # 16-connected
    w = geodesy.distance_m(g.lon[g.rows], g.lat[g.rows], g.lon[g.cols], g.lat[g.cols])
    graph = coo_matrix((w, (g.rows, g.cols)), shape=(g.size, g.size)).tocsr()
    dist = dijkstra(graph, indices=g.start)[g.goal]
    snap = geodesy.distance_m(a.lon, a.lat, g.lon[g.start], g.lat[g.start]) + geodesy.distance_m(
        b.lon, b.lat, g.lon[g.goal], g.lat[g.goal]
    )
    return float(dist + snap) / 1000.0


@pytest.mark.parametrize(
    ("origin", "dest", "scenario"),
    [("SVO", "SEA", "europe-closed"), ("SVO", "SFO", "europe-canada-closed")],
)
def test_engine_is_no_longer_than_a_fine_grid_path(origin, dest, scenario):
    engine_km = routes.route(origin, dest, scenario).distance_km
    grid_km = grid_length_km(origin, dest, scenario)
    assert engine_km <= grid_km * 1.0005
    assert grid_km <= engine_km * 1.03
