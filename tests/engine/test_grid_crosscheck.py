"""Cross-check the engine's optimum with an independent fine-grid search on the real data.

A 16-connected grid of ~25 km cells in a north-polar azimuthal-equidistant plane; cells within
one cell of the routing obstacles are blocked; edge weights are WGS84 geodesic lengths; scipy's
Dijkstra finds the grid optimum. A grid path is a feasible but slightly longer path (16
directions leave ~1 % of excess), so the engine must be no longer than the grid and within a few
percent of it; a worse homotopy choice by the engine would fail the first test.
"""

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

import routes
from routes import geodesy
from routes.inputs import airspace
from routes.inputs.airports import get_airport
from routes.inputs.scenarios import get_scenario

CELL_M = 25_000.0
MOVES = [(dx, dy) for dx in range(-2, 3) for dy in range(-2, 3) if (dx, dy) != (0, 0) and np.gcd(abs(dx), abs(dy)) == 1]


def grid_length_km(origin: str, dest: str, scenario: str) -> float:
    a, b = get_airport(origin), get_airport(dest)
    fwd = Transformer.from_crs("EPSG:4326", "+proj=aeqd +lat_0=90 +lon_0=0 +datum=WGS84", always_xy=True)
    inv = Transformer.from_crs("+proj=aeqd +lat_0=90 +lon_0=0 +datum=WGS84", "EPSG:4326", always_xy=True)
    ax, ay = fwd.transform(a.lon, a.lat)
    bx, by = fwd.transform(b.lon, b.lat)
    pad = 1_500_000.0
    xs = np.arange(min(ax, bx) - pad, max(ax, bx) + pad, CELL_M)
    ys = np.arange(min(ay, by) - pad, max(ay, by) + pad, CELL_M)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    lon, lat = inv.transform(gx.ravel(), gy.ravel())
    codes = get_scenario(scenario).closed_states
    closed = shapely.union_all(airspace.states("routing").loc[sorted(codes)].geometry.values)
    # blocked: cell centre inside, or within about one cell of, the routing obstacles
    blocked = shapely.contains_xy(closed.buffer(0.3), np.asarray(lon), np.asarray(lat))
    proj_closed = shapely.transform(shapely.segmentize(closed, 0.2), lambda xy: np.column_stack(fwd.transform(*xy.T)))
    shapely.prepare(proj_closed)  # the same predicate, ~20x faster over the ~10^5 cell centres
    blocked |= shapely.dwithin(proj_closed, shapely.points(gx.ravel(), gy.ravel()), CELL_M * 1.5)
    nx, ny = gx.shape
    idx = np.arange(nx * ny).reshape(nx, ny)
    rows, cols = [], []
    for dx, dy in MOVES:
        src = idx[max(0, -dx) : nx - max(0, dx), max(0, -dy) : ny - max(0, dy)].ravel()
        dst = idx[max(0, dx) : nx + min(0, dx) or None, max(0, dy) : ny + min(0, dy) or None].ravel()
        keep = ~blocked[src] & ~blocked[dst]
        rows.append(src[keep])
        cols.append(dst[keep])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    lon, lat = np.asarray(lon), np.asarray(lat)
    w = geodesy.distance_m(lon[rows], lat[rows], lon[cols], lat[cols])
    graph = coo_matrix((w, (rows, cols)), shape=(nx * ny, nx * ny)).tocsr()
    start = int(np.argmin(np.hypot(gx - ax, gy - ay)))
    goal = int(np.argmin(np.hypot(gx - bx, gy - by)))
    dist = dijkstra(graph, indices=start)[goal]
    snap = geodesy.distance_m(a.lon, a.lat, lon[start], lat[start]) + geodesy.distance_m(
        b.lon, b.lat, lon[goal], lat[goal]
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
