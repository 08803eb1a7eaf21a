"""The visibility graph of one query's outline: convex corners (nodes), tangent candidates, and
visibility verdicts (kept on the chart, shared by every graph and query on it).

In a gnomonic chart great circles are straight lines, so a corner convex on the sphere is convex
in the chart and "which side of a line" is the same: the convexity and tangency tests are exact.
Visibility itself is the chart's test on densified WGS84 geodesics against the real obstacles
(`Chart.visible`), not against the outline.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

import numpy as np
import shapely

from routes import geodesy
from routes.engine.chart import Chart

COLLINEAR = 1e-6
"""Sine below which three chart points count as collinear in the tangency test."""
OUTLINE_DEPTH = 3e-7
"""Chart units (Earth radii, ~2 m): corners at least this deep inside an outline are not nodes
(those on its boundary, up to the overlay's rounding, stay)."""
MAX_VERDICTS = 500_000
"""Cached visibility verdicts per chart before the cache starts afresh."""
SETTLE_AT = 3
"""The search that expands a corner for this time tests all of its candidate edges at once and
keeps the visible ones (`Graph.candidates`). At the second use, a query repeated at once paid
for every corner of its first search (Mexico City-Istanbul 0.6-0.8 s instead of 24-41 ms; warm
p95 of the global sweep 480 ms against a target of 300); at the third, 1,000 matrix routes took
14.1-15.2 s instead of 13.9-14.6 s in one process (never: 17.8 s)."""
MAX_GRAPHS = 64
"""Visibility graphs kept per chart (one per set of open regions, see `graph_for`)."""
MAX_ENDPOINTS = 64
"""Endpoints (airports) whose distances and tangent corners a graph keeps (`Graph.endpoint`):
the routes of a matrix that share a chart mostly share their airports too."""


def _side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Side of r relative to the line p -> q: +1 left, -1 right, 0 within `COLLINEAR` (sine of
    the angle at q between q->p and q->r), so nearly collinear ring points count as on the line."""
    qp, rq = q - p, r - q
    o = qp[..., 0] * rq[..., 1] - qp[..., 1] * rq[..., 0]  # twice the signed area of (p, q, r)
    norm2 = (qp[..., 0] ** 2 + qp[..., 1] ** 2) * (rq[..., 0] ** 2 + rq[..., 1] ** 2)
    return np.where(o * o < COLLINEAR**2 * norm2, 0, np.sign(o))


def _touches(origin: np.ndarray, corner: np.ndarray, prev: np.ndarray, nxt: np.ndarray) -> np.ndarray:
    """Whether the line origin -> corner only touches the corner: its ring neighbours lie on one
    side of the line (or on it). Broadcasts over rows."""
    return _side(origin, corner, prev) * _side(origin, corner, nxt) >= 0


class Endpoint(NamedTuple):
    """A route's end point seen from every node of a graph (`Graph.endpoint`).

    Attributes
    ----------
    xy : ndarray
        (2,) chart coordinates.
    dist_m : ndarray
        (n,) WGS84 geodesic distance from the point to each node: the length of the leg to a
        node, and for the goal the exact A* heuristic.
    tangent : ndarray
        (n,) bool: the line from the point to the node only touches the node's corner.
    """

    xy: np.ndarray
    dist_m: np.ndarray
    tangent: np.ndarray


class Graph:
    """Convex corners of a chart's obstacles, less those an outline covers, as the nodes of a
    lazy visibility graph.

    Parameters
    ----------
    chart : Chart
        The chart whose obstacles the edges must clear (`Chart.visible`) and whose convex corners
        (`Chart.corners`) are the candidate nodes; tangency is tested on their real neighbours.
    outline : shapely.Geometry, optional
        Where routes may turn (`outline.Outline`): corners more than `OUTLINE_DEPTH` inside it
        are dropped (a shortest path never turns there). None keeps every corner.
    """

    def __init__(self, chart: Chart, outline: shapely.Geometry | None = None) -> None:
        self.chart, self.gno = chart, chart.gno
        xy, prev, nxt = chart.corners()
        ids = np.arange(len(xy))
        if outline is not None and len(xy):
            inner = outline.buffer(-OUTLINE_DEPTH, join_style="mitre", mitre_limit=5.0)
            ids = ids[~shapely.contains_xy(inner, xy[:, 0], xy[:, 1])]
        self.ids: list[int] = ids.tolist()
        """Each node's index among the chart's corners (the key of its shared verdicts)."""
        self.node_xy, self.node_prev, self.node_next = xy[ids], prev[ids], nxt[ids]
        self.node_lonlat = self.gno.inverse(self.node_xy) if len(ids) else np.zeros((0, 2))
        self._candidates: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._settled: set[int] = set()  # nodes whose candidates are only the visible ones
        self._uses: dict[int, int] = {}  # times each node's candidates were asked for
        self._endpoints: OrderedDict[tuple[float, float], Endpoint] = OrderedDict()
        self.verdicts = chart.verdicts
        """The chart's visibility verdicts by edge key (shared by every graph on the chart)."""

    @property
    def n_nodes(self) -> int:
        """Number of convex corners usable as turn points."""
        return len(self.node_xy)

    def visible(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The chart's visibility test (`Chart.visible`)."""
        return self.chart.visible(a, b)

    def tangent_mask(self, origin_xy: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """Candidates (node indices) whose corner the line origin -> node only touches."""
        return _touches(origin_xy, self.node_xy[cand], self.node_prev[cand], self.node_next[cand])

    def endpoint(self, lonlat: np.ndarray) -> Endpoint:
        """Distances and tangency from a (lon, lat) point to every node (cached per point, the
        last `MAX_ENDPOINTS`)."""
        key = (float(lonlat[0]), float(lonlat[1]))
        got = self._endpoints.get(key)
        if got is None:
            xy = self.gno.forward(np.asarray(key))
            if self.n_nodes:
                dist = geodesy.distance_m(key[0], key[1], self.node_lonlat[:, 0], self.node_lonlat[:, 1])
                tangent = _touches(xy, self.node_xy, self.node_prev, self.node_next)
            else:
                dist, tangent = np.zeros(0), np.zeros(0, bool)
            got = self._endpoints[key] = Endpoint(xy, dist, tangent)
            if len(self._endpoints) > MAX_ENDPOINTS:
                self._endpoints.popitem(last=False)
        else:
            self._endpoints.move_to_end(key)
        return got

    def candidates(self, u: int) -> tuple[np.ndarray, np.ndarray]:
        """Corners that could follow corner ``u`` on a shortest path (cached): the line u -> v
        only touches the obstacle at both u and v. Returns their indices and lengths (m).

        The first times, visibility is not tested here (the search tests the edges it pops). The
        `SETTLE_AT`-th time (a corner several queries turn at), every candidate edge is tested
        at once and only the visible ones are kept: later searches pop no blocked edge from ``u``."""
        entry = self._candidates.get(u)
        if entry is None:
            cand = np.delete(np.arange(self.n_nodes), u)
            keep = self.tangent_mask(self.node_xy[u], cand) & self.tangent_at(u, self.node_xy[cand])
            cand = cand[keep]
            lon, lat = self.node_lonlat[u]
            dist = geodesy.distance_m(lon, lat, self.node_lonlat[cand, 0], self.node_lonlat[cand, 1])
            entry = self._candidates[u] = (cand, dist)
        elif u not in self._settled and self._used(u) >= SETTLE_AT:
            cand, dist = entry
            keys = [self.edge_key(u, int(v)) for v in cand]
            a, b = self.node_lonlat[np.full(len(cand), u)], self.node_lonlat[cand]
            self.prefetch(a, b, keys)
            ok = np.array([self.verdict(k, a[i], b[i]) for i, k in enumerate(keys)], dtype=bool)
            entry = self._candidates[u] = (cand[ok], dist[ok])
            self._settled.add(u)
        return entry

    def _used(self, u: int) -> int:
        """Count one more use of ``u``'s candidates (the first one built them) and return the count."""
        self._uses[u] = self._uses.get(u, 1) + 1
        return self._uses[u]

    def tangent_at(self, u: int, others_xy: np.ndarray) -> np.ndarray:
        """Whether lines from each point of ``others_xy`` to corner ``u`` only touch ``u``."""
        return _touches(others_xy, self.node_xy[u], self.node_prev[u], self.node_next[u])

    def prefetch(self, a: np.ndarray, b: np.ndarray, keys: list) -> None:
        """Test several edges in one batch (``keys`` as in `verdict`)."""
        todo = [i for i, k in enumerate(keys) if k not in self.verdicts]
        if len(todo) > 1:
            ok, _ = self.visible(a[todo], b[todo])
            self._store(zip([keys[i] for i in todo], ok.tolist(), strict=True))

    def edge_key(self, u: int, v: int) -> tuple[int, int]:
        """The verdict key of the edge between nodes u and v (chart corner indices, ordered)."""
        a, b = self.ids[u], self.ids[v]
        return (a, b) if a < b else (b, a)

    def edge_visible(self, u: int, v: int) -> bool:
        """Whether the geodesic between corners u and v is clear (cached verdict)."""
        return self.verdict(self.edge_key(u, v), self.node_lonlat[u], self.node_lonlat[v])

    def verdict(self, key: tuple, a: np.ndarray, b: np.ndarray) -> bool:
        """The cached verdict of ``key`` (`edge_key` for corners, the four coordinates for other
        points), testing the geodesic a -> b when there is none."""
        verdict = self.verdicts.get(key)
        if verdict is None:
            ok, _ = self.visible(a[None, :], b[None, :])
            verdict = bool(ok[0])
            self._store([(key, verdict)])
        return verdict

    def _store(self, verdicts) -> None:
        """Keep verdicts in the chart's cache (started afresh beyond `MAX_VERDICTS`)."""
        if len(self.verdicts) > MAX_VERDICTS:
            self.verdicts.clear()
        self.verdicts.update(verdicts)


def graph_for(chart: Chart, start: np.ndarray, goal: np.ndarray) -> Graph:
    """The visibility graph on ``chart`` for a query from ``start`` to ``goal`` ((lon, lat)
    each): convex corners of the obstacles on the chart's outline, with the regions holding the
    endpoints left open. Kept on the chart (`Chart.graphs`, the last `MAX_GRAPHS`) per set of
    filled areas holding the endpoints; all graphs of a chart share its visibility verdicts."""
    outline = chart.outline()
    key = outline.filled_at(chart.gno.forward(np.vstack([start, goal])))
    graphs = chart.graphs
    if key not in graphs:
        if len(graphs) >= MAX_GRAPHS:
            graphs.pop(next(iter(graphs)))
        graphs[key] = Graph(chart, outline.shape(key))
    return graphs[key]  # type: ignore[return-value]
