"""Prepared obstacles: closed polygons expanded by a margin, cut into small pieces on the sphere.

The engine knows nothing of scenarios or files: `prepare_obstacles` takes plain lon/lat polygons,
each with the ground distance it must be expanded by, and open corridors to carve out. Each part
is buffered in its own azimuthal-equidistant (AEQD) projection (the buffer distance scaled up by
the projection's largest transverse scale, and by the chord factor of the buffer's arcs, so the
ground margin is never less than asked), corridors are cut out there, and the result is tiled by
a square grid of `TILE_KM` cells. Every piece is stored as rings of 3-D unit vectors (no
antimeridian or pole singularity) with its bounding cap (centre, angular radius), so a query
touches only the pieces near it: `legs_clear` (no chart) and the charts in `chart.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely

from routes import geodesy

EARTH_RADIUS_M = geodesy.EARTH_RADIUS_M
"""Radius of the sphere on which the engine reasons about angles (never about lengths)."""
QUAD_SEGS = 3
"""Segments per quarter circle in margin buffers."""
EXTRA_SEGMENT_DEG = 0.1
"""User polygons' lon/lat edges are densified to this step before projection."""
TILE_KM = 1500.0
"""Side of the AEQD grid cells that cut large parts into pieces (pieces span <= ~15 degrees)."""
VIS_STEP_KM = 100.0
"""Spacing of points on a geodesic when testing it against the obstacles."""


@dataclass(frozen=True, eq=False)
class Obstacles:
    """Closed airspace expanded by a margin, as small pieces of unit-vector rings.

    Attributes
    ----------
    rings : tuple of tuple of ndarray
        One entry per piece: exterior ring then holes, each an (n, 3) unit-vector array
        (closed: first vertex repeated at the end).
    centers : ndarray
        (m, 3) unit vector of each piece's bounding cap.
    radii : ndarray
        (m,) angular radius (radians) of each piece's bounding cap: every vertex lies within it.
    """

    rings: tuple[tuple[np.ndarray, ...], ...]
    centers: np.ndarray
    radii: np.ndarray
    _frames: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_pieces(self) -> int:
        """Number of pieces."""
        return len(self.rings)

    def near(self, xyz: np.ndarray, reach_rad: float) -> np.ndarray:
        """Indices of pieces whose cap comes within ``reach_rad`` of any of the points ``xyz``."""
        if not self.n_pieces or len(xyz) == 0:
            return np.zeros(0, int)
        cos_d = np.clip(xyz @ self.centers.T, -1.0, 1.0)  # (n, m)
        limit = np.cos(np.minimum(self.radii + reach_rad, np.pi))
        return np.flatnonzero((cos_d >= limit[None, :]).any(axis=0))

    def piece_frame(self, j: int, shrink_m: float = 0.0) -> tuple[geodesy.Gnomonic, shapely.Geometry]:
        """Piece ``j`` in a gnomonic chart centred on its cap (prepared, cached), optionally
        shrunk by ``shrink_m`` (chart units at the centre: metres / `EARTH_RADIUS_M`)."""
        key = (j, shrink_m)
        if key not in self._frames:
            lon, lat = geodesy.to_lonlat(self.centers[j])
            gno = geodesy.Gnomonic(lon0=float(lon), lat0=float(lat))
            rings = [gno.forward_xyz(r) for r in self.rings[j]]
            poly = shapely.make_valid(shapely.Polygon(rings[0], rings[1:]))
            if shrink_m > 0:
                poly = poly.buffer(-shrink_m / EARTH_RADIUS_M, join_style="mitre", mitre_limit=5.0)
            shapely.prepare(poly)
            self._frames[key] = (gno, poly)
        return self._frames[key]


def _max_transverse_scale(xy: np.ndarray) -> float:
    """Largest transverse scale factor of an AEQD map over the points (capped near the antipode)."""
    radius_m = min(float(np.hypot(xy[:, 0], xy[:, 1]).max()), 3.0 * EARTH_RADIUS_M)
    return float(geodesy.aeqd_transverse_scale(radius_m))


def _projection_center(exterior: np.ndarray) -> tuple[float, float]:
    """The part's mean direction snapped to a 5-degree grid, so nearby parts share a projection
    (creating a pyproj Transformer costs ~6 ms); the scale correction absorbs the offset."""
    lon, lat = geodesy.mean_direction(exterior)
    return float(np.round(lon / 5.0) * 5.0), float(np.round(lat / 5.0) * 5.0)


def _cap(xyz: np.ndarray) -> tuple[np.ndarray, float]:
    """Centre and angular radius (radians) of a cap holding all unit vectors ``xyz``."""
    c = xyz.mean(axis=0)
    norm = np.linalg.norm(c)
    c = c / norm if norm > 1e-9 else xyz[0]
    return c, float(np.arccos(np.clip(xyz @ c, -1.0, 1.0)).max()) + 1e-9


def _reach_box(part: shapely.Polygon, reach_m: float) -> list[tuple[shapely.Polygon, float]]:
    """Lon/lat boxes (with the shift that brings them back next to ``part``) around the part,
    ``reach_m`` wider on every side: where corridors can meet the buffered part."""
    lon0, lat0, lon1, lat1 = part.bounds
    d_lat = np.degrees(reach_m / EARTH_RADIUS_M) + 1.0
    lat_lo, lat_hi = max(lat0 - d_lat, -90.0), min(lat1 + d_lat, 90.0)
    cos_max = np.cos(np.radians(max(abs(lat_lo), abs(lat_hi))))
    if cos_max < 0.05 or d_lat > 60:
        return (
            [(shapely.box(-180, lat_lo, 180, lat_hi), 0.0)] if d_lat <= 60 else [(shapely.box(-180, -90, 180, 90), 0.0)]
        )
    d_lon = d_lat / cos_max
    if lon1 - lon0 + 2 * d_lon >= 360:
        return [(shapely.box(-180, lat_lo, 180, lat_hi), 0.0)]
    out = []
    for shift in (-360.0, 0.0, 360.0):
        box = shapely.box(lon0 - d_lon + shift, lat_lo, lon1 + d_lon + shift, lat_hi)
        if box.intersects(shapely.box(-180, -90, 180, 90)):
            out.append((box, shift))
    return out


def _to_aeqd(geom: shapely.Geometry, fwd, shift: float = 0.0) -> shapely.Geometry:
    def f(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(fwd.transform(xy[:, 0] - shift, xy[:, 1]))

    return shapely.transform(geom, f)


def _tiles(proj: shapely.Geometry, tile_m: float) -> list[shapely.Polygon]:
    """Cut a projected (multi)polygon by a square grid; parts smaller than a cell stay whole."""
    if proj.is_empty:
        return []
    x0, y0, x1, y1 = proj.bounds
    if max(x1 - x0, y1 - y0) <= tile_m:
        return [p for p in shapely.get_parts(proj) if p.geom_type == "Polygon" and not p.is_empty]
    xs = np.arange(x0, x1 + tile_m, tile_m)
    ys = np.arange(y0, y1 + tile_m, tile_m)
    gx, gy = np.meshgrid(xs[:-1], ys[:-1])
    cells = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + tile_m, gy.ravel() + tile_m)
    shapely.prepare(proj)
    cells = cells[shapely.intersects(proj, cells)]
    out = []
    for piece in shapely.intersection(proj, cells):
        out.extend(p for p in shapely.get_parts(piece) if p.geom_type == "Polygon" and p.area > 0)
    return out


def _expand(part: shapely.Polygon, buffer_m: float, corridors: Sequence[tuple[shapely.Polygon, float]]):
    """Buffer one lon/lat polygon by at least ``buffer_m`` on the ground, cut out the corridors
    (each narrowed by its own distance), tile; yields unit-vector ring tuples."""
    exterior = np.asarray(part.exterior.coords)
    xyz = geodesy.to_xyz(exterior[:, 0], exterior[:, 1])
    _, radius = _cap(xyz)
    near_corridors = []
    if corridors:
        reach = buffer_m + 200_000.0
        for box, shift in _reach_box(part, reach):
            near_corridors.extend(
                (c.intersection(shapely.affinity.translate(box, -shift)), shift, d) for c, d in corridors
            )
        near_corridors = [(c, s, d) for c, s, d in near_corridors if not c.is_empty]
        boxes = [box for box, _ in _reach_box(part, reach)]
        if any(all(c.contains(b) for b in boxes) for c, _ in corridors):
            return  # a corridor covers the part and everything within its reach
    small = radius * EARTH_RADIUS_M < TILE_KM * 1000.0 / 2
    if buffer_m <= 0 and not near_corridors and small:
        rings = [exterior, *(np.asarray(r.coords) for r in part.interiors)]
        yield tuple(geodesy.to_xyz(r[:, 0], r[:, 1]) for r in rings)
        return
    lon0, lat0 = _projection_center(exterior)
    fwd, inv = geodesy.aeqd_transformers(lon0=lon0, lat0=lat0)
    proj = shapely.make_valid(_to_aeqd(part, fwd))
    scale = _max_transverse_scale(shapely.get_coordinates(proj))
    if buffer_m > 0:
        # a buffer's round joins are chords of the circle; inflate so the chords circumscribe it
        chord = 1.0 / np.cos(np.pi / (4 * QUAD_SEGS))
        proj = proj.buffer(buffer_m * scale * chord, quad_segs=QUAD_SEGS)
    if near_corridors:
        holes = []
        for c, shift, narrow_m in near_corridors:
            cp = shapely.make_valid(_to_aeqd(shapely.segmentize(c, EXTRA_SEGMENT_DEG), fwd, -shift))
            c_scale = max(scale, _max_transverse_scale(shapely.get_coordinates(cp)))
            holes.append(cp.buffer(-narrow_m * c_scale, quad_segs=QUAD_SEGS))
        proj = shapely.make_valid(proj.difference(shapely.union_all(holes)))
    for poly in _tiles(proj, TILE_KM * 1000.0):
        rings = []
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            lon, lat = inv.transform(xy[:, 0], xy[:, 1])
            rings.append(geodesy.to_xyz(np.asarray(lon), np.asarray(lat)))
        yield tuple(rings)


def prepare_obstacles(
    closed: Sequence[tuple[shapely.Geometry, float]],
    open_corridors: Sequence[tuple[shapely.Geometry, float]] = (),
) -> Obstacles:
    """Prepare obstacles from plain lon/lat polygons.

    Parameters
    ----------
    closed : sequence of (shapely.Geometry, float)
        Closed (multi)polygons in lon/lat degrees, each with the ground distance (m, >= 0) it is
        expanded by (the lateral margin plus any safety the polygon needs). Edges are read as
        great-circle chords between vertices: densify long edges before passing them.
    open_corridors : sequence of (shapely.Geometry, float)
        Lon/lat polygons carved out of the expanded closed polygons, each narrowed by its
        distance (m): closed airspace expanded by a margin narrows a corridor through it.

    Returns
    -------
    Obstacles
        Pieces of at most ~`TILE_KM` across, with their bounding caps.
    """
    rings: list[tuple[np.ndarray, ...]] = []
    for geom, buffer_m in closed:
        if not np.isfinite(buffer_m) or buffer_m < 0:
            raise ValueError(f"buffer must be a finite distance >= 0 m, got {buffer_m}")
        for part in shapely.get_parts(geom):
            if part.geom_type == "Polygon" and not part.is_empty:
                rings.extend(_expand(part, float(buffer_m), open_corridors))
    caps = [_cap(np.vstack(r)) for r in rings]
    centers = np.array([c for c, _ in caps]).reshape(-1, 3)
    radii = np.array([r for _, r in caps], dtype=float)
    return Obstacles(rings=tuple(rings), centers=centers, radii=radii)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of runs of True in ``mask``, each widened by one point on both sides."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.r_[idx[0], idx[breaks + 1]]
    stops = np.r_[idx[breaks], idx[-1]]
    return [(max(a - 1, 0), min(b + 2, len(mask))) for a, b in zip(starts, stops, strict=True)]


def polyline_clear(obstacles: Obstacles, lonlat: np.ndarray, shrink_m: float = 0.0) -> bool:
    """Whether a polyline of (lon, lat) points (read as great-circle chords between points that
    are at most `VIS_STEP_KM` apart) stays clear of every piece, each shrunk by ``shrink_m``."""
    xyz = geodesy.to_xyz(lonlat[:, 0], lonlat[:, 1])
    step = np.arccos(np.clip(np.einsum("ij,ij->i", xyz[:-1], xyz[1:]), -1, 1)).max(initial=0.0)
    for j in obstacles.near(xyz, step):
        gno, poly = obstacles.piece_frame(int(j), shrink_m)
        inside = xyz @ obstacles.centers[j] >= np.cos(obstacles.radii[j] + step)
        lines = [shapely.linestrings(ln) for a, b in _runs(inside) if len(ln := gno.forward_xyz(xyz[a:b])) >= 2]
        if lines and shapely.intersects(shapely.multilinestrings(lines), poly):
            return False
    return True


def legs_clear(obstacles: Obstacles, a: np.ndarray, b: np.ndarray, tolerance_m: float = 0.0) -> np.ndarray:
    """Whether WGS84 geodesic legs a[i] -> b[i] ((lon, lat) degrees) avoid the obstacles.

    The public test for one or many legs, no chart needed: each leg is densified every
    `VIS_STEP_KM` along the WGS84 geodesic and tested against the pieces whose caps it comes near.

    Parameters
    ----------
    obstacles : Obstacles
        Prepared obstacles (the margin is already in them).
    a, b : ndarray
        (2,) or (k, 2) leg ends, (lon, lat) degrees.
    tolerance_m : float
        Shrink the obstacles by this much first, so that legs touching a corner (as the legs of
        a taut route do) count as clear; 0 for a strict test.

    Returns
    -------
    ndarray of bool
        (k,) verdicts (a 0-d array for single points).
    """
    a2, b2 = np.atleast_2d(np.asarray(a, float)), np.atleast_2d(np.asarray(b, float))
    out = np.array([polyline_clear(obstacles, pts, tolerance_m) for pts in _leg_points(a2, b2)], dtype=bool)
    return out.reshape(()) if np.ndim(a) == 1 else out


def path_clear(obstacles: Obstacles, lonlat: np.ndarray, tolerance_m: float = 0.0) -> bool:
    """Whether every WGS84 geodesic leg of the path through ``lonlat`` ((k, 2) degrees) avoids the
    obstacles: `legs_clear` of all legs, tested as one polyline (the same points and chords, one
    pass over the pieces instead of one per leg)."""
    lonlat = np.asarray(lonlat, float)
    legs = _leg_points(lonlat[:-1], lonlat[1:])
    if not legs:
        return True
    return polyline_clear(obstacles, np.vstack([legs[0], *(p[1:] for p in legs[1:])]), tolerance_m)


def _leg_points(a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    """Each leg a[i] -> b[i] densified every `VIS_STEP_KM` (at most 513 points)."""
    dist = geodesy.distance_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    n = np.clip(np.ceil(dist / (VIS_STEP_KM * 1000.0)), 1, 512).astype(int) + 1
    return [geodesy.densify_many(a[i : i + 1, 0], a[i : i + 1, 1], b[i : i + 1, 0], b[i : i + 1, 1], n[i])[0]
            for i in range(len(a))]  # fmt: skip
