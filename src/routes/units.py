"""Unit conversions. One place, exact definitions."""

from __future__ import annotations

KM_PER_NM = 1.852
"""Kilometres per international nautical mile (exact)."""
M_PER_FT = 0.3048
"""Metres per international foot (exact)."""
KG_CO2_PER_KG_FUEL = 3.16
"""kg of CO2 emitted per kg of jet fuel burned (ICAO)."""


def km_to_nm(distance_km: float) -> float:
    """Convert kilometres to nautical miles."""
    return distance_km / KM_PER_NM


def nm_to_km(distance_nm: float) -> float:
    """Convert nautical miles to kilometres."""
    return distance_nm * KM_PER_NM
LITRES_PER_BARREL = 158.987294928
"""Litres per oil barrel (42 US gallons of 3.785411784 L, exact)."""
