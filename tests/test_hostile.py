"""Hostile-input corpus (issue 11): every case states the RoutesError subclass and a message fragment it
must produce. Validation fails before any routing, so the corpus is fast."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import routes
from routes.analysis.wind import average_wind, wind_from_dataset
from routes.errors import (
    InvalidCoordinateError,
    InvalidInputError,
    RoutesError,
    ScenarioError,
    UnknownAircraftError,
    UnknownAirportError,
    WindFieldError,
)
from routes.inputs.airports import get_airport
from routes.inputs.scenarios import Scenario, as_polygons, get_scenario, load_scenarios
from routes.presentation.cli import main

NAN, INF = float("nan"), float("inf")

AIRPORTS = [
    (None, InvalidInputError, "got None"),
    (12345, InvalidInputError, "got 12345"),
    (12.5, InvalidInputError, "float"),
    (b"SVO", InvalidInputError, "bytes"),
    (["SVO"], InvalidInputError, "list"),
    ({"code": "SVO"}, InvalidInputError, "dict"),
    ("", UnknownAirportError, "unknown airport code"),
    ("   ", UnknownAirportError, "unknown airport code"),
    ("SV0", UnknownAirportError, "did you mean SVO"),
    ("XXXXX", UnknownAirportError, "unknown airport code"),
    ("S", UnknownAirportError, "unknown airport code"),
    ("LAXX", UnknownAirportError, "LAX"),
    ("nan,0", InvalidCoordinateError, "lat=nan"),
    ("0,nan", InvalidCoordinateError, "lon=nan"),
    ("inf,0", InvalidCoordinateError, "lat=inf"),
    ("-inf,0", InvalidCoordinateError, "lat=-inf"),
    ("91,0", InvalidCoordinateError, "[-90, 90]"),
    ("-90.0001,0", InvalidCoordinateError, "[-90, 90]"),
    ("0,180.5", InvalidCoordinateError, "[-180, 180]"),
    ("0,-181", InvalidCoordinateError, "[-180, 180]"),
    ("1e3,0", InvalidCoordinateError, "[-90, 90]"),
    ("55,37,12", InvalidCoordinateError, "lat,lon"),
    ("55;37", UnknownAirportError, "unknown airport code"),
    ("a,b", InvalidCoordinateError, "lat,lon"),
    (",", InvalidCoordinateError, "lat,lon"),
    ("55.97,", InvalidCoordinateError, "lat,lon"),
    (",37.41", InvalidCoordinateError, "lat,lon"),
    ("55.97 , abc", InvalidCoordinateError, "lat,lon"),
    ("55°58'N,37°25'E", InvalidCoordinateError, "decimal degrees"),
    ("--55,37", InvalidCoordinateError, "lat,lon"),
]


@pytest.mark.parametrize(("query", "error", "fragment"), AIRPORTS, ids=[repr(a[0]) for a in AIRPORTS])
def test_airport_inputs(query, error, fragment):
    with pytest.raises(error, match=None) as info:
        get_airport(query)
    assert fragment in str(info.value)


PARSED = [
    ("+55.97,37.41", 55.97, 37.41),
    ("5.597e1,37.41", 55.97, 37.41),
    ("55.97,+37.41", 55.97, 37.41),
    (" -33.9 , 151.2 ", -33.9, 151.2),
    ("-.5,.5", -0.5, 0.5),
    ("90,180", 90.0, 180.0),
    ("-90,-180", -90.0, -180.0),
    ("5.597E+01,3.741e1", 55.97, 37.41),
    ("0,0", 0.0, 0.0),
    ("55,37", 55.0, 37.0),
]


@pytest.mark.parametrize(("text", "lat", "lon"), PARSED)
def test_coordinates_parsed(text, lat, lon):
    ap = get_airport(text)
    assert (ap.lat, ap.lon) == pytest.approx((lat, lon))


SAME = [
    ("90,0", "90,45"),
    ("90,0", "90,-180"),
    ("60,180", "60,-180"),
    ("-90,0", "-90,180"),
    ("0,180", "0,-180"),
    ("SVO", "UUEE"),
    ("SVO", "svo"),
    ("LAX", "KLAX"),
    ("55.972599,37.4146", "UUEE"),
    ("-45,180", "-45,-180"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_point_written_two_ways(a, b):
    with pytest.raises(InvalidCoordinateError, match="same point"):
        routes.route(a, b, "europe-closed")
    with pytest.raises(InvalidCoordinateError, match="same point"):
        routes.geodesic_route(a, b)


MARGINS = [
    (-1, "got -1"),
    (-0.001, "got -0.001"),
    (NAN, "got nan"),
    (INF, "got inf"),
    (-INF, "got -inf"),
    ("ten", "'ten'"),
    ("10", "'10'"),
    (None, "None"),
    (True, "True"),
    ([10], "list"),
    (1000.5, "1000"),
    (3000, "close whole oceans"),
    (5000, "got 5000"),
    (1e308, "got 1e+308"),
    (complex(1, 1), "complex"),
]


@pytest.mark.parametrize(("margin", "fragment"), MARGINS, ids=[repr(m[0]) for m in MARGINS])
def test_margins(margin, fragment):
    with pytest.raises(InvalidInputError) as info:
        routes.route("SVO", "LAX", "europe-closed", margin)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


SCENARIO_BUILD = [
    ({"closed_states": 5}, "expected a list of ISO state codes"),
    ({"closed_states": None}, "NoneType"),
    ({"closed_states": [5]}, "state codes are text"),
    ({"closed_states": ["XX"]}, "unknown state code 'XX'"),
    ({"closed_states": ["CANADA"]}, "unknown state code"),
    ({"closed_states": {"CAN": 1}}, "dict"),
    ({"exempt_states": 3.5}, "open: expected a list"),
    ({"exempt_states": [None]}, "state codes are text"),
    ({"closed_states": [""]}, "unknown state code"),
    ({"closed_polygons": 5}, "expected GeoJSON"),
    ({"closed_polygons": "{not json"}, "malformed GeoJSON"),
    ({"closed_polygons": "/no/such/file.geojson"}, "not found"),
    ({"closed_polygons": {"type": "Point", "coordinates": [0, 0]}}, "expected a Polygon"),
    ({"closed_polygons": {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [0, 10], [0, 0]]]}}, "out of range"),
    (
        {"closed_polygons": {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]}},
        "invalid",
    ),
    ({"closed_polygons": {"type": "Polygon", "coordinates": "x"}}, "malformed GeoJSON geometry"),
    ({"closed_polygons": {"type": "FeatureCollection", "features": [{"geometry": None}]}}, "malformed GeoJSON"),
    ({"open_corridors": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}, "expected a Polygon"),
    ({"closed_polygons": {"no": "type"}}, "mapping with 'type'"),
    ({"closed_polygons": {"type": "Polygon", "coordinates": [[[0, 0], [0, 95], [5, 0], [0, 0]]]}}, "out of range"),
]


@pytest.mark.parametrize(("kwargs", "fragment"), SCENARIO_BUILD)
def test_scenario_build(kwargs, fragment):
    with pytest.raises(ScenarioError) as info:
        Scenario.build("x", **kwargs)
    assert fragment in str(info.value)


GET_SCENARIO = [
    (["europe-closed"], "expected one scenario name"),
    (None, "NoneType"),
    (5, "int"),
    ("", "unknown scenario"),
    (" europe-closed", "unknown scenario"),
    ("europe-closed,pre-2022", "unknown scenario"),
    ("EUROPE-CLOSED", "unknown scenario"),
    ("operator:XX", "unknown operator state"),
    ("operator:FIN@2022-13-01", "malformed date"),
    ("airline:ZZZZZ", ""),
]


@pytest.mark.parametrize(("name", "fragment"), GET_SCENARIO, ids=[repr(g[0]) for g in GET_SCENARIO])
def test_get_scenario(name, fragment):
    with pytest.raises(ScenarioError) as info:
        get_scenario(name)
    assert fragment in str(info.value)


TOML = [
    ("[bad]\nclosed = 5\n", "expected a list of ISO state codes"),
    ("[bad]\nnotes = 5\n", "scenario 'bad': notes: input should be a valid string (got 5)"),
    ("[bad]\ndescription = 5\n", "description: input should be a valid string"),
    ("[bad]\neffective = [1]\n", "effective: input should be a valid string"),
    ('[bad]\nextends = ["europe-closed"]\n', "extends: input should be a valid string"),
    ('[bad]\nextends = "nowhere"\n', "extends unknown scenario"),
    ("[bad]\nsources = 5\n", "sources: expected a text or a list of texts"),
    ("[bad]\nsources = [1, 2]\n", "sources[0]: input should be a valid string (got 1)"),
    ('[bad]\nclosed = ["XX"]\n', "unknown state code"),
    ("[bad]\nwhat = 1\n", "unknown key"),
    ("bad = 5\n", "scenario 'bad': expected a table of keys and values, got int"),
    ("[bad\n", "malformed scenario file"),
    ('[bad]\non = "2022-01-01"\n', "'on' needs 'operator' or 'airline'"),
    ('[bad]\nextends = "europe-closed"\noperator = "FIN"\n', "use only one of"),
    ('[bad]\navoid_firs = "yes"\n', "avoid_firs: input should be a valid boolean (got 'yes')"),
    ('[bad]\nunclear = ["CAN"]\n', "are not closed"),
    ('[bad]\nas_of = "yesterday"\n', "malformed date"),
    ('[bad]\nclosed_geojson = "missing.geojson"\n', "not found"),
    ("[bad]\nopen = 5\n", "open: expected a list"),
    ('[bad]\nclosed = ["CAN", 7]\n', "closed[1]: input should be a valid string (got 7)"),
]


@pytest.mark.parametrize(("text", "fragment"), TOML)
def test_scenario_toml(tmp_path, text, fragment):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path)
    assert fragment in str(info.value)


def test_toml_sources_string_is_one_source(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[ok]\nextends = "europe-closed"\nsources = "https://example.org/notam"\n')
    assert load_scenarios(path)["ok"].sources == ("https://example.org/notam",)


def test_toml_missing_file():
    with pytest.raises(ScenarioError, match="not found"):
        load_scenarios("/no/such/scenarios.toml")


@pytest.fixture(scope="module")
def short_route():
    return routes.geodesic_route("55.97,37.41", "55.972,37.4146")  # a 0.3 km hop


@pytest.fixture(scope="module")
def infeasible():
    return routes.route("SVO", "LAX", "closures-2022")


ASSUMPTIONS = [
    ({"load_factor": -1}, "load_factor"),
    ({"load_factor": 1.5}, "load_factor"),
    ({"load_factor": NAN}, "load_factor"),
    ({"load_factor": "0.8"}, "load_factor"),
    ({"route_factor": 0}, "route_factor"),
    ({"route_factor": 0.9}, "route_factor"),
    ({"route_factor": INF}, "route_factor"),
    ({"cruise_mach": 3.0}, "cruise_mach"),
    ({"cruise_mach": 0.0}, "cruise_mach"),
    ({"cruise_mach": NAN}, "cruise_mach"),
    ({"cruise_alt_ft": -5}, "cruise_alt_ft"),
    ({"cruise_alt_ft": 90000}, "cruise_alt_ft"),
    ({"pax_mass_kg": -100}, "pax_mass_kg"),
    ({"cargo_kg": -1}, "cargo_kg"),
    ({"cargo_kg": INF}, "cargo_kg"),
    ({"taxi_out_min": -5}, "taxi_out_min"),
    ({"taxi_in_min": NAN}, "taxi_in_min"),
    ({"contingency_frac": 2}, "contingency_frac"),
    ({"alternate_nm": -1}, "alternate_nm"),
    ({"final_reserve_min": None}, "final_reserve_min"),
    ({"calibrate_fuel": "yes"}, "calibrate_fuel"),
]


@pytest.mark.parametrize(("kwargs", "fragment"), ASSUMPTIONS)
def test_assumptions(kwargs, fragment):
    with pytest.raises(InvalidInputError, match=fragment):
        routes.Assumptions(**kwargs)


def test_short_hop_fuel_scaled(short_route):
    est = routes.estimate(short_route, "B77W")
    assert est.trip_fuel_kg < 200  # climb and descent cut short in fuel as in time (was 5.5 t)
    assert est.climb_min + est.descent_min < 1.0


def test_mach_above_type_mmo(short_route):
    with pytest.raises(InvalidInputError, match="MMO"):
        routes.estimate(short_route, "A320", routes.Assumptions(cruise_mach=0.9))


AIRCRAFT = [None, 5, "", "B7777", ["B77W"], "Concorde"]


@pytest.mark.parametrize("code", AIRCRAFT, ids=repr)
def test_aircraft(code, short_route):
    with pytest.raises(UnknownAircraftError, match="unknown aircraft type"):
        routes.estimate(short_route, code)


def test_assumptions_wrong_type(short_route):
    with pytest.raises(InvalidInputError, match=r"routes\.Assumptions"):
        routes.estimate(short_route, "B77W", {"load_factor": 0.8})


WINDS = [NAN, INF, -INF, "20", None, 500, -301]


@pytest.mark.parametrize("component", WINDS, ids=repr)
def test_average_wind(component):
    with pytest.raises(WindFieldError, match="average wind"):
        average_wind(component)


def test_strong_headwind_slows_not_breaks():
    long = routes.geodesic_route("SVO", "LED")
    still, head = routes.estimate(long, "B77W"), routes.estimate(long, "B77W", wind=average_wind(-290))
    assert head.cruise_min > 1.5 * still.cruise_min


def _field(lats, lons, u=10.0, v=0.0):
    import xarray as xr

    shape = (len(lats), len(lons))
    return xr.Dataset(
        {"u": (("latitude", "longitude"), np.broadcast_to(u, shape).astype(float)),
         "v": (("latitude", "longitude"), np.broadcast_to(v, shape).astype(float))},
        coords={"latitude": lats, "longitude": lons},
    )  # fmt: skip


def test_wind_regional_grid_refused():
    wind = wind_from_dataset(_field(np.arange(35.0, 71.0), np.arange(-10.0, 41.0)))  # Europe only
    with pytest.raises(WindFieldError, match="outside it"):
        routes.estimate(routes.geodesic_route("SVO", "LAX"), "B77W", wind=wind)


def test_wind_nan_over_part_refused():
    u = np.full((181, 360), 10.0)
    u[150:, :] = np.nan  # no data north of 60N
    wind = wind_from_dataset(_field(np.arange(-90.0, 91.0), np.arange(0.0, 360.0), u=u))
    with pytest.raises(WindFieldError, match="missing values"):
        routes.estimate(routes.geodesic_route("SVO", "LAX"), "B77W", wind=wind)


def test_wind_global_grid_accepted():
    wind = wind_from_dataset(_field(np.arange(-90.0, 91.0), np.arange(0.0, 360.0)))
    est = routes.estimate(routes.geodesic_route("SVO", "LED"), "B77W", wind=wind)
    assert math.isfinite(est.block_time_min)


WIND_FIELDS = [
    (lambda: _field(np.array([55.0]), np.array([37.0])), "at least 2 x 2"),
    (lambda: _field(np.array([50.0, 60.0]), np.array([37.0])), "at least 2 x 2"),
    (lambda: _field(np.arange(0.0, 10.0), np.arange(0.0, 10.0), u=np.nan), "no finite value"),
    (lambda: _field(np.arange(0.0, 10.0), np.arange(0.0, 10.0), u=500.0), "implausible"),
    (lambda: "not a dataset", "expected an xarray.Dataset"),
    (lambda: _field(np.arange(0.0, 10.0), np.arange(0.0, 10.0)).rename({"u": "x"}), "eastward and northward"),
]


@pytest.mark.parametrize(("make", "fragment"), WIND_FIELDS)
def test_wind_fields(make, fragment):
    with pytest.raises(WindFieldError, match=fragment):
        wind_from_dataset(make())


STEPS = [0, -1, NAN, INF, "5", None]


@pytest.mark.parametrize("step", STEPS, ids=repr)
def test_step_km(step, short_route):
    with pytest.raises(InvalidInputError, match="step_km"):
        short_route.densified(step)
    with pytest.raises(InvalidInputError, match="step_km"):
        routes.verify_route(short_route, step_km=step)
    with pytest.raises(InvalidInputError, match="step_km"):
        routes.diversion(short_route, step_km=step)


ANALYSES = ["overflight", "verify_route", "estimate", "diversion", "polar_flags"]


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_of_infeasible_route(name, infeasible):
    with pytest.raises(routes.InfeasibleRouteError, match="closed airspace of United States"):
        getattr(routes, name)(infeasible)


@pytest.mark.parametrize("name", ANALYSES)
@pytest.mark.parametrize("bad", [None, "SVO-LAX", 5])
def test_analysis_of_non_route(name, bad):
    with pytest.raises(InvalidInputError, match=r"expected a routes\.Route"):
        getattr(routes, name)(bad)


DIVERSION = [
    ({"min_runway_m": -1}, "min_runway_m"),
    ({"min_runway_m": NAN}, "min_runway_m"),
    ({"oei_speed_kt": 0}, "oei_speed_kt"),
    ({"oei_speed_kt": "420"}, "oei_speed_kt"),
    ({"rule_min": -180}, "rule_min"),
    ({"min_runway_m": 5999}, "no usable alternate"),
]


@pytest.mark.parametrize(("kwargs", "fragment"), DIVERSION)
def test_diversion_inputs(kwargs, fragment, short_route):
    with pytest.raises(InvalidInputError, match=fragment):
        routes.diversion(short_route, **kwargs)


def test_verify_margin_checked(short_route):
    with pytest.raises(InvalidInputError, match="margin_nm"):
        routes.verify_route(short_route, margin_nm=-5)


def test_polar_speed_checked(short_route):
    with pytest.raises(InvalidInputError, match="speed_kt"):
        routes.polar_flags(short_route, speed_kt=0)


COMPARE = [
    ({"origins": ["SVO"], "destinations": ["SVO"]}, InvalidCoordinateError, "same point"),
    ({"origins": ["SVO"], "destinations": ["UUEE"]}, InvalidCoordinateError, "same point"),
    ({"origins": ["SVO", "DME"], "destinations": ["SVO", "DME"][:1] * 1 + []}, None, None),
    ({"origins": [], "destinations": ["LAX"]}, InvalidInputError, "origins: nothing given"),
    ({"origins": ["SVO"], "destinations": []}, InvalidInputError, "destinations: nothing given"),
    ({"origins": ["SVO"], "destinations": ["LAX"], "scenarios": []}, InvalidInputError, "scenarios: nothing given"),
    ({"origins": ["SVO"], "destinations": ["LAX"], "aircraft": []}, InvalidInputError, "aircraft: nothing given"),
    ({"origins": ["SVO"], "destinations": ["LAX"], "aircraft": ["B7777"]}, UnknownAircraftError, "unknown aircraft"),
    ({"origins": ["SVO"], "destinations": ["LAX"], "margin_nm": -1}, InvalidInputError, "margin_nm"),
    ({"origins": ["SVO"], "destinations": ["LAX"], "scenarios": ["nope"]}, ScenarioError, "unknown scenario"),
    ({"origins": [None], "destinations": ["LAX"]}, InvalidInputError, "got None"),
    ({"origins": ["SVO"], "destinations": ["SV0"]}, UnknownAirportError, "did you mean SVO"),
]


@pytest.mark.parametrize(("kwargs", "error", "fragment"), [c for c in COMPARE if c[1]])
def test_compare_inputs(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        routes.compare(**kwargs)


MAPS = [([], "non-empty sequence"), (None, "non-empty sequence"), (["SVO"], "non-empty sequence"), (5, "non-empty")]


@pytest.mark.parametrize(("arg", "fragment"), MAPS)
def test_maps_inputs(arg, fragment):
    with pytest.raises(InvalidInputError, match=fragment):
        routes.plot_routes(arg)


@pytest.mark.parametrize(("kwargs", "fragment"), [({"dpi": 72}, "dpi"), ({"formats": ["gif"]}, "png, svg and pdf")])
def test_save_figure_inputs(tmp_path, kwargs, fragment):
    from matplotlib.figure import Figure

    with pytest.raises(InvalidInputError, match=fragment):
        routes.save_figure(Figure(), tmp_path / "x", **kwargs)


def test_extra_pct_without_geodesic_is_nan():
    r = routes.geodesic_route("SVO", "LED")
    from dataclasses import replace

    zero = replace(r, geodesic_km=0.0)
    assert math.isnan(zero.extra_pct) and math.isnan(zero.summary()["extra_pct"])


CLI = [
    (["route", "SVO", "SVO"], "same point"),
    (["route", "SVO", "UUEE"], "same point"),
    (["route", "90,0", "90,45", "-s", "europe-closed"], "same point"),
    (["route", "60,180", "60,-180"], "same point"),
    (["route", "SVO", "LAX", "--margin-nm", "5000"], "close whole oceans"),
    (["route", "SVO", "LAX", "--margin-nm", "-1"], "--margin-nm"),
    (["route", "SVO", "LAX", "--margin-nm", "nan"], "margin_nm"),
    (["route", "SVO", "LAX", "-s", "pre-2022,europe-closed"], "takes one scenario"),
    (["route", "SVO", "LAX", "-s", ""], "no scenario given"),
    (["route", "SVO", "LAX", "-s", "nope"], "unknown scenario 'nope'"),
    (["route", "nan,0", "LAX"], "lat=nan"),
    (["route", "-inf,0", "LAX"], "lat=-inf"),
    (["route", "-91,0", "LAX"], "[-90, 90]"),
    (["route", "SV0", "LAX"], "did you mean SVO"),
    (["route", "SVO", "LAX", "-a", "B7777"], "unknown aircraft type"),
    (["route", "SVO", "LAX", "-f", "xml"], "xml"),
    (["compare", "SVO", "SVO"], "same point"),
    (["compare", "SVO", "LAX", "--scenarios", ""], "no scenario given"),
    (["compare", "SVO", "LAX", "-a", ""], "aircraft: nothing given"),
    (["compare", "SVO"], "Missing argument"),
    (["scenarios", "--scenario-file", "/no/such.toml"], "not found"),
    (["airports", "zzzzzzzzzz"], "no airport matches"),
    (["report", "--origins", "SVO", "--destinations", "UUEE"], "same point"),
    (["report", "--origins", "", "--destinations", "LAX"], "origins: nothing given"),
    (["nosuchcommand"], "No such command"),
]


@pytest.mark.parametrize(("argv", "fragment"), CLI, ids=[" ".join(c[0]) for c in CLI])
def test_cli_errors(capsys, tmp_path, argv, fragment):
    if argv[0] == "report":
        argv = [*argv, "--out", str(tmp_path / "r")]
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2, err
    assert fragment in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["closed = 5", "notes = 5", "sources = 5"])
def test_cli_bad_toml(capsys, tmp_path, name):
    path = tmp_path / "mine.toml"
    path.write_text(f"[bad]\n{name}\n")
    with pytest.raises(SystemExit) as info:
        main(["route", "SVO", "LAX", "--scenario-file", str(path), "-s", "bad"])
    assert info.value.code == 2
    assert "scenario 'bad'" in capsys.readouterr().err


def test_cli_negative_coordinates(capsys):
    with pytest.raises(SystemExit) as info:
        main(["route", "-33.9,151.2", "-33.95,151.18", "-s", "pre-2022", "-f", "csv"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "-33.9000,151.2000" in out


# Random bad input: nothing but RoutesError may escape, and no RuntimeWarning.
junk = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.binary(max_size=4),
)  # fmt: skip
bad_floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5), st.none())
FUZZ = settings(max_examples=int(__import__("os").environ.get("POLAR_ROUTES_EXAMPLES", "60")), deadline=None)


def _only_routes_errors(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            fn(*args, **kwargs)
        except RoutesError:
            pass


@FUZZ
@given(junk)
def test_fuzz_get_airport(query):
    _only_routes_errors(get_airport, query)


@FUZZ
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_fuzz_latlon_text(lat, lon):
    _only_routes_errors(get_airport, f"{lat},{lon}")


@FUZZ
@given(junk)
def test_fuzz_margin(margin):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            routes.route("SVO", "SVO", "europe-closed", margin)  # never routes: same point or bad margin
        except RoutesError:
            pass


@FUZZ
@given(junk, junk)
def test_fuzz_scenario_build(closed, open_):
    _only_routes_errors(Scenario.build, "x", closed_states=closed, exempt_states=open_)


@FUZZ
@given(junk)
def test_fuzz_get_scenario(name):
    _only_routes_errors(get_scenario, name)


@FUZZ
@given(junk)
def test_fuzz_polygons(obj):
    _only_routes_errors(as_polygons, obj)


@FUZZ
@given(bad_floats, bad_floats, bad_floats)
def test_fuzz_assumptions(load, route_factor, mach):
    _only_routes_errors(routes.Assumptions, load_factor=load, route_factor=route_factor, cruise_mach=mach)


@FUZZ
@given(bad_floats)
def test_fuzz_average_wind(component):
    _only_routes_errors(average_wind, component)


@FUZZ
@given(junk)
def test_fuzz_estimate_aircraft(code):
    _only_routes_errors(routes.get_aircraft, code)
