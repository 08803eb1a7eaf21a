"""The engine's second entry point: `solve_time`, the minimum-time path on prepared obstacles.

The engine knows nothing of winds or aircraft: the caller passes ``leg_time``, the flight time of
geodesic legs (`lattice.LegTime`). Method:

1. **Start** from the shortest path (`solve.solve`): it is a candidate, so the result is never
   slower than it by ``leg_time``.
2. **Graph.** A lattice around the shortest path, its edges tested clear and timed in both
   directions (`lattice`).
3. **Search.** Dijkstra from the start gives the fastest lattice path (`lattice.fastest_chain`).
4. **Refinement.** The path split into legs of at most a stage; a pattern search moves each inner
   vertex in 8 directions in halving steps from `lattice.ROW_KM` down to `MIN_STEP_KM`, keeping a
   move only if both its legs stay clear and the time drops; then a shortcut pass keeps the
   fastest chain of clear legs between the path's vertices (up to `SHORTCUT_WINDOW` apart).
5. **Acceptance.** The refined path replaces the shortest one only if it saves at least
   ``min_saving_s`` and passes the chart-free check (`Clearance.path_clear`); with a ``leg_time``
   proportional to length (still air) the answer is the shortest path.

The path is optimal on the graph up to the lattice resolution, then locally improved: not a
global optimum of the continuous problem.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from routes import geodesy
from routes.engine.clearance import Clearance
from routes.engine.lattice import (
    LEG_PENALTY_S,
    ROW_KM,
    Frame,
    LegTime,
    build_lattice,
    fastest_chain,
    leg_times,
)
from routes.engine.obstacles import Obstacles
from routes.engine.search import BudgetExceededError
from routes.engine.solve import FOUND, OUT_OF_TIME, BandRule, Solution, query_chart, solve

SHORTCUT_WINDOW = 12
"""Shortcut pass: direct legs between path vertices up to this many vertices apart."""
MIN_STEP_KM = 2.0
"""The pattern search stops when its step falls below this."""
MAX_SWEEPS = 3
"""Pattern search: sweeps per step size before halving it."""
DIRECTIONS_DEG = np.arange(0.0, 360.0, 45.0)
"""Pattern search: the directions a vertex is moved in."""


@dataclass(frozen=True)
class TimedSolution:
    """Outcome of `solve_time`.

    Attributes
    ----------
    lonlat : ndarray or None
        (k, 2) path vertices from start to goal ((lon, lat) degrees): the fastest path found, or
        the shortest path when no path saves ``min_saving_s``; None without a route.
    time_s : float
        Flight time along ``lonlat`` by ``leg_time`` (nan without a route).
    length_m : float
        Sum of the WGS84 geodesic legs (nan without a route).
    reason : str
        `solve.FOUND` ("") or why there is no route: the shortest path's reason, or
        `solve.OUT_OF_TIME` when the budget ran out during the minimum-time search.
    shortest : Solution
        The shortest path (`solve.solve`), the starting candidate.
    obstacle_km : ndarray or None
        (k,) distance (km) of each vertex to the obstacles on the query's chart, at most
        `clearance.DISTANCE_CAP_KM` (for naming what a turn point goes round).
    stats : dict
        The shortest path's figures, then ``lattice_nodes``, ``graph_nodes``, ``graph_edges``,
        ``stage_km``, ``shortest_time_s`` and ``time_search_s``.
    """

    lonlat: np.ndarray | None
    time_s: float
    length_m: float
    reason: str
    shortest: Solution
    obstacle_km: np.ndarray | None = None
    stats: dict = field(default_factory=dict, compare=False)

    @property
    def found(self) -> bool:
        """Whether a route was found."""
        return self.reason == FOUND

    @property
    def faster(self) -> bool:
        """Whether the path differs from the shortest path (it saves ``min_saving_s`` or more)."""
        return self.found and not np.array_equal(self.lonlat, self.shortest.lonlat)


def solve_time(
    start: np.ndarray,
    goal: np.ndarray,
    obstacles: Obstacles,
    leg_time: LegTime,
    *,
    band: BandRule | None = None,
    max_seconds: float | None = None,
    min_saving_s: float = 0.0,
) -> TimedSolution:
    """Minimum-time path from ``start`` to ``goal`` avoiding prepared obstacles.

    Parameters
    ----------
    start, goal : ndarray
        (lon, lat) degrees.
    obstacles : Obstacles
        From `prepare_obstacles` (the margin is already in them).
    leg_time : callable
        ``leg_time(a, b)``: flight time (s) of each WGS84 geodesic a[i] -> b[i] ((n, 2) (lon,
        lat) arrays), >= 0 or inf where the leg cannot be flown (`lattice.LegTime`). Called with
        thousands of legs at once.
    band : BandRule, optional
        The band rule of the shortest path (`solve`); the minimum-time search itself tests legs
        from endpoints inside the margin band strictly (conservative).
    max_seconds : float, optional
        Time budget for both searches; when it runs out the result is `OUT_OF_TIME`.
    min_saving_s : float
        The shortest path is kept unless another path saves at least this much (s).

    Returns
    -------
    TimedSolution
        The path, its time and length, the shortest path, or the reason there is none.

    Raises
    ------
    ValueError
        If ``leg_time`` returns NaN, negative times or the wrong shape.
    """
    t0 = time.perf_counter()
    deadline = t0 + max_seconds if max_seconds is not None else float("inf")
    start, goal = np.asarray(start, float), np.asarray(goal, float)
    shortest = solve(start, goal, obstacles, band=band, max_seconds=max_seconds)
    stats = dict(shortest.stats)
    if not shortest.found:
        return TimedSolution(None, float("nan"), float("nan"), shortest.reason, shortest, None, stats)
    t = time.perf_counter()
    space = Clearance(obstacles, query_chart(obstacles, start, goal), start, goal)
    try:
        path, figures = _search(shortest.lonlat, leg_time, space, deadline)
    except BudgetExceededError:
        stats["seconds"] = time.perf_counter() - t0
        return TimedSolution(None, float("nan"), float("nan"), OUT_OF_TIME, shortest, None, stats)
    t_path, t_short = _path_time_s(path, leg_time), _path_time_s(shortest.lonlat, leg_time)
    if not (t_path < t_short - min_saving_s and space.path_clear(path)):
        path, t_path = shortest.lonlat, t_short
    stats.update(figures, shortest_time_s=t_short, time_search_s=time.perf_counter() - t)
    length_m = float(geodesy.distance_m(path[:-1, 0], path[:-1, 1], path[1:, 0], path[1:, 1]).sum())
    return TimedSolution(path, t_path, length_m, FOUND, shortest, space.distance_km(path), stats)


def _search(shortest: np.ndarray, leg_time: LegTime, space: Clearance, deadline: float) -> tuple[np.ndarray, dict]:
    """The refined fastest lattice path around the ``shortest`` path, and the lattice's figures."""
    graph = build_lattice(Frame.between(shortest[0], shortest[-1]), shortest, space)
    _check(deadline)
    start, goal = graph.n_lattice, graph.n_lattice + len(shortest) - 1
    chain = fastest_chain(graph, leg_time, start, goal)
    _check(deadline)
    path = _refine(graph.lonlat[chain] if chain else shortest, leg_time, space, graph.stage_km, deadline)
    figures = {
        "lattice_nodes": graph.n_lattice,
        "graph_nodes": len(graph.lonlat),
        "graph_edges": len(graph.edges),
        "stage_km": graph.stage_km,
    }
    return path, figures


def _check(deadline: float) -> None:
    if time.perf_counter() > deadline:
        raise BudgetExceededError


def _path_time_s(lonlat: np.ndarray, leg_time: LegTime) -> float:
    """Flight time (s) along a polyline of geodesic legs."""
    return float(leg_times(leg_time, lonlat[:-1], lonlat[1:]).sum())


def _refine(path: np.ndarray, leg_time: LegTime, space: Clearance, stage_km: float, deadline: float) -> np.ndarray:
    """Pattern search on the path split into legs of at most a stage, then the shortcut pass."""
    legs = [geodesy.densify_path(path[i : i + 2], stage_km) for i in range(len(path) - 1)]
    dense = np.vstack([legs[0], *(leg[1:] for leg in legs[1:])])
    return _shortcut(_pattern_search(dense, leg_time, space, ROW_KM, deadline), leg_time, space)


def _shortcut(path: np.ndarray, leg_time: LegTime, space: Clearance) -> np.ndarray:
    """The fastest chain of clear legs between vertices of ``path`` (up to `SHORTCUT_WINDOW`
    apart); the path's own legs are known clear, its direct first-to-last leg is left out."""
    k = len(path)
    i, j = np.triu_indices(k, 1)
    near = j - i <= SHORTCUT_WINDOW
    i, j = i[near], j[near]
    whole = (i == 0) & (j == k - 1)
    ok = np.ones(len(i), bool)
    test = (j != i + 1) & ~whole
    ok[test] = space.clear(path[i[test]], path[j[test]])
    ok[whole] = False
    i, j = i[ok], j[ok]
    cost = leg_times(leg_time, path[i], path[j]) + LEG_PENALTY_S
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


def _pattern_search(
    path: np.ndarray, leg_time: LegTime, space: Clearance, step_km: float, deadline: float
) -> np.ndarray:
    """Move inner vertices in 8 directions in halving steps while the time drops (non-adjacent
    vertices move together: odd ones, then even ones)."""
    path = path.copy()
    while step_km >= MIN_STEP_KM and len(path) > 2:
        for _ in range(MAX_SWEEPS):
            _check(deadline)
            moved = [_move(path, np.arange(parity, len(path) - 1, 2), leg_time, space, step_km) for parity in (1, 2)]
            if not any(moved):
                break
        step_km /= 2.0
    return path


def _move(path: np.ndarray, inner: np.ndarray, leg_time: LegTime, space: Clearance, step_km: float) -> bool:
    """Move each vertex ``inner`` of ``path`` (in place) by ``step_km`` in the direction that
    saves the most time with both its legs clear, if any; whether one moved."""
    if not len(inner):
        return False
    prev, cur, nxt = path[inner - 1], path[inner], path[inner + 1]
    m, n_dir = len(inner), len(DIRECTIONS_DEG)
    lon, lat = np.repeat(cur[:, 0], n_dir), np.repeat(cur[:, 1], n_dir)
    cand = geodesy.direct(lon, lat, np.tile(DIRECTIONS_DEG, m), np.full(m * n_dir, step_km * 1000.0))
    p_rep, n_rep = np.repeat(prev, n_dir, axis=0), np.repeat(nxt, n_dir, axis=0)
    t = leg_times(leg_time, np.vstack([prev, cur, p_rep, cand]), np.vstack([cur, nxt, cand, n_rep]))
    base = t[:m] + t[m : 2 * m]
    new = (t[2 * m : 2 * m + m * n_dir] + t[2 * m + m * n_dir :]).reshape(m, n_dir)
    gain = base[:, None] - new
    gain[~np.isfinite(gain)] = -np.inf
    flat = np.flatnonzero(gain.ravel() > 1e-3)
    if not len(flat):
        return False
    ok = np.zeros(gain.size, bool)
    both = space.clear(np.vstack([p_rep[flat], cand[flat]]), np.vstack([cand[flat], n_rep[flat]]))
    ok[flat] = both[: len(flat)] & both[len(flat) :]
    gain = np.where(ok.reshape(gain.shape), gain, -np.inf)
    best = np.argmax(gain, axis=1)
    move = np.isfinite(gain[np.arange(m), best])
    path[inner[move]] = cand.reshape(m, n_dir, 2)[np.flatnonzero(move), best[move]]
    return bool(move.any())
