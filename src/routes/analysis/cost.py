"""The cost of a flight in money, and of a year of service: fuel, time-related costs and en-route
navigation charges, every figure in USD with its price year.

Fed by the stages before it: the `Route` (where it flies), its performance `Estimate` (block fuel and
block time) and the overflight of each state (km per state). Rates come from `routes.inputs.costdata`.

* **Fuel** = block fuel x jet-fuel price.
* **Time** = block hours x (flight crew + cabin crew + maintenance + ownership) per block hour of the
  aircraft's class (ownership: the type's own sourced value where the data has one).
* **En-route charges** per charging authority, each with its published formula, on the km flown in
  the states it charges (`routes.analysis.charges`). A state closed in the scenario is not overflown and charges
  nothing; states with no known rate are charged at a documented fallback rate and flagged.
* **Airport and terminal charges are left out**: they are the same for every scenario of a pair.

Two views of the same flight, each labelled in every output: the **marginal** cost (fuel, crew,
maintenance, charges: what flying it adds) and the **fully allocated** cost (plus ownership). Charging
ownership per block hour assumes a utilisation-limited fleet (every extra block hour needs more aircraft):
a modelling choice, which the marginal view leaves out. Charges use the rates valid on the cost's date
(default today) for the operator's tariff (`routes.inputs.ratedates`).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from routes.analysis.charges import NavigationCharges, navigation_charges
from routes.analysis.performance import Assumptions, Estimate, estimate, get_aircraft, require_estimate_of
from routes.analysis.wind import WindModel
from routes.errors import PriceError, ScheduleError
from routes.inputs.costdata import CostRates, HourlyCost, load_cost_rates
from routes.inputs.register import default
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, make_legs, require_feasible


@dataclass(frozen=True)
class FlightCost:
    """The cost of one flight, USD.

    Attributes
    ----------
    fuel_usd, time_usd, charges_usd : float
        The three components; `total_usd` (the fully allocated cost) is their sum.
    crew_usd, maintenance_usd, ownership_usd : float
        The time cost split (crew = flight + cabin crew).
    block_fuel_kg, block_time_min : float
        From the performance estimate.
    fuel_price_usd_per_kg : float
    hourly_class : str
        Aircraft class of the time-related costs.
    charges : NavigationCharges
    wind : str
        The estimate's wind label ("still air" or the wind source).
    flags : tuple of str
        What to be careful about (fallback charges, unconfirmed rates, stand-in classes).
    basis : str
        Price years and sources in one line.
    on : date or None
        The date whose charge rates were used.
    operator : str
        The operator's state whose tariff was used ("" when not known: foreign-operator tariffs).
    route_label, aircraft : str
        The flight costed (``"SVO-LAX"``) and its ICAO type: `annual_cost` refuses to add up costs of
        different aircraft, or months of different airport pairs in one direction (the path may change
        with the month).
    """

    fuel_usd: float
    time_usd: float
    charges_usd: float
    crew_usd: float
    maintenance_usd: float
    ownership_usd: float
    block_fuel_kg: float
    block_time_min: float
    fuel_price_usd_per_kg: float
    hourly_class: str
    charges: NavigationCharges
    wind: str
    flags: tuple[str, ...]
    basis: str
    on: date | None = None
    operator: str = ""
    route_label: str = ""
    aircraft: str = ""

    @property
    def total_usd(self) -> float:
        """Fuel + time + charges: the fully allocated cost (`fully_allocated_usd`)."""
        return self.fuel_usd + self.time_usd + self.charges_usd

    @property
    def fully_allocated_usd(self) -> float:
        """Marginal cost plus ownership per block hour (assumes a utilisation-limited fleet: a modelling choice)."""
        return self.total_usd

    @property
    def marginal_usd(self) -> float:
        """What flying the flight adds: fuel, crew, maintenance and charges (no ownership)."""
        return self.total_usd - self.ownership_usd

    def components(self) -> dict[str, float]:
        """``{"fuel": ..., "time": ..., "charges": ...}`` in USD."""
        return {"fuel": self.fuel_usd, "time": self.time_usd, "charges": self.charges_usd}


OWNERSHIP_NOTE = "ownership per block hour assumes a utilisation-limited fleet (a modelling choice)"
"""How the fully allocated view charges ownership, stated in every cost basis."""


def cost_basis(
    rates: CostRates,
    hourly_years: tuple[int, int] | None = None,
    on: date | None = None,
    hourly_usd_per_bh: float | None = None,
) -> str:
    """One line stating the prices used and their years (and the charges' date, when given)."""
    h = rates.hourly[0]
    lo, hi = hourly_years or h.price_years
    years = [r.price_year for r in rates.charges if r.known]
    dated = f" for {on.isoformat()}" if on is not None else ""
    per_bh = h.total_usd_per_bh if hourly_usd_per_bh is None else hourly_usd_per_bh
    return (
        f"USD; fuel {rates.fuel_price_usd_per_bbl:.0f} USD/bbl ({rates.fuel_price_year}); "
        f"time {per_bh:,.0f} USD/block h ({lo}-{hi} USD, {h.name}); "
        f"charges at {min(years)}-{max(years)} rates{dated}, FX ECB {rates.fx_as_of}; airport/terminal charges "
        f"excluded; fully allocated = marginal + ownership, {OWNERSHIP_NOTE}"
    )


def time_rates(rates: CostRates, aircraft: str, mtow_t: float) -> tuple[HourlyCost, bool, str]:
    """The aircraft's time-cost class with the type's own ownership cost where the data has one.

    Returns the class (ownership replaced for the type), whether the class is only a stand-in, and the
    ownership basis (``"type B77W (derived)"`` or ``"class widebody"``).
    """
    hourly, stand_in = rates.hourly_for(mtow_t)
    own = rates.ownership_for(aircraft)
    if own is None:
        return hourly, stand_in, f"class {hourly.name}"
    typed = replace(
        hourly,
        ownership_usd_per_bh=own.usd_per_bh,
        ownership_price_year=own.year or hourly.ownership_price_year,
        ownership_source=own.source,
        ownership_url=own.url,
    )
    return typed, stand_in, f"type {own.aircraft} ({own.status})"


def flight_cost(
    route: Route,
    estimate: Estimate,
    rates: CostRates | None = None,
    scenario: str | Scenario | None = None,
    high_seas: bool = True,
    *,
    on: date | str | None = None,
    operator: str | None = None,
) -> FlightCost:
    """Cost of one flight of ``route`` as estimated by ``estimate`` (same aircraft).

    Parameters
    ----------
    route : Route
        A feasible route.
    estimate : Estimate
        `routes.analysis.performance.estimate` of that route (its wind is carried through).
    rates : CostRates
        Default: the shipped data; see `routes.inputs.costdata.load_cost_rates` for overrides.
    scenario
        Closed states (default: the route's own scenario).
    on : date, ``"YYYY-MM-DD"`` or None
        The date whose charge rates apply (default today; see `routes.analysis.charges.navigation_charges`).
    operator : str or None
        ISO alpha-3 code of the operator's state (default: the scenario's operator, else foreign tariffs).
    """
    require_feasible(route, "cost")
    require_estimate_of(estimate, route, "cost")
    rates = rates or load_cost_rates()
    ac = get_aircraft(estimate.aircraft)
    hourly, stand_in, own_basis = time_rates(rates, ac.code, ac.mtow_kg / 1000.0)
    hours = estimate.block_time_min / 60.0
    nav = navigation_charges(route, ac, rates, scenario, high_seas, on=on, operator=operator)
    assert nav.dated is not None
    flags = _cost_flags(ac.code, ac.mtow_kg, hourly, stand_in, nav)
    cost = FlightCost(
        fuel_usd=estimate.block_fuel_kg * rates.fuel_price_usd_per_kg,
        time_usd=hours * hourly.total_usd_per_bh,
        charges_usd=nav.total_usd,
        crew_usd=hours * (hourly.flight_crew_usd_per_bh + hourly.cabin_crew_usd_per_bh),
        maintenance_usd=hours * hourly.maintenance_usd_per_bh,
        ownership_usd=hours * hourly.ownership_usd_per_bh,
        block_fuel_kg=estimate.block_fuel_kg,
        block_time_min=estimate.block_time_min,
        fuel_price_usd_per_kg=rates.fuel_price_usd_per_kg,
        hourly_class=hourly.name,
        charges=nav,
        wind=estimate.wind,
        flags=tuple(flags),
        basis=cost_basis(nav.dated.rates, hourly.price_years, nav.dated.on, hourly.total_usd_per_bh)
        + f"; ownership: {own_basis}",
        on=nav.dated.on,
        operator=nav.dated.operator,
        route_label=f"{route.origin.code}-{route.destination.code}",
        aircraft=ac.code,
    )
    _finite(cost, f"{route.origin.code}-{route.destination.code} flight cost")
    return cost


def _cost_flags(code: str, mtow_kg: float, hourly: HourlyCost, stand_in: bool, nav: NavigationCharges) -> list[str]:
    """What to be careful about in one flight's cost."""
    flags = []
    if stand_in:
        flags.append(f"no time-cost class for {code} (MTOW {mtow_kg / 1000:.0f} t): {hourly.name} figures used")
    if not hourly.confirmed:
        flags.append(f"time costs ({hourly.name}) partly derived/unconfirmed")
    if nav.fallback_states:
        flags.append("fallback charges: " + " ".join(nav.fallback_states))
    unconfirmed = sorted({i.authority_id for i in nav.items if i.note == "rate not confirmed current"})
    if unconfirmed:
        flags.append("unconfirmed rates: " + " ".join(unconfirmed))
    used = {i.authority_id for i in nav.items}
    if nav.dated is not None:
        flags += [c.flag for c in nav.dated.choices if c.flag and c.authority in used]
        flags += [f for cur, _r, f in nav.dated.fx if f and any(i.currency == cur for i in nav.items)]
    return flags


DirectionCost = FlightCost | Mapping[int, FlightCost] | Callable[[int], FlightCost]
"""One direction of a service: a single cost for every month, a mapping month (1-12) -> cost, or a
callable month -> cost (e.g. built on monthly wind climatology)."""


@dataclass(frozen=True)
class AnnualCost:
    """The cost of a year of service in both directions, USD.

    Attributes
    ----------
    flights_per_week : float
        Per direction.
    flights_per_year : float
        Both directions together (365-day year).
    total_usd, fuel_usd, time_usd, charges_usd : float
        ``total_usd`` is the fully allocated cost (ownership included).
    outbound_usd, inbound_usd : float
    basis : str
        How winds entered: ``"still air"``, or the wind labels of the monthly estimates; and whether the
        inbound direction mirrors the outbound one.
    ownership_usd : float
        The ownership part of ``time_usd``; `marginal_usd` leaves it out.
    """

    flights_per_week: float
    flights_per_year: float
    total_usd: float
    fuel_usd: float
    time_usd: float
    charges_usd: float
    outbound_usd: float
    inbound_usd: float
    basis: str
    ownership_usd: float = 0.0

    @property
    def marginal_usd(self) -> float:
        """Fuel, crew, maintenance and charges of the year (no ownership)."""
        return self.total_usd - self.ownership_usd


def _monthly(direction: DirectionCost, label: str) -> list[FlightCost]:
    if isinstance(direction, FlightCost):
        return [direction] * 12
    if isinstance(direction, Mapping):
        missing = [m for m in range(1, 13) if m not in direction]
        if missing:
            raise ScheduleError(f"{label}: monthly costs must cover months 1-12; missing {missing}")
        return _same_flight([direction[m] for m in range(1, 13)], label)
    if callable(direction):
        return _same_flight([direction(m) for m in range(1, 13)], label)
    raise ScheduleError(
        f"{label}: expected a FlightCost, a mapping month -> FlightCost or a callable, got {type(direction).__name__}"
    )


MAX_FLIGHTS_PER_WEEK = 700.0
"""Highest schedule accepted, flights a week each way: a hundred a day, above the busiest shuttle."""


def _same_flight(costs: list[FlightCost], label: str) -> list[FlightCost]:
    """Monthly costs of one direction: all `FlightCost` of one airport pair and aircraft, else `ScheduleError`."""
    for month, cost in enumerate(costs, start=1):
        if not isinstance(cost, FlightCost):
            raise ScheduleError(f"{label}: month {month} is a {type(cost).__name__}, expected a FlightCost")
    flights = sorted({(c.route_label, c.aircraft) for c in costs})
    if len(flights) > 1:
        raise ScheduleError(f"{label}: the monthly costs are of different flights: {flights}")
    return costs


def check_schedule(flights_per_week: float) -> float:
    """``flights_per_week`` if it is a finite number in ``(0, MAX_FLIGHTS_PER_WEEK]``, else `ScheduleError`."""
    ok = isinstance(flights_per_week, int | float) and not isinstance(flights_per_week, bool)
    if not ok or not math.isfinite(flights_per_week) or not 0 < flights_per_week <= MAX_FLIGHTS_PER_WEEK:
        raise ScheduleError(
            f"flights per week must be a number in (0, {MAX_FLIGHTS_PER_WEEK:g}] (e.g. 7 = daily, 3), "
            f"got {flights_per_week!r}"
        )
    return float(flights_per_week)


def _finite(result: FlightCost | AnnualCost, what: str) -> None:
    """Refuse a cost with a figure that is not finite (`PriceError` naming the figure)."""
    for name, value in vars(result).items():
        if isinstance(value, float) and not math.isfinite(value):
            raise PriceError(f"the {what}'s {name} is {value}: a price or rate in the cost data is out of range")


def annual_cost(
    outbound: DirectionCost,
    inbound: DirectionCost | None = None,
    flights_per_week: float | None = None,
) -> AnnualCost:
    """Cost of a year of service, ``flights_per_week`` in each direction (default: the register's, daily).

    Parameters
    ----------
    outbound, inbound : FlightCost, mapping month -> FlightCost, or callable month -> FlightCost
        Per-direction costs; with winds by month, pass the monthly costs and each month is weighted by
        its days (365-day year). ``inbound=None`` mirrors the outbound costs (exact in still air).
    flights_per_week : float
        Frequency per direction (7 = daily, 3 = three a week).
    """
    flights_per_week = check_schedule(default("flights_per_week") if flights_per_week is None else flights_per_week)
    out_m = _monthly(outbound, "outbound")
    in_m = _monthly(inbound, "inbound") if inbound is not None else out_m
    if out_m[0].aircraft != in_m[0].aircraft:
        types = f"{out_m[0].aircraft}, {in_m[0].aircraft}"
        raise ScheduleError(f"outbound and inbound costs are of different aircraft: {types}")
    days = [calendar.monthrange(2025, m)[1] for m in range(1, 13)]  # a 365-day year
    n = [flights_per_week * d / 7.0 for d in days]
    both = list(zip(n, out_m, in_m, strict=True))
    comp = {
        k: sum(w * (getattr(o, f"{k}_usd") + getattr(i, f"{k}_usd")) for w, o, i in both)
        for k in ("fuel", "time", "charges")
    }
    ownership = sum(w * (o.ownership_usd + i.ownership_usd) for w, o, i in both)
    winds = list(dict.fromkeys(c.wind for c in out_m + in_m))
    basis = "still air" if winds == ["still air"] else "winds: " + "; ".join(winds)
    if inbound is None:
        basis += ", inbound mirrors outbound"
    year = AnnualCost(
        flights_per_week=flights_per_week,
        flights_per_year=2 * sum(n),
        total_usd=sum(comp.values()),
        fuel_usd=comp["fuel"],
        time_usd=comp["time"],
        charges_usd=comp["charges"],
        outbound_usd=sum(k_n * o.total_usd for k_n, o in zip(n, out_m, strict=True)),
        inbound_usd=sum(k_n * i.total_usd for k_n, i in zip(n, in_m, strict=True)),
        basis=basis,
        ownership_usd=ownership,
    )
    _finite(year, "annual cost")
    return year


def charges_avoided_usd(baseline: FlightCost, scenario: str | Scenario) -> float:
    """Charges the pre-2022 route pays to states that ``scenario`` closes (they charge nothing now)."""
    closed = get_scenario(scenario).closed_states
    return float(sum(i.charge_usd for i in baseline.charges.items if i.states and set(i.states) <= closed))


COST_COLUMNS = (
    "cost_usd", "fuel_cost_usd", "time_cost_usd", "charges_usd", "extra_cost_usd", "extra_fuel_cost_usd",
    "extra_time_cost_usd", "extra_charges_usd", "charges_avoided_usd", "flights_per_week", "annual_cost_usd",
    "extra_annual_cost_usd", "annual_basis", "charges_by_authority", "charges_fallback", "cost_flags",
    "cost_basis", "ownership_cost_usd", "marginal_cost_usd", "extra_marginal_cost_usd", "annual_marginal_cost_usd",
    "extra_annual_marginal_cost_usd", "cost_date", "cost_operator", "charge_rates",
)  # fmt: skip
"""Columns `cost_columns` adds to a comparison row. ``cost_usd`` and the other ``*cost_usd`` without
``marginal`` are the fully allocated view (ownership per block hour included, assuming a utilisation-limited
fleet); ``marginal_*`` leave ownership out."""


def cost_columns(
    cost: FlightCost, baseline: FlightCost, scenario: str | Scenario, flights_per_week: float | None = None
) -> dict[str, object]:
    """Comparison-table columns of one flight against the pre-2022 ``baseline`` (USD, rounded).

    ``extra_*`` are the differences to the baseline; ``charges_avoided_usd`` is what the baseline pays to
    states the scenario closes; ``annual_*`` cover ``flights_per_week`` each way for a year (default: the
    register's).
    """
    flights_per_week = check_schedule(default("flights_per_week") if flights_per_week is None else flights_per_week)
    year, base_year = (
        annual_cost(cost, flights_per_week=flights_per_week),
        annual_cost(baseline, flights_per_week=flights_per_week),
    )
    return {
        "cost_usd": round(cost.total_usd),
        "fuel_cost_usd": round(cost.fuel_usd),
        "time_cost_usd": round(cost.time_usd),
        "charges_usd": round(cost.charges_usd),
        "extra_cost_usd": round(cost.total_usd - baseline.total_usd),
        "extra_fuel_cost_usd": round(cost.fuel_usd - baseline.fuel_usd),
        "extra_time_cost_usd": round(cost.time_usd - baseline.time_usd),
        "extra_charges_usd": round(cost.charges_usd - baseline.charges_usd),
        "charges_avoided_usd": round(charges_avoided_usd(baseline, scenario)),
        "flights_per_week": flights_per_week,
        "annual_cost_usd": round(year.total_usd),
        "extra_annual_cost_usd": round(year.total_usd - base_year.total_usd),
        "annual_basis": year.basis,
        "charges_by_authority": "; ".join(f"{k} {v:,.0f}" for k, v in cost.charges.by_authority().items()),
        "charges_fallback": " ".join(cost.charges.fallback_states),
        "cost_flags": "; ".join(cost.flags),
        "cost_basis": cost.basis,
        **_marginal_columns(cost, baseline, year, base_year),
    }


def _marginal_columns(cost: FlightCost, baseline: FlightCost, year: AnnualCost, base_year: AnnualCost) -> dict:
    """The marginal view (no ownership) beside the fully allocated one, and the date and tariff of the charges."""
    return {
        "ownership_cost_usd": round(cost.ownership_usd),
        "marginal_cost_usd": round(cost.marginal_usd),
        "extra_marginal_cost_usd": round(cost.marginal_usd - baseline.marginal_usd),
        "annual_marginal_cost_usd": round(year.marginal_usd),
        "extra_annual_marginal_cost_usd": round(year.marginal_usd - base_year.marginal_usd),
        "cost_date": cost.on.isoformat() if cost.on else "",
        "cost_operator": cost.operator or "foreign (not given)",
        "charge_rates": " ".join(f"{i.rate_id} ({i.period})" for i in cost.charges.items if i.rate_id),
    }


def reversed_route(route: Route) -> Route:
    """The same path flown the other way (destination to origin)."""
    waypoints = tuple(reversed(route.waypoints))
    return replace(
        route, origin=route.destination, destination=route.origin, waypoints=waypoints, legs=make_legs(waypoints)
    )


def annual_service_cost(
    outbound: Route,
    inbound: Route | None = None,
    aircraft: str = "B77W",
    flights_per_week: float | None = None,
    rates: CostRates | None = None,
    assumptions: Assumptions | None = None,
    wind_by_month: Callable[[int], WindModel] | None = None,
    *,
    on: date | str | None = None,
    operator: str | None = None,
) -> AnnualCost:
    """Annual cost of a service on ``outbound`` (and ``inbound``, its return), estimated month by month.

    Parameters
    ----------
    outbound, inbound : Route
        The two directions. ``inbound=None``: in still air the outbound costs are mirrored; with winds the
        outbound route is flown in reverse (the shortest path is the same both ways).
    wind_by_month : callable month (1-12) -> WindModel, optional
        Winds by month (e.g. a monthly climatology); each direction is estimated with each month's
        wind. Default still air, which the result's ``basis`` states.
    on, operator
        The date of the charge rates and the operator's state, as in `flight_cost`.
    """
    flights_per_week = check_schedule(default("flights_per_week") if flights_per_week is None else flights_per_week)
    rates = rates or load_cost_rates()
    if inbound is None and wind_by_month is not None:
        inbound = reversed_route(outbound)

    def direction(route: Route) -> DirectionCost:
        def cost(wind: WindModel | None) -> FlightCost:
            return flight_cost(route, estimate(route, aircraft, assumptions, wind), rates, on=on, operator=operator)

        if wind_by_month is None:
            return cost(None)
        return {m: cost(wind_by_month(m)) for m in range(1, 13)}

    return annual_cost(direction(outbound), direction(inbound) if inbound is not None else None, flights_per_week)
