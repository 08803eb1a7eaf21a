"""Hostile inputs at the edges (issue 28): every user file format (scenario TOML, cost overrides and data
files, pairs tables, wind datasets) and the crash classes around them (a datetime for a day, explore() given
codes, an unreadable pairs file, an absurd fuel price on the command line).

Each case states the error class and a message fragment; each schema is also fuzzed with random junk, from
which nothing but a `RoutesError` may escape.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import click
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routes.analysis.wind import wind_from_dataset
from routes.cli import main
from routes.errors import (
    BanTableError,
    CostDataError,
    CostFileError,
    EmptyComparisonError,
    EmptySelectionError,
    InvalidInputError,
    PairsFileError,
    PriceError,
    PriceFileError,
    RoutesError,
    ScenarioError,
    ScenarioFileError,
    SchemaError,
    UnknownAirportsError,
    UnknownAuthorityError,
    UnknownCurrencyError,
    UnknownOperatorError,
    WindDataError,
    WindDatasetError,
    WindFieldError,
)
from routes.inputs.airspace import data_dir
from routes.inputs.costdata import load_cost_rates
from routes.inputs.scenarios import Scenario, builtin_scenarios, load_scenarios
from routes.network.pairs import Region, cross_pairs, read_pairs, select_airports

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("POLAR_ROUTES_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DAY = dt.date(2022, 3, 1)
NOON = dt.datetime(2022, 3, 1, 12, 0)


def _raises(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    text = str(info.value)
    assert fragment in text, text
    assert "\n" not in text and isinstance(info.value, RoutesError)
    return info.value


# --- scenario TOML files -------------------------------------------------------------------------------------

SCENARIO_FILES = [
    ('[a]\noperator = "FIN"\non = 2022-03-01T10:00:00\n', "on: expected a day (YYYY-MM-DD), got a date and time"),
    ('[a]\noperator = "FIN"\non = 2022-03-01T10:00:00Z\n', "give the day only, e.g. '2022-03-01'"),
    ("[a]\nas_of = 2022-03-01T10:00:00\n", "as_of: expected a day"),
    ('[a]\noperator = "FIN"\non = 20220301\n', "on: expected a day as a date or 'YYYY-MM-DD' text, got 20220301"),
    ('[a]\noperator = "FIN"\non = "1 March 2022"\n', "on: malformed date '1 March 2022'"),
    ('[a]\nclosed = "RUS"\n', "closed: expected a list of ISO state codes, e.g. ['RUS'], got one text 'RUS'"),
    ('[a]\nclosed = ["RUS"]\nunclear = "RUS"\n', "unclear: expected a list of ISO state codes"),
    ('[a]\nextends = "europe-closed"\nopen = "NOR"\n', "open: expected a list of ISO state codes, e.g. ['NOR']"),
    ("[a]\nclosed = [['RUS']]\n", "closed[0]: input should be a valid string (got ['RUS'])"),
    ("[a]\noperator = 5\n", "operator: input should be a valid string (got 5)"),
    ('[a]\nairline = ["AY"]\n', "airline: input should be a valid string (got ['AY'])"),
    ("[a]\nclosed_geojson = 5\n", "closed_geojson: input should be a valid string (got 5)"),
    ('[a]\nopen_geojson = ["x.geojson"]\n', "open_geojson: input should be a valid string"),
    ("[a]\navoid_firs = 1\n", "avoid_firs: input should be a valid boolean (got 1)"),
    ('[a]\noperator = "FIN"\nkinds = "ban"\n', "kinds: unknown key (got 'ban'); allowed: description, effective"),
    ('[a.b]\nclosed = ["RUS"]\n', "scenario 'a': b: unknown key"),
    ('[a]\nextends = "europe-closed"\ndescription = 2022-01-01\n', "description: input should be a valid string"),
    (
        '[a]\nairline = "AY"\noperator = "FIN"\n',
        "use only one of 'extends', 'operator' and 'airline'",
    ),
    ('[a]\nclosed = ["RUS"]\non = 2022-03-01\n', "'on' needs 'operator' or 'airline'"),
    ("a = [1, 2]\n", "scenario 'a': expected a table of keys and values, got list"),
    ('[a]\nsources = {url = "x"}\n', "sources: expected a text or a list of texts"),
]


@pytest.mark.parametrize(("text", "fragment"), SCENARIO_FILES)
def test_scenario_files(tmp_path, text, fragment):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    err = _raises(lambda: load_scenarios(path), ScenarioFileError, fragment)
    assert str(err).startswith(f"{path}: scenario 'a': ")  # the file, the scenario, then the key
    assert isinstance(err, ScenarioError) and isinstance(err, SchemaError)


SCENARIO_FILE_DOMAIN = [  # well-formed files that name things that do not exist: the reader's own errors
    ('[a]\nextends = "nowhere"\n', ScenarioError, "extends unknown scenario 'nowhere'"),
    ('[a]\noperator = "XX"\n', UnknownOperatorError, "unknown operator state 'XX'"),
    ('[a]\nclosed = ["XX"]\n', ScenarioError, "unknown state code"),
    ("[a\n", ScenarioError, "malformed scenario file"),
    (b"\xff\xfe\x00 binary", ScenarioError, "cannot read scenario file"),
]


@pytest.mark.parametrize(("text", "error", "fragment"), SCENARIO_FILE_DOMAIN)
def test_scenario_files_domain(tmp_path, text, error, fragment):
    path = tmp_path / "mine.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    assert str(path) in str(_raises(lambda: load_scenarios(path), error, fragment))  # the file is named


def test_scenario_file_good_dates_and_one_source(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[a]\noperator = "FIN"\non = 2022-03-01\nsources = "https://example.org"\n'
        '[b]\noperator = "FIN"\non = "2022-03-01"\neffective = 2022-02-27\n'
    )
    got = load_scenarios(path)
    assert got["a"].closed_states == got["b"].closed_states == Scenario.for_operator("FIN", DAY).closed_states
    assert got["a"].sources[0] == "https://example.org" and got["b"].effective == "2022-02-27"


DATES = [
    (NOON, "on: expected a day (YYYY-MM-DD), got a date and time '2022-03-01T12:00:00'"),
    (pd.Timestamp("2022-03-01"), "got a date and time"),
    (20220301, "got 20220301 (int)"),
    ("2022-02-30", "malformed date '2022-02-30'"),
    ([2022, 3, 1], "expected a day as a date or 'YYYY-MM-DD' text, got [2022, 3, 1] (list)"),
]


@pytest.mark.parametrize(("on", "fragment"), DATES)
@pytest.mark.parametrize("build", [Scenario.for_operator, Scenario.for_airline])
def test_a_day_is_asked_for(build, on, fragment):
    _raises(lambda: build("FIN" if build == Scenario.for_operator else "AY", on), ScenarioError, fragment)


@pytest.mark.parametrize(
    ("table", "fragment"),
    [(b"\xff\xfe\x00 binary", "cannot read the ban table"), (None, "cannot read the ban table"),
     (5, "table: expected a BanTable or the path of a ban table CSV, got 5")],
)  # fmt: skip
def test_ban_tables_that_cannot_be_read(tmp_path, table, fragment):
    path = tmp_path / "bans.csv"
    if isinstance(table, bytes):
        path.write_bytes(table)
    given = table if isinstance(table, int) else path if table is not None else tmp_path  # a folder
    _raises(lambda: Scenario.for_operator("FIN", DAY, table=given), BanTableError, fragment)


def test_one_kind_is_not_three_letters():
    one = Scenario.for_operator("FIN", DAY, kinds="ban")
    assert one.closed_states == Scenario.for_operator("FIN", DAY, kinds=["ban"]).closed_states
    _raises(lambda: Scenario.for_operator("FIN", DAY, kinds=5), ScenarioError, "kinds: expected names of kinds")
    _raises(lambda: Scenario.for_operator("FIN", DAY, kinds=[["ban"]]), ScenarioError, "kinds: expected names")
    _raises(lambda: Scenario.for_operator("FIN", DAY, kinds=["bans"]), ScenarioError, "unknown kind(s) of measure")


# --- cost overrides and cost data files ----------------------------------------------------------------------

COST_OVERRIDES = [
    ({"fuel": 5}, CostFileError, "overrides: fuel: input should be a table of keys and values (got 5)"),
    ({"fuel": {"price_usd_per_bbl": "90"}}, CostFileError, "fuel.price_usd_per_bbl: input should be a valid number"),
    ({"fuel": {"price_usd_per_bbl": True}}, CostFileError, "fuel.price_usd_per_bbl: input should be a valid number"),
    ({"fuel": {"price_usd_per_bbl": 1e300}}, PriceFileError, "bbl: must be a finite number in [0, 2,000]"),
    ({"fuel": {"price_year": "x"}}, CostFileError, "fuel.price_year: input should be a valid integer (got 'x')"),
    ({"fuel": {"price_year": 2.5}}, CostFileError, "fuel.price_year: input should be a valid integer"),
    ({"fuel": {"density_kg_per_l": 0}}, PriceFileError,
     "density_kg_per_l: must be a finite number in [0, 1,000,000,000], above 0"),
    ({"fuel": {"source": 5}}, CostFileError, "fuel.source: input should be a valid string"),
    ({"hourly": 5}, CostFileError, "hourly: input should be a table of keys and values"),
    ({"hourly": {"widebody": 5}}, CostFileError, "hourly.widebody: input should be a table of keys and values"),
    ({"hourly": {"widebody": {"ownership_usd_per_bh": "x"}}}, CostFileError, "ownership_usd_per_bh: input should be"),
    ({"hourly": {"widebody": {"maintenance_usd_per_bh": -1}}}, PriceFileError, "finite number in [0, 1,000,000]"),
    ({"hourly": {"widebody": {"colour": "red"}}}, CostFileError, "colour: unknown key (got 'red'); allowed: min"),
    ({"hourly": {"turboprop": {"min_mtow_t": 5}}}, CostFileError, "turboprop: flight_crew_usd_per_bh: field required"),
    ({"currencies": 5}, CostFileError, "currencies: input should be a table of keys and values"),
    ({"currencies": {"per_eur": 5}}, CostFileError, "currencies.per_eur: input should be a table of keys and values"),
    ({"currencies": {"per_eur": {"USD": "x"}}}, CostFileError, "per_eur.USD: input should be a valid number"),
    ({"currencies": {"as_of": dt.date(2025, 1, 1)}}, CostFileError, "currencies.as_of: input should be a valid string"),
    ({"charge": 5}, CostFileError, "charge: input should be a table of keys and values (got 5)"),
    ({"charge": "RUS"}, CostFileError, "charge: input should be a table of keys and values (got 'RUS')"),
    ({"charge": [5]}, CostFileError, "charge.row 1: input should be a table of keys and values (got 5)"),
    ({"charge": {"RUS": 5}}, CostFileError, "charge.RUS: input should be a table of keys and values (got 5)"),
    ({"charge": {"RUS": {"states": "RUS"}}}, CostFileError, "RUS.states: expected a list of ISO alpha-3 codes"),
    ({"charge": {"RUS": {"unit_rate": "cheap"}}}, CostFileError, "RUS.unit_rate: input should be a valid number"),
    ({"charge": {"RUS": {"mtow_bands_t": 5}}}, CostFileError, "charge.RUS.mtow_bands_t: input should be a valid list"),
    ({"charge": {"RUS": {"mtow_bands_t": [[1, 2, 3]]}}}, CostFileError, "bands_t[0]: list should have at most 2 items"),
    ({"charge": {"RUS": {"mtow_bands_t": [[300, 1], [100, 2]]}}}, CostFileError, "must have increasing upper bounds"),
    ({"charge": {"RUS": {"confirmed": "no"}}}, CostFileError, "charge.RUS.confirmed: input should be a valid boolean"),
    ({"charge": {"RUS": {"factor_decimals": 1.5}}}, CostFileError, "RUS.factor_decimals: input should be a valid"),
    ({"charge": {"RUS": {"weight_exponent": 3}}}, PriceFileError, "weight_exponent: must be a finite number in [0, 2]"),
    ({"charge": {"RUS": {"distance_divisor": 0}}}, PriceFileError, "distance_divisor: must be a finite number in [0, "),
    ({"charge": [{"id": "X"}, {"id": "X"}]}, CostFileError, "charge: duplicate id 'X'"),
    ({"charge": [{"unit_rate": 1.0}]}, UnknownAuthorityError, "charge row 1: unknown charging authority None"),
    ({"charge": [{"id": "NEW", "new": True}]}, CostFileError, "charge 'NEW': authority: field required"),
    ({"charge": [{"id": "N", "new": True, "authority": "n", "states": ["FIN"], "currency": "XXX", "unit_rate": 1}]},
     UnknownCurrencyError, "charge 'N': unknown currency 'XXX'"),
    ({"fallback": {"method": 5}}, CostFileError, "fallback.method: input should be a valid string"),
    ({"tolls": {}}, CostFileError, "overrides: tolls: unknown key (got {}); allowed: fuel, hourly, currencies"),
    ([("fuel", {})], CostFileError, "overrides: expected a table of keys and values, got list"),
]  # fmt: skip


@pytest.mark.parametrize(("overrides", "error", "fragment"), COST_OVERRIDES)
def test_cost_overrides(overrides, error, fragment):
    err = _raises(lambda: load_cost_rates(overrides), error, fragment)
    assert isinstance(err, CostDataError)
    assert isinstance(err, PriceError) == (error is PriceFileError)  # a number out of range is a PriceError


def test_cost_overrides_that_fit_are_applied():
    rates = load_cost_rates(
        {
            "fuel": {"price_usd_per_bbl": 95, "price_year": 2026},
            "currencies": {"per_eur": {"usd": 1.2}, "as_of": "2026-01-01"},
            "charge": {"RUS": {"unit_rate": "unknown"}},
            "fallback": {"method": "zero"},
        }
    )
    rus_rows = [c for c in rates.charges if c.authority_key == "RUS"]  # "RUS" names every period and tariff
    assert rates.fuel_price_usd_per_bbl == 95.0 and isinstance(rates.fuel_price_usd_per_bbl, float)
    assert rates.fuel_source == "user override" and rates.fuel_price_year == 2026
    assert rates.to_usd(1.0, "EUR") == pytest.approx(1.2) and rates.fx_as_of == "2026-01-01"
    assert len(rus_rows) == 10 and rates.fallback_method == "zero"
    assert all(math.isnan(rus.unit_rate) and not rus.known for rus in rus_rows)


COST_FILES = [
    ("economics", "[fuel]\nprice_usd_per_bbl = 80\n", CostFileError, "hourly: field required"),
    ("economics", "fuel = 5\n", CostFileError, "fuel: input should be a table of keys and values"),
    ("navigation", "[[charge]]\nid = 'X'\nstates = 'FIN'\n", CostFileError, "charge.X.states: expected a list"),
    ("navigation", "charge = 'none'\n", CostFileError, "charge: input should be a table of keys and values"),
    ("navigation", "[[charge]]\nid = 'X'\nauthority = 'x'\nstates = ['FIN']\ncurrency = 'EUR'\n", CostFileError,
     "charge.X: needs 'unit_rate', 'mtow_bands_t' or 'per_flight'"),
    ("navigation", "[[charge]]\n", CostFileError, "charge.row 1.id: field required"),
    ("navigation", b"\xff\xfe binary", CostDataError, "malformed cost data file"),
]  # fmt: skip


@pytest.mark.parametrize(("which", "text", "error", "fragment"), COST_FILES)
def test_cost_data_files(tmp_path, which, text, error, fragment):
    path = tmp_path / f"{which}.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    err = _raises(lambda: load_cost_rates(**{which: path}), error, fragment)
    assert str(err).startswith(f"{path}: ") or "malformed" in str(err)


@pytest.mark.parametrize(("kwargs", "fragment"), [({"economics": 5}, "economics: expected the path of a TOML file"),
                                                  ({"navigation": [1]}, "navigation: expected the path")])  # fmt: skip
def test_cost_data_paths(kwargs, fragment):
    _raises(lambda: load_cost_rates(**kwargs), InvalidInputError, fragment)


def test_a_copy_of_the_shipped_data_reads_as_the_shipped_data(tmp_path):
    folder = data_dir() / "charges"
    for name in ("economics", "navigation"):
        (tmp_path / f"{name}.toml").write_bytes((folder / f"{name}.toml").read_bytes())
    copied = load_cost_rates(economics=tmp_path / "economics.toml", navigation=tmp_path / "navigation.toml")
    shipped = load_cost_rates()
    assert copied.charges == shipped.charges and copied.hourly == shipped.hourly
    assert (copied.fuel_price_usd_per_bbl, copied.per_eur) == (shipped.fuel_price_usd_per_bbl, shipped.per_eur)


def test_the_shipped_files_fit_their_schemas():
    """The shipped files are read without the schema at run time (no pydantic import): they must fit it."""
    from routes.inputs.cost_file import Economics, Navigation, checked
    from routes.inputs.scenario_file import check_scenario_table

    folder = data_dir() / "charges"
    checked(Economics, tomllib.loads((folder / "economics.toml").read_text()), "economics.toml")
    nav = checked(Navigation, tomllib.loads((folder / "navigation.toml").read_text()), "navigation.toml")
    assert len(nav["charge"]) == len(load_cost_rates().charges) >= 10
    path = data_dir() / "airspace" / "scenarios.toml"
    raw = tomllib.loads(path.read_text())
    normal = check_scenario_table(raw, path)
    assert set(normal) == set(builtin_scenarios())
    for name, spec in normal.items():  # the raw file is already in the normal form (dates may be text)
        assert {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in spec.items()} == raw[name], name


def test_ordinary_runs_do_not_import_pydantic():
    code = (
        "import sys, routes; from routes.inputs.costdata import load_cost_rates; "
        "routes.get_scenario('europe-closed'); load_cost_rates(); print('pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- pairs tables --------------------------------------------------------------------------------------------

PAIRS_FILES = [
    ("pairs.csv", b"", "pairs.csv: the file is empty; expected a CSV table with 'origin' and 'destination'"),
    ("pairs.parquet", b"", "the file is empty; expected a Parquet table"),
    ("pairs.parquet", b"origin,destination\nSVO,LAX\n", "pairs.parquet: cannot be read as Parquet"),
    ("pairs.parquet", b"PAR1 not really", "cannot be read as Parquet"),
    ("pairs.csv", b"\xff\xfe\x00\x01 binary", "pairs.csv: cannot be read as CSV"),
    ("pairs.csv", b'origin,destination\n"SVO,LAX\n', "cannot be read as CSV"),
    ("pairs.csv", b"# only a comment\n", "cannot be read as CSV"),
    ("pairs.csv", b"from,to\nSVO,LAX\n", "missing column(s) ['origin', 'destination']; the table needs 'origin' and"),
    ("pairs.csv", b"origin\nSVO\n", "missing column(s) ['destination']"),
    ("pairs.xlsx", b"x", "expected a .csv or .parquet file, not '.xlsx'"),
    ("missing.csv", None, "pairs file"),
]


@pytest.mark.parametrize(("name", "content", "fragment"), PAIRS_FILES)
def test_pairs_files(tmp_path, name, content, fragment):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    err = _raises(lambda: read_pairs(path), PairsFileError, fragment)
    assert str(path) in str(err) and isinstance(err, EmptySelectionError)


PAIRS_TABLES = [
    ({"origin": [1, 2], "destination": ["LAX", "SFO"]}, PairsFileError, "row 1.origin: expected an airport code (text"),
    ({"origin": ["SVO"], "destination": [None]}, PairsFileError, "row 1.destination: expected an airport code"),
    ({"origin": ["SVO"], "destination": [math.nan]}, PairsFileError, "got nan (float)"),
    ({"origin": [b"SVO"], "destination": ["LAX"]}, PairsFileError, "got b'SVO' (bytes)"),
    ({"origin": [], "destination": []}, EmptySelectionError, "holds no airport pair"),
    ({"origin": ["SVO"], "destination": ["XXX"]}, UnknownAirportsError, "unknown airport code(s): 'XXX' (row 1)"),
]


@pytest.mark.parametrize(("columns", "error", "fragment"), PAIRS_TABLES)
def test_pairs_tables(tmp_path, columns, error, fragment):
    path = tmp_path / "pairs.parquet"
    pd.DataFrame(columns).to_parquet(path)
    _raises(lambda: read_pairs(path), error, fragment)
    _raises(lambda: read_pairs(pd.DataFrame(columns)), error, fragment)


@pytest.mark.parametrize("given", [5, None, ["SVO", "LAX"]])
def test_pairs_that_are_not_a_table(given):
    _raises(lambda: read_pairs(given), InvalidInputError, "path: expected a CSV or Parquet file (or a DataFrame)")


@pytest.mark.parametrize("pairs", [[("SVO",)], [("SVO", "LAX", "SFO")], ["SVOLAX"], [5]])
def test_pairs_lists_of_the_wrong_shape(pairs):
    from routes.network.pairs import pairs_from_codes

    _raises(lambda: pairs_from_codes(pairs), InvalidInputError, "entry 1 is")


REGIONS = [
    (lambda: Region(countries=5), InvalidInputError, "countries: expected codes as text, e.g. ('DE', 'JPN'), got 5"),
    (lambda: Region(continents=["EU", 5]), InvalidInputError, "continents: expected codes as text"),
    (lambda: cross_pairs("SVO", 5), InvalidInputError, "destinations: expected airport codes"),
    (lambda: cross_pairs("SVO", "LAX", min_km="x"), InvalidInputError, "min_km and max_km must be numbers (km)"),
    (lambda: select_airports(Region(countries="XX")), EmptySelectionError, "unknown country code 'XX'"),
]


@pytest.mark.parametrize(("call", "error", "fragment"), REGIONS)
def test_region_and_cross_pair_inputs(call, error, fragment):
    _raises(call, error, fragment)


def test_one_country_or_continent_is_one_code():
    assert Region(countries="DE") == Region(countries=("DE",)) and Region(continents=iter(["EU"])).continents == ("EU",)
    assert len(select_airports(Region(countries="DE"))) == len(select_airports(Region(countries=["DEU"]))) > 3


def test_a_pairs_table_with_more_columns_is_read(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("origin,destination,geodesic_km,note\n SVO ,LAX,1,x\nSFO,SVO,,\n")
    assert [p.key for p in read_pairs(path)] == [("SVO", "LAX"), ("SFO", "SVO")]


# --- wind datasets -------------------------------------------------------------------------------------------

LAT, LON = np.arange(-90.0, 91.0, 10.0), np.arange(0.0, 360.0, 10.0)


def _wind(u=None, dims=("latitude", "longitude"), coords=None, **attrs):
    shape = (LAT.size, LON.size)
    u = np.full(shape, 10.0) if u is None else u
    coords = {"latitude": LAT, "longitude": LON} if coords is None else coords
    return xr.Dataset({"u": (dims, u, attrs), "v": (dims, np.zeros(shape), attrs)}, coords=coords)


def _timed():
    return _wind().expand_dims(time=np.array(["2020-01-01"], dtype="datetime64[ns]"))


WIND_DATASETS = [
    (lambda: (_wind(u=np.full((19, 36), "a")), {}), "variable 'u' holds <U1 values; expected real numbers"),
    (lambda: (_wind(u=np.ones((19, 36)) * (1 + 1j)), {}), "holds complex128 values"),
    (lambda: (_wind(u=np.ones((19, 36), bool)), {}), "holds bool values"),
    (lambda: (_wind(units=5), {}), "variable 'u': the units attribute must be text, got 5"),
    (lambda: (_wind(units="furlongs/fortnight"), {}), "has units 'furlongs/fortnight'; expected m/s"),
    (lambda: (_wind(coords={"longitude": LON}), {}), "dimension 'latitude' has no coordinate values"),
    (lambda: (_wind(coords={"latitude": LAT.astype(str), "longitude": LON}), {}), "coordinate 'latitude' holds <U"),
    (lambda: (_wind().isel(latitude=slice(0, 0)), {}), "variable 'u' has no values along ['latitude']"),
    (lambda: (_wind().expand_dims(level=[200.0]).isel(level=slice(0, 0)), {}), "no values along ['level']"),
    (lambda: (_wind().expand_dims(number=[0, 1]), {}), "unexpected dimension(s) ['number']"),
    (lambda: (_wind().expand_dims(level=[200.0]), {"level_hpa": "abc"}), "level_hpa: expected a pressure in hPa"),
    (lambda: (_wind().expand_dims(level=[200.0, 300.0]), {"level_hpa": math.nan}), "expected a pressure in (0, 1100]"),
    (lambda: (_timed(), {"time": "not a time"}), "cannot select time 'not a time' on 'time'"),
    (lambda: (_timed(), {"time": 5}), "cannot select time 5 on 'time'"),
    (lambda: (_timed(), {"time": ["2020-01-01", "2020-01-02"]}), "time: expected one time"),
    (lambda: (_timed(), {"time": [None, []]}), "time: expected one time"),  # found by the fuzzer
    (lambda: (_timed(), {"time": np.array(["2020-01-01"], dtype="datetime64[ns]")}), "time: expected one time"),
    (lambda: (_wind()["u"], {}), "expected an xarray.Dataset, got DataArray"),
    (lambda: (xr.Dataset({"u": (("latitude",), np.ones(19)), "v": (("latitude",), np.ones(19))},
                         coords={"latitude": LAT, "longitude": LON}), {}), "spans ['latitude']; expected 'latitude'"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "fragment"), WIND_DATASETS)
def test_wind_datasets(make, fragment):
    ds, kwargs = make()
    err = _raises(lambda: wind_from_dataset(ds, **kwargs), WindDatasetError, fragment)
    assert isinstance(err, WindFieldError) and isinstance(err, SchemaError)


def test_a_wind_dataset_that_fits_is_read_in_knots_too():
    ms = wind_from_dataset(_wind())
    kt = wind_from_dataset(_wind(u=np.full((19, 36), 10.0 * 1.943844), units="kt"))
    assert kt.u_ms[3, 4] == pytest.approx(ms.u_ms[3, 4]) == pytest.approx(10.0)
    with pytest.raises(WindDataError, match="implausible"):  # the values are GriddedWind's to check
        wind_from_dataset(_wind(u=np.full((19, 36), 400.0)))


# --- explore() -----------------------------------------------------------------------------------------------

EXPLORE = [
    ("SVO", InvalidInputError, "explore() maps Route objects (or what routes.compare returns), got 'SVO' (str)"),
    (None, InvalidInputError, "got None (NoneType); route first"),
    (["SVO", "LAX"], InvalidInputError, "got 'SVO' (str)"),
    (5, InvalidInputError, "got 5 (int)"),
    ({"routes": 1}, InvalidInputError, "got {'routes': 1} (dict)"),
    (pd.DataFrame({"origin": ["SVO"]}), InvalidInputError, "a table alone cannot be mapped"),
    ([], EmptyComparisonError, "nothing to map"),
]


@pytest.mark.parametrize(("given", "error", "fragment"), EXPLORE)
def test_explore_inputs(given, error, fragment):
    from routes.presentation.explore import explore

    err = _raises(lambda: explore(given), error, fragment)
    assert isinstance(err, TypeError | ValueError)


def test_explore_takes_one_closure_name_as_one():
    import routes
    from routes.presentation.explore import MapLook, explore

    hop = routes.geodesic_route("SVO", "LED")
    html = explore(hop, minutes=False, baseline=False, alternates=False, closures="europe-closed").get_root().render()
    assert "europe-closed" in html
    with pytest.raises(InvalidInputError, match="projection must be 'polar' or 'mercator'"):
        explore(hop, minutes=False, alternates=False, look=MapLook(projection="globe"))


# --- the command line: one line, exit code 2, never the last-resort guard -------------------------------------


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _cli(ctx: click.Context) -> None:
    main(ctx.args)  # the real entry point, with its error handling


def _files(folder: Path) -> dict[str, Path]:
    made = {
        "datetime.toml": '[a]\noperator = "FIN"\non = 2022-03-01T10:00:00\n',
        "letters.toml": '[a]\nclosed = "RUS"\n',
        "cost.toml": '[fuel]\nprice_year = "x"\n',
        "cost_table.toml": "[hourly]\nwidebody = 5\n",
        "empty.csv": "",
        "empty.parquet": "",
        "fake.parquet": "origin,destination\nSVO,LAX\n",
        "nocols.csv": "a,b\nSVO,LAX\n",
    }
    for name, text in made.items():
        (folder / name).write_text(text)
    return {name: folder / name for name in made}


CLI = [
    (["route", "SVO", "LAX", "-s", "a", "--scenario-file", "{datetime.toml}"], "on: expected a day (YYYY-MM-DD)"),
    (["scenarios", "--scenario-file", "{letters.toml}"], "closed: expected a list of ISO state codes, e.g. ['RUS']"),
    (["route", "SVO", "LAX", "-s", "pre-2022", "--cost-file", "{cost.toml}"], "fuel.price_year: input should be"),
    (["compare", "SVO", "LAX", "--cost-file", "{cost_table.toml}"], "hourly.widebody: input should be a table"),
    (["route", "SVO", "LAX", "-s", "pre-2022", "--fuel-price", "1e308"], "fuel price (USD per barrel): must be"),
    (["route", "SVO", "LAX", "-s", "pre-2022", "--fuel-price", "inf"], "must be a finite number"),
    (["matrix", "--pairs", "{empty.csv}", "--out", "{out}", "--distance-only"], "the file is empty"),
    (["matrix", "--pairs", "{empty.parquet}", "--out", "{out}", "--distance-only"], "the file is empty"),
    (["matrix", "--pairs", "{fake.parquet}", "--out", "{out}", "--distance-only"], "cannot be read as Parquet"),
    (["matrix", "--pairs", "{nocols.csv}", "--out", "{out}", "--distance-only"], "missing column(s)"),
    (["matrix", "--pairs", "{missing.csv}", "--out", "{out}", "--distance-only"], "not found"),
]


@pytest.mark.parametrize(("argv", "fragment"), CLI, ids=[" ".join(a[:2] + a[-2:]) for a, _ in CLI])
def test_cli_user_mistakes_are_one_line_and_exit_2(tmp_path, argv, fragment):
    paths = {k: str(v) for k, v in _files(tmp_path).items()} | {"out": str(tmp_path / "out")}
    paths["missing.csv"] = str(tmp_path / "missing.csv")
    for name, path in paths.items():
        argv = [a.replace(f"{{{name}}}", path) for a in argv]
    result = CliRunner().invoke(_cli, argv)
    err = result.stderr
    assert result.exit_code == 2, err
    assert err.startswith("routes: error: ") and "internal error" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and fragment in err


# --- fuzzing: random junk into each schema; nothing but a RoutesError escapes -------------------------------------

junk = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=6),
        st.dates(), st.datetimes(), st.sampled_from(["RUS", "FIN", "AY", "unknown", "europe-closed", "2022-03-01"]),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


def _only_routes_errors(call) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stale-data warnings of a late date are fine
        try:
            call()
        except RoutesError:
            pass


SCENARIO_KEYS = [
    "description", "effective", "notes", "as_of", "extends", "operator", "airline", "on", "closed", "open",
    "unclear", "closed_geojson", "open_geojson", "sources", "avoid_firs", "colour",
]  # fmt: skip


@FUZZ
@given(st.dictionaries(st.sampled_from(SCENARIO_KEYS), junk, max_size=4))
def test_fuzz_scenario_schema(spec):
    from routes.inputs.scenario_file import check_scenario_table
    from routes.inputs.scenarios import _from_spec

    def load():
        for name, checked in check_scenario_table({"fuzz": spec}, Path("fuzz.toml")).items():
            _from_spec(name, checked, builtin_scenarios(), Path("/nonexistent"))

    _only_routes_errors(load)


@FUZZ
@given(junk, junk)
def test_fuzz_operator_day(on, kinds):
    _only_routes_errors(lambda: Scenario.for_operator("FIN", on, kinds=kinds))


COST_SECTIONS = {
    "fuel": ["price_usd_per_bbl", "price_year", "density_kg_per_l", "source"],
    "hourly": ["widebody", "turboprop"],
    "currencies": ["per_eur", "as_of"],
    "charge": ["RUS", "NEW", "FAA-enroute"],
    "fallback": ["method"],
    "tolls": ["x"],
}
CHARGE_KEYS = ["id", "new", "authority", "states", "currency", "unit_rate", "mtow_bands_t", "airspace", "per_flight",
               "distance_divisor", "weight_exponent", "factor_decimals", "confirmed"]  # fmt: skip


@st.composite
def overrides(draw):
    section = draw(st.sampled_from(sorted(COST_SECTIONS)))
    key = draw(st.sampled_from(COST_SECTIONS[section]))
    if section in ("charge", "hourly") and draw(st.booleans()):
        keys = CHARGE_KEYS if section == "charge" else ["min_mtow_t", "ownership_usd_per_bh", "note"]
        return {section: {key: draw(st.dictionaries(st.sampled_from(keys), junk, max_size=4))}}
    return {section: {key: draw(junk)}} if draw(st.booleans()) else {section: draw(junk)}


@FUZZ
@given(overrides())
def test_fuzz_cost_overrides(spec):
    _only_routes_errors(lambda: load_cost_rates(spec))


@FUZZ
@given(st.lists(st.tuples(junk, junk), max_size=4))
def test_fuzz_pairs_table(rows):
    _only_routes_errors(lambda: read_pairs(pd.DataFrame(rows, columns=["origin", "destination"])))


@FUZZ
@given(st.binary(max_size=64), st.sampled_from([".csv", ".parquet", ".txt", ".pq"]))
def test_fuzz_pairs_file(tmp_path, content, suffix):
    path = tmp_path / f"pairs{suffix}"
    path.write_bytes(content)
    _only_routes_errors(lambda: read_pairs(path))


@FUZZ
@given(
    st.sampled_from(["latitude", "lat", "x", "number"]),
    st.sampled_from([float, float, int, str, bool, complex, "datetime64[ns]"]),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, "m s**-1", "kt"]) | junk,
    junk | st.sampled_from([250, 200.0]),
    junk | st.sampled_from(["2020-01-15", np.datetime64("2020-02-01")]),
)
def test_fuzz_wind_dataset(lat, dtype, with_level, with_time, units, level_hpa, time):
    dims = ["time"] * with_time + ["level"] * with_level + [lat, "longitude"]
    values = np.ones([2] * (with_time + with_level) + [3, 4]).astype(dtype)
    coords = {"longitude": [0.0, 90.0, 180.0, 270.0], lat: [-45.0, 0.0, 45.0]}
    if with_time:
        coords["time"] = np.array(["2020-01-01", "2020-02-01"], dtype="datetime64[ns]")
    if with_level:
        coords["level"] = [200.0, 300.0]
    attrs = {"units": units} if units is not None else {}
    ds = xr.Dataset({"u": (dims, values, attrs), "v": (dims, values, attrs)}, coords)
    _only_routes_errors(lambda: wind_from_dataset(ds, level_hpa=level_hpa, time=time))


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(CHARGE_KEYS), junk, max_size=6), max_size=3))
def test_fuzz_navigation_file(rows):
    from routes.inputs.cost_file import Navigation, checked
    from routes.inputs.costdata import _parse

    economics = tomllib.loads((data_dir() / "charges" / "economics.toml").read_text())
    _only_routes_errors(lambda: _parse(economics, checked(Navigation, {"charge": rows}, "fuzz.toml"), ("e", "n")))


def test_a_none_in_a_mapping_counts_as_not_given():
    """Two cases the fuzzers found (float(None), Path / None): TOML has no None, a mapping does."""
    from routes.inputs.scenario_file import check_scenario_table

    assert load_cost_rates({"fuel": {"price_usd_per_bbl": None}}).fuel_price_usd_per_bbl == 86.0
    spec = {"closed_geojson": None, "closed": ["RUS"], "on": None}
    assert check_scenario_table({"a": spec}, Path("x.toml")) == {"a": {"closed": ["RUS"]}}


@FUZZ
@given(junk)
def test_fuzz_explore(given_routes):
    from routes.presentation.explore import explore

    _only_routes_errors(lambda: explore(given_routes, minutes=False, baseline=False, alternates=False))
