"""``Study(ranges=True)``: low-high columns on the headline deltas of `compare` (`routes.sensitivity`)."""

import warnings

import pytest

import routes
from routes.comparison import RANGE_COLUMNS, compare
from routes.errors import InvalidInputError, StaleDataWarning
from routes.inputs.costdata import load_cost_rates
from routes.inputs.ratedates import cost_date
from routes.sensitivity import Pricing, monthly_spread, sensitivity
from routes.study import Study

SAMPLES, SEED = 200, 3


@pytest.fixture(scope="module")
def ranged():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        study = Study(periods=(), ranges=True, range_samples=SAMPLES, range_seed=SEED)
        return compare(["SVO"], ["SEA"], ["pre-2022", "europe-canada-closed"], study).table


def test_range_columns_are_the_sensitivity_interval(ranged):
    row = ranged.iloc[1]
    route, base = routes.route("SVO", "SEA", "europe-canada-closed"), routes.geodesic_route("SVO", "SEA")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        s = sensitivity(route, base, "B77W", samples=SAMPLES, seed=SEED, pricing=Pricing(load_cost_rates(),
                                                                                          cost_date(None)))  # fmt: skip
    assert row["extra_cost_usd"] == round(s.central["extra_usd"]) == 5732
    for column, metric, factor, decimals in (
        ("extra_min", "extra_min", 1, 1),
        ("extra_fuel_kg", "extra_fuel_kg", 1, 0),
        ("extra_co2_t", "extra_co2_kg", 1e-3, 1),
        ("extra_cost_usd", "extra_usd", 1, 0),
        ("extra_marginal_cost_usd", "extra_usd_marginal", 1, 0),
        ("extra_annual_cost_usd", "extra_usd_per_year", 1, 0),
    ):
        lo, hi = s.interval[metric]
        assert (row[f"{column}_low"], row[f"{column}_high"]) == (round(lo * factor, decimals),
                                                                 round(hi * factor, decimals))  # fmt: skip
    # the figures of the sensitivity doctest (2,000 draws there: 5,600-7,500), here with 200 draws
    assert (row["extra_cost_usd_low"], row["extra_cost_usd_high"]) == (5521, 7535)
    spread = monthly_spread(route, base)
    assert (row["monthly_extra_min_low"], row["monthly_extra_min_high"]) == (31.8, 57.2)
    assert row["monthly_extra_min_low"] == round(spread["extra_min_low"], 1)
    assert row["monthly_extra_min_high_when"] == "back month 11" and row["ranges_note"] == ""


def test_money_lies_inside_its_range_time_and_fuel_at_the_low_end(ranged):
    row = ranged.iloc[1]
    for column in ("extra_cost_usd", "extra_marginal_cost_usd", "extra_annual_cost_usd"):
        assert row[f"{column}_low"] < row[column] < row[f"{column}_high"], column
    # the route factor only lengthens routes: the central time and fuel are the bottom of their ranges, just
    # below the 5th percentile (compare's docstring says so)
    assert (row["extra_min"], row["extra_min_low"], row["extra_min_high"]) == (44.4, 44.5, 46.1)
    assert (row["extra_fuel_kg"], row["extra_fuel_kg_low"], row["extra_fuel_kg_high"]) == (6005, 6016, 6314)
    assert (row["extra_co2_t"], row["extra_co2_t_low"], row["extra_co2_t_high"]) == (19.0, 19.0, 19.9)
    assert row["monthly_extra_min_low"] < row["extra_min"] < row["monthly_extra_min_high"]


def test_open_sky_rows_get_zero_ranges_and_default_tables_none(ranged):
    base_row = ranged.iloc[0]
    assert base_row["scenario"] == "pre-2022"
    assert all(base_row[c] == 0.0 for c in RANGE_COLUMNS if not c.endswith(("_when", "_note")))
    plain = compare(["SVO"], ["SEA"], ["pre-2022"], Study(periods=())).table
    assert not set(RANGE_COLUMNS) & set(plain.columns)
    assert list(ranged.columns[: len(plain.columns)]) == list(plain.columns)


def test_infeasible_rows_have_no_ranges():
    table = compare(["SVO"], ["SEA"], ["closures-2022"], Study(periods=(), ranges=True, range_samples=10)).table
    assert not bool(table["feasible"].iloc[0])  # SEA lies in the closed airspace of the USA
    assert table[[c for c in RANGE_COLUMNS if c.endswith(("_low", "_high"))]].isna().all().all()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ranges": "yes"}, "ranges must be True or False, got 'yes'"),
        ({"range_samples": 5}, "range_samples must be a whole number from 10 to 1,000,000, got 5"),
        ({"range_seed": -1}, "range_seed must be a whole number >= 0, got -1"),
    ],
)
def test_bad_range_settings_name_what_is_wrong(changes, message):
    with pytest.raises(InvalidInputError, match=message):
        Study(**changes)
