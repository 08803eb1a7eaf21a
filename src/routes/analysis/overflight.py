"""Which states' sovereign airspace a route crosses, in order, with the distance inside each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from routes import validation
from routes.analysis.statemap import (
    INTERNATIONAL,
    clear_cache,
    km_by_code,
    path_states,
    prefetch_paths,
    segment_states,
)
from routes.inputs import airspace
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, require_feasible
from routes.units import km_to_nm

__all__ = [
    "INTERNATIONAL",
    "Overflight",
    "clear_cache",
    "international_km",
    "km_by_code",
    "overflight",
    "prefetch",
    "segment_states",
]


@dataclass(frozen=True, slots=True)
class Overflight:
    """Time spent over one state.

    Attributes
    ----------
    iso_a3 : str
        State code.
    name : str
        State name.
    distance_km : float
        Route length inside the state's sovereign airspace.
    state_closed : bool
        Whether the state's airspace is closed in the scenario the analysis was asked for.
    """

    iso_a3: str
    name: str
    distance_km: float
    state_closed: bool = False

    @property
    def distance_nm(self) -> float:
        """Distance inside the state in nautical miles."""
        return km_to_nm(self.distance_km)


def overflight(route: Route, scenario: str | Scenario | None = None, step_km: float = 1.0) -> list[Overflight]:
    """States crossed by ``route``, in order of first entry, with km inside each.

    Parameters
    ----------
    route : Route
    scenario
        Marks which states are closed (default: the route's own scenario, if built in).
    step_km : float
        Densification step; state boundaries are resolved to about this distance.

    Returns
    -------
    list of Overflight
        High-seas airspace is not listed; `international_km` gives it.

    Examples
    --------
    The pre-2022 great circle Moscow - Los Angeles, against the Europe-and-Canada closures:

    >>> import routes
    >>> crossed = overflight(routes.geodesic_route("SVO", "LAX"), "europe-canada-closed")
    >>> [(o.iso_a3, round(o.distance_km), o.state_closed) for o in crossed]  # doctest: +NORMALIZE_WHITESPACE
    [('RUS', 1047, False), ('FIN', 521, True), ('NOR', 265, True), ('GRL', 1296, True), ('CAN', 3322, True),
     ('USA', 1731, False)]
    """
    require_feasible(route, "list the overflown states of")
    step_km = validation.step_km(step_km, "step_km")
    scn = get_scenario(scenario if scenario is not None else route.scenario)
    codes, seg_km = path_states(route.lonlat(), step_km)
    order = km_by_code(codes, seg_km)
    order.pop(INTERNATIONAL, None)
    closed = scn.closed_states
    return [
        Overflight(iso_a3=c, name=airspace.state_name(c), distance_km=km, state_closed=c in closed)
        for c, km in order.items()
    ]


def international_km(route: Route, step_km: float = 1.0) -> float:
    """Route length over the high seas (outside every state's sovereign airspace), km."""
    require_feasible(route, "measure the high-seas distance of")
    step_km = validation.step_km(step_km, "step_km")
    codes, seg_km = path_states(route.lonlat(), step_km)
    return float(seg_km[codes == INTERNATIONAL].sum())


def prefetch(routes: Iterable[Route], step_km: float = 1.0) -> None:
    """Work out the overflown states of many routes in one batch (`statemap.prefetch_paths`);
    `overflight` and `international_km` of these routes then only read them. Infeasible routes
    are skipped. For batches (a route-matrix partition): it saves the fixed cost of a lookup
    per route."""
    step_km = validation.step_km(step_km, "step_km")
    prefetch_paths([r.lonlat() for r in routes if r.feasible], step_km)
