"""The front door: `route` (shortest route avoiding closed airspace) and `geodesic_route` (the pre-2022 route)."""

from __future__ import annotations

import time
from dataclasses import replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING

import numpy as np

from routes import engine, validation
from routes.errors import InvalidCoordinateError
from routes.inputs import airspace
from routes.inputs.airports import Airport, LatLon, get_airport, same_point
from routes.inputs.closures import closed_airspace
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, Waypoint, make_legs
from routes.scenario_obstacles import SAFETY_M, scenario_obstacles
from routes.units import KM_PER_NM

if TYPE_CHECKING:
    from routes.analysis.wind import WindModel

AirportLike = str | Airport | LatLon
BAND_EXTRA_NM = 5.0
"""Band rule: within ``margin_nm + BAND_EXTRA_NM`` (+ the routing tolerance) of an airport that
lies inside the margin band, only the closed airspace itself is avoided, not the band."""
NEAR_AIRPORT_KM = 8.0
"""Band rule: within this distance of such an airport nothing is checked by the engine (the
airport sits within the routing data's tolerance of a closed border); the independent check
against full-resolution data still applies."""


@lru_cache(maxsize=32)
def band_rule(scenario: Scenario, margin_nm: float) -> engine.BandRule:
    """The margin-band rule for airports near closed airspace (see the README's engine section)."""
    radius_m = (margin_nm + BAND_EXTRA_NM) * KM_PER_NM * 1000.0 + 2 * SAFETY_M + 5000.0
    return engine.BandRule(partial(scenario_obstacles, scenario, 0.0), radius_m, NEAR_AIRPORT_KM * 1000.0)


def _endpoints(origin: AirportLike, destination: AirportLike) -> tuple[Airport, Airport]:
    a, b = get_airport(origin), get_airport(destination)
    if same_point(a, b):
        same = a.code if a.code == b.code else f"{a.code} and {b.code}"
        raise InvalidCoordinateError(
            f"origin and destination are the same point ({same}); a route needs two different places"
        )
    return a, b


def _end_waypoint(ap: Airport) -> Waypoint:
    return Waypoint(lat=ap.lat, lon=ap.lon, name=ap.code)


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
    return Route(
        origin=a,
        destination=b,
        scenario=get_scenario("pre-2022"),
        margin_nm=0.0,
        feasible=True,
        waypoints=waypoints,
        legs=legs,
        geodesic_km=legs[0].distance_km,
    )


def _infeasible(a: Airport, b: Airport, scenario: Scenario, margin_nm: float, reason: str, geodesic_km: float) -> Route:
    return Route(
        origin=a,
        destination=b,
        scenario=scenario,
        margin_nm=margin_nm,
        feasible=False,
        reason=reason,
        geodesic_km=geodesic_km,
    )


def route(
    origin: AirportLike,
    destination: AirportLike,
    scenario: str | Scenario = "pre-2022",
    margin_nm: float = 0.0,
    objective: str = "distance",
    wind: WindModel | None = None,
    aircraft: str = "B77W",
    max_seconds: float | None = None,
) -> Route:
    """Shortest WGS84 route from ``origin`` to ``destination`` that avoids closed airspace
    (or, with ``objective="time"``, the minimum-time route in ``wind``).

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
    objective
        ``"distance"`` (default): the shortest route. ``"time"``: the route that minimises
        flight time in ``wind`` at ``aircraft``'s cruise speed (`routes.mintime`), never slower
        than the shortest route and equal to it in still air.
    wind
        A wind model (`routes.analysis.wind`); required with ``objective="time"``, refused otherwise.
    aircraft
        ICAO type whose cruise Mach and altitude set the true airspeed (``objective="time"``).
    max_seconds
        Time budget for the search (None: no limit). When it runs out the route is infeasible
        with a reason saying so.

    Returns
    -------
    Route
        ``feasible`` is False, with a ``reason``, when an airport lies in closed airspace, no
        route exists or the time budget ran out.

    Raises
    ------
    ObjectiveError
        An unknown ``objective``, ``"time"`` without a wind, or a wind with ``"distance"``.

    Examples
    --------
    >>> import routes
    >>> r = routes.route("SVO", "LAX", scenario="europe-closed")
    >>> round(r.distance_km, 1), round(r.extra_km, 1), r.states_rounded
    (9873.0, 91.9, ('NOR', 'SJM', 'GRL'))
    >>> routes.route("SVO", "LAX", "closures-2022").reason
    'destination LAX lies in the closed airspace of United States (USA)'
    """
    if objective != "distance" or wind is not None:
        from routes import mintime  # lazily: it pulls in OpenAP for the cruise speed

        mintime.check_objective(objective, wind)
        return mintime.fastest_route(
            route(origin, destination, scenario, margin_nm, max_seconds=max_seconds), wind, aircraft
        )
    started = time.perf_counter()
    margin_nm = validation.margin_nm(margin_nm)
    a, b = _endpoints(origin, destination)
    scn = get_scenario(scenario)
    if max_seconds is not None:
        validation.as_number(max_seconds, "max_seconds", low=0.0, low_open=True)
    base = geodesic_route(a, b)
    if scn.is_open_sky and not margin_nm:
        return Route(
            origin=a,
            destination=b,
            scenario=scn,
            margin_nm=margin_nm,
            feasible=True,
            waypoints=base.waypoints,
            legs=base.legs,
            geodesic_km=base.geodesic_km,
        )

    closed = closed_airspace(scn)
    for role, ap in (("origin", a), ("destination", b)):
        code = closed.state_at(lon=ap.lon, lat=ap.lat)
        if code is not None:
            where = f"{airspace.state_name(code)} ({code})" if code else "a closed polygon of the scenario"
            return _infeasible(
                a, b, scn, margin_nm, f"{role} {ap.code} lies in the closed airspace of {where}", base.geodesic_km
            )

    t = time.perf_counter()
    obstacles = scenario_obstacles(scn, margin_nm)
    band = band_rule(scn, margin_nm)
    prepare_s = time.perf_counter() - t
    budget = None if max_seconds is None else max(max_seconds - (time.perf_counter() - started), 1e-3)
    sol = engine.solve(np.array([a.lon, a.lat]), np.array([b.lon, b.lat]), obstacles, band=band, max_seconds=budget)
    stats = {**sol.stats, "prepare_s": prepare_s, "seconds": time.perf_counter() - started}
    if not sol.found:
        return replace(
            _infeasible(a, b, scn, margin_nm, _REASONS[sol.reason](scn, margin_nm, max_seconds), base.geodesic_km),
            stats=stats,
        )
    waypoints = _waypoints(a, b, sol.lonlat, scn)
    return Route(
        origin=a,
        destination=b,
        scenario=scn,
        margin_nm=margin_nm,
        feasible=True,
        waypoints=waypoints,
        legs=make_legs(waypoints),
        geodesic_km=base.geodesic_km,
        stats=stats,
    )


_REASONS = {
    engine.NO_ROUTE: lambda s, m, t: f"no route avoids the closed airspace of {s.name} with a {m:g} nm margin",
    engine.ENCLOSED: lambda s, m, t: (
        f"no route avoids the closed airspace of {s.name} with a {m:g} nm margin "
        "(an airport lies in a region enclosed by it)"
    ),
    engine.ANTIPODAL: lambda s, m, t: (
        "airports too far apart for one chart (nearly antipodal); routing is not supported"
    ),
    engine.ENDPOINT_BLOCKED: lambda s, m, t: (
        f"an airport lies inside the closed airspace of {s.name} expanded by the {m:g} nm margin"
    ),
    engine.OUT_OF_TIME: lambda s, m, t: f"time budget of {t:g} s ran out before a route was found (max_seconds)",
    engine.UNVERIFIED: lambda s, m, t: (
        "the route found failed the engine's chart-free clearance check (an engine fault: please report it)"
    ),
}


def _waypoints(a: Airport, b: Airport, lonlat: np.ndarray, scn: Scenario) -> tuple[Waypoint, ...]:
    inner = lonlat[1:-1]
    rounds = _nearest_closed(inner, scn) if len(inner) else []
    turns = [
        Waypoint(lat=float(la), lon=float(lo), name=f"T{i + 1}", rounds=r)
        for i, ((lo, la), r) in enumerate(zip(inner, rounds, strict=True))
    ]
    return (_end_waypoint(a), *turns, _end_waypoint(b))


def _nearest_closed(points: np.ndarray, scn: Scenario) -> list[str]:
    """Code of the nearest closed state to each turn point ("" for scenario polygons)."""
    return closed_airspace(scn).nearest_state(points)
