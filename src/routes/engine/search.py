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
    return _Search(graph, start, goal, deadline).run(direct_blocked)


class _Search:
    """One lazy A* query: the graph's nodes, then the start (``n``) and the goal (``n + 1``)."""

    def __init__(self, graph: Graph, start: np.ndarray, goal: np.ndarray, deadline: float) -> None:
        n = self.n = graph.n_nodes
        self.graph, self.deadline = graph, deadline
        self.s_id, self.g_id = n, n + 1
        self.lonlat = np.vstack([graph.node_lonlat, start, goal])
        self.start_end, self.goal_end = graph.endpoint(start), graph.endpoint(goal)
        self.direct_m = float(geodesy.distance_m(start[0], start[1], goal[0], goal[1]))
        self.h = np.append(self.goal_end.dist_m, [self.direct_m, 0.0])  # exact: the geodesic to the goal
        self.closed = np.zeros(n + 2, dtype=bool)
        self.parent = np.full(n + 2, -1)
        self.g_final = np.full(n + 2, np.inf)
        self.heap: list[tuple[float, int, _Block]] = []
        self.tie = itertools.count()
        self.expanded = self.checked = 0

    def key(self, u: int, v: int) -> tuple:
        """The verdict key of the edge u -> v (`Graph.edge_key`, or the end coordinates)."""
        if u < self.n and v < self.n:
            return self.graph.edge_key(u, v)
        return (*self.lonlat[u].tolist(), *self.lonlat[v].tolist())

    def edge_ok(self, block: _Block, i: int) -> bool:
        """Whether the ``i``-th edge of ``block`` is clear (a missing verdict is tested together
        with those of the next `PREFETCH` open edges of the block)."""
        graph, lonlat = self.graph, self.lonlat
        u, v = block.parent, int(block.target[i])
        k = self.key(u, v)
        ok = graph.verdicts.get(k)
        if ok is None:
            nxt = block.target[i : i + PREFETCH]
            nxt = nxt[~self.closed[nxt]]
            graph.prefetch(lonlat[np.full(len(nxt), u)], lonlat[nxt], [self.key(u, int(w)) for w in nxt])
            ok = graph.verdict(k, lonlat[u], lonlat[v])
        return ok

    def push(self, u: int, g_u: float, target: np.ndarray, dist: np.ndarray) -> None:
        """Queue the open ``target`` nodes reached from ``u`` (at ``g_u``) by legs of ``dist`` m."""
        open_ = ~self.closed[target]
        target, dist = target[open_], dist[open_]
        if len(target):
            g = g_u + dist
            block = _Block(u, target, g, g + self.h[target])
            heapq.heappush(self.heap, (float(block.f[0]), next(self.tie), block))

    def pop(self) -> tuple[_Block, int]:
        """The block of the best queued edge and that edge's index in it."""
        _, _, block = heapq.heappop(self.heap)
        i = block.pos
        block.pos += 1
        if block.pos < len(block.target):
            heapq.heappush(self.heap, (float(block.f[block.pos]), next(self.tie), block))
        return block, i

    def run(self, direct_blocked: bool) -> Path | None:
        """Search from the start: corners its line only touches, and the goal itself unless
        ``direct_blocked``; then expand until the goal is closed."""
        cand = np.flatnonzero(self.start_end.tangent)
        dist = self.start_end.dist_m[cand]
        if not direct_blocked:
            cand, dist = np.append(cand, self.g_id), np.append(dist, self.direct_m)
        self.push(self.s_id, 0.0, cand, dist)
        to_goal, closed = self.goal_end.tangent, self.closed
        while self.heap:
            block, i = self.pop()
            v, g_v = int(block.target[i]), float(block.g[i])
            if closed[v]:
                continue
            self.checked += 1
            if not self.checked % 32 and time.perf_counter() > self.deadline:
                raise BudgetExceededError
            if not self.edge_ok(block, i):
                continue
            closed[v], self.parent[v], self.g_final[v] = True, block.parent, g_v
            if v == self.g_id:
                break
            self.expanded += 1
            cand, dist = self.graph.candidates(v)
            if to_goal[v]:  # the line goal -> v only touches v; its length is h[v]
                cand, dist = np.append(cand, self.g_id), np.append(dist, self.h[v])
            self.push(v, g_v, cand, dist)
        return self.path() if closed[self.g_id] else None

    def path(self) -> Path:
        """The path to the (closed) goal, from the parents."""
        chain = [self.g_id]
        while chain[-1] != self.s_id:
            chain.append(int(self.parent[chain[-1]]))
        corners = tuple(reversed(chain[1:-1]))
        lonlat = self.lonlat[list(reversed(chain))]
        return Path(lonlat, corners, float(self.g_final[self.g_id]), self.expanded, self.checked)
