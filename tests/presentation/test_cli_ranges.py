"""``routes route --ranges`` and ``routes compare --ranges``: each extra figure with its 5-95 % range."""

import io
import json

import pandas as pd
import pytest
from rich.console import Console

from cli_helpers import run
from routes.cli.sections import print_ranges, range_rows


def test_route_ranges_table_prints_the_range_beside_the_central_figure(capsys):
    code, out, _ = run(capsys, "route", "SVO", "SEA", "-s", "europe-canada-closed", "--ranges",
                       "--range-samples", "200")  # fmt: skip
    assert code == 0
    assert "Ranges on the extra figures: central (5-95 % of 200 seeded draws, seed 0)" in out
    line = next(row for row in out.splitlines() if row.startswith("SVO-SEA  europe-canada-closed  +44.4"))
    assert "+44.4 (44.5-46.3)" in line and "+5,732 (5,470-7,387)" in line and "+32 to +57" in line
    assert "+6.0 (6.0-6.3)" in line  # extra fuel, tonnes


def test_compare_json_and_csv_carry_the_range_columns(capsys):
    args = ["compare", "SVO", "SEA", "--scenarios", "pre-2022,europe-canada-closed", "--months", "", "--ranges",
            "--range-samples", "200", "--range-seed", "3"]  # fmt: skip
    code, out, _ = run(capsys, *args, "-f", "json")
    assert code == 0
    base, closed = json.loads(out)
    assert (closed["extra_cost_usd"], closed["extra_cost_usd_low"], closed["extra_cost_usd_high"]) == (5732, 5521, 7535)
    assert (closed["extra_annual_cost_usd_low"], closed["monthly_extra_min_high"]) == (4030099, 57.2)
    assert base["extra_cost_usd_low"] == base["extra_cost_usd_high"] == 0
    code, out, _ = run(capsys, *args, "-f", "csv")
    table = pd.read_csv(io.StringIO(out))
    assert table["extra_min_low"].tolist() == [0.0, 44.5] and table["extra_fuel_kg_high"].tolist() == [0, 6314]


def test_without_ranges_no_range_output(capsys):
    code, out, _ = run(capsys, "compare", "SVO", "SEA", "--scenarios", "europe-canada-closed", "-f", "json")
    assert code == 0 and "extra_cost_usd_low" not in json.loads(out)[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["route", "SVO", "SEA", "--range-samples", "100"], "--range-samples only applies with --ranges"),
        (["compare", "SVO", "SEA", "--range-seed", "1", "--range-samples", "100"],
         "--range-samples and --range-seed only apply with --ranges"),
        (["route", "SVO", "SEA", "--ranges", "-f", "geojson"], "--ranges adds table columns, which GeoJSON does not"),
        (["compare", "SVO", "SEA", "--ranges", "--range-samples", "3"],
         "range_samples must be a whole number from 10 to 1,000,000, got 3"),
    ],
)  # fmt: skip
def test_bad_range_options_are_one_line_errors(capsys, args, message):
    code, _out, err = run(capsys, *args)
    assert code == 2 and err.startswith(f"routes: error: {message}") and err.count("\n") == 1


def test_range_cells_with_negative_ends_and_several_aircraft():
    df = pd.DataFrame(
        {
            "origin": ["SVO", "SVO"], "destination": ["SEA", "SEA"], "scenario": ["x", "x"],
            "aircraft": ["B77W", "A359"], "feasible": [True, True],
            "extra_min": [-3.0, 10.0], "extra_min_low": [-4.1, 9.0], "extra_min_high": [-2.0, 12.0],
            "monthly_extra_min_low": [-8.0, 5.0], "monthly_extra_min_high": [1.0, 20.0],
            **{f"{c}{end}": [100.0, 200.0] for c in ("extra_fuel_kg", "extra_cost_usd", "extra_marginal_cost_usd",
                                                     "extra_annual_cost_usd") for end in ("", "_low", "_high")},
        }
    )  # fmt: skip
    rows = range_rows(df)
    assert rows["aircraft"].tolist() == ["B77W", "A359"]
    assert rows["extra\nmin"].tolist() == ["-3.0 (-4.1 to -2.0)", "+10.0 (9.0-12.0)"]
    assert rows["by month\nmin"].tolist() == ["-8 to +1", "+5 to +20"]
    out = Console(width=200, file=io.StringIO())
    print_ranges(out, df, 500, 7, wide=True)
    assert "500 seeded draws, seed 7" in out.file.getvalue()
