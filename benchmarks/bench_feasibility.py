"""Feasibility timings (printed, never asserted).

    .venv/bin/python benchmarks/bench_feasibility.py

- a maximum-payload figure beyond one estimate (targets <= 50 ms): the estimate of the route, then
  `max_payload` on the same route, for three types whose payload is limited by MZFW, MTOW and fuel capacity;
- a payload-range diagram;
- a stop suggestion over the candidate airports of one pair (targets <= 5 s cold, <= 1 s warm): cold is a
  fresh process with an empty disk cache folder of its own and only the non-stop route prepared beforehand
  (OpenAP loaded); "fresh, disk warm" the same in a second fresh process over the folder the first one filled
  (charts and routed legs on disk); warm is the same call again in the first process. Two pairs: SVO-LAX
  Il-96-300 (europe-canada-closed, the non-stop is out of range) and DEL-ORD B777-300ER with Pakistan,
  Afghanistan and China closed (stops asked for).

The machine's load average is printed: the figures scale with it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

STOPS_CODE = """
import time, routes
from routes.inputs.scenarios import Scenario, get_scenario
from routes.stops import StopSearch, suggest_stops
from routes.analysis.performance import estimate
case = {case!r}
if case == "svo-lax":
    args = ("SVO", "LAX", get_scenario("europe-canada-closed"), "IL96")
    kw = {{}}
else:
    args = ("DEL", "ORD", Scenario.build("ai-2025", closed_states=["PAK", "AFG", "CHN"]), "B77W")
    kw = {{"search": StopSearch(always=True)}}
estimate(routes.route(*args[:3]), args[3])  # the non-stop: scenario prepared, OpenAP loaded
t = time.perf_counter(); s = suggest_stops(*args, **kw); cold = time.perf_counter() - t
t = time.perf_counter(); suggest_stops(*args, **kw); warm = time.perf_counter() - t
print(f"{{cold:.2f}} {{warm:.2f}} {{s.candidates}} {{s.routed}} " + "/".join("-".join(o.stops) for o in s.options))
"""


def _ms(f, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000.0


def payload_timings() -> None:
    import routes
    from routes.analysis.payload import max_payload, payload_range
    from routes.analysis.performance import estimate

    r = routes.route("SVO", "LAX", "europe-canada-closed")
    print("max payload beyond one estimate, SVO-LAX europe-canada-closed (median of 5, warm):")
    for ac in ("B77W", "A333", "B772"):
        estimate(r, ac)
        m = max_payload(r, ac)
        est_ms = _ms(lambda ac=ac: estimate(r, ac))
        pay_ms = _ms(lambda ac=ac: max_payload(r, ac))
        print(
            f"  {ac}: estimate {est_ms:6.1f} ms, max payload {pay_ms:6.1f} ms "
            f"({m.evaluations} fuel evaluations, {m.limit})"
        )
    ms = _ms(lambda: payload_range("B77W"), n=3)
    print(f"payload-range diagram B77W: {ms:.0f} ms")


def stop_timings() -> None:
    for case in ("svo-lax", "del-ord"):
        with tempfile.TemporaryDirectory(prefix="polar-routes-bench-") as folder:
            env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "src"), "POLAR_ROUTES_CACHE_DIR": folder}
            env.pop("POLAR_ROUTES_NO_CACHE", None)
            runs = [
                subprocess.run(
                    [sys.executable, "-c", STOPS_CODE.format(case=case)], capture_output=True, text=True, env=env,
                    check=True,
                ).stdout.split()
                for _ in range(2)
            ]  # fmt: skip
        (cold, warm, cands, routed, best), again = runs[0], runs[1][0]
        print(
            f"stop suggestion {case}: cold {cold} s, fresh process over a warm disk cache {again} s, warm {warm} s; "
            f"{cands} candidates, {routed} routed; best {best}"
        )


if __name__ == "__main__":
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    payload_timings()
    stop_timings()
