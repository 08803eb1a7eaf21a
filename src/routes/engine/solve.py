"""The engine's entry point: `solve` one query on prepared obstacles.

1. **Fast exit.** If the densified WGS84 geodesic misses every piece (`legs_clear`), it is the
   answer; no chart is built.
2. **One chart per centre.** The query's chart (centred on the geodesic's midpoint snapped to a
   10-degree grid, `chart_center`) holds every piece within its horizon, merged once and cached:
   queries with nearby midpoints share it, its outline and its visibility verdicts.
3. **Turn points.** A* runs on the convex corners of the chart's *outline*, the obstacles with
   every bay a shortest path cannot use filled up to its hull (`outline`): the same shortest
   route, with tens instead of thousands of corners round a large state. Edges are tested against
   the real obstacles; a corner that a second query turns at keeps only its visible candidate
   edges (`Graph.candidates`). Every path found passes the chart-free `path_clear` (each leg
   once per chart) before it is returned.
4. **No route.** Start and goal in separate parts of the free space (`Chart.enclosed`), or a
   search that exhausts the graph, prove that no route exists within the chart.
5. **Band rule** (`BandRule`): an endpoint inside the margin band (outside the bare obstacles)
   may be left or reached through the band within ``radius_m`` of it, where only the bare
   obstacles are avoided; the search runs on that modified geometry (a chart of its own), so the
   route found is the shortest one satisfying the rule.

A process keeps its last `MAX_CHARTS` charts. `export_chart` and `import_chart` copy one, warm
(outline, graphs, verdicts), into another process: a copy costs ~40 ms where building the chart
and its verdicts again costs ~1 s (the route-matrix job moves charts between workers this way).
"""

from __future__ import annotations

import pickle
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely

from routes import geodesy
from routes.engine.chart import NODE_ANGLE_DEG, Chart, chart_center, projector_for
from routes.engine.graph import Graph, graph_for
from routes.engine.obstacles import EARTH_RADIUS_M, Obstacles, legs_clear, path_clear
from routes.engine.search import BudgetExceededError, Path, shortest_path

ELLIPSOID_PAD = 1.01
"""Sphere angles x 6,371 km differ from WGS84 lengths by < 0.6 %: pad distance tests on the sphere."""

FOUND = ""
NO_ROUTE = "no-route"
ENCLOSED = "enclosed"
OUT_OF_TIME = "out-of-time"
ANTIPODAL = "antipodal"
ENDPOINT_BLOCKED = "endpoint-blocked"
UNVERIFIED = "unverified"
CHECK_TOLERANCE_M = 60.0
"""The chart-free check of a found path (`legs_clear`) shrinks the pieces by this much: the
charts let a path touch corners of the pieces grown by ~20 m and test visibility against them
shrunk by ~20 m (chart units, never less on the ground)."""


@dataclass(frozen=True)
class BandRule:
    """The margin-band rule for endpoints inside the margin band.

    Attributes
    ----------
    bare : callable
        Returns the obstacles without the margin (what must be avoided even near the endpoint);
        called only when an endpoint lies in the band.
    radius_m : float
        Around such an endpoint, within this distance, only ``bare`` is avoided.
    near_m : float
        Within this distance of such an endpoint nothing is avoided (the endpoint sits within
        the obstacles' own tolerance of a closed border; an independent check still applies).
    """

    bare: Callable[[], Obstacles]
    radius_m: float
    near_m: float = 8000.0


@dataclass(frozen=True)
class Solution:
    """Outcome of `solve`.

    Attributes
    ----------
    lonlat : ndarray or None
        (k, 2) path vertices from start to goal ((lon, lat) degrees), None without a route.
    length_m : float
        Sum of the WGS84 geodesic legs (nan without a route).
    reason : str
        `FOUND` ("") or one of `NO_ROUTE`, `ENCLOSED` (start and goal in separate parts of
        the free space), `OUT_OF_TIME`, `ANTIPODAL` (too far apart for one chart),
        `ENDPOINT_BLOCKED` (an endpoint inside the obstacles), `UNVERIFIED` (the path found
        failed the chart-free check `legs_clear`: an engine fault, never returned as a route).
    stats : dict
        Timings (``chart_s``, ``search_s``, ``visibility_s``) and, when a chart was used,
        ``chart_nodes`` (turn points of the outline), ``expanded``, ``checked``.
    """

    lonlat: np.ndarray | None
    length_m: float
    reason: str
    stats: dict = field(default_factory=dict, compare=False)

    @property
    def found(self) -> bool:
        """Whether a route was found."""
        return self.reason == FOUND


def _disc(gno: geodesy.Gnomonic, lon: float, lat: float, radius_m: float) -> shapely.Polygon:
    az = np.linspace(0.0, 360.0, 73)[:-1]
    lo, la, _ = geodesy.GEOD.fwd(np.full(az.shape, lon), np.full(az.shape, lat), az, np.full(az.shape, radius_m))
    return shapely.Polygon(gno.forward(np.column_stack([lo, la])))


def point_inside(obstacles: Obstacles, lonlat: np.ndarray) -> bool:
    """Whether a (lon, lat) point lies inside (or on) a piece of the obstacles."""
    xyz = geodesy.to_xyz(lonlat[0], lonlat[1])
    for j in obstacles.near(xyz[None, :], 0.0):
        gno, poly = obstacles.piece_frame(int(j))
        x, y = gno.forward_xyz(xyz)
        if shapely.intersects_xy(poly, x, y):
            return True
    return False


MAX_CHARTS = 64
"""Charts a process keeps (the least recently used go first)."""
_CHARTS: OrderedDict[tuple, Chart] = OrderedDict()
_COUNTS = {"built": 0, "imported": 0}


def _key(obstacles: Obstacles, lon0: float, lat0: float, band: BandRule | None = None, waived: tuple = ()) -> tuple:
    """A chart's key in `_CHARTS` (without zones the band plays no part: one chart for any band)."""
    return (obstacles, lon0, lat0, band if waived else None, waived)


def _chart(obstacles: Obstacles, lon0: float, lat0: float, band: BandRule | None, waived: tuple) -> Chart:
    """The chart of every piece within the horizon of (lon0, lat0), with the band rule's zones
    cut out round ``waived`` endpoints (kept: the last `MAX_CHARTS`)."""
    key = _key(obstacles, lon0, lat0, band, waived)
    chart = _CHARTS.get(key)
    if chart is None:
        chart = _build(obstacles, lon0, lat0, band, waived)
        _keep(key, chart)
        _COUNTS["built"] += 1
    else:
        _CHARTS.move_to_end(key)
    return chart


def query_chart(obstacles: Obstacles, start: np.ndarray, goal: np.ndarray) -> Chart:
    """The chart a query from ``start`` to ``goal`` ((lon, lat) each) is solved on, without the
    band rule's zones (built or reused as `solve` does; for the minimum-time search)."""
    return _chart(obstacles, *chart_center(start, goal), None, ())


def _keep(key: tuple, chart: Chart) -> None:
    _CHARTS[key] = chart
    if len(_CHARTS) > MAX_CHARTS:
        _CHARTS.popitem(last=False)


def _build(obstacles: Obstacles, lon0: float, lat0: float, band: BandRule | None, waived: tuple) -> Chart:
    proj = projector_for(obstacles, lon0, lat0)
    geometry = proj.merged(proj.horizon())
    if waived:
        gno, zones = proj.gno, []
        for lon, lat in waived:
            zone = _disc(gno, lon, lat, band.radius_m)
            xyz = geodesy.to_xyz(lon, lat)[None, :]
            bare = band.bare()
            bare_ids = bare.near(xyz, band.radius_m / EARTH_RADIUS_M * ELLIPSOID_PAD)
            bare_ids = bare_ids[np.isin(bare_ids, projector_for(bare, lon0, lat0).horizon())]
            if len(bare_ids):
                zone = zone.difference(projector_for(bare, lon0, lat0).merged(bare_ids))
            zones.append(zone.union(_disc(gno, lon, lat, band.near_m)))
        geometry = shapely.make_valid(geometry.difference(shapely.union_all(zones)))
    return Chart(proj.gno, geometry)


def export_chart(obstacles: Obstacles, center: tuple[float, float]) -> bytes | None:
    """This process's chart of ``obstacles`` centred at ``center`` (`chart.chart_key`), with its
    outline, graphs and verdicts, as bytes for `import_chart` in another process; None if this
    process does not hold it.

    Parameters
    ----------
    obstacles : Obstacles
        The obstacles the chart was built from.
    center : tuple of float
        (lon0, lat0) of the chart, as `chart.chart_key` gives it.

    Returns
    -------
    bytes or None
        A pickle (the same trust as any Dask task argument: only between processes of one job).
    """
    chart = _CHARTS.get(_key(obstacles, *center))
    if chart is None:
        return None
    return pickle.dumps((obstacles.n_pieces, chart), protocol=pickle.HIGHEST_PROTOCOL)


def import_chart(obstacles: Obstacles, center: tuple[float, float], data: bytes) -> bool:
    """Keep a chart from `export_chart` of another process (``center`` and ``data``) as this
    process's chart of ``obstacles`` (the same obstacles there: the same scenario and margin),
    unless it holds that chart already (then ``data`` is not even read).

    Returns
    -------
    bool
        Whether it was imported (False: this process already held that chart).

    Raises
    ------
    ValueError
        If ``data`` is not an exported chart of obstacles with as many pieces.
    """
    key = _key(obstacles, *center)
    if key in _CHARTS:
        return False
    try:
        n_pieces, chart = pickle.loads(data)
    except Exception as exc:
        raise ValueError(f"not an exported chart: {type(exc).__name__}: {exc}") from exc
    if not isinstance(chart, Chart) or n_pieces != obstacles.n_pieces:
        raise ValueError(f"not an exported chart of these obstacles ({n_pieces} pieces, not {obstacles.n_pieces})")
    _keep(key, chart)
    _COUNTS["imported"] += 1
    return True


def holds_chart(obstacles: Obstacles, center: tuple[float, float]) -> bool:
    """Whether this process holds the chart of ``obstacles`` centred at ``center`` (`chart.chart_key`),
    the one `export_chart` would give."""
    return _key(obstacles, *center) in _CHARTS


def chart_counts() -> dict[str, int]:
    """Charts this process has built and imported since it started (or `clear_caches`), and
    holds now."""
    return {**_COUNTS, "held": len(_CHARTS)}


def solve(
    start: np.ndarray,
    goal: np.ndarray,
    obstacles: Obstacles,
    *,
    band: BandRule | None = None,
    max_seconds: float | None = None,
) -> Solution:
    """Shortest WGS84 path from ``start`` to ``goal`` avoiding prepared obstacles.

    Parameters
    ----------
    start, goal : ndarray
        (lon, lat) degrees.
    obstacles : Obstacles
        From `prepare_obstacles` (the margin is already in them).
    band : BandRule, optional
        How an endpoint inside the margin band may leave it; without it such an endpoint
        gives `ENDPOINT_BLOCKED`.
    max_seconds : float, optional
        Time budget; when it runs out the result is `OUT_OF_TIME` (never a hang).

    Returns
    -------
    Solution
        The path and its length, or the reason there is none.
    """
    t0 = time.perf_counter()
    deadline = t0 + max_seconds if max_seconds is not None else float("inf")
    start, goal = np.asarray(start, float), np.asarray(goal, float)
    stats: dict = {"chart_s": 0.0, "search_s": 0.0, "visibility_s": 0.0}
    geodesic_m = float(geodesy.distance_m(start[0], start[1], goal[0], goal[1]))
    if legs_clear(obstacles, start, goal):
        stats["search_s"] = time.perf_counter() - t0
        return Solution(np.vstack([start, goal]), geodesic_m, FOUND, stats)
    lon0, lat0 = chart_center(start, goal)
    gno = geodesy.Gnomonic(lon0=lon0, lat0=lat0)
    ends_xyz = geodesy.to_xyz(np.array([start[0], goal[0]]), np.array([start[1], goal[1]]))
    if (ends_xyz @ gno.center < np.cos(np.radians(NODE_ANGLE_DEG + 5))).any():
        return Solution(None, float("nan"), ANTIPODAL, stats)
    waived = ()
    if band is not None:
        waived = tuple((float(p[0]), float(p[1])) for p in (start, goal) if point_inside(obstacles, p))
    try:
        chart, graph, reason = _chart_and_graph(obstacles, (start, goal), (lon0, lat0), band, waived, stats)
        if graph is None:
            return Solution(None, float("nan"), reason, stats)
        if time.perf_counter() > deadline:
            raise BudgetExceededError
        path = _search(chart, graph, (start, goal), deadline, waived, stats)
    except BudgetExceededError:
        stats["seconds"] = time.perf_counter() - t0
        return Solution(None, float("nan"), OUT_OF_TIME, stats)
    if path is None:
        return Solution(None, float("nan"), NO_ROUTE, stats)
    stats["expanded"], stats["checked"] = path.expanded, path.checked
    if not _path_clear(chart, obstacles, path.lonlat, waived):
        return Solution(None, float("nan"), UNVERIFIED, stats)
    return Solution(path.lonlat, path.length_m, FOUND, stats)


def _chart_and_graph(
    obstacles: Obstacles,
    ends: tuple[np.ndarray, np.ndarray],
    center: tuple[float, float],
    band: BandRule | None,
    waived: tuple,
    stats: dict,
) -> tuple[Chart, Graph | None, str]:
    """The query's chart and graph (``chart_s`` and ``chart_nodes`` into ``stats``) and `FOUND`;
    or the chart, None and `ENDPOINT_BLOCKED` or `ENCLOSED` if the chart shows there is no route."""
    t = time.perf_counter()
    chart = _chart(obstacles, *center, band, waived)
    if chart.inside(np.vstack(ends)).any():
        return chart, None, ENDPOINT_BLOCKED
    if chart.enclosed(*ends):
        return chart, None, ENCLOSED
    graph = graph_for(chart, *ends)
    stats["chart_s"] = time.perf_counter() - t
    stats["chart_nodes"] = graph.n_nodes
    return chart, graph, FOUND


def _search(
    chart: Chart, graph: Graph, ends: tuple[np.ndarray, np.ndarray], deadline: float, waived: tuple, stats: dict
) -> Path | None:
    """A* on the query's graph (``search_s`` and ``visibility_s`` into ``stats``)."""
    t, vis0 = time.perf_counter(), chart.visibility_s
    path = shortest_path(graph, *ends, deadline, direct_blocked=not waived)
    stats["visibility_s"] = chart.visibility_s - vis0
    stats["search_s"] = time.perf_counter() - t - stats["visibility_s"]
    return path


MAX_CLEARED_LEGS = 200_000
"""Cleared path legs kept per chart (`Chart.cleared_legs`) before the set starts afresh."""


def _path_clear(chart: Chart, obstacles: Obstacles, lonlat: np.ndarray, waived: tuple) -> bool:
    """Whether a path's legs pass the chart-free test `path_clear` (legs from or to an endpoint
    under the band rule are left out: they may cross the margin band by design). Legs that
    passed on this chart before (`Chart.cleared_legs`) are not tested again; runs of consecutive
    untested legs are tested as one polyline."""
    points = lonlat.tolist()
    keys = [(*points[i], *points[i + 1]) for i in range(len(points) - 1)]
    ends = {tuple(p) for p in waived}
    todo = np.array([k not in chart.cleared_legs and not {k[:2], k[2:]} & ends for k in keys], dtype=bool)
    edges = np.flatnonzero(np.diff(np.r_[0, todo.astype(np.int8), 0]))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if not path_clear(obstacles, lonlat[a : b + 1], CHECK_TOLERANCE_M):
            return False
        if len(chart.cleared_legs) > MAX_CLEARED_LEGS:
            chart.cleared_legs.clear()
        chart.cleared_legs.update(keys[a:b])
    return True


def clear_caches() -> None:
    """Forget the engine's charts and projections (for tests and cold-start benchmarks)."""
    _CHARTS.clear()
    _COUNTS.update(built=0, imported=0)
    projector_for.cache_clear()
