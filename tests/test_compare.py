import pandas as pd
import pytest

from routes.comparison import compare
from routes.study import Study


@pytest.fixture(scope="module")
def mission():
    return compare()


@pytest.fixture(scope="module")
def table(mission):
    return mission.table


def test_comparison_holds_table_and_routes(mission):
    table, routes = mission  # unpacks like the 0.1 tuple
    assert table is mission.table and len(routes) == 16 and mission[0] is mission.table
    gdf = mission.to_geodataframe()
    assert len(gdf) == 12 and gdf.crs.to_epsg() == 4326  # the 4 closures-2022 routes do not exist
    lax = gdf[(gdf["destination"] == "LAX") & (gdf["scenario"] == "europe-closed")].iloc[0]
    assert lax["distance_km"] == pytest.approx(9873.0, abs=1.0) and lax["states_rounded"] == "NOR SJM GRL"


def test_mission_table_shape(table):
    assert len(table) == 16
    assert set(table["scenario"]) == {"pre-2022", "europe-closed", "europe-canada-closed", "closures-2022"}
    assert table["wind"].eq("still air").all()


def test_infeasible_rows_keep_their_reason(table):
    rows = table[table["scenario"] == "closures-2022"]
    assert not rows["feasible"].any() and rows["reason"].str.contains("United States").all()
    assert rows["block_time_min"].isna().all()


def test_deltas_against_pre_2022(table):
    t = table.set_index(["destination", "scenario"])
    assert (t.xs("pre-2022", level="scenario")["extra_min"] == 0).all()
    for dest in ("LAX", "SFO", "SEA", "PDX"):
        eu, euca = t.loc[(dest, "europe-closed")], t.loc[(dest, "europe-canada-closed")]
        assert 0 < eu["extra_min"] < euca["extra_min"] < 60
        assert 0 < eu["extra_fuel_kg"] < euca["extra_fuel_kg"]
        assert euca["extra_co2_t"] == pytest.approx(euca["extra_fuel_kg"] * 3.16 / 1000, abs=0.2)
        assert bool(euca["range_feasible"]) and euca["etops"] == "ETOPS 180"


def test_several_aircraft():
    df, all_routes = compare(["SVO"], ["SEA"], ["europe-closed"], Study(aircraft=["B77W", "A359"]))
    assert list(df["aircraft"]) == ["B77W", "A359"] and len(all_routes) == 1


def test_four_engine_types_need_etops_only_beyond_180_min():
    df, _ = compare(["SVO"], ["SEA"], ["europe-closed"], Study(aircraft=["B77W", "B744"]))
    assert list(df["etops"]) == ["ETOPS 180", "not required (4 engines)"]


def test_closed_states_crossed_by_the_pre_2022_route():
    from routes.comparison import closed_overflown
    from routes.routing import geodesic_route

    base = geodesic_route("SVO", "LAX")
    assert closed_overflown(base, "pre-2022") == []
    assert closed_overflown(base, "europe-closed") == ["FIN", "NOR", "GRL"]
    assert closed_overflown(base, "closures-2022") == ["FIN", "NOR", "GRL", "CAN", "USA"]


def test_table_lists_the_closed_states_of_the_geodesic(table):
    t = table.set_index(["destination", "scenario"])
    assert t.loc[("LAX", "europe-canada-closed"), "geodesic_closed_states"] == "FIN NOR GRL CAN"
    assert t.loc[("LAX", "pre-2022"), "geodesic_closed_states"] == ""


def test_payload_columns_b77w_flies_a_full_load_on_every_mission_route(table):
    from routes.analysis.performance import Assumptions, get_aircraft

    ac, pax_kg = get_aircraft("B77W"), Assumptions().pax_mass_kg
    flown = table[table["feasible"].astype(bool)]
    assert len(flown) == 12 and flown["full_load"].all() and flown["payload_limit"].eq("MZFW").all()
    assert flown["max_payload_kg"].eq(69882.0).all()  # MZFW - OEW = 237,682 - 167,800
    assert flown["max_payload_kg"].le(ac.mzfw_kg - ac.oew_kg).all()
    assert flown["seats"].eq(ac.seats).all() and flown["max_seats"].eq(min(69882 // pax_kg, ac.seats)).all()
    gone = table[~table["feasible"].astype(bool)]
    assert gone["max_payload_kg"].isna().all() and gone["payload_limit"].isna().all()


def test_payload_columns_other_types_on_svo_lax_europe_canada_closed():
    from routes.analysis.performance import Assumptions, get_aircraft

    study = Study(aircraft=["IL96", "A333", "A320"], periods=())
    t = compare(["SVO"], ["LAX"], ["europe-canada-closed"], study).table.set_index("aircraft")
    il96, a333, a320 = t.loc["IL96"], t.loc["A333"], t.loc["A320"]
    # the IL96 cannot fly 10,474 km even empty; the A333 is MTOW-limited to 256 of its 290 seats
    assert (il96["max_payload_kg"], il96["max_seats"], il96["payload_limit"]) == (0.0, 0, "out of range")
    assert not il96["full_load"] and not il96["range_feasible"]
    assert (a333["max_payload_kg"], a333["max_seats"], a333["seats"]) == (25621.0, 256, 290)
    assert a333["payload_limit"] == "MTOW" and not a333["full_load"]
    assert a333["max_seats"] == int(a333["max_payload_kg"] // Assumptions().pax_mass_kg)
    assert a333["max_payload_kg"] <= get_aircraft("A333").mzfw_kg - get_aircraft("A333").oew_kg
    assert a320["payload_limit"] == "no mzfw_kg" and pd.isna(a320["max_payload_kg"]) and a320["seats"] == 170
    assert a320["full_load"] is None  # unknown, not False


def test_payload_columns_follow_the_study_wind_and_passenger_mass():
    from routes.analysis.performance import Assumptions

    still = compare(["SVO"], ["LAX"], ["europe-canada-closed"], Study(aircraft="A333", periods=())).table.iloc[0]
    heavy = Study(aircraft="A333", periods=(), assumptions=Assumptions(pax_mass_kg=110.0))
    row = compare(["SVO"], ["LAX"], ["europe-canada-closed"], heavy).table.iloc[0]
    assert row["max_seats"] == int(row["max_payload_kg"] // 110.0) < still["max_seats"]
    january = compare(["SVO"], ["LAX"], ["europe-canada-closed"], Study(aircraft="A333", periods=(), wind=1)).table
    assert january["max_payload_kg"].iloc[0] != still["max_payload_kg"]  # headwinds or tailwinds move it


def test_fleet_table_only_when_the_study_names_an_airline(mission):
    assert mission.fleet.empty and "fleet" not in repr(mission)
    c = compare(["SVO"], ["LAX"], ["europe-canada-closed", "closures-2022"], Study(airline="SU", periods=()))
    f = c.fleet.set_index("aircraft")
    assert list(f.index) == ["B77W", "A333", "A359"] and set(f["airline"]) == {"AFL"}  # SU is Aeroflot
    assert set(f["scenario"]) == {"europe-canada-closed"}  # no route under closures-2022: no fleet rows
    assert f.loc["B77W", "verdict"] == "non-stop, full load" and pd.isna(f.loc["B77W", "stop"])
    a333 = f.loc["A333"]
    assert a333["verdict"] == "non-stop, 256 of 290 seats" and a333["stop"] == "MHR"
    assert 100 < a333["extra_min"] < 150 and 2000 < a333["extra_usd"] < 6000
    assert "fleet table of 3 rows" in repr(c)
