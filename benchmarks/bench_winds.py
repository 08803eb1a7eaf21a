"""Wind-aware mission report timings on this machine (printed, never asserted).

    .venv/bin/python benchmarks/bench_winds.py

Figures: loading the packaged climatology; one block time in a wind without fuel
(`block_times_min`) and with the full fuel model (`estimate`); the direction table of the mission
(4 West Coast cities x 4 scenarios x 2 directions x still air + January + July, and all 12 months);
and the whole mission report with winds (`write_report`, maps in PNG only), from cold caches in
a fresh process.
"""

from __future__ import annotations

import resource
import tempfile
import time

import numpy as np


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t, out


def cpu_timed(fn, *args, **kwargs) -> tuple[float, float, object]:
    """Wall and CPU seconds of this process (CPU time is less sensitive to other load on the machine)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t, time.process_time() - c, out


def main() -> None:
    t_import, _ = timed(lambda: __import__("routes.presentation.report"))
    print(f"import routes.presentation.report: {t_import:.2f} s")
    from routes.analysis.climatology import climatology
    from routes.analysis.performance import block_times_min, estimate
    from routes.comparison import compare, route_table
    from routes.presentation.report import write_report
    from routes.routing import route as find_route
    from routes.seasonal import ALL_MONTHS, direction_table
    from routes.study import Study

    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu, _ = cpu_timed(write_report, tmp, study=Study(periods=(1, 7)), formats=("png",))
    print(
        f"full mission report with winds (4 cities x 4 scenarios x 2 directions x Jan/Jul, CSV with 12 months, "
        f"PNG maps), cold: {wall:.1f} s wall, {cpu:.1f} s CPU"
    )
    wall, cpu, _ = cpu_timed(compare, study=Study(periods=(1, 7)))
    print(
        f"  of which the comparison table (routes warm, fuel model, both directions x Jan/Jul): {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU"
    )
    import routes.analysis.climatology as clim

    clim._load.cache_clear()
    clim._climatology.cache_clear()
    t_load, wind = timed(climatology, 1)
    print(f"load climatology (first period): {t_load * 1000:.0f} ms")
    pts = np.column_stack([np.random.default_rng(1).uniform(-180, 180, 100_000), np.linspace(-90, 90, 100_000)])
    t_pts, _ = timed(wind.wind_ms, pts)
    print(f"wind lookup, 100,000 points: {t_pts * 1000:.0f} ms")
    route = find_route("SVO", "LAX", "europe-canada-closed")
    block_times_min(route, [wind])
    fast = min(timed(block_times_min, route, [wind])[0] for _ in range(5))
    full = min(timed(estimate, route, "B77W", None, wind)[0] for _ in range(3))
    print(
        f"SVO-LAX europe-canada-closed, January: block time only {fast * 1000:.1f} ms, with fuel {full * 1000:.0f} ms"
    )

    t_routes, (_, routes) = timed(route_table)
    print(f"mission routes (4 cities x 4 scenarios), cold: {t_routes:.1f} s")
    t_two, two = timed(direction_table, routes, (1, 7))
    print(f"direction table, 2 directions x (still air, Jan, Jul): {t_two:.2f} s, {len(two)} rows")
    t_all, allm = timed(direction_table, routes, ALL_MONTHS)
    print(f"direction table, 2 directions x (still air + 12 months): {t_all:.2f} s, {len(allm)} rows")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
