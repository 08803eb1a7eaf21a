"""Itineraries: a trip of one or more legs, each a constrained route, with ground time at each stop.

`itinerary(["SVO", "ANC", "LAX"], scenario="europe-canada-closed", aircraft="IL96")` flies every leg as
`routes.route` under the scenario (plus, with ``operator``, the airspace closed to that airline's state by
the ban table) and gives for the whole trip the block time (legs plus ground time), fuel, CO2 and cost, and
for each leg its ETOPS category and the most payload it can carry.

A stop is refused (a specific `ItineraryError`) when it lies in closed airspace or in a state closed to the
operator, when its runways are too short or narrow for the type, or when the same airport comes twice in a
row. Ground time at a technical stop defaults to the sourced figure of ``data/stops.toml`` (90 min,
secondary). Landing and fuel-flowage charges at a stop are included where ``data/stops.toml`` has a sourced
figure, and flagged as left out otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from routes import validation
from routes.analysis.cost import FlightCost, flight_cost
from routes.analysis.diversion import RUNWAY_WIDTH_M, Diversion, alternates_table, code_letter, diversion
from routes.analysis.payload import MaxPayload, check_payload, max_payload
from routes.analysis.performance import Aircraft, Assumptions, Estimate, estimate, get_aircraft
from routes.analysis.wind import WindModel
from routes.errors import (
    ClosedStopError,
    ItineraryTooShortError,
    RepeatedAirportError,
    RunwayTooShortError,
    UnknownOperatorError,
)
from routes.inputs import airspace
from routes.inputs.airports import Airport, get_airport, same_point
from routes.inputs.closures import closed_airspace
from routes.inputs.register import default
from routes.inputs.scenarios import Scenario, get_scenario
from routes.inputs.stopdata import stop_charges, technical_stop_ground_time
from routes.result import Route
from routes.routing import AirportLike, route
from routes.study import Study


@dataclass(frozen=True)
class ItineraryLeg:
    """One leg of an itinerary.

    Attributes
    ----------
    route : Route
        The constrained route (may be infeasible: then the other fields are None).
    estimate : Estimate or None
        Time and fuel at the itinerary's payload.
    cost : FlightCost or None
    max_payload : MaxPayload or None
        The most payload the leg allows, and the binding limit.
    diversion : Diversion or None
        ETOPS category and alternates along the leg.
    """

    route: Route
    estimate: Estimate | None
    cost: FlightCost | None
    max_payload: MaxPayload | None
    diversion: Diversion | None

    @property
    def feasible(self) -> bool:
        """The route exists and carries the itinerary's payload."""
        return self.estimate is not None and self.estimate.within_range


@dataclass(frozen=True)
class Itinerary:
    """A trip through one or more stops.

    Attributes
    ----------
    airports : tuple of Airport
        Origin, stops, destination.
    legs : tuple of ItineraryLeg
    ground_times_min : tuple of float
        At each stop.
    stop_charges_usd : tuple of float
        Landing and fuel-flowage charges at each stop (0 where no sourced figure: see ``flags``).
    scenario : Scenario
        The closures flown around (the operator's included).
    aircraft : str
    payload_kg : float
        Carried on every leg.
    flags : tuple of str
        What is left out or uncertain.
    """

    airports: tuple[Airport, ...]
    legs: tuple[ItineraryLeg, ...]
    ground_times_min: tuple[float, ...]
    stop_charges_usd: tuple[float, ...]
    scenario: Scenario
    aircraft: str
    payload_kg: float
    flags: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """Airport codes in order."""
        return tuple(a.code for a in self.airports)

    @property
    def stops(self) -> tuple[Airport, ...]:
        """The intermediate airports."""
        return self.airports[1:-1]

    @property
    def feasible(self) -> bool:
        """Every leg exists and carries the payload."""
        return all(leg.feasible for leg in self.legs)

    def _sum(self, attr: str) -> float:
        if not all(leg.estimate is not None for leg in self.legs):
            return float("nan")
        return float(sum(getattr(leg.estimate, attr) for leg in self.legs))

    @property
    def distance_km(self) -> float:
        """Total route length (km)."""
        return float(sum(leg.route.distance_km for leg in self.legs))

    @property
    def block_time_min(self) -> float:
        """Trip time: the legs' block times plus the ground time at each stop (min)."""
        return self._sum("block_time_min") + sum(self.ground_times_min)

    @property
    def block_fuel_kg(self) -> float:
        """Fuel burned on all legs (kg)."""
        return self._sum("block_fuel_kg")

    @property
    def co2_kg(self) -> float:
        """CO2 of all legs (kg)."""
        return self.block_fuel_kg * default("kg_co2_per_kg_fuel")

    @property
    def cost_usd(self) -> float:
        """Fuel, time and en-route charges of all legs, plus the sourced charges at the stops (USD)."""
        if not all(leg.cost is not None for leg in self.legs):
            return float("nan")
        return float(sum(leg.cost.total_usd for leg in self.legs) + sum(self.stop_charges_usd))

    @property
    def max_payload_kg(self) -> float:
        """The most payload every leg can carry (kg; NaN when a leg has no route)."""
        if not all(leg.max_payload is not None for leg in self.legs):
            return float("nan")
        return float(min(leg.max_payload.payload_kg for leg in self.legs))

    def __repr__(self) -> str:
        via = "-".join(self.codes)
        if not self.feasible:
            return f"Itinerary({via}, {self.aircraft}, not feasible at {self.payload_kg:,.0f} kg)"
        return (
            f"Itinerary({via}, {self.aircraft}, {self.distance_km:,.0f} km, {self.block_time_min:,.0f} min, "
            f"{self.block_fuel_kg:,.0f} kg fuel, USD {self.cost_usd:,.0f})"
        )


def operator_scenario_for(scenario: str | Scenario, operator: str | None) -> Scenario:
    """``scenario`` with the airspace closed to ``operator`` (airline designator, or ISO state code) added."""
    scn = get_scenario(scenario)
    if not operator:
        return scn
    try:
        op = Scenario.for_airline(operator)
    except UnknownOperatorError:
        op = Scenario.for_operator(operator)
    extra = sorted(op.closed_states - scn.closed_states)
    return scn.with_closed(*extra, name=f"{scn.name}+{operator}") if extra else scn


def _check_sequence(airports: Sequence[Airport]) -> None:
    if len(airports) < 2:
        raise ItineraryTooShortError(
            f"an itinerary needs an origin and a destination, got {len(airports)} airport(s): "
            "give at least two, e.g. ['SVO', 'LAX']"
        )
    for a, b in pairwise(airports):
        if same_point(a, b):
            raise RepeatedAirportError(
                f"{a.code} comes twice in a row in the itinerary {'-'.join(x.code for x in airports)}; "
                "each leg needs two different airports"
            )


def check_stop_open(stop: Airport, scenario: Scenario) -> None:
    """Refuse a stop in closed airspace or in a state closed in ``scenario``.

    Raises
    ------
    ClosedStopError
    """
    state = closed_airspace(scenario).state_at(lon=stop.lon, lat=stop.lat)
    iso3 = airspace.alpha3(stop.country)
    if state is None and iso3 in scenario.closed_states:
        state = iso3
    if state is not None:
        where = f"{airspace.state_name(state)} ({state})" if state else "a closed polygon"
        raise ClosedStopError(
            f"stop {stop.code} lies in the closed airspace of {where} in scenario {scenario.name}; "
            "choose a stop outside the closed states"
        )


def required_runway_m(ac: Aircraft) -> tuple[float, float]:
    """(length, width) in metres a stop's runway needs for the type: its take-off field length at MTOW
    (``data/aircraft``; 2,500 m when unknown) and the ICAO Annex 14 width of its code letter."""
    length = ac.takeoff_field_m if ac.takeoff_field_m is not None else default("min_runway_m")
    return length, RUNWAY_WIDTH_M[code_letter(ac.wingspan_m)]


def check_stop_runway(stop: Airport, ac: Aircraft) -> None:
    """Refuse a stop whose longest paved runway is too short or narrow for the type.

    Raises
    ------
    RunwayTooShortError
        Naming the runway found and the length and width needed.
    """
    length, width = required_runway_m(ac)
    table = alternates_table()
    row = table[(table["icao"] == stop.icao) | (table["ident"] == stop.icao)] if stop.icao else table.iloc[:0]
    if row.empty:
        raise RunwayTooShortError(
            f"stop {stop.code} has no open paved runway of 1,800 m or more in data/alternates.csv; the {ac.code} "
            f"needs {length:,.0f} m x {width:g} m"
        )
    best = row.iloc[0]
    if best["runway_length_m"] < length or best["runway_width_m"] < width:
        raise RunwayTooShortError(
            f"stop {stop.code}'s longest paved runway is {best['runway_length_m']:,.0f} m x "
            f"{best['runway_width_m']:g} m; the {ac.code} needs {length:,.0f} m x {width:g} m (take-off at MTOW)"
        )


def _leg(r: Route, ac: Aircraft, a: Assumptions, wind: WindModel | None, scn: Scenario) -> ItineraryLeg:
    if not r.feasible:
        return ItineraryLeg(r, None, None, None, None)
    est = estimate(r, ac, a, wind)
    return ItineraryLeg(
        route=r,
        estimate=est,
        cost=flight_cost(r, est, scenario=scn),
        max_payload=max_payload(r, ac, a, wind),
        diversion=diversion(r, scn, aircraft=ac.code),
    )


def _stop_charges(stops: Sequence[Airport], legs: Sequence[ItineraryLeg], ac: Aircraft) -> tuple[list, list]:
    charges, flags = [], []
    for stop, next_leg in zip(stops, legs[1:], strict=True):
        data = stop_charges(stop.iata) if stop.iata else None
        if data is None or next_leg.estimate is None:
            charges.append(0.0)
            flags.append(f"landing/handling charges at {stop.code} not included (no sourced figure)")
            continue
        uplift = next_leg.estimate.block_fuel_kg + next_leg.estimate.reserve_fuel_kg
        charges.append(data.total_usd(ac.mtow_kg, uplift))
        flags.append(
            f"charges at {stop.code}: landing and fuel flowage, {data.date} rates ({data.status}); "
            "handling not included"
        )
    return charges, flags


def itinerary(
    airports: Sequence[AirportLike],
    scenario: str | Scenario = "pre-2022",
    aircraft: str | Aircraft | None = None,
    operator: str | None = None,
    *,
    ground_time_min: float | Sequence[float] | None = None,
    payload_kg: float | None = None,
    study: Study | None = None,
) -> Itinerary:
    """A trip through ``airports``, every leg a constrained route.

    Parameters
    ----------
    airports : sequence of airport codes (or Airport / LatLon)
        Origin, stops, destination.
    scenario : str or Scenario
    aircraft : str or Aircraft, optional
        ICAO type, OpenAP or ``data/aircraft`` (``"IL96"``); default the study's first type (``"B77W"``).
    operator : str, optional
        Airline designator (``"AFL"``, ``"SU"``) or ISO state code: the airspace the ban table closes to it
        is closed too, and no stop may lie in it.
    ground_time_min : float, sequence of float or None
        At each stop (one figure for all, or one per stop); default the sourced technical-stop figure.
    payload_kg : float, optional
        Payload on every leg (default: the study's assumptions, passengers and cargo).
    study : Study, optional
        The settings used: ``assumptions`` (payload, taxi, reserves, cruise) and ``wind`` (default still
        air); its ``aircraft`` when ``aircraft`` is not given. Default `routes.study.Study()`.

    Raises
    ------
    ItineraryTooShortError, RepeatedAirportError, ClosedStopError, RunwayTooShortError
        Fewer than two airports; one airport twice in a row; a stop in closed airspace or in a state closed
        to the operator; a stop with runways too short or narrow for the type.
    PayloadError
        A payload below zero or above MZFW - OEW.

    Examples
    --------
    >>> it = itinerary(["SVO", "ANC", "LAX"], scenario="europe-canada-closed", aircraft="IL96")
    >>> it.feasible, [round(leg.route.distance_km) for leg in it.legs]
    (True, [6997, 3774])
    """
    study = study if study is not None else Study()
    aps = [get_airport(a) for a in airports] if not isinstance(airports, str | bytes) else []
    _check_sequence(aps)
    ac = aircraft if aircraft is not None else study.aircraft[0]
    ac = ac if isinstance(ac, Aircraft) else get_aircraft(ac)
    scn = operator_scenario_for(scenario, operator)
    return fly_itinerary(
        aps, scn, ac, study.assumptions, study.wind, ground_time_min=ground_time_min, payload_kg=payload_kg
    )


def fly_itinerary(
    airports: Sequence[Airport],
    scenario: Scenario,
    ac: Aircraft,
    assumptions: Assumptions,
    wind: WindModel | None = None,
    *,
    ground_time_min: float | Sequence[float] | None = None,
    payload_kg: float | None = None,
    leg_routes: Sequence[Route] | None = None,
) -> Itinerary:
    """The itinerary through ``airports`` (a checked sequence), its stops checked as in `itinerary`.

    Internal to the package (`itinerary` is the entry point): the arguments are resolved already (the
    scenario includes the operator's closures), and ``leg_routes`` are the legs' routes when already
    computed under the same scenario (as `routes.stops` does); otherwise every leg is routed.
    """
    for stop in airports[1:-1]:
        check_stop_open(stop, scenario)
        check_stop_runway(stop, ac)
    a = assumptions
    if payload_kg is not None:
        a = replace(a, load_factor=0.0, cargo_kg=check_payload(ac, payload_kg))
    grounds = _ground_times(ground_time_min, len(airports) - 2)
    pairs = pairwise(airports)
    rs = list(leg_routes) if leg_routes is not None else [route(o, d, scenario) for o, d in pairs]
    legs = tuple(_leg(r, ac, a, wind, scenario) for r in rs)
    charges, flags = _stop_charges(airports[1:-1], legs, ac)
    payload = ac.seats * a.load_factor * a.pax_mass_kg + a.cargo_kg
    return Itinerary(tuple(airports), legs, grounds, tuple(charges), scenario, ac.code, payload, tuple(flags))


def _ground_times(ground_time_min: float | Sequence[float] | None, n_stops: int) -> tuple[float, ...]:
    if ground_time_min is None:
        return (technical_stop_ground_time().minutes,) * n_stops
    if isinstance(ground_time_min, int | float) and not isinstance(ground_time_min, bool):
        return (validation.as_number(ground_time_min, "ground_time_min", low=0.0, high=1440.0),) * n_stops
    values = tuple(validation.as_number(g, "ground_time_min", low=0.0, high=1440.0) for g in ground_time_min)
    if len(values) != n_stops:
        from routes.errors import InvalidInputError

        raise InvalidInputError(f"ground_time_min has {len(values)} figure(s) for {n_stops} stop(s)")
    return values
