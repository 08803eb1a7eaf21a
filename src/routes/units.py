"""Unit conversions. One place, exact definitions."""

from __future__ import annotations

KM_PER_NM = 1.852
"""Kilometres per international nautical mile (exact)."""
M_PER_FT = 0.3048
"""Metres per international foot (exact)."""
KT_PER_MS = 3600.0 / (KM_PER_NM * 1000.0)
"""Knots per metre per second (exact: 1 kt = 1,852 m / 3,600 s)."""


def km_to_nm(distance_km: float) -> float:
    """Convert kilometres to nautical miles.

    Examples
    --------
    >>> km_to_nm(1852.0)
    1000.0
    """
    return distance_km / KM_PER_NM


LITRES_PER_BARREL = 158.987294928
"""Litres per oil barrel (42 US gallons of 3.785411784 L, exact)."""
