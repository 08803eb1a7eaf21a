"""The minimum-time route beside the shortest one, and the comparison columns that set them side by side."""

from __future__ import annotations

from typing import Any

from routes.analysis.performance import estimate
from routes.analysis.wind import still_air
from routes.result import Route
from routes.routing import route
from routes.study import Study


def fastest_beside(shortest: Route, shortest_block_min: float, study: Study) -> tuple[Route, dict[str, Any]]:
    """The minimum-time route of ``shortest``'s airports and scenario in the study's wind (still air if
    none), flown by the study's first aircraft, and its columns for a `routes.comparison.compare` row.

    Parameters
    ----------
    shortest : Route
        A feasible shortest route (its origin, destination, scenario and margin are reused).
    shortest_block_min : float
        Block time of ``shortest`` in the same wind, minutes (the saving is against it).
    study : Study
        Aircraft, assumptions and wind.

    Returns
    -------
    tuple of (Route, dict)
        The route and ``mintime_wind, mintime_distance_km, mintime_block_time_min, mintime_saving_min,
        mintime_waypoints``.
    """
    aircraft = study.aircraft[0]
    fast = route(
        shortest.origin,
        shortest.destination,
        shortest.scenario,
        shortest.margin_nm,
        objective="time",
        wind=study.wind or still_air(),
        aircraft=aircraft,
    )
    block = estimate(fast, aircraft, study.assumptions, wind=study.wind).block_time_min
    columns = {
        "mintime_wind": fast.wind,
        "mintime_distance_km": round(fast.distance_km, 1),
        "mintime_block_time_min": round(block, 1),
        "mintime_saving_min": round(float(shortest_block_min) - block, 1),
        "mintime_waypoints": " ".join(f"{w.lat:.2f},{w.lon:.2f}" for w in fast.waypoints),
    }
    return fast, columns
