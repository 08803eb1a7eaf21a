"""Model block times against published schedules, both directions."""

import pytest

from routes.schedule_check import TOLERANCE, asymmetry, check_schedules, direction


@pytest.fixture(scope="module")
def table():
    return check_schedules()


def test_directions():
    assert direction(37.4, -73.8) == "west"  # SVO -> JFK
    assert direction(-73.8, 37.4) == "east"
    assert direction(170.0, -170.0) == "east"  # across the antimeridian
    assert direction(-170.0, 170.0) == "west"


def test_both_directions_and_airport_taxi(table):
    assert set(table["direction"]) == {"west", "east"}
    assert (table["direction"] == "east").sum() >= 8
    su101 = table[table["flight"] == "Aeroflot SU101 JFK-SVO"].iloc[0]
    assert (su101["taxi_out_min"], su101["taxi_in_min"]) == (37.1, 6.5)  # JFK out (BTS 2007), SVO in (CODA S19)
    # the residual is the schedule minus the model in wind, and the tolerance is 5 % of the schedule
    assert su101["residual_min"] == pytest.approx(su101["scheduled_min"] - su101["model_min"], abs=0.05)
    assert table["within_tolerance"].equals(table["residual_min"].abs() <= TOLERANCE * table["scheduled_min"])


def test_airport_taxi_times_close_eastbound_new_york_gaps(table):
    default = check_schedules(airport_taxi=False)
    merged = table.merge(default, on="flight", suffixes=("", "_default"))
    jfk_east = merged[merged["from"] == "JFK"]
    assert (jfk_east["residual_min"].abs() < jfk_east["residual_min_default"].abs()).all()


def test_asymmetry_westbound_longer_in_published_and_model_pairs(table):
    pairs = asymmetry(table)
    assert len(pairs) >= 6
    pre = pairs[pairs["scenario"] == "pre-2022"]
    assert (pre["published_west_minus_east_min"] > 0).all()  # westbound is longer in every published pair
    assert (pre["model_west_minus_east_min"] > 0).all()  # and in the model's climatological winds
    su100 = pre[pre["westbound"] == "Aeroflot SU100 SVO-JFK"].iloc[0]
    assert su100["published_west_minus_east_min"] == 75.0  # 605 - 530
