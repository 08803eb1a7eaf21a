"""The fleet table on routes already found (issue 25): `fleet_on_route`, `fleet_on_routes`, the report's table."""

import pytest

import routes
from routes.fleet_feasibility import COLUMNS, fleet_feasibility, fleet_on_route, fleet_on_routes
from routes.report_extras import fleet_table


def test_on_a_route_found_it_is_the_table_of_fleet_feasibility():
    r = routes.route("SVO", "SEA", "europe-closed")
    on_route = fleet_on_route(r, "AFL", with_stops=False)
    assert on_route.equals(fleet_feasibility("SVO", "SEA", "europe-closed", "AFL", with_stops=False))
    assert list(on_route.columns) == list(COLUMNS) and list(on_route["aircraft"]) == ["B77W", "A333", "A359"]
    assert on_route["distance_km"].round(1).eq(8434.0).all() and on_route["verdict"].eq("non-stop, full load").all()


def test_a_route_that_does_not_exist_gives_its_reason_for_every_type():
    df = fleet_on_route(routes.route("SVO", "SEA", "closures-2022"), "SU", with_stops=False)
    assert list(df["aircraft"]) == ["B77W", "A333", "A359"] and df["max_payload_kg"].isna().all()
    assert df["verdict"].eq("destination SEA lies in the closed airspace of United States (USA)").all()


def test_on_routes_keeps_each_route_and_leaves_out_those_that_do_not_exist():
    wide = routes.route("SVO", "LAX", "europe-closed", margin_nm=50)
    gone = routes.route("SVO", "LAX", "closures-2022")
    df = fleet_on_routes([wide, gone], "AFL", with_stops=False)
    assert list(df.columns[:3]) == ["origin", "destination", "scenario"] and len(df) == 3
    assert set(df["scenario"]) == {"europe-closed"} and df["distance_km"].eq(wide.distance_km).all()
    assert wide.distance_km > 9873.0 + 10  # the margin's route, not the zero-margin one (9,873.0 km)
    empty = fleet_on_routes([gone], "AFL")
    assert empty.empty and list(empty.columns) == ["origin", "destination", "scenario", *COLUMNS]


def test_the_report_table_is_the_same_table():
    r = routes.route("SVO", "SEA", "europe-closed")
    report = fleet_table([r], "AFL")
    assert report.equals(fleet_on_routes([r], "AFL")) and report["stop"].isna().all()
    assert report["max_payload_kg"].tolist() == pytest.approx([69882.0, 39857.0, 53300.0], abs=1.0)
