"""Route-matrix throughput on Dask: routes/s/core (warm), 1 -> 2 worker scaling, peak memory per worker.

Usage::

    python benchmarks/bench_matrix.py [--case russia-americas|eu-asia] [--pairs 1000] [--workers 1,2]
                                      [--estimate-pairs 100]

Pairs, every k-th one of a region selection to get ``--pairs`` real long-haul pairs:

- ``russia-americas`` (default): OurAirports large airports of Russia x North and South America,
  geodesic 6,000-13,000 km, scenario ``europe-closed``.
- ``eu-asia``: Europe (continent EU, outside Russia and Belarus) x East Asia (CN, JP, KR, TW, HK,
  MO, MN), 6,000-12,000 km, scenario: an EU carrier's closure (Russia and Belarus closed). The
  engine currently needs tens of seconds per route round Russia, so this case is for after the
  engine work (issue 10).

"Warm":
every worker has prepared the scenario's obstacles before the clock starts (charts are built as
routes need them, as at scale). The throughput runs are distance-only (the engine's route plus
overflown states); a smaller run with OpenAP block time/fuel, ETOPS and polar columns shows
what the estimates add. Figures are printed, not asserted; they depend on the machine's load
(printed with them).
"""

from __future__ import annotations

import argparse
import logging
import os
import time

from distributed import Client, LocalCluster

from routes.inputs.scenarios import Scenario, get_scenario
from routes.network.job import matrix
from routes.network.pairs import Region, cross_pairs

CASES = {
    "russia-americas": (
        Region(countries=("RU",)), Region(continents=("NA", "SA")), 6000, 13000, get_scenario("europe-closed"),
    ),
    "eu-asia": (
        Region(continents=("EU",)), Region(countries=("CN", "JP", "KR", "TW", "HK", "MO", "MN")), 6000, 12000,
        Scenario.build("eu-carrier", closed=["RU", "BY"], description="EU carrier: Russia and Belarus closed"),
    ),
}  # fmt: skip
SCENARIO = CASES["russia-americas"][4]


def long_haul_pairs(n: int, case: str = "russia-americas") -> tuple[list, int]:
    origins, destinations, min_km, max_km, _ = CASES[case]
    pairs = cross_pairs(origins, destinations, min_km, max_km)
    pairs = [p for p in pairs if case != "eu-asia" or p.origin.country not in ("RU", "BY")]
    step = max(len(pairs) // n, 1)
    return pairs[::step][:n], len(pairs)


def _warm(scn: Scenario) -> None:
    from routes.engine.obstacles import prepare_obstacles

    prepare_obstacles(scn, 0.0)


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run(pairs: list, workers: int, estimates: bool) -> dict:
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        t0 = time.perf_counter()
        client.run(_warm, SCENARIO)
        warm_s = time.perf_counter() - t0
        load0 = os.getloadavg()[0]
        res = matrix(pairs, scenarios=[SCENARIO], aircraft=["B789"], estimates=estimates, client=client)
        rss = client.run(_peak_rss_mb)
        load1 = os.getloadavg()[0]
    rate = res.n_rows / res.seconds
    return {
        "workers": workers,
        "routes": res.n_rows,
        "seconds": res.seconds,
        "routes_per_s": rate,
        "per_core": rate / workers,
        "warm_s": warm_s,
        "peak_rss_mb": max(rss.values()),
        "ok": res.n_ok,
        "infeasible": res.n_infeasible,
        "errors": res.n_errors,
        "load": (load0, load1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=list(CASES), default="russia-americas")
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--estimate-pairs", type=int, default=100)
    args = ap.parse_args()
    global SCENARIO
    SCENARIO = CASES[args.case][4]
    pairs, available = long_haul_pairs(args.pairs, args.case)
    km = sorted(p.geodesic_km for p in pairs)
    print(f"{len(pairs)} pairs (of {available} {args.case} large-airport pairs, {CASES[args.case][2]:,}-"
          f"{CASES[args.case][3]:,} km; "
          f"median geodesic {km[len(km) // 2]:,.0f} km); scenario {SCENARIO.name}; {os.cpu_count()} cores")  # fmt: skip
    results = {}
    for n in [int(w) for w in args.workers.split(",")]:
        r = run(pairs, n, estimates=False)
        results[n] = r
        print(
            f"distance-only, {n} worker(s): {r['routes']} routes in {r['seconds']:.1f} s = {r['routes_per_s']:.1f} "
            f"routes/s ({r['per_core']:.1f} /s/core, {1000 / r['per_core']:.0f} ms/route/core); "
            f"obstacle preparation {r['warm_s']:.1f} s; peak RSS per worker {r['peak_rss_mb']:.0f} MB; "
            f"{r['ok']} ok, {r['infeasible']} infeasible, {r['errors']} errors; "
            f"load {r['load'][0]:.1f}->{r['load'][1]:.1f}"
        )  # fmt: skip
    if 1 in results and 2 in results:
        print(f"scaling 1 -> 2 workers: {results[2]['routes_per_s'] / results[1]['routes_per_s']:.2f}x")
    if args.estimate_pairs:
        n = max(results) if results else 1
        r = run(pairs[: args.estimate_pairs], n, estimates=True)
        print(
            f"with OpenAP estimates (B789), {n} worker(s): {r['routes']} rows in {r['seconds']:.1f} s = "
            f"{r['per_core']:.1f} /s/core ({1000 / r['per_core']:.0f} ms/route/core); "
            f"peak RSS {r['peak_rss_mb']:.0f} MB"
        )  # fmt: skip
    best = results[max(results)]
    s_per_route_core = 1 / best["per_core"]
    hours = 1e6 * s_per_route_core / 32 / 3600
    print(f"projection: 1,000,000 distance-only routes on 32 cores at {s_per_route_core * 1000:.0f} ms/route/core "
          f"= {hours:.1f} h (perfect scaling; add the measured scaling loss)")  # fmt: skip


if __name__ == "__main__":
    main()
