"""Diversion coverage along a route: the nearest usable alternate at every point, and the ETOPS category.

Alternates come from ``data/alternates.csv`` (OurAirports runways, see ``scripts/build_alternates.py``).
An alternate is usable when its longest paved runway is long enough and it does not lie in a
state closed in the scenario (a Russian aircraft cannot divert to Canada when Canada is closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd
import pycountry
from scipy.spatial import cKDTree

from routes import geodesy
from routes.inputs.airspace import data_dir
from routes.inputs.closures import closed_airspace
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, require_feasible
from routes.units import KM_PER_NM

ETOPS_MINUTES = (60, 120, 180, 207, 240, 330)
"""ETOPS approval categories (minutes at one-engine-inoperative speed)."""


@cache
def alternates_table() -> pd.DataFrame:
    """All airports with a paved runway >= 1,800 m: ident, iata, name, country (alpha-2 and -3),
    lat, lon, longest_paved_runway_m, type."""
    df = pd.read_csv(data_dir() / "alternates.csv", comment="#", keep_default_na=False)
    df["iso_a3"] = [getattr(pycountry.countries.get(alpha_2=c), "alpha_3", "") if c else "" for c in df["country"]]
    return df


@lru_cache(maxsize=32)
def usable_alternates(scenario: Scenario, min_runway_m: float = 2500.0) -> pd.DataFrame:
    """Alternates with a paved runway >= ``min_runway_m`` outside the scenario's closed airspace."""
    df = alternates_table()
    df = df[df["longest_paved_runway_m"] >= min_runway_m]
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
    """

    max_distance_km: float
    max_time_min: float
    etops_min: int | None
    alternates: tuple[str, ...]
    beyond_rule: tuple[tuple[float, float], ...]
    rule_min: float
    oei_speed_kt: float
    min_runway_m: float

    @property
    def etops_label(self) -> str:
        """``"ETOPS 180"``, ``"none (<= 60 min)"`` or ``"beyond ETOPS 330"``."""
        if self.etops_min is None:
            return "beyond ETOPS 330"
        return "none (<= 60 min)" if self.etops_min == 0 else f"ETOPS {self.etops_min}"


def etops_category(minutes: float) -> int | None:
    """Smallest ETOPS category (minutes) that covers a diversion time; 0 within 60 min."""
    if minutes <= 60.0:
        return 0
    return next((c for c in ETOPS_MINUTES if minutes <= c), None)


def diversion(
    route: Route,
    scenario: str | Scenario | None = None,
    min_runway_m: float = 2500.0,
    oei_speed_kt: float = 420.0,
    rule_min: float = 180.0,
    step_km: float = 10.0,
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
    """
    require_feasible(route, "analyse diversions along")
    scn = get_scenario(scenario if scenario is not None else route.scenario)
    alts = usable_alternates(scn, float(min_runway_m))
    pts = route.densified(step_km)
    if alts.empty:
        raise ValueError(f"no usable alternate with a runway >= {min_runway_m:g} m in scenario {scn.name}")
    alt_xyz = geodesy.to_xyz(alts["lon"].to_numpy(), alts["lat"].to_numpy())
    _, cand = cKDTree(alt_xyz).query(geodesy.to_xyz(pts[:, 0], pts[:, 1]), k=min(4, len(alts)))
    cand = np.atleast_2d(cand.T).T if cand.ndim == 1 else cand
    dist = np.stack(
        [
            geodesy.distance_m(pts[:, 0], pts[:, 1], alts["lon"].to_numpy()[c], alts["lat"].to_numpy()[c])
            for c in cand.T
        ],
        axis=1,
    )
    best = np.argmin(dist, axis=1)
    near_km = dist[np.arange(len(pts)), best] / 1000.0
    nearest = cand[np.arange(len(pts)), best]
    minutes = near_km / (oei_speed_kt * KM_PER_NM) * 60.0
    seg = geodesy.segment_lengths_km(pts)
    along = np.concatenate([[0.0], np.cumsum(seg)])
    idents = alts["ident"].to_numpy()
    used = list(dict.fromkeys(idents[nearest]))
    return Diversion(
        max_distance_km=float(near_km.max()),
        max_time_min=float(minutes.max()),
        etops_min=etops_category(float(minutes.max())),
        alternates=tuple(used),
        beyond_rule=_runs(along, minutes > rule_min),
        rule_min=float(rule_min),
        oei_speed_kt=float(oei_speed_kt),
        min_runway_m=float(min_runway_m),
    )


def _runs(along: np.ndarray, mask: np.ndarray) -> tuple[tuple[float, float], ...]:
    """(start_km, end_km) of each run of True in ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return tuple((float(along[a]), float(along[b - 1])) for a, b in zip(edges[::2], edges[1::2], strict=True))
