"""Route-matrix throughput on fresh workers whose charts are on disk: no chart built in the job.

Usage::

    python benchmarks/bench_matrix_disk.py [--case russia-americas|eu-asia] [--pairs 300] [--workers 2]

Two clusters, one after the other, sharing a disk cache folder (a temporary one, as the user's
cache folder would be shared): the first runs ``--pairs`` warm-up pairs (`bench_matrix`'s disjoint
set) and builds the charts, writing each to disk; it is then shut down. The second cluster starts
with new worker processes, which hold nothing in memory, and runs the measured pairs: every
chart they share with the warm-up pairs is read from the disk cache
(`routes.scenario_obstacles.disk_chart`); with ``--same-pairs`` they rerun the warm-up pairs, so
every chart is on disk and none is built. The
figures (routes/s/core, charts built and read per worker, the machine's load) are printed with
`bench_matrix`'s line; the second is the one the issue asks about (>= 50 routes/s/core with no
chart built in the job, against ~16-20 when every chart is cold).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile

import bench_matrix


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=list(bench_matrix.CASES), default="russia-americas")
    ap.add_argument("--pairs", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--same-pairs",
        action="store_true",
        help="the second cluster reruns the first one's pairs (every chart on disk)",
    )
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="polar-routes-bench-")
    os.environ["POLAR_ROUTES_CACHE_DIR"] = folder  # inherited by the worker processes
    os.environ.pop("POLAR_ROUTES_NO_CACHE", None)
    bench_matrix.SCENARIO = bench_matrix.CASES[args.case][4]
    pairs, warmup, _ = bench_matrix.long_haul_pairs(args.pairs, args.case)
    try:
        (cold,) = bench_matrix.run([warmup], args.workers, estimates=False)
        print(bench_matrix._line("distance-only, charts cold (warm-up pairs, first cluster)", cold), flush=True)
        files = len(os.listdir(os.path.join(folder, "charts")))
        print(f"{files} charts on disk after the first cluster")
        (warm,) = bench_matrix.run([warmup if args.same_pairs else pairs], args.workers, estimates=False)
        print(bench_matrix._line("distance-only, new workers, charts read from disk", warm), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
