"""Cost in every output: the comparison table, the report folder and the command line."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from routes.analysis.cost import COST_COLUMNS
from routes.comparison import compare
from routes.inputs.costdata import load_cost_rates
from routes.presentation.cli import main
from routes.presentation.report import cost_table, write_report

SCENARIOS = ["pre-2022", "europe-closed", "europe-canada-closed"]


@pytest.fixture(scope="module")
def sea():
    return compare(["SVO"], ["SEA"], SCENARIOS)[0].set_index("scenario")


def test_compare_has_the_cost_columns(sea):
    assert set(COST_COLUMNS) <= set(sea.columns)
    pre = sea.loc["pre-2022"]
    assert (pre["extra_cost_usd"], pre["extra_fuel_cost_usd"], pre["extra_charges_usd"]) == (0, 0, 0)
    for s in SCENARIOS:
        row = sea.loc[s]
        assert row["cost_usd"] == pytest.approx(row["fuel_cost_usd"] + row["time_cost_usd"] + row["charges_usd"], abs=2)
        extra = row["extra_fuel_cost_usd"] + row["extra_time_cost_usd"] + row["extra_charges_usd"]
        assert row["extra_cost_usd"] == pytest.approx(extra, abs=2)
        assert row["extra_cost_usd"] == pytest.approx(row["cost_usd"] - pre["cost_usd"], abs=1)
        assert row["annual_cost_usd"] == pytest.approx(730 * row["cost_usd"], rel=1e-5)
        assert row["annual_basis"] == "still air, inbound mirrors outbound"
    eu, euca = sea.loc["europe-closed"], sea.loc["europe-canada-closed"]
    assert 0 < eu["extra_fuel_cost_usd"] < euca["extra_fuel_cost_usd"]
    assert euca["charges_avoided_usd"] > eu["charges_avoided_usd"] > 0  # closed states charge nothing
    assert euca["extra_charges_usd"] < 0
    assert "EUROCONTROL-EF" in pre["charges_by_authority"] and "EUROCONTROL" not in eu["charges_by_authority"]


def test_fuel_price_and_schedule_reach_the_table(sea):
    dear = compare(["SVO"], ["SEA"], ["europe-closed"], cost_rates=load_cost_rates().with_fuel_price(172.0),
                   flights_per_week=3)[0].iloc[0]  # fmt: skip
    assert dear["fuel_cost_usd"] == pytest.approx(2 * sea.loc["europe-closed", "fuel_cost_usd"], abs=2)
    assert dear["flights_per_week"] == 3
    assert dear["annual_cost_usd"] == pytest.approx(2 * 3 * 365 / 7 * dear["cost_usd"], rel=1e-5)


def test_cost_table_is_readable(sea):
    shown = cost_table(sea.reset_index())
    assert shown.columns[4] == "cost/flight USD" and "," in shown.iloc[0, 4]
    assert shown["annual M USD"].str.match(r"^\d+\.\d$").all()


def test_report_has_a_cost_section(tmp_path):
    folder, _df = write_report(tmp_path / "rep", ["SVO"], ["SEA"], ["pre-2022", "europe-closed"], formats=("png",))
    readme = (folder / "README.md").read_text()
    assert "## Cost" in readme and "airport/terminal charges excluded" in readme and "charges avoided USD" in readme
    assert "<h2>Cost</h2>" in (folder / "index.html").read_text()
    csv = pd.read_csv(io.StringIO((folder / "routes.csv").read_text()))
    assert {"cost_usd", "extra_charges_usd", "annual_cost_usd"} <= set(csv.columns)


def run(capsys, *args):
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fuel-price", "-5"], "routes: error: fuel price (USD per barrel): must be a finite number in [0, 2,000]"),
        (["--fuel-price", "nan"], "routes: error: fuel price (USD per barrel): must be a finite number in [0, 2,000]"),
        (["--flights-per-week", "0"], "routes: error: flights per week must be a positive number"),
        (["--cost-file", "/nonexistent.toml"], "routes: error: cost data file not found"),
    ],
)
def test_cli_cost_errors_are_one_line(capsys, args, message):
    code, _out, err = run(capsys, "route", "SVO", "SEA", *args)
    assert code == 2 and err.startswith(message) and err.count("\n") == 1


def test_cli_unknown_authority_in_cost_file(capsys, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text("[charge.EUROCONTROL-XX]\nunit_rate = 50.0\n")
    code, _out, err = run(capsys, "compare", "SVO", "SEA", "--cost-file", str(f))
    assert code == 2 and "unknown charging authority 'EUROCONTROL-XX'" in err


def test_cli_route_prints_the_cost_table(capsys):
    code, out, _ = run(
        capsys, "route", "SVO", "SEA", "-s", "europe-closed", "--fuel-price", "90", "--flights-per-week", "3"
    )
    assert code == 0 and "cost/flight USD" in out and "fuel 90 USD/bbl" in out and "3 flights a week" in out
