"""Route-matrix throughput on Dask: routes/s/core (warm), 1 -> 2 worker scaling, peak memory per worker.

Usage::

    python benchmarks/bench_matrix.py [--case russia-americas|eu-asia] [--pairs 1000] [--workers 1,2]
                                      [--estimate-pairs 100] [--partition-size N] [--profile 60]

Pairs: ``--pairs`` real long-haul pairs drawn at random (seed 2026) from a region selection:

- ``russia-americas`` (default): OurAirports large airports of Russia x North and South America,
  geodesic 6,000-13,000 km, scenario ``europe-closed``.
- ``eu-asia``: Europe (continent EU, outside Russia and Belarus) x East Asia (CN, JP, KR, TW, HK,
  MO, MN), 6,000-12,000 km, scenario: an EU carrier's closure (Russia and Belarus closed): every
  route rounds Russia (30-70 ms of CPU each, warm or new charts; 38-133 s before the engine's outline).

Two rounds on one cluster. First, "charts cold": another ``--pairs`` pairs of the same selection
(disjoint from the measured ones) on workers that have only prepared the scenario's obstacles;
the engine builds each chart (and its outline) on first use. Then "warm", the figure the issue
asks for: the measured pairs on the same workers, whose charts exist but which have never seen
these pairs (the charts' corner-to-corner verdicts are reused; every airport edge, route and
overflight lookup is new). At network scale (100,000s of
routes on a few hundred charts) a worker spends almost all its time in that warm state. The
throughput runs are distance-only (the engine's route plus overflown states); a smaller run with
OpenAP block time/fuel, ETOPS and polar columns shows what the estimates add. Figures are
printed, not asserted; they depend on the machine's load (printed with them).

Each run also prints what explains its scaling: the CPU-seconds each worker got, the tasks each
ran, the CPU the client/scheduler used and the CPU other processes on the machine took meanwhile
(from psutil, a dependency of distributed), and "routes per worker CPU-second" (throughput if the
workers had had their cores to themselves). ``--profile N`` first splits the per-route time of N
pairs (spread over the selection, estimates and geometry on) by phase in this process, under
cProfile: routing, overflown states, OpenAP estimate, cost and charges, diversion, polar flags,
return flight, geometry, row building, Parquet writing.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter

import numpy as np
import psutil
from distributed import Client, get_task_stream

from routes.inputs.scenarios import Scenario, get_scenario
from routes.network.cluster import Cluster, local_cluster
from routes.network.job import matrix
from routes.network.pairs import Region, cross_pairs
from routes.network.plan import MatrixOptions
from routes.study import Study

CASES = {
    "russia-americas": (
        Region(countries=("RU",)), Region(continents=("NA", "SA")), 6000, 13000, get_scenario("europe-closed"),
    ),
    "eu-asia": (
        Region(continents=("EU",)), Region(countries=("CN", "JP", "KR", "TW", "HK", "MO", "MN")), 6000, 12000,
        Scenario.build("eu-carrier", closed_states=["RU", "BY"], description="EU carrier: Russia and Belarus closed"),
    ),
}  # fmt: skip
SCENARIO = CASES["russia-americas"][4]


def long_haul_pairs(n: int, case: str = "russia-americas") -> tuple[list, list, int]:
    """``n`` pairs drawn at random (seed 2026) from the selection, and up to ``n`` others (the
    warm-up pairs, disjoint from them); and the selection's size."""
    origins, destinations, min_km, max_km, _ = CASES[case]
    pairs = cross_pairs(origins, destinations, min_km, max_km)
    pairs = [p for p in pairs if case != "eu-asia" or p.origin.country not in ("RU", "BY")]
    order = np.random.default_rng(2026).permutation(len(pairs))
    return [pairs[i] for i in order[:n]], [pairs[i] for i in order[n : 2 * n]], len(pairs)


def _warm(scn: Scenario) -> None:
    from routes.scenario_obstacles import scenario_obstacles

    scenario_obstacles(scn, 0.0)


def _usage() -> tuple[float, float]:
    """This process's CPU seconds (user + system) and peak RSS (MB)."""
    import resource

    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime, u.ru_maxrss / 1024.0


def _charts_built() -> tuple[int, int]:
    """Engine charts this process has built and imported (copied from another worker) so far."""
    from routes import engine

    got = engine.chart_counts()
    return got["built"], got["imported"]


def _machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy (all processes, all cores) since boot."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)


def run(rounds: list[list], workers: int, estimates: bool, partition_size: int | None = None) -> list[dict]:
    """Run the matrix job on each list of pairs in turn, on one LocalCluster (the later rounds
    find the charts the earlier ones built in the workers); one figure dict per round."""
    with (
        local_cluster(workers) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        t0 = time.perf_counter()
        client.run(_warm, SCENARIO)
        warm_s = time.perf_counter() - t0
        return [_timed(client, pairs, workers, estimates, partition_size, warm_s) for pairs in rounds]


def _timed(client: Client, pairs: list, workers: int, estimates: bool, size: int | None, warm_s: float) -> dict:
    cpu0 = {w: u[0] for w, u in client.run(_usage).items()}
    charts0 = client.run(_charts_built)
    load0, busy0, own0 = os.getloadavg()[0], _machine_busy_s(), _usage()[0]
    with get_task_stream(client) as ts:
        options = MatrixOptions(estimates=estimates, partition_size=size)
        res = matrix(pairs, scenarios=[SCENARIO], study=Study("B789"), options=options, cluster=Cluster(client))
    busy1, load1, own1 = _machine_busy_s(), os.getloadavg()[0], _usage()[0]
    usage = client.run(_usage)
    charts = client.run(_charts_built)
    cpu = {w: usage[w][0] - cpu0[w] for w in usage}
    ours_ts = [t for t in ts.data if str(t["key"]).startswith("routes-matrix")]
    tasks = Counter(t["worker"] for t in ours_ts)
    busy = sum(ss["stop"] - ss["start"] for t in ours_ts for ss in t["startstops"] if ss["action"] == "compute")
    ours = sum(cpu.values())
    rate = res.n_rows / res.seconds
    return {
        "workers": workers,
        "routes": res.n_rows,
        "task_s": busy,
        "partitions": res.n_partitions,
        "seconds": res.seconds,
        "routes_per_s": rate,
        "per_core": rate / workers,
        "per_cpu_s": res.n_rows / ours if ours else float("nan"),
        "warm_s": warm_s,
        "peak_rss_mb": max(u[1] for u in usage.values()),
        "worker_cpu_s": sorted(cpu.values(), reverse=True),
        "tasks_per_worker": sorted(tasks.values(), reverse=True),
        "charts_built": sorted((charts[w][0] - charts0.get(w, (0, 0))[0] for w in charts), reverse=True),
        "charts_copied": sorted((charts[w][1] - charts0.get(w, (0, 0))[1] for w in charts), reverse=True),
        "client_cores": (own1 - own0) / res.seconds,
        "others_cores": max(busy1 - busy0 - ours - (own1 - own0), 0.0) / res.seconds,
        "ok": res.n_ok,
        "infeasible": res.n_infeasible,
        "errors": res.n_errors,
        "load": (load0, load1),
    }


def _line(label: str, r: dict) -> str:
    return (
        f"{label}, {r['workers']} worker(s): {r['routes']} routes ({r['partitions']} partitions) "
        f"in {r['seconds']:.1f} s = {r['routes_per_s']:.2f} routes/s ({r['per_core']:.2f} /s/core, "
        f"{1000 / r['per_core']:.0f} ms/route/core; "
        f"{r['per_cpu_s']:.2f} routes per worker CPU-second; tasks busy {r['task_s']:.0f} s); "
        f"obstacle preparation {r['warm_s']:.1f} s; "
        f"worker CPU {', '.join(f'{c:.0f}' for c in r['worker_cpu_s'])} s; tasks per worker "
        f"{', '.join(map(str, r['tasks_per_worker']))}; charts built per worker "
        f"{', '.join(map(str, r['charts_built']))}, copied {', '.join(map(str, r['charts_copied']))}; "
        f"client+scheduler used {r['client_cores']:.2f} cores, "
        f"other processes {r['others_cores']:.2f} cores; "
        f"peak RSS per worker {r['peak_rss_mb']:.0f} MB; {r['ok']} ok, {r['infeasible']} infeasible, "
        f"{r['errors']} errors; load {r['load'][0]:.1f}->{r['load'][1]:.1f}"
    )


PHASES = {
    "routing (engine)": "routes/routing.py:route",
    "overflown states": "analysis/overflight.py:overflight",
    "OpenAP estimate": "analysis/performance.py:estimate",
    "cost + charges": "analysis/cost.py:flight_cost",
    "diversion/ETOPS": "analysis/diversion.py:diversion",
    "polar flags": "analysis/polar.py:polar_flags",
    "geometry": "routes/result.py:geometry",
    "return flight (still air)": "analysis/seasonal.py:direction_table",
}
"""Phases of a matrix row and the function whose cumulative time is the phase (they do not nest)."""


def profile(pairs: list, estimates: bool, geometry: bool, size: int) -> None:
    """Per-phase split of `run_partition` in this process (warm: one partition first, untimed)."""
    import cProfile
    import pstats
    import tempfile
    from pathlib import Path

    from routes.network import store
    from routes.network.plan import plan_partitions
    from routes.network.work import JobContext, run_partition

    ctx = JobContext(
        {SCENARIO.name: SCENARIO}, ("B789",) if estimates else (), (None,), None, 0.0, None, 2500.0, 420.0, geometry
    )
    parts = plan_partitions(pairs, [SCENARIO.name], ("outbound",), 1, size)
    _warm(SCENARIO)
    run_partition(ctx, parts[0])  # imports, OpenAP tables, alternates: once per worker process
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    tables = [run_partition(ctx, p) for p in parts[1:]]
    prof.disable()
    total = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t1 = time.perf_counter()
        for i, table in enumerate(tables):
            store.write_partition(Path(tmp), i, table)
        write_s = time.perf_counter() - t1
    n = sum(len(p.tasks) for p in parts[1:])
    cum: dict[str, float] = {}
    for (path, _, name), (_, _, _, ct, _) in pstats.Stats(prof).stats.items():
        for phase, where in PHASES.items():
            file, func = where.split(":")
            if path.endswith(file) and name == func:
                cum[phase] = cum.get(phase, 0.0) + ct
    rest = total - sum(cum.values())
    print(f"per-phase split, in-process, warm, {n} routes ({'with' if estimates else 'no'} estimates, "
          f"geometry {'on' if geometry else 'off'}): {total / n * 1000:.0f} ms/route under cProfile")  # fmt: skip
    for phase, sec in [*cum.items(), ("rows, tables, dtypes (rest)", rest), ("Parquet write (client)", write_s)]:
        print(f"  {phase:30s} {sec / n * 1000:8.1f} ms/route  {100 * sec / total:5.1f} %")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=list(CASES), default="russia-americas")
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--estimate-pairs", type=int, default=100)
    ap.add_argument("--partition-size", type=int, default=None, help="routes per task (default: matrix's auto)")
    ap.add_argument("--profile", type=int, default=0, help="first split N routes by phase in this process")
    args = ap.parse_args()
    global SCENARIO
    SCENARIO = CASES[args.case][4]
    pairs, warmup, available = long_haul_pairs(args.pairs, args.case)
    km = sorted(p.geodesic_km for p in pairs)
    print(f"{len(pairs)} pairs (of {available} {args.case} large-airport pairs, {CASES[args.case][2]:,}-"
          f"{CASES[args.case][3]:,} km; "
          f"median geodesic {km[len(km) // 2]:,.0f} km); scenario {SCENARIO.name}; {os.cpu_count()} cores")  # fmt: skip
    if args.profile:
        from routes.network.plan import auto_partition_size

        sample = pairs[:: max(len(pairs) // args.profile, 1)][: args.profile]  # spread over the selection
        size = args.partition_size or auto_partition_size(len(pairs))
        profile(sample, estimates=True, geometry=True, size=size)
    print(f"warm-up pairs: {len(warmup)} others of the same selection (disjoint), run first on the same cluster")
    results = {}
    for n in [int(w) for w in args.workers.split(",") if w]:
        cold, warm = run([warmup, pairs], n, estimates=False, partition_size=args.partition_size)
        results[n] = warm
        print(_line("distance-only, charts cold (warm-up pairs)", cold), flush=True)
        print(_line("distance-only, warm", warm), flush=True)
    if 1 in results and 2 in results:
        print(f"scaling 1 -> 2 workers (warm): {results[2]['routes_per_s'] / results[1]['routes_per_s']:.2f}x")
    if args.estimate_pairs:
        n = max(results) if results else 1
        cold, warm = run([warmup[: args.estimate_pairs], pairs[: args.estimate_pairs]], n, True, args.partition_size)
        print(_line("with OpenAP estimates (B789), warm", warm), flush=True)
    if not results:
        return
    best = results[max(results)]
    s_per_route_core = 1 / best["per_core"]
    hours = 1e6 * s_per_route_core / 32 / 3600
    print(f"projection: 1,000,000 distance-only routes on 32 cores at {s_per_route_core * 1000:.0f} ms/route/core "
          f"= {hours:.1f} h (perfect scaling; add the measured scaling loss)")  # fmt: skip


if __name__ == "__main__":
    main()
