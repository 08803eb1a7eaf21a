"""Route-engine timings on this machine (printed, never asserted).

    .venv/bin/python benchmarks/bench_routes.py

Figures: cold first query of each scenario (obstacles and chart built, data already loaded),
warm query median (same pair again, and new pairs on a warm chart), the full grid of
4 Moscow airports x 10 US/Canada West Coast airports x 3 scenarios from cold caches, and the
process's peak resident memory.
"""

from __future__ import annotations

import resource
import statistics
import time

import routes
from routes.inputs import airspace
from routes.inputs.closures import closed_airspace
from routes.inputs.scenarios import get_scenario
from routes.scenario_obstacles import clear_caches

MOSCOW = ["SVO", "DME", "VKO", "ZIA"]
WEST = ["LAX", "SFO", "SEA", "PDX", "SAN", "SJC", "OAK", "SMF", "YVR", "YYJ"]
SCENARIOS = ["pre-2022", "europe-closed", "europe-canada-closed"]


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t, out


def main() -> None:
    t_load, _ = timed(lambda: (airspace.states("full"), airspace.states("routing")))
    print(f"load airspace layers: {t_load:.2f} s")
    for name in SCENARIOS[1:]:
        clear_caches()
        closed_airspace.cache_clear()
        cold, route = timed(routes.route, "SVO", "LAX", name)
        warm = [timed(routes.route, "SVO", "LAX", name)[0] for _ in range(20)]
        others = [timed(routes.route, o, d, name)[0] for o in MOSCOW for d in WEST[:4]]
        same, new = statistics.median(warm) * 1000, statistics.median(others) * 1000
        print(
            f"{name:22s} cold first query {cold * 1000:7.0f} ms | warm same pair median {same:5.1f} ms | "
            f"warm new pairs median {new:5.1f} ms (max {max(others) * 1000:.0f})"
            f" | nodes {route.stats.get('chart_nodes', 0)}"
        )
    clear_caches()
    closed_airspace.cache_clear()
    t_grid, _ = timed(lambda: [routes.route(o, d, s) for s in SCENARIOS for o in MOSCOW for d in WEST])
    n = len(MOSCOW) * len(WEST) * len(SCENARIOS)
    print(
        f"{len(MOSCOW)} Moscow x {len(WEST)} West Coast x {len(SCENARIOS)} scenarios = {n} routes, cold: {t_grid:.2f} s"
    )
    scn = get_scenario("europe-canada-closed")
    for margin in (0, 10, 50):
        clear_caches()
        cold, _ = timed(routes.route, "SVO", "SEA", scn, margin)
        print(f"europe-canada-closed margin {margin:3d} nm: cold {cold * 1000:.0f} ms")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
