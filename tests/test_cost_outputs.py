"""Cost in every output: the comparison table, the report folder and the command line."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from cli_helpers import run
from routes.analysis.cost import COST_COLUMNS
from routes.comparison import compare
from routes.errors import StaleDataWarning
from routes.inputs.costdata import load_cost_rates
from routes.presentation.report import cost_table, write_report
from routes.study import Study

SCENARIOS = ["pre-2022", "europe-closed", "europe-canada-closed"]


@pytest.fixture(scope="module")
def sea():
    with pytest.warns(StaleDataWarning):  # EUROCONTROL 2015/2018 and NAV CANADA 2020-2023 rates for 2025
        return compare(["SVO"], ["SEA"], SCENARIOS, Study(rates_date="2025-06-01"))[0].set_index("scenario")


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
        assert row["marginal_cost_usd"] == pytest.approx(row["cost_usd"] - row["ownership_cost_usd"], abs=1)
        assert row["annual_marginal_cost_usd"] == pytest.approx(730 * row["marginal_cost_usd"], rel=1e-5)
        assert 0 < row["ownership_cost_usd"] < row["time_cost_usd"] / 2  # 1,907 of 5,226 USD per block hour
        assert (row["cost_date"], row["cost_operator"]) == ("2025-06-01", "foreign (not given)")
        assert "RUS-USD-2023-04 (2023-04-01 to 2025-12-31)" in row["charge_rates"]
        assert "fully allocated = marginal + ownership" in row["cost_basis"]
    eu, euca = sea.loc["europe-closed"], sea.loc["europe-canada-closed"]
    assert 0 < eu["extra_fuel_cost_usd"] < euca["extra_fuel_cost_usd"]
    assert euca["charges_avoided_usd"] > eu["charges_avoided_usd"] > 0  # closed states charge nothing
    assert euca["extra_charges_usd"] < 0
    assert "EUROCONTROL-EF" in pre["charges_by_authority"] and "EUROCONTROL" not in eu["charges_by_authority"]


def test_fuel_price_and_schedule_reach_the_table(sea):
    study = Study(cost_rates=load_cost_rates().with_fuel_price(172.0), flights_per_week=3)
    dear = compare(["SVO"], ["SEA"], ["europe-closed"], study)[0].iloc[0]
    assert dear["fuel_cost_usd"] == pytest.approx(2 * sea.loc["europe-closed", "fuel_cost_usd"], abs=2)
    assert dear["flights_per_week"] == 3
    assert dear["annual_cost_usd"] == pytest.approx(2 * 3 * 365 / 7 * dear["cost_usd"], rel=1e-5)


def test_cost_table_is_readable(sea):
    shown = cost_table(sea.reset_index())
    assert shown.columns[4] == "cost/flight USD (fully allocated)" and "," in shown.iloc[0, 4]
    assert shown.columns[5] == "marginal/flight USD"
    assert shown["annual M USD (fully allocated)"].str.match(r"^\d+\.\d$").all()
    assert shown["annual marginal M USD"].str.match(r"^\d+\.\d$").all()


def test_report_has_a_cost_section(tmp_path):
    folder, _df = write_report(tmp_path / "rep", ["SVO"], ["SEA"], ["pre-2022", "europe-closed"], formats=("png",))
    readme = (folder / "README.md").read_text()
    assert "## Cost" in readme and "airport/terminal charges excluded" in readme and "charges avoided USD" in readme
    assert "<h2>Cost</h2>" in (folder / "index.html").read_text()
    csv = pd.read_csv(io.StringIO((folder / "routes.csv").read_text()))
    assert {"cost_usd", "extra_charges_usd", "annual_cost_usd"} <= set(csv.columns)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fuel-price", "-5"], "routes: error: fuel price (USD per barrel): must be a finite number in [0, 2,000]"),
        (["--fuel-price", "nan"], "routes: error: fuel price (USD per barrel): must be a finite number in [0, 2,000]"),
        (["--flights-per-week", "0"], "routes: error: flights per week must be a number in (0, 700]"),
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
    assert code == 0 and "cost/" in out and "fuel 90 USD/bbl" in out and "3 flights a week" in out
    assert "(full)" in out and "marginal" in out and "utilisation-limited fleet" in out  # the two cost views


def test_stale_rate_warnings_come_once_per_table():
    with pytest.warns(StaleDataWarning) as record:
        compare(["SVO"], ["SEA", "PDX"], ["pre-2022", "europe-closed"], Study(periods=(), rates_date="2026-12-05"))
    messages = [str(w.message) for w in record if w.category is StaleDataWarning]
    assert len(messages) == len(set(messages)) == 4  # RUS, NAV CANADA, EUROCONTROL Finland and Norway
    assert any("'RUS-USD-2026-01' (valid 2026-01-01 to 2026-03-31)" in m for m in messages)
