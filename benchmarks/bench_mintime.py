"""Minimum-time route timings and savings on this machine (printed, never asserted).

    .venv/bin/python benchmarks/bench_mintime.py [--month 1]

Wind: the packaged 200 hPa climatology of the month (`routes.analysis.climatology.climatology`) when
this build has it, otherwise a synthetic high-latitude jet (said so in the output). The search is the
engine's (`routes.engine.solve_time`, which starts from `routes.engine.solve`). Figures:

* cold: a minimum-time route in a fresh process (imports, airspace, obstacles, chart, wind);
* cold caches in a warm process (engine caches and the wind cleared);
* warm: the same query again (median of 5), and new airport pairs on a warm scenario;
* savings: block time of the shortest and of the minimum-time route in the same wind, both
  directions, Europe closed and Europe + Canada closed, with `verify_route` on each ("search s":
  the whole query, the shortest and the minimum-time searches).

The machine's 2 cores are shared with other jobs while this runs: read figures as upper bounds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np

PAIRS = [("SVO", "LAX"), ("LAX", "SVO")]
SCENARIOS = ["europe-closed", "europe-canada-closed"]
MS_TO_KT = 3600.0 / 1852.0


@dataclass(frozen=True)
class SyntheticJet:
    """Fallback wind when the climatology is not in this build: a 60 m/s westerly jet at 60N."""

    label: str = "synthetic jet (60 m/s at 60N)"

    def ground_speed_kt(self, lonlat, course_deg, tas_kt, alt_ft):
        lat = np.asarray(lonlat)[:, 1]
        u = 60.0 * np.exp(-(((lat - 60.0) / 8.0) ** 2)) * MS_TO_KT
        az = np.radians(course_deg)
        along, cross = u * np.sin(az), u * np.cos(az)
        return np.sqrt(np.maximum(tas_kt**2 - cross**2, 0.0)) + along


def get_wind(month: int):
    try:
        from routes.analysis.climatology import climatology
    except ImportError:
        return SyntheticJet()
    return climatology(month)


COLD = """
import time, sys
t, c = time.perf_counter(), time.process_time()
import routes
sys.path.insert(0, "benchmarks")
from bench_mintime import get_wind
r = routes.route("SVO", "LAX", "europe-canada-closed", objective="time", wind=get_wind({month}))
print(f"{{time.perf_counter() - t:.2f}} s wall, {{time.process_time() - c:.2f}} s CPU")
"""


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t, out


def cpu(fn, *args, **kwargs) -> float:
    """CPU seconds of this process (less sensitive to other jobs on the cores than wall time)."""
    t = time.process_time()
    fn(*args, **kwargs)
    return time.process_time() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--month", type=int, default=1)
    month = parser.parse_args().month

    import routes
    from routes.engine.solve import clear_caches
    from routes.inputs.closures import closed_airspace
    from routes.scenario_obstacles import clear_caches as clear_obstacles

    fresh = subprocess.run([sys.executable, "-c", COLD.format(month=month)], capture_output=True, text=True, check=True)
    print(f"cold, fresh process (imports + data + obstacles + chart + wind): {fresh.stdout.strip()}")

    wind = get_wind(month)
    print(f"wind: {wind.label}")
    clear_caches()
    clear_obstacles()
    closed_airspace.cache_clear()
    cold, _ = timed(routes.route, "SVO", "LAX", "europe-canada-closed", objective="time", wind=get_wind(month))
    print(f"cold caches, warm process: {cold:.2f} s")
    warm = [timed(routes.route, "SVO", "LAX", "europe-canada-closed", objective="time", wind=wind)[0] for _ in range(5)]
    print(f"warm, same query: median {statistics.median(warm):.2f} s (min {min(warm):.2f}, max {max(warm):.2f})")
    c = [cpu(routes.route, "SVO", "LAX", "europe-canada-closed", objective="time", wind=wind) for _ in range(3)]
    print(f"warm, same query: median {statistics.median(c):.2f} s CPU")
    new = [
        timed(routes.route, o, d, "europe-canada-closed", objective="time", wind=wind)[0]
        for o, d in [("DME", "SFO"), ("SVO", "SEA"), ("VKO", "PDX"), ("SEA", "SVO")]
    ]
    print(f"warm scenario, new pairs: median {statistics.median(new):.2f} s (max {max(new):.2f})")

    print()
    head = f"{'pair':<9} {'scenario':<21} {'shortest':>9} {'min-time':>9} {'saving':>7} {'extra km':>9}"
    print(head + " verify  search s")
    for scenario in SCENARIOS:
        for o, d in PAIRS:
            fast = routes.route(o, d, scenario, objective="time", wind=wind)
            short = routes.route(o, d, scenario)
            st = fast.stats
            ok = routes.verify_route(fast).ok
            print(
                f"{o}-{d:<5} {scenario:<21} {st['shortest_time_min']:9.1f} {st['time_min']:9.1f} "
                f"{st['saving_min']:7.1f} {fast.distance_km - short.distance_km:9.0f} {ok!s:<7} {st['seconds']:.2f}"
            )
    print("(block times in minutes, B777-300ER, same wind for both routes)")


if __name__ == "__main__":
    main()
