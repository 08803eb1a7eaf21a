"""The cost model: charge formulas against hand-computed figures, the shipped data, overrides and bad
input, per-flight and annual costs on the mission routes."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

import routes
from routes.analysis.charges import fallback_usd_per_km, navigation_charges, nearest_state
from routes.analysis.cost import annual_cost, annual_service_cost, charges_avoided_usd, flight_cost, reversed_route
from routes.analysis.performance import estimate, get_aircraft
from routes.errors import (
    CostDataError,
    InfeasibleRouteError,
    PriceError,
    RoutesError,
    ScheduleError,
    StaleDataWarning,
    UnknownAuthorityError,
    UnknownCurrencyError,
)
from routes.inputs.costdata import ChargeRate, load_cost_rates
from routes.inputs.ratedates import rates_on

B77W_MTOW_T = get_aircraft("B77W").mtow_kg / 1000.0  # OpenAP: 351.5 t
ON = "2025-06-01"  # a date every shipped Russian, US and Danish/Icelandic row covers (values pinned to it)
B77W_OWNERSHIP_USD_PER_BH = 83.6e6 * 0.008 * 12 / 4208  # AVAC 10-year value x 0.8 %/month x 12 / block h a year
HOURLY_B77W_USD_PER_BH = 1043 + 900 + 1376 + B77W_OWNERSHIP_USD_PER_BH  # flight crew, cabin crew, maintenance


@pytest.fixture(scope="module")
def rates():
    return load_cost_rates()


def _row(rates, cid):
    return next(r for r in rates.charges if r.id == cid)


# --- formulas, by hand -----------------------------------------------------------------------------------


def test_eurocontrol_formula_by_hand(rates):
    ef = _row(rates, "EUROCONTROL-EF")
    # 521 km in Finland, no airport there: d = 5.21; p = sqrt(351.5 / 50) = 2.6514 -> 2.65 (two decimals)
    assert ef.charge(521.0, 351.5) == pytest.approx(5.21 * 2.65 * 56.26)  # EUR 776.77
    # departing Helsinki: 20 km less -> d = 5.01
    assert ef.charge(521.0, 351.5, airports_in_zone=1) == pytest.approx(5.01 * 2.65 * 56.26)
    # an A320 (78 t): p = sqrt(1.56) = 1.249 -> 1.25; 400 km -> 4.00 x 1.25 x 56.26 = 281.30
    assert ef.charge(400.0, 78.0) == pytest.approx(281.30)
    # weight factors of the PPRuNe worked example (2 t -> 0.2, 12.5 t -> 0.5, 200 t -> 2)
    unit = replace(ef, unit_rate=1.0)
    assert [unit.charge(100.0, t) for t in (2.0, 12.5, 50.0, 200.0)] == pytest.approx([0.2, 0.5, 1.0, 2.0])


def test_faa_overflight_fee_per_100_nm(rates):
    enroute, oceanic = _row(rates, "FAA-enroute"), _row(rates, "FAA-oceanic")
    assert enroute.charge(1852.0, B77W_MTOW_T) == pytest.approx(10 * 61.75)  # 1,000 nm -> USD 617.50
    assert oceanic.charge(926.0, B77W_MTOW_T) == pytest.approx(5 * 26.51)  # 500 nm -> USD 132.55
    assert enroute.charge(1852.0, 50.0) == enroute.charge(1852.0, 500.0)  # no weight factor


def test_russian_weight_bands(rates):
    rus = _row(rates, "RUS-USD-2026-01")  # FAS 1101/25 annex 1, to 31 March 2026
    assert rus.rate_for(B77W_MTOW_T) == 212.6
    assert rus.rate_for(200.0) == 200.3  # "over 100 up to 200 t inclusive"
    assert rus.rate_for(200.1) == 207.8
    assert rus.rate_for(575.0) == 217.6  # A380
    assert rus.charge(1000.0, B77W_MTOW_T) == pytest.approx(2126.0)


def test_denmark_iceland_crossing_plus_distance(rates):
    den = _row(rates, "DEN-ICE")
    assert den.charge(1300.0, B77W_MTOW_T) == pytest.approx(54.17 + 13 * 23.51)  # GBP 359.80


def test_currency_conversion_through_the_euro(rates):
    assert rates.to_usd(100.0, "EUR") == pytest.approx(104.11)
    assert rates.to_usd(100.0, "GBP") == pytest.approx(100 * 1.0411 / 0.82608)
    assert rates.to_usd(89_000.0, "JPY") == pytest.approx(89_000 * 1.0411 / 156.96)
    assert rates.to_usd(1.0, "usd") == 1.0
    with pytest.raises(UnknownCurrencyError, match=r"'XYZ'.*known: CAD"):
        rates.to_usd(1.0, "XYZ")


def test_fuel_price_per_kg(rates):
    assert rates.fuel_price_usd_per_bbl == 86.0
    assert rates.fuel_price_usd_per_kg == pytest.approx(86.0 / (158.987294928 * 0.8))  # 0.676 USD/kg
    assert rates.with_fuel_price(120).fuel_price_usd_per_kg == pytest.approx(120 / 127.1898, rel=1e-6)


def test_every_shipped_row_has_provenance(rates):
    for r in rates.charges:
        assert r.source and r.url and r.effective and r.price_year >= 2000, r.id
        assert r.formula, r.id
        assert r.valid_from is not None and r.status in ("confirmed", "secondary", "derived"), r.id
        assert r.confirmed == (r.status == "confirmed"), r.id
        assert (r.status == "derived") == bool(r.derivation), r.id
    h = rates.hourly[0]
    assert h.total_usd_per_bh == pytest.approx(1043 + 900 + 1376 + 1907)
    assert rates.hourly_for(B77W_MTOW_T) == (h, False)
    assert rates.hourly_for(78.0)[1] is True  # an A320 only has a stand-in class: flagged


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("price", [-1.0, math.nan, math.inf, "cheap"])
def test_bad_fuel_price(rates, price):
    with pytest.raises(PriceError, match="fuel price"):
        rates.with_fuel_price(price)


def test_override_unknown_authority_names_it(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('[[charge]]\nid = "NAVCANADA-enrote"\nunit_rate = 0.05\n')
    with pytest.raises(UnknownAuthorityError, match=r"'NAVCANADA-enrote'.*known:.*NAVCANADA-enroute"):
        load_cost_rates(f)


def test_override_file_and_mapping(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text("[fuel]\nprice_usd_per_bbl = 100.0\n[charge.NAVCANADA-enroute]\nunit_rate = 0.05\n")
    mine = load_cost_rates(f)
    assert mine.fuel_price_usd_per_bbl == 100.0
    can = _row(mine, "NAVCANADA-enroute")
    assert can.known and can.charge(1000.0, 400.0) == pytest.approx(0.05 * 1000 * 20.0)
    more = load_cost_rates(
        {"hourly": {"widebody": {"ownership_usd_per_bh": 2000.0}}, "currencies": {"per_eur": {"USD": 1.2}}}
    )
    assert more.hourly[0].ownership_usd_per_bh == 2000.0 and more.to_usd(1.0, "EUR") == pytest.approx(1.2)


@pytest.mark.parametrize(
    ("overrides", "error", "match"),
    [
        ({"charge": {"RUS": {"unit_rate": -5.0}}}, PriceError, r"RUS\.unit_rate: must be a finite number in \[0, "),
        ({"charge": {"RUS": {"currency": "RUR"}}}, UnknownCurrencyError, "'RUS'.*'RUR'"),
        ({"charge": {"FAA-enroute": {"airspace": "upper"}}}, CostDataError, r"FAA-enroute\.airspace: input should be"),
        ({"hourly": {"widebody": {"maintenance_usd_per_bh": math.nan}}}, PriceError, "maintenance"),
        (
            {"currencies": {"per_eur": {"USD": 0.0}}},
            PriceError,
            r"per_eur\.USD: must be a finite number in \[0, .*\], above 0",
        ),
        ({"fuel": {"price_usd_per_bbl": -86}}, PriceError, "price_usd_per_bbl"),
        ({"fuel": {"price": 86}}, CostDataError, r"fuel\.price: unknown key .*allowed: price_usd_per_bbl"),
        ({"tolls": {}}, CostDataError, "tolls: unknown key .*allowed: fuel, hourly"),
    ],
)
def test_bad_overrides(overrides, error, match):
    with pytest.raises(error, match=match):
        load_cost_rates(overrides)


def test_malformed_files(tmp_path, rates):
    bad = tmp_path / "nav.toml"
    bad.write_text("[[charge]]\nid = 'X'\nstates = 'FIN'\n")
    with pytest.raises(CostDataError, match=r"charge\.X\.authority: field required"):
        load_cost_rates(navigation=bad)
    bad.write_text("[[charge]\n")
    with pytest.raises(CostDataError, match="malformed"):
        load_cost_rates(navigation=bad)
    bad.write_text('[[charge]]\nid = "Y"\nauthority = "y"\nstates = ["FIN"]\ncurrency = "EUR"\n')
    with pytest.raises(CostDataError, match=r"charge\.Y: needs 'unit_rate'"):
        load_cost_rates(navigation=bad)
    assert issubclass(CostDataError, RoutesError)


# --- on the mission routes --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lax_costs(svo_lax_geodesic, mission_routes, rates):
    out = {"pre-2022": (svo_lax_geodesic, estimate(svo_lax_geodesic, "B77W"))}
    for s in ("europe-closed", "europe-canada-closed"):
        r = mission_routes[("LAX", s)]
        out[s] = (r, estimate(r, "B77W"))
    with pytest.warns(StaleDataWarning):  # EUROCONTROL 2015/2018 and NAV CANADA 2020-2023 rates, used for 2025
        return {s: flight_cost(r, e, rates, on=ON) for s, (r, e) in out.items()}


def test_pre_2022_charges_by_authority(lax_costs):
    items = {i.authority_id: i for i in lax_costs["pre-2022"].charges.items}
    assert set(items) == {"RUS", "EUROCONTROL-EF", "EUROCONTROL-EN", "DEN-ICE", "FAA-enroute", "NAVCANADA-enroute"}
    rus = items["RUS"]  # 1 Apr 2023 - 2025 USD table (derived; the same figures as FAS 1101/25 annex 1)
    assert (rus.rate_id, rus.currency) == ("RUS-USD-2023-04", "USD")
    assert rus.amount == pytest.approx(212.6 * (rus.sovereign_km + rus.high_seas_km) / 100)
    assert items["FAA-enroute"].charge_usd == 0.0 and "lands in USA" in items["FAA-enroute"].note
    can = items["NAVCANADA-enroute"]  # CAD 0.03802 x km x sqrt(351.5 t)
    assert can.amount == pytest.approx(0.03802 * (can.sovereign_km + can.high_seas_km) * B77W_MTOW_T**0.5)
    assert items["EUROCONTROL-EF"].sovereign_km == pytest.approx(521, abs=10)
    fin = items["EUROCONTROL-EF"]
    assert fin.amount == pytest.approx(round(fin.sovereign_km / 100, 2) * 2.65 * 56.26)
    assert not lax_costs["pre-2022"].charges.fallback_states
    assert any("EUROCONTROL-EF" in f for f in lax_costs["pre-2022"].flags)


def test_closed_states_charge_nothing(lax_costs):
    eu = lax_costs["europe-closed"].charges
    assert {i.authority_id for i in eu.items} == {"RUS", "FAA-enroute", "NAVCANADA-enroute"}
    assert eu.closed_high_seas_km > 1000  # round Svalbard and north of Greenland: nearest states closed
    avoided = charges_avoided_usd(lax_costs["pre-2022"], "europe-closed")
    closed_ids = ("EUROCONTROL-EF", "EUROCONTROL-EN", "DEN-ICE")
    expected = sum(i.charge_usd for i in lax_costs["pre-2022"].charges.items if i.authority_id in closed_ids)
    assert avoided == pytest.approx(expected) and avoided > 2000
    both = lax_costs["europe-canada-closed"].charges
    assert {i.authority_id for i in both.items} == {"RUS", "FAA-enroute", "FAA-oceanic"}
    assert not both.fallback_states


def test_cost_components(lax_costs, rates):
    for c in lax_costs.values():
        assert c.total_usd == pytest.approx(c.fuel_usd + c.time_usd + c.charges_usd)
        assert c.fuel_usd == pytest.approx(c.block_fuel_kg * rates.fuel_price_usd_per_kg)
        assert c.time_usd == pytest.approx(c.block_time_min / 60 * HOURLY_B77W_USD_PER_BH)
        assert c.time_usd == pytest.approx(c.crew_usd + c.maintenance_usd + c.ownership_usd)
        assert c.ownership_usd == pytest.approx(c.block_time_min / 60 * 1907.2, rel=1e-4)  # not USD 3,422
        assert c.marginal_usd == pytest.approx(c.fuel_usd + c.crew_usd + c.maintenance_usd + c.charges_usd)
        assert c.fully_allocated_usd == c.total_usd == pytest.approx(c.marginal_usd + c.ownership_usd)
        assert "utilisation-limited fleet (a modelling choice)" in c.basis and "ownership: type B77W" in c.basis
        assert c.wind == "still air" and "airport/terminal charges excluded" in c.basis
    pre, ecc = lax_costs["pre-2022"], lax_costs["europe-canada-closed"]
    assert ecc.fuel_usd > pre.fuel_usd and ecc.time_usd > pre.time_usd
    assert ecc.charges_usd < pre.charges_usd  # closed states charge nothing: partly offsets the detour
    assert 115_000 < pre.total_usd < 130_000


def test_fuel_price_scales_only_fuel(svo_lax_geodesic, rates):
    e = estimate(svo_lax_geodesic, "B77W")
    a, b = flight_cost(svo_lax_geodesic, e, rates), flight_cost(svo_lax_geodesic, e, rates.with_fuel_price(172.0))
    assert b.fuel_usd == pytest.approx(2 * a.fuel_usd)
    assert (b.time_usd, b.charges_usd) == pytest.approx((a.time_usd, a.charges_usd))


def test_unknown_rate_uses_flagged_fallback(svo_lax_geodesic, rates):
    unknown = rates.with_overrides({"charge": {"NAVCANADA-enroute": {"unit_rate": "unknown"}}})
    e = estimate(svo_lax_geodesic, "B77W")
    c = flight_cost(svo_lax_geodesic, e, unknown, on=ON)
    fb = [i for i in c.charges.items if i.fallback]
    assert [i.states for i in fb] == [("CAN",)] and "rate unknown" in fb[0].note
    assert "fallback charges: CAN" in c.flags
    per_km = fallback_usd_per_km(rates_on(unknown, ON).rates, B77W_MTOW_T)  # the rows valid on the day
    assert fb[0].charge_usd == pytest.approx(per_km * (fb[0].sovereign_km + fb[0].high_seas_km))
    assert 0.3 < per_km < 3.0


def test_an_infeasible_route_cannot_be_costed(rates):
    r = routes.route("SVO", "LAX", "closures-2022")
    with pytest.raises(InfeasibleRouteError, match="cannot charge the infeasible route SVO-LAX"):
        navigation_charges(r, "B77W", rates)


def test_state_without_rate_uses_flagged_fallback(rates):
    r = routes.route("HEL", "NRT", "pre-2022")
    nav = navigation_charges(r, "B77W", rates)
    assert "CHN" in nav.fallback_states
    jcab = [i for i in nav.items if i.authority_id == "JCAB-overflight"]
    assert jcab and jcab[0].charge_usd == 0.0  # lands in Japan: not an overflight


def test_nearest_state_stands_in_for_the_fir():
    import numpy as np

    pts = np.array([[-150.0, 55.0], [0.0, 89.9], [-45.0, 35.0]])  # Gulf of Alaska, North Pole, mid-Atlantic
    near = nearest_state(pts)
    assert near[0] == "USA" and near[2] == ""
    assert near[1] != ""


# --- per year ---------------------------------------------------------------------------------------------


def test_annual_cost_daily_and_three_a_week(lax_costs):
    c = lax_costs["europe-closed"]
    daily = annual_cost(c)
    assert daily.flights_per_year == pytest.approx(730)
    assert daily.total_usd == pytest.approx(730 * c.total_usd)
    assert daily.basis == "still air, inbound mirrors outbound"
    three = annual_cost(c, c, flights_per_week=3)
    assert three.flights_per_year == pytest.approx(2 * 3 * 365 / 7)
    assert three.fuel_usd + three.time_usd + three.charges_usd == pytest.approx(three.total_usd)
    for bad in (0, -3, math.nan, "daily"):
        with pytest.raises(ScheduleError, match="flights per week"):
            annual_cost(c, flights_per_week=bad)


def test_annual_cost_by_month_weights_days(lax_costs):
    summer, winter = lax_costs["pre-2022"], lax_costs["europe-canada-closed"]
    summer = replace(summer, wind="monthly winds (test)")
    months = {m: (summer if 4 <= m <= 9 else winter) for m in range(1, 13)}
    a = annual_cost(months, lambda m: months[m], flights_per_week=7)
    days_summer = 30 + 31 + 30 + 31 + 31 + 30
    expected = 2 * (days_summer * summer.total_usd + (365 - days_summer) * winter.total_usd)
    assert a.total_usd == pytest.approx(expected)
    assert "monthly winds (test)" in a.basis and "mirrors" not in a.basis
    with pytest.raises(ValueError, match="missing"):
        annual_cost({1: summer})


def test_annual_service_cost_uses_winds_by_month(mission_routes, rates):
    from routes.analysis.wind import average_wind

    r = mission_routes[("SEA", "europe-canada-closed")]
    calm = annual_service_cost(r, flights_per_week=7, rates=rates)
    assert calm.basis == "still air, inbound mirrors outbound"
    windy = annual_service_cost(r, wind_by_month=lambda m: average_wind(-40 if m in (12, 1, 2) else 0), rates=rates)
    assert windy.total_usd > calm.total_usd  # winter headwinds cost time and fuel
    assert "-40 kt" in windy.basis and "+0 kt" in windy.basis and "mirrors" not in windy.basis
    back = reversed_route(r)
    assert back.origin == r.destination and back.distance_km == pytest.approx(r.distance_km, abs=0.01)


def test_charge_rate_validation_names_the_row():
    row = {"authority": "z", "states": ["ATA"], "currency": "USD"}
    with pytest.raises(PriceError, match=r"charge\.Z\.unit_rate: input should be a finite number"):
        load_cost_rates({"charge": [{"id": "Z", "new": True, **row, "unit_rate": math.nan}]})
    ok = load_cost_rates({"charge": [{"id": "Z", "new": True, **row, "unit_rate": 1.0}]})
    assert any(isinstance(r, ChargeRate) and r.id == "Z" for r in ok.charges)
