"""The route engine: shortest and minimum-time WGS84 paths around prepared obstacles.

Knows nothing of scenarios, files, airports, winds or aircraft. Use it in two steps::

    from routes import engine
    obs = engine.prepare_obstacles([(polygon, buffer_m), ...], open_corridors=[(corridor, narrow_m)])
    sol = engine.solve(start_lonlat, goal_lonlat, obs, band=None, max_seconds=5.0)
    sol.found, sol.lonlat, sol.length_m, sol.reason
    fast = engine.solve_time(start_lonlat, goal_lonlat, obs, leg_time, band=None, max_seconds=5.0)
    fast.lonlat, fast.time_s, fast.shortest  # leg_time(a, b): seconds of each geodesic a[i] -> b[i]

`legs_clear` (each leg) and `path_clear` (a whole path) test geodesic legs against the same
obstacles without a chart. Caches (charts with their outlines, graphs and visibility verdicts;
projected pieces) live inside; `clear_caches` resets them, `export_chart` and `import_chart` copy
a warm chart to another process (or a file), `holds_chart` says whether one is held.

Modules, each importing only those before it: `obstacles` (pieces on the sphere, `legs_clear`),
`outline` (which corners a shortest route can touch), `chart` (a gnomonic chart of the pieces,
their convex corners and the visibility test), `graph` (the visibility graph on a chart's
corners), `search` (lazy A*), `solve` (the shortest-path entry point); for minimum time,
`clearance` (fast clearance tests of many legs), `lattice` (the search graph and Dijkstra) and
`fastest` (refinement and the entry point `solve_time`).
"""

from routes.engine.chart import chart_key, chart_keys
from routes.engine.fastest import TimedSolution, solve_time
from routes.engine.lattice import LegTime
from routes.engine.obstacles import (
    EXTRA_SEGMENT_DEG,
    Obstacles,
    legs_clear,
    path_clear,
    polyline_clear,
    prepare_obstacles,
)
from routes.engine.solve import (
    ANTIPODAL,
    ENCLOSED,
    ENDPOINT_BLOCKED,
    FOUND,
    NO_ROUTE,
    OUT_OF_TIME,
    UNVERIFIED,
    BandRule,
    Solution,
    chart_counts,
    clear_caches,
    export_chart,
    holds_chart,
    import_chart,
    point_inside,
    solve,
)

__all__ = [
    "ANTIPODAL",
    "ENCLOSED",
    "ENDPOINT_BLOCKED",
    "EXTRA_SEGMENT_DEG",
    "FOUND",
    "NO_ROUTE",
    "OUT_OF_TIME",
    "UNVERIFIED",
    "BandRule",
    "LegTime",
    "Obstacles",
    "Solution",
    "TimedSolution",
    "chart_counts",
    "chart_key",
    "chart_keys",
    "clear_caches",
    "export_chart",
    "holds_chart",
    "import_chart",
    "legs_clear",
    "path_clear",
    "point_inside",
    "polyline_clear",
    "prepare_obstacles",
    "solve",
    "solve_time",
]
