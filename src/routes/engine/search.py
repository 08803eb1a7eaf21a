"""Lazy A* over the convex corners of a graph.

Candidate edges come from the tangency test alone; an edge's visibility (the expensive test on
a densified WGS84 geodesic) is checked only when A* pops it, and verdicts between corners are
cached on the chart (and corners used by several queries keep only their visible candidates,
`Graph.candidates`). Candidates of one expansion form a block sorted by f = g + h; the heap holds
blocks, so one expansion costs one heap push, not one per candidate.
"""

from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass

import numpy as np

from routes import geodesy
from routes.engine.graph import Graph


@dataclass(frozen=True)
class Path:
    """A shortest path found in a graph.

    Attributes
    ----------
    lonlat : ndarray
        (k, 2) vertices from start to goal.
    corners : tuple of int
        Graph node index of each inner vertex.
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


PREFETCH = 32
"""Edges of a block whose visibility is tested together when the first of them is popped."""


class BudgetExceededError(Exception):
    """Raised inside the engine when a query's time budget runs out."""


def shortest_path(
    graph: Graph,
    start: np.ndarray,
    goal: np.ndarray,
    deadline: float = float("inf"),
    direct_blocked: bool = False,
) -> Path | None:
    """Shortest obstacle-avoiding WGS84 path from ``start`` to ``goal`` ((lon, lat) each).

    Returns None when the goal cannot be reached within the graph; raises `BudgetExceededError`
    when ``time.perf_counter()`` passes ``deadline``. ``direct_blocked``: the caller has already
    found the direct geodesic blocked (it is not tried again).
    """
    n = graph.n_nodes
    s_id, g_id = n, n + 1
    lonlat = np.vstack([graph.node_lonlat, start, goal])
    start_end, goal_end = graph.endpoint(start), graph.endpoint(goal)
    direct_m = float(geodesy.distance_m(start[0], start[1], goal[0], goal[1]))
    h = np.append(goal_end.dist_m, [direct_m, 0.0])  # exact: the geodesic from each node to the goal

    def key(u: int, v: int) -> tuple:
        if u < n and v < n:
            return graph.edge_key(u, v)
        return (*lonlat[u].tolist(), *lonlat[v].tolist())

    verdicts = graph.verdicts

    def edge_ok(block: _Block, i: int) -> bool:
        u, v = block.parent, int(block.target[i])
        k = key(u, v)
        ok = verdicts.get(k)
        if ok is None:  # test the next few edges of the block in one batch
            nxt = block.target[i : i + PREFETCH]
            nxt = nxt[~closed[nxt]]
            graph.prefetch(lonlat[np.full(len(nxt), u)], lonlat[nxt], [key(u, int(w)) for w in nxt])
            ok = graph.verdict(k, lonlat[u], lonlat[v])
        return ok

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
    cand = np.flatnonzero(start_end.tangent)
    dist = start_end.dist_m[cand]
    if not direct_blocked:
        cand, dist = np.append(cand, g_id), np.append(dist, direct_m)
    push(s_id, 0.0, cand, dist)

    to_goal = goal_end.tangent
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
        if not checked % 32 and time.perf_counter() > deadline:
            raise BudgetExceededError
        if not edge_ok(block, i):
            continue
        closed[v], parent[v], g_final[v] = True, block.parent, g_v
        if v == g_id:
            break
        expanded += 1
        cand, dist = graph.candidates(v)
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
