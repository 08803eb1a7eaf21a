"""OpenAP's climb and descent profiles, bounded: the one place that runs OpenAP's `FlightGenerator`.

OpenAP's generator loops until the profile lands; at a cruise Mach below the type's climb and descent
speeds (CAS) even at sea level, its descent never does (the loop runs for minutes and fills memory).
`lowest_mach` gives the bound `routes.analysis.performance` checks settings against, and every profile
runs with its loop counted (`PROFILE_BUDGET`) as a guard.
"""

from __future__ import annotations

import importlib.util
import math
import types
import warnings
from functools import cache
from pathlib import Path

import numpy as np

from routes.diskcache import memoize
from routes.errors import ProfileError

PROFILE_BUDGET = 20_000
"""Most look-ups of `aero` by OpenAP's climb or descent loop before a profile is declared non-converging
(a normal profile at 10 s steps takes ~150-250 steps and under 2,000 look-ups)."""


def openap_files() -> list[Path]:
    """OpenAP's code and the aircraft, drag-polar, engine, fuel and WRAP data its models read: what a
    result computed from OpenAP depends on (for keys of the disk cache, `routes.diskcache.memoize`)."""
    openap_dir = Path(importlib.util.find_spec("openap").origin).parent
    models = ("aircraft", "dragpolar", "engine", "fuel", "wrap")
    return [*openap_dir.glob("*.py"), *(f for d in models for f in (openap_dir / "data" / d).rglob("*.*"))]


def _profile_files() -> list[Path]:
    return [Path(__file__), *openap_files()]


def lowest_mach(key: str) -> float:
    """Lowest cruise Mach whose crossover with the type's climb and descent CAS is above sea level,
    rounded up to 0.01 with 0.01 to spare (OpenAP's synonym model when the type has none of its own)."""
    from openap import WRAP, aero  # OpenAP loads on the first estimate, not at `import routes`

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrap = WRAP(key, use_synonym=True)
    cas_ms = max(wrap.climb_const_vcas()["default"], wrap.descent_const_vcas()["default"])
    return math.ceil(cas_ms / aero.a0 * 100.0) / 100.0 + 0.01


class _CountedAero:
    """OpenAP's `aero` module with every look-up counted: each step of the generator's loop looks
    up `aero` at least once, so the count bounds the loop without touching OpenAP's global state."""

    def __init__(self, budget: int, what: str) -> None:
        self.left, self.what = budget, what

    def __getattr__(self, name: str) -> object:
        from openap import aero

        self.left -= 1
        if self.left < 0:
            raise ProfileError(f"OpenAP's {self.what} profile did not converge within {PROFILE_BUDGET:,} look-ups")
        return getattr(aero, name)


def _bounded(gen: object, phase: str, code: str, **kwargs: object) -> object:
    """``gen.climb(**kwargs)`` or ``gen.descent(**kwargs)`` run with a `_CountedAero` as its ``aero``.

    The take-off and landing rolls do not look up ``aero``; they end because the type's
    accelerations have the right sign, which `climb_descent` checks before."""
    from openap import FlightGenerator
    from openap import gen as openap_gen

    method = getattr(FlightGenerator, phase)
    scope = {**vars(openap_gen), "aero": _CountedAero(PROFILE_BUDGET, f"{code} {phase}")}
    bounded = types.FunctionType(method.__code__, scope, method.__name__, method.__defaults__, method.__closure__)
    return bounded(gen, **kwargs)


@cache
@memoize("profiles", _profile_files, np.__version__)
def climb_descent(code: str, alt_ft: float, mach: float) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """OpenAP climb and descent profiles (arrays ``t`` s, ``s`` m, ``tas`` kt, ``alt`` ft, ``vs`` ft/min) at
    10 s steps, deterministic, bounded by `PROFILE_BUDGET`; kept in the disk cache (OpenAP's generator
    and its data files take ~50 ms a type in a fresh process).

    Raises
    ------
    ProfileError
        A profile that does not converge (a cruise Mach below `lowest_mach`).
    """
    from openap import FlightGenerator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gen = FlightGenerator(code.lower(), use_synonym=True)  # e.g. A359 uses a similar type's WRAP model
        if gen.wrap.takeoff_acceleration()["default"] <= 0 or gen.wrap.landing_acceleration()["default"] >= 0:
            raise ProfileError(f"OpenAP's {code} model has a take-off or landing acceleration of the wrong sign")
        climb = _bounded(gen, "climb", code, dt=10, random=False, alt_cr=alt_ft, mach_const_cl=mach)
        descent = _bounded(gen, "descent", code, dt=10, random=False, alt_cr=alt_ft, mach_const_de=mach, withcr=False)

    def arrays(df):
        return {
            k: df[c].to_numpy(float)
            for k, c in [("t", "t"), ("s", "s"), ("tas", "groundspeed"), ("alt", "altitude"), ("vs", "vertical_rate")]
        }

    return arrays(climb), arrays(descent)
