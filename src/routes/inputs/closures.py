"""Closed airspace of a scenario at full resolution, for checks (never for routing).

`closed_airspace` is kept in memory per scenario and on disk (`routes.diskcache`, namespace
``closed``) per `closure_key`: the union of the closed states costs ~0.5 s, reading it back ~15 ms.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import numpy as np
import shapely

from routes.diskcache import DiskCache, fingerprint
from routes.inputs import airspace
from routes.inputs.scenarios import Scenario


@dataclass(frozen=True, eq=False)
class ClosedAirspace:
    """Full-resolution closed airspace of a scenario (lon/lat), with per-state parts.

    Attributes
    ----------
    geometry : shapely.Geometry
        Union of closed states and closed polygons, minus open corridors (prepared).
    codes : ndarray of str
        State code of each entry of ``parts`` ("" for scenario polygons).
    parts : ndarray of shapely.Geometry
        The pieces, for naming which state holds a point.
    """

    scenario: Scenario
    geometry: shapely.Geometry
    codes: np.ndarray
    parts: np.ndarray

    def state_at(self, *, lon: float, lat: float) -> str | None:
        """Code of the closed state (or "" for a scenario polygon) holding a point, else None.

        A point on the boundary counts as inside; longitude +-180 is tested on both sides."""
        lons = [lon, -lon] if abs(lon) == 180.0 else [lon]
        if not any(shapely.intersects_xy(self.geometry, x, lat) for x in lons):
            return None
        hit = np.any([shapely.intersects_xy(self.parts, x, lat) for x in lons], axis=0)
        return airspace.most_specific([str(c) for c in self.codes[hit]]) if hit.any() else ""

    @cached_property
    def _pieces(self) -> tuple[shapely.STRtree, np.ndarray]:
        """Every polygon of ``parts`` in a tree, and the code of each (built on first use)."""
        polys, owner = shapely.get_parts(self.parts, return_index=True)
        return shapely.STRtree(polys), self.codes[owner]

    @cached_property
    def _nearest_memo(self) -> dict[tuple[float, float], str]:
        return {}

    def nearest_state(self, lonlat: np.ndarray) -> list[str]:
        """Code of the nearest closed state to each of (k, 2) points, lon/lat planar distance
        ("" for a scenario polygon; the most specific of equally near states). Answers are kept
        per point (routes turn at the same corners again and again)."""
        memo = self._nearest_memo
        if len(memo) > 100_000:
            memo.clear()
        points = [tuple(p) for p in np.asarray(lonlat, float).reshape(-1, 2).tolist()]
        todo = [p for p in dict.fromkeys(points) if p not in memo]
        if todo:
            tree, codes = self._pieces
            (src, hit), dist = tree.query_nearest(shapely.points(todo), all_matches=True, return_distance=True)
            for i, p in enumerate(todo):
                sel = src == i
                best = hit[sel][dist[sel] <= dist[sel].min() + 1e-9]
                memo[p] = airspace.most_specific([str(c) for c in codes[best]])
        return [memo[p] for p in points]

    def contains(self, lonlat: np.ndarray) -> np.ndarray:
        """Whether points (lon, lat) lie in closed airspace."""
        return shapely.contains_xy(self.geometry, lonlat[..., 0], lonlat[..., 1])


MAX_FILES = 32
"""Closed airspaces kept in the disk cache (the least recently used go first)."""


def closure_key(scenario: Scenario) -> str:
    """A digest of what a scenario closes: its closed states, closed polygons and open corridors
    (not its name or provenance). Scenarios closing the same airspace share prepared objects."""
    h = hashlib.blake2b(digest_size=16)
    h.update(" ".join(sorted(scenario.closed_states)).encode())
    for label, geoms in ((b"closed", scenario.closed_polygons), (b"open", scenario.open_corridors)):
        h.update(label)
        for wkb in shapely.to_wkb(list(geoms), hex=False):
            h.update(len(wkb).to_bytes(8, "little") + wkb)
    return h.hexdigest()


@cache
def _store() -> DiskCache:
    here = Path(__file__)
    files = [
        airspace.data_dir() / "airspace" / f
        for f in ("sovereign_airspace.parquet", "sovereign_airspace_routing.parquet")
    ]
    return DiskCache("closed", fingerprint([*files, here, here.with_name("airspace.py")], shapely.__version__))


@lru_cache(maxsize=16)
def closed_airspace(scenario: Scenario) -> ClosedAirspace:
    """The full-resolution closed airspace of ``scenario`` (cached in memory and on disk)."""
    store, key = _store(), closure_key(scenario)
    got = store.load(key)
    if got is None:
        got = _union(scenario)
        store.store(key, got)
        store.prune(MAX_FILES)
    else:
        store.touch(key)
    geom, names, parts = got
    shapely.prepare(geom)
    return ClosedAirspace(scenario, geom, names, parts)


def _union(scenario: Scenario) -> tuple[shapely.Geometry, np.ndarray, np.ndarray]:
    codes = sorted(scenario.closed_states)
    states = airspace.states("full")
    parts = list(states.loc[codes].geometry.values) + list(scenario.closed_polygons)
    names = codes + [""] * len(scenario.closed_polygons)
    geom = shapely.union_all(parts) if parts else shapely.Polygon()
    if scenario.open_corridors:
        geom = geom.difference(shapely.union_all(scenario.open_corridors))
    return geom, np.array(names, dtype=object), np.array(parts, dtype=object)
