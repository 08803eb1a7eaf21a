"""Charge rates by date and by operator (issue 26): validity periods, Russia's USD and RUB tariffs, the dated
CBR ruble rate, stale and missing rates, and bad periods."""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

import pytest

from routes.analysis.charges import navigation_charges
from routes.analysis.cost import flight_cost
from routes.analysis.performance import estimate, get_aircraft
from routes.errors import NoRateError, RateValidityError, StaleDataWarning
from routes.inputs.costdata import load_cost_rates
from routes.inputs.ratedates import cost_date, rates_on
from routes.inputs.scenarios import Scenario

B77W_MTOW_T = get_aircraft("B77W").mtow_kg / 1000.0  # 351.5 t: the 300-400 t band
FAS_580_18_USD = [11.1, 17.1, 31.7, 74.1, 99.8, 123.9, 128.5, 131.5, 134.6]  # annex 1, confirmed
FAS_580_18_RUB = [351.8, 550.8, 1025.1, 1782.4, 2401.1, 2983.0, 3092.6, 3165.4, 3238.1]  # annex 2, confirmed
FAS_1101_25_USD = [18.0, 27.7, 51.3, 119.8, 161.4, 200.3, 207.8, 212.6, 217.6]  # annex 1, confirmed


@pytest.fixture(scope="module")
def rates():
    return load_cost_rates()


def _rus(rates, day, operator=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        return rates_on(rates, day, operator).choice("RUS")


@pytest.mark.parametrize(
    ("day", "row_id", "usd_per_100_km"),
    [
        ("2019-06-01", "RUS-USD-2018", 131.5),  # FAS 580/18 (confirmed)
        ("2022-06-01", "RUS-USD-2022-01", 138.1),  # +5 % December 2021 (derived)
        ("2022-12-01", "RUS-USD-2022-11", 193.3),  # +40 % 1 Nov 2022 (derived)
        ("2023-04-01", "RUS-USD-2023-04", 212.6),  # +10 % 1 Apr 2023 (derived)
        ("2025-12-31", "RUS-USD-2023-04", 212.6),
        ("2026-03-31", "RUS-USD-2026-01", 212.6),  # FAS 1101/25 annex 1, to 31 March 2026 (confirmed)
    ],
)
def test_foreign_operators_pay_the_usd_rate_of_the_day(rates, day, row_id, usd_per_100_km):
    choice = _rus(rates, day)
    assert (choice.row.id, choice.row.currency, choice.row.payers) == (row_id, "USD", "foreign")
    assert choice.row.rate_for(B77W_MTOW_T) == usd_per_100_km
    assert choice.flag == "RUS: operator not given: the foreign-operator tariff used"


@pytest.mark.parametrize(
    ("day", "row_id", "rub_per_100_km"),
    [
        ("2019-06-01", "RUS-RUB-2018", 3165.4),  # FAS 580/18 annex 2 (confirmed)
        ("2022-06-01", "RUS-RUB-2022-01", 3481.9),  # +10 %
        ("2022-12-01", "RUS-RUB-2022-11", 5571.1),  # +60 %
        ("2024-09-16", "RUS-RUB-2023-04", 6128.2),  # +10 %
        ("2024-09-17", "RUS-RUB-2024-09", 12256.4),  # x2, FAS 595/24
    ],
)
def test_russian_operators_pay_the_ruble_rate_of_the_day(rates, day, row_id, rub_per_100_km):
    choice = _rus(rates, day, "RUS")
    assert (choice.row.id, choice.row.currency, choice.row.payers) == (row_id, "RUB", "national")
    assert choice.row.rate_for(B77W_MTOW_T) == rub_per_100_km
    assert _rus(rates, day, "FIN").row.currency == "USD"  # any foreign operator: the USD tariff


def test_derived_rows_are_the_confirmed_tables_times_the_dated_steps(rates):
    rows = {r.id: r for r in rates.charges}
    usd = {"RUS-USD-2018": 1.0, "RUS-USD-2022-01": 1.05, "RUS-USD-2022-11": 1.05 * 1.40}
    rub = {"RUS-RUB-2018": 1.0, "RUS-RUB-2022-01": 1.10, "RUS-RUB-2022-11": 1.76, "RUS-RUB-2023-04": 1.936}
    rub["RUS-RUB-2024-09"] = 1.936 * 2
    for table, steps in ((FAS_580_18_USD, usd), (FAS_580_18_RUB, rub)):
        for rid, factor in steps.items():
            assert [rate for _upper, rate in rows[rid].mtow_bands_t] == [round(v * factor + 1e-9, 1) for v in table]
    # the chain x 1.05 x 1.40 x 1.10 reproduces FAS 1101/25 annex 1 within 0.1 in every band
    chained = [v * 1.05 * 1.40 * 1.10 for v in FAS_580_18_USD]
    assert max(abs(a - b) for a, b in zip(chained, FAS_1101_25_USD, strict=True)) <= 0.1
    assert [rate for _u, rate in rows["RUS-USD-2026-01"].mtow_bands_t] == FAS_1101_25_USD
    assert rows["RUS-RUB-2024-09"].rate_for(75.0) == 9297.1  # Vedomosti: A320/737-800 international "до 9297 руб."
    assert rows["RUS-RUB-2023-04"].rate_for(75.0) == 4648.5  # "от 4648 руб."
    assert rows["RUS-USD-2026-01"].status == "confirmed" and rows["RUS-USD-2023-04"].status == "derived"


def test_a_date_after_the_newest_rate_warns_naming_it_and_flags(rates):
    with pytest.warns(StaleDataWarning, match=r"2026-12-05 is after the newest rate.*'RUS'.*'RUS-USD-2026-01'"):
        dated = rates_on(rates, "2026-12-05")
        dated.check({"RUS"})
    choice = dated.choice("RUS")
    assert choice.row.id == "RUS-USD-2026-01"
    assert "stale rate for 2026-12-05: RUS-USD-2026-01 (valid 2026-01-01 to 2026-03-31) used" in choice.flag


def test_rubles_convert_at_the_dated_cbr_rate(rates, svo_lax_geodesic):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        dated = rates_on(rates, "2026-03-10", "RUS")
    assert dated.rates.usd_per_unit("RUB") == pytest.approx(1 / 77.6093)  # CBR, 4 March 2026
    (code, pick, flag), *_ = dated.fx
    assert (code, pick.on.isoformat(), flag) == ("RUB", "2026-03-04", "")
    assert rates_on(rates, "2026-01-20", "RUS").rates.usd_per_unit("RUB") == pytest.approx(1 / 78.5711)
    late = rates_on(rates, "2026-06-01", "RUS")
    assert late.fx[0][2] == "RUB at the rate of 2026-03-04, 89 days before 2026-06-01"
    assert rates_on(rates, "2022-11-15", "RUS").rates.usd_per_unit("RUB") == pytest.approx(1 / 61.1629)
    assert rates_on(rates, "2018-06-01", "RUS").fx[0][2] == "RUB at the rate of 2018-02-01, 120 days before 2018-06-01"
    only_march = replace(rates, dated_fx=rates.dated_fx[-1:])  # the CBR rate of 4 March 2026 alone
    early = rates_on(only_march, "2026-01-10", "RUS").fx[0][2]
    assert early == "RUB at the rate of 2026-03-04 (no rate on or before 2026-01-10)"
    with pytest.warns(StaleDataWarning, match="RUS-RUB-2024-09"):  # no ruble rates of FAS 1101/25 found
        nav = navigation_charges(svo_lax_geodesic, "B77W", rates, on="2026-03-10", operator="RUS")
    rus = next(i for i in nav.items if i.authority_id == "RUS")
    assert (rus.rate_id, rus.currency) == ("RUS-RUB-2024-09", "RUB")
    km = rus.sovereign_km + rus.high_seas_km
    assert rus.amount == pytest.approx(12256.4 * km / 100)
    assert rus.charge_usd == pytest.approx(12256.4 * km / 100 / 77.6093)


def test_the_scenario_operator_picks_the_tariff(rates, mission_routes):
    route = mission_routes[("SEA", "europe-closed")]
    russian = Scenario.for_operator("RUS", "2022-03-05")
    assert russian.operator == "RUS"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        by_scenario = navigation_charges(route, "B77W", rates, russian, on="2025-06-01")
        foreign = navigation_charges(route, "B77W", rates, "europe-closed", on="2025-06-01")
    items = {i.authority_id: i for i in by_scenario.items}
    assert items["RUS"].rate_id == "RUS-RUB-2024-09" and by_scenario.dated.operator == "RUS"
    assert {i.authority_id: i for i in foreign.items}["RUS"].rate_id == "RUS-USD-2023-04"
    assert foreign.dated.operator == ""


def test_a_date_before_every_rate_is_an_error_naming_the_authority(rates, svo_lax_geodesic):
    dated = rates_on(rates, "2017-01-01")  # nothing raised yet: a flight may not cross Russia
    assert dated.states_without_rate()["RUS"].startswith("no rate of charging authority 'RUS' for 2017-01-01")
    with pytest.raises(NoRateError, match=r"charging authority '(RUS|NAVCANADA-enroute)' for 2017-01-01.*first rate"):
        navigation_charges(svo_lax_geodesic, "B77W", rates, on="2017-01-01")


def test_a_gap_between_rates_falls_back_with_a_flag(rates, mission_routes):
    gap = rates.with_overrides({"charge": {"RUS-USD-2022-11": {"valid_to": "2023-02-28"}}})
    route = mission_routes[("LAX", "europe-closed")]  # Russia, Canada, USA: every row covers March 2023
    with pytest.warns(StaleDataWarning, match=r"2023-03-15 is in a gap between the rates.*'RUS-USD-2022-11'"):
        nav = navigation_charges(route, "B77W", gap, on="2023-03-15")
    expected = "no rate for 2023-03-15: RUS-USD-2022-11"
    assert any(f.startswith("RUS: operator not given") and expected in f for f in nav.flags)
    rus = next(i for i in nav.items if i.authority_id == "RUS")
    assert rus.rate_id == "RUS-USD-2022-11" and rus.period == "2022-11-01 to 2023-02-28"


def test_overlapping_periods_name_both_rows(tmp_path, rates):
    overlap = r"'RUS-USD-2023-04' \(2023-04-01 to 2025-12-31\) and 'RUS-USD-2026-01'"
    with pytest.raises(RateValidityError, match=overlap):
        rates.with_overrides({"charge": {"RUS-USD-2026-01": {"valid_from": "2025-12-01"}}})
    nav = tmp_path / "nav.toml"
    row = 'authority = "x"\nstates = ["FIN"]\ncurrency = "EUR"\nunit_rate = 1.0\ngroup = "X"\n'
    first, second = f'id = "X-1"\n{row}valid_from = 2020-01-01\n', f'id = "X-2"\n{row}valid_from = 2021-01-01\n'
    nav.write_text(f"[[charge]]\n{first}\n[[charge]]\n{second}")
    named = re.escape("rows 'X-1' (2020-01-01 to ...) and 'X-2' (2021-01-01 to ...)")
    with pytest.raises(RateValidityError, match=named):
        load_cost_rates(navigation=nav)
    with pytest.raises(RateValidityError, match="valid_to 2020-01-01 is before valid_from 2021-01-01"):
        rates.with_overrides({"charge": {"FAA-enroute": {"valid_from": "2021-01-01", "valid_to": "2020-01-01"}}})
    with pytest.raises(RateValidityError, match=r"malformed date '31\.3\.2026'"):
        rates.with_overrides({"charge": {"FAA-enroute": {"valid_to": "31.3.2026"}}})


def test_the_cost_date_defaults_to_today():
    from datetime import date

    assert cost_date() == date.today() and cost_date("2026-03-31") == date(2026, 3, 31)
    with pytest.raises(ValueError, match="malformed date"):
        cost_date("March 2026")


def test_flight_cost_carries_its_date_operator_and_flags(rates, mission_routes):
    route = mission_routes[("LAX", "europe-closed")]
    e = estimate(route, "B77W")
    with pytest.warns(StaleDataWarning):
        c = flight_cost(route, e, rates, on="2026-12-05")
    assert c.on.isoformat() == "2026-12-05" and c.operator == ""
    assert any("stale rate for 2026-12-05: RUS-USD-2026-01" in f for f in c.flags)
    assert any("stale rate for 2026-12-05: NAVCANADA-enroute" in f for f in c.flags)
    assert "for 2026-12-05" in c.basis
