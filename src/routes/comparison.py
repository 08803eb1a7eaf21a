"""Comparison tables: origins x destinations x scenarios -> one DataFrame row each."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from routes import routing, validation
from routes.analysis.cost import COST_COLUMNS, FlightCost, cost_columns, flight_cost
from routes.analysis.diversion import Diversion, diversion
from routes.analysis.overflight import overflight
from routes.analysis.overflight import prefetch as overflight_prefetch
from routes.analysis.payload import max_payload
from routes.analysis.performance import Aircraft, Assumptions, Estimate, cruise_tas_kt, estimate, get_aircraft
from routes.analysis.polar import polar_flags
from routes.analysis.wind import WindModel
from routes.errors import InvalidCoordinateError, InvalidInputError, MissingAircraftDataError, RoutesError
from routes.extensions import extensible
from routes.inputs.airports import Airport, get_airport, same_point
from routes.inputs.costdata import CostRates, load_cost_rates
from routes.inputs.ratedates import cost_date
from routes.inputs.scenarios import Scenario, get_scenario
from routes.mission import MISSION_DESTINATIONS, MISSION_ORIGINS, MISSION_SCENARIOS
from routes.result import Route
from routes.routing import AirportLike, geodesic_route
from routes.seasonal import direction_table, wide_column_names, wide_columns
from routes.sensitivity import COMPARE_COLUMNS, Pricing, interval_columns, monthly_spread, sensitivity
from routes.study import Study

if TYPE_CHECKING:
    import geopandas as gpd


@extensible
@dataclass(frozen=True)
class Comparison:
    """The result of `compare` (or `route_table`): the table and the routes behind it.

    ``table, routes = routes.compare(...)`` still works (the object unpacks as a pair).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per origin x destination x scenario (x aircraft for `compare`).
    routes : tuple of Route
        One per origin x destination x scenario, in table order.
    fleet : pandas.DataFrame
        With a study naming an ``airline``: one row per origin x destination x scenario (with a route) x type
        of the airline's fleet, `routes.fleet_feasibility.fleet_on_routes` (non-stop with a full load, with
        fewer seats, or via which technical stop at what extra minutes and USD). Empty otherwise.
    """

    table: pd.DataFrame
    routes: tuple[Route, ...]
    fleet: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __iter__(self) -> Iterator[object]:
        return iter((self.table, list(self.routes)))

    def __getitem__(self, index: int) -> object:
        return (self.table, list(self.routes))[index]

    def __repr__(self) -> str:
        infeasible = sum(not r.feasible for r in self.routes)
        fleet = f", fleet table of {len(self.fleet)} rows" if len(self.fleet) else ""
        return f"Comparison({len(self.table)} rows, {len(self.routes)} routes, {infeasible} infeasible{fleet})"

    def to_geodataframe(self, max_step_km: float = 5.0) -> gpd.GeoDataFrame:
        """One row per feasible route (EPSG:4326): its `Route.summary` columns and geometry."""
        import geopandas as gpd

        frames = [r.to_geodataframe(max_step_km) for r in self.routes if r.feasible]
        if not frames:
            return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def closed_overflown(route: Route, scenario: str | Scenario) -> list[str]:
    """Codes of the states closed in ``scenario`` that ``route`` crosses, in order."""
    return [o.iso_a3 for o in overflight(route, scenario) if o.state_closed]


def route_table(
    origins: Iterable[AirportLike] = MISSION_ORIGINS,
    destinations: Iterable[AirportLike] = MISSION_DESTINATIONS,
    scenarios: Iterable[str | Scenario] = MISSION_SCENARIOS,
    margin_nm: float = 0.0,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> Comparison:
    """Routes for every origin x destination x scenario, and the table of their figures.

    The columns follow `Route.summary`, plus ``geodesic_closed_states`` (closed states the
    pre-2022 geodesic would cross in that scenario) and ``states_overflown`` (every state the
    route crosses). Infeasible combinations are rows with ``feasible=False`` and a ``reason``.
    """
    airports_o = [get_airport(o) for o in _items(origins, "origins")]
    airports_d = [get_airport(d) for d in _items(destinations, "destinations")]
    scns: Sequence[Scenario] = [get_scenario(s) for s in _items(scenarios, "scenarios")]
    margin_nm = validation.margin_nm(margin_nm)
    jobs = [(o, d, s) for o in airports_o for d in airports_d for s in scns if not same_point(o, d)]
    if not jobs:
        pairs = [f"{o.code} and {d.code}" if o.code != d.code else o.code for o in airports_o for d in airports_d]
        if len(pairs) == 1:
            raise InvalidCoordinateError(
                f"origin and destination are the same point ({pairs[0]}); a route needs two different places"
            )
        raise InvalidCoordinateError(
            f"nothing to compare: every origin-destination pair is one place ({', '.join(pairs)}); "
            "give two different airports"
        )
    rows, routes = route_rows(progress(jobs) if progress else jobs, margin_nm)
    return Comparison(pd.DataFrame(rows), tuple(routes))


def route_rows(
    jobs: Iterable[tuple[Airport, Airport, Scenario]], margin_nm: float = 0.0
) -> tuple[list[dict[str, Any]], list[Route]]:
    """The routes of (origin, destination, scenario) triples and their `route_table` rows.

    For callers that check their inputs themselves (the route-matrix job): no lookups, no
    DataFrame. The states the pre-2022 geodesic crosses are found once per pair.
    """
    routed = [(o, d, s, routing.route(o, d, s, margin_nm)) for o, d, s in jobs]
    geodesics = {(o.code, d.code): geodesic_route(o, d) for o, d, _, _ in routed}
    overflight_prefetch([*geodesics.values(), *(r for *_, r in routed)])  # one batch: cheaper than per route
    crossed = {pair: [ov.iso_a3 for ov in overflight(g)] for pair, g in geodesics.items()}
    rows = []
    for o, d, s, route in routed:
        row = route.summary()
        row["geodesic_closed_states"] = " ".join(c for c in crossed[(o.code, d.code)] if c in s.closed_states)
        row["states_overflown"] = " ".join(ov.iso_a3 for ov in overflight(route, s)) if route.feasible else ""
        rows.append(row)
    return rows, [r for *_, r in routed]


def _items(values: Iterable, label: str) -> list:
    """A non-empty list from ``values``; one text is one item (never split into characters)."""
    if isinstance(values, str | Scenario) or not isinstance(values, Iterable):
        values = [values]
    out = list(values)
    if not out:
        raise InvalidInputError(f"{label}: nothing given; name at least one")
    return out


def etops_for(div: Diversion, engines: int) -> str:
    """The diversion rule a type needs: ETOPS categories for twins; aircraft with more than two
    engines need ETOPS only beyond 180 min (FAA 14 CFR 121.161, 2007)."""
    if engines > 2 and div.etops_min is not None and div.etops_min <= 180:
        return f"not required ({engines} engines)"
    return div.etops_label


def compare(
    origins: Iterable[AirportLike] = MISSION_ORIGINS,
    destinations: Iterable[AirportLike] = MISSION_DESTINATIONS,
    scenarios: Iterable[str | Scenario] = MISSION_SCENARIOS,
    study: Study | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> Comparison:
    """One row per origin x destination x scenario x aircraft, against the pre-2022 geodesic.

    Columns: ``origin, destination, scenario, aircraft, feasible, reason, distance_km,
    distance_nm, extra_km, extra_pct, block_time_min, extra_min, block_fuel_kg, extra_fuel_kg,
    co2_t, extra_co2_t, range_feasible, range_margin_km, etops, max_diversion_min,
    alternates, max_latitude, north_of_78_km, north_of_82_km, states_rounded, states_overflown,
    geodesic_closed_states, wind``, the payload columns `PAYLOAD_COLUMNS` (non-stop in the study's wind, with
    its assumptions: ``max_payload_kg``, ``max_seats`` at its passenger mass, the type's typical ``seats``, the
    binding ``payload_limit`` and ``full_load``; see `payload_columns`), then the cost columns of
    `routes.analysis.cost.cost_columns` (cost per flight in USD split into fuel, time and charges, the
    extra over pre-2022, charges avoided in closed states, the annual cost of the study's ``flights_per_week``
    each way; fully allocated and marginal views) priced with its ``cost_rates`` (default: the shipped data) at
    the charge rates valid on its ``rates_date`` (default today) for its ``operator`` or else the scenario's
    (foreign-operator tariffs when neither is given; the pre-2022 baseline is priced for the same operator).
    Figures of infeasible routes are NaN, with the reason.

    Parameters
    ----------
    origins, destinations : airport codes, `Airport` or `LatLon`
    scenarios : scenario names or `Scenario`
    study : Study, optional
        Aircraft, assumptions, wind, periods, margin, diversion and cost settings (default: `Study()`,
        the mission's).
    progress : callable, optional
        Wraps the iterable of routing jobs (e.g. a progress bar).

    With ``Study(airline=...)`` the result also holds the airline's fleet table (``Comparison.fleet``); its
    stop searches take seconds a route, so it is computed only when asked for.

    Both directions and the seasons (`routes.seasonal`), whatever the study's ``wind`` is:
    ``return_block_time_min, return_extra_min`` (the return flight in still air), and for each
    of the study's ``periods`` (climatological 200 hPa winds; default January and July, keys ``jan``,
    ``jul``): ``block_time_<mon>_min, extra_<mon>_min, return_block_time_<mon>_min,
    return_extra_<mon>_min``. Extra minutes are over the pre-2022 geodesic flown the same way
    in the same wind. ``Study(periods=())`` leaves out the seasonal columns but keeps the return flight; a
    period given twice (``[1, 1]``, ``[1, "jan"]``) is shown once (`Study` merges repeats).

    Ranges, with ``Study(ranges=True)`` only (off by default: the table and its speed are unchanged): for
    each central delta ``extra_min, extra_fuel_kg, extra_co2_t, extra_cost_usd, extra_marginal_cost_usd,
    extra_annual_cost_usd`` the columns ``<column>_low`` and ``<column>_high``, the 5-95 % interval of a
    seeded sampling of the register's uncertain inputs (`routes.sensitivity.sensitivity`: ``range_samples``
    draws, seed ``range_seed``; same rounding as the central column), priced like the central figures; and
    ``monthly_extra_min_low, monthly_extra_min_high`` with ``monthly_extra_min_low_when,
    monthly_extra_min_high_when``: the least and most extra block time over the 12 months' climatological
    winds, both directions (`routes.sensitivity.monthly_spread`), beside the interval, not in it. The
    central value need not lie inside its interval: the route factor only lengthens routes, so the central
    ``extra_min``, ``extra_fuel_kg`` and ``extra_co2_t`` are the low end of their ranges and may sit just below
    ``<column>_low`` (SVO-SEA, europe-canada-closed: 44.4 min against 44.5-46.1). Rows of an open-sky
    scenario (pre-2022) get 0 for every range column (the route is its own baseline: no delta to vary);
    infeasible rows NaN; a feasible row whose inputs fail across the ranges NaN with the reason in
    ``ranges_note``.

    Returns
    -------
    Comparison
        ``.table`` and ``.routes`` (one per origin x destination x scenario); unpacks as
        ``table, routes``.

    Examples
    --------
    >>> table, found = compare(["SVO"], ["SEA"], ["pre-2022"], Study(periods=()))
    >>> row = table.iloc[0]
    >>> row["scenario"], float(row["distance_km"]), bool(row["feasible"]), len(found)
    ('pre-2022', 8386.7, True, 1)
    """
    # long by its docstring: it documents every column of the table; the body routes, then estimates
    study = _study(study)
    for a in study.aircraft:
        get_aircraft(a)  # unknown types fail before any routing
    base = route_table(origins, destinations, scenarios, study.margin_nm, progress)
    return compare_routes(base, study)


def compare_routes(routed: Comparison, study: Study | None = None) -> Comparison:
    """`compare` for routes already computed: the rows of `compare` from a `route_table` result.

    Lets a caller route once and estimate many times (e.g. the route matrix, once per month's
    wind); ``compare(o, d, s, study)`` is ``compare_routes(route_table(o, d, s, study.margin_nm), study)``.

    Parameters
    ----------
    routed : Comparison
        From `route_table`: its table and routes.
    study : Study, optional
        As in `compare` (its ``margin_nm`` is the routes' own).

    Returns
    -------
    Comparison
        The table of `compare` and the same routes.
    """
    study = _study(study)
    types = [get_aircraft(a) for a in study.aircraft]
    rates = study.cost_rates or load_cost_rates()
    table, routes = routed.table, list(routed.routes)
    baseline: dict[tuple[str, str, str], Estimate] = {}
    day = cost_date(study.rates_date)
    priced = _Priced()
    rows = []
    for row, route in zip(table.to_dict("records"), routes, strict=True):
        for ac in types:
            key = (route.origin.code, route.destination.code, ac.code)
            if key not in baseline:
                baseline[key] = estimate(
                    geodesic_route(route.origin, route.destination), ac, study.assumptions, study.wind
                )
            base = baseline[key]
            out = {**row, "aircraft": ac.code, "wind": base.wind}
            if route.feasible:
                est = estimate(route, ac, study.assumptions, study.wind)
                out.update(_estimate_columns(route, ac, est, base, study))
                out.update(payload_columns(route, ac, study.assumptions, study.wind))
                out.update(_cost_of(route, est, base, rates, day, study, priced))
                if study.ranges:
                    pricing = Pricing(rates, day, study.operator_for(route.scenario))
                    out.update(_range_columns(route, ac.code, pricing, study, priced))
            rows.append(out)
    cols = [
        "origin", "destination", "scenario", "aircraft", "feasible", "reason", "distance_km", "distance_nm",
        "extra_km", "extra_pct", "block_time_min", "extra_min", "block_fuel_kg", "extra_fuel_kg", "co2_t",
        "extra_co2_t", "range_feasible", "range_margin_km", "etops", "max_diversion_min", "alternates",
        "max_latitude", "north_of_78_km", "north_of_82_km", "states_rounded", "states_overflown",
        "geodesic_closed_states", "geodesic_km", "margin_nm", "waypoints", "wind", *PAYLOAD_COLUMNS,
        *COST_COLUMNS,
    ]  # fmt: skip
    plist = list(study.periods)
    extra = RANGE_COLUMNS if study.ranges else []
    df = pd.DataFrame(rows).reindex(columns=cols + extra)
    both = direction_table(routes, plist, [ac.code for ac in types], study.assumptions)
    wide = wide_columns(both, plist)
    df = df.merge(wide, on=["origin", "destination", "scenario", "aircraft"], how="left")
    df = df.astype({"max_seats": "Int64", "seats": "Int64"})
    fleet = _fleet(routes, study) if study.airline else pd.DataFrame()
    return Comparison(df.reindex(columns=cols + wide_column_names(plist) + extra), tuple(routes), fleet)


def _fleet(routes: Sequence[Route], study: Study) -> pd.DataFrame:
    """The fleet table of ``study.airline`` on ``routes`` (imported here: the stop search's modules are only
    needed when a study names an airline)."""
    from routes.fleet_feasibility import fleet_on_routes

    return fleet_on_routes(routes, study.airline, study.assumptions, study.wind)


PAYLOAD_COLUMNS = ("max_payload_kg", "max_seats", "seats", "payload_limit", "full_load")
"""The payload columns of a `compare` row (see `payload_columns`)."""


def payload_columns(route: Route, ac: Aircraft, assumptions: Assumptions, wind: WindModel | None) -> dict[str, Any]:
    """The non-stop payload columns of a feasible route flown by ``ac`` (`routes.analysis.payload.max_payload`).

    Returns
    -------
    dict
        ``max_payload_kg`` (whole kg; at most MZFW - OEW; 0 when the route is beyond the type's range even
        empty), ``max_seats`` (passengers that payload carries at ``assumptions.pax_mass_kg``, rounded down,
        at most the type's seats), ``seats`` (the type's typical seats, `Aircraft.seats`), ``payload_limit``
        (``"MZFW"``, ``"MTOW"``, ``"fuel capacity"`` or ``"MLW"``; ``"out of range"`` when even an empty
        aircraft cannot fly it; ``"no mzfw_kg"`` when the type lacks the MZFW the calculation needs, the
        figures then NaN and ``full_load`` None) and ``full_load`` (every seat filled at the passenger mass
        fits, non-stop).
    """
    try:
        m = max_payload(route, ac, assumptions, wind)
    except MissingAircraftDataError:
        return {"seats": ac.seats, "payload_limit": "no mzfw_kg", "full_load": None}
    return {
        "max_payload_kg": float(round(m.payload_kg)),
        "max_seats": m.seats,
        "seats": ac.seats,
        "payload_limit": m.limit if m.within_range else "out of range",
        "full_load": m.full_load(ac.seats),
    }


def _study(study: Study | None) -> Study:
    if study is None:
        return Study()
    if not isinstance(study, Study):
        raise InvalidInputError(f"study must be a routes.Study (the study's settings), got {type(study).__name__}")
    return study


def _estimate_columns(route: Route, ac: Aircraft, est: Estimate, base: Estimate, study: Study) -> dict[str, Any]:
    """Time, fuel, CO2, range, diversion and polar columns of a feasible route flown by ``ac`` (``est``),
    against the pre-2022 geodesic flown the same way (``base``)."""
    div = diversion(route, min_runway_m=study.min_runway_m, oei_speed_kt=study.oei_speed_kt, aircraft=ac.code)
    mach = study.assumptions.cruise_mach or ac.cruise_mach
    alt = study.assumptions.cruise_alt_ft or ac.cruise_alt_ft
    polar = polar_flags(route, speed_kt=cruise_tas_kt(mach, alt))
    return {
        "block_time_min": round(est.block_time_min, 1),
        "extra_min": round(est.block_time_min - base.block_time_min, 1),
        "block_fuel_kg": round(est.block_fuel_kg),
        "extra_fuel_kg": round(est.block_fuel_kg - base.block_fuel_kg),
        "co2_t": round(est.co2_kg / 1000, 1),
        "extra_co2_t": round((est.co2_kg - base.co2_kg) / 1000, 1),
        "range_feasible": est.within_range,
        "range_margin_km": round(est.range_margin_km),
        "etops": etops_for(div, ac.engines),
        "max_diversion_min": round(div.max_time_min, 1),
        "alternates": " ".join(div.alternates),
        "max_latitude": round(polar.max_latitude, 2),
        "north_of_78_km": round(polar.north_of_78_km),
        "north_of_82_km": round(polar.north_of_82_km),
    }


@dataclass
class _Priced:
    """What `compare_routes` remembers while pricing: the baselines priced, and the warnings already given
    (each stale-rate warning once per table, not once per row)."""

    baselines: dict[tuple[str, str, str, str], FlightCost] = field(default_factory=dict)
    warned: set[tuple[type, str]] = field(default_factory=set)

    def reemit(self, caught: list[warnings.WarningMessage]) -> None:
        """Give each caught warning once."""
        for w in caught:
            key = (w.category, str(w.message))
            if key not in self.warned:
                self.warned.add(key)
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _cost_of(
    route: Route,
    est: Estimate,
    base: Estimate,
    rates: CostRates,
    day: date,
    study: Study,
    priced: _Priced,
) -> dict[str, object]:
    """Cost columns of one route against the pre-2022 geodesic, both priced on ``day`` for the study's
    operator, else the scenario's."""
    operator = study.operator_for(route.scenario)
    key = (route.origin.code, route.destination.code, est.aircraft, operator or "")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if key not in priced.baselines:
            base_route = geodesic_route(route.origin, route.destination)
            priced.baselines[key] = flight_cost(base_route, base, rates, "pre-2022", on=day, operator=operator)
        cost = flight_cost(route, est, rates, route.scenario, on=day, operator=operator)
    priced.reemit(caught)
    return cost_columns(cost, priced.baselines[key], route.scenario, study.flights_per_week)


RANGE_COLUMNS = [
    *(f"{col}_{end}" for col, _, _ in COMPARE_COLUMNS.values() for end in ("low", "high")),
    "monthly_extra_min_low", "monthly_extra_min_high", "monthly_extra_min_low_when", "monthly_extra_min_high_when",
    "ranges_note",
]  # fmt: skip
"""The columns ``Study(ranges=True)`` adds to `compare` (see there)."""


def _range_columns(route: Route, aircraft: str, pricing: Pricing, study: Study, priced: _Priced) -> dict[str, object]:
    """The range columns of one feasible row (`RANGE_COLUMNS`): the combined interval of
    `routes.sensitivity.sensitivity` in the central columns' units and rounding, and the monthly spread."""
    if route.scenario.is_open_sky:
        zeros = {c: 0.0 for c in RANGE_COLUMNS if not c.endswith(("_when", "_note"))}
        return {**zeros, "monthly_extra_min_low_when": "", "monthly_extra_min_high_when": "", "ranges_note": ""}
    base = geodesic_route(route.origin, route.destination)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            s = sensitivity(route, base, aircraft, study.assumptions, wind=study.wind, samples=study.range_samples,
                            seed=study.range_seed, pricing=pricing)  # fmt: skip
            spread = monthly_spread(route, base, aircraft, study.assumptions)
        except RoutesError as exc:  # e.g. a payload the type cannot carry at a range's end: the row says so
            return {"ranges_note": f"no ranges: {exc}"}
    priced.reemit(caught)
    interval = interval_columns(s)
    out: dict[str, object] = {}
    for metric, (column, factor, decimals) in COMPARE_COLUMNS.items():
        for end in ("low", "high"):
            out[f"{column}_{end}"] = round(interval[f"{metric}_{end}"] * factor, decimals)
    out["monthly_extra_min_low"] = round(spread["extra_min_low"], 1)
    out["monthly_extra_min_high"] = round(spread["extra_min_high"], 1)
    out["monthly_extra_min_low_when"] = spread["low_when"]
    out["monthly_extra_min_high_when"] = spread["high_when"]
    out["ranges_note"] = ""
    return out
