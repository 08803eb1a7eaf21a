import pytest

import routes
from routes.analysis.diversion import alternates_table, diversion, etops_category, usable_alternates
from routes.analysis.polar import polar_flags
from routes.inputs.scenarios import get_scenario
from routes.routing import geodesic_route


@pytest.mark.parametrize(
    ("minutes", "category"), [(45, 0), (60, 0), (61, 120), (150, 180), (200, 207), (300, 330), (331, None)]
)
def test_etops_categories(minutes, category):
    assert etops_category(minutes) == category


def test_alternates_data():
    df = alternates_table()
    assert len(df) > 3000
    row = df.set_index("ident").loc["CYXY"]  # Whitehorse, 2,895 m paved
    assert row["iso_a3"] == "CAN" and row["longest_paved_runway_m"] == 2895


def test_closed_states_remove_their_alternates():
    eu = usable_alternates(get_scenario("europe-closed"))
    assert not set(eu["iso_a3"]) & {"NOR", "GRL", "ISL", "FIN", "GBR"}
    assert "CAN" in set(eu["iso_a3"]) and "RUS" in set(eu["iso_a3"])
    euca = usable_alternates(get_scenario("europe-canada-closed"))
    assert "CAN" not in set(euca["iso_a3"])
    assert len(usable_alternates(get_scenario("pre-2022"), 3500)) < len(usable_alternates(get_scenario("pre-2022")))


def test_alternate_list_changes_when_canada_closes():
    eu = diversion(routes.route("SVO", "SEA", "europe-closed"))
    euca = diversion(routes.route("SVO", "SEA", "europe-canada-closed"))
    assert {"CYXY", "CYFB"} <= set(eu.alternates)  # Whitehorse, Iqaluit
    assert not any(a.startswith("CY") for a in euca.alternates)
    assert {"PAFA", "PAFB"} & set(euca.alternates)  # Fairbanks instead
    assert eu.etops_label == euca.etops_label == "ETOPS 180"
    assert eu.max_time_min == pytest.approx(eu.max_distance_km / (420 * 1.852) * 60)


def test_beyond_rule_stretches_and_speed():
    route = routes.route("SVO", "SEA", "europe-closed")
    tight = diversion(route, rule_min=120)
    assert tight.beyond_rule and all(0 < a <= b < route.distance_km for a, b in tight.beyond_rule)
    assert not diversion(route, rule_min=180).beyond_rule
    assert diversion(route, oei_speed_kt=380).max_time_min > tight.max_time_min


def test_short_domestic_route_needs_no_etops():
    assert diversion(geodesic_route("SVO", "LED")).etops_label == "none (<= 60 min)"


def test_polar_flags():
    arctic = polar_flags(routes.route("SVO", "LAX", "europe-closed"))
    assert arctic.max_latitude > 83.5 and arctic.north_of_82_km > 500
    assert arctic.north_of_78_km > arctic.north_of_82_km
    assert arctic.north_of_78_min == pytest.approx(arctic.north_of_78_km / (484 * 1.852) * 60)
    base = polar_flags(geodesic_route("SVO", "LAX"))
    assert base.north_of_82_km == 0 and 78 < base.max_latitude < 80
