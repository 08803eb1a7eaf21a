"""The engine's obstacles for a scenario and margin: the one place that feeds airspace data to it.

The engine (`routes.engine`) runs on plain polygons; this module chooses them: the closed states'
routing layer (a conservative superset of the airspace) expanded by the margin, the scenario's
closed polygons expanded by the margin + `USER_SAFETY_M`, and its open corridors narrowed by the
same. Cached per scenario and margin.

**On disk** (`routes.diskcache`), so that a fresh process starts warm:

- obstacles (namespace ``obstacles``), per `closure_key` and margin, written when built;
- the engine's charts of them (namespace ``charts``), per obstacles and chart centre
  (`engine.chart_key`). `disk_chart` wraps an engine query: before it, a chart this process does
  not hold is read from disk (`engine.import_chart`, ~25 ms against ~0.5-1 s to build); after it,
  a chart built by the query is written (`engine.export_chart`, ~30 ms), and a chart used by
  `REWRITE_AFTER` queries in this process is written again with the visibility verdicts they
  added. At most `MAX_CHART_FILES` charts are kept (the least recently used go first).

Both are keyed by a `fingerprint` of the airspace data and of the engine's and this module's
source code: new data or code never meets old files. A damaged file gives a `CacheWarning` and is
built again.
"""

from __future__ import annotations

import importlib.util
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import shapely

from routes import engine, geodesy
from routes.diskcache import DiskCache, fingerprint
from routes.errors import CacheWarning
from routes.inputs import airspace
from routes.inputs.closures import closure_key
from routes.inputs.scenarios import Scenario
from routes.units import KM_PER_NM

SAFETY_M = 1250.0
"""Least distance (m) by which the shipped routing layer exceeds the full-resolution airspace
(``scripts/build_airspace.py``: 0.1 x 2.5 km tolerance + 1 km buffer). It covers the difference
between straight edges of projected polygons and geodesic edges; routes therefore pass closed
airspace at ``margin + >= 1.25 km`` (and at most ~6.25 km more, the layer's outward tolerance)."""
USER_SAFETY_M = 100.0
"""Extra outward buffer of user polygons (exact, unsimplified) and inward buffer of open
corridors: covers the lon/lat-straight vs geodesic reading of their 0.1-degree edge pieces and
the charts' ~20 m tolerance, so routes keep clear of them in the independent check."""


MAX_OBSTACLE_FILES = 32
"""Prepared obstacles kept in the disk cache."""
MAX_CHART_FILES = 96
"""Charts kept in the disk cache (~1 MB each)."""
REWRITE_AFTER = (16, 128, 1024)
"""A chart is written again after this many queries on it in one process (with their verdicts)."""
_KEYS: weakref.WeakKeyDictionary[engine.Obstacles, str] = weakref.WeakKeyDictionary()
"""The disk key of each obstacles object of this process (`obstacles_key`)."""
_USES: dict[tuple[str, tuple[float, float]], int] = {}
"""Queries per chart in this process (`disk_chart`)."""


@cache
def _version() -> str:
    """The disk cache's version: the routing layer, this module, the engine's and the geodesy's source,
    and pyproj's version (its ``__init__``, which names it; the margins are buffered in its projections)."""
    files = [
        airspace.data_dir() / "airspace" / "sovereign_airspace_routing.parquet",
        Path(__file__),
        *Path(engine.__file__).parent.glob("*.py"),
        Path(geodesy.__file__),
        Path(importlib.util.find_spec("pyproj").origin),
    ]
    return fingerprint(files, shapely.__version__, np.__version__)


def _store(namespace: str) -> DiskCache:
    return DiskCache(namespace, _version())


def obstacles_key(scenario: Scenario, margin_nm: float) -> str:
    """Names the obstacles of ``scenario`` with ``margin_nm`` in the disk cache."""
    return f"{closure_key(scenario)}|{float(margin_nm)!r}"


@lru_cache(maxsize=32)
def scenario_obstacles(scenario: Scenario, margin_nm: float = 0.0) -> engine.Obstacles:
    """Prepared engine obstacles of ``scenario`` with a lateral margin (cached in memory and on disk).

    Parameters
    ----------
    scenario : Scenario
        Closed states, closed polygons and open corridors.
    margin_nm : float
        Lateral clearance from closed airspace in nautical miles, >= 0.

    Returns
    -------
    engine.Obstacles
        For `routes.engine.solve` and `routes.engine.legs_clear`.
    """
    if margin_nm < 0:
        raise ValueError(f"margin_nm must be >= 0, got {margin_nm}")
    store, key = _store("obstacles"), obstacles_key(scenario, margin_nm)
    obstacles = store.load(key)
    if isinstance(obstacles, engine.Obstacles):
        store.touch(key)
    else:
        obstacles = _build(scenario, margin_nm)
        store.store(key, obstacles)
        store.prune(MAX_OBSTACLE_FILES)
    _KEYS[obstacles] = key
    return obstacles


def _build(scenario: Scenario, margin_nm: float) -> engine.Obstacles:
    buffer_m = margin_nm * KM_PER_NM * 1000.0
    closed: list[tuple[shapely.Geometry, float]] = []
    codes = scenario.closed_states
    if codes:
        closed.extend((g, buffer_m) for g in airspace.states("routing").loc[sorted(codes)].geometry.values)
    closed.extend(
        (shapely.segmentize(g, engine.EXTRA_SEGMENT_DEG), buffer_m + USER_SAFETY_M) for g in scenario.closed_polygons
    )
    corridors = [(p, buffer_m + USER_SAFETY_M) for p in scenario.open_corridors]
    return engine.prepare_obstacles(closed, corridors)


@contextmanager
def disk_chart(obstacles: engine.Obstacles, start: np.ndarray, goal: np.ndarray) -> Iterator[None]:
    """Around an engine query from ``start`` to ``goal`` ((lon, lat) each) on ``obstacles`` (from
    `scenario_obstacles`): its chart is read from the disk cache first unless this process holds
    it, and written there afterwards if the query built it (or used it `REWRITE_AFTER` times).
    Obstacles that did not come from `scenario_obstacles` are left alone."""
    key = _KEYS.get(obstacles)
    center = engine.chart_key(start, goal)
    if key is None or not np.isfinite(center).all():
        yield
        return
    held = engine.holds_chart(obstacles, center)
    name = f"{key}|{center!r}"
    store = _store("charts")
    loaded = not held and _load_chart(store, name, obstacles, center)
    yield
    uses = _USES[(key, center)] = _USES.get((key, center), 0) + 1
    built = not held and not loaded and engine.holds_chart(obstacles, center)
    if built or uses in REWRITE_AFTER:
        data = engine.export_chart(obstacles, center)
        if data is not None and store.store(name, data):
            store.prune(MAX_CHART_FILES)


def _load_chart(store: DiskCache, name: str, obstacles: engine.Obstacles, center: tuple[float, float]) -> bool:
    """Import the chart ``name`` from disk; False if there is none (or it was not a valid chart)."""
    data = store.load(name)
    if data is None:
        return False
    try:
        engine.import_chart(obstacles, center, data)
    except (ValueError, TypeError) as exc:
        warnings.warn(f"ignoring cached chart {name}: {exc}; rebuilding it", CacheWarning, stacklevel=3)
        path = store.path(name)
        if path is not None:
            path.unlink(missing_ok=True)
        return False
    store.touch(name)
    return True


def clear_caches() -> None:
    """Forget prepared obstacles and the engine's charts held in memory (for tests and cold-start
    benchmarks; the disk cache stays: `clear_disk_cache` empties it)."""
    scenario_obstacles.cache_clear()
    engine.clear_caches()
    _USES.clear()


def clear_disk_cache() -> int:
    """Remove the obstacles and charts of the disk cache; returns how many files."""
    return _store("obstacles").clear() + _store("charts").clear()
