import json

import pandas as pd
import pytest

from cli_helpers import run


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["route", "SVO", "XXQ"], "routes: error: unknown airport code 'XXQ'"),
        (["route", "SVO"], "routes: error: Missing argument 'DESTINATION'"),
        (["route", "SVO", "LAX", "--margin-nm", "-3"], "routes: error: Invalid value for '--margin-nm'"),
        (["route", "SVO", "LAX", "-a", "B7X7"], "routes: error: unknown aircraft type 'B7X7'"),
        (["route", "SVO", "LAX", "-s", "nope"], "routes: error: unknown scenario 'nope'"),
        (["route", "SVO", "95,0"], "routes: error: invalid coordinates"),
        (["compare", "SVO", "LAX", "--scenarios", "pre-2022,nope"], "routes: error: unknown scenario 'nope'"),
        (["airports", "zzzzqq"], "routes: error: no airport matches 'zzzzqq'"),
        (["scenarios", "--scenario-file", "/nonexistent.toml"], "routes: error: scenario file not found"),
        (["bogus"], "routes: error: No such command 'bogus'"),
        (["route", "SVO", "LAX", "--wind", "13"], "routes: error: month must be 1-12"),
        (["compare", "SVO", "LAX", "--wind", "0"], "routes: error: month must be 1-12"),
        (["compare", "SVO", "LAX", "--months", "1,14"], "routes: error: month must be 1-12"),
        (["report", "--wind", "winter"], "routes: error: unknown climatology period 'winter'"),
        (["compare", "SVO", "LAX", "--fleet", "XYZ"], "routes: error: no fleet data for airline 'XYZ' in data/fleets"),
        (["compare", "SVO", "LAX", "--fleet", "AFL", "-f", "geojson"], "routes: error: --fleet has no GeoJSON form"),
        (["compare", "SVO", "LAX", "--fleet", "AFL", "-f", "csv"], "routes: error: --fleet with --format csv makes"),
    ],
)
def test_errors_are_one_line(capsys, args, message):
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_route_json(capsys):
    code, out, _ = run(capsys, "route", "SVO", "SEA", "--scenario", "europe-canada-closed", "-f", "json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["scenario"] == "europe-canada-closed" and row["extra_km"] == pytest.approx(667.2, abs=0.5)
    assert row["wind"] == "still air" and row["etops"] == "ETOPS 180"


def test_route_table_and_map(capsys, tmp_path):
    code, out, _err = run(capsys, "route", "SVO", "LAX", "--margin-nm", "10", "--map", str(tmp_path / "m.png"))
    assert code == 0 and "waypoints" in out and "europe-closed" in out
    assert (tmp_path / "m.png").stat().st_size > 50_000


def test_compare_csv_and_geojson(capsys, tmp_path):
    code, out, _ = run(capsys, "compare", "SVO", "LAX", "SFO", "--scenarios", "pre-2022,europe-closed", "-f", "csv")
    assert code == 0 and out.splitlines()[0].startswith("origin,destination,scenario,aircraft")
    assert len(out.strip().splitlines()) == 5
    code, _, _err = run(
        capsys,
        "compare",
        "SVO",
        "SEA",
        "--scenarios",
        "europe-closed",
        "-f",
        "geojson",
        "-o",
        str(tmp_path / "r.geojson"),
    )
    feats = json.loads((tmp_path / "r.geojson").read_text())["features"]
    assert code == 0 and feats[0]["properties"]["scenario"] == "europe-closed"


def test_custom_scenario_file(capsys, tmp_path):
    (tmp_path / "s.toml").write_text('[no-canada-no-greenland]\nextends = "europe-canada-closed"\nopen = ["GRL"]\n')
    code, out, _ = run(capsys, "scenarios", "--scenario-file", str(tmp_path / "s.toml"))
    assert code == 0 and "no-canada-no-greenland" in out
    code, out, _ = run(
        capsys,
        "compare",
        "SVO",
        "SEA",
        "--scenarios",
        "no-canada-no-greenland",
        "--scenario-file",
        str(tmp_path / "s.toml"),
        "-f",
        "csv",
    )
    assert code == 0 and "no-canada-no-greenland" in out


def test_airports_search(capsys):
    code, out, _ = run(capsys, "airports", "sheremetyevo")
    assert code == 0 and "UUEE" in out


@pytest.mark.slow
def test_report_writes_the_folder(capsys, tmp_path):
    out_dir = tmp_path / "rep"
    code, out, _err = run(capsys, "report", "--out", str(out_dir), "--destinations", "LAX,SEA")
    assert code == 0 and "LAX" in out and "closures-2022" in out
    assert "Block time both ways" in out and "back" in out and "Jul" in out  # one row per direction
    assert max(len(line) for line in out.splitlines()) <= 100  # the default tables fit 100 columns
    for name in ("README.md", "index.html", "routes.csv", "routes.geojson", "block_times.csv"):
        assert (out_dir / name).stat().st_size > 500
    for stem in ("SVO-LAX", "SVO-SEA", "overview"):
        for ext in ("png", "svg", "pdf"):
            assert (out_dir / "maps" / f"{stem}.{ext}").exists()
    readme = (out_dir / "README.md").read_text()
    unit = "h min (extra min)"
    assert (f"| from | to | scenario | aircraft | out still air, {unit} | out Jan, {unit} | out Jul, {unit} | "
            f"back still air, {unit} |") in readme  # fmt: skip
    months = pd.read_csv(out_dir / "block_times.csv")
    assert {"January", "December", "still air", "DJF (Dec-Feb)"} <= set(months["period"])
    assert set(months["direction"]) == {"outbound", "return"}
    assert "block_time_jan_min" in pd.read_csv(out_dir / "routes.csv").columns
    assert "![SVO → LAX under closure scenarios](maps/SVO-LAX.png)" in readme and "OpenStreetMap" in readme
    geo = json.loads((out_dir / "routes.geojson").read_text())
    scenarios = {f["properties"]["scenario"] for f in geo["features"]}
    assert scenarios == {"pre-2022 geodesic", "pre-2022", "europe-closed", "europe-canada-closed"}


def test_compare_in_a_climatological_wind(capsys):
    code, out, _ = run(capsys, "compare", "SVO", "JFK", "--scenarios", "pre-2022", "--wind", "jan", "-f", "json")
    (row,) = json.loads(out)
    assert code == 0 and row["wind"] == "NCEP/NCAR R1 200 hPa climatology, January"
    assert row["block_time_min"] == pytest.approx(row["block_time_jan_min"], abs=0.05)
    assert row["block_time_min"] > row["return_block_time_jan_min"] + 60  # westbound into the January jet


def test_route_minimum_time_beside_the_shortest(capsys):
    args = ("route", "SVO", "JFK", "-s", "europe-closed", "--wind", "jan", "--months", "", "--objective", "time")
    code, out, _ = run(capsys, *args, "-f", "json")
    (row,) = json.loads(out)
    assert code == 0 and row["mintime_wind"] == "NCEP/NCAR R1 200 hPa climatology, January"
    # the shortest route is shortest, the minimum-time route is never slower in the same wind
    assert row["mintime_distance_km"] >= row["distance_km"] - 0.05
    assert 0.0 <= row["mintime_saving_min"] < 30.0
    assert row["mintime_block_time_min"] == pytest.approx(row["block_time_min"] - row["mintime_saving_min"], abs=0.11)
    first, *_, last = row["mintime_waypoints"].split()
    assert first == "55.97,37.41" and last == "40.64,-73.78"


def test_route_minimum_time_needs_a_known_objective(capsys):
    code, _, err = run(capsys, "route", "SVO", "JFK", "--objective", "fastest")
    assert code == 2 and "'fastest' is not one of 'distance', 'time'" in err


def test_route_interactive_map(capsys, tmp_path):
    path = tmp_path / "svo_lax.html"
    code, _out, err = run(capsys, "route", "SVO", "LAX", "--map", str(path))
    assert code == 0 and "wrote" in err
    page = path.read_text()
    assert "L.Proj.CRS" in page and "9,873 km (5,331 nm)" in page and "+6 min" in page
    assert "<script src=" not in page


# ----------------------------------------------------------------------------- terminal output (issue 29)

WIDTH_CASES = [
    ["route", "SVO", "LAX", "-s", "europe-closed"],
    ["route", "SVO", "LAX", "-s", "europe-canada-closed", "--objective", "time", "--wind", "1", "--months", ""],
    ["compare", "SVO", "LAX", "SEA", "--scenarios", "pre-2022,europe-canada-closed,closures-2022", "-a", "B77W,B744"],
    ["scenarios"],
    ["airports", "london"],
]


def _cli(args: list[str], columns: int = 100) -> str:
    """The command's stdout through click's runner, in a terminal ``columns`` wide."""
    from click.testing import CliRunner

    from routes.cli import app

    result = CliRunner().invoke(app, args, env={"COLUMNS": str(columns)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("args", WIDTH_CASES, ids=lambda a: " ".join(a[:2]))
def test_default_tables_fit_100_columns(args):
    out = _cli(args)
    widest = max(len(line) for line in out.splitlines())
    assert 60 < widest <= 100, [line for line in out.splitlines() if len(line) > 100]


def test_long_text_goes_below_the_table_and_wide_shows_every_column():
    args = ["compare", "SVO", "LAX", "--scenarios", "europe-closed,closures-2022", "--months", ""]
    default, wide = _cli(args), _cli([*args, "--wide"])
    reason = "SVO-LAX closures-2022: no route: destination LAX lies in the closed airspace of United States (USA)"
    assert reason in default.splitlines()  # on a line of its own, under the table
    assert "infeasible because" not in default and "infeasible because" in wide
    for heading in ("extra CO2 t", "range ok", "max lat", "fuel USD", "annual M USD"):
        assert heading not in default and heading in wide
    assert max(len(line) for line in wide.splitlines()) > 100
    assert " 9,873.0 " in default and " 9,873.0 " in wide  # the same figure in both


def test_json_keeps_every_column():
    from routes.comparison import compare
    from routes.study import Study

    rows = json.loads(_cli(["compare", "SVO", "LAX", "--scenarios", "europe-closed", "--months", "1", "-f", "json"]))
    table, _ = compare(["SVO"], ["LAX"], ["europe-closed"], Study(periods=(1,)))
    assert list(rows[0]) == list(table.columns) and len(rows[0]) > 50
    assert rows[0]["distance_km"] == 9873.0 and rows[0]["reason"] == "" and rows[0]["block_time_jan_min"] > 600


def test_route_command_imports_no_report_dask_folium_or_matplotlib():
    """Nor, once the disk cache is warm, scipy.spatial (~0.3 s: the k-d trees are pykdtree's), pydantic (the
    packaged data is checked once per file version), pycountry (its codes are cached with the airspace summary),
    geopandas or the stop search."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from routes.cli import main\n"
        "try:\n    main(['route', 'SVO', 'LAX', '-s', 'europe-closed', '--months', ''])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "heavy = ('routes.presentation.report', 'routes.network', 'dask', 'distributed', 'folium', 'matplotlib',\n"
        "         'scipy.spatial', 'pydantic', 'pycountry', 'geopandas', 'routes.stops')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # warms the disk cache
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert "9,873.0" in done.stdout


def test_a_table_too_wide_leaves_columns_out_and_never_cuts_a_figure():
    args = ["compare", "SVO", "LAX", "--scenarios", "pre-2022,europe-canada-closed", "-a", "B77W,B744,A359"]
    out = _cli([*args, "--months", ""])
    rows = json.loads(_cli([*args, "--months", "", "-f", "json"]))
    assert len(rows) == 6 and max(len(line) for line in out.splitlines()) <= 100
    for r in rows:  # every figure whole, none cut at the edge
        assert f" {r['cost_usd']:,.0f} " in out and f" {r['distance_km']:,.1f} " in out
    assert "(left out to fit 100 columns: extra annual M USD; --wide shows every column)" in out


def test_a_warning_in_a_terminal_is_one_short_block_shown_once(capsys):
    from routes.cli import _SHOWN, _show_warning

    _SHOWN.clear()
    _show_warning(UserWarning("stale rate  for 2026-12-05:\n RUS used"), UserWarning, "cost.py", 188)
    _show_warning(UserWarning("stale rate for 2026-12-05: RUS used"), UserWarning, "cost.py", 188)
    _show_warning(UserWarning("another"), UserWarning, "cost.py", 190)
    err = capsys.readouterr().err
    assert err == "routes: warning: stale rate for 2026-12-05: RUS used\nroutes: warning: another\n"


# ----------------------------------------------------------------------------- payload and fleet (issue 25)


def test_compare_shows_the_payload_and_the_fleet_table():
    args = ["compare", "SVO", "LAX", "--scenarios", "europe-canada-closed", "--months", "", "--fleet", "SU"]
    out = _cli(args)
    assert max(len(line) for line in out.splitlines()) <= 100
    route_row = next(line for line in out.splitlines() if line.startswith("SVO-LAX  europe-canada-closed  10,"))
    assert "69.9 t MZFW" in route_row  # the B77W carries MZFW - OEW non-stop
    assert "AFL fleet (type and count): payload non-stop and technical stops (still air)" in out
    a333 = next(line for line in out.splitlines() if "A333 (12)" in line)
    assert "25.6" in a333 and "MTOW" in a333 and "256 of 290 seats" in a333 and "MHR +126 min +3,973 USD" in a333
    b77w = next(line for line in out.splitlines() if "B77W (22)" in line)
    assert b77w.rstrip().endswith("full load")


def test_compare_machine_formats_carry_payload_and_fleet(tmp_path):
    args = ["compare", "SVO", "LAX", "--scenarios", "europe-canada-closed", "-a", "B77W,A333", "--months", ""]
    rows = json.loads(_cli([*args, "-f", "json"]))
    assert [(r["max_payload_kg"], r["max_seats"], r["payload_limit"], r["full_load"]) for r in rows] == [
        (69882.0, 451, "MZFW", True),
        (25621.0, 256, "MTOW", False),
    ]
    both = json.loads(_cli([*args, "-f", "json", "--fleet", "AFL"]))
    assert set(both) == {"comparison", "fleet"} and both["comparison"] == rows
    assert [f["aircraft"] for f in both["fleet"]] == ["B77W", "A333", "A359"]
    assert both["fleet"][1]["verdict"] == "non-stop, 256 of 290 seats" and both["fleet"][1]["stop"] == "MHR"
    _cli([*args, "-f", "csv", "--fleet", "AFL", "-o", str(tmp_path / "svo.csv")])
    table, fleet = pd.read_csv(tmp_path / "svo.csv"), pd.read_csv(tmp_path / "svo_fleet.csv")
    assert table["payload_limit"].tolist() == ["MZFW", "MTOW"] and table["max_seats"].tolist() == [451, 256]
    assert fleet["verdict"].tolist() == ["non-stop, full load", "non-stop, 256 of 290 seats", "non-stop, full load"]
