"""Which state's sovereign airspace each piece of a densified path lies in.

A path is densified into short segments (1 km by default) and each segment is given the state
holding its midpoint (`INTERNATIONAL` over the high seas). Looking up every midpoint would cost a
point-in-polygon test per kilometre; instead only segments that touch a state boundary (from an
index of the boundaries cut into short pieces) are looked up one by one, and every run of
segments between them, which lies in one set of states, takes the state of one point on it.
`path_states` goes further for paths of geodesic legs: it computes the densified points only
near boundaries.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

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
LONG_KM = 256.0
"""`path_states` first tests groups of segments this long, then groups of `COARSE_KM` inside
those near a border."""
COARSE_KM = 32.0
"""`path_states`' short groups (at least one segment)."""
LONG_TEST = ((0.25, 0.5, 0.75), 3.0, 1e-4, 80.0)
"""How long groups are tested (sample fractions, factor, margin in degrees, latitude from which a
group counts as near): the 1-km points of 256-km groups of random legs lie within 0.51 x (2 x
the largest sample deviation + 1e-4 degrees) of their chords below 87 degrees (2,500 legs;
inflections at the equator make the middle point alone unsafe), so 3 x + 1e-4 and 80 degrees
leave a wide margin."""
POLAR_LAT = 87.0
"""`path_states` computes every densified point of pieces reaching this latitude (where
longitudes turn fast)."""
COARSE_TEST = ((0.5,), 2.0, 1e-6, POLAR_LAT)
"""How short groups are tested: the 1-km points of 32-km groups of random legs lie within 0.5 x
(2 x the middle point's deviation + 1e-6 degrees) of their chords below 87 degrees (3,000 legs)."""
CACHE_SIZE = 16
"""Densified polylines whose `segment_states` answer is kept (a route's charges in every month)."""


def _polygons() -> tuple[np.ndarray, np.ndarray]:
    """Every polygon of the full-resolution states and its state's code."""
    gdf = airspace.states("full")
    parts, owner = shapely.get_parts(gdf.geometry.values, return_index=True)
    return parts, np.asarray(gdf["iso_a3"].to_numpy(dtype=object)[owner], dtype=object)


@cache
def _index() -> tuple[shapely.STRtree, np.ndarray, np.ndarray, np.ndarray]:
    """Every polygon of the full-resolution states (prepared), in a tree, with its code and bounds.
    The polygons and codes are kept in the disk cache (`routes.diskcache`): ~30 ms to read
    where the airspace file takes ~0.5 s with its geopandas import."""
    from routes.diskcache import DiskCache, fingerprint

    files = [airspace.data_dir() / "airspace" / "sovereign_airspace.parquet", Path(__file__)]
    store = DiskCache("statemap", fingerprint([*files, Path(airspace.__file__)], shapely.__version__))
    parts, codes = store.get("polygons", _polygons)
    shapely.prepare(parts)
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


def _run_starts(n: int, touching: np.ndarray, breaks: np.ndarray | None = None) -> np.ndarray:
    """First segment of each run of segments not in ``touching`` (a run also starts at each of
    ``breaks``: the first segments of legs that are not consecutive)."""
    free = np.ones(n, dtype=bool)
    free[touching] = False
    starts = free & np.r_[True, ~free[:-1]]
    if breaks is not None:
        starts[breaks] = free[breaks]
    return np.flatnonzero(starts)


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
    lonlat = np.frombuffer(data, dtype=float).reshape(shape)
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
    ``step_km`` as `geodesy.densify_path_km` does, computing the densified points only near
    state boundaries.

    Each leg's segments are grouped by `LONG_KM`, the groups near a border by `COARSE_KM`; a group is
    densified only if a boundary comes near the straight line (in lon/lat) between its ends:
    within a bound of its densified points' distance from that line, from sample points
    (`LONG_TEST`, `COARSE_TEST`), or if it reaches `POLAR_LAT` or crosses the antimeridian. The densified points are
    `Geod.fwd` positions along each leg (those of `densify_path_km` to about 1e-12 degrees).
    Each leg's answer is kept (run-length coded, the last `LEG_CACHE_SIZE` legs): routes share
    legs between the same corners and from the same airports, and only their new legs are
    computed, in one batch. Returns read-only (codes, seg_km).
    """
    way = np.ascontiguousarray(lonlat, dtype=float)
    if len(way) < 2:
        return np.zeros(0, dtype=object), np.zeros(0)
    way = _checked(way)
    step_km = float(step_km)
    keys = _leg_keys(way, step_km)
    for k in keys:
        if k in _LEGS:
            _LEGS.move_to_end(k)
    _fill([(way, keys)], step_km)
    legs = [_LEGS.get(k) for k in keys]
    lost = [i for i, leg in enumerate(legs) if leg is None]  # only if one path has more new legs than the cache
    if lost:
        for i, leg in zip(lost, _legs_states(way[lost], way[np.array(lost) + 1], step_km), strict=True):
            legs[i] = leg
    codes = np.concatenate([np.repeat(run_codes, runs) for _, _, runs, run_codes in legs])
    seg_km = np.concatenate([np.full(n, km) for n, km, _, _ in legs])
    codes.flags.writeable = False
    seg_km.flags.writeable = False
    return codes, seg_km


def prefetch_paths(paths: Iterable[np.ndarray], step_km: float) -> None:
    """Compute the `path_states` answers of several paths' new legs in one batch and keep them.

    Each call of `path_states` has a fixed cost of some hundred array operations; a batch of
    routes (a route-matrix partition) pays it once for all their new legs. Paths with invalid
    coordinates are skipped (`path_states` reports them).
    """
    step_km = float(step_km)
    todo = []
    for lonlat in paths:
        way = np.ascontiguousarray(lonlat, dtype=float)
        if len(way) < 2:
            continue
        try:
            todo.append((_checked(way), _leg_keys(way, step_km)))
        except InvalidCoordinateError:
            continue
    _fill(todo, step_km)


def _checked(way: np.ndarray) -> np.ndarray:
    """``way`` if every vertex has valid coordinates; raises `InvalidCoordinateError` otherwise."""
    if not (np.isfinite(way).all() and (np.abs(way[:, 1]) <= 90.0).all()):
        raise InvalidCoordinateError("a path vertex has no valid coordinates (latitude beyond +-90 or not a number)")
    return way


def _leg_keys(way: np.ndarray, step_km: float) -> list[tuple[bytes, float]]:
    """The cache keys of a path's legs (their ends' bytes and the step)."""
    return [(way[i : i + 2].tobytes(), step_km) for i in range(len(way) - 1)]


def _fill(paths: list[tuple[np.ndarray, list[tuple[bytes, float]]]], step_km: float) -> None:
    """Compute and keep the legs of ``paths`` ((way, leg keys) each) that are not kept yet, in
    batches of at most `BATCH_SEGMENTS` densified segments."""
    new: dict[tuple[bytes, float], np.ndarray] = {}
    for way, keys in paths:
        for i, k in enumerate(keys):
            if k not in _LEGS and k not in new:
                new[k] = way[i : i + 2]
    if not new:
        return
    ends = np.stack(list(new.values()))
    _, _, dist = geodesy.inverse(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])
    segments = np.cumsum(np.maximum(np.atleast_1d(dist) / (step_km * 1000.0), 1.0))
    batch = np.floor_divide(segments - 1.0, BATCH_SEGMENTS).astype(int)  # a batch may end one leg over
    keys = list(new)
    for b in np.unique(batch):
        sel = np.flatnonzero(batch == b)
        got = _legs_states(ends[sel, 0], ends[sel, 1], step_km)
        for i, leg in zip(sel, got, strict=True):
            _LEGS[keys[i]] = leg
            if len(_LEGS) > LEG_CACHE_SIZE:
                _LEGS.popitem(last=False)


BATCH_SEGMENTS = 500_000
"""Densified segments `path_states` handles in one batch (bounds its temporary arrays)."""
LEG_CACHE_SIZE = 20_000
"""Legs whose `path_states` answer is kept (run-length coded: a few dozen numbers each)."""
_LEGS: OrderedDict[tuple[bytes, float], tuple[int, float, np.ndarray, np.ndarray]] = OrderedDict()
"""Leg (ends, step) -> (segments, km per segment, run lengths, run codes)."""


def _legs_states(a: np.ndarray, b: np.ndarray, step_km: float) -> list[tuple[int, float, np.ndarray, np.ndarray]]:
    """`path_states` of independent legs a[i] -> b[i], computed together: per leg (segments,
    km per segment, run lengths, run codes)."""
    return _LegBatch(a, b, step_km).states()


class _LegBatch:
    """Legs a[i] -> b[i] densified at ``step_km``, labelled with their states in four vectorised steps:
    long groups of segments far from every border (done), short groups inside the others, densified
    points of the short groups near a border, then runs of equal states."""

    def __init__(self, a: np.ndarray, b: np.ndarray, step_km: float) -> None:
        self.a, self.b, self.step_km = a, b, step_km
        az, _, dist = geodesy.inverse(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        self.az, dist = np.atleast_1d(az), np.atleast_1d(dist)
        self.n_leg = np.maximum(np.ceil(dist / (step_km * 1000.0)), 1).astype(np.int64)
        self.step_m = dist / self.n_leg
        self.first_seg = np.r_[0, np.cumsum(self.n_leg)[:-1]]
        self.n = int(self.n_leg.sum())

    def point(self, leg: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Densified point k of each leg (its ends exactly)."""
        a, b = self.a, self.b
        out = geodesy.direct(a[leg, 0], a[leg, 1], self.az[leg], k * self.step_m[leg])
        end = k == self.n_leg[leg]
        out[k == 0], out[end] = a[leg[k == 0]], b[leg[end]]
        return out

    def near(self, leg: np.ndarray, k0: np.ndarray, k1: np.ndarray, level: tuple) -> tuple[np.ndarray, ...]:
        """Ends of groups k0..k1 of legs, and whether a border may come near the group's
        densified points: within ``factor`` x the largest distance of the sample points
        (``fractions`` of the group) from the chord, plus ``margin_deg``; groups reaching
        ``polar_lat`` or crossing the antimeridian count as near."""
        fractions, factor, margin_deg, polar_lat = level
        ks = [k0, k1] + [k0 + ((k1 - k0) * f).astype(np.int64) for f in fractions]
        pts = self.point(np.tile(leg, len(ks)), np.concatenate(ks)).reshape(len(ks), len(leg), 2)
        p0, p1, inner = pts[0], pts[1], pts[2:]
        lon = np.concatenate([p0[None, :, 0], inner[..., 0], p1[None, :, 0]])
        out = (np.abs(np.diff(lon, axis=0)).max(axis=0) > 180.0) | (np.abs(pts[..., 1]).max(axis=0) >= polar_lat)
        d = p1 - p0
        length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-300)
        dev = (np.abs(d[:, 0] * (inner[..., 1] - p0[:, 1]) - d[:, 1] * (inner[..., 0] - p0[:, 0])) / length).max(axis=0)
        plain = np.flatnonzero(~out)
        if len(plain):
            chords = shapely.linestrings(np.stack([p0[plain], p1[plain]], axis=1))
            src, _ = _borders().query(chords, predicate="dwithin", distance=factor * dev[plain] + margin_deg)
            out[plain[np.unique(src)]] = True
        return p0, p1, out

    @staticmethod
    def split(leg: np.ndarray, k0: np.ndarray, k1: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
        """Groups k0..k1 cut into groups of ``size`` segments."""
        count = -(-(k1 - k0) // size)
        g_leg = np.repeat(leg, count)
        g_k0 = np.repeat(k0, count) + size * (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
        return g_leg, g_k0, np.minimum(g_k0 + size, np.repeat(k1, count))

    def groups(self) -> tuple[np.ndarray, ...]:
        """Groups (leg, k0, k1, chord start, chord end, near a border), ordered along the legs: long groups
        first (far from every border: done), then short groups inside the others."""
        short = max(int(COARSE_KM // self.step_km), 1)
        n_legs = len(self.a)
        b_leg, b_k0, b_k1 = self.split(
            np.arange(n_legs), np.zeros(n_legs, np.int64), self.n_leg, max(int(LONG_KM // self.step_km), short)
        )
        b_p0, b_p1, b_near = self.near(b_leg, b_k0, b_k1, LONG_TEST)
        s_leg, s_k0, s_k1 = self.split(b_leg[b_near], b_k0[b_near], b_k1[b_near], short)
        s_p0, s_p1, s_near = self.near(s_leg, s_k0, s_k1, COARSE_TEST)
        g_leg, g_k0, g_k1 = (np.r_[x[~b_near], y] for x, y in ((b_leg, s_leg), (b_k0, s_k0), (b_k1, s_k1)))
        p0, p1 = np.vstack([b_p0[~b_near], s_p0]), np.vstack([b_p1[~b_near], s_p1])
        fine = np.r_[np.zeros((~b_near).sum(), bool), s_near]
        order = np.lexsort((g_k0, g_leg))
        return g_leg[order], g_k0[order], g_k1[order], p0[order], p1[order], fine[order]

    def fine_segments(self, g_leg: np.ndarray, g_k0: np.ndarray, g_k1: np.ndarray) -> tuple[np.ndarray, ...]:
        """The densified segments of the groups given (near a border): start and end points, and their
        segment index over all legs, ascending."""
        sizes = g_k1 - g_k0 + 1  # points per densified group
        pt_leg = np.repeat(g_leg, sizes)
        pt_k = np.repeat(g_k0, sizes) + (np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes))
        pts = self.point(pt_leg, pt_k)
        new_group = np.r_[True, (np.diff(pt_k) != 1) | (pt_leg[1:] != pt_leg[:-1])][: len(pt_k)]
        at = np.flatnonzero(~np.r_[new_group[1:], True])  # points that start a segment (not a group's last)
        return pts[at], pts[at + 1], self.first_seg[pt_leg[at]] + pt_k[at]

    def states(self) -> list[tuple[int, float, np.ndarray, np.ndarray]]:
        """Per leg (segments, km per segment, run lengths, run codes)."""
        g_leg, g_k0, g_k1, p0, p1, fine = self.groups()
        pa, pb, seg = self.fine_segments(g_leg[fine], g_k0[fine], g_k1[fine])
        touch = _touching(pa, pb)
        one = seg[touch]
        # a run starts in a densified group (midpoint of its first segment) or at the start of a
        # group far from every boundary (midpoint of the group's chord: the whole group lies in
        # one set of states); every leg starts a run of its own
        first = _run_starts(self.n, one, self.first_seg)
        where = np.searchsorted(seg, first)
        known = (where < len(seg)) & (seg[np.minimum(where, len(seg) - 1)] == first) if len(seg) else np.zeros(0, bool)
        run_pts = np.empty((len(first), 2))
        if len(seg):
            w = where[known]
            run_pts[known] = 0.5 * (pa[w] + pb[w])
        gi = np.searchsorted(self.first_seg[g_leg] + g_k0, first[~known])  # by the first segment of each group
        run_pts[~known] = 0.5 * (p0[gi] + p1[gi])
        codes = _label(self.n, one, geodesy.chord_midpoints(pa[touch], pb[touch]), first, run_pts)
        out = []
        for leg in range(len(self.a)):
            c = codes[self.first_seg[leg] : self.first_seg[leg] + self.n_leg[leg]]
            starts = np.r_[0, np.flatnonzero(c[1:] != c[:-1]) + 1]
            out.append(
                (int(self.n_leg[leg]), float(self.step_m[leg] / 1000.0), np.diff(np.r_[starts, len(c)]), c[starts])
            )
        return out


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
