"""The front door's minimum-time helpers: flight time in a wind, and the block-time acceptance rule.

`routes.route(..., objective="time", wind=...)` hands `CruiseAir` (the wind and the aircraft's
cruise true airspeed) to the engine's minimum-time search, `routes.engine.solve_time`, as its
``leg_time``; the engine knows nothing of winds or aircraft. The engine's path replaces the
shortest route only if `accept` finds its block time (`routes.analysis.performance.estimate`, in
the same wind) at least `MIN_SAVING_S` shorter; otherwise the shortest route is returned, so in
still air, or in any wind with a constant along-track component, the result *is* the shortest
route.

Imports nothing above the analysis floor (the front door imports this module, never the reverse).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from routes import geodesy
from routes.errors import ObjectiveError
from routes.result import Route
from routes.units import KM_PER_NM

if TYPE_CHECKING:
    from routes.analysis.performance import Aircraft, Assumptions
    from routes.analysis.wind import WindModel

SAMPLE_KM = 100.0
"""Leg times are summed over pieces at most this long (wind at each piece's midpoint)."""
MAX_PIECES = 256
"""... and at most this many pieces per leg."""
MIN_SAVING_S = 10.0
"""A route that saves less block time than this is not worth leaving the shortest route (also
the engine's own threshold on ``leg_time``)."""


@dataclass(frozen=True)
class CruiseAir:
    """The wind and the aircraft's cruise true airspeed: the engine's ``leg_time``.

    Attributes
    ----------
    wind : WindModel
        Anything with ``ground_speed_kt(lonlat, course_deg, tas_kt, alt_ft)`` (`routes.analysis.wind`).
    tas_kt : float
        Cruise true airspeed (kt).
    alt_ft : float
        Cruise altitude (ft), passed to the wind.
    """

    wind: WindModel
    tas_kt: float
    alt_ft: float

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Flight time (s) of each WGS84 geodesic a[i] -> b[i] ((n, 2) (lon, lat) arrays) at the
        TAS in the wind, summed over pieces of at most `SAMPLE_KM` with the wind at each piece's
        midpoint on its course; inf where the wind stops the aircraft.

        Raises
        ------
        ObjectiveError
            If the wind model returns a non-finite ground speed.
        """
        return self._times(a, b, both=False)[0]

    def both_ways(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Flight times (s) of a[i] -> b[i] and of b[i] -> a[i], from the same samples (one
        geodesic computation for both: the engine times its graph's edges this way)."""
        fwd, back = self._times(a, b, both=True)
        return fwd, back

    def _times(self, a: np.ndarray, b: np.ndarray, both: bool) -> list[np.ndarray]:
        if len(a) == 0:
            return [np.zeros(0), np.zeros(0)]
        az, _, dist = geodesy.inverse(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        az, dist = np.atleast_1d(az), np.atleast_1d(dist)
        pieces = np.clip(np.ceil(dist / (SAMPLE_KM * 1000.0)), 1, MAX_PIECES).astype(int)
        leg = np.repeat(np.arange(len(a)), pieces)
        first = np.concatenate([[0], np.cumsum(pieces)[:-1]])
        frac = (np.arange(len(leg)) - first[leg] + 0.5) / pieces[leg]
        lon, lat, back = geodesy.GEOD.fwd(a[leg, 0], a[leg, 1], az[leg], dist[leg] * frac)
        mid = np.column_stack([lon, lat])
        course = (np.asarray(back) + 180.0) % 360.0  # forward course at the sample point
        piece_nm = dist[leg] / pieces[leg] / 1000.0 / KM_PER_NM
        out = []
        for c in (course, (course + 180.0) % 360.0) if both else (course,):
            gs = np.asarray(self.wind.ground_speed_kt(mid, c, self.tas_kt, self.alt_ft), dtype=float)
            if not np.isfinite(gs).all():
                raise ObjectiveError(f"wind model {wind_label(self.wind)!r} returned a non-finite ground speed")
            with np.errstate(divide="ignore"):
                t = np.where(gs > 1.0, piece_nm / np.maximum(gs, 1.0) * 3600.0, np.inf)
            out.append(np.add.reduceat(t, first))
        return out


def cruise_air(wind: WindModel, aircraft: Aircraft, assumptions: Assumptions) -> CruiseAir:
    """`CruiseAir` of ``aircraft`` at its cruise Mach and altitude (or those of ``assumptions``)."""
    from routes.analysis.performance import cruise_tas_kt  # lazily: OpenAP

    alt_ft = assumptions.cruise_alt_ft or aircraft.cruise_alt_ft
    return CruiseAir(wind, cruise_tas_kt(assumptions.cruise_mach or aircraft.cruise_mach, alt_ft), alt_ft)


def wind_label(wind: WindModel) -> str:
    """The wind's label (its class name without one)."""
    return str(getattr(wind, "label", type(wind).__name__))


def accept(
    shortest: Route, candidate: Route | None, aircraft: Aircraft, assumptions: Assumptions, wind: WindModel
) -> Route:
    """The minimum-time route: ``candidate`` (the engine's path) if its block time in ``wind`` is
    at least `MIN_SAVING_S` below that of ``shortest``, else ``shortest``; labelled
    ``objective="time"`` with the wind's label, ``stats`` adding ``shortest_time_min``,
    ``time_min`` (block times, min) and ``saving_min``."""
    from routes.analysis.performance import estimate  # lazily: OpenAP

    base_min = estimate(shortest, aircraft, assumptions, wind).block_time_min
    stats = {**shortest.stats, "shortest_time_min": base_min, "time_min": base_min, "saving_min": 0.0}
    chosen = shortest
    if candidate is not None:
        time_min = estimate(candidate, aircraft, assumptions, wind).block_time_min
        if time_min <= base_min - MIN_SAVING_S / 60.0:
            stats.update(time_min=time_min, saving_min=base_min - time_min)
            chosen = candidate
    return replace(chosen, objective="time", wind=wind_label(wind), stats=stats)
