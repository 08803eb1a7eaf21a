"""Polar-area exposure of a route: maximum latitude and distance/time north of 78 N and 82 N."""

from __future__ import annotations

from dataclasses import dataclass

from routes import geodesy, validation
from routes.result import Route, require_feasible
from routes.units import KM_PER_NM


@dataclass(frozen=True)
class PolarFlags:
    """Polar-area exposure of a route.

    Attributes
    ----------
    max_latitude : float
    north_of_78_km, north_of_82_km : float
        Distance flown north of 78 N (the North Polar Area) and of 82 N (beyond reliable
        geostationary satellite communication and with limited VHF coverage).
    north_of_78_min, north_of_82_min : float
        The same as time at ``speed_kt``.
    """

    max_latitude: float
    north_of_78_km: float
    north_of_82_km: float
    north_of_78_min: float
    north_of_82_min: float


def polar_flags(route: Route, speed_kt: float = 484.0, step_km: float = 5.0) -> PolarFlags:
    """Maximum latitude and distance/time north of 78 N and 82 N."""
    require_feasible(route, "flag the polar exposure of")
    speed_kt = validation.as_number(speed_kt, "speed_kt", low=0.0, high=1000.0, low_open=True)
    pts = route.densified(step_km)
    seg = geodesy.segment_lengths_km(pts)
    mid_lat = (pts[:-1, 1] + pts[1:, 1]) / 2.0
    km78, km82 = float(seg[mid_lat > 78].sum()), float(seg[mid_lat > 82].sum())
    per_min = speed_kt * KM_PER_NM / 60.0
    return PolarFlags(float(pts[:, 1].max()), km78, km82, km78 / per_min, km82 / per_min)
