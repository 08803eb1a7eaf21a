from dataclasses import replace

import numpy as np
import pytest
import shapely

import routes
from routes import geodesy
from routes.analysis.overflight import overflight
from routes.analysis.verify import verify_route
from routes.comparison import MISSION_DESTINATIONS
from routes.errors import InvalidCoordinateError, ScenarioError, UnknownAirportError
from routes.inputs.airports import LatLon
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import make_legs
from routes.routing import geodesic_route

WEST_COAST = MISSION_DESTINATIONS


def test_pre_2022_is_the_geodesic():
    r = routes.route("SVO", "LAX", "pre-2022")
    assert r.feasible and len(r.waypoints) == 2
    assert r.distance_km == pytest.approx(geodesic_route("SVO", "LAX").distance_km)
    assert r.extra_km == 0.0


@pytest.mark.parametrize("dest", WEST_COAST)
def test_europe_closed_goes_round_norway_svalbard_and_north_of_greenland(mission_routes, dest):
    r = mission_routes[(dest, "europe-closed")]
    assert r.feasible
    assert r.states_rounded[0] == "NOR" and "SJM" in r.states_rounded and r.states_rounded[-1] == "GRL"
    first = r.turns[0]
    assert 30.5 < first.lon < 33.0 and 70.0 < first.lat < 71.0  # off Vardo, east of Norway's mainland
    assert r.max_latitude > 83.5  # north of Greenland (Cape Morris Jesup is at 83.66 N)
    assert 0 < r.extra_pct < 1.5
    assert not [o for o in overflight(r) if o.state_closed]
    assert "CAN" in [o.iso_a3 for o in overflight(r)]  # then down through Western Canada


@pytest.mark.parametrize("dest", WEST_COAST)
def test_europe_canada_closed_goes_via_alaska_and_the_pacific(mission_routes, dest):
    r = mission_routes[(dest, "europe-canada-closed")]
    assert r.feasible and r.states_rounded == ("CAN",)
    over = [o.iso_a3 for o in overflight(r)]
    assert over[0] == "RUS" and "USA" in over and "CAN" not in over
    # rounds the Yukon-Alaska border at the Beaufort Sea (141 W) and Haida Gwaii (about 53 N, 133 W)
    assert any(abs(w.lon + 141.0) < 0.3 and w.lat > 69.5 for w in r.turns)
    assert any(52.5 < w.lat < 54.0 and -134.0 < w.lon < -132.5 for w in r.turns)
    assert 5.0 < r.extra_pct < 9.0
    assert r.distance_km > r.geodesic_km


@pytest.mark.parametrize("scenario", ["europe-closed", "europe-canada-closed"])
@pytest.mark.parametrize("dest", WEST_COAST)
def test_mission_routes_pass_the_independent_check(mission_routes, dest, scenario):
    check = verify_route(mission_routes[(dest, scenario)])
    assert check.ok and check.points_inside == 0 and not check.crosses
    assert 1.0 < check.min_clearance_km < 10.0  # conservative by the routing layer's 1.25-6.25 km


@pytest.mark.parametrize("dest", WEST_COAST)
def test_closures_2022_is_infeasible_with_the_reason(dest):
    r = routes.route("SVO", dest, "closures-2022")
    assert not r.feasible and np.isnan(r.distance_km)
    assert r.reason == f"destination {dest} lies in the closed airspace of United States (USA)"


def test_origin_inside_closed_airspace():
    r = routes.route("HEL", "NRT", "europe-closed")
    assert not r.feasible and r.reason.startswith("origin HEL lies in the closed airspace of Finland (FIN)")


def test_airport_on_a_closed_boundary_across_the_antimeridian_is_inside():
    scn = Scenario.build("edge", closed_polygons=shapely.box(178, 0, 180, 1))
    r = routes.route(LatLon(0, -180), LatLon(10, 170), scn)
    assert not r.feasible and "origin" in r.reason and "closed polygon" in r.reason


def test_margin_keeps_its_clearance():
    r0 = routes.route("SVO", "SFO", "europe-closed")
    r20 = routes.route("SVO", "SFO", "europe-closed", margin_nm=20)
    assert r20.distance_km > r0.distance_km
    check = verify_route(r20)
    assert check.ok and check.min_clearance_km >= 20 * 1.852 - 1.0


def test_band_rule_for_an_airport_near_closed_airspace():
    # Seattle is ~60 nm from Canadian territorial sea: a 100 nm margin puts it in the band
    r = routes.route("SVO", "SEA", "europe-canada-closed", margin_nm=100)
    assert r.feasible
    check = verify_route(r, margin_nm=0)
    assert check.ok  # never inside Canada itself
    assert check.min_clearance_km < 100 * 1.852  # the arrival leg does cross the band
    # away from Seattle the full margin holds: all legs but the arrival leg
    head = replace(r, waypoints=r.waypoints[:-1], legs=make_legs(r.waypoints[:-1]))
    assert verify_route(head).min_clearance_km >= 100 * 1.852 - 1.0


def test_invalid_input_errors():
    with pytest.raises(UnknownAirportError):
        routes.route("SVO", "XXQ", "europe-closed")
    with pytest.raises(ScenarioError):
        routes.route("SVO", "LAX", "nowhere")
    with pytest.raises(InvalidCoordinateError):
        routes.route("SVO", "95,0")
    with pytest.raises(ValueError, match="margin_nm"):
        routes.route("SVO", "LAX", "europe-closed", margin_nm=-5)
    with pytest.raises(InvalidCoordinateError, match="same point"):
        routes.route("SVO", "UUEE")


def test_no_route_when_the_destination_is_walled_in():
    ring = shapely.Point(10, 50).buffer(3).difference(shapely.Point(10, 50).buffer(2))
    scn = Scenario.build("wall", closed_polygons=ring)
    r = routes.route("0,0", "50,10", scn)
    assert not r.feasible and "no route avoids the closed airspace of wall" in r.reason


def test_analytic_optimum_around_a_box_spanning_the_antimeridian():
    boxes = [shapely.box(170, -10, 180, 10), shapely.box(-180, -10, -170, 10)]
    scn = Scenario.build("dateline-box", closed_polygons=shapely.MultiPolygon(boxes))
    r = routes.route(LatLon(0, 165), LatLon(0, -165), scn)
    # the taut string touches the two corners (10, 170) and (10, -170) (or the mirror ones)
    corners = np.array([[165, 0], [170, 10], [-170, 10], [-165, 0]], float)
    expected_km = geodesy.distance_m(corners[:-1, 0], corners[:-1, 1], corners[1:, 0], corners[1:, 1]).sum() / 1000
    assert r.distance_km == pytest.approx(expected_km, rel=2e-4)
    assert verify_route(r).ok
    assert all(abs(w.lat) >= 10.0 - 1e-3 for w in r.turns)  # did not slip through the seam at 180


def test_analytic_optimum_around_a_polar_cap():
    # closed cap north of 85 N (a polygon containing the pole); endpoints at 80 N on opposite
    # meridians, so the geodesic crosses the pole. Near the pole WGS84 is a sphere of radius
    # a / sqrt(1 - e2) to 1e-4; the shortest path is tangent - arc of the cap - tangent.
    ring = [(lon, 85.0) for lon in np.linspace(-180, 180, 721)] + [(180, 90), (-180, 90)]
    scn = Scenario.build("cap", closed_polygons=shapely.Polygon(ring))
    r = routes.route(LatLon(80, 0), LatLon(80, 180), scn)
    radius = 6378.137 / np.sqrt(1 - 0.00669437999014)
    cap, dist = np.radians(5.0), np.radians(10.0)
    tangent = np.arccos(np.cos(dist) / np.cos(cap))
    alpha = np.arccos(np.tan(cap) / np.tan(dist))
    expected_km = radius * (2 * tangent + np.sin(cap) * (np.pi - 2 * alpha))
    assert r.distance_km == pytest.approx(expected_km, rel=2e-3)
    assert r.distance_km >= expected_km * (1 - 2e-3)
    assert verify_route(r).ok and r.max_latitude < 85.0 + 1e-6


def test_route_longer_than_a_quarter_of_the_globe_via_the_pacific():
    # SVO -> LAX with Europe and Canada closed: > 10,000 km, over the Bering Sea side
    r = routes.route("SVO", "LAX", "europe-canada-closed")
    assert r.distance_km > 10_000
    assert min(w.lon for w in r.turns) < -140


def test_exports_of_a_constrained_route(mission_routes):
    r = mission_routes[("LAX", "europe-closed")]
    feat = r.to_geojson()
    assert feat["properties"]["states_rounded"].split()[0] == "NOR"
    assert feat["properties"]["extra_km"] == pytest.approx(r.extra_km, abs=0.1)
    assert sum(leg.distance_km for leg in r.legs) == pytest.approx(r.distance_km)
    assert r.to_geodataframe().geometry.iloc[0].length > 0


@pytest.mark.parametrize("margin_nm", [0, 5])
def test_open_corridor_through_closed_canada(margin_nm):
    corridor = shapely.Polygon([(-141.5, 70.5), (-136, 70.5), (-124, 49.5), (-127.5, 48.6)])
    base = routes.route("SVO", "SEA", "europe-canada-closed", margin_nm)
    scn = get_scenario("europe-canada-closed").with_polygons(open_corridors=corridor, name="corridor")
    r = routes.route("SVO", "SEA", scn, margin_nm)
    assert r.feasible and r.distance_km < base.distance_km - 200  # the corridor saves distance
    check = verify_route(r)
    assert check.ok and check.points_inside == 0  # corridor walls kept at margin + 100 m
    assert "CAN" in [o.iso_a3 for o in overflight(r)]  # it does fly through Canada, in the corridor


def test_kaliningrad_to_moscow_uses_the_gulf_of_finland_high_seas_corridor():
    # Kaliningrad is walled in by Poland and Lithuania; with Europe closed the way out is over
    # the Baltic and through the ~6 nm high-seas corridor that Finland and Estonia leave
    r = routes.route("KGD", "SVO", "europe-closed")
    assert r.feasible and 1400 < r.distance_km < 1700  # the geodesic is 1,069 km
    assert any(59.5 < w.lat < 60.2 and 23.0 < w.lon < 27.0 for w in r.turns)
    assert verify_route(r).ok
    assert not [o for o in overflight(r) if o.state_closed]
