"""The front door: `route` (shortest or minimum-time route avoiding closed airspace) and
`geodesic_route` (the pre-2022 route).

`route` checks its inputs, prepares the scenario's obstacles once (`scenario_obstacles`) and calls
the engine: `engine.solve` for the shortest route, or `engine.solve_time` for the minimum-time
route with `mintime.CruiseAir` (the wind and the cruise speed) as its flight time, keeping the
latter only if `mintime.accept` finds that it saves block time. The objectives are `OBJECTIVES`.
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from routes import engine, mintime, validation
from routes.errors import InvalidCoordinateError, ObjectiveError
from routes.inputs import airspace
from routes.inputs.airports import Airport, LatLon, get_airport, same_point
from routes.inputs.closures import closed_airspace
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, Waypoint, make_legs
from routes.scenario_obstacles import SAFETY_M, disk_chart, scenario_obstacles
from routes.units import KM_PER_NM

if TYPE_CHECKING:
    from routes.analysis.wind import WindModel

AirportLike = str | Airport | LatLon
OBJECTIVES = ("distance", "time")
"""Values of `route`'s ``objective``: the shortest route, or the minimum-time route in a wind."""
ROUNDS_KM = 15.0
"""A minimum-time route's turn point within this distance of the obstacles is named after the
closed state it rounds (a shortest route's turn points all round one)."""
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


def check_objective(objective: str, wind: WindModel | None) -> None:
    """Validate `route`'s ``objective`` and ``wind`` (raises `ObjectiveError`)."""
    if objective not in OBJECTIVES:
        raise ObjectiveError(f"unknown objective {objective!r}; expected one of {', '.join(map(repr, OBJECTIVES))}")
    if objective == "time" and wind is None:
        raise ObjectiveError(
            "objective='time' needs a wind: pass wind=... (e.g. routes.wind_from_dataset(ds) "
            "or routes.analysis.wind.still_air())"
        )
    if objective == "distance" and wind is not None:
        raise ObjectiveError(
            "wind= only changes the route with objective='time'; the shortest route does not depend on the wind "
            "(give the wind to routes.estimate to time it)"
        )
    if wind is not None and not callable(getattr(wind, "ground_speed_kt", None)):
        raise ObjectiveError(
            f"wind must be a wind model with ground_speed_kt(...) (routes.analysis.wind), got {type(wind).__name__}"
        )


class _Query(NamedTuple):
    """One checked query of `route`."""

    origin: Airport
    destination: Airport
    scenario: Scenario
    margin_nm: float
    max_seconds: float | None
    geodesic: Route
    started: float

    @property
    def ends(self) -> tuple[np.ndarray, np.ndarray]:
        """(lon, lat) of the origin and of the destination."""
        a, b = self.origin, self.destination
        return np.array([a.lon, a.lat]), np.array([b.lon, b.lat])

    @property
    def open_sky(self) -> bool:
        """Nothing closed and no margin: the geodesic is the route."""
        return self.scenario.is_open_sky and not self.margin_nm

    def budget(self) -> float | None:
        """What is left of ``max_seconds`` (at least 1 ms), or None."""
        if self.max_seconds is None:
            return None
        return max(self.max_seconds - (time.perf_counter() - self.started), 1e-3)


def _query(
    origin: AirportLike, destination: AirportLike, scenario: str | Scenario, margin_nm: float, max_seconds: float | None
) -> _Query:
    started = time.perf_counter()
    margin_nm = validation.margin_nm(margin_nm)
    a, b = _endpoints(origin, destination)
    scn = get_scenario(scenario)
    if max_seconds is not None:
        validation.as_number(max_seconds, "max_seconds", low=0.0, low_open=True)
    return _Query(a, b, scn, margin_nm, max_seconds, geodesic_route(a, b), started)


def _infeasible(q: _Query, reason: str, stats: dict | None = None) -> Route:
    return Route(
        origin=q.origin,
        destination=q.destination,
        scenario=q.scenario,
        margin_nm=q.margin_nm,
        feasible=False,
        reason=reason,
        geodesic_km=q.geodesic.geodesic_km,
        stats=stats or {},
    )


def _feasible(q: _Query, waypoints: tuple[Waypoint, ...], stats: dict) -> Route:
    return Route(
        origin=q.origin,
        destination=q.destination,
        scenario=q.scenario,
        margin_nm=q.margin_nm,
        feasible=True,
        waypoints=waypoints,
        legs=make_legs(waypoints),
        geodesic_km=q.geodesic.geodesic_km,
        stats=stats,
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

    The route is a chain of geodesic legs turning at convex corners of the closed airspace expanded
    by ``margin_nm`` (plus a 1 km safety buffer and the routing data's simplification of <= 5 km).

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
        flight time in ``wind`` at ``aircraft``'s cruise speed (`routes.engine.solve_time`), never
        slower than the shortest route and equal to it in still air.
    wind
        A wind model (`routes.analysis.wind`); required with ``objective="time"``, refused otherwise.
    aircraft
        ICAO type whose cruise Mach and altitude set the true airspeed (``objective="time"``).
    max_seconds
        Time budget for the search, both searches with ``objective="time"`` (None: no limit).
        When it runs out the route is infeasible with a reason saying so.

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
    check_objective(objective, wind)
    q = _query(origin, destination, scenario, margin_nm, max_seconds)
    return _fastest_route(q, wind, aircraft) if objective == "time" else _shortest_route(q)


def _closed_airport(q: _Query) -> str | None:
    """Why the route is infeasible if an airport lies in closed airspace, else None."""
    closed = closed_airspace(q.scenario)
    for role, ap in (("origin", q.origin), ("destination", q.destination)):
        code = closed.state_at(lon=ap.lon, lat=ap.lat)
        if code is not None:
            where = f"{airspace.state_name(code)} ({code})" if code else "a closed polygon of the scenario"
            return f"{role} {ap.code} lies in the closed airspace of {where}"
    return None


def _prepared(q: _Query) -> tuple[engine.Obstacles, engine.BandRule, float]:
    """The engine's obstacles and band rule for the query's scenario and margin, and the
    seconds it took to prepare them."""
    t = time.perf_counter()
    obstacles = scenario_obstacles(q.scenario, q.margin_nm)
    band = band_rule(q.scenario, q.margin_nm)
    return obstacles, band, time.perf_counter() - t


def _shortest_route(q: _Query) -> Route:
    if q.open_sky:
        return replace(q.geodesic, scenario=q.scenario, margin_nm=q.margin_nm)
    reason = _closed_airport(q)
    if reason is not None:
        return _infeasible(q, reason)
    obstacles, band, prepare_s = _prepared(q)
    with disk_chart(obstacles, *q.ends):
        sol = engine.solve(*q.ends, obstacles, band=band, max_seconds=q.budget())
    return _solved(q, sol, {**sol.stats, "prepare_s": prepare_s, "seconds": time.perf_counter() - q.started})


def _solved(q: _Query, sol: engine.Solution | engine.TimedSolution, stats: dict) -> Route:
    """The route of an engine solution (infeasible, with the engine's reason, without one)."""
    if not sol.found:
        return _infeasible(q, _REASONS[sol.reason](q.scenario, q.margin_nm, q.max_seconds), stats)
    return _feasible(q, _waypoints(q.origin, q.destination, sol.lonlat, q.scenario), stats)


def _fastest_route(q: _Query, wind: WindModel, aircraft: str) -> Route:
    """The minimum-time route: the engine's fastest path if `mintime.accept` keeps it, else the
    shortest route; labelled with the objective and the wind either way."""
    from routes.analysis.performance import Assumptions, get_aircraft  # lazily: OpenAP
    from routes.analysis.wind import StillAir

    reason = None if q.open_sky else _closed_airport(q)
    if reason is not None:
        return replace(_infeasible(q, reason), objective="time", wind=mintime.wind_label(wind))
    ac, assumptions = get_aircraft(aircraft), Assumptions()
    if isinstance(wind, StillAir):  # time is distance / TAS: the shortest route, no search
        shortest, candidate = _shortest_route(q), None
    else:
        shortest, candidate = _time_search(q, mintime.cruise_air(wind, ac, assumptions))
    if not shortest.feasible:
        return replace(shortest, objective="time", wind=mintime.wind_label(wind))
    chosen = mintime.accept(shortest, candidate, ac, assumptions, wind)
    return replace(chosen, stats={**chosen.stats, "seconds": time.perf_counter() - q.started})


def _time_search(q: _Query, air: mintime.CruiseAir) -> tuple[Route, Route | None]:
    """The shortest route, and the engine's faster path as a route (None if it kept the shortest)."""
    obstacles, band, prepare_s = _prepared(q)
    with disk_chart(obstacles, *q.ends):
        sol = engine.solve_time(
            *q.ends, obstacles, air, band=band, max_seconds=q.budget(), min_saving_s=mintime.MIN_SAVING_S
        )
    stats = {**sol.stats, "prepare_s": prepare_s}
    if not sol.found:
        return _solved(q, sol, stats), None
    shortest = _solved(q, sol.shortest, stats)
    if not sol.faster:
        return shortest, None
    named = sol.obstacle_km[1:-1] < ROUNDS_KM
    return shortest, _feasible(q, _waypoints(q.origin, q.destination, sol.lonlat, q.scenario, named), stats)


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


def _waypoints(
    a: Airport, b: Airport, lonlat: np.ndarray, scn: Scenario, named: np.ndarray | None = None
) -> tuple[Waypoint, ...]:
    """Waypoints of a path: the airports, and turn points named after the closed state each
    rounds (only those ``named``, when given)."""
    inner = lonlat[1:-1]
    named = np.ones(len(inner), bool) if named is None else named
    rounds = [""] * len(inner)
    if named.any():
        for i, code in zip(np.flatnonzero(named), _nearest_closed(inner[named], scn), strict=True):
            rounds[i] = code
    turns = [
        Waypoint(lat=float(la), lon=float(lo), name=f"T{i + 1}", rounds=r)
        for i, ((lo, la), r) in enumerate(zip(inner, rounds, strict=True))
    ]
    return (_end_waypoint(a), *turns, _end_waypoint(b))


def _nearest_closed(points: np.ndarray, scn: Scenario) -> list[str]:
    """Code of the nearest closed state to each turn point ("" for scenario polygons)."""
    return closed_airspace(scn).nearest_state(points)
