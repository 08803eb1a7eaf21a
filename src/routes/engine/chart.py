"""A gnomonic chart of the obstacles: the merged pieces within its horizon, their convex corners
and outline (`outline.Outline`), and the visibility test. The visibility graphs built on a chart
(`graph.graph_for`) are kept on it, with its verdicts; this module does not know them.

Pieces are projected once per chart centre and piece (`PieceProjector`), clipped on the sphere
where they reach beyond `CLAMP_ANGLE_DEG`. Visibility is tested on densified WGS84 geodesics, not
on chart segments.
"""

from __future__ import annotations

import time
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry.polygon import orient

from routes import geodesy
from routes.engine.obstacles import VIS_STEP_KM, Obstacles
from routes.engine.outline import Outline

NODE_ANGLE_DEG = 80.0
"""Corners and airports must lie within this angle of the chart centre."""
MIN_TURN = 1e-4
"""Corners turning by less than this (radians, ~0.006 deg) are not graph nodes: they come from
edges split for accuracy, and skipping one can only lengthen a route, never make it unsafe."""
CLAMP_ANGLE_DEG = 85.0
"""Obstacle pieces reaching farther than this from the chart centre are clipped to this cap."""
EPS = 3e-6
"""Chart-unit (Earth radii, ~19 m) tolerance: merge seams outward, test visibility inward."""
COARSE_STEP_KM = 800.0
"""`Chart.visible` first looks for points inside the obstacles this far apart on a geodesic."""
FEW_EDGES = 2
"""`Chart.visible` skips the coarse pass for this many geodesics or fewer (it costs more calls
than it saves)."""


class Chart:
    """Obstacle geometry projected on one gnomonic chart: the merged obstacles (what a route must
    avoid), their outline (where it may turn, `outline.Outline`) and the visibility test.

    Parameters
    ----------
    gno : geodesy.Gnomonic
        The chart.
    geometry : shapely.Geometry
        Merged obstacles in chart coordinates (see `PieceProjector.merged`).
    """

    def __init__(self, gno: geodesy.Gnomonic, geometry: shapely.Geometry) -> None:
        self.gno = gno
        self.geometry = geometry
        self.vis_geometry = self.geometry.buffer(-2 * EPS, join_style="mitre", mitre_limit=5.0)
        shapely.prepare(self.vis_geometry)
        shapely.prepare(self.geometry)
        self.visibility_s = 0.0
        self._outline: Outline | None = None
        self._corners: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.graphs: dict[frozenset, object] = {}
        """The visibility graphs of the queries on this chart, by the set of filled areas of its
        outline that hold their endpoints (kept by `graph.graph_for`)."""
        self._holes: np.ndarray | None = None
        self.verdicts: dict[tuple, bool] = {}
        """Visibility verdicts of this chart's graphs: corner pairs by `corners` index, other
        edges by their end coordinates."""
        self.cleared_legs: set[tuple] = set()
        """Path legs (end coordinates) that passed the solver's chart-free final check."""

    def __setstate__(self, state: dict) -> None:
        """Unpickled (`solve.import_chart`): geometries come back unprepared; prepare them."""
        self.__dict__.update(state)
        for geometry in (self.vis_geometry, self.geometry, self._holes):
            if geometry is not None:
                shapely.prepare(geometry)

    def corners(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Convex corners of the obstacles within `NODE_ANGLE_DEG` and their ring neighbours
        (`convex_corners`, computed once)."""
        if self._corners is None:
            self._corners = convex_corners(self.geometry)
        return self._corners

    def outline(self) -> Outline:
        """Where shortest routes may turn: the obstacles with their closed bays filled
        (`outline.Outline`, computed once)."""
        if self._outline is None:
            self._outline = Outline(self.geometry)
        return self._outline

    def contains_angle(self, lonlat: np.ndarray, angle_deg: float = NODE_ANGLE_DEG) -> np.ndarray:
        """Whether points lie within ``angle_deg`` of the chart centre."""
        xyz = geodesy.to_xyz(lonlat[..., 0], lonlat[..., 1])
        return self.gno.cos_angle(xyz) > np.cos(np.radians(angle_deg))

    def inside(self, lonlat: np.ndarray) -> np.ndarray:
        """Whether points lie inside the (merged) obstacles."""
        xy = self.gno.forward(lonlat)
        return shapely.contains_xy(self.geometry, xy[..., 0], xy[..., 1])

    def geodesic_lines(
        self, a: np.ndarray, b: np.ndarray, step_km: float = VIS_STEP_KM
    ) -> tuple[np.ndarray, np.ndarray]:
        """Chart LineStrings of the WGS84 geodesics a[i] -> b[i] densified every ``step_km``
        (at most 256 pieces), and their lengths (m)."""
        az, _, dist = geodesy.inverse(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        az, dist = np.asarray(az, float), np.asarray(dist, float)
        return self._lines(a, b, az, dist, step_km), dist

    def _lines(self, a: np.ndarray, b: np.ndarray, az: np.ndarray, dist: np.ndarray, step_km: float) -> np.ndarray:
        """Chart LineStrings through points of the geodesics a[i] -> b[i] (azimuth ``az`` at a,
        length ``dist``) at most ``step_km`` apart."""
        lines = np.empty(len(a), dtype=object)
        for sel, xy in self._points(a, b, az, dist, step_km):
            lines[sel] = shapely.linestrings(xy)
        return lines

    def _points(
        self, a: np.ndarray, b: np.ndarray, az: np.ndarray, dist: np.ndarray, step_km: float
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Chart points of the geodesics a[i] -> b[i] at most ``step_km`` apart (at most 257 per
        geodesic), in groups of similar point counts with one `Geod.fwd` call each: a list of
        (indices, (len(indices), n, 2) points)."""
        n_pts = np.clip(np.ceil(dist / (step_km * 1000.0)), 1, 256).astype(int) + 1
        if n_pts.max() <= 2 * n_pts.min() + 8:
            groups = [np.arange(len(a))]
        else:
            buckets = 2 ** np.ceil(np.log2(n_pts)).astype(int) + 1
            groups = [np.flatnonzero(buckets == n) for n in np.unique(buckets)]
        out = []
        for sel in groups:
            n = int(n_pts[sel].max())
            ends = [a[sel][:, None], b[sel][:, None]]
            if n > 2:  # the points between the ends, then all of them projected in one go
                frac = np.linspace(0.0, 1.0, n)[1:-1]
                lo, la, _ = geodesy.GEOD.fwd(
                    np.repeat(a[sel, 0], n - 2),
                    np.repeat(a[sel, 1], n - 2),
                    np.repeat(az[sel], n - 2),
                    np.outer(dist[sel], frac).ravel(),
                )
                ends.insert(1, np.column_stack([lo, la]).reshape(len(sel), n - 2, 2))
            out.append((sel, self.gno.forward(np.concatenate(ends, axis=1))))
        return out

    def visible(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which geodesics a[i] -> b[i] stay clear of the obstacles; also their lengths (m).

        Most blocked geodesics have a point inside an obstacle: points every `COARSE_STEP_KM`
        find most of those by cheap point-in-polygon tests; the others are densified every
        `VIS_STEP_KM`, their points tested, and only then tested segment by segment."""
        if len(a) == 0:
            return np.zeros(0, bool), np.zeros(0)
        t = time.perf_counter()
        az, _, dist = geodesy.inverse(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        az, dist = np.asarray(az, float), np.asarray(dist, float)
        blocked = np.zeros(len(a), dtype=bool)
        todo = np.arange(len(a))
        steps = (COARSE_STEP_KM, VIS_STEP_KM) if len(a) > FEW_EDGES else (VIS_STEP_KM,)
        for step_km in steps:
            rest, lines = [], []
            for sel, xy in self._points(a[todo], b[todo], az[todo], dist[todo], step_km):
                hit = shapely.contains_xy(self.vis_geometry, xy[..., 0], xy[..., 1]).any(axis=1)
                blocked[todo[sel[hit]]] = True
                rest.append(todo[sel[~hit]])
                if step_km == VIS_STEP_KM and not hit.all():
                    lines.append(shapely.linestrings(xy[~hit]))
            todo = np.concatenate(rest)
            if not len(todo):
                break
        if len(todo):
            blocked[todo] = shapely.intersects(np.concatenate(lines), self.vis_geometry)
        self.visibility_s += time.perf_counter() - t
        return ~blocked, dist

    def enclosed(self, a: np.ndarray, b: np.ndarray) -> bool:
        """Whether a and b ((lon, lat) each) lie in different connected parts of the free space:
        one of them inside a hole of the obstacles that the other is not in. Obstacles only
        grow as a query adds pieces, so this proves that no route exists."""
        if self._holes is None:
            polys = [p for p in shapely.get_parts(self.geometry) if p.geom_type == "Polygon"]
            rings = [r for poly in polys for r in poly.interiors]
            self._holes = shapely.polygons(rings) if rings else np.zeros(0, dtype=object)
            shapely.prepare(self._holes)
        if not len(self._holes):
            return False
        xy = self.gno.forward(np.vstack([a, b]))
        inside = shapely.contains_xy(self._holes[:, None], xy[None, :, 0], xy[None, :, 1])
        return bool((inside[:, 0] != inside[:, 1]).any())


def _orientation(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Twice the signed area of (p, q, r); > 0 for a left turn. Broadcasts over rows."""
    return (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])


def convex_corners(geometry: shapely.Geometry) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Convex corners of polygons in a chart within `NODE_ANGLE_DEG` of its centre, with their
    ring neighbours: (corner, previous, next) chart points, (k, 2) each."""
    pts, prev, nxt = [], [], []
    max_r = np.tan(np.radians(NODE_ANGLE_DEG))
    for poly in shapely.get_parts(geometry):
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
    return tuple(np.vstack(x) if x else empty for x in (pts, prev, nxt))  # type: ignore[return-value]


RIM_STEP_DEG = 1.0
"""Azimuth step of the points that follow the cap's rim where a clipped ring runs along it."""


def _cross_cap(p: np.ndarray, q: np.ndarray, center: np.ndarray, cos_max: float) -> np.ndarray:
    """Points where the great-circle arcs p[i] -> q[i] cross the circle {x : x . center = cos_max}
    (p inside, q outside), by bisection on the normalised chord."""
    lo, hi = np.zeros(len(p)), np.ones(len(p))
    for _ in range(48):
        t = (lo + hi) / 2
        x = (1 - t)[:, None] * p + t[:, None] * q
        inside = x @ center >= cos_max * np.linalg.norm(x, axis=1)
        lo, hi = np.where(inside, t, lo), np.where(inside, hi, t)
    x = (1 - lo)[:, None] * p + lo[:, None] * q
    return x / np.linalg.norm(x, axis=1)[:, None]


def _rim_arc(a: np.ndarray, b: np.ndarray, center: np.ndarray, cos_max: float) -> np.ndarray:
    """Points on the cap's rim strictly between a and b (both on it), the short way round."""
    east = a - (a @ center) * center
    east /= np.linalg.norm(east)
    north = np.cross(center, east)
    rel = b - (b @ center) * center
    turn = float(np.arctan2(rel @ north, rel @ east))
    n = int(abs(np.degrees(turn)) // RIM_STEP_DEG)
    if n < 1:
        return np.zeros((0, 3))
    ang = np.linspace(0.0, turn, n + 2)[1:-1]
    sin_max = np.sqrt(1 - cos_max**2)
    return cos_max * center + sin_max * (np.cos(ang)[:, None] * east + np.sin(ang)[:, None] * north)


def clip_to_cap(ring: np.ndarray, center: np.ndarray, max_angle_deg: float) -> np.ndarray:
    """A closed ring of unit vectors (edges read as great-circle arcs) clipped to the cap of
    ``max_angle_deg`` around ``center`` (Sutherland-Hodgman; the cap is convex): unchanged when
    it lies within the cap, with its runs outside replaced by points along the rim (the short
    way round), so the clipped ring covers exactly the part of the ring's region within the cap
    (up to the rim's chords, which lie beyond every turn point of a chart)."""
    cos_max = float(np.cos(np.radians(max_angle_deg)))
    inside = ring @ center >= cos_max
    if inside.all():
        return ring
    if not inside.any():
        return np.zeros((0, 3))
    pts = ring[:-1]
    ins = inside[:-1]
    nxt = np.roll(np.arange(len(pts)), -1)
    out: list[np.ndarray] = []
    exit_pt = None
    first_entry = None
    for i in range(len(pts)):
        j = nxt[i]
        if ins[i]:
            out.append(pts[i][None, :])
            if not ins[j]:
                exit_pt = _cross_cap(pts[i][None, :], pts[j][None, :], center, cos_max)[0]
                out.append(exit_pt[None, :])
        elif ins[j]:
            entry = _cross_cap(pts[j][None, :], pts[i][None, :], center, cos_max)[0]
            if exit_pt is not None:
                out.append(_rim_arc(exit_pt, entry, center, cos_max))
            else:
                first_entry = entry
            out.append(entry[None, :])
    if first_entry is not None and exit_pt is not None:
        out.append(_rim_arc(exit_pt, first_entry, center, cos_max))
    clipped = np.vstack(out)
    return np.vstack([clipped, clipped[:1]])


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
        """The pieces ``ids`` in chart coordinates, each grown by `EPS`; a piece reaching beyond
        `CLAMP_ANGLE_DEG` from the centre is first clipped to that cap on the sphere
        (`clip_to_cap`), so that within the cap it is exact."""
        todo = [int(j) for j in ids if int(j) not in self._grown]
        if todo:
            polys = []
            for j in todo:
                rings = [clip_to_cap(r, self.gno.center, CLAMP_ANGLE_DEG) for r in self.obstacles.rings[j]]
                rings = [self.gno.forward_xyz(r) for r in rings if len(r) >= 4]
                if not rings or len(rings[0]) < 4:
                    polys.append(shapely.Polygon())
                    continue
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
    beyond 75 degrees from the centre (`chart_centers` of one query)."""
    return chart_centers(np.asarray(a, float)[None, :], np.asarray(b, float)[None, :])[0]


def chart_centers(a: np.ndarray, b: np.ndarray) -> list[tuple[float, float]]:
    """`chart_center` of many queries at once: ``a`` and ``b`` are (n, 2) (lon, lat) arrays."""
    a, b = np.asarray(a, float).reshape(-1, 2), np.asarray(b, float).reshape(-1, 2)
    if not len(a):
        return []
    az, _, dist = geodesy.inverse(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    lon_m, lat_m, _ = geodesy.GEOD.fwd(a[:, 0], a[:, 1], np.ravel(az), np.ravel(dist) / 2.0)
    lon_m, lat_m = np.asarray(lon_m, float), np.asarray(lat_m, float)
    lat_s = np.clip(np.round(lat_m / 10.0) * 10.0, -90, 90)
    pole = np.abs(lat_s) >= 90
    step = 360.0 / np.maximum(1, (36 * np.cos(np.radians(np.where(pole, 0.0, lat_s)))).astype(int))
    lon_s = np.where(pole, 0.0, (np.round(lon_m / step) * step + 180.0) % 360.0 - 180.0)
    center = geodesy.to_xyz(lon_s, lat_s)
    near = np.cos(np.radians(75.0))
    snap = ((geodesy.to_xyz(a[:, 0], a[:, 1]) * center).sum(axis=1) > near) & (
        (geodesy.to_xyz(b[:, 0], b[:, 1]) * center).sum(axis=1) > near
    )
    return [
        (float(lon_s[i]), float(lat_s[i])) if snap[i] else (round(float(lon_m[i]), 3), round(float(lat_m[i]), 3))
        for i in range(len(a))
    ]


def chart_key(start: np.ndarray, goal: np.ndarray) -> tuple[float, float]:
    """The chart a query from ``start`` to ``goal`` ((lon, lat) each) is solved on: queries with
    the same key share one chart, its outline and its visibility verdicts (batch them together).

    Examples
    --------
    >>> chart_key(np.array([37.4146, 55.9726]), np.array([-118.408, 33.9425]))  # SVO - LAX
    (-90.0, 70.0)
    """
    return chart_center(np.asarray(start, float), np.asarray(goal, float))


def chart_keys(starts: np.ndarray, goals: np.ndarray) -> list[tuple[float, float]]:
    """`chart_key` of many queries at once (``starts`` and ``goals``: (n, 2) (lon, lat) arrays),
    ~40x faster than one by one and the same keys."""
    return chart_centers(starts, goals)


@lru_cache(maxsize=64)
def projector_for(obstacles: Obstacles, lon0: float, lat0: float) -> PieceProjector:
    """The cached `PieceProjector` of ``obstacles`` on the chart centred at (lon0, lat0)."""
    return PieceProjector(obstacles, geodesy.Gnomonic(lon0=lon0, lat0=lat0))
