"""Feasibility tables for a pair: which of an airline's types fly it non-stop with a full load, which with fewer
seats, which need a stop (`fleet_feasibility`); and the payload each closure scenario costs, by month and
direction (`payload_loss`).

For each type of the airline's fleet (``data/fleets.csv``): the most payload the non-stop route allows (still air
or a given wind), the passengers that payload carries (full load = the type's seats at the passenger mass, no
cargo), and, when the non-stop cannot carry a full load, the best technical stop for a full load with its penalty
in minutes and USD (`routes.stops`). A type without the data the payload needs (its MZFW) is listed with the
missing field named instead of a figure.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pandas as pd

from routes.analysis.payload import max_payload, payload_by_month
from routes.analysis.performance import Assumptions, get_aircraft
from routes.analysis.wind import WindModel
from routes.errors import MissingAircraftDataError, StaleDataWarning, UnknownAircraftError
from routes.inputs.fleets import fleet
from routes.inputs.scenarios import Scenario
from routes.itineraries import operator_scenario_for
from routes.result import Route
from routes.routing import AirportLike, geodesic_route, route
from routes.stops import suggest_stops
from routes.study import Study

COLUMNS = (
    "airline",
    "aircraft",
    "count",
    "fleet_status",
    "distance_km",
    "max_payload_kg",
    "seats",
    "max_seats",
    "limit",
    "verdict",
    "stop",
    "extra_min",
    "extra_usd",
)


def _row(entry, r, scn: Scenario, a: Assumptions, wind: WindModel | None, with_stops: bool) -> dict:
    out = {"airline": entry.airline, "aircraft": entry.aircraft, "count": entry.count, "fleet_status": entry.status}
    try:
        ac = get_aircraft(entry.aircraft)
        m = max_payload(r, ac, a, wind)
    except (MissingAircraftDataError, UnknownAircraftError) as exc:
        return {**out, "verdict": f"no figure: {exc}"}
    full_kg = ac.seats * a.pax_mass_kg
    out |= {
        "distance_km": r.distance_km,
        "max_payload_kg": m.payload_kg,
        "seats": ac.seats,
        "max_seats": m.seats,
        "limit": m.limit,
    }
    if m.full_load(ac.seats):
        return {**out, "verdict": "non-stop, full load"}
    if m.within_range and m.seats > 0:
        out["verdict"] = f"non-stop, {m.seats} of {ac.seats} seats"
    else:
        out["verdict"] = "needs a stop"
    if with_stops:
        payload_kg = min(full_kg, ac.mzfw_kg - ac.oew_kg)
        s = suggest_stops(r.origin, r.destination, scn, ac, payload_kg=payload_kg, study=Study(assumptions=a))
        if s.options:
            best = s.options[0]
            out |= {"stop": "-".join(best.stops), "extra_min": best.extra_min, "extra_usd": best.extra_usd}
        elif out["verdict"] == "needs a stop":
            out["verdict"] = "no non-stop and no one- or two-stop itinerary"
    return out


def fleet_feasibility(
    origin: AirportLike,
    destination: AirportLike,
    scenario: str | Scenario,
    airline: str,
    assumptions: Assumptions | None = None,
    wind: WindModel | None = None,
    with_stops: bool = True,
    apply_bans: bool = False,
) -> pd.DataFrame:
    """One row per type of ``airline``'s fleet: non-stop payload, seats, verdict and, where needed, a stop.

    Parameters
    ----------
    origin, destination
        Airport codes.
    scenario : str or Scenario
        The closures (a mission scenario already stands for what is closed to the airline).
    airline : str
        ICAO or IATA designator with rows in ``data/fleets.csv`` (``"AFL"``, ``"SU"``).
    assumptions : Assumptions
        Passenger mass and reserve policy.
    wind : WindModel
        For the non-stop payload (the stop search is in still air).
    with_stops : bool
        Search for a stop where the non-stop cannot carry a full load.
    apply_bans : bool
        Also close what the ban table closes to the airline's state today (the airline must be in
        ``data/airlines.csv``).

    Returns
    -------
    pandas.DataFrame
        Columns `COLUMNS`; ``verdict`` is ``"non-stop, full load"``, ``"non-stop, N of M seats"``,
        ``"needs a stop"`` or names what is missing.
    """
    entries = fleet(airline)
    scn = operator_scenario_for(scenario, entries[0].airline if apply_bans else None)
    return fleet_on_route(route(origin, destination, scn), airline, assumptions, wind, with_stops)


def fleet_on_route(
    r: Route,
    airline: str,
    assumptions: Assumptions | None = None,
    wind: WindModel | None = None,
    with_stops: bool = True,
) -> pd.DataFrame:
    """`fleet_feasibility` on a route already found (its scenario is the closures; no bans are added).

    Lets a caller that holds the routes (`routes.comparison.compare`, the report) keep their margin and skip
    routing again. Parameters and the table as `fleet_feasibility`; a route that does not exist gives one row
    per type with its reason as the verdict.
    """
    entries = fleet(airline)
    if not r.feasible:
        rows = [{"airline": e.airline, "aircraft": e.aircraft, "count": e.count, "verdict": r.reason} for e in entries]
        return pd.DataFrame(rows, columns=list(COLUMNS))
    a = assumptions or Assumptions()
    rows = [_row(e, r, r.scenario, a, wind, with_stops) for e in entries]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def fleet_on_routes(
    found: Sequence[Route],
    airline: str,
    assumptions: Assumptions | None = None,
    wind: WindModel | None = None,
    with_stops: bool = True,
) -> pd.DataFrame:
    """`fleet_on_route` for each route that exists: one row per city x scenario x type of ``airline``'s fleet.

    Stale charge-rate warnings of the stop search are not repeated (the cost tables flag them).

    Returns
    -------
    pandas.DataFrame
        Columns ``origin, destination, scenario`` and `COLUMNS`; empty (with those columns) when no route exists.
    """
    frames = []
    for r in found:
        if not r.feasible:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StaleDataWarning)
            df = fleet_on_route(r, airline, assumptions, wind, with_stops)
        frames.append(df.assign(origin=r.origin.code, destination=r.destination.code, scenario=r.scenario.name))
    keys = ["origin", "destination", "scenario"]
    if not frames:
        return pd.DataFrame(columns=[*keys, *COLUMNS])
    return pd.concat(frames, ignore_index=True)[[*keys, *COLUMNS]]


def payload_loss(
    origin: AirportLike,
    destination: AirportLike,
    scenarios: Sequence[str | Scenario],
    aircraft: str = "B77W",
    months: Sequence[int] = tuple(range(1, 13)),
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """The most payload ``aircraft`` carries between the pair under each scenario, out and back, in each month's
    climatological wind, and what each scenario loses against the pre-2022 geodesic.

    Returns
    -------
    pandas.DataFrame
        As `routes.analysis.payload.payload_by_month` (``scenario``, ``direction``, ``month``, ``payload_kg``,
        ``seats``, ``limit``, ``loss_kg``, ``loss_seats`` ...); a scenario with no route is left out (its
        route's reason is in ``DataFrame.attrs["no_route"]``).
    """
    routes_by_name = {"pre-2022": geodesic_route(origin, destination)}
    no_route = {}
    for scenario in scenarios:
        r = route(origin, destination, scenario)
        name = r.scenario.name
        if r.feasible:
            routes_by_name.setdefault(name, r)
        else:
            no_route[name] = r.reason
    df = payload_by_month(routes_by_name, aircraft, assumptions, months, baseline="pre-2022")
    df.attrs["no_route"] = no_route
    return df
