"""OpenAP without its package-wide imports: an estimate loads no scipy.signal, and the rest of OpenAP
still works, with the same classes. Each case runs in a fresh interpreter (it is about sys.modules)."""

from __future__ import annotations

import subprocess
import sys

import pytest


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


@pytest.mark.parametrize(
    "code, expected",
    [
        ("import openap; print(openap.FlightPhase.__module__)", "openap.phase"),
        ("from openap import *; print(Drag.__module__, FuelFlow.__module__)", "openap.drag openap.fuel"),
        ("from openap import FuelFlow; import openap.fuel; print(FuelFlow is openap.fuel.FuelFlow)", "True"),
        ("from openap import FuelFlow; import openap; print(openap.FuelFlow is FuelFlow)", "True"),
    ],
)
def test_the_rest_of_openap_still_works(code, expected):
    assert _run(f"from routes.inputs import openap_lite\nopenap_lite.install()\n{code}") == expected


def test_nothing_changes_when_openap_is_imported_first():
    assert _run("import openap, sys\nfrom routes.inputs import openap_lite\nopenap_lite.install()\n"
                "print(type(sys.modules['openap']).__name__)") == "module"  # fmt: skip
