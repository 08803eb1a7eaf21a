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
from routes import geodesy
from routes.analysis.wind import average_wind, wind_from_dataset
from routes.cli import main
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
    ({"origins": ["SVO"], "destinations": ["LAX"], "study": {"aircraft": []}}, InvalidInputError, "aircraft: nothing"),
    (
        {"origins": ["SVO"], "destinations": ["LAX"], "study": {"aircraft": ["B7777"]}},
        UnknownAircraftError,
        "unknown aircraft",
    ),
    ({"origins": ["SVO"], "destinations": ["LAX"], "study": {"margin_nm": -1}}, InvalidInputError, "margin_nm"),
    ({"origins": ["SVO"], "destinations": ["LAX"], "study": "B77W"}, InvalidInputError, "study must be a routes.Study"),
    ({"origins": ["SVO"], "destinations": ["LAX"], "scenarios": ["nope"]}, ScenarioError, "unknown scenario"),
    ({"origins": [None], "destinations": ["LAX"]}, InvalidInputError, "got None"),
    ({"origins": ["SVO"], "destinations": ["SV0"]}, UnknownAirportError, "did you mean SVO"),
]


@pytest.mark.parametrize(("kwargs", "error", "fragment"), [c for c in COMPARE if c[1]])
def test_compare_inputs(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):  # the settings are checked when the Study is built
        routes.compare(**{k: routes.Study(**v) if isinstance(v, dict) else v for k, v in kwargs.items()})


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


# Issue 28: hostile inputs of the cost and performance path.
from routes.analysis.performance import MAX_CARGO_KG, MAX_CRUISE_MACH, available_aircraft  # noqa: E402
from routes.errors import ProfileError  # noqa: E402

HANG_BOUND_S = 10.0
"""An estimate answers or refuses within this (the cruise Mach 0.3-0.45 ones ran for over 150 s)."""


@pytest.fixture(scope="module")
def hop():
    return routes.geodesic_route("SVO", "LED")


@pytest.mark.parametrize("mach", [0.3, 0.35, 0.4, 0.45, 0.49])
def test_low_mach_refused_fast(hop, mach):
    start = __import__("time").perf_counter()
    with pytest.raises(InvalidInputError, match=r"cruise_mach .* the B77W is modelled at cruise_mach 0\.5-0\.89"):
        routes.estimate(hop, "B77W", routes.Assumptions(cruise_mach=mach))
    assert __import__("time").perf_counter() - start < 5.0  # refused before any profile is flown (~0.01 s)


def test_lowest_modelled_mach_answers(hop):
    ac = routes.get_aircraft("B77W")
    est = routes.estimate(hop, "B77W", routes.Assumptions(cruise_mach=ac.min_mach))
    assert ac.mach_range == (0.5, 0.89)
    assert routes.estimate(hop, "B77W").block_time_min + 10 < est.block_time_min < 100  # 88 min vs 76 at M0.84
    assert math.isfinite(est.block_fuel_kg)


def test_profile_guard_bounds_a_non_converging_profile():
    from routes.analysis.performance import _profiles

    with pytest.raises(ProfileError, match="B77W descent profile did not converge"):
        _profiles.__wrapped__("B77W", 34000.0, 0.40)  # below min_mach: OpenAP's descent never lands


@pytest.mark.parametrize("code", available_aircraft())
def test_every_type_flies_its_defaults(hop, code):
    ac = routes.get_aircraft(code)
    assert ac.min_mach <= ac.cruise_mach <= ac.mmo and ac.cruise_alt_ft <= ac.ceiling_ft
    est = routes.estimate(hop, code)
    assert est.within_range and 60 < est.block_time_min < 110
    assert all(math.isfinite(v) for v in (est.block_fuel_kg, est.co2_kg, est.range_margin_km))


def test_c550_default_mach_below_its_mmo():
    ac = routes.get_aircraft("C550")
    assert (ac.cruise_mach, ac.mmo) == (0.68, 0.7)  # OpenAP's WRAP default 0.77 is above the MMO


ASSUMPTION_RANGE = st.fixed_dictionaries(
    {
        "load_factor": st.floats(0.0, 1.0),
        "pax_mass_kg": st.floats(0.0, 300.0),
        "cargo_kg": st.floats(0.0, MAX_CARGO_KG),
        "taxi_out_min": st.floats(0.0, 240.0),
        "taxi_in_min": st.floats(0.0, 240.0),
        "cruise_mach": st.none() | st.floats(0.3, MAX_CRUISE_MACH),
        "cruise_alt_ft": st.none() | st.floats(10_000.0, 51_000.0),
        "contingency_frac": st.floats(0.0, 1.0),
        "alternate_nm": st.floats(0.0, 2000.0),
        "final_reserve_min": st.floats(0.0, 240.0),
        "route_factor": st.floats(1.0, 2.0),
        "calibrate_fuel": st.booleans(),
    }
)
ESTIMATE_FUZZ = settings(max_examples=int(__import__("os").environ.get("POLAR_ROUTES_EXAMPLES", "15")), deadline=None)


@ESTIMATE_FUZZ
@given(ASSUMPTION_RANGE, st.sampled_from(["B77W", "A320", "C550", "E145", "GLF6", "B744"]))
def test_fuzz_assumptions_answer_or_refuse(hop, fields, code):
    """Any accepted Assumptions: a finite estimate or a RoutesError naming the setting, within a bound."""
    start = __import__("time").perf_counter()
    try:
        est = routes.estimate(hop, code, routes.Assumptions(**fields))
    except InvalidInputError as err:
        assert any(name in str(err) for name in ("cruise_mach", "cruise_alt_ft", "payload")), err
    else:
        assert all(math.isfinite(v) for v in (est.block_time_min, est.block_fuel_kg, est.co2_kg, est.range_margin_km))
    assert __import__("time").perf_counter() - start < HANG_BOUND_S


PRICES = [
    (lambda r: r.with_fuel_price(1e300), "fuel price (USD per barrel): must be a finite number in [0, 2,000]"),
    (lambda r: r.with_fuel_price(2000.5), "[0, 2,000], got 2000.5"),
    (lambda r: r.with_overrides({"hourly": {"widebody": {"ownership_usd_per_bh": 1e308}}}), "[0, 1,000,000]"),
    (lambda r: r.with_overrides({"fuel": {"price_usd_per_bbl": 1e300}}), "fuel.price_usd_per_bbl"),
    (lambda r: r.with_overrides({"currencies": {"per_eur": {"GBP": 1e300}}}), "[0, 1,000,000,000]"),
]


@pytest.mark.parametrize(("change", "fragment"), PRICES)
def test_absurd_prices_refused(change, fragment):
    from routes.errors import PriceError
    from routes.inputs.costdata import load_cost_rates

    with pytest.raises(PriceError) as info:
        change(load_cost_rates())
    assert fragment in str(info.value)


@pytest.mark.parametrize("bad", [1e300, 701, INF, 0, -1])
def test_absurd_schedule_refused(bad):
    from routes.analysis.cost import annual_cost
    from routes.errors import ScheduleError

    cost = _hop_cost()
    with pytest.raises(ScheduleError, match=r"flights per week must be a number in \(0, 700\]"):
        annual_cost(cost, flights_per_week=bad)


def _hop_cost(code: str = "B77W"):
    from routes.analysis.cost import flight_cost

    hop = routes.geodesic_route("SVO", "LED")
    return flight_cost(hop, routes.estimate(hop, code))


def test_cost_outputs_finite_at_the_ceilings():
    from routes.analysis.cost import annual_cost, flight_cost
    from routes.inputs.costdata import load_cost_rates

    rates = load_cost_rates().with_fuel_price(2000)
    hop = routes.geodesic_route("SVO", "LED")
    year = annual_cost(flight_cost(hop, routes.estimate(hop, "B77W"), rates), flights_per_week=700)
    assert all(math.isfinite(v) for v in (year.total_usd, year.fuel_usd, year.time_usd, year.charges_usd))
    assert year.flights_per_year == pytest.approx(2 * 700 * 365 / 7)


def test_cost_of_another_routes_estimate_refused():
    from routes.analysis.cost import flight_cost

    hop, other = routes.geodesic_route("SVO", "LED"), routes.geodesic_route("SVO", "KZN")
    with pytest.raises(InvalidInputError, match=r"cannot cost the route SVO-KZN pre-2022 .* estimate of another route"):
        flight_cost(other, routes.estimate(hop, "B77W"))
    wider = routes.route("SVO", "LAX", "europe-closed", 50)
    with pytest.raises(InvalidInputError, match=r"SVO-LAX europe-closed \(9,873.0 km\)"):
        flight_cost(routes.route("SVO", "LAX", "europe-closed"), routes.estimate(wider, "B77W"))
    with pytest.raises(InvalidInputError, match=r"expected a routes\.Estimate"):
        flight_cost(hop, {"block_fuel_kg": 1})


def test_annual_cost_of_two_aircraft_refused():
    from routes.analysis.cost import annual_cost
    from routes.errors import ScheduleError

    with pytest.raises(ScheduleError, match="different aircraft: B77W, A320"):
        annual_cost(_hop_cost("B77W"), _hop_cost("A320"))
    with pytest.raises(ScheduleError, match="month 2 is a str"):
        annual_cost({m: _hop_cost() if m != 2 else "x" for m in range(1, 13)})


def test_payload_above_the_type_refused(hop):
    with pytest.raises(InvalidInputError, match=r"payload 50,945 kg .* lift at all \(MTOW - OEW = 35,400 kg\)"):
        routes.estimate(hop, "A320", routes.Assumptions(cargo_kg=50_000, load_factor=0.1, pax_mass_kg=55.6))


def test_repeated_periods_merged_in_compare():
    table, found = routes.compare(["SVO"], ["LED"], ["pre-2022"], routes.Study(periods=[1, "jan", 7, 1]))
    assert len(table) == 1 and len(found) == 1
    assert table.columns.is_unique
    seasonal = [c for c in table.columns if c.startswith("block_time_") and c != "block_time_min"]
    assert seasonal == ["block_time_jan_min", "block_time_jul_min"]


@pytest.mark.parametrize(
    ("periods", "error", "fragment"),
    [
        ("1,7", routes.ClimatologyPeriodError, "unknown climatology period '1,7'"),  # one text is one period
        ([1, 13], routes.ClimatologyPeriodError, "1-12"),
        (5.5, InvalidInputError, r"periods must be a list \(e\.g\. \[1, 7\]\), got 5\.5"),
    ],
)
def test_periods_refused_before_routing(periods, error, fragment):
    with pytest.raises(error, match=fragment):  # when the study is made, before any routing
        routes.compare(["SVO"], ["LAX"], ["europe-closed"], routes.Study(periods=periods))


def test_unique_options_one_rule():
    from routes.seasonal import period_key
    from routes.validation import unique_options

    assert unique_options([7, "Jan", 1, "july", "djf", "DJF"], "periods", key=period_key) == [7, "Jan", "djf"]
    assert unique_options((3, 3, 1), "months") == [3, 1]
    with pytest.raises(InvalidInputError, match=r"months must be a list \(e\.g\. \[1, 7\]\), got 5"):
        unique_options(5, "months")


@pytest.mark.parametrize("command", [["route", "SVO", "LED"], ["compare", "SVO", "LED"], ["report"]])
def test_cli_repeated_month_merged(capsys, tmp_path, monkeypatch, command):
    """A repeated month crashed route, compare and report ("internal error"); it is merged."""
    monkeypatch.setenv("COLUMNS", "250")
    argv = [*command, "--months", "1,1,jan", "-s", "pre-2022", "--wide"] if command[0] != "report" else [
        "report", "--origins", "SVO", "--destinations", "LED", "--scenarios", "pre-2022", "--months", "1,1",
        "--out", str(tmp_path / "r"), "--aircraft", "B77W",
    ]  # fmt: skip
    if command[0] == "compare":
        argv = [*command, "--months", "1,1,jan", "--scenarios", "pre-2022", "--wide"]
    with pytest.raises(SystemExit) as info:
        main(argv)
    captured = capsys.readouterr()
    assert info.value.code == 0, captured.err
    if command[0] != "report":
        assert captured.out.count("out Jan") == 1 and captured.out.count("back Jan") == 1


# verify_route right both ways: the clearance does not depend on the margin asked; no false alarm far
# from very large or antipode-crossing polygons; the documented band rule next to an airport is known.
VERIFY_FUZZ = settings(max_examples=int(__import__("os").environ.get("POLAR_ROUTES_EXAMPLES", "6")), deadline=None)


def _closed(name: str, *rings) -> Scenario:
    polygons = {"type": "MultiPolygon", "coordinates": [[list(map(list, ring))] for ring in rings]}
    return Scenario.build(name, closed_polygons=polygons)


@VERIFY_FUZZ
@given(st.floats(-60, 60), st.floats(1.0, 15.0), st.lists(st.floats(0, 1000), min_size=2, max_size=4))
def test_fuzz_verify_clearance_independent_of_margin(lon, gap_deg, margins):
    """A box ``gap_deg`` north of an equatorial route: the same clearance whatever the margin asked."""
    box = _closed("box", [(lon - 5, gap_deg), (lon + 5, gap_deg), (lon + 5, gap_deg + 10), (lon - 5, gap_deg + 10)])
    r = routes.geodesic_route(f"0,{lon - 8}", f"0,{lon + 8}")
    checks = [routes.verify_route(r, box, margin_nm=m) for m in margins]
    assert len({c.min_clearance_km for c in checks}) == 1
    true_km = float(geodesy.distance_m(lon, 0.0, lon, gap_deg)) / 1000.0
    assert checks[0].min_clearance_km == pytest.approx(true_km, rel=0.002)
    for m, c in zip(margins, checks, strict=True):  # the margin changes only the verdict
        if not c.band_airports:  # (a margin wider than an endpoint's clearance puts it under the band rule)
            assert c.ok == (c.min_clearance_km >= m * 1.852 - 1.0)


@VERIFY_FUZZ
@given(st.floats(-155, 155), st.floats(2.0, 60.0), st.floats(5.0, 40.0))
def test_fuzz_verify_far_from_huge_polygons(lon, north_deg, half_span):
    """An equatorial route with everything north of ``north_deg`` closed, and a box with an edge through
    the antipode of the route's middle: no false alarm, and the clearance is the distance to the cap."""
    anti = lon + 180.0 if lon < 0 else lon - 180.0
    far = anti - 9 if anti > 0 else anti + 9  # the box's edge runs through the antipode of the route's middle
    scn = _closed(
        "huge",
        [(-180, north_deg), (180, north_deg), (180, 89), (-180, 89)],
        [(anti, -10), (far, -10), (far, min(north_deg, 10) - 1), (anti, min(north_deg, 10) - 1)],
    )
    r = routes.geodesic_route(f"0,{lon - half_span / 2}", f"0,{lon + half_span / 2}")
    check = routes.verify_route(r, scn, margin_nm=0)
    true_km = float(geodesy.distance_m(0.0, 0.0, 0.0, north_deg)) / 1000.0
    assert check.ok and check.points_inside == 0
    expected = true_km if true_km < 1852.0 + 200.0 else math.inf
    assert check.min_clearance_km == pytest.approx(expected, rel=0.002)


def test_verify_edge_through_antipode_no_false_alarm():
    """Was: clearance 0.0 and not ok for every margin above 0 (the AEQD map tore at the antipode)."""
    scn = _closed("anti", [(0, -10), (10, -10), (10, 10), (0, 10)])
    check = routes.verify_route(routes.geodesic_route("0,175", "0,-175"), scn, margin_nm=1000)
    assert check.ok and check.min_clearance_km == math.inf


@VERIFY_FUZZ
@given(st.floats(60.0, 250.0), st.floats(0.3, 0.9))
def test_fuzz_verify_knows_the_band_rule(margin_nm, share):
    """An airport east of a closed box, ``share`` of the margin away (inside the margin band): the route
    the engine returns under the band rule verifies."""
    offset_deg = round(share * margin_nm * 1.852 / 111.0, 3)
    box = _closed("box", [(10, 0), (20, 0), (20, 10), (10, 10)])
    r = routes.route(f"5,{20 + offset_deg}", "5,0", box, margin_nm)
    check = routes.verify_route(r)
    assert r.feasible and check.ok, check
    assert check.band_airports == (f"5.0000,{20 + offset_deg:.4f}",)
    assert check.min_clearance_km < margin_nm * 1.852  # the margin is relaxed only next to that airport


BAND_CASES = [("LED", "LAX", "europe-closed", 100, "LED"), ("SVO", "LAX", "europe-closed", 500, "SVO")]


@pytest.mark.parametrize(("origin", "destination", "scenario", "margin_nm", "airport"), BAND_CASES)
def test_verify_engine_routes_under_the_band_rule(origin, destination, scenario, margin_nm, airport):
    """README's band-rule routes (were false alarms: clearance 124.6 km < 185.2, 464.1 < 926)."""
    check = routes.verify_route(routes.route(origin, destination, scenario, margin_nm))
    assert check.ok and check.band_airports == (airport,)


def test_verify_band_constants_match_the_engine():
    from routes.analysis import verify
    from routes.routing import band_rule

    rule = band_rule(get_scenario("europe-closed"), 100.0)
    assert rule.radius_m == pytest.approx((100.0 * 1.852 + verify.BAND_EXTRA_KM + verify.BAND_TOLERANCE_KM) * 1000.0)


CLI_28 = [
    (["route", "SVO", "LED", "-s", "pre-2022", "--fuel-price", "1e300"], "must be a finite number in [0, 2,000]"),
    (["compare", "SVO", "LED", "--scenarios", "pre-2022", "--fuel-price", "1e300"], "fuel price (USD per barrel)"),
    (["route", "SVO", "LED", "-s", "pre-2022", "--flights-per-week", "1e300"], "flights per week must be a number"),
    (["route", "SVO", "LED", "-s", "pre-2022", "--months", "1,13"], "1-12"),
]


@pytest.mark.parametrize(("argv", "fragment"), CLI_28, ids=[" ".join(c[0][-2:]) for c in CLI_28])
def test_cli_absurd_cost_inputs_one_line(capsys, argv, fragment):
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2, err
    assert fragment in err and "internal error" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("huge", [1e300, 1e308])
def test_cost_override_file_absurd_rate(tmp_path, capsys, huge):
    f = tmp_path / "mine.toml"
    f.write_text(f"[fuel]\nprice_usd_per_bbl = {huge}\n")
    with pytest.raises(SystemExit) as info:
        main(["route", "SVO", "LED", "-s", "pre-2022", "--cost-file", str(f)])
    err = capsys.readouterr().err
    assert info.value.code == 2 and "fuel.price_usd_per_bbl: must be a finite number in [0, 2,000]" in err


def test_route_factor_and_slow_cruise_cost_fuel():
    """The fuel calibration flies the type's own speed over its stated range: a longer way round or a
    slower cruise costs fuel (route_factor 1.5 was calibrated away: fuel x 1.0 instead of ~1.5)."""
    r = routes.geodesic_route("SVO", "LAX")
    base = routes.estimate(r, "B77W")
    longer = routes.estimate(r, "B77W", routes.Assumptions(route_factor=1.5))
    slow = routes.estimate(r, "B77W", routes.Assumptions(cruise_mach=0.6))
    assert longer.fuel_flow_factor == slow.fuel_flow_factor == base.fuel_flow_factor
    assert 1.45 < longer.block_fuel_kg / base.block_fuel_kg < 1.75
    assert slow.block_time_min > 1.3 * base.block_time_min


# --- issue 28, part 4: the features of this round that take user input --------------------------------------
from routes.errors import (  # noqa: E402
    ClosedStopError,
    InvalidInputError,
    ItineraryTooShortError,
    MissingAircraftDataError,
    PayloadError,
    RegisterError,
    RepeatedAirportError,
    UnknownAircraftError,
)

NEW_FEATURE_CASES = [
    # (call, error class, message fragment)
    (lambda: routes.itinerary(["SVO"]), ItineraryTooShortError, "got 1 airport"),
    (lambda: routes.itinerary([]), ItineraryTooShortError, "got 0 airport"),
    (lambda: routes.itinerary(["SVO", "SVO", "LAX"]), RepeatedAirportError, "twice in a row"),
    (lambda: routes.itinerary(["SVO", "KEF", "LAX"], scenario="europe-closed"), ClosedStopError, "KEF"),
    (lambda: routes.itinerary(["SVO", "XXQ", "LAX"]), RoutesError, "XXQ"),
    (lambda: routes.itinerary(["SVO", "ANC", "LAX"], aircraft="NOPE"), UnknownAircraftError, "NOPE"),
    (lambda: routes.max_payload(routes.route("SVO", "LED"), "C550"), MissingAircraftDataError, "mzfw"),
    (lambda: routes.itinerary(["SVO", "ANC", "LAX"], payload_kg=-1.0), PayloadError, "payload"),
    (lambda: routes.itinerary(["SVO", "ANC", "LAX"], payload_kg=1e9), PayloadError, "payload"),
    (lambda: routes.StopSearch(n_best=0), InvalidInputError, "n_best"),
]


@pytest.mark.parametrize(("call", "error", "fragment"), NEW_FEATURE_CASES)
def test_new_features_refuse_bad_input_clearly(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment.lower() in str(info.value).lower()
    assert isinstance(info.value, RoutesError) and "\n" not in str(info.value)


def test_register_and_sensitivity_bad_input(tmp_path):
    from routes.inputs.register import assumption_register, read_register
    from routes.sensitivity import sensitivity

    with pytest.raises(RegisterError, match="no assumption 'nope'"):
        assumption_register()["nope"]
    path = tmp_path / "bad.toml"
    path.write_bytes(b"\xff\xfe not toml")
    with pytest.raises(RegisterError, match="cannot read the assumptions register"):
        read_register(path)
    r, b = routes.route("SVO", "LED"), routes.geodesic_route("SVO", "LED")
    for bad in (None, -5, 1.5, "many", True):
        with pytest.raises(InvalidInputError, match="samples"):
            sensitivity(r, b, samples=bad)


def test_a_damaged_cache_never_gives_a_wrong_route(tmp_path, monkeypatch):
    from routes import diskcache
    from routes.errors import CacheWarning

    monkeypatch.setenv(diskcache.ENV_DIR, str(tmp_path))
    cache = diskcache.DiskCache("hostile", "v1")
    cache.store("k", {"route": [1, 2, 3]})
    cache.path("k").write_bytes(b"polar-routes cache 1\n" + b"\x00" * 200)  # our magic, garbage behind it
    with pytest.warns(CacheWarning):
        assert cache.get("k", lambda: {"route": [4, 5]}) == {"route": [4, 5]}


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["itinerary", "SVO"], "got 1 airport"),
        (["itinerary", "SVO", "SVO", "LAX"], "twice in a row"),
        (["payload", "SVO", "LAX", "-a", "NOPE"], "NOPE"),
        (["ranges", "SVO", "LAX", "-s", "closures-2022"], "no route SVO-LAX"),
        (["ranges", "SVO", "LAX", "--samples", "3"], "samples"),
        (["assumptions", "--format", "yaml"], "yaml"),
    ],
)
def test_cli_new_commands_one_line(capsys, argv, fragment):
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2, err
    assert fragment in err and "internal error" not in err and len(err.strip().splitlines()) == 1
