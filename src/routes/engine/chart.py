"""A gnomonic chart of the obstacles: merged polygons, convex corners (graph nodes), visibility.

In a gnomonic chart great circles are straight lines, so a corner that is convex on the sphere is
convex in the chart and "which side of a line" is the same; the tangency pruning and convexity
tests are exact. Visibility itself is tested on densified WGS84 geodesics, not on chart segments.
"""

from __future__ import annotations

import time
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry.polygon import orient

from routes import geodesy
from routes.engine.obstacles import VIS_STEP_KM, Obstacles

CLAMP_ANGLE_DEG = 85.0
"""Obstacle vertices farther than this from the chart centre are pulled onto this circle."""
NODE_ANGLE_DEG = 80.0
"""Corners and airports must lie within this angle of the chart centre."""
EPS = 3e-6
"""Chart-unit (Earth radii, ~19 m) tolerance: merge seams outward, test visibility inward."""
COLLINEAR = 1e-6
"""Sine below which three chart points count as collinear in the tangency test."""
MIN_TURN = 1e-4
"""Corners turning by less than this (radians, ~0.006 deg) are not graph nodes: they come from
edges split for accuracy, and skipping one can only lengthen a route, never make it unsafe."""


def _unproject(gno: geodesy.Gnomonic, xy: np.ndarray) -> np.ndarray:
    xyz = gno.center + xy[:, :1] * gno.east + xy[:, 1:2] * gno.north
    return geodesy.to_lonlat(xyz)


def _orientation(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Twice the signed area of (p, q, r); > 0 for a left turn. Broadcasts over rows."""
    return (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])


def _side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Side of r relative to the line p -> q: +1 left, -1 right, 0 within `COLLINEAR` (sine of
    the angle at q between q->p and q->r), so nearly collinear ring points count as on the line."""
    o = _orientation(p, q, r)
    norm = np.linalg.norm(q - p, axis=-1) * np.linalg.norm(r - q, axis=-1)
    sine = o / np.maximum(norm, 1e-300)
    return np.where(np.abs(sine) < COLLINEAR, 0, np.sign(sine))


def _touches(origin: np.ndarray, corner: np.ndarray, prev: np.ndarray, nxt: np.ndarray) -> np.ndarray:
    """Whether the line origin -> corner only touches the corner: its ring neighbours lie on one
    side of the line (or on it). Broadcasts over rows."""
    return _side(origin, corner, prev) * _side(origin, corner, nxt) >= 0


class Chart:
    """Obstacle geometry projected on one gnomonic chart, with convex corners and a lazy
    visibility graph.

    Parameters
    ----------
    gno : geodesy.Gnomonic
        The chart.
    geometry : shapely.Geometry
        Merged obstacles in chart coordinates (see `merged_pieces`).
    """

    def __init__(self, gno: geodesy.Gnomonic, geometry: shapely.Geometry) -> None:
        self.gno = gno
        self.geometry = geometry
        self.vis_geometry = self.geometry.buffer(-2 * EPS, join_style="mitre", mitre_limit=5.0)
        shapely.prepare(self.vis_geometry)
        shapely.prepare(self.geometry)
        self._nodes()
        self._candidates: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._visible: dict[tuple, bool] = {}
        self.visibility_s = 0.0

    def _nodes(self) -> None:
        pts, prev, nxt = [], [], []
        max_r = np.tan(np.radians(NODE_ANGLE_DEG))
        for poly in shapely.get_parts(self.geometry):
            if poly.geom_type != "Polygon":
                continue
            poly = orient(poly, 1.0)  # exterior CCW, holes CW: obstacle on the left of every ring
            for ring in [poly.exterior, *poly.interiors]:
                xy = np.asarray(ring.coords)[:-1]
                if len(xy) < 3:
                    continue
                p, n = np.roll(xy, 1, axis=0), np.roll(xy, -1, axis=0)
                turn = _orientation(p, xy, n)
                scale = np.linalg.norm(xy - p, axis=1) * np.linalg.norm(n - xy, axis=1)
                convex = (turn > MIN_TURN * scale) & (np.hypot(xy[:, 0], xy[:, 1]) < max_r)
                pts.append(xy[convex])
                prev.append(p[convex])
                nxt.append(n[convex])
        empty = np.zeros((0, 2))
        self.node_xy = np.vstack(pts) if pts else empty
        self.node_prev = np.vstack(prev) if prev else empty
        self.node_next = np.vstack(nxt) if nxt else empty
        self.node_lonlat = _unproject(self.gno, self.node_xy) if len(self.node_xy) else empty

    # --- queries --------------------------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        """Number of convex corners usable as turn points."""
        return len(self.node_xy)

    def contains_angle(self, lonlat: np.ndarray, angle_deg: float = NODE_ANGLE_DEG) -> np.ndarray:
        """Whether points lie within ``angle_deg`` of the chart centre."""
        xyz = geodesy.to_xyz(lonlat[..., 0], lonlat[..., 1])
        return self.gno.cos_angle(xyz) > np.cos(np.radians(angle_deg))

    def inside(self, lonlat: np.ndarray) -> np.ndarray:
        """Whether points lie inside the (merged) obstacles."""
        xy = self.gno.forward(lonlat)
        return shapely.contains_xy(self.geometry, xy[..., 0], xy[..., 1])

    def geodesic_lines(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Chart LineStrings of the densified WGS84 geodesics a[i] -> b[i], and their lengths (m)."""
        dist = geodesy.distance_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        n_pts = np.clip(np.ceil(dist / (VIS_STEP_KM * 1000.0)), 1, 256).astype(int) + 1
        buckets = 2 ** np.ceil(np.log2(n_pts)).astype(int) + 1
        lines = np.empty(len(a), dtype=object)
        for n in np.unique(buckets):
            sel = np.flatnonzero(buckets == n)
            pts = geodesy.densify_many(a[sel, 0], a[sel, 1], b[sel, 0], b[sel, 1], int(n))
            xy = self.gno.forward(pts)
            lines[sel] = shapely.linestrings(xy)
        return lines, dist

    def visible(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which geodesics a[i] -> b[i] stay clear of the obstacles; also their lengths (m)."""
        if len(a) == 0:
            return np.zeros(0, bool), np.zeros(0)
        t = time.perf_counter()
        lines, dist = self.geodesic_lines(a, b)
        # most blocked geodesics have a point inside an obstacle: find those by cheap
        # point-in-polygon tests, and test only the others segment by segment
        xy, idx = shapely.get_coordinates(lines, return_index=True)
        blocked = np.zeros(len(lines), dtype=bool)
        np.logical_or.at(blocked, idx, shapely.contains_xy(self.vis_geometry, xy[:, 0], xy[:, 1]))
        rest = ~blocked
        if rest.any():
            blocked[rest] = shapely.intersects(lines[rest], self.vis_geometry)
        self.visibility_s += time.perf_counter() - t
        return ~blocked, dist

    def tangent_mask(self, origin_xy: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """Candidates (node indices) whose corner the line origin -> node only touches."""
        return _touches(origin_xy, self.node_xy[cand], self.node_prev[cand], self.node_next[cand])

    def candidates(self, u: int) -> tuple[np.ndarray, np.ndarray]:
        """Corners that could follow corner ``u`` on a shortest path (cached): the line u -> v
        only touches the obstacle at both u and v. Returns their indices and lengths (m);
        visibility is not tested here."""
        if u in self._candidates:
            return self._candidates[u]
        cand = np.delete(np.arange(self.n_nodes), u)
        keep = self.tangent_mask(self.node_xy[u], cand) & self.tangent_at(u, self.node_xy[cand])
        cand = cand[keep]
        lon, lat = self.node_lonlat[u]
        dist = geodesy.distance_m(lon, lat, self.node_lonlat[cand, 0], self.node_lonlat[cand, 1])
        self._candidates[u] = (cand, dist)
        return self._candidates[u]

    def tangent_at(self, u: int, others_xy: np.ndarray) -> np.ndarray:
        """Whether lines from each point of ``others_xy`` to corner ``u`` only touch ``u``."""
        return _touches(others_xy, self.node_xy[u], self.node_prev[u], self.node_next[u])

    def point_edge_visible(self, a: np.ndarray, b: np.ndarray) -> bool:
        """Whether the geodesic a -> b ((lon, lat) each) is clear; verdicts are cached per chart."""
        key = (*a.tolist(), *b.tolist())
        verdict = self._visible.get(key)
        if verdict is None:
            if len(self._visible) > 500_000:
                self._visible.clear()
            ok, _ = self.visible(a[None, :], b[None, :])
            verdict = self._visible[key] = bool(ok[0])
        return verdict

    def prefetch(self, a: np.ndarray, b: np.ndarray, keys: list) -> None:
        """Test several edges in one batch (``keys`` as in `point_edge_visible`/`edge_visible`)."""
        todo = [i for i, k in enumerate(keys) if k not in self._visible]
        if len(todo) > 1:
            ok, _ = self.visible(a[todo], b[todo])
            self._visible.update(zip([keys[i] for i in todo], ok.tolist(), strict=True))

    def edge_visible(self, u: int, v: int) -> bool:
        """Whether the geodesic between corners u and v is clear (cached verdict)."""
        key = (u, v) if u < v else (v, u)
        verdict = self._visible.get(key)
        if verdict is None:
            ok, _ = self.visible(self.node_lonlat[[u]], self.node_lonlat[[v]])
            verdict = self._visible[key] = bool(ok[0])
        return verdict

    def enclosed(self, a: np.ndarray, b: np.ndarray) -> bool:
        """Whether a and b ((lon, lat) each) lie in different connected parts of the free space:
        one of them inside a hole of the obstacles that the other is not in. Obstacles only
        grow as a query adds pieces, so this proves that no route exists."""
        xy = self.gno.forward(np.vstack([a, b]))
        for poly in shapely.get_parts(self.geometry):
            if poly.geom_type != "Polygon" or not len(poly.interiors):
                continue
            holes = shapely.polygons(list(poly.interiors))
            ina = shapely.contains_xy(holes, xy[0, 0], xy[0, 1])
            inb = shapely.contains_xy(holes, xy[1, 0], xy[1, 1])
            if (ina != inb).any():
                return True
        return False


class PieceProjector:
    """Pieces of one `Obstacles` projected on one chart and grown by `EPS`, cached per piece,
    so that a new query on a known chart projects only the pieces it has not seen yet."""

    def __init__(self, obstacles: Obstacles, gno: geodesy.Gnomonic) -> None:
        self.obstacles, self.gno = obstacles, gno
        self._grown: dict[int, shapely.Geometry] = {}

    def horizon(self) -> np.ndarray:
        """Indices of the pieces that come within `CLAMP_ANGLE_DEG` of the chart centre."""
        ob = self.obstacles
        if not ob.n_pieces:
            return np.zeros(0, int)
        ang = np.arccos(np.clip(ob.centers @ self.gno.center, -1.0, 1.0)) - ob.radii
        return np.flatnonzero(ang < np.radians(CLAMP_ANGLE_DEG))

    def grown(self, ids: np.ndarray) -> list[shapely.Geometry]:
        """The pieces ``ids`` in chart coordinates, each grown by `EPS` (vertices farther than
        `CLAMP_ANGLE_DEG` from the centre pulled onto that circle; pieces are small, so this
        only touches the chart's rim, beyond every turn point)."""
        todo = [int(j) for j in ids if int(j) not in self._grown]
        if todo:
            polys = []
            for j in todo:
                rings = [self.gno.forward_xyz(self.gno.clamp_xyz(r, CLAMP_ANGLE_DEG)) for r in self.obstacles.rings[j]]
                polys.append(shapely.make_valid(shapely.Polygon(rings[0], rings[1:])))
            grown = shapely.buffer(polys, EPS, join_style="mitre", mitre_limit=5.0)
            self._grown.update(zip(todo, grown, strict=True))
        return [self._grown[int(j)] for j in ids]

    def merged(self, ids: np.ndarray) -> shapely.Geometry:
        """Union of the pieces ``ids`` in chart coordinates."""
        if not len(ids):
            return shapely.Polygon()
        return shapely.make_valid(shapely.union_all(self.grown(ids)))


def chart_center(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """A chart centre for a query a -> b ((lon, lat) each): the geodesic midpoint snapped to a
    10-degree grid so that nearby queries share a chart, unless snapping moves an endpoint
    beyond 75 degrees from the centre."""
    az, _, dist = geodesy.inverse(a[0], a[1], b[0], b[1])
    lon_m, lat_m, _ = geodesy.GEOD.fwd(a[0], a[1], float(az), float(dist) / 2.0)
    lat_s = float(np.clip(np.round(lat_m / 10.0) * 10.0, -90, 90))
    if abs(lat_s) >= 90:
        lon_s = 0.0
    else:
        step = 360.0 / max(1, int(36 * np.cos(np.radians(lat_s))))
        lon_s = float((np.round(lon_m / step) * step + 180.0) % 360.0 - 180.0)
    pts = geodesy.to_xyz(np.array([a[0], b[0]]), np.array([a[1], b[1]]))
    if (pts @ geodesy.to_xyz(lon_s, lat_s) > np.cos(np.radians(75.0))).all():
        return lon_s, lat_s
    return round(float(lon_m), 3), round(float(lat_m), 3)


@lru_cache(maxsize=64)
def projector_for(obstacles: Obstacles, lon0: float, lat0: float) -> PieceProjector:
    """The cached `PieceProjector` of ``obstacles`` on the chart centred at (lon0, lat0)."""
    return PieceProjector(obstacles, geodesy.Gnomonic(lon0=lon0, lat0=lat0))
