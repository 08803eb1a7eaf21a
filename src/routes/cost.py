"""The cost of a flight in money, and of a year of service: fuel, time-related costs and en-route
navigation charges, every figure in USD with its price year.

Fed by the stages before it: the `Route` (where it flies), its performance `Estimate` (block fuel and
block time) and the overflight of each state (km per state). Rates come from `routes.costdata`.

* **Fuel** = block fuel x jet-fuel price.
* **Time** = block hours x (flight crew + cabin crew + maintenance + ownership) per block hour of the
  aircraft's class.
* **En-route charges** per charging authority, each with its published formula, on the km flown in
  the states it charges. High-seas km are attributed to the nearest state within
  `HIGH_SEAS_MAX_KM` (a stand-in for the flight information region, which the project does not ship)
  and charged only by authorities whose data row covers high seas. A state closed in the scenario is
  not overflown and charges nothing, not even for nearby high seas. States with no known rate are
  charged at the documented fallback rate and flagged.
* **Airport and terminal charges are left out**: they are the same for every scenario of a pair.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from scipy.spatial import cKDTree

from routes import airspace
from routes.airports import Airport
from routes.costdata import CostRates, load_cost_rates
from routes.errors import CostDataError, ScheduleError
from routes.overflight import INTERNATIONAL, segment_states
from routes.performance import Aircraft, Estimate, get_aircraft
from routes.route import Route
from routes.scenarios import Scenario, get_scenario

HIGH_SEAS_MAX_KM = 1000.0
"""High-seas km farther than this from every state are not attributed to any state (uncharged)."""
EARTH_RADIUS_KM = 6371.0088
STEP_KM = 5.0
"""Densification step for the charge distances (state boundaries resolved to about this)."""


@dataclass(frozen=True)
class ChargeItem:
    """The charge of one authority (or the fallback for one state) on one flight.

    Attributes
    ----------
    authority_id : str
        Row id in the charges data, or ``"fallback"``.
    states : tuple of str
        States whose km were charged.
    sovereign_km, high_seas_km : float
        Km charged inside sovereign airspace and over high seas attributed to the states.
    amount : float
        In `currency`.
    charge_usd : float
    fallback : bool
        No known rate: charged at the fallback rate (flagged in every output).
    note : str
        Why a charge is zero (``"exempt: lands in USA"``) or why the fallback applies.
    """

    authority_id: str
    authority: str
    states: tuple[str, ...]
    sovereign_km: float
    high_seas_km: float
    amount: float
    currency: str
    charge_usd: float
    price_year: int
    fallback: bool = False
    note: str = ""


@dataclass(frozen=True)
class NavigationCharges:
    """En-route navigation charges of one flight, by authority."""

    items: tuple[ChargeItem, ...]
    uncharged_high_seas_km: float
    closed_high_seas_km: float

    @property
    def total_usd(self) -> float:
        """Sum of the items, USD."""
        return float(sum(i.charge_usd for i in self.items))

    @property
    def fallback_states(self) -> tuple[str, ...]:
        """States charged at the fallback rate."""
        return tuple(s for i in self.items if i.fallback for s in i.states)

    def by_authority(self) -> dict[str, float]:
        """USD per authority id (fallback items as ``fallback:<state>``)."""
        out: dict[str, float] = {}
        for i in self.items:
            key = f"fallback:{i.states[0]}" if i.fallback else i.authority_id
            out[key] = out.get(key, 0.0) + i.charge_usd
        return out


@cache
def _vertex_tree() -> tuple[cKDTree, np.ndarray]:
    gdf = airspace.states("routing")
    coords, idx = shapely.get_coordinates(gdf.geometry.values, return_index=True)
    return cKDTree(_unit(coords[:, 0], coords[:, 1])), gdf["iso_a3"].to_numpy()[idx]


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def nearest_state(lonlat: np.ndarray, max_km: float = HIGH_SEAS_MAX_KM) -> np.ndarray:
    """ISO code of the nearest state's airspace to each (lon, lat) point ("" beyond ``max_km``).

    Measured to the vertices of the routing layer on the sphere: a coarse stand-in for flight
    information regions, good to tens of km.
    """
    tree, codes = _vertex_tree()
    chord = 2.0 * math.sin(min(max_km / EARTH_RADIUS_KM, math.pi) / 2.0)
    dist, idx = tree.query(_unit(lonlat[:, 0], lonlat[:, 1]), distance_upper_bound=chord)
    out = np.full(len(lonlat), INTERNATIONAL, dtype=object)
    ok = np.isfinite(dist)
    out[ok] = codes[idx[ok]]
    return out


def _alpha3(ap: Airport) -> str:
    try:
        return airspace.normalize_code(ap.country) if ap.country else ""
    except Exception:  # a raw point or a code outside the airspace data
        return ""


def fallback_usd_per_km(rates: CostRates, mtow_t: float) -> float:
    """The fallback charge per km: median USD per km of the known distance-based rows for ``mtow_t``."""
    per_km = [
        rates.to_usd(r.charge(100.0, mtow_t) - r.per_flight, r.currency) / 100.0
        for r in rates.charges
        if r.distance_based and r.flights == "all"
    ]
    if not per_km:
        raise CostDataError("no distance-based charge rows to derive the fallback rate from")
    return float(np.median(per_km))


def navigation_charges(
    route: Route,
    aircraft: str | Aircraft = "B77W",
    rates: CostRates | None = None,
    scenario: str | Scenario | None = None,
    high_seas: bool = True,
) -> NavigationCharges:
    """En-route navigation charges of flying ``route`` with ``aircraft``, by authority.

    Parameters
    ----------
    route : Route
    aircraft : str or Aircraft
        Its MTOW sets the weight factor and band.
    rates : CostRates
        Default: the shipped data (`routes.costdata.load_cost_rates`).
    scenario
        Marks closed states (default the route's own). Closed states charge nothing.
    high_seas : bool
        Attribute high-seas km to the nearest state within `HIGH_SEAS_MAX_KM` (FIR proxy).
    """
    if not route.feasible:
        return NavigationCharges((), 0.0, 0.0)
    rates = rates or load_cost_rates()
    ac = aircraft if isinstance(aircraft, Aircraft) else get_aircraft(aircraft)
    mtow_t = ac.mtow_kg / 1000.0
    closed = get_scenario(scenario if scenario is not None else route.scenario).closed_states
    pts = route.densified(STEP_KM)
    codes, seg_km = segment_states(pts)
    sov: dict[str, float] = {}
    for c, km in zip(codes, seg_km, strict=True):
        if c != INTERNATIONAL:
            sov[c] = sov.get(c, 0.0) + float(km)
    hs: dict[str, float] = {}
    sea = codes == INTERNATIONAL
    uncharged = closed_hs = 0.0
    if sea.any():
        near = nearest_state(0.5 * (pts[:-1][sea] + pts[1:][sea])) if high_seas else np.full(sea.sum(), "")
        for c, km in zip(near, seg_km[sea], strict=True):
            if c == INTERNATIONAL:
                uncharged += float(km)
            elif c in closed:
                closed_hs += float(km)
            else:
                hs[c] = hs.get(c, 0.0) + float(km)
    ends = {_alpha3(route.origin), _alpha3(route.destination)} - {""}
    items: list[ChargeItem] = []
    per_row: dict[str, list] = {}  # row id -> [row, sovereign km, high-seas km, states]
    fallback_km: dict[str, tuple[float, float]] = {}
    for state in dict.fromkeys([*sov, *hs]):
        s_km, h_km = sov.get(state, 0.0), hs.get(state, 0.0)
        rows = rates.charge_rows(state)
        known = [r for r in rows if r.known]
        if not known:
            kinds = {r.airspace for r in rows}
            fb_h = h_km if kinds & {"high_seas", "both"} else 0.0
            if s_km > 0 or fb_h > 0:
                fallback_km[state] = (s_km, fb_h)
            if h_km - fb_h > 0:
                uncharged += h_km - fb_h
            continue
        charged_h = False
        for r in known:
            use_s = s_km if r.airspace in ("sovereign", "both") else 0.0
            use_h = h_km if r.airspace in ("high_seas", "both") else 0.0
            charged_h |= use_h > 0
            if use_s <= 0 and use_h <= 0:
                continue
            entry = per_row.setdefault(r.id, [r, 0.0, 0.0, []])
            entry[1] += use_s
            entry[2] += use_h
            entry[3].append(state)
        if h_km > 0 and not charged_h:
            uncharged += h_km
    for r, s_km, h_km, states in per_row.values():
        zone = set(r.states)
        if r.flights == "overflight" and ends & zone:
            where = ", ".join(sorted(ends & zone))
            note = f"exempt: departs from or lands in {where}"
            items.append(
                ChargeItem(r.id, r.authority, tuple(states), s_km, h_km, 0.0, r.currency, 0.0, r.price_year, note=note)
            )
            continue
        amount = r.charge(s_km + h_km, mtow_t, airports_in_zone=len(ends & zone))
        usd = rates.to_usd(amount, r.currency)
        note = "" if r.confirmed else "rate not confirmed current"
        items.append(
            ChargeItem(r.id, r.authority, tuple(states), s_km, h_km, amount, r.currency, usd, r.price_year, note=note)
        )
    if fallback_km:
        usd_km = fallback_usd_per_km(rates, mtow_t)
        year = max(r.price_year for r in rates.charges)
        for state, (s_km, h_km) in fallback_km.items():
            usd = usd_km * (s_km + h_km)
            why = "no rate in the charges data" if not rates.charge_rows(state) else "rate unknown in the charges data"
            note = f"{why}; {usd_km:.3f} USD/km ({rates.fallback_method})"
            label = f"fallback ({state})"
            items.append(ChargeItem("fallback", label, (state,), s_km, h_km, usd, "USD", usd, year, True, note))
    return NavigationCharges(tuple(items), uncharged, closed_hs)


@dataclass(frozen=True)
class FlightCost:
    """The cost of one flight, USD.

    Attributes
    ----------
    fuel_usd, time_usd, charges_usd : float
        The three components; `total_usd` is their sum.
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

    @property
    def total_usd(self) -> float:
        """Fuel + time + charges."""
        return self.fuel_usd + self.time_usd + self.charges_usd

    def components(self) -> dict[str, float]:
        """``{"fuel": ..., "time": ..., "charges": ...}`` in USD."""
        return {"fuel": self.fuel_usd, "time": self.time_usd, "charges": self.charges_usd}


def cost_basis(rates: CostRates, hourly_years: tuple[int, int] | None = None) -> str:
    """One line stating the prices used and their years."""
    h = rates.hourly[0]
    lo, hi = hourly_years or h.price_years
    years = [r.price_year for r in rates.charges if r.known]
    return (
        f"USD; fuel {rates.fuel_price_usd_per_bbl:.0f} USD/bbl ({rates.fuel_price_year}); "
        f"time {h.total_usd_per_bh:,.0f} USD/block h ({lo}-{hi} USD, {h.name}); "
        f"charges at {min(years)}-{max(years)} rates, FX ECB {rates.fx_as_of}; airport/terminal charges excluded"
    )


def flight_cost(
    route: Route,
    estimate: Estimate,
    rates: CostRates | None = None,
    scenario: str | Scenario | None = None,
    high_seas: bool = True,
) -> FlightCost:
    """Cost of one flight of ``route`` as estimated by ``estimate`` (same aircraft).

    Parameters
    ----------
    route : Route
        A feasible route.
    estimate : Estimate
        `routes.performance.estimate` of that route (its wind is carried through).
    rates : CostRates
        Default: the shipped data; see `routes.costdata.load_cost_rates` for overrides.
    scenario
        Closed states (default: the route's own scenario).
    """
    if not route.feasible:
        raise ValueError(f"cannot cost an infeasible route: {route.reason}")
    rates = rates or load_cost_rates()
    ac = get_aircraft(estimate.aircraft)
    hourly, stand_in = rates.hourly_for(ac.mtow_kg / 1000.0)
    hours = estimate.block_time_min / 60.0
    nav = navigation_charges(route, ac, rates, scenario, high_seas)
    flags = []
    if stand_in:
        flags.append(f"no time-cost class for {ac.code} (MTOW {ac.mtow_kg / 1000:.0f} t): {hourly.name} figures used")
    if not hourly.confirmed:
        flags.append(f"time costs ({hourly.name}) partly derived/unconfirmed")
    if nav.fallback_states:
        flags.append("fallback charges: " + " ".join(nav.fallback_states))
    unconfirmed = sorted({i.authority_id for i in nav.items if i.note == "rate not confirmed current"})
    if unconfirmed:
        flags.append("unconfirmed rates: " + " ".join(unconfirmed))
    return FlightCost(
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
        basis=cost_basis(rates, hourly.price_years),
    )


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
    outbound_usd, inbound_usd : float
    basis : str
        How winds entered: ``"still air"``, or the wind labels of the monthly estimates; and whether the
        inbound direction mirrors the outbound one.
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


def _monthly(direction: DirectionCost, label: str) -> list[FlightCost]:
    if isinstance(direction, FlightCost):
        return [direction] * 12
    if isinstance(direction, Mapping):
        missing = [m for m in range(1, 13) if m not in direction]
        if missing:
            raise ValueError(f"{label}: monthly costs must cover months 1-12; missing {missing}")
        return [direction[m] for m in range(1, 13)]
    if callable(direction):
        return [direction(m) for m in range(1, 13)]
    raise TypeError(f"{label}: expected a FlightCost, a mapping month -> FlightCost or a callable, got {direction!r}")


def check_schedule(flights_per_week: float) -> float:
    """``flights_per_week`` if it is a positive finite number, else `ScheduleError`."""
    ok = isinstance(flights_per_week, int | float) and not isinstance(flights_per_week, bool)
    if not ok or not math.isfinite(flights_per_week) or flights_per_week <= 0:
        raise ScheduleError(f"flights per week must be a positive number (e.g. 7 = daily, 3), got {flights_per_week!r}")
    return float(flights_per_week)


def annual_cost(
    outbound: DirectionCost,
    inbound: DirectionCost | None = None,
    flights_per_week: float = 7.0,
) -> AnnualCost:
    """Cost of a year of service, ``flights_per_week`` in each direction.

    Parameters
    ----------
    outbound, inbound : FlightCost, mapping month -> FlightCost, or callable month -> FlightCost
        Per-direction costs; with winds by month, pass the monthly costs and each month is weighted by
        its days (365-day year). ``inbound=None`` mirrors the outbound costs (exact in still air).
    flights_per_week : float
        Frequency per direction (7 = daily, 3 = three a week).
    """
    check_schedule(flights_per_week)
    out_m = _monthly(outbound, "outbound")
    in_m = _monthly(inbound, "inbound") if inbound is not None else out_m
    days = [calendar.monthrange(2025, m)[1] for m in range(1, 13)]  # a 365-day year
    n = [flights_per_week * d / 7.0 for d in days]
    both = list(zip(n, out_m, in_m, strict=True))
    comp = {
        k: sum(w * (getattr(o, f"{k}_usd") + getattr(i, f"{k}_usd")) for w, o, i in both)
        for k in ("fuel", "time", "charges")
    }
    winds = list(dict.fromkeys(c.wind for c in out_m + in_m))
    basis = "still air" if winds == ["still air"] else "winds: " + "; ".join(winds)
    if inbound is None:
        basis += ", inbound mirrors outbound"
    return AnnualCost(
        flights_per_week=flights_per_week,
        flights_per_year=2 * sum(n),
        total_usd=sum(comp.values()),
        fuel_usd=comp["fuel"],
        time_usd=comp["time"],
        charges_usd=comp["charges"],
        outbound_usd=sum(k_n * o.total_usd for k_n, o in zip(n, out_m, strict=True)),
        inbound_usd=sum(k_n * i.total_usd for k_n, i in zip(n, in_m, strict=True)),
        basis=basis,
    )


def charges_avoided_usd(baseline: FlightCost, scenario: str | Scenario) -> float:
    """Charges the pre-2022 route pays to states that ``scenario`` closes (they charge nothing now)."""
    closed = get_scenario(scenario).closed_states
    return float(sum(i.charge_usd for i in baseline.charges.items if i.states and set(i.states) <= closed))


COST_COLUMNS = (
    "cost_usd", "fuel_cost_usd", "time_cost_usd", "charges_usd", "extra_cost_usd", "extra_fuel_cost_usd",
    "extra_time_cost_usd", "extra_charges_usd", "charges_avoided_usd", "flights_per_week", "annual_cost_usd",
    "extra_annual_cost_usd", "annual_basis", "charges_by_authority", "charges_fallback", "cost_flags",
    "cost_basis",
)  # fmt: skip
"""Columns `cost_columns` adds to a comparison row."""


def cost_columns(
    cost: FlightCost, baseline: FlightCost, scenario: str | Scenario, flights_per_week: float = 7.0
) -> dict[str, object]:
    """Comparison-table columns of one flight against the pre-2022 ``baseline`` (USD, rounded).

    ``extra_*`` are the differences to the baseline; ``charges_avoided_usd`` is what the baseline pays to
    states the scenario closes; ``annual_*`` cover ``flights_per_week`` each way for a year.
    """
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
    }
