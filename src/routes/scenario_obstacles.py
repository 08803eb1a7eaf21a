"""The engine's obstacles for a scenario and margin: the one place that feeds airspace data to it.

The engine (`routes.engine`) runs on plain polygons; this module chooses them: the closed states'
routing layer (a conservative superset of the airspace) expanded by the margin, the scenario's
closed polygons expanded by the margin + `USER_SAFETY_M`, and its open corridors narrowed by the
same. Cached per scenario and margin.
"""

from __future__ import annotations

from functools import lru_cache

import shapely

from routes import engine
from routes.inputs import airspace
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


@lru_cache(maxsize=32)
def scenario_obstacles(scenario: Scenario, margin_nm: float = 0.0) -> engine.Obstacles:
    """Prepared engine obstacles of ``scenario`` with a lateral margin (cached).

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


def clear_caches() -> None:
    """Forget prepared obstacles and the engine's charts (for tests and cold-start benchmarks)."""
    scenario_obstacles.cache_clear()
    engine.clear_caches()
