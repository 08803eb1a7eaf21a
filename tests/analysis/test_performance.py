import numpy as np
import pytest
import xarray as xr

from routes.analysis.performance import Assumptions, _profiles, cruise_tas_kt, estimate, fuel_flow_factor, get_aircraft
from routes.analysis.wind import average_wind, wind_from_dataset
from routes.errors import UnknownAircraftError, WindFieldError
from routes.inputs.airports import LatLon
from routes.routing import geodesic_route
from routes.units import KM_PER_NM

# ISA at FL350 (10,668 m): T = 288.15 - 6.5 x 10.668 = 218.808 K, a = sqrt(1.4 x 287.05287 x T)
# = 296.535 m/s; M0.84 -> 249.09 m/s = 484.19 kt
TAS_M084_FL350_KT = 484.19
FL350 = Assumptions(cruise_mach=0.84, cruise_alt_ft=35000)


def equator(km: float):
    return geodesic_route(LatLon(0.0, 0.0), LatLon(0.0, km / 111.319490793))


def test_cruise_tas_at_m084_fl350():
    assert cruise_tas_kt(0.84, 35000) == pytest.approx(TAS_M084_FL350_KT, abs=0.05)


def test_openap_knot_constant_is_openaps_own():
    from openap import aero

    from routes.analysis.performance import OPENAP_KT_PER_MS

    assert OPENAP_KT_PER_MS == 1.0 / aero.kts  # written out: OpenAP loads only for an estimate


def test_still_air_cruise_time_of_a_known_distance():
    # 5,000 km more cruise at M0.84/FL350 takes 5000 / (484.19 x 1.852) h = 334.55 min more
    short, long = estimate(equator(3000), "B77W", FL350), estimate(equator(8000), "B77W", FL350)
    assert long.cruise_min - short.cruise_min == pytest.approx(334.55, abs=0.1)
    assert long.climb_min == short.climb_min and long.descent_min == short.descent_min
    e = long
    assert e.block_time_min == pytest.approx(e.taxi_min + e.climb_min + e.cruise_min + e.descent_min)
    assert e.block_time.total_seconds() == pytest.approx(e.block_time_min * 60)
    assert e.wind == "still air"


def test_aircraft_data_come_from_openap():
    ac = get_aircraft("b77w")
    assert (ac.name, ac.mtow_kg, ac.oew_kg, ac.engines) == ("Boeing 777-300ER", 351500.0, 167800.0, 2)
    assert ac.max_fuel_kg == pytest.approx(181300 * 0.8)
    assert ac.cruise_mach == 0.84


def test_unknown_aircraft_lists_the_known_types():
    with pytest.raises(UnknownAircraftError, match=r"unknown aircraft type 'B7X7'.*B77W"):
        get_aircraft("B7X7")


def test_fuel_and_co2():
    e = estimate(geodesic_route("SVO", "LAX"))
    assert e.co2_kg == pytest.approx(e.block_fuel_kg * 3.16)  # the register's CORSIA factor
    assert 70_000 < e.trip_fuel_kg < 100_000  # 777-300ER over ~9,800 km
    assert e.payload_kg == pytest.approx(451 * 0.8 * 100)
    heavier = estimate(geodesic_route("SVO", "LAX"), assumptions=Assumptions(load_factor=1.0))
    assert heavier.trip_fuel_kg > e.trip_fuel_kg
    longer = estimate(equator(11000))
    assert longer.trip_fuel_kg > estimate(equator(10000)).trip_fuel_kg


def test_calibration_flies_the_openap_range():
    factor = fuel_flow_factor("B77W")
    assert 0.55 < factor < 0.85  # OpenAP's generic fuel model overstates the 777-300ER
    raw = estimate(geodesic_route("SVO", "LAX"), assumptions=Assumptions(calibrate_fuel=False))
    cal = estimate(geodesic_route("SVO", "LAX"))
    assert raw.fuel_flow_factor == 1.0 and raw.trip_fuel_kg > cal.trip_fuel_kg * 1.3
    # at OpenAP's stated range (14,700 km) with pax.low the fuel margin is about zero
    at_range = estimate(equator(14700), assumptions=Assumptions(load_factor=365 / 451))
    assert abs(at_range.range_margin_km) < 150


def test_range_verdicts():
    assert estimate(geodesic_route("SVO", "LAX")).within_range
    too_far = estimate(equator(17000))
    assert not too_far.within_range and too_far.range_margin_km < 0
    assert too_far.range_limit in ("fuel capacity", "MTOW")
    assert not estimate(geodesic_route("SVO", "LAX"), "A320").within_range


def test_published_block_time_bracket():
    # Aeroflot SVO -> JFK, B777-300ER, scheduled 10 h 45 min westbound (pre-2022). Still air
    # and a direct geodesic must come out shorter, by the headwind and airway allowance.
    e = estimate(geodesic_route("SVO", "JFK"))
    assert 8.5 * 60 < e.block_time_min < 10.75 * 60


def _uniform(u_ms: float, v_ms: float = 0.0, units: str = "m s**-1") -> xr.Dataset:
    lat, lon = np.arange(-90, 90.1, 2.5), np.arange(0, 360, 2.5)
    shape = (len(lat), len(lon))
    return xr.Dataset(
        {
            "u": (("latitude", "longitude"), np.full(shape, u_ms), {"units": units}),
            "v": (("latitude", "longitude"), np.full(shape, v_ms), {"units": units}),
        },
        coords={"latitude": lat, "longitude": lon},
    )


def _wind_hours_in_climb_and_descent() -> float:
    """Hours of full cruise-level wind that climb + descent see: the wind scales with altitude."""
    climb, descent = _profiles("B77W", 35000.0, 0.84)
    return (
        sum(float((np.clip(p["alt"] / 35000.0, 0, 1) * np.diff(p["t"], prepend=0.0)).sum()) for p in (climb, descent))
        / 3600
    )


def test_uniform_westerly_speeds_up_eastbound_and_slows_westbound():
    wind = wind_from_dataset(_uniform(30.0))
    east = geodesic_route(LatLon(0, 0), LatLon(0, 60))
    west = geodesic_route(LatLon(0, 60), LatLon(0, 0))
    still = estimate(east, assumptions=FL350)
    e, w = estimate(east, assumptions=FL350, wind=wind), estimate(west, assumptions=FL350, wind=wind)
    cruise_km = still.cruise_min * TAS_M084_FL350_KT * KM_PER_NM / 60
    tail_kt = 30.0 * 3600 / 1852
    # climb and descent last as long as in still air but cover more (less) ground with the wind
    phase_km = tail_kt * KM_PER_NM * _wind_hours_in_climb_and_descent()
    assert 40 < phase_km < 50  # ~25 min of full wind out of ~49 min of climb and descent
    expect_e = (cruise_km - phase_km) / ((TAS_M084_FL350_KT + tail_kt) * KM_PER_NM) * 60
    expect_w = (cruise_km + phase_km) / ((TAS_M084_FL350_KT - tail_kt) * KM_PER_NM) * 60
    assert e.cruise_min == pytest.approx(expect_e, rel=1e-4)
    assert w.cruise_min == pytest.approx(expect_w, rel=1e-4)
    assert (e.climb_min, e.descent_min) == (still.climb_min, still.descent_min)
    assert e.trip_fuel_kg < still.trip_fuel_kg < w.trip_fuel_kg
    assert e.wind.startswith("wind field")


def test_crosswind_costs_the_wind_triangle():
    north = geodesic_route(LatLon(-30, 10), LatLon(30, 10))  # along a meridian, wind from the west
    still = estimate(north, assumptions=FL350)
    cross = estimate(north, assumptions=FL350, wind=wind_from_dataset(_uniform(40.0)))
    w_kt = 40.0 * 3600 / 1852
    gs = np.sqrt(TAS_M084_FL350_KT**2 - w_kt**2)
    # climb and descent lose the crab's share of the ground speed too, in proportion to altitude
    cruise_km = still.cruise_min / 60 * TAS_M084_FL350_KT * KM_PER_NM
    cruise_km += (TAS_M084_FL350_KT - gs) * KM_PER_NM * _wind_hours_in_climb_and_descent()
    assert cross.cruise_min == pytest.approx(cruise_km / (gs * KM_PER_NM) * 60, rel=1e-4)


def test_knots_are_converted_and_average_wind_is_labelled():
    ms = estimate(equator(6000), wind=wind_from_dataset(_uniform(20.0)))
    kt = estimate(equator(6000), wind=wind_from_dataset(_uniform(20.0 * 3600 / 1852, units="knots")))
    assert kt.cruise_min == pytest.approx(ms.cruise_min, rel=1e-6)
    avg = estimate(equator(6000), wind=average_wind(-40))
    assert avg.wind == "average wind -40 kt along track" and avg.cruise_min > ms.cruise_min


@pytest.mark.parametrize(
    ("ds", "message"),
    [
        (_uniform(10).drop_vars("v"), "eastward and northward wind"),
        (_uniform(10).rename({"latitude": "y"}), "'latitude' and 'longitude'"),
        (_uniform(10, units="km/h"), "units 'km/h'"),
        (_uniform(500), "implausible"),
        (_uniform(10).expand_dims(level=[250, 300]), "pass level_hpa"),
        ("not a dataset", "expected an xarray.Dataset"),
    ],
)
def test_bad_wind_fields_are_rejected(ds, message):
    with pytest.raises(WindFieldError, match=message):
        wind_from_dataset(ds)


def test_pressure_level_and_time_selection():
    ds = _uniform(10).expand_dims(level=[200, 250]).expand_dims(time=np.array(["2026-01-01T00"], "datetime64[ns]"))
    wind = wind_from_dataset(ds, level_hpa=250)
    assert "250 hPa" in wind.label and "2026-01-01T00" in wind.label


def test_block_times_without_fuel_match_the_full_estimate_in_every_wind():
    from routes.analysis.climatology import climatology
    from routes.analysis.performance import block_times_min

    route = geodesic_route("SVO", "JFK")
    winds = [None, climatology(1), climatology(7), average_wind(-30)]
    fast = block_times_min(route, winds, "B77W")
    full = [estimate(route, "B77W", wind=w).block_time_min for w in winds]
    assert fast == pytest.approx(full, abs=1e-9)
    assert fast[1] > fast[0] + 20  # westbound across the North Atlantic in January: a strong headwind
