"""Technical-stop suggestion: where to stop when the non-stop flight cannot carry the payload.

Candidates are the civil airports of ``data/alternates.csv`` with scheduled service, a paved runway at least
as long as the type's take-off field length at MTOW (``data/aircraft``) and as wide as its code letter
needs, outside the closed airspace (the operator's included) and outside states the airline excludes; at
most `MAX_DETOUR` off the way and one per `SAME_PLACE_KM`. Each one-stop itinerary's trip time is block time
out + ground time + block time on (still air); the best few are listed with their penalty in minutes and USD
against the non-stop flight (or ranked by cost). Two stops are tried only when no one-stop itinerary works;
when the origin or the destination lies in closed airspace the answer says that no stop helps.

The search is exact (to `BOUND_SLACK_MIN`) and pruned with bounds, so that about a hundred candidates stay
interactive:

* lower bounds of each leg: its geodesic, and (the constrained distances obeying the triangle inequality)
  the constrained non-stop minus the other leg's upper bound; the trip is at least the non-stop;
* upper bounds: along the non-stop route to one of its vertices, then straight to the candidate where that
  connector is clear of the closed airspace. Candidates are taken in order of these bounds;
* a leg whose two bounds meet is not routed: the path along the non-stop route is its shortest route;
* in still air block time depends on the distance alone and is concave in it, so an interpolated table of
  it bounds each candidate's trip time from below; a candidate whose bound is not below the n-th best time
  found, or one of whose legs surely exceeds the range, is not routed at all;
* every routed leg tightens the bounds of the candidates after it (`_OneStop`): a leg o-k of length D makes
  a candidate j with a clear geodesic to k at least D - |jk| from o. Stops reached only round the closed
  airspace are so ruled out by one routed neighbour (SVO-LAX, Il-96-300: 6 legs routed instead of 15).

Leg routes and candidate tables are kept in memory (`clear_cache` resets them), so a second suggestion for the
same pair is fast; the routed legs are also kept in the disk cache (`routes.diskcache`, namespace ``stop-legs``),
so a fresh process does not route them again. Winds are not used in the search (still air).

The settings: `suggest_stops` takes the study's (`routes.study.Study`: assumptions, default aircraft) and the
search's own options in one `StopSearch` (objective, options listed, ``always``, candidates, excluded states).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from typing import Literal

import numpy as np
import pandas as pd
import shapely

from routes import engine, geodesy
from routes.analysis.diversion import usable_alternates
from routes.analysis.payload import range_for_payload_km
from routes.analysis.performance import Aircraft, Assumptions, block_times_min, get_aircraft
from routes.diskcache import DiskCache, fingerprint, package_sources
from routes.errors import InvalidInputError
from routes.inputs.airports import Airport, get_airport
from routes.inputs.closures import closed_airspace, closure_key
from routes.inputs.paths import data_dir
from routes.inputs.scenarios import Scenario
from routes.inputs.stopdata import technical_stop_ground_time
from routes.itineraries import Itinerary, fly_itinerary, operator_scenario_for, required_runway_m
from routes.result import Route, Waypoint, make_legs
from routes.routing import AirportLike, geodesic_route, route
from routes.scenario_obstacles import scenario_obstacles
from routes.study import Study

Objective = Literal["time", "cost"]
MAX_DETOUR = 0.35
"""Candidates whose geodesic o-s-d exceeds the non-stop route by more than this share are not considered."""
MIN_LEG_KM = 300.0
UNSURE_FACTOR = 1.1
"""Candidates whose legs have no clear upper bound are ranked at their lower bound times this."""
CLEAR_TOLERANCE_M = 100.0
"""A connector touching a corner of the (margin-expanded) closed airspace counts as clear."""
SAME_PLACE_KM = 100.0
"""Candidates closer than this to a candidate with a smaller o-s-d bound are dropped (SJC, OAK beside SFO):
they would give nearly the same itinerary."""
MAX_TWO_STOP_PAIRS = 300
BOUND_SLACK_MIN = 0.5
"""A candidate whose time bound comes within this of the n-th best is not routed: it can beat the n-th
best by at most this much (a tie)."""


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


MAX_LEG_FILES = 5_000
"""Leg routes kept in the disk cache (the least recently written go first)."""


@lru_cache(maxsize=4096)
def _leg(a: Airport, b: Airport, scenario: Scenario) -> Route:
    """The constrained route a-b: the geodesic itself when it is clear of the closed airspace (no search);
    else routed, or read from the disk cache (namespace ``stop-legs``, keyed by what the scenario closes
    and the two ends, versioned by the package's code and the airspace data), so that a fresh process
    does not route a leg an earlier one did."""
    if engine.legs_clear(scenario_obstacles(scenario, 0.0), np.array([a.lon, a.lat]), np.array([b.lon, b.lat])):
        return dataclasses.replace(geodesic_route(a, b), scenario=scenario)
    store = DiskCache("stop-legs", _legs_version())
    key = f"{closure_key(scenario)}|{a.code}|{a.lon!r},{a.lat!r}|{b.code}|{b.lon!r},{b.lat!r}"
    found = store.load(key)
    if isinstance(found, Route):
        store.touch(key)
        return dataclasses.replace(found, scenario=scenario)
    r = route(a, b, scenario)
    if store.store(key, r) and next(_WRITTEN) % PRUNE_EVERY == 0:
        store.prune(MAX_LEG_FILES)
    return r


PRUNE_EVERY = 500
"""The disk cache of legs is pruned at the first leg a process writes, then every this many."""
_WRITTEN = itertools.count()


@cache
def _legs_version() -> str:
    """What a cached leg depends on besides its key: every module of the package and the airspace data."""
    files = [*package_sources(), data_dir() / "airspace" / "sovereign_airspace_routing.parquet"]
    return fingerprint(files, shapely.__version__, np.__version__)


def clear_cache() -> None:
    """Forget the leg routes and candidate tables kept in memory between suggestions (the legs on disk stay:
    an empty ``POLAR_ROUTES_CACHE_DIR``, or removing its ``stop-legs`` folder, starts afresh)."""
    _leg.cache_clear()
    candidate_airports.cache_clear()


@lru_cache(maxsize=64)
def candidate_airports(
    nonstop: Route,
    ac: Aircraft,
    max_km: float,
    exclude_states: tuple[str, ...] = (),
    max_candidates: int = 100,
    n_stops: int = 1,
) -> pd.DataFrame:
    """Stop candidates between the ends of ``nonstop`` (the constrained non-stop route, under its scenario),
    the most promising first: civil airports with scheduled service, runways fit for the type, outside the
    closed airspace and ``exclude_states``, no farther than ``MAX_DETOUR`` off the way, one per
    `SAME_PLACE_KM`; with lower bounds of their legs and trip (``leg1_lb_km``, ``leg2_lb_km``, ``lb_km``) and
    an upper bound of the trip (``ub_km``).

    The lower bounds: a constrained leg is at least its geodesic; the constrained distances obeying the
    triangle inequality, leg o-s is at least the constrained non-stop minus leg s-d, known exactly when its
    geodesic is clear; the trip is at least the non-stop. Candidates are ranked by the upper bound where
    both legs surely fit in ``max_km``, else by the lower bound times `UNSURE_FACTOR`.

    With ``n_stops=2`` a candidate needs only one of its legs (to the origin or to the destination) within
    ``max_km``, and the bounds are the geodesics.
    """
    nonstop_km = nonstop.distance_km if nonstop.feasible else nonstop.geodesic_km
    df = _near_the_way(nonstop, ac, max_km, exclude_states, n_stops, nonstop_km * (1 + MAX_DETOUR))
    df = df.iloc[_spread(df["lon"].to_numpy(), df["lat"].to_numpy())].head(max_candidates).reset_index(drop=True)
    if n_stops == 2:
        g1, g2 = df["leg1_km"], df["leg2_km"]
        return df.assign(leg1_lb_km=g1, leg2_lb_km=g2, lb_km=g1 + g2, ub_km=np.inf, est_km=g1 + g2)
    obstacles = scenario_obstacles(nonstop.scenario, 0.0)
    ub1, ub2, via1, via2 = _upper_bounds(df, nonstop.origin, nonstop.destination, nonstop, obstacles)
    lb1 = np.maximum(df["leg1_km"].to_numpy(), nonstop_km - ub2)
    lb2 = np.maximum(df["leg2_km"].to_numpy(), nonstop_km - ub1)
    df = df.assign(
        leg1_lb_km=lb1, leg2_lb_km=lb2, lb_km=np.maximum(lb1 + lb2, nonstop_km), leg1_ub_km=ub1, leg2_ub_km=ub2
    )
    df = df.assign(leg1_via=via1, leg2_via=via2)
    df = df.assign(ub_km=ub1 + ub2)
    sure = (ub1 <= max_km) & (ub2 <= max_km)
    df = df.assign(est_km=np.where(sure, df["ub_km"], df["lb_km"] * UNSURE_FACTOR))
    df = df[(df["leg1_lb_km"] <= max_km) & (df["leg2_lb_km"] <= max_km)]
    return df.sort_values("est_km").reset_index(drop=True)


def _near_the_way(
    nonstop: Route, ac: Aircraft, max_km: float, exclude_states: tuple[str, ...], n_stops: int, max_trip_km: float
) -> pd.DataFrame:
    """The usable airports (`candidate_airports`' filters) with their geodesics to the origin and the
    destination (``leg1_km``, ``leg2_km``), nearest the way first (``g_km``, their sum)."""
    origin, destination = nonstop.origin, nonstop.destination
    length, width = required_runway_m(ac)
    df = usable_alternates(nonstop.scenario, float(length), float(width), False)
    df = df[(df["scheduled_service"] == 1) & (df["runway_length_m"] >= length) & ~df["iso_a3"].isin(exclude_states)]
    lon, lat, n = df["lon"].to_numpy(), df["lat"].to_numpy(), len(df)
    d1 = geodesy.distance_m(np.full(n, origin.lon), np.full(n, origin.lat), lon, lat) / 1000.0
    d2 = geodesy.distance_m(lon, lat, np.full(n, destination.lon), np.full(n, destination.lat)) / 1000.0
    df = df.assign(leg1_km=d1, leg2_km=d2)
    near1, near2 = df["leg1_km"] <= max_km, df["leg2_km"] <= max_km
    df = df[
        (df["leg1_km"] >= MIN_LEG_KM)
        & (df["leg2_km"] >= MIN_LEG_KM)
        & ((near1 & near2) if n_stops == 1 else (near1 | near2))
        & (df["leg1_km"] + df["leg2_km"] <= max_trip_km)
    ]
    return df.assign(g_km=df["leg1_km"] + df["leg2_km"]).sort_values("g_km").reset_index(drop=True)


def _upper_bounds(
    df: pd.DataFrame, origin: Airport, destination: Airport, nonstop: Route, obstacles: engine.Obstacles
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Upper bounds (km) of each candidate's legs: along the non-stop route to one of its vertices (the
    origin included), then straight to the candidate, where that geodesic is clear of the closed airspace
    (and the same from the candidate to a vertex, then along to the destination); infinite where no such
    connector is clear; and the vertex of each. For each candidate the vertices are tried in order of the
    bound they would give."""
    if nonstop.feasible:
        verts = np.array([[w.lon, w.lat] for w in nonstop.waypoints])
        along = np.concatenate([[0.0], np.cumsum([leg.distance_km for leg in nonstop.legs])])
    else:  # no non-stop route: only the direct legs from the origin and to the destination
        verts = np.array([[origin.lon, origin.lat], [destination.lon, destination.lat]])
        along = np.array([0.0, np.nan])
    pts = df[["lon", "lat"]].to_numpy()
    n = len(pts)
    gx = geodesy.distance_m(
        np.repeat(verts[:, 0][None, :], n, 0), np.repeat(verts[:, 1][None, :], n, 0), pts[:, :1], pts[:, 1:]
    )
    g = np.asarray(gx) / 1000.0  # (n, k)
    if nonstop.feasible:
        cost1, cost2 = along + g, g + along[-1] - along
    else:
        cost1 = np.where([True, False], g, np.inf)
        cost2 = np.where([False, True], g, np.inf)
    ub1, via1 = _first_clear(obstacles, verts, pts, cost1, outward=True)
    ub2, via2 = _first_clear(obstacles, verts, pts, cost2, outward=False)
    return ub1, ub2, via1, via2


def _first_clear(
    obstacles: engine.Obstacles, verts: np.ndarray, pts: np.ndarray, cost: np.ndarray, outward: bool
) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the least ``cost[i, v]`` over vertices ``v`` whose connector to (or from) the point
    is clear, and that vertex (-1 for none); the vertices are tried cheapest first, one round per rank."""
    n = len(pts)
    out, via = np.full(n, np.inf), np.full(n, -1)
    order = np.argsort(cost, axis=1)
    pending = np.arange(n)
    for rank in range(cost.shape[1] if n else 0):
        v = order[pending, rank]
        finite = np.isfinite(cost[pending, v])
        pending, v = pending[finite], v[finite]
        if not len(pending):
            break
        a, b = (verts[v], pts[pending]) if outward else (pts[pending], verts[v])
        ok = np.asarray(engine.legs_clear(obstacles, a, b, CLEAR_TOLERANCE_M), dtype=bool)
        out[pending[ok]] = cost[pending[ok], v[ok]]
        via[pending[ok]] = v[ok]
        pending = pending[~ok]
    return out, via


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


TABLE_STEP_KM = 250.0
KNOWN_KM = 0.5
"""A leg whose upper and lower bounds are this close is taken at its upper bound, unrouted."""
TABLE_SAFETY_MIN = 0.05


@lru_cache(maxsize=32)
def _block_table(ac: Aircraft, a: Assumptions) -> np.ndarray:
    """Still-air block time (min) of a flight of 0, 250, 500, ... 20,000 km (the model of `estimate`)."""
    from routes.inputs.airports import LatLon

    out = [a.taxi_out_min + a.taxi_in_min]
    for km in np.arange(TABLE_STEP_KM, 20_000.0 + 1.0, TABLE_STEP_KM):
        r = geodesic_route(LatLon(lat=0.0, lon=0.0), LatLon(lat=0.0, lon=float(km) / 111.319490793))
        out.append(block_times_min(r, [None], ac, a)[0])
    return np.maximum.accumulate(np.array(out))


def block_time_bound_min(distance_km: np.ndarray, ac: Aircraft, a: Assumptions) -> np.ndarray:
    """A lower bound of the still-air block time (min) of legs at least ``distance_km`` long.

    In still air block time is piecewise linear in distance: steeper while the leg is too short to cruise
    (climb and descent scaled down), then linear at the cruise speed. It is concave, so the table
    interpolated linearly never exceeds it; ``TABLE_SAFETY_MIN`` is taken off for rounding."""
    table = _block_table(ac, a)
    km = np.arange(len(table)) * TABLE_STEP_KM
    return np.interp(np.asarray(distance_km, float), km, table) - TABLE_SAFETY_MIN


@lru_cache(maxsize=4096)
def _block_min_at(distance_km: float, ac: Aircraft, a: Assumptions) -> float:
    """Still-air block time (min) of a leg of ``distance_km`` (it depends on the distance alone)."""
    from routes.inputs.airports import LatLon

    far = LatLon(lat=0.0, lon=distance_km / 111.319490793)
    return float(block_times_min(geodesic_route(LatLon(lat=0.0, lon=0.0), far), [None], ac, a)[0])


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
    routes: dict = dataclasses.field(default_factory=dict)
    measured: dict = dataclasses.field(default_factory=dict)

    def route(self, a: Airport, b: Airport) -> Route:
        """The leg a-b: as found without routing, else routed (cached)."""
        return self.routes.get((a.code, b.code)) or _leg(a, b, self.scenario)

    def trip_min(self, airports: list[Airport], known: Sequence[Route | None] = ()) -> float | None:
        """Trip time through ``airports`` (still air), or None when a leg has no route or is out of range.

        A leg given in ``known`` (its bounds meet, so the path along the non-stop route is the shortest) is not
        routed; in still air block time depends on the distance alone."""
        km = []
        for (x, y), r in zip(pairwise(airports), list(known) or [None] * (len(airports) - 1), strict=True):
            if r is None:
                self.routed += 1
                r = _leg(x, y, self.scenario)
            else:
                self.routes[(x.code, y.code)] = r
            k = r.distance_km if r.feasible else math.inf
            self.measured[(x.code, y.code)] = k
            if k > self.range_km:
                return None
            km.append(k)
        return float(sum(_block_min_at(k, self.ac, self.a) for k in km) + self.ground_min * (len(airports) - 2))

    def best(self, sequences: list[tuple]) -> list[tuple[float, list[Airport]]]:
        """The ``n_best`` fastest of ``sequences`` (most promising first, each a lower bound of its trip
        time, the airports and optionally the legs' known lengths); a sequence whose bound is not below the
        n-th best time found is not evaluated."""
        found: list[tuple[float, list[Airport]]] = []
        for bound_min, airports, *known in sequences:
            if len(found) >= self.n_best:
                nth = sorted(t for t, _ in found)[self.n_best - 1]
                if bound_min > nth - BOUND_SLACK_MIN:
                    continue
            t = self.trip_min(airports, known[0] if known else ())
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


LANDMARK_TESTS = 3
"""Connectors to routed stops tested per leg of a candidate when tightening its bound (`_OneStop.tighten`)."""


class _OneStop:
    """The one-stop search: candidates in order, each routed only when its bounds cannot rule it out.

    Bounds tighten as legs are routed: a routed leg o-k (or k-d) of exact length D makes every candidate j
    whose geodesic to k is clear satisfy d(o, j) >= D - |jk| (the triangle inequality of constrained
    distances, the connector being a path j-k). A stop in the "shadow" of the closed airspace, reached only
    round it, is so ruled out by a routed neighbour instead of being routed itself."""

    def __init__(self, s: _Search, cands: pd.DataFrame, nonstop: Route) -> None:
        self.s, self.cands, self.nonstop = s, cands, nonstop
        self.lb = np.column_stack([cands["leg1_lb_km"].to_numpy(float), cands["leg2_lb_km"].to_numpy(float)])
        self.total_lb = cands["lb_km"].to_numpy(float) if len(cands) else np.zeros(0)
        self.lonlat = cands[["lon", "lat"]].to_numpy(float)
        self.landmarks: tuple[list, list] = ([], [])  # per leg: (candidate index, exact km)

    def bound_min(self, j: int) -> float:
        """A lower bound of candidate ``j``'s trip time (min): the legs' bounds, the extra distance the
        trip must have over them (at least the non-stop) put on the longer leg."""
        lb1, lb2 = self.lb[j]
        extra = max(max(self.total_lb[j], lb1 + lb2) - lb1 - lb2, 0.0)
        long1 = lb1 >= lb2
        legs = np.array([lb1 + (extra if long1 else 0.0), lb2 + (0.0 if long1 else extra)])
        return float(block_time_bound_min(legs, self.s.ac, self.s.a).sum() + self.s.ground_min)

    def ruled_out(self, j: int, nth_min: float) -> bool:
        """Whether a leg surely exceeds the range, or the trip surely cannot beat ``nth_min`` by more than
        `BOUND_SLACK_MIN`."""
        return bool((self.lb[j] > self.s.range_km).any()) or self.bound_min(j) > nth_min - BOUND_SLACK_MIN

    def tighten(self, j: int) -> None:
        """Raise ``j``'s leg bounds with the legs routed so far (clear connectors only, the most useful
        first, at most `LANDMARK_TESTS` tested per leg)."""
        obstacles = scenario_obstacles(self.s.scenario, 0.0)
        for leg, marks in enumerate(self.landmarks):
            if not marks:
                continue
            idx, km = np.array([m[0] for m in marks]), np.array([m[1] for m in marks])
            here = self.lonlat[np.full(len(idx), j)]
            gap_km = geodesy.distance_m(here[:, 0], here[:, 1], self.lonlat[idx, 0], self.lonlat[idx, 1]) / 1000.0
            gain = km - gap_km
            for k in np.argsort(-gain)[:LANDMARK_TESTS]:
                if gain[k] <= self.lb[j, leg]:
                    break
                if engine.legs_clear(obstacles, self.lonlat[idx[k]], self.lonlat[j]):
                    self.lb[j, leg] = gain[k]
                    break

    def run(self) -> list[tuple[float, list[Airport]]]:
        """The ``n_best`` fastest one-stop trips (see `_Search.best`)."""
        s, found = self.s, []
        rows = self.cands.to_dict("records")
        for j, row in enumerate(rows):
            nth = sorted(t for t, _ in found)[s.n_best - 1] if len(found) >= s.n_best else math.inf
            if self.ruled_out(j, nth):
                continue
            self.tighten(j)
            if self.ruled_out(j, nth):
                continue
            stop = _airport(row)
            known = (_known(row, 1, stop, self.nonstop, s.scenario), _known(row, 2, stop, self.nonstop, s.scenario))
            t = s.trip_min([s.origin, stop, s.destination], known)
            self._learn(j, stop, known)
            if t is not None:
                found.append((t, [s.origin, stop, s.destination]))
        return sorted(found, key=lambda x: x[0])[: s.n_best]

    def _learn(self, j: int, stop: Airport, known: tuple) -> None:
        """Keep the legs of ``j`` measured by `_Search.trip_min` as landmarks (a leg known without routing
        within `KNOWN_KM` of its length)."""
        for leg, (a, b) in enumerate(((self.s.origin, stop), (stop, self.s.destination))):
            km = self.s.measured.get((a.code, b.code))
            if km is not None and math.isfinite(km):
                self.landmarks[leg].append((j, km - (KNOWN_KM if known[leg] is not None else 0.0)))


def _one_stop(s: _Search, cands: pd.DataFrame, nonstop: Route) -> list[tuple[float, list[Airport]]]:
    return _OneStop(s, cands, nonstop).run()


def _known(row: dict, leg: int, stop: Airport, nonstop: Route, scn: Scenario) -> Route | None:
    """The leg as a route along the non-stop route then through its clear connector, when the leg's bounds
    meet (that path is then the shortest, to within `KNOWN_KM`); None otherwise."""
    lo, hi, via = row[f"leg{leg}_lb_km"], row[f"leg{leg}_ub_km"], int(row[f"leg{leg}_via"])
    if hi - lo > KNOWN_KM or via < 0 or not nonstop.feasible:
        return None
    here = Waypoint(lat=stop.lat, lon=stop.lon, name=stop.code)
    if leg == 1:
        waypoints, origin, destination = (*nonstop.waypoints[: via + 1], here), nonstop.origin, stop
    else:
        waypoints, origin, destination = (here, *nonstop.waypoints[via:]), stop, nonstop.destination
    legs = make_legs(waypoints)
    geodesic_km = float(row[f"leg{leg}_km"])
    return Route(
        origin=origin,
        destination=destination,
        scenario=scn,
        margin_nm=0.0,
        feasible=True,
        waypoints=waypoints,
        legs=legs,
        geodesic_km=geodesic_km,
    )


def _two_stops(s: _Search, cands: pd.DataFrame) -> list[tuple[float, list[Airport]]]:
    lon, lat = cands["lon"].to_numpy(), cands["lat"].to_numpy()
    n = len(cands)
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    i, j = i.ravel(), j.ravel()
    mid = geodesy.distance_m(lon[i], lat[i], lon[j], lat[j]) / 1000.0
    bound = (
        block_time_bound_min(cands["leg1_km"].to_numpy()[i], s.ac, s.a)
        + block_time_bound_min(mid, s.ac, s.a)
        + block_time_bound_min(cands["leg2_km"].to_numpy()[j], s.ac, s.a)
        + 2 * s.ground_min
    )
    ok = (
        (i != j)
        & (mid >= MIN_LEG_KM)
        & (mid <= s.range_km)
        & (cands["leg1_km"].to_numpy()[i] <= s.range_km)
        & (cands["leg2_km"].to_numpy()[j] <= s.range_km)
    )
    order = np.argsort(np.where(ok, bound, np.inf))[: min(int(ok.sum()), MAX_TWO_STOP_PAIRS)]
    rows = cands.to_dict("records")
    seq = [(float(bound[k]), [s.origin, _airport(rows[i[k]]), _airport(rows[j[k]]), s.destination]) for k in order]
    return s.best(seq)


@dataclass(frozen=True)
class StopSearch:
    """How `suggest_stops` searches: what it ranks by, how many it lists, and where it may stop.

    Attributes
    ----------
    objective : ``"time"`` or ``"cost"``
        Rank by trip time, or by trip cost (then the ``3 * n_best`` fastest are costed and ranked).
    n_best : int
        Options listed (>= 1).
    always : bool
        Suggest stops even when the non-stop flight carries the payload.
    max_candidates : int
        Stop airports considered, the most promising first (>= 1).
    exclude_states : tuple of str
        ISO alpha-3 codes of states where the airline would not stop (policy, insurance, traffic rights),
        though their airspace is open; any iterable of codes is kept sorted, each once, upper case.

    Examples
    --------
    >>> StopSearch(objective="cost", exclude_states=["usa", "CAN"]).exclude_states
    ('CAN', 'USA')
    """

    objective: Objective = "time"
    n_best: int = 3
    always: bool = False
    max_candidates: int = 100
    exclude_states: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.objective not in ("time", "cost"):
            raise InvalidInputError(f"objective must be 'time' or 'cost', got {self.objective!r}")
        for name in ("n_best", "max_candidates"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidInputError(f"{name} must be a whole number >= 1, got {value!r}")
        states = [self.exclude_states] if isinstance(self.exclude_states, str) else self.exclude_states
        object.__setattr__(self, "exclude_states", tuple(sorted({str(c).strip().upper() for c in states})))


def suggest_stops(
    origin: AirportLike,
    destination: AirportLike,
    scenario: str | Scenario = "pre-2022",
    aircraft: str | Aircraft | None = None,
    *,
    operator: str | None = None,
    payload_kg: float | None = None,
    study: Study | None = None,
    search: StopSearch | None = None,
) -> StopSuggestion:
    """Where to stop when the non-stop flight cannot carry the payload (or when ``search.always`` is True).

    Parameters
    ----------
    origin, destination
        Airport codes (or `Airport`).
    scenario, aircraft, operator, payload_kg
        As for `routes.itineraries.itinerary`.
    study : Study, optional
        Its ``assumptions`` (and its first ``aircraft`` when ``aircraft`` is not given). The search and the
        figures are in still air: the study's wind is not used.
    search : StopSearch, optional
        Objective, options listed, candidates and excluded states (default `StopSearch()`).

    Returns
    -------
    StopSuggestion
        With no option and a reason saying so when no itinerary of one or two stops works.

    Examples
    --------
    >>> s = suggest_stops("SVO", "LAX", "europe-canada-closed", "IL96", search=StopSearch(n_best=1))
    >>> [o.stops for o in s.options]
    [('PDX',)]
    """
    started, study, search = time.perf_counter(), study or Study(), search or StopSearch()
    o, d = get_airport(origin), get_airport(destination)
    ac = aircraft if aircraft is not None else study.aircraft[0]
    ac = ac if isinstance(ac, Aircraft) else get_aircraft(ac)
    scn, a = operator_scenario_for(scenario, operator), study.assumptions
    nonstop = fly_itinerary([o, d], scn, ac, a, payload_kg=payload_kg, leg_routes=[_leg(o, d, scn)])
    if nonstop.feasible and not search.always:
        return StopSuggestion(nonstop, (), 0, "the non-stop flight carries the payload", 0, 0, _since(started))
    closed_end = _closed_end(o, d, scn)
    if closed_end:
        return StopSuggestion(nonstop, (), 0, f"{closed_end}: no stop helps", 0, 0, _since(started))
    ground_min = technical_stop_ground_time().minutes
    n_kept = search.n_best * (3 if search.objective == "cost" else 1)
    s = _Search(o, d, scn, ac, a, ground_min, range_for_payload_km(nonstop.payload_kg, ac, a), n_kept)
    found, n_stops, n_cands = _search_stops(s, nonstop, search)
    options = _options(s, found, nonstop, payload_kg, search)
    reason = _reason(nonstop, options, n_stops, nonstop.payload_kg)
    n_stops = n_stops if options else 0
    return StopSuggestion(nonstop, tuple(options), n_stops, reason, n_cands, s.routed, _since(started))


def _search_stops(s: _Search, nonstop: Itinerary, search: StopSearch) -> tuple[list, int, int]:
    """The best one-stop trips, else the best two-stop ones; how many stops, and the candidates considered."""
    ns = nonstop.legs[0].route
    args = (ns, s.ac, s.range_km, search.exclude_states, search.max_candidates)
    cands = candidate_airports(*args)
    found = _one_stop(s, cands, ns)
    if found:
        return found, 1, len(cands)
    cands = candidate_airports(*args, n_stops=2)
    return _two_stops(s, cands), 2, len(cands) ** 2


def _closed_end(o: Airport, d: Airport, scn: Scenario) -> str:
    """ "origin X lies in closed airspace" (or the destination), or "" when both are open."""
    closed = closed_airspace(scn)
    for role, ap in (("origin", o), ("destination", d)):
        if closed.state_at(lon=ap.lon, lat=ap.lat) is not None:
            return f"{role} {ap.code} lies in the closed airspace of scenario {scn.name}"
    return ""


def _options(
    s: _Search, found: list, nonstop: Itinerary, payload_kg: float | None, search: StopSearch
) -> list[StopOption]:
    """The found trips as itineraries on the legs already routed, ranked by the objective, the best few."""
    its = [
        fly_itinerary(
            airports,
            s.scenario,
            s.ac,
            s.a,
            payload_kg=payload_kg,
            leg_routes=[s.route(x, y) for x, y in pairwise(airports)],
        )
        for _, airports in found
    ]
    its = [it for it in its if it.feasible]
    key = (lambda it: it.cost_usd) if search.objective == "cost" else (lambda it: it.block_time_min)
    its = sorted(its, key=key)[: search.n_best]
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


__all__ = ["StopOption", "StopSearch", "StopSuggestion", "candidate_airports", "clear_cache", "suggest_stops"]
