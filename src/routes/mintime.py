"""Minimum-time routes around closed airspace in a given wind (``objective="time"``).

Method (documented in the README):

1. **Start** from the shortest route (`routes.routing.route`): it is a candidate, so the
   result is never slower than it.
2. **Graph.** A lattice on a frame aligned with the origin-destination great circle: stages
   every ~`STAGE_KM` along track, nodes every `ROW_KM` across, covering the shortest route plus
   `LATERAL_PAD_KM` either side; nodes inside the obstacles are dropped. Each node links to the
   next stage's nodes up to a slope of `FAN_SLOPE` and to its lateral neighbour; the shortest
   route's vertices (airports, the corners it turns at) link to the nodes within `LINK_STAGES`
   stages, and its own legs are edges. Each edge is a WGS84 geodesic tested clear of the closed
   airspace with the margin (the engine's obstacles and visibility test, behind `_Clearance`)
   and costs its flight time in the wind at the cruise true airspeed, in each direction (the
   graph is directed: wind makes A->B and B->A differ).
3. **Search.** Dijkstra from the origin gives the fastest lattice path.
4. **Refinement.** The path split into legs of at most a stage; a pattern search moves each inner
   waypoint in 8 directions in halving steps from `ROW_KM` down to `MIN_STEP_KM`, keeping a move
   only if both its legs stay clear and the time drops; then a shortcut pass keeps the fastest
   chain of clear legs between the path's vertices (up to `SHORTCUT_WINDOW` apart).
5. **Acceptance.** The refined route replaces the shortest one only if its block time with
   `routes.analysis.performance.estimate` in the same wind is at least `MIN_SAVING_S` shorter; otherwise
   the shortest route is returned (so in still air, or in any wind with a constant along-track
   component, the result *is* the shortest route).

Guarantees: the route is clear of closed airspace with the margin by the same test as the
shortest route (and `verify_route` checks it independently); its block time in the wind is never
above the shortest route's; it is optimal on the graph up to the lattice resolution and then
locally improved (not a global optimum of the continuous problem).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from routes import geodesy
from routes.analysis.wind import StillAir, WindModel
from routes.errors import ObjectiveError
from routes.inputs.airports import Airport
from routes.inputs.scenarios import Scenario
from routes.result import Route, Waypoint, make_legs
from routes.units import KM_PER_NM

OBJECTIVES = ("distance", "time")
"""Values of the front door's ``objective``."""
EARTH_KM = 6371.0088
"""Mean Earth radius (km), for the lattice frame only (lengths are WGS84 geodesics)."""
LATERAL_PAD_KM = 1500.0
"""The lattice reaches this far beyond the shortest route on either side of the track."""
ALONG_PAD_KM = 300.0
"""... and this far beyond the route's along-track extent."""
STAGE_KM = 450.0
"""Lattice: distance between stages along track (at most `MAX_STAGES` stages)."""
MAX_STAGES = 40
ROW_KM = 50.0
"""Lattice: lateral spacing of the nodes of a stage."""
FAN_SLOPE = 1.0
"""Lattice edges join a node to the next stage's nodes up to this lateral slope (1 = 45 deg)."""
LINK_STAGES = 1.05
"""The shortest route's vertices (airports, corners) link to lattice nodes within this many stages."""
SAMPLE_KM = 100.0
"""Edge times are summed over pieces at most this long (wind at each piece's midpoint)."""
LEG_TOLERANCE_M = 20.0
"""Final check of a minimum-time path: obstacles shrunk by this much (the engine's own visibility
tolerance, ~19 m), so legs touching a corner count as clear."""
SHORTCUT_WINDOW = 12
"""Shortcut pass: direct legs between path vertices up to this many vertices apart."""
MIN_STEP_KM = 2.0
"""Pattern search stops when its step falls below this."""
MAX_SWEEPS = 3
"""Pattern search: sweeps per step size before halving it."""
MIN_SAVING_S = 10.0
"""A route that saves less block time than this is not worth leaving the shortest route."""
LEG_PENALTY_S = 0.5
"""Cost added per leg in the searches: among near-equal routes prefer fewer turn points."""
ROUNDS_KM = 15.0
"""A turn point within this distance of the obstacles is named after the closed state it rounds."""
NEAR_BOUNDARY_KM = 0.5
"""Legs from points this close to the obstacles (corners) use the engine's own visibility test."""
DISTANCE_CAP_KM = 400.0
"""Obstacle distances are looked up to this range (farther counts as this far: conservative)."""
CLEAR_TOL_KM = 2.0
"""Geodesic-vs-chart-line allowance in the fast clearance test (far-from-obstacle shortcut)."""


def check_objective(objective: str, wind: WindModel | None) -> None:
    """Validate the front door's ``objective`` and ``wind`` (raises `ObjectiveError`)."""
    if objective not in OBJECTIVES:
        raise ObjectiveError(f"unknown objective {objective!r}; expected one of {', '.join(map(repr, OBJECTIVES))}")
    if objective == "time" and wind is None:
        raise ObjectiveError(
            "objective='time' needs a wind: pass wind=... (e.g. routes.wind_from_dataset(ds) "
            "or routes.analysis.wind.still_air())"
        )
    if objective == "distance" and wind is not None:
        raise ObjectiveError(
            "wind= only changes the route with objective='time'; the shortest route does not depend on the wind "
            "(give the wind to routes.estimate to time it)"
        )
    if wind is not None and not callable(getattr(wind, "ground_speed_kt", None)):
        raise ObjectiveError(
            f"wind must be a wind model with ground_speed_kt(...) (routes.analysis.wind), got {type(wind).__name__}"
        )


# --- the one adapter to the engine's obstacle geometry ------------------------------------------
class _Clearance:
    """Whether geodesic legs are clear of a scenario's closed airspace with the margin.

    The only place this module touches the engine: its chart of prepared obstacles, the chart's
    densified-geodesic visibility test and the routing front door's airport band rule. Legs far
    from every obstacle (in the chart: endpoints' distances to the obstacles add up to more than
    the leg) are clear without further test; other legs between points off the boundary are
    blocked iff their densified geodesic (the engine's) meets a boundary segment of the chart's
    obstacles (a superset of the engine's visibility geometry, so as safe); legs from corners or
    airports use the engine's chart visibility test. The airport band rule (which lets legs from an
    airport inside the margin band cross the band near it) is not applied here: such legs are tested
    strictly, so the lattice is conservative there (the shortest route's own legs, which do follow the
    rule, are edges of the graph). A path that would replace the shortest route is checked once more,
    leg by leg, with the chart-free `engine.legs_clear`.
    """

    def __init__(self, scenario: Scenario, margin_nm: float, a: Airport, b: Airport) -> None:
        from routes.engine.chart import Chart, chart_center, projector_for
        from routes.scenario_obstacles import scenario_obstacles

        start, goal = np.array([a.lon, a.lat]), np.array([b.lon, b.lat])
        self.obstacles = scenario_obstacles(scenario, margin_nm)
        proj = projector_for(self.obstacles, *chart_center(start, goal))
        self.chart = chart = Chart(proj.gno, proj.merged(proj.horizon()))
        self.start, self.goal = start, goal
        self.tree: shapely.STRtree = _edge_tree(chart.geometry)
        self.slow_tests = 0

    def path_clear(self, path: np.ndarray) -> bool:
        """Independent of the chart: every leg of ``path`` clear by the engine's chart-free test
        (`engine.legs_clear`, strict apart from the engine's corner tolerance)."""
        from routes import engine

        return bool(engine.legs_clear(self.obstacles, path[:-1], path[1:], tolerance_m=LEG_TOLERANCE_M).all())

    def usable(self, lonlat: np.ndarray) -> np.ndarray:
        """Points the chart can use as nodes: within its angle limit and outside the obstacles."""
        from routes.engine.chart import NODE_ANGLE_DEG

        ok = self.chart.contains_angle(lonlat, NODE_ANGLE_DEG)
        ok[ok] = ~self.chart.inside(lonlat[ok])
        return ok

    def distance(self, lonlat: np.ndarray) -> np.ndarray:
        """Chart distance (Earth radii) of points to the obstacle boundaries (at most
        `DISTANCE_CAP_KM`), 0 inside."""
        cap = DISTANCE_CAP_KM / EARTH_KM
        if len(self.tree) == 0:
            return np.full(len(lonlat), cap)
        xy = self.chart.gno.forward(lonlat)
        idx, dist = self.tree.query_nearest(
            shapely.points(xy), max_distance=cap, return_distance=True, all_matches=False
        )
        out = np.full(len(lonlat), cap)
        out[idx[0]] = dist
        out[self.chart.inside(lonlat)] = 0.0
        return out

    def clear(self, a: np.ndarray, b: np.ndarray, dist_a: np.ndarray | None = None) -> np.ndarray:
        """Whether each geodesic a[i] -> b[i] ((lon, lat) rows) avoids the obstacles."""
        if len(a) == 0:
            return np.zeros(0, bool)
        da = self.distance(a) if dist_a is None else dist_a
        db = self.distance(b)
        xa, xb = self.chart.gno.forward(a), self.chart.gno.forward(b)
        chord = np.hypot(*(xb - xa).T)
        ok = (da > 0) & (db > 0) & (da + db > chord + CLEAR_TOL_KM / EARTH_KM)
        slow = np.flatnonzero(~ok)
        self.slow_tests += len(slow)
        # legs between points clear of the boundary: blocked iff the densified geodesic meets it
        near = NEAR_BOUNDARY_KM / EARTH_KM
        mid = slow[(da[slow] > near) & (db[slow] > near)]
        at_ends = np.zeros(len(mid), bool)
        for end in (self.start, self.goal):
            at_ends |= np.all(a[mid] == end, axis=1) | np.all(b[mid] == end, axis=1)
        mid = mid[~at_ends]
        if len(mid):
            lines, _ = self.chart.geodesic_lines(a[mid], b[mid])
            hit = self.tree.query(lines, predicate="intersects")[0]
            ok[mid] = True
            ok[mid[np.unique(hit)]] = False
        slow = np.setdiff1d(slow, mid)
        if len(slow):
            ok[slow] = self.chart.visible(a[slow], b[slow])[0]
        return ok

    def rounds(self, lonlat: np.ndarray, scenario: Scenario, within_km: float) -> list[str]:
        """Closed state each point turns around ("" for points farther than ``within_km``)."""
        from routes.routing import _nearest_closed

        near = self.distance(lonlat) * EARTH_KM < within_km
        codes = _nearest_closed(lonlat[near], scenario) if near.any() else []
        out, it = [], iter(codes)
        for n in near:
            out.append(next(it) if n else "")
        return out


def _edge_tree(geometry: shapely.Geometry) -> shapely.STRtree:
    """STRtree of the obstacle boundary's segments (chart coordinates)."""
    rings = shapely.get_parts(shapely.boundary(geometry)) if not geometry.is_empty else []
    segs = []
    for ring in rings:
        xy = shapely.get_coordinates(ring)
        if len(xy) >= 2:
            segs.append(np.stack([xy[:-1], xy[1:]], axis=1))
    lines = shapely.linestrings(np.concatenate(segs)) if segs else np.array([], dtype=object)
    return shapely.STRtree(lines)


# --- flight time in the wind ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Air:
    """The wind and the aircraft's cruise true airspeed."""

    wind: WindModel
    tas_kt: float
    alt_ft: float

    def leg_times_s(self, a: np.ndarray, b: np.ndarray, both: bool = False):
        """Flight time (s) of each geodesic a[i] -> b[i] at the TAS in the wind (inf where the
        wind stops the aircraft); with ``both``, also of b[i] -> a[i] (same samples, reversed)."""
        if len(a) == 0:
            return (np.zeros(0), np.zeros(0)) if both else np.zeros(0)
        az, _, dist = geodesy.inverse(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        az, dist = np.atleast_1d(az), np.atleast_1d(dist)
        pieces = np.clip(np.ceil(dist / (SAMPLE_KM * 1000.0)), 1, 256).astype(int)
        leg = np.repeat(np.arange(len(a)), pieces)
        first = np.concatenate([[0], np.cumsum(pieces)[:-1]])
        frac = (np.arange(len(leg)) - first[leg] + 0.5) / pieces[leg]
        lon, lat, back = geodesy.GEOD.fwd(a[leg, 0], a[leg, 1], az[leg], dist[leg] * frac)
        mid = np.column_stack([lon, lat])
        course = (np.asarray(back) + 180.0) % 360.0  # forward course at the sample point
        piece_nm = dist[leg] / pieces[leg] / 1000.0 / KM_PER_NM
        out = []
        for c in (course, (course + 180.0) % 360.0) if both else (course,):
            gs = np.asarray(self.wind.ground_speed_kt(mid, c, self.tas_kt, self.alt_ft), dtype=float)
            if not np.isfinite(gs).all():
                raise ObjectiveError(f"wind model {self.wind.label!r} returned a non-finite ground speed")
            with np.errstate(divide="ignore"):
                t = np.where(gs > 1.0, piece_nm / np.maximum(gs, 1.0) * 3600.0, np.inf)
            out.append(np.add.reduceat(t, first))
        return tuple(out) if both else out[0]

    def path_time_s(self, lonlat: np.ndarray) -> float:
        """Flight time (s) along a polyline of geodesic legs."""
        return float(self.leg_times_s(lonlat[:-1], lonlat[1:]).sum())


# --- the lattice ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Frame:
    """Rotated frame: the origin at (s, d) = (0, 0), the destination on the line d = 0."""

    e1: np.ndarray
    e2: np.ndarray
    n: np.ndarray

    @classmethod
    def between(cls, a: np.ndarray, b: np.ndarray) -> _Frame:
        pa, pb = geodesy.to_xyz(*a), geodesy.to_xyz(*b)
        n = np.cross(pa, pb)
        if np.linalg.norm(n) < 1e-12:  # antipodal or identical: any plane through a
            n = np.cross(pa, [0.0, 0.0, 1.0]) if abs(pa[2]) < 0.9 else np.cross(pa, [1.0, 0.0, 0.0])
        n /= np.linalg.norm(n)
        return cls(pa, np.cross(n, pa), n)

    def to_sd(self, lonlat: np.ndarray) -> np.ndarray:
        """(s, d) angles (radians) along and across track."""
        p = geodesy.to_xyz(lonlat[:, 0], lonlat[:, 1])
        return np.column_stack([np.arctan2(p @ self.e2, p @ self.e1), np.arcsin(np.clip(p @ self.n, -1, 1))])

    def to_lonlat(self, sd: np.ndarray) -> np.ndarray:
        s, d = sd[..., 0:1], sd[..., 1:2]
        p = np.cos(d) * (np.cos(s) * self.e1 + np.sin(s) * self.e2) + np.sin(d) * self.n
        return geodesy.to_lonlat(p)


@dataclass
class _Graph:
    lonlat: np.ndarray
    n_lattice: int
    edges: np.ndarray  # (m, 2) undirected, u < v
    stage_km: float


def _lattice(frame: _Frame, shortest: np.ndarray, space: _Clearance) -> tuple[np.ndarray, float, np.ndarray]:
    """Lattice nodes: stages along track, rows of lateral offsets. Returns the 2-D index grid
    (-1 where a node is unusable), the stage length (km) and the kept nodes' (lon, lat)."""
    sd = frame.to_sd(geodesy.densify_path(shortest, 50.0))
    pad_s, pad_d = ALONG_PAD_KM / EARTH_KM, LATERAL_PAD_KM / EARTH_KM
    s_lo, s_hi = sd[:, 0].min() - pad_s, sd[:, 0].max() + pad_s
    d_lo, d_hi = max(sd[:, 1].min() - pad_d, -1.3), min(sd[:, 1].max() + pad_d, 1.3)
    length_km = (s_hi - s_lo) * EARTH_KM
    n_s = int(np.clip(np.ceil(length_km / STAGE_KM), 4, MAX_STAGES)) + 1
    n_d = int(np.ceil((d_hi - d_lo) * EARTH_KM / ROW_KM)) + 1
    ss, dd = np.meshgrid(np.linspace(s_lo, s_hi, n_s), np.linspace(d_lo, d_hi, n_d), indexing="ij")
    ll = frame.to_lonlat(np.stack([ss, dd], axis=-1)).reshape(-1, 2)
    ok = space.usable(ll)
    index = np.full(n_s * n_d, -1)
    index[ok] = np.arange(int(ok.sum()))
    return index.reshape(n_s, n_d), length_km / (n_s - 1), ll[ok]


def _build_graph(frame: _Frame, shortest: np.ndarray, space: _Clearance) -> _Graph:
    index, stage_km, lattice = _lattice(frame, shortest, space)
    n_s, n_d = index.shape
    fan = int(np.ceil(stage_km * FAN_SLOPE / ROW_KM))
    pairs = []
    moves = [(1, dj) for dj in range(-fan, fan + 1)] + [(0, 1)]
    for di, dj in moves:
        src = index[: n_s - di, max(0, -dj) : n_d - max(0, dj)]
        dst = index[di:, max(0, dj) : n_d + min(0, dj) or None]
        keep = (src >= 0) & (dst >= 0)
        pairs.append(np.column_stack([src[keep], dst[keep]]))
    # the shortest route's vertices (airports and corners) link to the nodes around them
    nodes = np.vstack([lattice, shortest])
    n_lat, k = len(lattice), len(shortest)
    xyz = geodesy.to_xyz(nodes[:, 0], nodes[:, 1])
    tree = cKDTree(xyz[:n_lat]) if n_lat else None
    radius = 2 * np.sin(LINK_STAGES * stage_km / EARTH_KM / 2)
    if tree is not None:
        for i, near in enumerate(tree.query_ball_point(xyz[n_lat:], radius)):
            pairs.append(np.column_stack([np.full(len(near), n_lat + i, dtype=int), np.asarray(near, dtype=int)]))
    edges = np.unique(np.sort(np.vstack(pairs), axis=1), axis=0) if pairs else np.zeros((0, 2), int)
    dist = space.distance(nodes)
    ok = space.clear(nodes[edges[:, 0]], nodes[edges[:, 1]], dist[edges[:, 0]]) if len(edges) else np.zeros(0, bool)
    # the shortest route's own legs are clear by construction
    legs = np.column_stack([np.arange(n_lat, n_lat + k - 1), np.arange(n_lat + 1, n_lat + k)])
    return _Graph(nodes, n_lat, np.vstack([edges[ok], legs]), float(stage_km))


def _fastest_on_graph(graph: _Graph, air: _Air, start: int, goal: int) -> list[int]:
    u, v = graph.edges[:, 0], graph.edges[:, 1]
    pts = graph.lonlat
    fwd, back = air.leg_times_s(pts[u], pts[v], both=True)
    fwd, back = fwd + LEG_PENALTY_S, back + LEG_PENALTY_S
    rows, cols, w = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([fwd, back])
    finite = np.isfinite(w)
    n = len(pts)
    mat = coo_matrix((w[finite], (rows[finite], cols[finite])), shape=(n, n)).tocsr()
    _, pred = dijkstra(mat, directed=True, indices=start, return_predecessors=True)
    if pred[goal] < 0:
        return []
    chain = [goal]
    while chain[-1] != start:
        chain.append(int(pred[chain[-1]]))
    return chain[::-1]


# --- refinement ----------------------------------------------------------------------------------
def _shortcut(path: np.ndarray, air: _Air, space: _Clearance) -> np.ndarray:
    """The fastest chain of clear legs between vertices of ``path`` (up to `SHORTCUT_WINDOW`
    apart); the path's own legs are known clear."""
    k = len(path)
    i, j = np.triu_indices(k, 1)
    near = j - i <= SHORTCUT_WINDOW
    i, j = i[near], j[near]
    adjacent = j == i + 1
    ok = np.ones(len(i), bool)
    test = ~adjacent & ~((i == 0) & (j == k - 1))
    ok[test] = space.clear(path[i[test]], path[j[test]])
    ok[(i == 0) & (j == k - 1)] = False
    i, j = i[ok], j[ok]
    cost = air.leg_times_s(path[i], path[j]) + LEG_PENALTY_S
    best = np.full(k, np.inf)
    best[0] = 0.0
    parent = np.full(k, -1)
    order = np.argsort(j, kind="stable")
    i, j, cost = i[order], j[order], cost[order]
    for jj in range(1, k):
        sel = j == jj
        if not sel.any():
            continue
        c = best[i[sel]] + cost[sel]
        m = int(np.argmin(c))
        best[jj], parent[jj] = c[m], i[sel][m]
    chain = [k - 1]
    while chain[-1] != 0:
        chain.append(int(parent[chain[-1]]))
    return path[chain[::-1]]


def _pattern_search(path: np.ndarray, air: _Air, space: _Clearance, step_km: float) -> np.ndarray:
    """Move inner waypoints in 8 directions in halving steps while the time drops (non-adjacent
    waypoints move together: odd ones, then even ones)."""
    path = path.copy()
    dirs = np.arange(0.0, 360.0, 45.0)
    n_dir = len(dirs)
    while step_km >= MIN_STEP_KM and len(path) > 2:
        for _ in range(MAX_SWEEPS):
            improved = False
            for parity in (1, 2):
                inner = np.arange(parity, len(path) - 1, 2)
                if not len(inner):
                    continue
                prev, cur, nxt = path[inner - 1], path[inner], path[inner + 1]
                m = len(inner)
                lon, lat, _ = geodesy.GEOD.fwd(
                    np.repeat(cur[:, 0], n_dir),
                    np.repeat(cur[:, 1], n_dir),
                    np.tile(dirs, m),
                    np.full(m * n_dir, step_km * 1000.0),
                )
                cand = np.column_stack([lon, lat])
                p_rep, n_rep = np.repeat(prev, n_dir, axis=0), np.repeat(nxt, n_dir, axis=0)
                t = air.leg_times_s(np.vstack([prev, cur, p_rep, cand]), np.vstack([cur, nxt, cand, n_rep]))
                base = t[:m] + t[m : 2 * m]
                new = (t[2 * m : 2 * m + m * n_dir] + t[2 * m + m * n_dir :]).reshape(m, n_dir)
                gain = base[:, None] - new
                gain[~np.isfinite(gain)] = -np.inf
                flat = np.flatnonzero(gain.ravel() > 1e-3)
                if not len(flat):
                    continue
                ok = np.zeros(gain.size, bool)
                both = space.clear(np.vstack([p_rep[flat], cand[flat]]), np.vstack([cand[flat], n_rep[flat]]))
                ok[flat] = both[: len(flat)] & both[len(flat) :]
                gain = np.where(ok.reshape(gain.shape), gain, -np.inf)
                best = np.argmax(gain, axis=1)
                move = np.isfinite(gain[np.arange(m), best])
                if move.any():
                    path[inner[move]] = cand.reshape(m, n_dir, 2)[np.flatnonzero(move), best[move]]
                    improved = True
            if not improved:
                break
        step_km /= 2.0
    return path


def _refine(path: np.ndarray, air: _Air, space: _Clearance, stage_km: float) -> np.ndarray:
    """Pattern search on the path split into legs of at most a stage, then the shortcut pass."""
    legs = [geodesy.densify_path(path[i : i + 2], stage_km) for i in range(len(path) - 1)]
    dense = np.vstack([legs[0], *(leg[1:] for leg in legs[1:])])
    return _shortcut(_pattern_search(dense, air, space, ROW_KM), air, space)


# --- the entry point -----------------------------------------------------------------------------
def fastest_route(
    shortest: Route,
    wind: WindModel,
    aircraft: str = "B77W",
    assumptions=None,
) -> Route:
    """The minimum-time route in ``wind`` for the airports, scenario and margin of ``shortest``.

    Parameters
    ----------
    shortest : Route
        The shortest route (`routes.routing.route`, ``objective="distance"``); returned
        unchanged (relabelled) when infeasible, in still air, or when no route saves
        `MIN_SAVING_S` of block time.
    wind : WindModel
        Wind to optimise for (`routes.analysis.wind`).
    aircraft : str
        ICAO type: its cruise Mach and altitude give the true airspeed.
    assumptions : routes.analysis.performance.Assumptions
        Optional overrides (cruise Mach/altitude); also used for the block-time comparison.

    Returns
    -------
    Route
        ``objective == "time"``, ``wind`` = the wind's label; ``stats`` holds ``time_min`` and
        ``shortest_time_min`` (block times in the wind), ``saving_min`` and search figures.
    """
    from routes.analysis.performance import Assumptions, cruise_tas_kt, estimate, get_aircraft

    started = time.perf_counter()
    check_objective("time", wind)
    label = str(getattr(wind, "label", type(wind).__name__))
    if not shortest.feasible:
        return replace(shortest, objective="time", wind=label)
    ac = get_aircraft(aircraft)
    a = assumptions or Assumptions()
    alt_ft = a.cruise_alt_ft or ac.cruise_alt_ft
    air = _Air(wind, cruise_tas_kt(a.cruise_mach or ac.cruise_mach, alt_ft), alt_ft)
    base_time = estimate(shortest, ac, a, wind).block_time_min
    stats = {"shortest_time_min": base_time, "time_min": base_time, "saving_min": 0.0}
    if isinstance(wind, StillAir):
        stats["seconds"] = time.perf_counter() - started
        return replace(shortest, objective="time", wind=label, stats={**shortest.stats, **stats})

    a_ap, b_ap = shortest.origin, shortest.destination
    space = _Clearance(shortest.scenario, shortest.margin_nm, a_ap, b_ap)
    pts = shortest.lonlat()
    frame = _Frame.between(pts[0], pts[-1])
    graph = _build_graph(frame, pts, space)
    start, goal = graph.n_lattice, graph.n_lattice + len(pts) - 1
    chain = _fastest_on_graph(graph, air, start, goal)
    path = _refine(graph.lonlat[chain] if chain else pts, air, space, graph.stage_km)
    stats.update(
        lattice_nodes=graph.n_lattice,
        graph_nodes=len(graph.lonlat),
        graph_edges=len(graph.edges),
        stage_km=graph.stage_km,
    )
    if air.path_time_s(path) < air.path_time_s(pts) - MIN_SAVING_S and space.path_clear(path):
        rounds = space.rounds(path[1:-1], shortest.scenario, ROUNDS_KM)
        inner = path[1:-1]
        turns = [
            Waypoint(lat=float(la), lon=float(lo), name=f"T{i + 1}", rounds=rounds[i])
            for i, (lo, la) in enumerate(inner)
        ]
        waypoints = (shortest.waypoints[0], *turns, shortest.waypoints[-1])
        candidate = replace(shortest, waypoints=waypoints, legs=make_legs(waypoints), objective="time", wind=label)
        t_new = estimate(candidate, ac, a, wind).block_time_min
        if t_new <= base_time - MIN_SAVING_S / 60.0:
            stats.update(time_min=t_new, saving_min=base_time - t_new, seconds=time.perf_counter() - started)
            return replace(candidate, stats={**shortest.stats, **stats})
    stats["seconds"] = time.perf_counter() - started
    return replace(shortest, objective="time", wind=label, stats={**shortest.stats, **stats})
