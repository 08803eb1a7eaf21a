"""OpenAP without its package-wide imports: an estimate loads no scipy.signal, and the rest of OpenAP
still works, with the same classes. Each case runs in a fresh interpreter (it is about sys.modules)."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_an_estimate_imports_no_scipy_signal():
    out = _run(
        "import sys, routes\n"
        "assert 'openap' not in sys.modules and 'pandas' not in sys.modules and 'geopandas' not in sys.modules\n"
        "e = routes.estimate(routes.geodesic_route('SVO', 'LAX'), 'B77W')\n"
        "print(round(e.block_time_min), 'scipy.signal' in sys.modules, 'scipy.stats' in sys.modules)"
    )
    block_min, signal, stats = out.split()
    assert int(block_min) == 688  # 11 h 28, as the route command prints it
    assert (signal, stats) == ("False", "False")


def test_the_rest_of_openap_still_works():
    # one interpreter for all cases (the full OpenAP import costs ~1 s): each line prints one answer
    out = _run(
        "from routes.inputs import openap_lite\n"
        "openap_lite.install()\n"
        "from openap import FuelFlow\n"
        "import openap, openap.fuel\n"
        "print(FuelFlow is openap.fuel.FuelFlow, 'Drag' in vars(openap))\n"
        "ns = {}\n"
        "exec('from openap import *', ns)\n"  # reads __all__: the real __init__ runs
        "print(ns['Drag'].__module__, ns['FuelFlow'] is FuelFlow)\n"
        "print(openap.FlightPhase.__module__, openap.FuelFlow is FuelFlow)"
    )
    assert out.splitlines() == ["True False", "openap.drag True", "openap.phase True"]


def test_nothing_changes_when_openap_is_imported_first():
    assert _run("import openap, sys\nfrom routes.inputs import openap_lite\nopenap_lite.install()\n"
                "print(type(sys.modules['openap']).__name__)") == "module"  # fmt: skip
