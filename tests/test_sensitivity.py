"""Ranges on the headline deltas: one-at-a-time swings, the seeded combined interval, the monthly spread."""

import pytest

import routes
from routes.errors import InvalidInputError
from routes.sensitivity import METRICS, check_surface, interval_columns, monthly_spread, sensitivity


@pytest.fixture(scope="module")
def pair():
    return routes.route("SVO", "SEA", "europe-canada-closed"), routes.geodesic_route("SVO", "SEA")


@pytest.fixture(scope="module")
def sens(pair):
    return sensitivity(*pair, samples=500, seed=3)


def test_central_figures_match_the_comparison(sens, pair):
    route, base = pair
    est_r, est_b = routes.estimate(route, "B77W"), routes.estimate(base, "B77W")
    assert sens.central["extra_min"] == pytest.approx(est_r.block_time_min - est_b.block_time_min)
    assert sens.central["extra_fuel_kg"] == pytest.approx(est_r.block_fuel_kg - est_b.block_fuel_kg)
    assert sens.central["extra_co2_kg"] == pytest.approx(3.16 * sens.central["extra_fuel_kg"])
    cost_r = routes.flight_cost(route, est_r)
    cost_b = routes.flight_cost(base, est_b)
    assert sens.central["extra_usd"] == pytest.approx(cost_r.total_usd - cost_b.total_usd, rel=1e-9)
    assert sens.central["extra_usd_marginal"] == pytest.approx(cost_r.marginal_usd - cost_b.marginal_usd, rel=1e-9)
    assert sens.central["extra_usd_per_year"] == pytest.approx(sens.central["extra_usd"] * 730)


def test_fuel_price_swing_is_exact_and_linear(sens):
    swing = next(s for s in sens.swings if s.name == "fuel_price_usd_per_bbl")
    fuel = sens.central["extra_fuel_kg"]
    per_kg_at = {p: p / (158.987 * 0.8) for p in (75.0, 115.0)}
    assert swing.low["extra_usd"] - sens.central["extra_usd"] == pytest.approx(
        fuel * (per_kg_at[75.0] - 86 / (158.987 * 0.8)), rel=1e-5
    )
    assert swing.high["extra_usd"] - swing.low["extra_usd"] == pytest.approx(
        fuel * (per_kg_at[115.0] - per_kg_at[75.0]), rel=1e-5
    )
    assert swing.low["extra_min"] == swing.high["extra_min"] == sens.central["extra_min"]  # price moves no minute


def test_swings_and_interval_bracket_the_figures(sens):
    assert sens.tornado("extra_usd")[0][0] == "fuel_price_usd_per_bbl"  # the largest lever on extra USD
    assert [name for name, *_ in sens.tornado("extra_min")] == ["route_factor"]  # only it moves the minutes
    for m in METRICS:
        lo, hi = sens.interval[m]
        assert lo < hi
        # the interval lies within the extreme one-at-a-time sums (it is a 5-95 % range of their combination)
        down = sum(min(s.low[m], s.high[m], sens.central[m]) - sens.central[m] for s in sens.swings)
        up = sum(max(s.low[m], s.high[m], sens.central[m]) - sens.central[m] for s in sens.swings)
        assert sens.central[m] + down - 1e-6 <= lo and hi <= sens.central[m] + up + 1e-6
    assert sens.interval["extra_min"][0] >= sens.central["extra_min"]  # the route factor only lengthens


def test_same_seed_same_interval_other_seed_close(pair, sens):
    again = sensitivity(*pair, samples=500, seed=3)
    assert again.interval == sens.interval
    other = sensitivity(*pair, samples=500, seed=4)
    lo, hi = sens.interval["extra_usd"]
    assert other.interval["extra_usd"] == pytest.approx((lo, hi), rel=0.03)


def test_response_surface_matches_full_estimates(pair):
    for errors in check_surface(*pair, draws=3):
        assert abs(errors["extra_fuel_kg"]) < 0.01 and abs(errors["extra_min"]) < 1e-6


def test_interval_columns_and_bad_samples(sens, pair):
    cols = interval_columns(sens)
    assert set(cols) == {f"{m}_{end}" for m in METRICS for end in ("low", "high")}
    for bad in (0, 5, True, 2.5, "100"):
        with pytest.raises(InvalidInputError, match="samples must be a whole number"):
            sensitivity(*pair, samples=bad)


def test_monthly_spread_both_directions(pair):
    spread = monthly_spread(*pair)
    assert spread["extra_min_low"] < spread["extra_min_high"]
    assert spread["low_when"].split()[0] in ("out", "back") and spread["high_when"].split()[0] in ("out", "back")
    # still air lies within the monthly spread of a route 44 min longer
    assert spread["extra_min_low"] < 44.5 < spread["extra_min_high"] + 10
