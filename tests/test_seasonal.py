"""Block times by direction and season."""

import numpy as np
import pytest

from routes.analysis.performance import block_times_min
from routes.comparison import compare
from routes.errors import ClimatologyPeriodError
from routes.routing import geodesic_route
from routes.routing import route as find_route
from routes.seasonal import direction_table, period_key, reverse_route, wide_column_names


@pytest.fixture(scope="module")
def svo_lax():
    return [find_route("SVO", "LAX", s) for s in ("pre-2022", "europe-canada-closed")]


@pytest.fixture(scope="module")
def table(svo_lax):
    return direction_table(svo_lax)


def test_return_route_is_the_outbound_track_reversed_and_equals_a_new_search(svo_lax):
    out = svo_lax[1]
    back = reverse_route(out)
    assert (back.origin.code, back.destination.code) == ("LAX", "SVO")
    assert back.distance_km == pytest.approx(out.distance_km, abs=1e-6)
    assert np.array_equal(back.lonlat(), out.lonlat()[::-1])
    assert [w.name for w in back.waypoints] == ["LAX", *(f"T{i}" for i in range(1, len(out.turns) + 1)), "SVO"]
    searched = find_route("LAX", "SVO", "europe-canada-closed")
    assert np.allclose(back.lonlat(), searched.lonlat(), atol=1e-9)


def test_rows_per_route_direction_and_period(table):
    # 2 routes x 2 directions x (still air + 12 months)
    assert len(table) == 2 * 2 * 13
    assert set(table["direction"]) == {"outbound", "return"}
    assert list(table["period"].iloc[:3]) == ["still air", "January", "February"]
    assert table.loc[table["period"] == "January", "wind"].eq("NCEP/NCAR R1 200 hPa climatology, January").all()


def test_still_air_is_the_same_both_ways_and_winds_are_not(table):
    t = table.set_index(["scenario", "direction", "period"])["block_time_min"]
    for scn in ("pre-2022", "europe-canada-closed"):
        assert t[(scn, "outbound", "still air")] == pytest.approx(t[(scn, "return", "still air")], abs=0.05)
    # the pre-2022 geodesic crosses the North Atlantic/Canada jet: westbound (SVO->LAX) slower in January
    assert t[("pre-2022", "outbound", "January")] > t[("pre-2022", "return", "January")] + 5


def test_extra_minutes_are_against_the_geodesic_in_the_same_wind_and_direction(table):
    pre = table[table["scenario"] == "pre-2022"]
    assert (pre["extra_min"].abs() < 0.05).all()
    jan_back = geodesic_route("LAX", "SVO")
    from routes.analysis.climatology import climatology

    (base,) = block_times_min(jan_back, [climatology(1)])
    row = table[
        (table["scenario"] == "europe-canada-closed")
        & (table["direction"] == "return")
        & (table["period"] == "January")
    ].iloc[0]
    assert row["extra_min"] == pytest.approx(row["block_time_min"] - base, abs=0.1)
    assert row["geodesic_block_time_min"] == pytest.approx(base, abs=0.05)


def test_compare_shows_both_directions_and_january_july():
    df, _ = compare(["SVO"], ["SEA"], ["pre-2022", "europe-closed"])
    assert wide_column_names() == [
        "return_block_time_min", "return_extra_min",
        "block_time_jan_min", "extra_jan_min", "return_block_time_jan_min", "return_extra_jan_min",
        "block_time_jul_min", "extra_jul_min", "return_block_time_jul_min", "return_extra_jul_min",
    ]  # fmt: skip
    assert set(wide_column_names()) <= set(df.columns)
    row = df.set_index("scenario").loc["europe-closed"]
    assert row["return_block_time_min"] == pytest.approx(row["block_time_min"], abs=0.05)  # still air
    assert row["block_time_jan_min"] != row["return_block_time_jan_min"]
    assert df["wind"].eq("still air").all()


def test_period_keys_and_bad_periods():
    assert [period_key(p) for p in (1, 7, "DJF", "annual")] == ["jan", "jul", "djf", "annual"]
    with pytest.raises(ClimatologyPeriodError, match="month must be 1-12"):
        direction_table([], periods=[13])


def test_compare_with_only_infeasible_routes_keeps_the_columns():
    df, _ = compare(["SVO"], ["LAX"], ["closures-2022"])
    assert not df["feasible"].any() and df[wide_column_names()].isna().all().all()
