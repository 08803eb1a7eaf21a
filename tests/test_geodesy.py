import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from routes import geodesy
from routes.routing import geodesic_route


def test_one_degree_of_longitude_on_the_equator():
    # a * pi / 180 with a = 6378137 m (the equator is a geodesic)
    assert geodesy.distance_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(111_319.490793, abs=1e-3)


def test_quarter_meridian():
    # WGS84 meridian quadrant, 10 001 965.729 m
    assert geodesy.distance_m(0.0, 0.0, 0.0, 90.0) == pytest.approx(10_001_965.729, abs=1e-3)


@pytest.mark.parametrize(
    ("a", "b"),
    [("SVO", "LAX"), ("SVO", "SEA"), ("SVO", "PDX"), ("SVO", "SFO"), ("HEL", "NRT"), ("SYD", "SCL")],
)
def test_route_distance_matches_geographiclib(a, b):
    route = geodesic_route(a, b)
    o, d = route.origin, route.destination
    ref = Geodesic.WGS84.Inverse(o.lat, o.lon, d.lat, d.lon)
    assert route.distance_km * 1000 == pytest.approx(ref["s12"], abs=1.0)
    assert route.legs[0].initial_course_deg == pytest.approx(ref["azi1"] % 360, abs=1e-6)
    assert route.legs[0].final_course_deg == pytest.approx(ref["azi2"] % 360, abs=1e-6)


def test_svo_lax_figures(svo_lax_geodesic):
    r = svo_lax_geodesic
    assert r.distance_km == pytest.approx(9781.09, abs=0.01)
    assert r.distance_nm == pytest.approx(9781.09 / 1.852, abs=0.01)
    assert r.extra_km == 0.0
    # leaves Moscow heading NNW, arrives in Los Angeles heading SSW
    assert 335 < r.legs[0].initial_course_deg < 345
    assert 190 < r.legs[0].final_course_deg < 197


def test_densified_points_are_close_and_on_the_geodesic(svo_lax_geodesic):
    pts = svo_lax_geodesic.densified(5.0)
    steps = geodesy.distance_m(pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1])
    assert steps.max() <= 5000.0 + 1e-6
    assert steps.sum() / 1000 == pytest.approx(svo_lax_geodesic.distance_km, rel=1e-9)


def test_antimeridian_split():
    line = geodesy.split_antimeridian(np.array([[170.0, 60.0], [-170.0, 60.0]]))
    assert len(line.geoms) == 2
    (x0, _), (x1, _) = line.geoms[0].coords[-1], line.geoms[1].coords[0]
    assert (x0, x1) == (180.0, -180.0)
    route = geodesic_route("NRT", "SFO")
    geom = route.geometry()
    assert len(geom.geoms) == 2
    for part in geom.geoms:
        xs = np.asarray(part.coords)[:, 0]
        assert np.abs(np.diff(xs)).max() < 5  # no segment spans the map


def test_geojson_export_has_units_in_names(svo_lax_geodesic):
    feat = svo_lax_geodesic.to_geojson()
    assert feat["type"] == "Feature"
    assert feat["properties"]["distance_km"] == pytest.approx(9781.1)
    assert feat["properties"]["distance_nm"] == pytest.approx(5281.4, abs=0.1)
    gdf = svo_lax_geodesic.to_geodataframe()
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 1


def test_gnomonic_maps_great_circles_to_lines():
    g = geodesy.Gnomonic(lon0=-100.0, lat0=80.0)
    a, b = geodesy.to_xyz(37.4, 56.0), geodesy.to_xyz(-118.4, 33.9)
    t = np.linspace(0, 1, 7)[:, None]
    arc = (1 - t) * a + t * b
    arc /= np.linalg.norm(arc, axis=1, keepdims=True)
    xy = g.forward_xyz(arc)
    d = xy - xy[0]
    cross = d[:, 0] * d[-1, 1] - d[:, 1] * d[-1, 0]
    assert np.abs(cross).max() < 1e-12


def test_split_antimeridian_step_along_the_antimeridian():
    # (180, 0.5) -> (-180, 1) is a step north along the antimeridian, not a crossing of the globe
    for lon in (180.0, -180.0):
        line = geodesy.split_antimeridian(
            np.array([[lon - np.sign(lon), 0.0], [lon, 0.5], [-lon, 1.0], [-lon + np.sign(lon), 1.5]])
        )
        first, second = shapely.get_parts(line)
        assert shapely.get_coordinates(first).tolist() == [[lon - np.sign(lon), 0.0], [lon, 0.5], [lon, 1.0]]
        assert shapely.get_coordinates(second)[0].tolist() == [-lon, 1.0]
        assert line.length == pytest.approx(2 * np.hypot(1.0, 0.5) + 0.5)


def test_inverse_of_one_point_arrays_matches_the_vectorised_call():
    many = geodesy.inverse(np.array([37.4, 10.0]), np.array([55.9, -5.0]), np.array([-118.4, 179.0]), [33.9, 60.0])
    for i in range(2):
        one = geodesy.inverse(np.array([[37.4, 10.0][i]]), [[55.9, -5.0][i]], [[-118.4, 179.0][i]], [[33.9, 60.0][i]])
        assert all(x.shape == (1,) for x in one)
        np.testing.assert_allclose([x[0] for x in one], [m[i] for m in many], rtol=1e-12)
    scalar = geodesy.inverse(37.4, 55.9, -118.4, 33.9)
    assert all(x.shape == () for x in scalar) and float(scalar[2]) == pytest.approx(float(many[2][0]), rel=1e-12)
