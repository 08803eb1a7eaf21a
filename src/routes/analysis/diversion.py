"""Diversion coverage along a route: the nearest usable alternate at every point, and the ETOPS category.

Alternates come from ``data/alternates.csv`` (OurAirports runways, see ``scripts/build_alternates.py``).
An alternate is usable when it is a civil airport (military fields only when asked for, as emergency-only
alternates), its best paved runway is long enough (landing distance, past a displaced threshold) and wide
enough for the aircraft type (ICAO Annex 14 width for the type's aerodrome code letter), and it does not lie
in a state closed in the scenario (a Russian aircraft cannot divert to Canada when Canada is closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from routes import geodesy, validation
from routes.errors import InvalidInputError
from routes.inputs import airspace
from routes.inputs.airspace import data_dir
from routes.inputs.closures import closed_airspace
from routes.inputs.register import default
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, require_feasible
from routes.units import KM_PER_NM

ETOPS_MINUTES = (60, 120, 180, 207, 240, 330, 370)
"""ETOPS categories (min at the one-engine-inoperative speed, still air): 14 CFR 121.161 and Part 121
App. P (60-240; 207 = 180 + 15 % on the North Pacific, FAA 1999); 330 = B777 (FAA, 2011) and B787 (2014)
type design; 370 = A350 (EASA, 2014). Sources: data/assumptions.toml notes and docs (Feasibility)."""
"""ETOPS approval categories (minutes at one-engine-inoperative speed)."""

CODE_LETTERS = (("A", 15.0), ("B", 24.0), ("C", 36.0), ("D", 52.0), ("E", 65.0), ("F", 80.0))
"""ICAO Annex 14 aerodrome reference code letter: wing span below each bound (m)."""
RUNWAY_WIDTH_M = {"A": 18.0, "B": 23.0, "C": 45.0, "D": 45.0, "E": 45.0, "F": 60.0}
"""ICAO Annex 14 (Vol. I, 3.1.9) runway width by code letter, for code number 4 (reference field length
>= 1,800 m) where it applies (C-F) and code numbers 1-2 for A-B."""


def code_letter(wingspan_m: float) -> str:
    """ICAO aerodrome reference code letter for a wing span (m); ``"F"`` up to 80 m.

    Raises
    ------
    ValueError
        A span of 80 m or more, or not positive.
    """
    if not 0 < wingspan_m < 80.0:
        raise InvalidInputError(f"wing span {wingspan_m} m is outside the ICAO code letters A-F (0-80 m)")
    return next(letter for letter, bound in CODE_LETTERS if wingspan_m < bound)


def min_runway_width_m(aircraft: str) -> float:
    """Least runway width (m) for an aircraft type: the Annex 14 width of its code letter (B77W: E, 45 m)."""
    from routes.analysis.performance import get_aircraft  # OpenAP is slow to import; only when a type is given

    return RUNWAY_WIDTH_M[code_letter(get_aircraft(aircraft).wingspan_m)]


@cache
def alternates_table() -> pd.DataFrame:
    """All airports with an open paved runway landing >= 1,800 m: ident, icao, iata, name, country (alpha-2
    and ``iso_a3``), lat, lon, elevation_ft, runway_length_m, landing_length_m, runway_width_m, surface,
    military, scheduled_service, type (see ``scripts/build_alternates.py``)."""
    df = pd.read_csv(data_dir() / "alternates.csv", comment="#", keep_default_na=False)
    df["iso_a3"] = [airspace.alpha3(c) for c in df["country"]]
    df["military"] = df["military"].astype(bool)
    return df


@lru_cache(maxsize=32)
def usable_alternates(
    scenario: Scenario, min_runway_m: float | None = None, min_width_m: float = 0.0, allow_military: bool = False
) -> pd.DataFrame:
    """Alternates outside the scenario's closed airspace whose best paved runway lands >= ``min_runway_m``
    (default: the register's ``min_runway_m``) and is >= ``min_width_m`` wide; military fields only with
    ``allow_military`` (then as emergency-only)."""
    if min_runway_m is None:
        min_runway_m = default("min_runway_m")
    df = alternates_table()
    df = df[(df["landing_length_m"] >= min_runway_m) & (df["runway_width_m"] >= min_width_m)]
    if not allow_military:
        df = df[~df["military"]]
    closed = closed_airspace(scenario)
    inside = closed.contains(df[["lon", "lat"]].to_numpy()) | df["iso_a3"].isin(scenario.closed_states).to_numpy()
    return df[~inside].reset_index(drop=True)


@dataclass(frozen=True)
class Diversion:
    """Diversion coverage along a route.

    Attributes
    ----------
    max_distance_km : float
        Largest distance from a point of the route to its nearest usable alternate.
    max_time_min : float
        The same at the one-engine-inoperative speed (still air).
    etops_min : int or None
        Smallest ETOPS category covering the route; 0 when every point is within 60 min;
        None when even 330 min is not enough.
    alternates : tuple of str
        Nearest alternates along the route, in order (ICAO idents).
    beyond_rule : tuple of (float, float)
        Stretches (km from origin) farther than ``rule_min`` from any usable alternate.
    rule_min : float
    oei_speed_kt : float
    min_runway_m : float
    min_width_m : float
        Least runway width used (from the aircraft type's code letter; 0 when no type was given).
    emergency_only : tuple of str
        Military fields among ``alternates`` (only with ``allow_military=True``).
    """

    max_distance_km: float
    max_time_min: float
    etops_min: int | None
    alternates: tuple[str, ...]
    beyond_rule: tuple[tuple[float, float], ...]
    rule_min: float
    oei_speed_kt: float
    min_runway_m: float
    min_width_m: float = 0.0
    emergency_only: tuple[str, ...] = ()

    @property
    def etops_label(self) -> str:
        """``"ETOPS 180"``, ``"none (<= 60 min)"`` or ``"beyond ETOPS 370"``."""
        if self.etops_min is None:
            return f"beyond ETOPS {ETOPS_MINUTES[-1]}"
        return "none (<= 60 min)" if self.etops_min == 0 else f"ETOPS {self.etops_min}"


def etops_category(minutes: float) -> int | None:
    """Smallest ETOPS category (minutes) that covers a diversion time; 0 within 60 min."""
    if minutes <= 60.0:
        return 0
    return next((c for c in ETOPS_MINUTES if minutes <= c), None)


def diversion(
    route: Route,
    scenario: str | Scenario | None = None,
    min_runway_m: float | None = None,
    oei_speed_kt: float | None = None,
    rule_min: float = 180.0,
    step_km: float = 10.0,
    aircraft: str | None = "B77W",
    allow_military: bool = False,
) -> Diversion:
    """Distance and time from every point of ``route`` to the nearest usable alternate.

    Parameters
    ----------
    route : Route
    scenario
        Closures that rule alternates out (default: the route's).
    min_runway_m : float
        Least paved runway length of an adequate alternate.
    oei_speed_kt : float
        One-engine-inoperative true airspeed, still air.
    rule_min : float
        The diversion rule to check (e.g. 180 for ETOPS 180).
    step_km : float
        Spacing of the route points checked.
    aircraft : str or None
        ICAO type whose runway width (Annex 14 code letter, from OpenAP's wing span) alternates must have;
        None for no width check.
    allow_military : bool
        Also use military fields, as emergency-only alternates (listed in ``emergency_only``).

    Examples
    --------
    >>> import routes
    >>> d = diversion(routes.geodesic_route("SVO", "LAX"))
    >>> d.etops_label, round(d.max_time_min)
    ('ETOPS 180', 122)
    """
    # long by its docstring: the body is one pass over the route's samples and their nearest alternates
    require_feasible(route, "analyse diversions along")
    step_km = validation.step_km(step_km)
    min_runway_m = default("min_runway_m") if min_runway_m is None else min_runway_m
    oei_speed_kt = default("oei_speed_kt") if oei_speed_kt is None else oei_speed_kt
    min_runway_m = validation.as_number(min_runway_m, "min_runway_m", low=0.0, high=6000.0)
    oei_speed_kt = validation.as_number(oei_speed_kt, "oei_speed_kt", low=0.0, high=700.0, low_open=True)
    rule_min = validation.as_number(rule_min, "rule_min", low=0.0, low_open=True)
    scn = get_scenario(scenario if scenario is not None else route.scenario)
    width = min_runway_width_m(aircraft) if aircraft else 0.0
    alts = usable_alternates(scn, float(min_runway_m), width, bool(allow_military))
    pts = route.densified(step_km)
    if alts.empty:
        raise InvalidInputError(
            f"no usable alternate with a runway >= {min_runway_m:g} m x {width:g} m in scenario {scn.name}"
        )
    near_km, nearest = nearest_alternates(pts, alts["lon"].to_numpy(), alts["lat"].to_numpy())
    minutes = near_km / (oei_speed_kt * KM_PER_NM) * 60.0
    seg = geodesy.segment_lengths_km(pts)
    along = np.concatenate([[0.0], np.cumsum(seg)])
    idents = alts["ident"].to_numpy()
    used = list(dict.fromkeys(idents[nearest]))
    military = set(alts.loc[alts["military"], "ident"])
    return Diversion(
        max_distance_km=float(near_km.max()),
        max_time_min=float(minutes.max()),
        etops_min=etops_category(float(minutes.max())),
        alternates=tuple(used),
        beyond_rule=_runs(along, minutes > rule_min),
        rule_min=float(rule_min),
        oei_speed_kt=float(oei_speed_kt),
        min_runway_m=float(min_runway_m),
        min_width_m=width,
        emergency_only=tuple(a for a in used if a in military),
    )


def nearest_alternates(pts: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance (km, WGS84 geodesic) from each (lon, lat) point of ``pts`` to the nearest of the alternates at
    ``lon``, ``lat``, and that alternate's index.

    The 4 nearest by chord (a k-d tree of unit vectors) are measured on the ellipsoid and the shortest kept:
    the chord order can differ from the geodesic's by the Earth's flattening only among near-ties.
    """
    from pykdtree.kdtree import KDTree  # a light import (scipy.spatial's takes ~0.3 s)

    alt_xyz = np.ascontiguousarray(geodesy.to_xyz(lon, lat), dtype=np.float64)
    query = np.ascontiguousarray(geodesy.to_xyz(pts[:, 0], pts[:, 1]), dtype=np.float64)
    _, cand = KDTree(alt_xyz).query(query, k=min(4, len(lon)))
    cand = cand.astype(np.intp).reshape(len(pts), -1)  # k = 1 gives one column
    dist = np.stack([geodesy.distance_m(pts[:, 0], pts[:, 1], lon[c], lat[c]) for c in cand.T], axis=1)
    best = np.argmin(dist, axis=1)
    rows = np.arange(len(pts))
    return dist[rows, best] / 1000.0, cand[rows, best]


def _runs(along: np.ndarray, mask: np.ndarray) -> tuple[tuple[float, float], ...]:
    """(start_km, end_km) of each run of True in ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return tuple((float(along[a]), float(along[b - 1])) for a, b in zip(edges[::2], edges[1::2], strict=True))
