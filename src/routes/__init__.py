"""polar-routes: shortest flight routes that avoid closed airspace.

The front door is `routes.route`; everything a user needs is exported here.

>>> import routes
>>> r = routes.route("SVO", "LAX", scenario="europe-closed")
>>> round(r.distance_km), r.states_rounded
(9873, ('NOR', 'SJM', 'GRL'))

Data flows one way down. The package is built in floors; a module imports only from its own
floor or below (imports inside functions count), and no imports form a cycle, not even inside a
floor. ``tests/test_structure.py`` reads this list and enforces it:

1. base: ``routes.errors``, ``routes.units``, ``routes.geodesy`` (the only module that imports
   pyproj), ``routes.validation``, ``routes.extensions`` (methods added to a type from above),
   ``routes.schema`` (declared schemas of user files), ``routes.diskcache`` (the on-disk cache)
2. inputs: ``routes.inputs`` (airports, airspace, scenarios and bans, FIRs, airlines, cost data,
   packaged winds: loaders and small readers), ``routes.mission`` (the mission's defaults)
3. engine: ``routes.engine`` (the shortest-path search on prepared obstacles, knowing nothing of
   scenarios), ``routes.scenario_obstacles`` (a scenario's obstacles for the engine)
4. analysis: ``routes.result`` (the `Route` and its legs), ``routes.analysis`` (overflight,
   independent check, time/fuel/CO2, wind, diversion, polar exposure, en-route charges, cost)
5. results: ``routes.routing`` (the front door), ``routes.mintime`` (its minimum-time helpers: the
   flight time handed to the engine, the acceptance rule), ``routes.comparison`` (tables),
   ``routes.seasonal`` (both directions in each season's winds), ``routes.report_data``,
   ``routes.sensitivity`` (ranges on the headline deltas), ``routes.schedule_check`` (validation
   against published schedules), ``routes.itineraries`` (trips with stops), ``routes.stops``
   (technical stops suggested), ``routes.fleet_feasibility`` (which types of a fleet fly a route),
   ``routes.report_extras`` (the report's fleet tables and ranges), ``routes.study`` (one study's
   settings in one frozen object), ``routes.fastest_beside`` (the minimum-time route beside the
   shortest one), ``routes.explore_data`` (what an interactive map shows, computed)
6. presentation and network: ``routes.presentation`` (maps, report, interactive map, notebook
   output), ``routes.network`` (route matrices on Dask)
7. cli: ``routes.cli`` (the command line: one module per command group, each building one `Study`)
8. top: ``routes`` (this module, the facade) and ``routes.__main__``, which may import anything

Rich notebook output (``_repr_html_``) and ``.explore()`` are attached to `Route`, `Scenario`,
`Estimate` and `Comparison` from floor 6 (`routes.presentation.accessors`, imported here, registers
them through `routes.extensions`), the way pandas and xarray let a higher package register accessors:
no lower module imports presentation.
"""

import importlib

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
from routes.presentation import accessors as _accessors  # noqa: F401 - attaches _repr_html_ and .explore()
from routes.result import Leg, Route, Waypoint
from routes.routing import geodesic_route, route

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
    "MapLook": "routes.presentation.explore",
    "Study": "routes.study",
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
    "Itinerary": "routes.itineraries",
    "itinerary": "routes.itineraries",
    "StopSearch": "routes.stops",
    "StopSuggestion": "routes.stops",
    "suggest_stops": "routes.stops",
    # network scale: pulls in Dask
    "matrix": "routes.network.job",
    "MatrixOptions": "routes.network.plan",
    "Cluster": "routes.network.cluster",
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
    "Cluster",
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
    "MapLook",
    "MatrixOptions",
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
    "StopSearch",
    "StopSuggestion",
    "Study",
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
