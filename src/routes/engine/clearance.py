"""Fast clearance tests of many geodesic legs on one chart, for the minimum-time search.

The shortest-path search tests few legs, between corners, with the chart's visibility test. The
minimum-time search (`fastest`) tests tens of thousands of lattice legs and pattern-search moves,
mostly far from the obstacles; `Clearance` answers those cheaply and exactly as safely:

* legs far from every obstacle (on the chart, the two ends' distances to the obstacles add up to
  more than the leg) are clear without further test;
* other legs between points off the boundary are blocked iff their densified geodesic meets a
  boundary segment of the chart's obstacles (a superset of the visibility geometry: as safe);
* legs from corners (points within `NEAR_BOUNDARY_KM` of the obstacles) or from the query's
  endpoints use the chart's own visibility test (`Chart.visible`).

The band rule (`solve.BandRule`) is not applied here: legs from an endpoint inside the margin band
are tested strictly, so the search is conservative there. A path that would replace the shortest
one is checked once more, leg by leg, with the chart-free `obstacles.legs_clear` (`path_clear`).
"""

from __future__ import annotations

import numpy as np
import shapely

from routes import geodesy
from routes.engine.chart import NODE_ANGLE_DEG, Chart
from routes.engine.obstacles import Obstacles, legs_clear

EARTH_KM = geodesy.EARTH_RADIUS_M / 1000.0
"""Chart units (Earth radii) to km, for distances on the chart (never for route lengths)."""
LEG_TOLERANCE_M = 20.0
"""Final check of a minimum-time path: obstacles shrunk by this much (the charts' own visibility
tolerance, ~19 m), so legs touching a corner count as clear."""
NEAR_BOUNDARY_KM = 0.5
"""Legs from points this close to the obstacles (corners) use the chart's visibility test."""
DISTANCE_CAP_KM = 400.0
"""Obstacle distances are looked up to this range (farther counts as this far: conservative)."""
CLEAR_TOL_KM = 2.0
"""Geodesic-vs-chart-line allowance in the fast test (the far-from-obstacle shortcut)."""


class Clearance:
    """Whether geodesic legs near one query avoid the obstacles.

    Parameters
    ----------
    obstacles : Obstacles
        The prepared obstacles (for the chart-free final check).
    chart : Chart
        The query's chart of those obstacles (without band-rule zones).
    start, goal : ndarray
        The query's endpoints ((lon, lat) degrees): legs from them use the chart's own test.
    """

    def __init__(self, obstacles: Obstacles, chart: Chart, start: np.ndarray, goal: np.ndarray) -> None:
        self.obstacles, self.chart = obstacles, chart
        self.start, self.goal = start, goal
        self.tree: shapely.STRtree = _edge_tree(chart.geometry)
        self.slow_tests = 0
        """Legs that needed more than the distance shortcut."""

    def path_clear(self, path: np.ndarray) -> bool:
        """Independent of the chart: every leg of ``path`` clear by the chart-free test
        (`obstacles.legs_clear`, strict apart from `LEG_TOLERANCE_M`)."""
        return bool(legs_clear(self.obstacles, path[:-1], path[1:], tolerance_m=LEG_TOLERANCE_M).all())

    def usable(self, lonlat: np.ndarray) -> np.ndarray:
        """Points the chart can use as nodes: within its angle limit and outside the obstacles."""
        ok = self.chart.contains_angle(lonlat, NODE_ANGLE_DEG)
        ok[ok] = ~self.chart.inside(lonlat[ok])
        return ok

    def distance(self, lonlat: np.ndarray) -> np.ndarray:
        """Chart distance (Earth radii) of points to the obstacle boundaries (at most
        `DISTANCE_CAP_KM`), 0 inside."""
        cap = DISTANCE_CAP_KM / EARTH_KM
        if len(self.tree) == 0:
            return np.full(len(lonlat), cap)
        xy = self.chart.gno.forward(lonlat)
        idx, dist = self.tree.query_nearest(
            shapely.points(xy), max_distance=cap, return_distance=True, all_matches=False
        )
        out = np.full(len(lonlat), cap)
        out[idx[0]] = dist
        out[self.chart.inside(lonlat)] = 0.0
        return out

    def distance_km(self, lonlat: np.ndarray) -> np.ndarray:
        """`distance` in km (on the chart, at most `DISTANCE_CAP_KM`)."""
        return self.distance(lonlat) * EARTH_KM

    def clear(self, a: np.ndarray, b: np.ndarray, dist_a: np.ndarray | None = None) -> np.ndarray:
        """Whether each geodesic a[i] -> b[i] ((lon, lat) rows) avoids the obstacles
        (``dist_a``: `distance` of ``a`` when the caller has it)."""
        if len(a) == 0:
            return np.zeros(0, bool)
        da = self.distance(a) if dist_a is None else dist_a
        db = self.distance(b)
        xa, xb = self.chart.gno.forward(a), self.chart.gno.forward(b)
        chord = np.hypot(*(xb - xa).T)
        ok = (da > 0) & (db > 0) & (da + db > chord + CLEAR_TOL_KM / EARTH_KM)
        slow = np.flatnonzero(~ok)
        self.slow_tests += len(slow)
        mid = self._off_boundary(slow, a, b, da, db)
        if len(mid):
            lines, _ = self.chart.geodesic_lines(a[mid], b[mid])
            hit = self.tree.query(lines, predicate="intersects")[0]
            ok[mid] = True
            ok[mid[np.unique(hit)]] = False
        slow = np.setdiff1d(slow, mid)
        if len(slow):
            ok[slow] = self.chart.visible(a[slow], b[slow])[0]
        return ok

    def _off_boundary(
        self, legs: np.ndarray, a: np.ndarray, b: np.ndarray, da: np.ndarray, db: np.ndarray
    ) -> np.ndarray:
        """The ``legs`` whose ends are both off the boundary and neither is an endpoint of the
        query: blocked iff their densified geodesic meets a boundary segment."""
        near = NEAR_BOUNDARY_KM / EARTH_KM
        mid = legs[(da[legs] > near) & (db[legs] > near)]
        at_ends = np.zeros(len(mid), bool)
        for end in (self.start, self.goal):
            at_ends |= np.all(a[mid] == end, axis=1) | np.all(b[mid] == end, axis=1)
        return mid[~at_ends]


def _edge_tree(geometry: shapely.Geometry) -> shapely.STRtree:
    """STRtree of the obstacle boundary's segments (chart coordinates)."""
    rings = shapely.get_parts(shapely.boundary(geometry)) if not geometry.is_empty else []
    segs = []
    for ring in rings:
        xy = shapely.get_coordinates(ring)
        if len(xy) >= 2:
            segs.append(np.stack([xy[:-1], xy[1:]], axis=1))
    lines = shapely.linestrings(np.concatenate(segs)) if segs else np.array([], dtype=object)
    return shapely.STRtree(lines)
