"""Independent check that a route avoids closed airspace, against full-resolution polygons.

Shares no geometry with the engine: the route is densified with `pyproj.Geod.inv_intermediate`
(the engine uses `Geod.fwd`), tested against the full-resolution layer in lon/lat, and its
clearance is measured in a local azimuthal-equidistant projection per leg.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from routes import geodesy, validation
from routes.inputs.closures import closed_airspace
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, require_feasible
from routes.units import KM_PER_NM

CLEARANCE_GROUP_KM = 100.0
"""Consecutive legs shorter than this in total share one AEQD map for the clearance."""


@dataclass(frozen=True)
class RouteCheck:
    """Outcome of `verify_route`.

    Attributes
    ----------
    ok : bool
        No point or segment in closed airspace and clearance >= margin - tolerance.
    points_inside : int
        Densified points that lie in closed airspace.
    crosses : bool
        Whether any densified segment intersects closed airspace.
    min_clearance_km : float
        Smallest distance from the route to closed airspace (inf if none is within
        margin + 200 km).
    required_km : float
        The margin asked for, km.
    """

    ok: bool
    points_inside: int
    crosses: bool
    min_clearance_km: float
    required_km: float


def _nearby(pts: np.ndarray, parts: np.ndarray, reach_deg: float) -> list[shapely.Polygon]:
    """Parts whose lon/lat bounds come within ``reach_deg`` of the points' bounds."""
    lat_lo, lat_hi = pts[:, 1].min() - reach_deg, pts[:, 1].max() + reach_deg
    if lat_hi > 80 or lat_lo < -80 or np.ptp(pts[:, 0]) > 180:  # polar or across +-180
        lon_lo, lon_hi = -180.0, 180.0
    else:
        stretch = reach_deg / max(np.cos(np.radians(max(abs(lat_lo), abs(lat_hi)))), 0.1)
        lon_lo, lon_hi = pts[:, 0].min() - stretch, pts[:, 0].max() + stretch
    box = shapely.box(lon_lo, lat_lo, lon_hi, lat_hi)
    return list(parts[shapely.intersects(shapely.envelope(parts), box)])


def _boundary_chunks(polygons: np.ndarray, max_segments: int = 32) -> np.ndarray:
    """The polygons' boundaries cut into lines of at most ``max_segments`` segments.

    For a point outside every polygon the distance to the polygons is the distance to these
    lines; short lines let the tree find the nearest one without measuring whole coastlines."""
    rings = shapely.get_parts(shapely.boundary(polygons))
    pieces = []
    for ring in rings:
        c = shapely.get_coordinates(ring)
        pieces.extend(c[i : i + max_segments + 1] for i in range(0, max(len(c) - 1, 1), max_segments))
    lengths = np.array([len(p) for p in pieces])
    return shapely.linestrings(np.concatenate(pieces), indices=np.repeat(np.arange(len(pieces)), lengths))


def _clearance_km(pts: np.ndarray, parts: np.ndarray, reach_km: float) -> float:
    """Least distance (km) from points outside the polygons to polygons within ``reach_km``, measured
    in an AEQD centred on the points; inf when no polygon is that close."""
    near = _nearby(pts, parts, reach_km / 111.0 + 1.0)
    if not near:
        return float("inf")
    lon0, lat0 = geodesy.mean_direction(pts)
    proj = geodesy.to_aeqd(shapely.segmentize(np.asarray(near, dtype=object), 0.05), lon0=lon0, lat0=lat0)
    xy = shapely.get_coordinates(geodesy.to_aeqd(shapely.points(pts), lon0=lon0, lat0=lat0))
    tree = shapely.STRtree(_boundary_chunks(proj))
    idx, dist = tree.query_nearest(shapely.points(xy), return_distance=True, all_matches=False)
    per_point = np.full(len(pts), np.inf)
    per_point[idx[0]] = dist
    # map distances overstate ground distances by at most the transverse scale at the point
    scale = geodesy.aeqd_transverse_scale(np.hypot(xy[:, 0], xy[:, 1]))
    return float((per_point / scale).min() / 1000.0)


def verify_route(
    route: Route,
    scenario: str | Scenario | None = None,
    margin_nm: float | None = None,
    step_km: float = 1.0,
    tolerance_km: float = 1.0,
) -> RouteCheck:
    """Check a route against the scenario's full-resolution closed airspace.

    Parameters
    ----------
    route : Route
    scenario, margin_nm
        Default: the route's own.
    step_km : float
        Densification step of the WGS84 geodesic legs (<= 5 km).
    tolerance_km : float
        Allowed shortfall of the clearance below the margin.

    Returns
    -------
    RouteCheck
        ``ok`` when no point is inside, no leg crosses, and the clearance holds the margin.

    Examples
    --------
    >>> import routes
    >>> check = verify_route(routes.route("KGD", "SVO", "europe-closed"))
    >>> check.ok, check.points_inside, round(check.min_clearance_km, 2)
    (True, 0, 1.99)
    """
    require_feasible(route, "verify")
    scn = get_scenario(scenario if scenario is not None else route.scenario)
    margin_km = (route.margin_nm if margin_nm is None else validation.margin_nm(margin_nm)) * KM_PER_NM
    step_km = validation.step_km(step_km)
    tolerance_km = validation.as_number(tolerance_km, "tolerance_km", low=0.0)
    closed = closed_airspace(scn)
    if closed.geometry.is_empty:
        return RouteCheck(True, 0, False, float("inf"), margin_km)
    legs = _leg_points(route, step_km)
    pts = np.vstack([legs[0], *(leg[1:] for leg in legs[1:])])
    inside = int(closed.contains(pts).sum())
    crosses = bool(shapely.intersects(geodesy.split_antimeridian(pts), closed.geometry))
    # the closed geometry itself: open corridors are carved out of the state polygons
    parts = shapely.get_parts(closed.geometry) if closed.scenario.open_corridors else shapely.get_parts(closed.parts)
    reach_km = max(margin_km, 0.0) + 200.0
    clearance = min(_clearance_km(group, parts, reach_km) for group in _leg_groups(legs))
    if inside or crosses:  # a route that enters closed airspace has no clearance
        clearance = 0.0
    ok = inside == 0 and not crosses and clearance >= margin_km - tolerance_km
    return RouteCheck(ok, inside, crosses, clearance, margin_km)


def _leg_groups(legs: list[np.ndarray]) -> list[np.ndarray]:
    """Consecutive legs joined into groups of at most ``CLEARANCE_GROUP_KM`` (a longer leg stays
    alone), each measured in one AEQD map: a route bending round a curved boundary has hundreds
    of short legs, and one projection per leg made the check slow. The scale correction keeps
    the clearance a lower bound whatever the centre."""
    groups: list[list[np.ndarray]] = []
    span_km = np.inf
    for leg in legs:
        km = float(geodesy.segment_lengths_km(leg[[0, -1]])[0])
        if span_km + km > CLEARANCE_GROUP_KM:
            groups.append([leg])
            span_km = km
        else:
            groups[-1].append(leg[1:])
            span_km += km
    return [np.vstack(g) for g in groups]


def _leg_points(route: Route, step_km: float) -> list[np.ndarray]:
    ll = route.lonlat()
    return [geodesy.densify_path(ll[i : i + 2], step_km) for i in range(len(ll) - 1)]
