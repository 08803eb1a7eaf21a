"""The front door: `route` (shortest route avoiding closed airspace) and `geodesic_route` (the pre-2022 route)."""

from __future__ import annotations

import time
import warnings

import numpy as np
import shapely

from routes import geodesy
from routes.engine.chart import NODE_ANGLE_DEG, Chart, chart_center, chart_for
from routes.engine.obstacles import SAFETY_M, prepare_obstacles
from routes.engine.search import shortest_path
from routes.errors import InvalidCoordinateError
from routes.inputs import airspace
from routes.inputs.airports import Airport, LatLon, get_airport
from routes.inputs.closures import closed_airspace
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, Waypoint, make_legs
from routes.units import KM_PER_NM

AirportLike = str | Airport | LatLon
BAND_EXTRA_NM = 5.0
"""Band rule: within ``margin_nm + BAND_EXTRA_NM`` (+ the routing tolerance) of an airport that
lies inside the margin band, only the closed airspace itself is avoided, not the band."""
NEAR_AIRPORT_KM = 8.0
"""Band rule: within this distance of such an airport nothing is checked by the engine (the
airport sits within the routing data's tolerance of a closed border); the independent check
against full-resolution data still applies."""


def _endpoints(origin: AirportLike, destination: AirportLike) -> tuple[Airport, Airport]:
    a, b = get_airport(origin), get_airport(destination)
    if (a.lat, a.lon) == (b.lat, b.lon):
        raise InvalidCoordinateError(f"origin and destination are the same point ({a.code})")
    return a, b


def _end_waypoint(ap: Airport) -> Waypoint:
    return Waypoint(ap.lat, ap.lon, ap.code)


def geodesic_route(origin: AirportLike, destination: AirportLike) -> Route:
    """The unconstrained WGS84 geodesic: the pre-2022 route.

    Parameters
    ----------
    origin, destination
        IATA/ICAO code, ``"lat,lon"`` text, `LatLon` or `Airport`.

    Examples
    --------
    >>> r = geodesic_route("SVO", "LAX")
    >>> round(r.distance_km, 1), round(r.legs[0].initial_course_deg, 1)
    (9781.1, 340.1)
    """
    a, b = _endpoints(origin, destination)
    waypoints = (_end_waypoint(a), _end_waypoint(b))
    legs = make_legs(waypoints)
    return Route(a, b, get_scenario("pre-2022"), 0.0, True, "", waypoints, legs, legs[0].distance_km)


def _disc(chart: Chart, lon: float, lat: float, radius_m: float) -> shapely.Polygon:
    az = np.linspace(0.0, 360.0, 73)[:-1]
    lo, la, _ = geodesy.GEOD.fwd(np.full(az.shape, lon), np.full(az.shape, lat), az, np.full(az.shape, radius_m))
    return shapely.Polygon(chart.gno.forward(np.column_stack([lo, la])))


def _band_geometry(chart: Chart, scenario: Scenario, ap: Airport, margin_nm: float) -> shapely.Geometry | None:
    """Obstacles for legs touching ``ap`` when it sits inside the margin band (else None);
    built once per chart and airport position."""
    return chart.memo(("band", ap.lon, ap.lat), lambda: _make_band_geometry(chart, scenario, ap, margin_nm))


def _make_band_geometry(chart: Chart, scenario: Scenario, ap: Airport, margin_nm: float) -> shapely.Geometry | None:
    if not chart.inside(np.array([ap.lon, ap.lat])):
        return None
    radius_m = (margin_nm + BAND_EXTRA_NM) * KM_PER_NM * 1000.0 + 2 * SAFETY_M + 5000.0
    waived = _disc(chart, ap.lon, ap.lat, radius_m)
    if margin_nm > 0:
        bare = chart_for(prepare_obstacles(scenario, 0.0), chart.gno.lon0, chart.gno.lat0)
        waived = waived.difference(bare.geometry)
    waived = waived.union(_disc(chart, ap.lon, ap.lat, NEAR_AIRPORT_KM * 1000.0))
    geom = chart.vis_geometry.difference(waived)
    shapely.prepare(geom)
    return geom


def _infeasible(a: Airport, b: Airport, scenario: Scenario, margin_nm: float, reason: str, geodesic_km: float) -> Route:
    return Route(a, b, scenario, margin_nm, False, reason, geodesic_km=geodesic_km)


def route(
    origin: AirportLike,
    destination: AirportLike,
    scenario: str | Scenario = "pre-2022",
    margin_nm: float = 0.0,
) -> Route:
    """Shortest WGS84 route from ``origin`` to ``destination`` that avoids closed airspace.

    The route is a chain of geodesic legs turning at convex corners of the closed airspace
    expanded by ``margin_nm`` (plus a 1 km safety buffer and the routing data's conservative
    simplification of <= 5 km).

    Parameters
    ----------
    origin, destination
        IATA/ICAO code, ``"lat,lon"`` text, `LatLon` or `Airport`.
    scenario
        Built-in scenario name or a `Scenario`.
    margin_nm
        Lateral clearance from closed airspace, nautical miles (>= 0).

    Returns
    -------
    Route
        ``feasible`` is False, with a ``reason``, when an airport lies in closed airspace or no
        route exists.
    Examples
    --------
    >>> import routes
    >>> r = routes.route("SVO", "LAX", scenario="europe-closed")
    >>> round(r.distance_km, 1), round(r.extra_km, 1), r.states_rounded
    (9873.0, 91.9, ('NOR', 'SJM', 'GRL'))
    >>> routes.route("SVO", "LAX", "closures-2022").reason
    'destination LAX lies in the closed airspace of United States (USA)'
    """
    started = time.perf_counter()
    a, b = _endpoints(origin, destination)
    scn = get_scenario(scenario)
    margin_nm = float(margin_nm)
    if not np.isfinite(margin_nm) or margin_nm < 0:
        raise ValueError(f"margin_nm must be a finite number >= 0, got {margin_nm}")
    base = geodesic_route(a, b)
    if scn.is_open_sky and not margin_nm:
        return Route(a, b, scn, margin_nm, True, "", base.waypoints, base.legs, base.geodesic_km)

    closed = closed_airspace(scn)
    for role, ap in (("origin", a), ("destination", b)):
        code = closed.state_at(ap.lon, ap.lat)
        if code is not None:
            where = f"{airspace.state_name(code)} ({code})" if code else "a closed polygon of the scenario"
            return _infeasible(
                a, b, scn, margin_nm, f"{role} {ap.code} lies in the closed airspace of {where}", base.geodesic_km
            )

    start, goal = np.array([a.lon, a.lat]), np.array([b.lon, b.lat])
    lon0, lat0 = chart_center(start, goal)
    chart = chart_for(prepare_obstacles(scn, margin_nm), lon0, lat0)
    if not chart.contains_angle(np.vstack([start, goal]), NODE_ANGLE_DEG + 5).all():
        return _infeasible(
            a,
            b,
            scn,
            margin_nm,
            "airports too far apart for one chart (nearly antipodal); routing is not supported",
            base.geodesic_km,
        )
    path = shortest_path(
        chart, start, goal, _band_geometry(chart, scn, a, margin_nm), _band_geometry(chart, scn, b, margin_nm)
    )
    if path is None:
        return _infeasible(
            a,
            b,
            scn,
            margin_nm,
            f"no route avoids the closed airspace of {scn.name} with a {margin_nm:g} nm margin",
            base.geodesic_km,
        )
    waypoints = _waypoints(a, b, path.lonlat, scn)
    stats = {
        "expanded": path.expanded,
        "checked": path.checked,
        "chart_nodes": chart.n_nodes,
        "seconds": time.perf_counter() - started,
    }
    return Route(a, b, scn, margin_nm, True, "", waypoints, make_legs(waypoints), base.geodesic_km, stats)


def _waypoints(a: Airport, b: Airport, lonlat: np.ndarray, scn: Scenario) -> tuple[Waypoint, ...]:
    inner = lonlat[1:-1]
    rounds = _nearest_closed(inner, scn) if len(inner) else []
    turns = [
        Waypoint(float(la), float(lo), f"T{i + 1}", r)
        for i, ((lo, la), r) in enumerate(zip(inner, rounds, strict=True))
    ]
    return (_end_waypoint(a), *turns, _end_waypoint(b))


def _nearest_closed(points: np.ndarray, scn: Scenario) -> list[str]:
    """Code of the nearest closed state to each turn point ("" for scenario polygons)."""
    closed = closed_airspace(scn)
    tree = shapely.STRtree(closed.parts)
    (src, hit), dist = tree.query_nearest(shapely.points(points), all_matches=True, return_distance=True)
    out = []
    for i in range(len(points)):
        sel = src == i
        best = hit[sel][dist[sel] <= dist[sel].min() + 1e-9]
        out.append(airspace.most_specific([str(closed.codes[j]) for j in best]))
    return out


def find_route(
    origin: AirportLike,
    destination: AirportLike,
    scenario: str | Scenario = "pre-2022",
    margin_nm: float = 0.0,
) -> Route:
    """Deprecated name of `route` (removed in polar-routes 0.3)."""
    warnings.warn("routes.find_route is deprecated; use routes.route", DeprecationWarning, stacklevel=2)
    return route(origin, destination, scenario, margin_nm)
