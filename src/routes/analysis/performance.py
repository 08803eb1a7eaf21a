"""Block time, fuel and CO2 from OpenAP aircraft performance.

Model (documented in the README):

* **Aircraft** data from `openap.prop` (MTOW, OEW, fuel capacity, passenger capacity) and the
  WRAP kinematic model (cruise Mach, cruise altitude, climb/descent profiles).
* **Block time** = taxi-out + climb + cruise + descent + taxi-in. Climb and descent are OpenAP
  `FlightGenerator` profiles (deterministic, default WRAP parameters, ISA); cruise is the rest
  of the route flown at the cruise Mach's true airspeed in the ISA at cruise altitude, with the
  wind triangle when a wind is given. In a wind, climb and descent keep their durations but
  cover more or less ground: the cruise-level along-track wind over their stretch of the route,
  scaled linearly with altitude from zero at the surface.
* **Fuel**: OpenAP `FuelFlow.enroute` integrated along climb, cruise (50 km steps) and descent
  with the mass decreasing as fuel burns; taxi at 7 % thrust. Take-off mass = OEW + payload +
  fuel on board after taxi, found by fixed-point iteration. CO2 = 3.16 kg per kg of fuel.
* **Reserves** (range feasibility): 5 % contingency of trip fuel, fuel to an alternate 200 nm
  away at cruise, 30 min final reserve holding at 1,500 ft; checked against fuel capacity
  (litres x 0.8 kg/L) and MTOW.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from routes import geodesy, validation
from routes.analysis.profiles import climb_descent as _profiles
from routes.analysis.profiles import lowest_mach, openap_files
from routes.analysis.wind import WindModel, still_air
from routes.diskcache import memoize, package_sources
from routes.errors import InvalidInputError, ProfileError, UnknownAircraftError, WindFieldError
from routes.extensions import extensible
from routes.inputs import openap_lite
from routes.inputs.register import default
from routes.result import Route, require_feasible
from routes.units import KM_PER_NM, M_PER_FT

if TYPE_CHECKING:
    from openap import FuelFlow

# OpenAP is imported inside the functions that use it, so that `import routes` stays fast, and through
# `openap_lite`, which serves the submodules used here without `openap/__init__` (~1 s: scipy.signal).
openap_lite.install()

OPENAP_KT_PER_MS = 1.0 / 0.514444  # 1 / openap.aero.kts
"""Knots per m/s as OpenAP rounds it (1 kt = 0.514444 m/s): OpenAP converts the TAS we pass in
knots back with this constant, so TAS from `aero.mach2tas` uses it too (`units.KT_PER_MS` is exact)."""
CRUISE_STEP_KM = 50.0
MAX_CRUISE_MACH = 0.95
"""Highest cruise Mach accepted: above every airliner's MMO (B747 0.92, A380 0.89, B777 0.89)."""
CRUISE_ALT_FT = (10_000.0, 51_000.0)
"""Cruise altitudes accepted (ft): the airliners' service ceilings are 41,000-43,100 ft."""
MAX_CARGO_KG = 300_000.0
"""Most belly cargo accepted (kg): above the heaviest payload ever flown (An-225, 250 t)."""
MAX_TOW_FACTOR = 2.0
"""The fuel model's take-off mass stops at this multiple of MTOW: a flight that would need more is far out
of range (the verdict says so), and OpenAP's fuel flow is not finite at such masses."""
MMO_MARGIN = 0.02
"""A type's default cruise Mach is at most its MMO less this (OpenAP gives the C550 M0.77 cruise, MMO 0.70)."""


@dataclass(frozen=True)
class Aircraft:
    """Aircraft type data from OpenAP.

    Attributes
    ----------
    code : str
        ICAO type designator, upper case (``"B77W"``).
    name : str
    mtow_kg, oew_kg, max_fuel_kg : float
        Maximum take-off mass, operating empty mass, fuel capacity (litres x 0.8 kg/L).
    seats : int
        Typical two-class seat count (OpenAP ``pax.high``).
    cruise_mach : float
    cruise_alt_ft : float
        WRAP default cruise altitude rounded to 1,000 ft.
    engines : int
    wingspan_m : float
        Wing span (OpenAP ``wing.span``): sets the ICAO aerodrome reference code letter.
    mmo : float
        Maximum operating Mach number.
    ceiling_ft : float
        Service ceiling.
    min_mach : float
        Lowest cruise Mach the profiles converge at (see `mach_range`).
    mzfw_kg, mlw_kg : float or None
        Maximum zero-fuel and landing mass from ``data/aircraft/aircraft.toml`` (None where unknown).
    takeoff_field_m : float or None
        Take-off field length at MTOW, sea level, ISA (``data/aircraft``; None where unknown).
    model_code : str
        The OpenAP type whose fuel-flow and climb/descent models are used ("" = the type itself; the
        Il-96-300 uses the A340-300's, scaled: see ``data/aircraft/README.md``).
    """

    code: str
    name: str
    mtow_kg: float
    oew_kg: float
    max_fuel_kg: float
    seats: int
    cruise_mach: float
    cruise_alt_ft: float
    engines: int
    wingspan_m: float = 0.0
    mmo: float = MAX_CRUISE_MACH
    ceiling_ft: float = CRUISE_ALT_FT[1]
    min_mach: float = 0.3

    @property
    def mach_range(self) -> tuple[float, float]:
        """Cruise Mach numbers this type is modelled at: (`min_mach`, `mmo`).

        Below `min_mach` the type's climb and descent speeds (CAS) are faster than the cruise Mach
        even at sea level: OpenAP's profile never crosses over from Mach to CAS, and its descent
        never ends.
        """
        return self.min_mach, self.mmo

    mzfw_kg: float | None = None
    mlw_kg: float | None = None
    takeoff_field_m: float | None = None
    model_code: str = ""

    @property
    def fuel_capacity_kg(self) -> float:
        """Fuel capacity (kg): `max_fuel_kg`."""
        return self.max_fuel_kg


FUEL_DENSITY_KG_PER_L = 0.8


def available_aircraft() -> list[str]:
    """ICAO codes that OpenAP has both properties and a kinematic model for, then the types of
    ``data/aircraft`` that OpenAP lacks (``IL96``)."""
    from routes.inputs.aircraft import extra_types

    return list(_modelled_types()) + [c for c in extra_types() if c not in _modelled_types()]


@cache
def _openap_types() -> frozenset[str]:
    """Lower-case type codes OpenAP has properties for (read once: OpenAP lists its data folder on each call)."""
    from openap import prop

    return frozenset(prop.available_aircraft())


@cache
def _modelled_types() -> tuple[str, ...]:
    from openap import WRAP, prop

    out = []
    for code in prop.available_aircraft():
        try:
            WRAP(code)
        except ValueError:
            continue
        out.append(code.upper())
    return tuple(out)


def get_aircraft(code: str) -> Aircraft:
    """Aircraft data for an ICAO type code (case-insensitive).

    Raises
    ------
    UnknownAircraftError
        OpenAP does not know the type (or ``code`` is not text); the message lists the types it knows.
    """
    key = code.strip().lower() if isinstance(code, str) else None
    if key not in _openap_types() and not (key and key.upper() in _extra_codes()):
        raise UnknownAircraftError(f"unknown aircraft type {code!r}; OpenAP knows: {', '.join(available_aircraft())}")
    return _sourced_aircraft(key)


def _openap_type_files() -> list[Path]:
    return [Path(__file__), *openap_files()]


@cache
@memoize("openap-types", _openap_type_files, np.__version__)
def _aircraft(key: str) -> Aircraft:
    from openap import WRAP, prop

    ac = prop.aircraft(key)
    wrap = WRAP(key)
    alt_ft = round(wrap.cruise_alt()["default"] * 1000 / M_PER_FT / 1000) * 1000
    mmo = float(ac.get("mmo") or MAX_CRUISE_MACH)
    return Aircraft(
        code=key.upper(),
        name=ac["aircraft"],
        mtow_kg=float(ac["mtow"]),
        oew_kg=float(ac["oew"]),
        max_fuel_kg=float(ac["mfc"]) * FUEL_DENSITY_KG_PER_L,
        seats=int(ac["pax"]["high"]),
        cruise_mach=min(float(wrap.cruise_mach()["default"]), round(mmo - MMO_MARGIN, 3)),
        cruise_alt_ft=float(alt_ft),
        engines=int(ac["engine"]["number"]),
        wingspan_m=float(ac["wing"]["span"] or 0.0),
        mmo=mmo,
        ceiling_ft=float(ac.get("ceiling") or CRUISE_ALT_FT[1] * M_PER_FT) / M_PER_FT,
        min_mach=lowest_mach(key),
    )


@dataclass(frozen=True)
class Assumptions:
    """Operating assumptions; every figure is stated in outputs.

    Attributes
    ----------
    load_factor : float
        Share of `Aircraft.seats` occupied, ``[0, 1]``.
    pax_mass_kg : float
        Mass per passenger with baggage, ``[0, 300]``.
    cargo_kg : float
        Belly cargo, ``[0, MAX_CARGO_KG]``; with the passengers at most the type's MTOW - OEW.
    taxi_out_min, taxi_in_min : float
        ``[0, 240]`` each.
    cruise_mach, cruise_alt_ft : float or None
        Override the type's defaults: Mach ``[0.3, MAX_CRUISE_MACH]`` and ft ``CRUISE_ALT_FT`` here, then
        the type's own `Aircraft.mach_range` and service ceiling when estimating.
    contingency_frac : float
        Contingency fuel as a share of trip fuel, ``[0, 1]``.
    alternate_nm : float
        Distance to the destination alternate, flown at cruise, ``[0, 2000]``.
    final_reserve_min : float
        Final reserve holding at 1,500 ft, ``[0, 240]``.
    route_factor : float
        Multiplier on the route distance for airway inefficiency (1.0 = fly the computed route), ``[1, 2]``.
    calibrate_fuel : bool
        Scale OpenAP's fuel flow so that the type flies its OpenAP-stated range
        (``cruise.range``) with full tanks, a ``pax.low`` payload and these reserves (see
        `fuel_flow_factor`). False uses OpenAP's fuel flow as it is.
    """

    load_factor: float = field(default_factory=partial(default, "load_factor"))
    pax_mass_kg: float = field(default_factory=partial(default, "pax_mass_kg"))
    cargo_kg: float = field(default_factory=partial(default, "cargo_kg"))
    taxi_out_min: float = field(default_factory=partial(default, "taxi_out_min"))
    taxi_in_min: float = field(default_factory=partial(default, "taxi_in_min"))
    cruise_mach: float | None = None
    cruise_alt_ft: float | None = None
    contingency_frac: float = field(default_factory=partial(default, "contingency_frac"))
    alternate_nm: float = field(default_factory=partial(default, "alternate_nm"))
    final_reserve_min: float = field(default_factory=partial(default, "final_reserve_min"))
    route_factor: float = field(default_factory=partial(default, "route_factor"))
    calibrate_fuel: bool = True

    def __post_init__(self) -> None:
        """Refuse figures no flight can have (`InvalidInputError` naming the field)."""
        check = validation.as_number
        check(self.load_factor, "load_factor", low=0.0, high=1.0)
        check(self.pax_mass_kg, "pax_mass_kg", low=0.0, high=300.0)
        check(self.cargo_kg, "cargo_kg", low=0.0, high=MAX_CARGO_KG)
        check(self.taxi_out_min, "taxi_out_min", low=0.0, high=240.0)
        check(self.taxi_in_min, "taxi_in_min", low=0.0, high=240.0)
        if self.cruise_mach is not None:
            check(self.cruise_mach, "cruise_mach", low=0.3, high=MAX_CRUISE_MACH)
        if self.cruise_alt_ft is not None:
            check(self.cruise_alt_ft, "cruise_alt_ft", low=CRUISE_ALT_FT[0], high=CRUISE_ALT_FT[1])
        check(self.contingency_frac, "contingency_frac", low=0.0, high=1.0)
        check(self.alternate_nm, "alternate_nm", low=0.0, high=2000.0)
        check(self.final_reserve_min, "final_reserve_min", low=0.0, high=240.0)
        check(self.route_factor, "route_factor", low=1.0, high=2.0)
        if not isinstance(self.calibrate_fuel, bool):
            raise InvalidInputError(f"calibrate_fuel must be True or False, got {self.calibrate_fuel!r}")


@extensible
@dataclass(frozen=True)
class Estimate:
    """Time, fuel, CO2 and range verdict of one flight.

    Times in minutes (``block_time`` as a `timedelta` too), masses in kg. ``within_range`` is True when the
    aircraft carries the trip fuel and reserves at this payload (the comparison table's column is named
    ``range_feasible``). ``route_label`` names the route estimated (``"SVO-LAX europe-closed"``) and
    ``route_km`` its length: a cost checks with them that it is given the estimate of its own route
    (`require_estimate_of`).
    """

    aircraft: str
    air_distance_km: float
    block_time_min: float
    taxi_min: float
    climb_min: float
    cruise_min: float
    descent_min: float
    trip_fuel_kg: float
    block_fuel_kg: float
    reserve_fuel_kg: float
    payload_kg: float
    takeoff_mass_kg: float
    within_range: bool
    range_margin_kg: float
    range_margin_km: float
    range_limit: str
    wind: str
    fuel_flow_factor: float
    assumptions: Assumptions = field(repr=False)
    route_label: str = field(default="", repr=False)
    route_km: float = field(default=math.nan, repr=False)

    @property
    def block_time(self) -> timedelta:
        """Block time as a timedelta."""
        return timedelta(minutes=self.block_time_min)

    @property
    def co2_kg(self) -> float:
        """CO2 from the block fuel (3.16 kg per kg of fuel)."""
        return self.block_fuel_kg * default("kg_co2_per_kg_fuel")

    def __repr__(self) -> str:
        verdict = "range ok" if self.within_range else f"out of range ({self.range_limit})"
        return (
            f"Estimate({self.aircraft}, {self.air_distance_km:,.0f} km, block {self.block_time_min:,.0f} min, "
            f"block fuel {self.block_fuel_kg:,.0f} kg, {verdict})"
        )


@cache
def _fuelflow(code: str) -> FuelFlow:
    from openap import FuelFlow

    with warnings.catch_warnings():  # OpenAP warns each time it substitutes a similar type
        warnings.simplefilter("ignore")
        return FuelFlow(_model_code(code), use_synonym=True)  # drag polar of a similar type if needed


def cruise_tas_kt(mach: float, alt_ft: float) -> float:
    """True airspeed (kt) of a Mach number at a pressure altitude in the ISA."""
    from openap import aero

    return float(aero.mach2tas(mach, alt_ft * M_PER_FT)) * OPENAP_KT_PER_MS


def _burn(ff: FuelFlow, mass0: float, dt_s: np.ndarray, tas_kt, alt_ft, vs_fpm, factor: float) -> np.ndarray:
    """Fuel (kg) burned in each step of a phase starting at ``mass0``, vectorised.

    The mass along the phase is re-estimated from the previous pass's cumulative burn; fuel
    flow is smooth in mass, so three passes agree with a step-by-step integration to < 0.01 %.
    """
    moving = dt_s > 0  # a profile's first row has no duration (and no finite thrust at rest)
    dt_s = dt_s[moving]
    tas_kt, alt_ft, vs_fpm = (np.broadcast_to(x, moving.shape)[moving] for x in (tas_kt, alt_ft, vs_fpm))
    burned = np.zeros(len(dt_s))
    for _ in range(3):
        mass = mass0 - np.concatenate([[0.0], np.cumsum(burned)[:-1]])
        with np.errstate(over="ignore", invalid="ignore"):  # OpenAP's soft thrust limits overflow harmlessly
            rate = np.asarray(ff.enroute(mass=mass, tas=tas_kt, alt=alt_ft, vs=vs_fpm), dtype=float)
        burned = factor * rate * dt_s
    if not np.isfinite(burned).all():
        raise ProfileError(
            f"OpenAP's fuel flow is not finite on part of the flight starting at {mass0:,.0f} kg "
            "(speed, altitude and mass outside what its model covers)"
        )
    return burned


def _profile_burn(ff: FuelFlow, prof: dict[str, np.ndarray], mass0: float, factor: float, ground_rate: float) -> float:
    """Fuel (kg) burned along a climb or descent profile; rows on the runway (altitude 0) burn
    ``ground_rate`` kg/s (take-off thrust on the take-off roll, idle on the landing roll)."""
    dt = np.diff(prof["t"], prepend=prof["t"][0])
    ground = prof["alt"] <= 0
    air = _burn(ff, mass0, np.where(ground, 0.0, dt), np.maximum(prof["tas"], 1.0), prof["alt"], prof["vs"], factor)
    return float(air.sum() + factor * ground_rate * dt[ground].sum())


def estimate(
    route: Route,
    aircraft: str | Aircraft = "B77W",
    assumptions: Assumptions | None = None,
    wind: WindModel | None = None,
) -> Estimate:
    """Block time, fuel, CO2 and range feasibility of flying ``route``.

    Parameters
    ----------
    route : Route
        A feasible route (any scenario).
    aircraft : str or Aircraft
        ICAO type code known to OpenAP; default the Boeing 777-300ER.
    assumptions : Assumptions
        Payload, taxi times, reserves, overrides; defaults documented on `Assumptions`.
    wind : WindModel
        Wind along the route (`routes.analysis.climatology.climatology`, `wind_from_dataset`,
        `average_wind`); default still air. ``Estimate.wind`` names it.

    Raises
    ------
    WindFieldError
        The wind field does not cover the route, has missing values over it, or a wind faster
        than the aircraft (subclasses `WindCoverageError`, `WindDataError`).

    Examples
    --------
    >>> import routes
    >>> e = estimate(routes.geodesic_route("SVO", "LAX"), "B77W")
    >>> round(e.block_time_min), round(e.block_fuel_kg / 1000, 1), e.within_range
    (688, 84.3, True)
    """
    require_feasible(route, "estimate time and fuel of")
    ac = aircraft if isinstance(aircraft, Aircraft) else get_aircraft(aircraft)
    if assumptions is not None and not isinstance(assumptions, Assumptions):
        raise InvalidInputError(f"assumptions must be a routes.Assumptions, got {type(assumptions).__name__}")
    a = assumptions or Assumptions()
    _require_payload_fits(ac, a)
    _cruise(ac, a)  # settings outside the type's envelope are refused before the fuel calibration
    factor = fuel_flow_factor(ac.code) if a.calibrate_fuel else 1.0
    pts = route.densified(CRUISE_STEP_KM)
    est = _fly(ac, a, pts, wind or still_air(), factor)
    return replace(est, route_label=_route_name(route), route_km=route.distance_km)


def _require_payload_fits(ac: Aircraft, a: Assumptions) -> None:
    """Refuse a payload above the type's MTOW less its OEW (OpenAP's fuel flow diverges far above MTOW)."""
    payload = ac.seats * a.load_factor * a.pax_mass_kg + a.cargo_kg
    if payload > ac.mtow_kg - ac.oew_kg:
        raise InvalidInputError(
            f"the payload {payload:,.0f} kg ({ac.seats} seats x load_factor {a.load_factor:g} x pax_mass_kg "
            f"{a.pax_mass_kg:g} + cargo_kg {a.cargo_kg:g}) is above what the {ac.code} can lift at all "
            f"(MTOW - OEW = {ac.mtow_kg - ac.oew_kg:,.0f} kg)"
        )


def _route_name(route: Route) -> str:
    return f"{route.origin.code}-{route.destination.code} {route.scenario.name}"


def require_estimate_of(est: Estimate, route: Route, what: str) -> None:
    """Refuse to ``what`` ``route`` with an estimate of another route.

    Raises
    ------
    InvalidInputError
        ``est`` is not an `Estimate`, or estimates another route (endpoints, scenario or length).
    """
    if not isinstance(est, Estimate):
        raise InvalidInputError(f"expected a routes.Estimate to {what} the route, got {type(est).__name__}")
    name = _route_name(route)
    if est.route_label != name or not math.isclose(est.route_km, route.distance_km, rel_tol=1e-9):
        raise InvalidInputError(
            f"cannot {what} the route {name} ({route.distance_km:,.1f} km) with the estimate of another route "
            f"({est.route_label or 'unknown'}, {est.route_km:,.1f} km): estimate this route with routes.estimate"
        )


def _model_files() -> list[Path]:
    """What `fuel_flow_factor` may depend on: the package's source (every module: the calibration
    flies the whole estimate, whatever modules it calls), the aircraft and assumptions data, and
    OpenAP's code and aircraft data."""
    from routes.inputs.airspace import data_dir

    data = data_dir()
    return [*package_sources(), *(data / "aircraft").glob("*.*"), *data.glob("assumptions.toml"), *openap_files()]


@cache
@memoize("fuel-factor", _model_files, np.__version__)
def fuel_flow_factor(code: str) -> float:
    """Multiplier on OpenAP fuel flow that makes the model fly the type's OpenAP range.

    A property of the type, computed once: with full tanks (or the MTOW limit), a payload of OpenAP
    ``pax.low`` passengers, the type's default cruise Mach and altitude and the reference reserve policy
    (the register's defaults, the "typical reserves" of range charts), the still-air trip
    along the equator that just uses all the fuel is OpenAP's ``cruise.range`` (``route_factor`` 1:
    the stated range is a distance flown). For types without a fitted OpenAP fuel model (B77W,
    A359, B789, B744 ...) OpenAP's generic model burns ~30 % more than this; for types with a
    fitted model the factor comes out near 1 (A320 0.94, A332 0.97, B772 0.91, A388 0.96).
    Types for which OpenAP states no range keep factor 1.
    """
    from openap import prop

    ac = get_aircraft(code)
    if ac.model_code:  # a type OpenAP lacks: scaled to its published range point (data/aircraft)
        return _data_fuel_flow_factor(ac)
    # the type's own speed and altitude over the stated distance, with the reference reserves: flying
    # slower, lower, a longer way round or with more reserves costs fuel instead of being calibrated away
    a = replace(
        Assumptions(),
        calibrate_fuel=False,
        load_factor=1.0,
        cargo_kg=0.0,
        cruise_mach=None,
        cruise_alt_ft=None,
        route_factor=1.0,
    )
    data = prop.aircraft(code.lower())
    range_km = data.get("cruise", {}).get("range")
    if not range_km:  # OpenAP states no range for this type: leave its fuel flow as it is
        return 1.0
    a = replace(a, load_factor=data["pax"]["low"] / ac.seats)
    range_km = float(range_km)
    deg = range_km / 111.319490793
    pts = geodesy.densify_path(np.array([[0.0, 0.0], [deg, 0.0]]), CRUISE_STEP_KM)
    factor = 1.0
    for _ in range(5):
        est = _fly(ac, a, pts, still_air(), factor)
        need = est.trip_fuel_kg + est.reserve_fuel_kg + (est.block_fuel_kg - est.trip_fuel_kg)
        available = min(ac.max_fuel_kg, ac.mtow_kg - ac.oew_kg - est.payload_kg)
        step = available / need
        factor *= step
        if abs(step - 1.0) < 1e-3:
            break
    return float(factor)


def _mean_over(values: np.ndarray, along_km: np.ndarray, lo_km: float, hi_km: float) -> float:
    """Length-weighted mean of per-segment ``values`` over the stretch ``lo_km..hi_km`` of the route."""
    w = np.clip(along_km[1:], lo_km, hi_km) - np.clip(along_km[:-1], lo_km, hi_km)
    return float((values * w).sum() / w.sum()) if w.sum() > 0 else 0.0


def _phase_wind_km(prof: dict[str, np.ndarray], cruise_alt_ft: float, wind_kt: float) -> float:
    """Extra ground distance (km) a climb or descent profile covers in a wind of ``wind_kt`` along
    track at cruise level, the wind scaled linearly with altitude from zero at the surface."""
    dt = np.diff(prof["t"], prepend=prof["t"][0])
    share = np.clip(prof["alt"] / cruise_alt_ft, 0.0, 1.0)
    return float(wind_kt * (share * dt).sum() / 3600.0 * KM_PER_NM)


@dataclass(frozen=True)
class _Timing:
    """The time part of the model along one route in one wind (no fuel)."""

    tas_kt: float
    alt_ft: float
    total_km: float
    cruise_s: np.ndarray  # seconds per cruise segment
    climb_min: float  # scaled down when the route is too short to cruise
    descent_min: float
    cruise_min: float
    taxi_min: float
    short: float  # share of climb and descent flown (1.0 unless the route is too short to cruise)

    @property
    def block_time_min(self) -> float:
        return self.taxi_min + self.climb_min + self.cruise_min + self.descent_min


def _cruise(ac: Aircraft, a: Assumptions) -> tuple[float, float]:
    """Cruise Mach and altitude (ft) of ``a`` on the type, refused outside its `Aircraft.mach_range` and ceiling."""
    mach = a.cruise_mach or ac.cruise_mach
    alt_ft = a.cruise_alt_ft or ac.cruise_alt_ft
    if not ac.min_mach <= mach <= ac.mmo:
        lo, hi = ac.mach_range
        why = (
            f"exceeds the {ac.code}'s maximum operating Mach (MMO) {hi:g}"
            if mach > hi
            else f"is below the {ac.code}'s climb and descent speeds even at sea level (OpenAP's profiles never end)"
        )
        raise InvalidInputError(f"cruise_mach {mach:g} {why}; the {ac.code} is modelled at cruise_mach {lo:g}-{hi:g}")
    if alt_ft > ac.ceiling_ft + 1.0:
        raise InvalidInputError(
            f"cruise_alt_ft {alt_ft:,.0f} is above the {ac.code}'s service ceiling ({ac.ceiling_ft:,.0f} ft)"
        )
    return mach, alt_ft


def _timing(ac: Aircraft, a: Assumptions, pts: np.ndarray, wind: WindModel) -> _Timing:
    """Climb, cruise and descent times along densified route points (lon, lat) in a wind."""
    mach, alt_ft = _cruise(ac, a)
    tas = cruise_tas_kt(mach, alt_ft)
    climb, descent = _profiles(_model_code(ac.code), alt_ft, mach)
    climb_km, descent_km = climb["s"][-1] / 1000.0, descent["s"][-1] / 1000.0

    seg_len_km, az, mid = geodesy.segment_courses_midpoints(pts)
    seg_km_raw = seg_len_km * a.route_factor
    total_km = float(seg_km_raw.sum())
    along = np.concatenate([[0.0], np.cumsum(seg_km_raw)])
    gs_all = np.asarray(wind.ground_speed_kt(mid, az, tas, alt_ft), dtype=float)
    if not np.isfinite(gs_all).all():
        raise WindFieldError(f"the wind model {wind.label!r} gave no finite ground speed on part of the route")
    if (gs_all <= 50).any():
        raise WindFieldError(
            f"the wind ({wind.label}) leaves a ground speed of {float(gs_all.min()):.0f} kt on part of the route "
            f"(true airspeed {tas:.0f} kt); a headwind must be well below the airspeed"
        )
    # climb and descent keep their OpenAP time profiles; the wind changes the ground they cover
    climb_km += _phase_wind_km(climb, alt_ft, _mean_over(gs_all - tas, along, 0.0, climb_km))
    descent_km += _phase_wind_km(descent, alt_ft, _mean_over(gs_all - tas, along, total_km - descent_km, total_km))
    # cruise portion: between the end of climb and the top of descent
    lo, hi = climb_km, max(total_km - descent_km, climb_km)
    seg_km = np.clip(along[1:], lo, hi) - np.clip(along[:-1], lo, hi)
    keep = seg_km > 1e-9
    cruise_s = seg_km[keep] / KM_PER_NM / gs_all[keep] * 3600.0
    t_cruise = float(cruise_s.sum()) / 60.0
    climb_min, descent_min = climb["t"][-1] / 60.0, descent["t"][-1] / 60.0
    short = min(total_km / (climb_km + descent_km), 1.0)
    if short < 1.0:  # too short to cruise: scale climb and descent
        climb_min, descent_min, t_cruise = climb_min * short, descent_min * short, 0.0
    return _Timing(
        tas_kt=tas,
        alt_ft=alt_ft,
        total_km=total_km,
        cruise_s=cruise_s,
        climb_min=float(climb_min),
        descent_min=float(descent_min),
        cruise_min=t_cruise,
        taxi_min=a.taxi_out_min + a.taxi_in_min,
        short=short,
    )


def block_times_min(
    route: Route,
    winds: Sequence[WindModel | None],
    aircraft: str | Aircraft = "B77W",
    assumptions: Assumptions | None = None,
) -> list[float]:
    """Block time (min) of ``route`` in each of several winds, without the fuel model.

    The same times as `estimate` (``Estimate.block_time_min``) in each wind, about 50 times
    faster: the route is densified once, the wind looked up in one vectorised call per wind, and
    no fuel is computed. For month-by-month and direction tables.

    Parameters
    ----------
    route : Route
        A feasible route.
    winds : sequence of WindModel or None
        None is still air.
    """
    require_feasible(route, "estimate the block time of")
    ac = aircraft if isinstance(aircraft, Aircraft) else get_aircraft(aircraft)
    a = assumptions or Assumptions()
    pts = route.densified(CRUISE_STEP_KM)
    return [_timing(ac, a, pts, w or still_air()).block_time_min for w in winds]


def _fly(ac: Aircraft, a: Assumptions, pts: np.ndarray, wind: WindModel, factor: float) -> Estimate:
    """The performance model along densified route points (lon, lat)."""
    # one function on purpose: the fuel of each phase (taxi, climb, cruise, descent, reserves) feeds the next,
    # read top to bottom as the flight is flown
    timing = _timing(ac, a, pts, wind)
    tas, alt_ft, total_km, cruise_s = timing.tas_kt, timing.alt_ft, timing.total_km, timing.cruise_s
    ff = _fuelflow(ac.code)
    climb, descent = _profiles(_model_code(ac.code), alt_ft, a.cruise_mach or ac.cruise_mach)
    payload = ac.seats * a.load_factor * a.pax_mass_kg + a.cargo_kg
    taxi_min = timing.taxi_min
    idle_rate = float(ff.at_thrust(0.07 * ff.engine["max_thrust"] * ac.engines))  # kg/s, ICAO idle
    takeoff_rate = float(ff.takeoff(tas=0.0, alt=0.0))
    taxi_fuel = factor * idle_rate * taxi_min * 60.0
    # beyond twice its MTOW a flight is far out of range, and OpenAP's fuel flow diverges: cap the fixed point
    fuel_cap = MAX_TOW_FACTOR * ac.mtow_kg - ac.oew_kg - payload
    fuel_guess = min(total_km * 8.0, fuel_cap)  # kg, first guess for the fixed point
    # too short to cruise: climb and descent are cut short in time and in fuel alike
    short = timing.short
    for _ in range(8):
        tom = ac.oew_kg + payload + fuel_guess
        f_climb = short * _profile_burn(ff, climb, tom, factor, takeoff_rate)
        f_cruise = float(
            _burn(ff, tom - f_climb, cruise_s, np.float64(tas), np.float64(alt_ft), np.float64(0.0), factor).sum()
        )
        f_descent = short * _profile_burn(ff, descent, tom - f_climb - f_cruise, factor, idle_rate)
        trip = f_climb + f_cruise + f_descent
        landing = tom - trip
        cruise_rate = factor * float(ff.enroute(mass=landing, tas=tas, alt=alt_ft))  # kg/s
        alternate = cruise_rate * a.alternate_nm / tas * 3600.0
        holding = factor * float(ff.enroute(mass=landing, tas=210.0, alt=1500.0)) * a.final_reserve_min * 60.0
        reserve = a.contingency_frac * trip + alternate + holding
        if abs(trip + reserve - fuel_guess) < 10.0:
            break
        fuel_guess = min(trip + reserve, fuel_cap)
    required = trip + reserve + taxi_fuel
    tom = ac.oew_kg + payload + trip + reserve
    slack_fuel, slack_mtow = ac.max_fuel_kg - required, ac.mtow_kg - tom
    limit = "fuel capacity" if slack_fuel < slack_mtow else "MTOW"
    margin = min(slack_fuel, slack_mtow)
    fuel_per_km = cruise_rate * 3600.0 / (tas * KM_PER_NM)
    est = Estimate(
        aircraft=ac.code,
        air_distance_km=total_km,
        block_time_min=float(timing.block_time_min),
        taxi_min=taxi_min,
        climb_min=timing.climb_min,
        cruise_min=timing.cruise_min,
        descent_min=timing.descent_min,
        trip_fuel_kg=float(trip),
        block_fuel_kg=float(trip + taxi_fuel),
        reserve_fuel_kg=float(reserve),
        payload_kg=float(payload),
        takeoff_mass_kg=float(tom),
        within_range=bool(margin >= 0),
        range_margin_kg=float(margin),
        range_margin_km=float(margin / fuel_per_km),
        range_limit=limit,
        wind=wind.label,
        fuel_flow_factor=float(factor),
        assumptions=a,
    )
    bad = [k for k, v in vars(est).items() if isinstance(v, float) and not math.isfinite(v) and k != "route_km"]
    if bad:
        raise ProfileError(f"OpenAP's model gave no finite {', '.join(bad)} for the {ac.code} at these settings")
    return est


# --- types and weights from data/aircraft (types OpenAP lacks, MZFW/MLW for OpenAP types) ---------------


@cache
def _extra_codes() -> frozenset[str]:
    from routes.inputs.aircraft import extra_types

    return frozenset(extra_types())


def _model_code(code: str) -> str:
    """The lower-case OpenAP type whose models stand in for ``code`` (itself for OpenAP types)."""
    key = code.lower()
    if key in _openap_types():
        return key
    return get_aircraft(code).model_code.lower() or key


@cache
def _sourced_aircraft(key: str) -> Aircraft:
    """The type's `Aircraft`: a type OpenAP lacks wholly from ``data/aircraft``; an OpenAP type with the
    weights OpenAP lacks from there (None where unknown)."""
    from routes.inputs.aircraft import aircraft_record

    if key not in _openap_types():
        return _data_aircraft(key)
    ac = _aircraft(key)
    rec = aircraft_record(ac.code)
    if rec is None:
        return ac
    return replace(ac, **{f: rec.number(f) for f in ("mzfw_kg", "mlw_kg", "takeoff_field_m")})


def _data_aircraft(key: str) -> Aircraft:
    """A type OpenAP lacks, wholly from ``data/aircraft`` (its fuel model is a scaled OpenAP proxy)."""
    from routes.inputs.aircraft import require_record

    rec = require_record(key)
    need = rec.require
    return Aircraft(
        code=rec.code,
        name=rec.name,
        mtow_kg=need("mtow_kg"),
        oew_kg=need("oew_kg"),
        max_fuel_kg=need("fuel_capacity_kg"),
        seats=int(need("seats")),
        cruise_mach=need("cruise_mach"),
        cruise_alt_ft=need("cruise_alt_ft"),
        engines=int(need("engines")),
        wingspan_m=need("wingspan_m"),
        mmo=need("mmo"),
        ceiling_ft=need("ceiling_ft"),
        mzfw_kg=rec.number("mzfw_kg"),
        mlw_kg=rec.number("mlw_kg"),
        takeoff_field_m=rec.number("takeoff_field_m"),
        model_code=rec.fuel_model.openap_proxy if rec.fuel_model else "",
        min_mach=lowest_mach(rec.fuel_model.openap_proxy.lower()) if rec.fuel_model else 0.3,
    )


def _data_fuel_flow_factor(ac: Aircraft) -> float:
    """Scale on the proxy's fuel flow that flies the type's published range point (``data/aircraft``):
    the still-air trip along the equator at that payload, with the reference reserves, just uses
    the fuel the type can take at that payload (full tanks, or less when MTOW limits)."""
    from routes.inputs.aircraft import require_record

    model = require_record(ac.code).fuel_model
    if model is None:
        return 1.0
    payload = float(model.payload_kg.value)
    a = replace(Assumptions(), calibrate_fuel=False, load_factor=0.0, cargo_kg=payload)
    deg = float(model.range_km.value) / 111.319490793
    pts = geodesy.densify_path(np.array([[0.0, 0.0], [deg, 0.0]]), CRUISE_STEP_KM)
    factor = 1.0
    for _ in range(6):
        est = _fly(ac, a, pts, still_air(), factor)
        need = est.block_fuel_kg + est.reserve_fuel_kg
        step = min(ac.max_fuel_kg, ac.mtow_kg - ac.oew_kg - payload) / need
        factor *= step
        if abs(step - 1.0) < 1e-3:
            break
    return float(factor)
