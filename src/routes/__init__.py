"""polar-routes: shortest flight routes that avoid closed airspace.

>>> import routes
>>> r = routes.route("SVO", "LAX", scenario="europe-closed")
>>> round(r.distance_km), r.states_rounded
"""

import importlib

from routes.airports import Airport, LatLon, get_airport, search_airports
from routes.errors import (
    ClimatologyPeriodError,
    InvalidCoordinateError,
    RoutesError,
    ScenarioError,
    UnknownAircraftError,
    UnknownAirportError,
    UnknownObjectiveError,
    WindCoverageError,
    WindDataError,
    WindFieldError,
)
from routes.overflight import Overflight, overflight
from routes.route import Leg, Route, Waypoint
from routes.routing import find_route, geodesic_route
from routes.scenarios import Scenario, builtin_scenarios, get_scenario, load_scenarios
from routes.verify import RouteCheck, verify_route

route = find_route
"""The front door: ``routes.route(origin, destination, scenario=..., margin_nm=...)``."""


def __getattr__(name: str) -> object:
    # lazily: routes.compare pulls in OpenAP (~0.5 s), which plain routing does not need
    if name == "route_table":
        return importlib.import_module("routes.compare").route_table
    raise AttributeError(f"module 'routes' has no attribute {name!r}")


__all__ = [
    "Airport",
    "ClimatologyPeriodError",
    "InvalidCoordinateError",
    "LatLon",
    "Leg",
    "Overflight",
    "Route",
    "RouteCheck",
    "RoutesError",
    "Scenario",
    "ScenarioError",
    "UnknownAircraftError",
    "UnknownAirportError",
    "UnknownObjectiveError",
    "Waypoint",
    "WindCoverageError",
    "WindDataError",
    "WindFieldError",
    "builtin_scenarios",
    "find_route",
    "geodesic_route",
    "get_airport",
    "get_scenario",
    "load_scenarios",
    "overflight",
    "route",
    "route_table",
    "search_airports",
    "verify_route",
]
