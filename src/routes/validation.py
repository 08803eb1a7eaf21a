"""Checks of plain numeric arguments at the public boundary: one message shape for every function.

Each check returns the value as a float, or raises `InvalidInputError` naming the argument, what it got
and what would be right.
"""

from __future__ import annotations

import math
import numbers

from routes.errors import InvalidInputError

MAX_MARGIN_NM = 1000.0
"""Largest lateral margin accepted (1,852 km): a wider one would close whole oceans round every closed
state, leave no airport's surroundings meaningful, and makes the buffer geometry degenerate."""


def as_number(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    what: str = "",
) -> float:
    """``value`` as a finite float within ``[low, high]`` (``(low, high]`` with ``low_open``).

    Raises
    ------
    InvalidInputError
        Not a real number (a string, None, a bool), not finite, or out of range.
    """
    expect = what or _expect(low, high, low_open)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidInputError(f"{name} must be {expect}, got {value!r} ({type(value).__name__})")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInputError(f"{name} must be {expect}, got {number}")
    if low is not None and (number < low or (low_open and number == low)):
        raise InvalidInputError(f"{name} must be {expect}, got {number:g}")
    if high is not None and number > high:
        raise InvalidInputError(f"{name} must be {expect}, got {number:g}")
    return number


def _expect(low: float | None, high: float | None, low_open: bool) -> str:
    if low is not None and high is not None:
        return f"a finite number in {'(' if low_open else '['}{low:g}, {high:g}]"
    if low is not None:
        return f"a finite number {'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"a finite number <= {high:g}"
    return "a finite number"


def margin_nm(value: object) -> float:
    """A lateral margin in nautical miles: finite, ``0 <= margin_nm <= MAX_MARGIN_NM``."""
    return as_number(
        value,
        "margin_nm",
        low=0.0,
        high=MAX_MARGIN_NM,
        what=f"a finite number of nautical miles in [0, {MAX_MARGIN_NM:g}] (wider margins close whole oceans)",
    )


def step_km(value: object, name: str = "step_km") -> float:
    """A densification step in km: finite and > 0."""
    return as_number(value, name, low=0.0, low_open=True)
