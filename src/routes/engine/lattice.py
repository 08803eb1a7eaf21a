"""The minimum-time search's graph: a lattice around the shortest path, searched by Dijkstra.

A frame aligned with the start-goal great circle (`Frame`): stages every ~`STAGE_KM` along track,
nodes every `ROW_KM` across, covering the shortest path plus `LATERAL_PAD_KM` either side; nodes
inside the obstacles are dropped. Each node links to the next stage's nodes up to a slope of
`FAN_SLOPE` and to its lateral neighbour; the shortest path's vertices (endpoints and the corners
it turns at) link to the nodes within `LINK_STAGES` stages, and its own legs are edges. Each edge
is a WGS84 geodesic tested clear (`clearance.Clearance`) and costs its flight time (the caller's
``leg_time``) in each direction: the graph is directed, as a wind makes A->B and B->A differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from routes import geodesy
from routes.engine.clearance import EARTH_KM, Clearance

LegTime = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""Flight time (s) of each WGS84 geodesic a[i] -> b[i] ((n, 2) (lon, lat) arrays each): finite
and >= 0, or inf where the leg cannot be flown. It may also offer ``both_ways(a, b)``, the times
of a[i] -> b[i] and of b[i] -> a[i] in one pass (the graph's edges are timed both ways); without
it the engine calls it once with the legs and their reverses."""

LATERAL_PAD_KM = 1500.0
"""The lattice reaches this far beyond the shortest path on either side of the track."""
ALONG_PAD_KM = 300.0
"""... and this far beyond the path's along-track extent."""
STAGE_KM = 450.0
"""Distance between stages along track (at most `MAX_STAGES` stages)."""
MAX_STAGES = 40
ROW_KM = 50.0
"""Lateral spacing of the nodes of a stage."""
FAN_SLOPE = 1.0
"""Edges join a node to the next stage's nodes up to this lateral slope (1 = 45 degrees)."""
LINK_STAGES = 1.05
"""The shortest path's vertices (endpoints, corners) link to lattice nodes within this many stages."""
LEG_PENALTY_S = 0.5
"""Cost added per leg in the searches: among near-equal paths prefer fewer turn points."""


def leg_times(leg_time: LegTime, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``leg_time(a, b)`` checked: (n,) seconds, each >= 0 or inf (an empty array without a call).

    Raises
    ------
    ValueError
        If ``leg_time`` returns another shape, NaN or a negative time.
    """
    if len(a) == 0:
        return np.zeros(0)
    return _checked(leg_time(a, b), len(a))


def _both_ways(leg_time: LegTime, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Times of the legs a[i] -> b[i], then of b[i] -> a[i] (checked as in `leg_times`), with
    ``leg_time.both_ways`` when it has one."""
    both_ways = getattr(leg_time, "both_ways", None)
    if both_ways is None or len(a) == 0:
        return leg_times(leg_time, np.vstack([a, b]), np.vstack([b, a]))
    forward, backward = both_ways(a, b)
    return _checked(np.concatenate([np.asarray(forward, float), np.asarray(backward, float)]), 2 * len(a))


def _checked(times: np.ndarray, n: int) -> np.ndarray:
    t = np.asarray(times, dtype=float)
    if t.shape != (n,) or np.isnan(t).any() or (t < 0).any():
        raise ValueError(
            f"leg_time must return one time >= 0 (s, or inf) per leg: {n} legs gave "
            f"{t.shape} values{' with NaN or negative times' if t.shape == (n,) else ''}"
        )
    return t


@dataclass(frozen=True)
class Frame:
    """Rotated frame: the start at (s, d) = (0, 0), the goal on the line d = 0."""

    e1: np.ndarray
    e2: np.ndarray
    n: np.ndarray

    @classmethod
    def between(cls, a: np.ndarray, b: np.ndarray) -> Frame:
        """The frame of the great circle from a to b ((lon, lat) each)."""
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
        """(lon, lat) of (s, d) angles (radians)."""
        s, d = sd[..., 0:1], sd[..., 1:2]
        p = np.cos(d) * (np.cos(s) * self.e1 + np.sin(s) * self.e2) + np.sin(d) * self.n
        return geodesy.to_lonlat(p)


@dataclass(frozen=True)
class Lattice:
    """The search graph: lattice nodes, then the shortest path's vertices.

    Attributes
    ----------
    lonlat : ndarray
        (n, 2) nodes: the ``n_lattice`` lattice nodes, then the shortest path's vertices.
    n_lattice : int
        Number of lattice nodes.
    edges : ndarray
        (m, 2) clear undirected edges (node indices).
    stage_km : float
        Distance between stages.
    """

    lonlat: np.ndarray
    n_lattice: int
    edges: np.ndarray
    stage_km: float


def _grid(frame: Frame, shortest: np.ndarray, space: Clearance) -> tuple[np.ndarray, float, np.ndarray]:
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


def _grid_pairs(index: np.ndarray, stage_km: float) -> list[np.ndarray]:
    """Node pairs of the lattice's own edges: to the next stage within the fan, and across."""
    n_s, n_d = index.shape
    fan = int(np.ceil(stage_km * FAN_SLOPE / ROW_KM))
    pairs = []
    for di, dj in [(1, dj) for dj in range(-fan, fan + 1)] + [(0, 1)]:
        src = index[: n_s - di, max(0, -dj) : n_d - max(0, dj)]
        dst = index[di:, max(0, dj) : n_d + min(0, dj) or None]
        keep = (src >= 0) & (dst >= 0)
        pairs.append(np.column_stack([src[keep], dst[keep]]))
    return pairs


def _link_pairs(lattice: np.ndarray, shortest: np.ndarray, stage_km: float) -> list[np.ndarray]:
    """Node pairs linking the shortest path's vertices (numbered after the lattice) to the
    lattice nodes within `LINK_STAGES` stages."""
    n_lat = len(lattice)
    if not n_lat:
        return []
    from scipy.spatial import cKDTree  # scipy loads on the first minimum-time search, not at `import routes`

    tree = cKDTree(geodesy.to_xyz(lattice[:, 0], lattice[:, 1]))
    radius = 2 * np.sin(LINK_STAGES * stage_km / EARTH_KM / 2)
    near = tree.query_ball_point(geodesy.to_xyz(shortest[:, 0], shortest[:, 1]), radius)
    return [
        np.column_stack([np.full(len(js), n_lat + i, dtype=int), np.asarray(js, dtype=int)])
        for i, js in enumerate(near)
    ]


def build_lattice(frame: Frame, shortest: np.ndarray, space: Clearance) -> Lattice:
    """The search graph around the ``shortest`` path ((k, 2) (lon, lat)) in ``frame``: its clear
    edges, with the shortest path's own legs (clear by construction)."""
    index, stage_km, lattice = _grid(frame, shortest, space)
    pairs = _grid_pairs(index, stage_km) + _link_pairs(lattice, shortest, stage_km)
    nodes = np.vstack([lattice, shortest])
    n_lat, k = len(lattice), len(shortest)
    edges = np.unique(np.sort(np.vstack(pairs), axis=1), axis=0) if pairs else np.zeros((0, 2), int)
    dist = space.distance(nodes)
    ok = space.clear(nodes[edges[:, 0]], nodes[edges[:, 1]], dist[edges[:, 0]]) if len(edges) else np.zeros(0, bool)
    legs = np.column_stack([np.arange(n_lat, n_lat + k - 1), np.arange(n_lat + 1, n_lat + k)])
    return Lattice(nodes, n_lat, np.vstack([edges[ok], legs]), float(stage_km))


def fastest_chain(graph: Lattice, leg_time: LegTime, start: int, goal: int) -> list[int]:
    """Node indices of the fastest path from ``start`` to ``goal`` (Dijkstra on the directed
    graph, each leg costing its ``leg_time`` + `LEG_PENALTY_S`); [] if the goal is unreachable."""
    u, v = graph.edges[:, 0], graph.edges[:, 1]
    pts = graph.lonlat
    w = _both_ways(leg_time, pts[u], pts[v]) + LEG_PENALTY_S
    rows, cols = np.concatenate([u, v]), np.concatenate([v, u])
    finite = np.isfinite(w)
    n = len(pts)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    mat = coo_matrix((w[finite], (rows[finite], cols[finite])), shape=(n, n)).tocsr()
    _, pred = dijkstra(mat, directed=True, indices=start, return_predecessors=True)
    if pred[goal] < 0:
        return []
    chain = [goal]
    while chain[-1] != start:
        chain.append(int(pred[chain[-1]]))
    return chain[::-1]
