"""Obstacles of a scenario: closed airspace expanded by the lateral margin, as unit-vector rings.

Each closed polygon part is buffered by the margin in its own azimuthal-equidistant projection
(the buffer distance is scaled up by the projection's largest transverse scale over the part, so
the ground margin is never smaller than asked), then stored as rings of 3-D unit vectors. Unit
vectors carry no antimeridian or pole singularity; charts project them as needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

from routes import geodesy
from routes.inputs import airspace
from routes.inputs.scenarios import Scenario
from routes.units import KM_PER_NM

SAFETY_M = 1250.0
"""Least distance (m) by which the shipped routing layer exceeds the full-resolution airspace
(``scripts/build_airspace.py``: 0.1 x 2.5 km tolerance + 1 km buffer). It covers the difference
between straight edges of projected polygons and geodesic edges; routes therefore pass closed
airspace at ``margin + >= 1.25 km`` (and at most ~6.25 km more, the layer's outward tolerance)."""
USER_SAFETY_M = 100.0
"""Extra outward buffer of user polygons (exact, unsimplified) and inward buffer of open
corridors: covers the lon/lat-straight vs geodesic reading of their 0.1-degree edge pieces and
the charts' ~20 m tolerance, so routes keep clear of them in the independent check."""
QUAD_SEGS = 3
"""Segments per quarter circle in margin buffers."""
EXTRA_SEGMENT_DEG = 0.1
"""User polygons' lon/lat edges are densified to this step before projection."""


@dataclass(frozen=True, eq=False)
class Obstacles:
    """Closed airspace of a scenario expanded by ``margin_nm`` (the routing layer adds `SAFETY_M`).

    Attributes
    ----------
    scenario : Scenario
    margin_nm : float
    rings : tuple of tuple of ndarray
        One entry per polygon: exterior ring then holes, each an (n, 3) unit-vector array
        (closed: first vertex repeated at the end).
    corridors : tuple of shapely.Polygon
        The scenario's open corridors (lon/lat), narrowed by the margin + `USER_SAFETY_M`:
        closed airspace expanded by the margin narrows a corridor through it.
    """

    scenario: Scenario
    margin_nm: float
    rings: tuple[tuple[np.ndarray, ...], ...]
    corridors: tuple[shapely.Geometry, ...] = ()

    @property
    def n_vertices(self) -> int:
        """Total number of ring vertices."""
        return sum(len(r) for poly in self.rings for r in poly)


def _closed_parts(scenario: Scenario) -> list[tuple[shapely.Polygon, float]]:
    """Closed polygon parts with the extra buffer each needs (m): 0 for the shipped routing
    layer (its safety is built in), `USER_SAFETY_M` for scenario polygons."""
    codes = scenario.closed_states
    parts: list[tuple[shapely.Polygon, float]] = []
    if codes:
        for geom in airspace.states("routing").loc[sorted(codes)].geometry.values:
            parts.extend((p, 0.0) for p in shapely.get_parts(geom))
    for geom in scenario.closed_polygons:
        parts.extend((p, USER_SAFETY_M) for p in shapely.get_parts(shapely.segmentize(geom, EXTRA_SEGMENT_DEG)))
    return parts


def shrink_lonlat(poly: shapely.Polygon, distance_m: float) -> shapely.Geometry:
    """A lon/lat polygon narrowed by at least ``distance_m`` on the ground (local AEQD)."""
    dense = shapely.segmentize(poly, EXTRA_SEGMENT_DEG)
    fwd, inv = _transformers(*_projection_center(np.asarray(dense.exterior.coords)))
    proj = shapely.transform(dense, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
    scale = _max_transverse_scale(np.asarray(proj.exterior.coords))
    shrunk = proj.buffer(-distance_m * scale, quad_segs=QUAD_SEGS)
    return shapely.transform(shrunk, lambda xy: np.column_stack(inv.transform(xy[:, 0], xy[:, 1])))


def _max_transverse_scale(xy: np.ndarray) -> float:
    """Largest transverse scale factor theta / sin(theta) of an AEQD map over the points."""
    theta = np.hypot(xy[:, 0], xy[:, 1]).max() / 6_371_000.0
    return float(theta / np.sin(theta)) if theta > 1e-9 else 1.0


@lru_cache(maxsize=1024)
def _transformers(lon0: float, lat0: float):
    return geodesy.aeqd_transformers(lon0, lat0)


def _projection_center(exterior: np.ndarray) -> tuple[float, float]:
    """The part's mean direction snapped to a 5-degree grid, so nearby parts share a projection
    (creating a pyproj Transformer costs ~6 ms); the scale correction absorbs the offset."""
    lon, lat = geodesy.mean_direction(exterior)
    return float(np.round(lon / 5.0) * 5.0), float(np.round(lat / 5.0) * 5.0)


def expand_part(part: shapely.Polygon, buffer_m: float) -> list[tuple[np.ndarray, ...]]:
    """Buffer one lon/lat polygon by at least ``buffer_m`` on the ground; unit-vector rings."""
    exterior = np.asarray(part.exterior.coords)
    if buffer_m <= 0:
        rings = [exterior, *(np.asarray(r.coords) for r in part.interiors)]
        return [tuple(geodesy.to_xyz(r[:, 0], r[:, 1]) for r in rings)]
    fwd, inv = _transformers(*_projection_center(exterior))
    proj = shapely.transform(part, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
    scale = _max_transverse_scale(np.asarray(proj.exterior.coords))
    # a buffer's round joins are chords of the circle; inflate so the chords circumscribe it
    chord = 1.0 / np.cos(np.pi / (4 * QUAD_SEGS))
    proj = proj.buffer(buffer_m * scale * chord, quad_segs=QUAD_SEGS)
    out = []
    for poly in shapely.get_parts(proj):
        if poly.is_empty:
            continue
        rings = []
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            lon, lat = inv.transform(xy[:, 0], xy[:, 1])
            rings.append(geodesy.to_xyz(np.asarray(lon), np.asarray(lat)))
        out.append(tuple(rings))
    return out


@lru_cache(maxsize=32)
def prepare_obstacles(scenario: Scenario, margin_nm: float = 0.0) -> Obstacles:
    """Routing obstacles of ``scenario`` with a lateral margin (cached per scenario and margin).

    Parameters
    ----------
    scenario : Scenario
        Closed states and polygons (open corridors are carved out per chart).
    margin_nm : float
        Lateral clearance from closed airspace in nautical miles, >= 0.
    """
    if margin_nm < 0:
        raise ValueError(f"margin_nm must be >= 0, got {margin_nm}")
    buffer_m = margin_nm * KM_PER_NM * 1000.0
    rings: list[tuple[np.ndarray, ...]] = []
    for part, extra_m in _closed_parts(scenario):
        rings.extend(expand_part(part, buffer_m + extra_m))
    corridors = tuple(
        g for p in scenario.open_polygons if not (g := shrink_lonlat(p, buffer_m + USER_SAFETY_M)).is_empty
    )
    return Obstacles(scenario=scenario, margin_nm=float(margin_nm), rings=tuple(rings), corridors=corridors)


def clear_caches() -> None:
    """Forget prepared obstacles and charts (for tests and benchmarks of cold starts)."""
    from routes.engine import chart

    prepare_obstacles.cache_clear()
    chart.chart_for.cache_clear()
