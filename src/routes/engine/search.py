"""Lazy A* over the convex corners of a chart.

Candidate edges come from the tangency test alone; an edge's visibility (the expensive test on
a densified WGS84 geodesic) is checked only when A* pops it, and verdicts between corners are
cached on the chart. Candidates of one expansion form a block sorted by f = g + h; the heap holds
blocks, so one expansion costs one heap push, not one per candidate.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

import numpy as np
import shapely

from routes import geodesy
from routes.engine.chart import Chart


@dataclass(frozen=True)
class Path:
    """A shortest path found in a chart.

    Attributes
    ----------
    lonlat : ndarray
        (k, 2) vertices from start to goal.
    corners : tuple of int
        Chart corner index of each inner vertex.
    length_m : float
        Sum of the WGS84 geodesic legs.
    expanded : int
        A* expansions; ``checked`` is the number of edges whose visibility was looked up.
    """

    lonlat: np.ndarray
    corners: tuple[int, ...]
    length_m: float
    expanded: int
    checked: int


class _Block:
    __slots__ = ("f", "g", "parent", "pos", "target")

    def __init__(self, parent: int, target: np.ndarray, g: np.ndarray, f: np.ndarray) -> None:
        order = np.argsort(f, kind="stable")
        self.parent, self.target, self.g, self.f, self.pos = parent, target[order], g[order], f[order], 0


def shortest_path(
    chart: Chart,
    start: np.ndarray,
    goal: np.ndarray,
    start_geometry: shapely.Geometry | None = None,
    goal_geometry: shapely.Geometry | None = None,
) -> Path | None:
    """Shortest obstacle-avoiding WGS84 path from ``start`` to ``goal`` ((lon, lat) each).

    ``start_geometry``/``goal_geometry`` replace the chart's obstacles for legs that touch the
    start/goal (the margin-band rule for airports near closed airspace). Returns None when the
    goal cannot be reached within the chart.
    """
    n = chart.n_nodes
    s_id, g_id = n, n + 1
    lonlat = np.vstack([chart.node_lonlat, start, goal])
    h = geodesy.distance_m(lonlat[:, 0], lonlat[:, 1], goal[0], goal[1])
    h[g_id] = 0.0
    start_xy, goal_xy = chart.gno.forward(start), chart.gno.forward(goal)
    both = start_geometry if goal_geometry is None else goal_geometry
    if start_geometry is not None and goal_geometry is not None:
        both = chart.memo(
            ("both", id(start_geometry), id(goal_geometry)), lambda: shapely.intersection(start_geometry, goal_geometry)
        )

    def edge_ok(u: int, v: int) -> bool:
        if u < n and v < n:
            return chart.edge_visible(u, v)
        geom = both if (u == s_id and v == g_id) else start_geometry if u == s_id else goal_geometry
        return chart.point_edge_visible(lonlat[u], lonlat[v], geom)

    closed = np.zeros(n + 2, dtype=bool)
    heap: list[tuple[float, int, _Block]] = []
    tie = itertools.count()

    def push(u: int, g_u: float, target: np.ndarray, dist: np.ndarray) -> None:
        open_ = ~closed[target]
        target, dist = target[open_], dist[open_]
        if len(target):
            g = g_u + dist
            block = _Block(u, target, g, g + h[target])
            heapq.heappush(heap, (float(block.f[0]), next(tie), block))

    # from the start: corners whose corner the line touches only, and the goal itself
    cand = np.arange(n)[chart.tangent_mask(start_xy, np.arange(n))] if n else np.zeros(0, int)
    target = np.append(cand, g_id)
    push(s_id, 0.0, target, geodesy.distance_m(start[0], start[1], lonlat[target, 0], lonlat[target, 1]))

    to_goal = chart.tangent_mask(goal_xy, np.arange(n)) if n else np.zeros(0, bool)
    parent = np.full(n + 2, -1)
    g_final = np.full(n + 2, np.inf)
    expanded = checked = 0
    while heap:
        _, _, block = heapq.heappop(heap)
        i = block.pos
        v, g_v = int(block.target[i]), float(block.g[i])
        block.pos += 1
        if block.pos < len(block.target):
            heapq.heappush(heap, (float(block.f[block.pos]), next(tie), block))
        if closed[v]:
            continue
        checked += 1
        if not edge_ok(block.parent, v):
            continue
        closed[v], parent[v], g_final[v] = True, block.parent, g_v
        if v == g_id:
            break
        expanded += 1
        cand, dist = chart.candidates(v)
        if to_goal[v]:  # the line goal -> v only touches v; its length is h[v]
            cand, dist = np.append(cand, g_id), np.append(dist, h[v])
        push(v, g_v, cand, dist)
    if not closed[g_id]:
        return None
    chain = [g_id]
    while chain[-1] != s_id:
        chain.append(int(parent[chain[-1]]))
    corners = tuple(reversed(chain[1:-1]))
    return Path(lonlat[list(reversed(chain))], corners, float(g_final[g_id]), expanded, checked)
