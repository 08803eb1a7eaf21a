"""Start-up times: `import routes`, the route command, and the first route in a fresh process.

Run with ``python benchmarks/bench_startup.py [--runs 5] [--wheel]``. ``--wheel`` builds the wheel of
this checkout and times the command from it (installed with ``pip install --no-deps --target``, first
on the path), not from the editable install. Every figure is the median wall time
of ``--runs`` fresh processes, with a disk cache folder of its own (a temporary folder, warmed by
one run first; "cold" runs get an empty folder each). The machine's load average is printed with
the figures: on a shared machine they scale with it.

Targets (issue 27): ``import routes`` <= 0.3 s, ``routes route SVO LAX -s europe-closed``
<= 1.0 s, the first route of a built-in scenario in a fresh process with a warm disk cache
<= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_ROUTE = (
    "import time, routes\n"
    "t = time.perf_counter()\n"
    "r = routes.route('SVO', 'LAX', 'europe-closed')\n"
    "print(time.perf_counter() - t, r.distance_km)\n"
)
IMPORT_AND_ROUTE = "import routes; routes.route('SVO', 'LAX', 'europe-closed')"


def _wall(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - t, out


def _median(cmd: list[str], env: dict[str, str], runs: int, cold: bool = False) -> float:
    times = []
    for _ in range(runs):
        if cold:
            shutil.rmtree(env["POLAR_ROUTES_CACHE_DIR"], ignore_errors=True)
        times.append(_wall(cmd, env)[0])
    return statistics.median(times)


def _first_route(env: dict[str, str], runs: int, cold: bool) -> tuple[float, float]:
    """Median seconds of the first `routes.route` in a fresh process (after its imports), and the
    distance it found."""
    times, km = [], float("nan")
    for _ in range(runs):
        if cold:
            shutil.rmtree(env["POLAR_ROUTES_CACHE_DIR"], ignore_errors=True)
        out = _wall([sys.executable, "-c", FIRST_ROUTE], env)[1].split()
        times.append(float(out[0]))
        km = float(out[1])
    return statistics.median(times), km


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("routes")
    return [str(script)] if script.exists() else [sys.executable, "-m", "routes"]


def _wheel_cli(folder: str, env: dict[str, str]) -> list[str]:
    """The command from a wheel of this checkout, installed into ``folder`` (put first on PYTHONPATH)."""
    root = Path(__file__).resolve().parents[1]
    built, target = Path(folder) / "wheel", Path(folder) / "site"
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(built), str(root)], check=True)
    wheel = next(built.glob("*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    env["PYTHONPATH"] = str(target)
    return [sys.executable, "-c", "from routes.cli import main; main()"]


def _cpu_median(cmd: list[str], env: dict[str, str], runs: int) -> float:
    """Median CPU seconds (user + system) of ``cmd``: less sensitive than wall time to other jobs."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--wheel", action="store_true", help="time the command from a wheel of this checkout")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="polar-routes-bench-")
    env = {**os.environ, "POLAR_ROUTES_CACHE_DIR": folder}
    env.pop("POLAR_ROUTES_NO_CACHE", None)
    try:
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        imp = _median([sys.executable, "-c", "import routes"], env, args.runs)
        print(f"import routes                        {imp:7.3f} s")
        ref = _median([sys.executable, "-c", "import numpy, shapely, pyproj"], env, args.runs)
        print(f"  (reference: import numpy, shapely, pyproj {ref:.3f} s: what any route needs)")
        cold, km = _first_route(env, args.runs, cold=True)
        print(f"first route, cold disk cache         {cold * 1000:7.0f} ms  (SVO-LAX europe-closed {km:,.1f} km)")
        _wall([sys.executable, "-c", IMPORT_AND_ROUTE], env)  # warms the disk cache
        warm, km = _first_route(env, args.runs, cold=False)
        print(f"first route, warm disk cache         {warm * 1000:7.0f} ms  (SVO-LAX europe-closed {km:,.1f} km)")
        both = _median([sys.executable, "-c", IMPORT_AND_ROUTE], env, args.runs)
        print(f"import routes + routes.route, warm   {both:7.3f} s")
        cli_env = dict(env)
        command = _wheel_cli(folder, cli_env) if args.wheel else _cli()
        cli = [*command, "route", "SVO", "LAX", "-s", "europe-closed"]
        where = "from the wheel" if args.wheel else "from this checkout's install"
        _wall(cli, cli_env)  # warms what the command adds (estimates, winds, costs)
        wall = _median(cli, cli_env, args.runs)
        print(f"routes route SVO LAX -s europe-closed {wall:6.3f} s  (warm disk cache, {where})")
        print(f"  the same, CPU time (user + system)  {_cpu_median(cli, cli_env, args.runs):6.3f} s")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
