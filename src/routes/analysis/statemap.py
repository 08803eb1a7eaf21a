"""Which state's sovereign airspace each piece of a densified path lies in.

A path is densified into short segments (1 km by default) and each segment is given the state
holding its midpoint (`INTERNATIONAL` over the high seas). Looking up every midpoint would cost a
point-in-polygon test per kilometre; instead only segments that touch a state boundary (from an
index of the boundaries cut into short pieces) are looked up one by one, and every run of
segments between them, which lies in one set of states, takes the state of one point on it.
`path_states` does this for paths of geodesic legs, leg by leg, and keeps each leg's answer.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import cache, lru_cache

import numpy as np
import shapely

from routes import geodesy
from routes.errors import InvalidCoordinateError
from routes.inputs import airspace

INTERNATIONAL = ""
"""Code used for airspace outside every state's territorial sea (high seas)."""
BORDER_PIECE = 32
"""Segments per piece of the state boundaries in the border index (`_borders`)."""
COARSE = 32
"""Densified segments tested together for a nearby boundary before single segments are."""
CACHE_SIZE = 16
"""Densified polylines whose `segment_states` answer is kept (a route's charges in every month)."""


@cache
def _index() -> tuple[shapely.STRtree, np.ndarray, np.ndarray, np.ndarray]:
    """Every polygon of the full-resolution states (prepared), in a tree, with its code and bounds."""
    gdf = airspace.states("full")
    parts, owner = shapely.get_parts(gdf.geometry.values, return_index=True)
    shapely.prepare(parts)
    codes = np.asarray(gdf["iso_a3"].to_numpy(dtype=object)[owner], dtype=object)
    return shapely.STRtree(parts), parts, codes, shapely.bounds(parts)


@cache
def _borders() -> shapely.STRtree:
    """Every ring of every state polygon (exteriors and holes) cut into pieces of `BORDER_PIECE` segments."""
    _, parts, _, _ = _index()
    coords, owner = shapely.get_coordinates(shapely.get_rings(parts), return_index=True)
    pieces = []
    for xy in np.split(coords, np.flatnonzero(np.diff(owner)) + 1):
        pieces += [xy[a : a + BORDER_PIECE + 1] for a in range(0, len(xy) - 1, BORDER_PIECE)]
    sizes = [len(p) for p in pieces]
    return shapely.STRtree(shapely.linestrings(np.vstack(pieces), indices=np.repeat(np.arange(len(pieces)), sizes)))


def _states_at(lonlat: np.ndarray) -> np.ndarray:
    """State code at each (lon, lat) point: `INTERNATIONAL` outside all, the most specific
    (`airspace.most_specific`) where states overlap."""
    tree, parts, codes, bounds = _index()
    lon, lat = np.ascontiguousarray(lonlat[:, 0]), np.ascontiguousarray(lonlat[:, 1])
    src, hit = tree.query(shapely.points(lon, lat))
    b = bounds[hit]
    near = (lon[src] >= b[:, 0]) & (lon[src] <= b[:, 2]) & (lat[src] >= b[:, 1]) & (lat[src] <= b[:, 3])
    src, hit = src[near], hit[near]
    inside = np.zeros(len(src), dtype=bool)
    for part in np.unique(hit):  # exact test against each prepared part, vectorised
        sel = hit == part
        inside[sel] = shapely.contains_xy(parts[part], lon[src[sel]], lat[src[sel]])
    src, hit = src[inside], hit[inside]
    out = np.full(len(lon), INTERNATIONAL, dtype=object)
    out[src] = codes[hit]
    for i in np.flatnonzero(np.bincount(src, minlength=len(lon)) > 1):  # Norway / Svalbard, disputed areas
        out[i] = airspace.most_specific(sorted(codes[hit[src == i]].tolist()))
    return out


def _touching(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each straight lon/lat segment a[i] -> b[i] touches a state boundary or crosses the
    antimeridian (then it is looked up at its own midpoint)."""
    wrap = np.abs(b[:, 0] - a[:, 0]) > 180.0
    out = wrap.copy()
    plain = np.flatnonzero(~wrap)
    if len(plain):
        src, _ = _borders().query(shapely.linestrings(np.stack([a[plain], b[plain]], axis=1)), predicate="intersects")
        out[plain[src]] = True
    return out


def _run_starts(n: int, touching: np.ndarray) -> np.ndarray:
    """First segment of each run of segments not in ``touching``."""
    free = np.ones(n, dtype=bool)
    free[touching] = False
    return np.flatnonzero(free & np.r_[True, ~free[:-1]])


def _label(
    n: int, touching: np.ndarray, touching_mid: np.ndarray, runs: np.ndarray, run_points: np.ndarray
) -> np.ndarray:
    """Codes of ``n`` segments: the ``touching`` ones (indices, ascending) from their midpoints
    ``touching_mid``; every other segment from its run (``runs``: `_run_starts`), looked up at
    one point on the run's first segment (``run_points``, one per run)."""
    got = _states_at(np.vstack([touching_mid.reshape(-1, 2), run_points.reshape(-1, 2)]))
    out = np.full(n, INTERNATIONAL, dtype=object)
    out[touching] = got[: len(touching)]
    free = np.ones(n, dtype=bool)
    free[touching] = False
    starts = np.zeros(n, dtype=np.intp)
    starts[runs] = 1
    out[free] = got[len(touching) :][np.cumsum(starts)[free] - 1]
    out.flags.writeable = False
    return out


def segment_states(lonlat: np.ndarray, seg_km: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """State code of each segment of a densified (n, 2) lon/lat polyline, and segment lengths (km).

    A segment's state is the one holding its midpoint (`INTERNATIONAL` over the high seas).
    Only segments touching a state boundary are looked up at their midpoints; a run of segments
    between them takes the state of a point on it (it lies in one set of states). ``seg_km``
    (the lengths, when the densification knows them: `geodesy.densify_path_km`) saves computing
    them. Answers for the last `CACHE_SIZE` polylines are kept; both arrays are read-only.
    """
    lonlat = np.ascontiguousarray(lonlat, dtype=float)
    codes = _segment_states_cached(lonlat.shape, lonlat.tobytes())
    km = geodesy.segment_lengths_km(lonlat) if seg_km is None else np.array(seg_km, dtype=float)
    if km.shape != codes.shape:
        raise ValueError(f"seg_km has {km.size} lengths for {codes.size} segments")
    km.flags.writeable = False
    return codes, km


@lru_cache(maxsize=CACHE_SIZE)
def _segment_states_cached(shape: tuple[int, ...], data: bytes) -> np.ndarray:
    return _polyline_codes(np.frombuffer(data, dtype=float).reshape(shape))


def _polyline_codes(lonlat: np.ndarray) -> np.ndarray:
    """`segment_states`' codes of a densified polyline (read-only)."""
    n = len(lonlat) - 1
    if n < 1:
        return np.zeros(0, dtype=object)
    touch = np.zeros(n, dtype=bool)
    starts = np.arange(0, n, COARSE)  # groups of segments first: one line through COARSE + 1 points
    ends = np.minimum(starts[:, None] + np.arange(COARSE + 1), n)
    group_wrap = np.abs(np.diff(lonlat[ends, 0], axis=1)).max(axis=1) > 180.0
    plain = np.flatnonzero(~group_wrap)
    hit = group_wrap.copy()
    if len(plain):
        src, _ = _borders().query(shapely.linestrings(lonlat[ends[plain]]), predicate="intersects")
        hit[plain[src]] = True
    segs = (starts[hit][:, None] + np.arange(COARSE)).ravel()
    segs = segs[segs < n]
    touch[segs[_touching(lonlat[segs], lonlat[segs + 1])]] = True
    one = np.flatnonzero(touch)
    first = _run_starts(n, one)
    mid = geodesy.chord_midpoints(lonlat[one], lonlat[one + 1])
    return _label(n, one, mid, first, 0.5 * (lonlat[first] + lonlat[first + 1]))


def path_states(lonlat: np.ndarray, step_km: float) -> tuple[np.ndarray, np.ndarray]:
    """`segment_states` of the path of WGS84 geodesic legs through ``lonlat``, densified every
    ``step_km`` (`geodesy.densify_path_km`), leg by leg.

    Each leg's answer is kept (run-length coded, the last `LEG_CACHE_SIZE` legs): routes share
    legs between the same corners and from the same airports, and only their new legs are
    densified and looked up. Returns read-only (codes, seg_km).
    """
    way = np.ascontiguousarray(lonlat, dtype=float)
    if len(way) < 2:
        return np.zeros(0, dtype=object), np.zeros(0)
    if not (np.isfinite(way).all() and (np.abs(way[:, 1]) <= 90.0).all()):
        raise InvalidCoordinateError("a path vertex has no valid coordinates (latitude beyond +-90 or not a number)")
    step_km = float(step_km)
    keys = [(way[i : i + 2].tobytes(), step_km) for i in range(len(way) - 1)]
    for i, key in enumerate(keys):
        if key not in _LEGS:
            _LEGS[key] = _leg_states(way[i : i + 2], step_km)
            if len(_LEGS) > LEG_CACHE_SIZE:
                _LEGS.popitem(last=False)
        _LEGS.move_to_end(key)
    legs = [_LEGS[k] for k in keys]
    codes = np.concatenate([np.repeat(run_codes, runs) for _, _, runs, run_codes in legs])
    seg_km = np.concatenate([np.full(n, km) for n, km, _, _ in legs])
    codes.flags.writeable = False
    seg_km.flags.writeable = False
    return codes, seg_km


LEG_CACHE_SIZE = 20_000
"""Legs whose `path_states` answer is kept (run-length coded: a few dozen numbers each)."""
_LEGS: OrderedDict[tuple[bytes, float], tuple[int, float, np.ndarray, np.ndarray]] = OrderedDict()
"""Leg (ends, step) -> (segments, km per segment, run lengths, run codes)."""


def _leg_states(ends: np.ndarray, step_km: float) -> tuple[int, float, np.ndarray, np.ndarray]:
    """One leg's (segments, km per segment, run lengths, run codes)."""
    pts, seg_km = geodesy.densify_path_km(ends, step_km)
    codes = _polyline_codes(pts)
    starts = np.r_[0, np.flatnonzero(codes[1:] != codes[:-1]) + 1]
    return len(codes), float(seg_km[0]), np.diff(np.r_[starts, len(codes)]), codes[starts]


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
    """Forget the kept `segment_states` and `path_states` answers."""
    _segment_states_cached.cache_clear()
    _LEGS.clear()
