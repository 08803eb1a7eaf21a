"""Checks of plain numeric arguments at the public boundary: one message shape for every function.

Each check returns the value as a float, or raises `InvalidInputError` naming the argument, what it got
and what would be right.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Hashable, Iterable
from typing import Any

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


def unique_options(values: object, name: str, key: Callable[[Any], Hashable] | None = None) -> list[Any]:
    """A repeated option's values with repeats merged, keeping the first of each in order.

    The one rule for every list of periods or months (``Study(periods=...)``, the report, the CLI's
    ``--months``, a matrix's months): asking for January twice asks for January.

    Parameters
    ----------
    values : iterable
        The values as given; a single text is refused (it would be read letter by letter).
    name : str
        The argument's name, for the message.
    key : callable, optional
        The identity of a value (e.g. ``seasonal.period_key``: ``1``, ``"1"`` and ``"Jan"`` are one
        month); default the value itself. Its errors (an unknown period) pass through.

    Raises
    ------
    InvalidInputError
        ``values`` is a text, or not iterable.
    """
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidInputError(f"{name} must be a list (e.g. [1, 7]), got {values!r} ({type(values).__name__})")
    seen: dict[Hashable, Any] = {}
    for value in values:
        ident = key(value) if key is not None else value
        seen.setdefault(ident, value)
    return list(seen.values())
