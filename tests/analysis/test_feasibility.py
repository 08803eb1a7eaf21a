import pytest

import routes
from routes.analysis.diversion import (
    alternates_table,
    code_letter,
    diversion,
    etops_category,
    min_runway_width_m,
    nearest_alternates,
    usable_alternates,
)
from routes.analysis.polar import polar_flags
from routes.inputs.scenarios import get_scenario
from routes.routing import geodesic_route


@pytest.mark.parametrize(
    ("minutes", "category"), [(45, 0), (60, 0), (61, 120), (150, 180), (200, 207), (300, 330), (331, 370), (371, None)]
)
def test_etops_categories(minutes, category):
    assert etops_category(minutes) == category


def test_alternates_data():
    df = alternates_table()
    assert len(df) > 3000
    row = df.set_index("ident").loc["CYXY"]  # Whitehorse, 2,895 m paved, threshold 31L displaced 259 m
    assert row["iso_a3"] == "CAN" and row["runway_length_m"] == 2895 and row["landing_length_m"] == 2636
    assert (df["landing_length_m"] <= df["runway_length_m"]).all() and (df["runway_width_m"] >= 0).all()
    unknown_width = df[(df["runway_width_m"] == 0) & (df["landing_length_m"] >= 2500)]
    assert len(unknown_width) < 60 and not set(unknown_width["ident"]) & set(
        usable_alternates(get_scenario("pre-2022"), 2500.0, 45.0)["ident"]
    )
    assert "URRR" not in set(df["ident"])  # Rostov-on-Don, type 'closed' in OurAirports (closed Dec 2017)


MILITARY = ["BGTL", "PAEI", "PAFB", "PABI", "PAED", "PASY", "UUEM", "RU-0372"]
# Thule, Eielson, Ladd (Fort Wainwright), Allen, Elmendorf, Eareckson, Migalovo, Rostov Central


def test_military_fields_are_flagged_and_excluded_by_default():
    df = alternates_table().set_index("ident")
    assert df.loc[MILITARY, "military"].all()
    assert not df.loc[["PAFA", "CYQX", "RJSM", "UUEE", "UHMP"], "military"].any()  # civil or joint civil use
    assert 300 < df["military"].sum() < 500
    civil = usable_alternates(get_scenario("pre-2022"))
    assert not set(MILITARY) & set(civil["ident"]) and not civil["military"].any()
    assert {"PAEI", "BGTL"} <= set(usable_alternates(get_scenario("pre-2022"), allow_military=True)["ident"])


def test_runway_suitability_for_the_type():
    assert code_letter(64.8) == "E" and code_letter(34.1) == "C" and code_letter(79.75) == "F"
    assert min_runway_width_m("B77W") == 45 and min_runway_width_m("A388") == 60 and min_runway_width_m("A320") == 45
    pre = get_scenario("pre-2022")
    # Pevek: 2,500 x 42 m, no B777-300ER alternate (code E needs 45 m)
    assert "UHMP" in set(usable_alternates(pre)["ident"])
    assert "UHMP" not in set(usable_alternates(pre, 2500.0, 45.0)["ident"])
    with pytest.raises(ValueError, match="outside the ICAO code letters"):
        code_letter(88.0)


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
    assert "PAFA" in euca.alternates and not {"PAEI", "PAFB"} & set(euca.alternates)  # Fairbanks, not the bases
    assert eu.min_width_m == 45 and euca.emergency_only == ()
    alts = alternates_table().set_index("ident")
    assert not alts.loc[list(euca.alternates), "military"].any()
    assert (alts.loc[list(euca.alternates), "runway_width_m"] >= 45).all()
    with_bases = diversion(routes.route("SVO", "SEA", "europe-canada-closed"), allow_military=True)
    assert set(with_bases.emergency_only) <= set(MILITARY) | set(alts.index[alts["military"]])
    assert with_bases.max_time_min <= euca.max_time_min
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


def test_nearest_alternate_is_the_nearest_on_the_ellipsoid():
    """Against every alternate measured on WGS84 (brute force): the k-d tree's 4 chord-nearest hold the nearest."""
    import numpy as np

    from routes import geodesy

    alts = usable_alternates(get_scenario("pre-2022"), 2500.0, 45.0, False)
    lon, lat = alts["lon"].to_numpy(), alts["lat"].to_numpy()
    rng = np.random.default_rng(7)
    pts = np.column_stack([rng.uniform(-180, 180, 300), np.degrees(np.arcsin(rng.uniform(-1, 1, 300)))])
    km, idx = nearest_alternates(pts, lon, lat)
    brute = np.array([geodesy.distance_m(np.full(len(lon), x), np.full(len(lon), y), lon, lat).min() for x, y in pts])
    assert np.allclose(km, brute / 1000.0, rtol=0, atol=1e-6)
    assert np.allclose(geodesy.distance_m(pts[:, 0], pts[:, 1], lon[idx], lat[idx]) / 1000.0, km)
    one_km, one_idx = nearest_alternates(pts[:5], lon[:1], lat[:1])  # a single alternate: k = 1
    assert (one_idx == 0).all()
    assert np.allclose(one_km, geodesy.distance_m(pts[:5, 0], pts[:5, 1], lon[0], lat[0]) / 1000.0)
