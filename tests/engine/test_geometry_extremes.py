"""Geometry extremes (issue 11): hemispheres, caps, bands, antimeridian-crossing boxes, world-sized
corridors, through the public API. Every feasible result must pass `verify_route` and never be shorter than
the geodesic; where the geodesic is clear of the closed polygon the route must be the geodesic.

POLAR_ROUTES_EXAMPLES sets the example count (default small for CI)."""

from __future__ import annotations

import os

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import routes
from routes import geodesy

# each case builds its obstacles: 1 example per property in CI; POLAR_ROUTES_EXTREME_EXAMPLES for a soak
EXAMPLES = int(
    os.environ.get("POLAR_ROUTES_EXTREME_EXAMPLES", max(1, int(os.environ.get("POLAR_ROUTES_EXAMPLES", "60")) // 60))
)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(r: routes.Route, closed: shapely.Geometry) -> None:
    geodesic = routes.geodesic_route(r.origin, r.destination)
    clear = not shapely.intersects(geodesic.geometry(50.0), closed)
    if clear:
        assert r.feasible, r.reason
        assert r.distance_km == pytest.approx(geodesic.distance_km, rel=1e-6)
    if r.feasible:
        assert r.distance_km >= geodesic.distance_km - 1e-6
        assert routes.verify_route(r).ok


@SETTINGS
@given(st.floats(-60, -10), st.floats(-170, 170), st.floats(-60, -10), st.floats(-170, 170))
def test_northern_hemisphere_closed(lat1, lon1, lat2, lon2):
    closed = shapely.box(-180, 0, 180, 90)
    scn = routes.Scenario.build("north-closed", closed_polygons=closed)
    a, b = f"{lat1},{lon1}", f"{lat2},{lon2}"
    if geodesy.distance_m(lon1, lat1, lon2, lat2) < 1000.0:
        return
    _check(routes.route(a, b, scn), closed)


@SETTINGS
@given(st.floats(70, 84), st.floats(-10, 40), st.floats(-20, 20))
def test_polar_cap(cap_lat, lon1, lon2):
    closed = shapely.box(-180, cap_lat, 180, 90)
    scn = routes.Scenario.build("cap", closed_polygons=closed)
    _check(routes.route(f"50,{lon1}", f"50,{lon2 + 100}", scn), closed)


@SETTINGS
@given(st.floats(5, 20), st.floats(-30, 30))
def test_antimeridian_box(half_width, lat):
    closed = shapely.MultiPolygon(
        [shapely.box(180 - half_width, -40, 180, 40), shapely.box(-180, -40, -180 + half_width, 40)]
    )
    scn = routes.Scenario.build("dateline", closed_polygons=closed)
    _check(routes.route(f"{lat},150", f"{lat},-150", scn), closed)


def test_world_corridor_reopens_europe():
    corridor = shapely.box(-180, -90, 180, 90)
    scn = routes.get_scenario("europe-closed").with_polygons(open_corridors=corridor)
    r = routes.route("SVO", "CDG", scn)
    assert r.feasible
    assert r.distance_km == pytest.approx(routes.geodesic_route("SVO", "CDG").distance_km, rel=1e-6)
