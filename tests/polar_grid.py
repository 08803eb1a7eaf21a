"""An independent fine grid for the engine's cross-checks (`tests/engine/test_grid_crosscheck.py`, the shortest
route, and `tests/test_mintime.py`, the minimum-time route): cells of a north-polar azimuthal-equidistant plane
round two airports, the cells near a scenario's routing obstacles blocked, and the moves between open cells.

Each test weights the moves itself (geodesic length, or time in a wind) and runs scipy's Dijkstra.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer

from routes.inputs import airspace
from routes.inputs.airports import Airport
from routes.inputs.scenarios import get_scenario

POLAR_AEQD = "+proj=aeqd +lat_0=90 +lon_0=0 +datum=WGS84"
PAD_M = 1_500_000.0
"""Room round the two airports' bounding box."""


def moves(reach: int) -> list[tuple[int, int]]:
    """The moves to cells at most ``reach`` cells away in x and y, one per direction (``reach`` 2: 16-connected,
    3: 32-connected)."""
    span = range(-reach, reach + 1)
    return [(dx, dy) for dx in span for dy in span if (dx, dy) != (0, 0) and np.gcd(abs(dx), abs(dy)) == 1]


@dataclass(frozen=True)
class PolarGrid:
    """Open moves of the grid: ``rows[i] -> cols[i]`` (cell indices), the cells' ``lon``, ``lat``, and the
    cells nearest the two airports (``start``, ``goal``)."""

    lon: np.ndarray
    lat: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    start: int
    goal: int

    @property
    def size(self) -> int:
        return len(self.lon)


def polar_grid(
    a: Airport, b: Airport, scenario: str, cell_m: float, reach: int, inside_buffer_deg: float = 0.0
) -> PolarGrid:
    """The grid between ``a`` and ``b``: a cell is blocked when its centre lies inside the scenario's closed
    routing states (grown by ``inside_buffer_deg`` degrees) or within 1.5 cells of them in the plane."""
    fwd = Transformer.from_crs("EPSG:4326", POLAR_AEQD, always_xy=True)
    inv = Transformer.from_crs(POLAR_AEQD, "EPSG:4326", always_xy=True)
    ax, ay = fwd.transform(a.lon, a.lat)
    bx, by = fwd.transform(b.lon, b.lat)
    xs = np.arange(min(ax, bx) - PAD_M, max(ax, bx) + PAD_M, cell_m)
    ys = np.arange(min(ay, by) - PAD_M, max(ay, by) + PAD_M, cell_m)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    lon, lat = (np.asarray(v) for v in inv.transform(gx.ravel(), gy.ravel()))
    codes = sorted(get_scenario(scenario).closed_states)
    closed = shapely.union_all(airspace.states("routing").loc[codes].geometry.values)
    inside = closed.buffer(inside_buffer_deg) if inside_buffer_deg else closed
    blocked = shapely.contains_xy(inside, lon, lat)
    proj_closed = shapely.transform(shapely.segmentize(closed, 0.2), lambda xy: np.column_stack(fwd.transform(*xy.T)))
    shapely.prepare(proj_closed)  # the same predicate, ~20x faster over the ~10^5 cell centres
    blocked |= shapely.dwithin(proj_closed, shapely.points(gx.ravel(), gy.ravel()), cell_m * 1.5)
    nx, ny = gx.shape
    idx = np.arange(nx * ny).reshape(nx, ny)
    rows, cols = [], []
    for dx, dy in moves(reach):
        src = idx[max(0, -dx) : nx - max(0, dx), max(0, -dy) : ny - max(0, dy)].ravel()
        dst = idx[max(0, dx) : nx + min(0, dx) or None, max(0, dy) : ny + min(0, dy) or None].ravel()
        keep = ~blocked[src] & ~blocked[dst]
        rows.append(src[keep])
        cols.append(dst[keep])
    start = int(np.argmin(np.hypot(gx - ax, gy - ay)))
    goal = int(np.argmin(np.hypot(gx - bx, gy - by)))
    return PolarGrid(lon, lat, np.concatenate(rows), np.concatenate(cols), start, goal)
