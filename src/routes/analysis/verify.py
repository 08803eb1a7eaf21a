"""Independent check that a route avoids closed airspace, against full-resolution polygons.

Shares no geometry with the engine: the route is densified with `pyproj.Geod.inv_intermediate`
(the engine uses `Geod.fwd`), tested against the full-resolution layer in lon/lat, and its
clearance is measured in a local azimuthal-equidistant projection per group of legs, drawing only the
boundaries within reach of the group (never the far side of the Earth, where such a map tears). The
band rule next to an endpoint inside the margin band (README, engine section) is applied from its
documented figures, not from the engine's geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from routes import geodesy, validation
from routes.inputs.airports import Airport
from routes.inputs.closures import closed_airspace
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, require_feasible
from routes.units import KM_PER_NM

CLEARANCE_GROUP_KM = 100.0
"""Consecutive legs shorter than this in total share one AEQD map for the clearance."""
CLEARANCE_REACH_KM = validation.MAX_MARGIN_NM * KM_PER_NM + 200.0
"""Closed airspace up to this far from the route is measured (the widest margin accepted + 200 km);
farther, the clearance is reported as inf. The figure reported never depends on the margin asked."""
FIRST_REACH_KM = 300.0
"""The clearance is first sought this far (or margin + 200 km if wider); only a route with nothing
closed that near is measured again out to `CLEARANCE_REACH_KM` (same answer, less work)."""
KEEP_PAD_KM = 20.0
"""Boundary vertices are kept within the group's radius + reach + this of the map centre (a boundary
segment is at most ~6 km long after densifying, so no segment within reach is lost)."""
BAND_EXTRA_KM = 5.0 * KM_PER_NM
"""The band rule's extra radius beyond the margin (``routing.BAND_EXTRA_NM``, 5 nm)."""
BAND_TOLERANCE_KM = 7.5
"""The routing layer's tolerance added to the band rule's radius (README, engine section)."""


@dataclass(frozen=True)
class RouteCheck:
    """Outcome of `verify_route`.

    Attributes
    ----------
    ok : bool
        No point or segment in closed airspace and clearance >= margin - tolerance, except next to an
        airport under the band rule (see `band_airports`).
    points_inside : int
        Densified points that lie in closed airspace.
    crosses : bool
        Whether any densified segment intersects closed airspace.
    min_clearance_km : float
        Smallest distance from the route to closed airspace, the same whatever the margin asked (inf if
        none is within `CLEARANCE_REACH_KM`; 0 if the route enters closed airspace).
    required_km : float
        The margin asked for, km.
    band_airports : tuple of str
        Endpoints inside the margin band (closer to closed airspace than the margin): within margin +
        5 nm + 7.5 km of them the route need only stay out of closed airspace itself, the documented band
        rule the engine routes by (README, engine section).
    """

    ok: bool
    points_inside: int
    crosses: bool
    min_clearance_km: float
    required_km: float
    band_airports: tuple[str, ...] = ()


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


def _local_segments(polygons: list[shapely.Polygon], lon0: float, lat0: float, keep_m: float) -> np.ndarray:
    """The polygons' boundary segments with both ends within ``keep_m`` of (lon0, lat0), as 2-point lines
    in the AEQD map centred there.

    For a point outside every polygon the distance to the polygons is the distance to their boundary.
    Far boundaries are dropped before they are drawn: near the antipode of the centre the AEQD map
    tears, and a segment joining two points on either side of it would cross the whole map (a false
    alarm, whatever the polygon's size)."""
    rings = shapely.get_parts(shapely.boundary(shapely.segmentize(np.asarray(polygons, dtype=object), 0.05)))
    lonlat, ring = shapely.get_coordinates(rings, return_index=True)
    fwd, _ = geodesy.aeqd_transformers(lon0=lon0, lat0=lat0)
    x, y = fwd.transform(lonlat[:, 0], lonlat[:, 1])
    xy = np.column_stack([x, y])
    keep = np.isfinite(xy).all(axis=1) & (np.hypot(x, y) <= keep_m)
    seg = keep[:-1] & keep[1:] & (ring[:-1] == ring[1:])
    return shapely.linestrings(np.stack([xy[:-1][seg], xy[1:][seg]], axis=1))


def _clearances_km(pts: np.ndarray, parts: np.ndarray, reach_km: float) -> np.ndarray:
    """Distance (km) from each point to the polygons' boundaries, measured in an AEQD map centred on
    the points; inf where none is within ``reach_km``. A lower bound of the ground distance: map
    distances overstate it by at most the transverse scale at the point, which is divided out."""
    out = np.full(len(pts), np.inf)
    near = _nearby(pts, parts, reach_km / 111.0 + 1.0)
    if not near:
        return out
    lon0, lat0 = geodesy.mean_direction(pts)
    fwd, _ = geodesy.aeqd_transformers(lon0=lon0, lat0=lat0)
    x, y = fwd.transform(pts[:, 0], pts[:, 1])
    radius_m = np.hypot(x, y)
    keep_m = (float(radius_m.max()) / 1000.0 + reach_km + KEEP_PAD_KM) * 1000.0
    segments = _local_segments(near, lon0, lat0, keep_m)
    if len(segments) == 0:
        return out
    tree = shapely.STRtree(segments)
    idx, dist = tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
    out[idx[0]] = dist / geodesy.aeqd_transverse_scale(radius_m[idx[0]]) / 1000.0
    out[out >= reach_km] = np.inf
    return out


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
        ``ok`` when no point is inside, no leg crosses, and the clearance holds the margin (except next
        to an endpoint under the band rule). The clearance reported does not depend on the margin.

    Examples
    --------
    >>> import routes
    >>> check = verify_route(routes.route("KGD", "SVO", "europe-closed"))
    >>> check.ok, check.points_inside, round(check.min_clearance_km, 2), check.band_airports
    (True, 0, 1.99, ())
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
    band = _band_airports(route, parts, margin_km)
    clearance, outside_band = _clearance_km(_leg_groups(legs), parts, margin_km, band)
    if inside or crosses:  # a route that enters closed airspace has no clearance
        clearance = outside_band = 0.0
    ok = inside == 0 and not crosses and outside_band >= margin_km - tolerance_km
    return RouteCheck(ok, inside, crosses, clearance, margin_km, tuple(ap.code for ap in band))


def _reach_km(margin_km: float) -> float:
    return max(margin_km + 200.0, FIRST_REACH_KM)


def _clearance_km(
    groups: list[np.ndarray], parts: np.ndarray, margin_km: float, band: list[Airport]
) -> tuple[float, float]:
    """(least clearance of the route, least clearance away from the band airports), km.

    The first is exact up to `CLEARANCE_REACH_KM` and inf beyond, whatever the margin: a clearance
    found within the first reach is the true one (every boundary that near was measured); only when
    nothing is that near is the route measured again, farther."""
    reach_km = _reach_km(margin_km)
    per_group = [_clearances_km(g, parts, reach_km) for g in groups]
    clearance = min(float(c.min()) for c in per_group)
    if not np.isfinite(clearance):  # nothing that near: measure farther, for the figure reported
        clearance = min(float(_clearances_km(g, parts, CLEARANCE_REACH_KM).min()) for g in groups)
    outside_band = min(
        float(c[~_near_band(g, band, margin_km)].min(initial=np.inf)) for g, c in zip(groups, per_group, strict=True)
    )
    return clearance, outside_band


def _band_airports(route: Route, parts: np.ndarray, margin_km: float) -> list[Airport]:
    """The route's endpoints inside the margin band (within margin + the routing tolerance of closed
    airspace, measured on the full-resolution polygons)."""
    ends = [route.origin, route.destination]
    where = np.array([[ap.lon, ap.lat] for ap in ends])
    near = [float(_clearances_km(where[i : i + 1], parts, _reach_km(margin_km))[0]) for i in range(2)]
    return [ap for ap, d in zip(ends, near, strict=True) if d < margin_km + BAND_TOLERANCE_KM]


def _near_band(pts: np.ndarray, band: list[Airport], margin_km: float) -> np.ndarray:
    """Points within the band rule's radius (margin + 5 nm + 7.5 km) of an endpoint under the rule."""
    mask = np.zeros(len(pts), dtype=bool)
    radius_m = (margin_km + BAND_EXTRA_KM + BAND_TOLERANCE_KM) * 1000.0
    for ap in band:
        mask |= geodesy.distance_m(pts[:, 0], pts[:, 1], ap.lon, ap.lat) <= radius_m
    return mask


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
