"""Payload-range: the most payload a type can carry on a route, which limit binds, and the type's diagram.

The payload is the mass above the operating empty weight (OEW): passengers with baggage and cargo. It
is limited by

* **MZFW** (maximum zero-fuel weight): payload <= MZFW - OEW, the structural limit;
* **MTOW**: OEW + payload + trip fuel + reserves <= MTOW (the take-off mass after taxi, as in
  `routes.analysis.performance`);
* **fuel capacity**: taxi + trip fuel + reserves <= the tanks;
* **MLW** (maximum landing weight): OEW + payload + reserves <= MLW at the destination; binds on short
  sectors only.

Trip fuel and reserves come from the same model as `performance.estimate` (same wind, reserve policy and
calibrated fuel flow). Each limit is a rising function of the payload; the largest payload that meets all
of them is found by a secant search over a handful of evaluations of the fuel model (1 when MZFW binds,
usually 3-4 otherwise, each as costly as the fuel part of one estimate), not by many estimates. The answer
is at most `UNDER_KG` (100 kg, one passenger) below the limit and at most `OVER_KG` (20 kg) above it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from routes import geodesy
from routes.analysis import performance as perf
from routes.analysis.wind import WindModel, still_air
from routes.errors import InvalidInputError, MissingAircraftDataError, PayloadError
from routes.result import Route, require_feasible

LIMITS = ("MZFW", "MTOW", "fuel capacity", "MLW")
"""The limits on payload, in the order they are reported."""
TOLERANCE_KG = 20.0
"""A payload within this of MZFW - OEW is reported as MZFW-limited."""
UNDER_KG = 100.0
"""The search stops at an evaluated payload at most this far below the limit (about one passenger)."""
OVER_KG = 20.0
"""An evaluated payload this little above the limit is corrected by the secant step without another
evaluation."""
MAX_EVALUATIONS = 8
KM_PER_DEG_EQUATOR = 111.319490793


@dataclass(frozen=True)
class MaxPayload:
    """The largest payload a type can carry on one route in one wind.

    Attributes
    ----------
    aircraft : str
    air_distance_km : float
        The distance flown through the air (ground distance in still air).
    payload_kg : float
        Largest payload meeting every limit; 0 when even an empty aircraft cannot fly it (then
        ``within_range`` is False).
    seats : int
        Passengers the payload allows at ``pax_mass_kg`` each (rounded down), at most the type's seat count
        (`Aircraft.seats`); the rest of the payload is cargo.
    pax_mass_kg : float
    limit : str
        The binding limit: ``"MZFW"``, ``"MTOW"``, ``"fuel capacity"`` or ``"MLW"``.
    within_range : bool
        False when the route is too long even with no payload.
    payload_by_limit_kg : dict of str to float
        The payload each limit alone would allow (MLW absent when the type has no MLW).
    takeoff_mass_kg, landing_mass_kg, block_fuel_kg, reserve_fuel_kg : float
        At the maximum payload.
    wind : str
    evaluations : int
        Evaluations of the fuel model the search took.
    """

    aircraft: str
    air_distance_km: float
    payload_kg: float
    seats: int
    pax_mass_kg: float
    limit: str
    within_range: bool
    payload_by_limit_kg: dict[str, float]
    takeoff_mass_kg: float
    landing_mass_kg: float
    block_fuel_kg: float
    reserve_fuel_kg: float
    wind: str
    evaluations: int

    def __repr__(self) -> str:
        verdict = "" if self.within_range else ", out of range even empty"
        return (
            f"MaxPayload({self.aircraft}, {self.air_distance_km:,.0f} km, {self.payload_kg:,.0f} kg "
            f"= {self.seats} seats, {self.limit} limited{verdict})"
        )

    def full_load(self, type_seats: int) -> bool:
        """Whether every one of the type's ``type_seats`` seats, at ``pax_mass_kg`` each, fits non-stop."""
        return bool(self.within_range and self.payload_kg >= type_seats * self.pax_mass_kg)


def structural_payload_kg(ac: perf.Aircraft) -> float:
    """MZFW - OEW: the most payload the structure allows (kg).

    Raises
    ------
    MissingAircraftDataError
        The type has no MZFW (the message names ``mzfw_kg``).
    """
    if ac.mzfw_kg is None:
        raise MissingAircraftDataError(
            f"aircraft {ac.code} has no mzfw_kg (maximum zero-fuel weight), which the payload calculation "
            "needs; add it with its source to data/aircraft/aircraft.toml"
        )
    return ac.mzfw_kg - ac.oew_kg


def check_payload(ac: perf.Aircraft, payload_kg: float) -> float:
    """``payload_kg`` as a float, refused when below zero or above the structural limit (MZFW - OEW).

    Raises
    ------
    PayloadError
        Negative, not finite, or above MZFW - OEW (the message gives the limit).
    """
    if isinstance(payload_kg, bool) or not isinstance(payload_kg, int | float) or not math.isfinite(payload_kg):
        raise PayloadError(f"payload_kg must be a finite number of kg, got {payload_kg!r}")
    if payload_kg < 0:
        raise PayloadError(f"payload_kg must be >= 0, got {payload_kg:g}")
    top = structural_payload_kg(ac)
    if payload_kg > top + 1e-6:
        raise PayloadError(
            f"payload_kg {payload_kg:,.0f} is above the {ac.code}'s structural limit MZFW - OEW = "
            f"{ac.mzfw_kg:,.0f} - {ac.oew_kg:,.0f} = {top:,.0f} kg"
        )
    return float(payload_kg)


class _FuelModel:
    """The fuel model along one path in one wind, as a function of payload (kg)."""

    def __init__(self, ac: perf.Aircraft, a: perf.Assumptions, pts: np.ndarray, wind: WindModel) -> None:
        self.ac, self.pts, self.wind = ac, pts, wind
        self.factor = perf.fuel_flow_factor(ac.code) if a.calibrate_fuel else 1.0
        self.base = replace(a, load_factor=0.0, cargo_kg=0.0, calibrate_fuel=False)
        self.evaluations = 0

    def slack(self, payload_kg: float) -> tuple[dict[str, float], perf.Estimate]:
        """Each limit's excess (kg, > 0 = broken) at a payload (>= 0), and the estimate."""
        self.evaluations += 1
        est = perf._fly(self.ac, replace(self.base, cargo_kg=payload_kg), self.pts, self.wind, self.factor)
        ac = self.ac
        out = {
            "MTOW": est.takeoff_mass_kg - ac.mtow_kg,
            "fuel capacity": est.block_fuel_kg + est.reserve_fuel_kg - ac.max_fuel_kg,
        }
        if ac.mlw_kg is not None:
            out["MLW"] = est.takeoff_mass_kg - est.trip_fuel_kg - ac.mlw_kg
        return out, est


MIN_SLOPE = 0.05


def _allowed(p: float, slack: dict[str, float], slopes: dict[str, float]) -> dict[str, float]:
    """The payload each limit allows, extrapolated linearly from ``p``."""
    return {k: p - v / max(slopes[k], MIN_SLOPE) for k, v in slack.items()}


def _slopes(est: perf.Estimate) -> dict[str, float]:
    """First guesses of d(excess)/d(payload) from one evaluation: fuel burn is close to proportional to
    the mass carried, so each extra kg of payload costs about fuel / mean mass in trip and reserve fuel."""
    fuel = est.trip_fuel_kg + est.reserve_fuel_kg
    per_kg = fuel / max(est.takeoff_mass_kg - est.trip_fuel_kg / 2.0, 1.0)
    reserve_per_kg = est.reserve_fuel_kg / max(est.takeoff_mass_kg - est.trip_fuel_kg, 1.0)
    return {"MTOW": 1.0 + per_kg, "fuel capacity": per_kg, "MLW": 1.0 + reserve_per_kg}


def _search(model: _FuelModel, top_kg: float) -> tuple[float, dict[str, float], perf.Estimate]:
    """Largest payload in 0..``top_kg`` meeting every limit (-1 when none does); the payload each limit
    allows; the estimate at the payload returned."""
    p, (slack, est) = top_kg, model.slack(top_kg)
    s = _slopes(est)
    allowed = _allowed(p, slack, s)
    if max(slack.values()) <= 0:
        return p, allowed, est
    for _ in range(MAX_EVALUATIONS):
        p_next = max(min(min(allowed.values()), top_kg), 0.0)
        slack_next, est = model.slack(p_next)
        if abs(p - p_next) > 1.0:
            s = {k: (slack[k] - slack_next[k]) / (p - p_next) for k in slack}
        p, slack = p_next, slack_next
        allowed = _allowed(p, slack, s)
        gap = min(min(allowed.values()), top_kg) - p  # > 0: more payload would fit
        if p == 0.0 and gap < 0:
            return -1.0, allowed, est  # too far even with no payload
        if 0.0 <= gap <= UNDER_KG or (gap >= 0 and p >= top_kg):
            return p, allowed, est  # within UNDER_KG below the limit: keep the figure evaluated
        if -OVER_KG <= gap < 0:
            return p + gap, allowed, est  # a hair over: the secant's correction
    return max(min(min(allowed.values()), p), 0.0), allowed, est


def _result(ac: perf.Aircraft, a: perf.Assumptions, model: _FuelModel, est: perf.Estimate, found: float, allowed):
    top = structural_payload_kg(ac)
    by_limit = {"MZFW": top, **{k: float(v) for k, v in allowed.items()}}
    limit = "MZFW" if found >= top - TOLERANCE_KG else min(allowed, key=lambda k: allowed[k])
    payload = max(found, 0.0)
    pax = int(payload // a.pax_mass_kg) if a.pax_mass_kg > 0 else 0
    return MaxPayload(
        aircraft=ac.code,
        air_distance_km=est.air_distance_km,
        payload_kg=float(payload),
        seats=min(pax, ac.seats),
        pax_mass_kg=a.pax_mass_kg,
        limit=limit,
        within_range=bool(found >= 0),
        payload_by_limit_kg=by_limit,
        takeoff_mass_kg=float(est.takeoff_mass_kg),
        landing_mass_kg=float(est.takeoff_mass_kg - est.trip_fuel_kg),
        block_fuel_kg=float(est.block_fuel_kg),
        reserve_fuel_kg=float(est.reserve_fuel_kg),
        wind=est.wind,
        evaluations=model.evaluations,
    )


def _aircraft(aircraft: str | perf.Aircraft) -> perf.Aircraft:
    return aircraft if isinstance(aircraft, perf.Aircraft) else perf.get_aircraft(aircraft)


def max_payload(
    route: Route,
    aircraft: str | perf.Aircraft = "B77W",
    assumptions: perf.Assumptions | None = None,
    wind: WindModel | None = None,
) -> MaxPayload:
    """The largest payload ``aircraft`` can carry on ``route`` and the limit that binds.

    Parameters
    ----------
    route : Route
        A feasible route.
    aircraft : str or Aircraft
        ICAO type (OpenAP or ``data/aircraft``, e.g. ``"IL96"``); it needs an MZFW.
    assumptions : Assumptions
        Reserve policy, taxi times, cruise overrides and passenger mass (load factor and cargo are
        ignored: the payload is what is solved for).
    wind : WindModel
        Default still air.

    Raises
    ------
    MissingAircraftDataError
        The type has no MZFW.

    Examples
    --------
    >>> import routes
    >>> m = max_payload(routes.route("SVO", "LAX", scenario="europe-canada-closed"), "B77W")
    >>> m.limit, m.seats
    ('MZFW', 451)
    """
    require_feasible(route, "find the payload of")
    ac = _aircraft(aircraft)
    a = assumptions or perf.Assumptions()
    top = structural_payload_kg(ac)
    model = _FuelModel(ac, a, route.densified(perf.CRUISE_STEP_KM), wind or still_air())
    found, allowed, est = _search(model, top)
    return _result(ac, a, model, est, found, allowed)


def _equator_path(distance_km: float) -> np.ndarray:
    deg = distance_km / KM_PER_DEG_EQUATOR
    return geodesy.densify_path(np.array([[0.0, 0.0], [deg, 0.0]]), perf.CRUISE_STEP_KM)


def max_payload_at(
    distance_km: float, aircraft: str | perf.Aircraft = "B77W", assumptions: perf.Assumptions | None = None
) -> MaxPayload:
    """`max_payload` for a still-air distance (km), flown along the equator."""
    if isinstance(distance_km, bool) or not isinstance(distance_km, int | float) or not 0 < distance_km < 20_000:
        raise InvalidInputError(f"distance_km must be a number in 0-20,000 km, got {distance_km!r}")
    ac = _aircraft(aircraft)
    a = assumptions or perf.Assumptions()
    model = _FuelModel(ac, a, _equator_path(float(distance_km)), still_air())
    found, allowed, est = _search(model, structural_payload_kg(ac))
    return _result(ac, a, model, est, found, allowed)


@dataclass(frozen=True)
class PayloadRangePoint:
    """A corner of the payload-range diagram (still air).

    Attributes
    ----------
    name : str
        ``"max payload"`` (MZFW and MTOW), ``"full tanks"`` (MTOW and fuel capacity) or ``"ferry"``
        (no payload, full tanks).
    range_km : float
    payload_kg : float
    takeoff_mass_kg : float
    """

    name: str
    range_km: float
    payload_kg: float
    takeoff_mass_kg: float


@dataclass(frozen=True)
class PayloadRange:
    """The payload-range diagram of a type, still air, with the package's reserve policy.

    Attributes
    ----------
    aircraft : str
    corners : tuple of PayloadRangePoint
        In order of range. Between corners the curve is close to a straight line (each segment is one
        limit: MZFW, then MTOW, then fuel capacity), so the corners with ``(0, max payload)`` are the curve.
    pax_mass_kg : float
    """

    aircraft: str
    corners: tuple[PayloadRangePoint, ...]
    pax_mass_kg: float

    @property
    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(range_km, payload_kg) of the diagram's outline, from zero range to the ferry range."""
        km = np.array([0.0, *(c.range_km for c in self.corners)])
        kg = np.array([self.corners[0].payload_kg, *(c.payload_kg for c in self.corners)])
        return km, kg

    def payload_at_kg(self, distance_km: float) -> float:
        """The diagram's payload at a distance (linear between corners; 0 beyond the ferry range)."""
        km, kg = self.curve
        return float(np.interp(distance_km, km, kg, right=0.0))


RANGE_TOLERANCE_KM = 5.0


def range_for_payload_km(
    payload_kg: float, aircraft: str | perf.Aircraft = "B77W", assumptions: perf.Assumptions | None = None
) -> float:
    """The longest still-air distance (km) ``aircraft`` flies with ``payload_kg`` (every limit met).

    Raises
    ------
    PayloadError
        A payload below zero or above MZFW - OEW.
    """
    ac = _aircraft(aircraft)
    a = assumptions or perf.Assumptions()
    payload_kg = check_payload(ac, payload_kg)

    def excess(d_km: float) -> float:
        slack, _ = _FuelModel(ac, a, _equator_path(d_km), still_air()).slack(payload_kg)
        return max(slack.values())

    d0, d1 = 6000.0, 12000.0
    e0, e1 = excess(d0), excess(d1)
    for _ in range(MAX_EVALUATIONS):
        slope = (e1 - e0) / (d1 - d0) if d1 != d0 else 8.0
        d_next = float(np.clip(d1 - e1 / max(slope, 1.0), 100.0, 19_500.0))
        d0, e0, d1 = d1, e1, d_next
        e1 = excess(d1)
        if abs(d1 - d0) < RANGE_TOLERANCE_KM:
            break
    return d1


def payload_range(aircraft: str | perf.Aircraft = "B77W", assumptions: perf.Assumptions | None = None) -> PayloadRange:
    """The corners of ``aircraft``'s payload-range diagram (still air, the reserve policy of ``assumptions``).

    Raises
    ------
    MissingAircraftDataError
        The type has no MZFW.
    """
    ac = _aircraft(aircraft)
    a = assumptions or perf.Assumptions()
    top = structural_payload_kg(ac)
    _, est = _FuelModel(ac, a, _equator_path(5000.0), still_air()).slack(0.0)
    taxi_kg = est.block_fuel_kg - est.trip_fuel_kg
    full_tanks = ac.mtow_kg - ac.oew_kg - (ac.max_fuel_kg - taxi_kg)
    corners = []
    points = [("max payload", top), ("full tanks", full_tanks), ("ferry", 0.0)]
    for name, payload in points:
        if not 0.0 <= payload <= top:
            continue  # e.g. MZFW binds up to full tanks: no separate MTOW segment
        km = range_for_payload_km(payload, ac, a)
        fuel = min(ac.max_fuel_kg, ac.mtow_kg - ac.oew_kg - payload + taxi_kg)
        corners.append(PayloadRangePoint(name, km, payload, ac.oew_kg + payload + fuel - taxi_kg))
    return PayloadRange(ac.code, tuple(corners), a.pax_mass_kg)


def payload_by_month(
    routes: Mapping[str, Route],
    aircraft: str | perf.Aircraft = "B77W",
    assumptions: perf.Assumptions | None = None,
    months: Sequence[int] = tuple(range(1, 13)),
    baseline: str | None = None,
) -> pd.DataFrame:
    """Maximum payload on each route, both directions, in each month's climatological wind.

    Parameters
    ----------
    routes : mapping of label to Route
        E.g. ``{"pre-2022": geodesic, "europe-closed": route}``; each is flown out and back (reversed).
    aircraft, assumptions
        As for `max_payload`.
    months : sequence of int
        Months 1-12 (the packaged NCEP/NCAR climatology, `routes.analysis.climatology`).
    baseline : str, optional
        The label the loss is measured against (default: the first).

    Returns
    -------
    pandas.DataFrame
        One row per label, direction and month: ``scenario``, ``direction`` (``"outbound"``,
        ``"inbound"``), ``month``, ``air_distance_km``, ``payload_kg``, ``seats``, ``limit``,
        ``within_range``, ``loss_kg`` and ``loss_seats`` (against the baseline's same direction and month).
    """
    from routes.analysis.climatology import climatology
    from routes.analysis.cost import reversed_route

    ac = _aircraft(aircraft)
    if not routes:
        raise InvalidInputError("payload_by_month needs at least one route")
    rows = []
    for label, route in routes.items():
        for direction, r in (("outbound", route), ("inbound", reversed_route(route))):
            for month in months:
                m = max_payload(r, ac, assumptions, climatology(month))
                rows.append(
                    {
                        "scenario": label,
                        "direction": direction,
                        "month": int(month),
                        "air_distance_km": m.air_distance_km,
                        "payload_kg": m.payload_kg,
                        "seats": m.seats,
                        "limit": m.limit,
                        "within_range": m.within_range,
                    }
                )
    df = pd.DataFrame(rows)
    base = df[df["scenario"] == (baseline or next(iter(routes)))].set_index(["direction", "month"])
    key = list(zip(df["direction"], df["month"], strict=True))
    df["loss_kg"] = base.loc[key, "payload_kg"].to_numpy() - df["payload_kg"].to_numpy()
    df["loss_seats"] = base.loc[key, "seats"].to_numpy() - df["seats"].to_numpy()
    return df
