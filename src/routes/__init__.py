"""polar-routes: shortest flight routes that avoid closed airspace.

The front door is `routes.route`; everything a user needs is exported here.

>>> import routes
>>> r = routes.route("SVO", "LAX", scenario="europe-closed")
>>> round(r.distance_km), r.states_rounded
(9873, ('NOR', 'SJM', 'GRL'))

The package is laid out by stage: `routes.inputs` (airports, airspace data, scenarios),
`routes.engine` (the shortest-path search), `routes.routing` (the front door) and
`routes.result` (the `Route` it returns), `routes.analysis` (overflight, independent check,
time/fuel/CO2, wind, diversion, polar exposure, en-route charges, cost in USD), `routes.comparison` (tables) and
`routes.presentation` (maps, report, command line).
"""

import importlib
import sys

from routes._compat import MOVED_MODULE_FINDER, RoutesPackage
from routes.analysis.overflight import Overflight, overflight
from routes.analysis.verify import RouteCheck, verify_route
from routes.errors import (
    ClimatologyPeriodError,
    CostDataError,
    EmptyComparisonError,
    InfeasibleRouteError,
    InvalidCoordinateError,
    ObjectiveError,
    PriceError,
    RoutesError,
    ScenarioError,
    ScheduleError,
    UnknownAircraftError,
    UnknownAirportError,
    UnknownAuthorityError,
    UnknownCurrencyError,
    WindCoverageError,
    WindDataError,
    WindFieldError,
)
from routes.inputs.airports import Airport, LatLon, get_airport, search_airports
from routes.inputs.scenarios import Scenario, builtin_scenarios, get_scenario, load_scenarios
from routes.result import Leg, Route, Waypoint
from routes.routing import find_route, geodesic_route, route

if MOVED_MODULE_FINDER not in sys.meta_path:
    sys.meta_path.append(MOVED_MODULE_FINDER)
sys.modules[__name__].__class__ = RoutesPackage

# Imported on first use: these pull in OpenAP (~0.5 s) or matplotlib, which plain routing does not need.
_LAZY = {
    "Comparison": "routes.comparison",
    "compare": "routes.comparison",
    "route_table": "routes.comparison",
    "Aircraft": "routes.analysis.performance",
    "Assumptions": "routes.analysis.performance",
    "Estimate": "routes.analysis.performance",
    "estimate": "routes.analysis.performance",
    "get_aircraft": "routes.analysis.performance",
    "Diversion": "routes.analysis.diversion",
    "diversion": "routes.analysis.diversion",
    "PolarFlags": "routes.analysis.polar",
    "polar_flags": "routes.analysis.polar",
    "average_wind": "routes.analysis.wind",
    "climatology": "routes.analysis.climatology",
    "wind_from_dataset": "routes.analysis.wind",
    "plot_routes": "routes.presentation.maps",
    "save_figure": "routes.presentation.maps",
    "write_report": "routes.presentation.report",
    "explore": "routes.presentation.explore",
    "CostRates": "routes.inputs.costdata",
    "load_cost_rates": "routes.inputs.costdata",
    "navigation_charges": "routes.analysis.charges",
    "FlightCost": "routes.analysis.cost",
    "flight_cost": "routes.analysis.cost",
    "annual_cost": "routes.analysis.cost",
    "annual_service_cost": "routes.analysis.cost",
    # feasibility: payload-range, itineraries, technical stops
    "MaxPayload": "routes.analysis.payload",
    "max_payload": "routes.analysis.payload",
    "payload_range": "routes.analysis.payload",
    "Itinerary": "routes.itinerary",
    "itinerary": "routes.itinerary",
    "StopSuggestion": "routes.stops",
    "suggest_stops": "routes.stops",
    # network scale: pulls in Dask
    "matrix": "routes.network.job",
    "Region": "routes.network.pairs",
    "read_matrix": "routes.network.store",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'routes' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Aircraft",
    "Airport",
    "Assumptions",
    "ClimatologyPeriodError",
    "Comparison",
    "CostDataError",
    "CostRates",
    "Diversion",
    "EmptyComparisonError",
    "Estimate",
    "FlightCost",
    "InfeasibleRouteError",
    "InvalidCoordinateError",
    "Itinerary",
    "LatLon",
    "Leg",
    "MaxPayload",
    "ObjectiveError",
    "Overflight",
    "PolarFlags",
    "PriceError",
    "Region",
    "Route",
    "RouteCheck",
    "RoutesError",
    "Scenario",
    "ScenarioError",
    "ScheduleError",
    "StopSuggestion",
    "UnknownAircraftError",
    "UnknownAirportError",
    "UnknownAuthorityError",
    "UnknownCurrencyError",
    "Waypoint",
    "WindCoverageError",
    "WindDataError",
    "WindFieldError",
    "annual_cost",
    "annual_service_cost",
    "average_wind",
    "builtin_scenarios",
    "climatology",
    "compare",
    "diversion",
    "estimate",
    "explore",
    "find_route",
    "flight_cost",
    "geodesic_route",
    "get_aircraft",
    "get_airport",
    "get_scenario",
    "itinerary",
    "load_cost_rates",
    "load_scenarios",
    "matrix",
    "max_payload",
    "navigation_charges",
    "overflight",
    "payload_range",
    "plot_routes",
    "polar_flags",
    "read_matrix",
    "route",
    "route_table",
    "save_figure",
    "search_airports",
    "suggest_stops",
    "verify_route",
    "wind_from_dataset",
]
