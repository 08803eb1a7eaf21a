"""En-route navigation charges of a flight, by charging authority, from the km it flies in each state.

Each authority's published formula and rate come from `routes.inputs.costdata` (``data/charges/navigation.toml``),
the row valid on the cost's date for the operator's tariff (`routes.inputs.ratedates.rates_on`: default
today; Russian operators pay Russia's ruble tariff, others its USD tariff). High-seas km are attributed to
the nearest state within `HIGH_SEAS_MAX_KM` (a stand-in for the flight information region, which the
project does not ship) and charged only by authorities whose data row covers high seas. A state closed in
the scenario is not overflown and charges nothing, not even for nearby high seas. States with no known rate
are charged at the documented fallback rate and flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely

from routes.analysis.performance import Aircraft, get_aircraft
from routes.analysis.statemap import INTERNATIONAL, km_by_code, segment_states
from routes.diskcache import memoize
from routes.errors import CostDataError, NoRateError, ScenarioError
from routes.inputs import airspace
from routes.inputs.airports import Airport
from routes.inputs.costdata import CostRates, load_cost_rates
from routes.inputs.ratedates import DatedRates, rates_on
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, require_feasible

if TYPE_CHECKING:
    from pykdtree.kdtree import KDTree

HIGH_SEAS_MAX_KM = 1000.0
"""High-seas km farther than this from every state are not attributed to any state (uncharged)."""
EARTH_RADIUS_KM = 6371.0088
STEP_KM = 1.0
"""Densification step for the charge distances, as `routes.analysis.overflight` (boundaries resolved to ~1 km)."""


@dataclass(frozen=True)
class ChargeItem:
    """The charge of one authority (or the fallback for one state) on one flight.

    Attributes
    ----------
    authority_id : str
        The charging authority (`ChargeRate.authority_key`, e.g. ``"RUS"``), or ``"fallback"``.
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
    rate_id, period : str
        The rate row used (``"RUS-USD-2026-01"``) and its validity (``"2026-01-01 to 2026-03-31"``).
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
    rate_id: str = ""
    period: str = ""


@dataclass(frozen=True)
class NavigationCharges:
    """En-route navigation charges of one flight, by authority.

    ``dated`` holds the rates used: the cost's date, the operator and the rows chosen, with their flags
    (a stale or missing rate for the date, an unknown operator, an old exchange rate).
    """

    items: tuple[ChargeItem, ...]
    uncharged_high_seas_km: float
    closed_high_seas_km: float
    dated: DatedRates | None = field(default=None, compare=False)

    @property
    def flags(self) -> tuple[str, ...]:
        """Flags of the rates chosen for the date and operator (see `routes.inputs.ratedates`)."""
        return self.dated.flags if self.dated is not None else ()

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


def _vertex_files() -> list[Path]:
    """The routing layer and this module (the cached vertices are built from the one by the other)."""
    return [airspace.data_dir() / "airspace" / "sovereign_airspace_routing.parquet", Path(__file__)]


@memoize("charges", _vertex_files, shapely.__version__, np.__version__)
def _vertices() -> tuple[np.ndarray, np.ndarray]:
    """Every vertex of the routing layer's states as a unit vector, and its state's code (kept in the
    disk cache: ~0.3 s to read from the airspace file, ~20 ms from the cache)."""
    gdf = airspace.states("routing")
    coords, idx = shapely.get_coordinates(gdf.geometry.values, return_index=True)
    return np.ascontiguousarray(_unit(coords[:, 0], coords[:, 1])), gdf["iso_a3"].to_numpy()[idx]


@cache
def _vertex_tree() -> tuple[KDTree, np.ndarray]:
    """A k-d tree of `_vertices` (pykdtree: ~25 ms to build for the ~200,000 vertices, and a light
    import, where scipy.spatial's takes ~0.3 s) and the vertices' state codes."""
    from pykdtree.kdtree import KDTree

    xyz, codes = _vertices()
    return KDTree(xyz), codes


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
    query = np.ascontiguousarray(_unit(lonlat[:, 0], lonlat[:, 1]), dtype=np.float64)
    dist, idx = tree.query(query, k=1, distance_upper_bound=chord)
    out = np.full(len(lonlat), INTERNATIONAL, dtype=object)
    ok = np.isfinite(dist)
    out[ok] = codes[idx[ok]]
    return out


def _alpha3(ap: Airport) -> str:
    try:
        return airspace.normalize_code(ap.country) if ap.country else ""
    except ScenarioError:  # a code outside the airspace data
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
    *,
    on: date | str | None = None,
    operator: str | None = None,
) -> NavigationCharges:
    """En-route navigation charges of flying ``route`` with ``aircraft``, by authority.

    Parameters
    ----------
    route : Route
    aircraft : str or Aircraft
        Its MTOW sets the weight factor and band.
    rates : CostRates
        Default: the shipped data (`routes.inputs.costdata.load_cost_rates`), every period and tariff.
    scenario
        Marks closed states (default the route's own). Closed states charge nothing.
    high_seas : bool
        Attribute high-seas km to the nearest state within `HIGH_SEAS_MAX_KM` (FIR proxy).
    on : date, ``"YYYY-MM-DD"`` or None
        The date whose rates apply (default today). After the newest rate of an authority its newest row is
        used with a `StaleDataWarning` and a flag; before its first rate, `NoRateError`.
    operator : str or None
        ISO alpha-3 code of the operator's state, for tariffs that depend on it (Russia: RUB for Russian
        operators, USD for foreign ones). Default: the scenario's operator if it has one, else the foreign
        tariff (flagged).
    """
    require_feasible(route, "charge")
    scn = get_scenario(scenario if scenario is not None else route.scenario)
    dated = rates_on(rates or load_cost_rates(), on, operator if operator is not None else scn.operator)
    rates = dated.rates
    ac = aircraft if isinstance(aircraft, Aircraft) else get_aircraft(aircraft)
    mtow_t = ac.mtow_kg / 1000.0
    sov, hs, uncharged, closed_hs = _km_by_state(route, scn.closed_states, high_seas)
    no_rate = dated.states_without_rate()
    if crossed := sorted(s for s in no_rate if sov.get(s, 0.0) + hs.get(s, 0.0) > 0):
        raise NoRateError(no_rate[crossed[0]])
    per_row, fallback_km, not_charged = _assign_rows(rates, sov, hs)
    ends = {_alpha3(route.origin), _alpha3(route.destination)} - {""}
    items = [_row_item(rates, r, s_km, h_km, states, ends, mtow_t) for r, s_km, h_km, states in per_row.values()]
    items += _fallback_items(rates, fallback_km, mtow_t)
    dated.check({i.authority_id for i in items})
    return NavigationCharges(tuple(items), uncharged + not_charged, closed_hs, dated)


def _km_by_state(
    route: Route, closed: frozenset[str], high_seas: bool
) -> tuple[dict[str, float], dict[str, float], float, float]:
    """km flown in each state's sovereign airspace, high-seas km attributed to the nearest open state,
    high-seas km attributed to no state, and high-seas km nearest a closed state."""
    pts, seg_km = route.densified_km(STEP_KM)
    codes, seg_km = segment_states(pts, seg_km)
    sov = km_by_code(codes, seg_km)
    sov.pop(INTERNATIONAL, None)
    hs: dict[str, float] = {}
    sea = codes == INTERNATIONAL
    uncharged = closed_hs = 0.0
    if sea.any():
        near = nearest_state(0.5 * (pts[:-1][sea] + pts[1:][sea])) if high_seas else np.full(sea.sum(), "")
        for c, km in km_by_code(near, seg_km[sea]).items():
            if c == INTERNATIONAL:
                uncharged += float(km)
            elif c in closed:
                closed_hs += float(km)
            else:
                hs[c] = hs.get(c, 0.0) + float(km)
    return sov, hs, uncharged, closed_hs


def _assign_rows(
    rates: CostRates, sov: dict[str, float], hs: dict[str, float]
) -> tuple[dict[str, list], dict[str, tuple[float, float]], float]:
    """Each state's km to its charge rows: row id -> [row, sovereign km, high-seas km, states]; the states
    without a known rate -> (sovereign km, high-seas km) for the fallback; and the high-seas km nobody charges."""
    per_row: dict[str, list] = {}
    fallback_km: dict[str, tuple[float, float]] = {}
    uncharged = 0.0
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
    return per_row, fallback_km, uncharged


def _row_item(
    rates: CostRates, r, s_km: float, h_km: float, states: list[str], ends: set[str], mtow_t: float
) -> ChargeItem:
    """The charge of one rate row (zero, with the reason, for an overflight-only zone the flight starts or ends in)."""
    zone = set(r.states)
    head = (r.authority_key, r.authority, tuple(states), s_km, h_km)
    row = {"price_year": r.price_year, "currency": r.currency, "rate_id": r.id, "period": r.period}
    if r.flights == "overflight" and ends & zone:
        note = f"exempt: departs from or lands in {', '.join(sorted(ends & zone))}"
        return ChargeItem(*head, amount=0.0, charge_usd=0.0, note=note, **row)
    amount = r.charge(s_km + h_km, mtow_t, airports_in_zone=len(ends & zone))
    note = "" if r.confirmed else "rate not confirmed current"
    return ChargeItem(*head, amount=amount, charge_usd=rates.to_usd(amount, r.currency), note=note, **row)


def _fallback_items(rates: CostRates, fallback_km: dict[str, tuple[float, float]], mtow_t: float) -> list[ChargeItem]:
    """Charges of the states without a known rate, at the fallback USD per km."""
    if not fallback_km:
        return []
    usd_km = fallback_usd_per_km(rates, mtow_t)
    year = max(r.price_year for r in rates.charges)
    items = []
    for state, (s_km, h_km) in fallback_km.items():
        usd = usd_km * (s_km + h_km)
        why = "no rate in the charges data" if not rates.charge_rows(state) else "rate unknown in the charges data"
        note = f"{why}; {usd_km:.3f} USD/km ({rates.fallback_method})"
        label = f"fallback ({state})"
        items.append(ChargeItem("fallback", label, (state,), s_km, h_km, usd, "USD", usd, year, True, note))
    return items
