"""Technical-stop suggestion: where to stop when the non-stop flight cannot carry the payload.

Candidates are the civil airports of ``data/alternates.csv`` with scheduled service, a paved runway at least
as long as the type's take-off field length at MTOW (``data/aircraft``) and as wide as its code letter
needs, outside the closed airspace (the operator's included). Each one-stop itinerary's trip time is block
time out + ground time + block time on (still air), and the best few are listed with their penalty in
minutes and USD against the non-stop flight. Two stops are tried only when no one-stop itinerary works.

The search is pruned with lower bounds, so that about a hundred candidates stay interactive:

* the geodesic o-s-d distance bounds the constrained one from below; candidates are taken in its order;
* a leg whose geodesic already exceeds the still-air range at the payload is dropped unrouted;
* a candidate's trip time is at least taxi + ground time + (geodesic o-s-d) / cruise true airspeed (climb
  and descent are slower than cruise): once that bound passes the n-th best trip time found, the search
  stops, since every later candidate has a larger bound.

Leg routes are kept in a cache (`clear_cache` resets it), so a second suggestion for the same pair is fast.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

import numpy as np
import pandas as pd

from routes import engine, geodesy
from routes.analysis.diversion import usable_alternates
from routes.analysis.payload import range_for_payload_km
from routes.analysis.performance import Aircraft, Assumptions, block_times_min, cruise_tas_kt, get_aircraft
from routes.errors import InvalidInputError
from routes.inputs.airports import Airport, get_airport
from routes.inputs.scenarios import Scenario
from routes.inputs.stopdata import technical_stop_ground_time
from routes.itinerary import Itinerary, itinerary, operator_scenario_for, required_runway_m
from routes.result import Route
from routes.routing import AirportLike, geodesic_route, route
from routes.scenario_obstacles import scenario_obstacles
from routes.units import KM_PER_NM

Objective = Literal["time", "cost"]
MAX_DETOUR = 0.35
"""Candidates whose geodesic o-s-d exceeds the non-stop route by more than this share are not considered."""
MIN_LEG_KM = 300.0
UNSURE_FACTOR = 1.1
"""Candidates whose legs have no clear upper bound are ranked at their lower bound times this."""
CLEAR_TOLERANCE_M = 100.0
"""A connector touching a corner of the (margin-expanded) closed airspace counts as clear."""
MAX_ROUTED_PER_OPTION = 3
"""At most this many candidates per option asked for (most promising first) are routed exactly."""
SAME_PLACE_KM = 100.0
"""Candidates closer than this to a candidate with a smaller o-s-d bound are dropped (SJC, OAK beside SFO):
they would give nearly the same itinerary."""
MAX_TWO_STOP_PAIRS = 300
BOUND_SLACK_MIN = 0.5
"""A candidate whose time bound comes within this of the n-th best is not routed (ties give nothing new)."""


@dataclass(frozen=True)
class StopOption:
    """One suggested itinerary and its penalty against the non-stop flight.

    Attributes
    ----------
    itinerary : Itinerary
    extra_min : float
        Trip time minus the non-stop block time (the non-stop flown at the same payload, even where it is
        out of range).
    extra_usd : float
        Trip cost minus the non-stop cost.
    """

    itinerary: Itinerary
    extra_min: float
    extra_usd: float

    @property
    def stops(self) -> tuple[str, ...]:
        """Codes of the stops."""
        return tuple(a.code for a in self.itinerary.stops)


@dataclass(frozen=True)
class StopSuggestion:
    """The answer to "where would it stop".

    Attributes
    ----------
    nonstop : Itinerary
        The non-stop flight at the payload asked for.
    options : tuple of StopOption
        Best first; empty when the non-stop flight works (and no stop was asked for) or none exists.
    n_stops : int
        0, 1 or 2: how many stops the options make.
    reason : str
        One line saying what was found.
    candidates : int
        Airports (or pairs) that passed the filters.
    routed : int
        Candidates whose legs were routed (the rest were pruned by the bounds).
    seconds : float
    """

    nonstop: Itinerary
    options: tuple[StopOption, ...]
    n_stops: int
    reason: str
    candidates: int
    routed: int
    seconds: float

    def __repr__(self) -> str:
        best = ", ".join(f"{'-'.join(o.stops)} +{o.extra_min:.0f} min" for o in self.options)
        return f"StopSuggestion({'-'.join(self.nonstop.codes)}: {self.reason}; {best or 'no option'})"


@lru_cache(maxsize=4096)
def _leg(a: Airport, b: Airport, scenario: Scenario) -> Route:
    """The constrained route a-b: the geodesic itself when it is clear of the closed airspace (no search)."""
    if engine.legs_clear(scenario_obstacles(scenario, 0.0), np.array([a.lon, a.lat]), np.array([b.lon, b.lat])):
        return dataclasses.replace(geodesic_route(a, b), scenario=scenario)
    return route(a, b, scenario)


def clear_cache() -> None:
    """Forget the leg routes and candidate tables kept between suggestions."""
    _leg.cache_clear()
    candidate_airports.cache_clear()


@lru_cache(maxsize=64)
def candidate_airports(
    origin: Airport,
    destination: Airport,
    scenario: Scenario,
    ac: Aircraft,
    max_km: float,
    nonstop_km: float,
    nonstop: Route | None = None,
) -> pd.DataFrame:
    """Civil airports with scheduled service, runways fit for the type and outside the closed airspace
    whose legs can be within ``max_km``, with lower bounds of their legs and of the trip (km), sorted by
    the trip bound ``lb_km``.

    The bounds: a constrained leg is at least its geodesic; and, the constrained distances obeying the
    triangle inequality, leg o-s is at least ``nonstop_km`` (the constrained o-d) minus leg s-d, known
    exactly when its geodesic is clear of the closed airspace. The trip is at least ``nonstop_km``.
    """
    length, width = required_runway_m(ac)
    df = usable_alternates(scenario, float(length), float(width), False)
    df = df[(df["scheduled_service"] == 1) & (df["runway_length_m"] >= length)]
    lon, lat = df["lon"].to_numpy(), df["lat"].to_numpy()
    d1 = geodesy.distance_m(np.full(len(df), origin.lon), np.full(len(df), origin.lat), lon, lat) / 1000.0
    d2 = geodesy.distance_m(lon, lat, np.full(len(df), destination.lon), np.full(len(df), destination.lat)) / 1000.0
    df = df.assign(leg1_km=d1, leg2_km=d2)
    df = df[df["leg1_km"].between(MIN_LEG_KM, max_km) & df["leg2_km"].between(MIN_LEG_KM, max_km)]
    df = df.reset_index(drop=True)
    obstacles = scenario_obstacles(scenario, 0.0)
    pts = df[["lon", "lat"]].to_numpy()
    n = len(df)
    clear1 = engine.legs_clear(obstacles, np.tile([origin.lon, origin.lat], (n, 1)), pts) if n else np.array([])
    clear2 = engine.legs_clear(obstacles, pts, np.tile([destination.lon, destination.lat], (n, 1))) if n else clear1
    ub1 = np.where(clear1, df["leg1_km"], np.inf)
    ub2 = np.where(clear2, df["leg2_km"], np.inf)
    lb1 = np.maximum(df["leg1_km"].to_numpy(), nonstop_km - ub2)
    lb2 = np.maximum(df["leg2_km"].to_numpy(), nonstop_km - ub1)
    df = df.assign(leg1_lb_km=lb1, leg2_lb_km=lb2, lb_km=np.maximum(lb1 + lb2, nonstop_km))
    df = df[(df["leg1_lb_km"] <= max_km) & (df["leg2_lb_km"] <= max_km)].reset_index(drop=True)
    ub1, ub2 = _upper_bounds(df, origin, destination, nonstop, obstacles)
    sure = (ub1 <= max_km) & (ub2 <= max_km)
    df = df.assign(ub_km=ub1 + ub2, est_km=np.where(sure, ub1 + ub2, df["lb_km"] * UNSURE_FACTOR))
    df = df.sort_values("est_km").reset_index(drop=True)
    return df.iloc[_spread(df["lon"].to_numpy(), df["lat"].to_numpy())].reset_index(drop=True)


def _upper_bounds(
    df: pd.DataFrame, origin: Airport, destination: Airport, nonstop: Route | None, obstacles: engine.Obstacles
) -> tuple[np.ndarray, np.ndarray]:
    """Upper bounds (km) of each candidate's legs: along the non-stop route to one of its vertices, then
    straight to the candidate (and from it to a vertex, then along to the destination) where that
    geodesic is clear of the closed airspace; infinite where no such connector is clear."""
    if nonstop is not None and nonstop.feasible:
        verts = np.array([[w.lon, w.lat] for w in nonstop.waypoints])
        along = np.concatenate([[0.0], np.cumsum([leg.distance_km for leg in nonstop.legs])])
    else:
        verts = np.array([[origin.lon, origin.lat], [destination.lon, destination.lat]])
        along = np.array([0.0, np.inf])
    pts = df[["lon", "lat"]].to_numpy()
    n, total = len(pts), along[-1]
    ub1, ub2 = np.full(n, np.inf), np.full(n, np.inf)
    if n == 0:
        return ub1, ub2
    for v, km in zip(verts, along, strict=True):
        vv = np.tile(v, (n, 1))
        g = geodesy.distance_m(vv[:, 0], vv[:, 1], pts[:, 0], pts[:, 1]) / 1000.0
        if np.isfinite(km):
            ok = engine.legs_clear(obstacles, vv, pts, CLEAR_TOLERANCE_M)
            ub1 = np.where(ok, np.minimum(ub1, km + g), ub1)
        if np.isfinite(total - km):
            ok = engine.legs_clear(obstacles, pts, vv, CLEAR_TOLERANCE_M)
            ub2 = np.where(ok, np.minimum(ub2, g + total - km), ub2)
    return ub1, ub2


def _spread(lon: np.ndarray, lat: np.ndarray) -> list[int]:
    """Indices of the points kept when each point within `SAME_PLACE_KM` of an earlier kept one is dropped."""
    kept: list[int] = []
    for i in range(len(lon)):
        if kept:
            near = geodesy.distance_m(lon[kept], lat[kept], np.full(len(kept), lon[i]), np.full(len(kept), lat[i]))
            if near.min() < SAME_PLACE_KM * 1000.0:
                continue
        kept.append(i)
    return kept


def _time_bound_min(lb_km: float, ac: Aircraft, a: Assumptions, n_stops: int, ground_min: float) -> float:
    """Lower bound of a trip's time (min) over a geodesic distance ``lb_km`` with ``n_stops`` stops."""
    tas_kmh = cruise_tas_kt(a.cruise_mach or ac.cruise_mach, a.cruise_alt_ft or ac.cruise_alt_ft) * KM_PER_NM
    return (n_stops + 1) * (a.taxi_out_min + a.taxi_in_min) + n_stops * ground_min + lb_km / tas_kmh * 60.0


@dataclass
class _Search:
    """The state of one suggestion: settings and what was found."""

    origin: Airport
    destination: Airport
    scenario: Scenario
    ac: Aircraft
    a: Assumptions
    ground_min: float
    range_km: float
    n_best: int
    routed: int = 0

    def trip_min(self, airports: list[Airport]) -> float | None:
        """Trip time through ``airports`` (still air), or None when a leg has no route or is out of range."""
        legs = []
        for x, y in pairwise(airports):
            r = _leg(x, y, self.scenario)
            if not r.feasible or r.distance_km > self.range_km:
                return None
            legs.append(r)
        self.routed += 1
        times = [block_times_min(r, [None], self.ac, self.a)[0] for r in legs]
        return float(sum(times) + self.ground_min * (len(airports) - 2))

    def best(self, sequences: list[tuple[float, list[Airport]]], n_stops: int) -> list[tuple[float, list[Airport]]]:
        """The ``n_best`` fastest of ``sequences`` (most promising first, each with its lower bound in km);
        a sequence whose time bound passes the n-th best time found is not routed."""
        found: list[tuple[float, list[Airport]]] = []
        for lb_km, airports in sequences:
            if len(found) >= self.n_best:
                nth = sorted(t for t, _ in found)[self.n_best - 1]
                if _time_bound_min(lb_km, self.ac, self.a, n_stops, self.ground_min) > nth - BOUND_SLACK_MIN:
                    continue
            t = self.trip_min(airports)
            if t is not None:
                found.append((t, airports))
        return sorted(found, key=lambda x: x[0])[: self.n_best]


def _airport(row: dict) -> Airport:
    """The candidate as an `Airport`, from its row of ``data/alternates.csv`` (no database look-up)."""
    return Airport(
        iata=str(row["iata"]),
        icao=str(row["icao"] or row["ident"]),
        name=str(row["name"]),
        city="",
        country=str(row["country"]),
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        elevation_ft=float(row["elevation_ft"] or 0.0),
    )


def _one_stop(s: _Search, cands: pd.DataFrame) -> list[tuple[float, list[Airport]]]:
    seq = [(float(r.lb_km), [s.origin, _airport(r._asdict()), s.destination]) for r in cands.itertuples()]
    return s.best(seq[: MAX_ROUTED_PER_OPTION * s.n_best], 1)


def _two_stops(s: _Search, cands: pd.DataFrame) -> list[tuple[float, list[Airport]]]:
    lon, lat = cands["lon"].to_numpy(), cands["lat"].to_numpy()
    n = len(cands)
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    i, j = i.ravel(), j.ravel()
    mid = geodesy.distance_m(lon[i], lat[i], lon[j], lat[j]) / 1000.0
    lb = cands["leg1_km"].to_numpy()[i] + mid + cands["leg2_km"].to_numpy()[j]
    ok = (i != j) & (mid >= MIN_LEG_KM) & (mid <= s.range_km)
    order = np.argsort(np.where(ok, lb, np.inf))[: min(int(ok.sum()), MAX_TWO_STOP_PAIRS)]
    rows = cands.to_dict("records")
    seq = [(float(lb[k]), [s.origin, _airport(rows[i[k]]), _airport(rows[j[k]]), s.destination]) for k in order]
    return s.best(seq, 2)


def suggest_stops(
    origin: AirportLike,
    destination: AirportLike,
    scenario: str | Scenario = "pre-2022",
    aircraft: str | Aircraft = "B77W",
    operator: str | None = None,
    payload_kg: float | None = None,
    objective: Objective = "time",
    n_best: int = 3,
    always: bool = False,
    max_candidates: int = 100,
    assumptions: Assumptions | None = None,
) -> StopSuggestion:
    """Where to stop when the non-stop flight cannot carry the payload (or when ``always`` is True).

    Parameters
    ----------
    origin, destination
        Airport codes (or `Airport`).
    scenario, aircraft, operator, payload_kg, assumptions
        As for `routes.itinerary.itinerary`.
    objective : ``"time"`` or ``"cost"``
        Rank by trip time, or by trip cost (then the ``3 * n_best`` fastest are costed and ranked).
    n_best : int
        Options listed.
    always : bool
        Suggest stops even when the non-stop flight carries the payload.
    max_candidates : int
        Stop airports considered, nearest to the geodesic o-s-d first.

    Returns
    -------
    StopSuggestion
        With no option and a reason saying so when no itinerary of one or two stops works.
    """
    started = time.perf_counter()
    if objective not in ("time", "cost"):
        raise InvalidInputError(f"objective must be 'time' or 'cost', got {objective!r}")
    if isinstance(n_best, bool) or not isinstance(n_best, int) or n_best < 1:
        raise InvalidInputError(f"n_best must be a whole number >= 1, got {n_best!r}")
    o, d = get_airport(origin), get_airport(destination)
    ac = aircraft if isinstance(aircraft, Aircraft) else get_aircraft(aircraft)
    scn = operator_scenario_for(scenario, operator)
    a = assumptions or Assumptions()
    nonstop = itinerary([o, d], scn, ac, None, None, payload_kg, a, leg_routes=[_leg(o, d, scn)])
    if nonstop.feasible and not always:
        return StopSuggestion(nonstop, (), 0, "the non-stop flight carries the payload", 0, 0, _since(started))
    payload = nonstop.payload_kg
    s = _Search(o, d, scn, ac, a, technical_stop_ground_time().minutes, 0.0, n_best * (3 if objective == "cost" else 1))
    s.range_km = range_for_payload_km(payload, ac, a)
    base_km = nonstop.legs[0].route.distance_km if nonstop.legs[0].route.feasible else nonstop.legs[0].route.geodesic_km
    cands = candidate_airports(o, d, scn, ac, s.range_km, base_km, nonstop.legs[0].route)
    cands = cands[cands["lb_km"] <= base_km * (1 + MAX_DETOUR)].head(max_candidates)
    found, n_stops, n_cands = _one_stop(s, cands), 1, len(cands)
    if not found:
        found, n_stops = _two_stops(s, cands), 2
        n_cands = len(cands) ** 2
    options = _options(found, nonstop, scn, ac, a, payload_kg, objective, n_best)
    reason = _reason(nonstop, options, n_stops, payload)
    return StopSuggestion(
        nonstop, tuple(options), n_stops if options else 0, reason, n_cands, s.routed, _since(started)
    )


def _options(found, nonstop: Itinerary, scn, ac, a, payload_kg, objective: str, n_best: int) -> list[StopOption]:
    its = [
        itinerary(
            airports, scn, ac, None, None, payload_kg, a, leg_routes=[_leg(x, y, scn) for x, y in pairwise(airports)]
        )
        for _, airports in found
    ]
    its = [it for it in its if it.feasible]
    key = (lambda it: it.cost_usd) if objective == "cost" else (lambda it: it.block_time_min)
    its = sorted(its, key=key)[:n_best]
    return [StopOption(it, it.block_time_min - nonstop.block_time_min, it.cost_usd - nonstop.cost_usd) for it in its]


def _reason(nonstop: Itinerary, options: list[StopOption], n_stops: int, payload_kg: float) -> str:
    why = (
        "the non-stop flight carries the payload"
        if nonstop.feasible
        else f"the non-stop flight cannot carry {payload_kg:,.0f} kg"
    )
    if not options:
        return f"{why}; no itinerary with one or two stops works"
    return f"{why}; best {len(options)} {'one' if n_stops == 1 else 'two'}-stop itineraries"


def _since(t0: float) -> float:
    return time.perf_counter() - t0


__all__ = ["StopOption", "StopSuggestion", "candidate_airports", "clear_cache", "suggest_stops"]
