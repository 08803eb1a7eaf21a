"""Long property-test soak (issue 11): every hypothesis property with many examples, figures printed.

    .venv/bin/python benchmarks/soak.py [--examples 1000] [--extreme-examples 200]

Runs, in one pytest process each:

* ``tests/engine/test_properties.py``: routes around random boxes avoid them and are never shorter than the
  geodesic, reversal keeps the length, adding an obstacle or margin never shortens a route, real-data
  routes pass `verify_route`;
* ``tests/test_hostile.py -k fuzz``: random bad input to the public functions lets nothing but a
  `RoutesError` escape and prints no `RuntimeWarning`;
* ``tests/test_hostile_schemas.py -k fuzz``: random junk in every user file format (scenario TOML, cost
  overrides and files, pairs tables and files, wind datasets) and in ``explore`` lets nothing but a
  `RoutesError` escape;
* ``tests/engine/test_geometry_extremes.py``: hemispheres, polar caps, antimeridian boxes, world corridors
  (each example builds its own obstacles, so it gets its own, smaller count);
* ``tests/engine/test_outline.py -k property``: routes on the engine's outline (bays filled) have the length
  of those found on every corner of the chart.

and prints, per property, the examples hypothesis ran and its verdict, then the wall time.
The CI suite runs the same properties with 20-60 examples (30 in tests/engine/test_properties.py;
1 for the geometry extremes).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = [
    ("properties", ["tests/engine/test_properties.py"]),
    ("hostile fuzz", ["tests/test_hostile.py", "-k", "fuzz"]),
    ("schema fuzz", ["tests/test_hostile_schemas.py", "-k", "fuzz"]),
    ("geometry extremes", ["tests/engine/test_geometry_extremes.py"]),
    ("outline", ["tests/engine/test_outline.py", "-k", "property"]),
    ("state lookup", ["tests/analysis/test_overflight.py", "-k", "property"]),
]
STAT = re.compile(r"^(tests/\S+::\S+):\s*$")
PASSING = re.compile(r"(\d+) passing, (\d+) failing, and (\d+) invalid")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--extreme-examples", type=int, default=200)
    args = parser.parse_args()
    env = {
        **os.environ,
        "POLAR_ROUTES_EXAMPLES": str(args.examples),
        "POLAR_ROUTES_EXTREME_EXAMPLES": str(args.extreme_examples),
        "PYTHONPATH": str(ROOT / "src"),
    }
    failed = 0
    for label, target in RUNS:
        t = time.perf_counter()
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics", *target]
        out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t
        print(f"== {label}: {seconds:.0f} s, exit code {out.returncode}")
        test, counts = None, {}
        for line in out.stdout.splitlines():
            m = STAT.match(line.strip())
            if m:
                test = m.group(1)
            m = PASSING.search(line)
            if m and test:
                ok, bad, invalid = map(int, m.groups())
                prev = counts.get(test, (0, 0, 0))
                counts[test] = (prev[0] + ok, prev[1] + bad, prev[2] + invalid)
        for test, (ok, bad, invalid) in counts.items():
            print(f"   {test.split('::')[-1]:<72} {ok:>6} passing {bad:>3} failing {invalid:>5} invalid")
        summary = [line for line in out.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
        print("   " + (summary[-1] if summary else out.stdout[-500:]))
        if out.returncode:
            failed += 1
            print("\n".join(line for line in out.stdout.splitlines() if line.startswith(("FAILED", "E "))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
