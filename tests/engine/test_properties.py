"""Property tests of the route engine's invariants (hypothesis).

Synthetic obstacle fields (a few boxes near the equator or the pole, some across the
antimeridian) keep every case fast and controlled; a smaller run uses the real data.
"""

import os

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import routes
from routes.analysis.verify import verify_route
from routes.inputs.airports import LatLon, same_point
from routes.inputs.scenarios import Scenario

# 30 examples x 4 synthetic properties in CI (the suite's slowest file but the notebooks, the CLI and the
# mission tests at 60); set POLAR_ROUTES_EXAMPLES=400 for a longer soak (benchmarks/soak.py runs 1,000)
EXAMPLES = int(os.environ.get("POLAR_ROUTES_EXAMPLES", "30"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOL_KM = 0.05  # the engine's chart tolerance is ~20 m per corner


@st.composite
def boxes(draw, n_min=1, n_max=4):
    """Up to a few lon/lat boxes around a centre that may sit on the antimeridian or near a pole."""
    lon_c = draw(st.sampled_from([0.0, 180.0, -100.0]))
    lat_c = draw(st.sampled_from([0.0, 45.0, 75.0]))
    out = []
    for _ in range(draw(st.integers(n_min, n_max))):
        w, h = draw(st.floats(1.0, 8.0)), draw(st.floats(1.0, 6.0))
        x = lon_c + draw(st.floats(-12.0, 12.0))
        y = float(np.clip(lat_c + draw(st.floats(-8.0, 8.0)), -80, 80 - h))
        x = (x + 180.0) % 360.0 - 180.0
        box = shapely.box(x - w / 2, y, x + w / 2, y + h)
        # split at the antimeridian like GeoJSON (RFC 7946) does
        for shift in (-360.0, 0.0, 360.0):
            piece = shapely.affinity.translate(box, shift).intersection(shapely.box(-180, -90, 180, 90))
            if not piece.is_empty and piece.area > 0:
                out.append(piece)
    return lon_c, lat_c, shapely.union_all(out)


@st.composite
def field_and_points(draw):
    lon_c, lat_c, geom = draw(boxes())
    pts = []
    for _ in range(2):
        lon = (lon_c + draw(st.floats(-25.0, 25.0)) + 180.0) % 360.0 - 180.0
        lat = float(np.clip(lat_c + draw(st.floats(-15.0, 15.0)), -85, 85))
        pts.append(LatLon(round(lat, 4), round(lon, 4)))
    return geom, pts[0], pts[1]


def _ok_endpoints(geom, a, b, pad_deg=0.6):
    """Both endpoints farther than ``pad_deg`` from the obstacles (across +-180 too)."""
    grown = geom.buffer(pad_deg)
    return not any(grown.intersects(shapely.Point(p.lon + k, p.lat)) for p in (a, b) for k in (-360, 0, 360))


@SETTINGS
@given(field_and_points())
def test_route_avoids_closed_airspace_and_is_not_shorter_than_the_geodesic(case):
    geom, a, b = case
    assume(_ok_endpoints(geom, a, b) and not same_point(a, b))
    r = routes.route(a, b, Scenario.build("boxes", closed_polygons=geom))
    assert r.feasible, r.reason
    assert r.distance_km >= r.geodesic_km - 1e-6
    check = verify_route(r, tolerance_km=0.0)
    assert check.points_inside == 0 and not check.crosses


@SETTINGS
@given(field_and_points())
def test_reverse_route_has_the_same_length(case):
    geom, a, b = case
    assume(_ok_endpoints(geom, a, b) and not same_point(a, b))
    scn = Scenario.build("boxes", closed_polygons=geom)
    there, back = routes.route(a, b, scn), routes.route(b, a, scn)
    assert back.distance_km == pytest.approx(there.distance_km, rel=1e-3)


@SETTINGS
@given(field_and_points(), boxes(1, 1))
def test_adding_an_obstacle_never_shortens_a_route(case, extra):
    geom, a, b = case
    more = shapely.union_all([geom, extra[2]])
    assume(_ok_endpoints(more, a, b) and not same_point(a, b))
    base = routes.route(a, b, Scenario.build("boxes", closed_polygons=geom))
    harder = routes.route(a, b, Scenario.build("more-boxes", closed_polygons=more))
    assert harder.distance_km >= base.distance_km - TOL_KM


@SETTINGS
@given(field_and_points(), st.floats(0.0, 40.0), st.floats(0.0, 40.0))
def test_a_larger_margin_never_shortens_a_route(case, m1, m2):
    geom, a, b = case
    small, large = sorted((m1, m2))
    # outside both margin bands (the band rule waives the margin near airports)
    assume(_ok_endpoints(geom, a, b, pad_deg=0.6 + large * 1.852 / 111.0 / 0.25))
    assume(not same_point(a, b))
    scn = Scenario.build("boxes", closed_polygons=geom)
    r_small, r_large = routes.route(a, b, scn, small), routes.route(a, b, scn, large)
    assert r_large.distance_km >= r_small.distance_km - TOL_KM
    assert verify_route(r_large).min_clearance_km >= large * 1.852 - 1.0


NORTH = ["SVO", "LED", "OVB", "KJA", "YKS", "PKC", "VVO", "LAX", "SEA", "ANC", "FAI", "HNL", "NRT", "PEK", "DEL", "DXB"]


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(NORTH),
    st.sampled_from(NORTH),
    st.sampled_from(["europe-closed", "europe-canada-closed"]),
)
def test_real_data_routes_pass_the_independent_check(a, b, scenario):
    assume(a != b)
    r = routes.route(a, b, scenario)
    if not r.feasible:  # only when an airport lies in closed airspace
        assert "lies in the closed airspace" in r.reason
        return
    assert r.distance_km >= r.geodesic_km - 1e-6
    assert verify_route(r).ok
    assert routes.route(b, a, scenario).distance_km == pytest.approx(r.distance_km, rel=1e-3)
