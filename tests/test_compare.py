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
