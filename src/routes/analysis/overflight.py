"""Which states' sovereign airspace a route crosses, in order, with the distance inside each."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import shapely

from routes import geodesy
from routes._deprecation import renamed_attribute
from routes.inputs import airspace
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route, require_feasible
from routes.units import km_to_nm

INTERNATIONAL = ""
"""Code used for airspace outside every state's territorial sea (high seas)."""


@dataclass(frozen=True, slots=True)
class Overflight:
    """Time spent over one state.

    Attributes
    ----------
    iso_a3 : str
        State code.
    name : str
        State name.
    distance_km : float
        Route length inside the state's sovereign airspace.
    state_closed : bool
        Whether the state's airspace is closed in the scenario the analysis was asked for (0.1: ``closed``,
        deprecated).
    """

    iso_a3: str
    name: str
    distance_km: float
    state_closed: bool = False

    closed = renamed_attribute("state_closed")

    @property
    def distance_nm(self) -> float:
        """Distance inside the state in nautical miles."""
        return km_to_nm(self.distance_km)


@cache
def _index() -> tuple[shapely.STRtree, np.ndarray, np.ndarray, np.ndarray]:
    gdf = airspace.states("full")
    parts, codes = shapely.get_parts(gdf.geometry.values, return_index=True)
    shapely.prepare(parts)
    return shapely.STRtree(parts), parts, gdf["iso_a3"].values[codes], shapely.bounds(parts)


CHUNK = 64
"""Consecutive midpoints per bounding box when looking up candidate states (one tree query per box
instead of one point geometry per segment)."""
CACHE_SIZE = 16
"""Polylines whose segment states are kept (`segment_states`): a route's overflight, its charges
and a route that is its own geodesic share one computation."""


def _candidates(mlon: np.ndarray, mlat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point, part) pairs whose part's bounding box holds the point (edges included), sorted."""
    tree, _, _, bounds = _index()
    n = len(mlon)
    starts = np.arange(0, n, CHUNK)
    boxes = shapely.box(
        np.minimum.reduceat(mlon, starts), np.minimum.reduceat(mlat, starts),
        np.maximum.reduceat(mlon, starts), np.maximum.reduceat(mlat, starts),
    )  # fmt: skip
    chunk, part = tree.query(boxes)
    src_all, hit_all = [], []
    for c, j in zip(chunk, part, strict=True):
        lo, hi = starts[c], min(starts[c] + CHUNK, n)
        x, y = mlon[lo:hi], mlat[lo:hi]
        b = bounds[j]
        ok = np.flatnonzero((x >= b[0]) & (x <= b[2]) & (y >= b[1]) & (y <= b[3]))
        if len(ok):
            src_all.append(ok + lo)
            hit_all.append(np.full(len(ok), j))
    if not src_all:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    src, hit = np.concatenate(src_all), np.concatenate(hit_all)
    order = np.lexsort((hit, src))
    return src[order], hit[order]


def segment_states(lonlat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """State code of the midpoint of each segment of a densified polyline, and segment lengths (km).

    ``INTERNATIONAL`` marks segments over the high seas. The last `CACHE_SIZE` polylines' answers
    are kept (read-only arrays); `clear_cache` forgets them.
    """
    lonlat = np.ascontiguousarray(lonlat, dtype=float)
    return _segment_states_cached(lonlat.shape, lonlat.tobytes())


def km_by_code(codes: np.ndarray, seg_km: np.ndarray) -> dict[str, float]:
    """Total km per code of a polyline's segments, codes in order of first appearance (one sum
    per run of equal codes, so a 10,000-segment route costs a few dozen Python steps)."""
    if len(codes) == 0:
        return {}
    starts = np.concatenate([[0], np.flatnonzero(codes[1:] != codes[:-1]) + 1])
    out: dict[str, float] = {}
    for code, km in zip(codes[starts], np.add.reduceat(np.asarray(seg_km, dtype=float), starts), strict=True):
        out[code] = out.get(code, 0.0) + float(km)
    return out


def clear_cache() -> None:
    """Forget the kept `segment_states` answers."""
    _segment_states_cached.cache_clear()


@lru_cache(maxsize=CACHE_SIZE)
def _segment_states_cached(shape: tuple[int, ...], data: bytes) -> tuple[np.ndarray, np.ndarray]:
    lonlat = np.frombuffer(data, dtype=float).reshape(shape)
    seg_km, mid = geodesy.segment_lengths_midpoints(lonlat)
    _, parts, codes, _ = _index()
    mlon, mlat = np.ascontiguousarray(mid[:, 0]), np.ascontiguousarray(mid[:, 1])
    src, hit = _candidates(mlon, mlat)
    inside = np.zeros(len(src), dtype=bool)
    for part in np.unique(hit):  # exact test against each prepared part, vectorised
        sel = hit == part
        inside[sel] = shapely.contains_xy(parts[part], mlon[src[sel]], mlat[src[sel]])
    src, hit = src[inside], hit[inside]
    out = np.full(len(seg_km), INTERNATIONAL, dtype=object)
    out[src] = codes[hit]
    multi = np.flatnonzero(np.bincount(src, minlength=len(seg_km)) > 1)
    for i in multi:  # overlapping features (Norway / Svalbard, disputed areas): most specific
        out[i] = airspace.most_specific(list(codes[hit[src == i]]))
    out.flags.writeable = False
    seg_km.flags.writeable = False
    return out, seg_km


def overflight(route: Route, scenario: str | Scenario | None = None, step_km: float = 1.0) -> list[Overflight]:
    """States crossed by ``route``, in order of first entry, with km inside each.

    Parameters
    ----------
    route : Route
    scenario
        Marks which states are closed (default: the route's own scenario, if built in).
    step_km : float
        Densification step; state boundaries are resolved to about this distance.

    Returns
    -------
    list of Overflight
        High-seas airspace is not listed; `international_km` gives it.

    Examples
    --------
    The pre-2022 great circle Moscow - Los Angeles, against the Europe-and-Canada closures:

    >>> import routes
    >>> crossed = overflight(routes.geodesic_route("SVO", "LAX"), "europe-canada-closed")
    >>> [(o.iso_a3, round(o.distance_km), o.state_closed) for o in crossed]  # doctest: +NORMALIZE_WHITESPACE
    [('RUS', 1047, False), ('FIN', 521, True), ('NOR', 265, True), ('GRL', 1296, True), ('CAN', 3322, True),
     ('USA', 1731, False)]
    """
    require_feasible(route, "list the overflown states of")
    scn = get_scenario(scenario if scenario is not None else route.scenario)
    codes, seg_km = segment_states(route.densified(step_km))
    order = km_by_code(codes, seg_km)
    order.pop(INTERNATIONAL, None)
    closed = scn.closed_states
    return [
        Overflight(iso_a3=c, name=airspace.state_name(c), distance_km=km, state_closed=c in closed)
        for c, km in order.items()
    ]


def international_km(route: Route, step_km: float = 1.0) -> float:
    """Route length over the high seas (outside every state's sovereign airspace), km."""
    require_feasible(route, "measure the high-seas distance of")
    codes, seg_km = segment_states(route.densified(step_km))
    return float(seg_km[codes == INTERNATIONAL].sum())
