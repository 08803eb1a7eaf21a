"""Comparison tables: origins x destinations x scenarios -> one DataFrame row each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from routes.airports import get_airport
from routes.overflight import overflight
from routes.route import Route
from routes.routing import AirportLike, find_route, geodesic_route
from routes.scenarios import MISSION_SCENARIOS, Scenario, get_scenario

MISSION_ORIGINS = ("SVO",)
"""Origins of the default report (Moscow Sheremetyevo)."""
MISSION_DESTINATIONS = ("LAX", "SFO", "SEA", "PDX")
"""Destinations of the default report (US West Coast)."""


def closed_overflown(route: Route, scenario: str | Scenario) -> list[str]:
    """Codes of the states closed in ``scenario`` that ``route`` crosses, in order."""
    return [o.iso_a3 for o in overflight(route, scenario) if o.closed]


def route_table(
    origins: Iterable[AirportLike] = MISSION_ORIGINS,
    destinations: Iterable[AirportLike] = MISSION_DESTINATIONS,
    scenarios: Iterable[str | Scenario] = MISSION_SCENARIOS,
    margin_nm: float = 0.0,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> tuple[pd.DataFrame, list[Route]]:
    """Routes for every origin x destination x scenario, and the table of their figures.

    The columns follow `Route.summary`, plus ``geodesic_closed_states`` (closed states the
    pre-2022 geodesic would cross in that scenario) and ``states_overflown`` (every state the
    route crosses). Infeasible combinations are rows with ``feasible=False`` and a ``reason``.
    """
    airports_o = [get_airport(o) for o in origins]
    airports_d = [get_airport(d) for d in destinations]
    scns: Sequence[Scenario] = [get_scenario(s) for s in scenarios]
    jobs = [(o, d, s) for o in airports_o for d in airports_d for s in scns if o != d]
    rows, routes = [], []
    baselines: dict[tuple[str, str], Route] = {}
    for o, d, s in progress(jobs) if progress else jobs:
        base = baselines.setdefault((o.code, d.code), geodesic_route(o, d))
        route = find_route(o, d, s, margin_nm)
        row = route.summary()
        row["geodesic_closed_states"] = " ".join(closed_overflown(base, s))
        row["states_overflown"] = " ".join(ov.iso_a3 for ov in overflight(route, s)) if route.feasible else ""
        rows.append(row)
        routes.append(route)
    return pd.DataFrame(rows), routes
