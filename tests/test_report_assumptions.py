"""The report's "Assumptions used and overrides": every register entry a run used, and every value it overrode."""

import dataclasses
import warnings

import pytest

from routes.analysis.performance import Assumptions
from routes.cli import main
from routes.errors import StaleDataWarning
from routes.inputs.costdata import load_cost_rates
from routes.inputs.register import assumption_register
from routes.presentation import report as report_module
from routes.presentation.report import render, report_context
from routes.report_data import report_data
from routes.report_extras import assumptions_used, overrides
from routes.sensitivity import held, sensitivity
from routes.study import Study


def test_default_study_uses_every_register_default_and_overrides_nothing():
    used = assumptions_used(Study())
    reg = assumption_register()
    assert list(used["name"]) == list(reg) and len(used) == 21
    assert (used["value"] == used["default"]).all() and not used["overridden"].any()
    row = used.set_index("name").loc["load_factor"]
    assert (row["value"], row["unit"], row["low"], row["high"], row["basis"]) == (
        0.8, "share of seats occupied", 0.75, 0.85, "secondary"
    )  # fmt: skip
    assert used.set_index("name").loc["route_factor", "source"].startswith("convention: ")
    assert overrides(Study()).empty


def test_overrides_list_register_entries_study_settings_performance_settings_and_cost_data():
    rates = load_cost_rates().with_fuel_price(100)
    study = Study(aircraft="A359", assumptions=Assumptions(load_factor=0.9, cruise_mach=0.8), cost_rates=rates,
                  flights_per_week=3, rates_date="2026-01-15")  # fmt: skip
    got = overrides(study)
    assert got[["setting", "kind", "value", "default"]].values.tolist() == [
        ["load_factor", "register", 0.9, 0.8],
        ["fuel_price_usd_per_bbl", "register", 100.0, 86.0],
        ["flights_per_week", "register", 3.0, 7.0],
        ["aircraft", "study setting", "A359", "B77W"],
        ["rates_date", "study setting", "2026-01-15", "today"],
        ["cruise_mach", "performance setting", 0.8, "the type's"],
    ]
    assert got.iloc[0]["default_source"].startswith("IATA Reports Slower But Steady Growth For Full-Year 2019")
    used = assumptions_used(study).set_index("name")
    assert used.loc["load_factor", "value"] == 0.9 and bool(used.loc["load_factor", "overridden"])
    assert used.loc["oei_speed_kt", "value"] == 420.0 and not used.loc["oei_speed_kt", "overridden"]


def test_a_changed_cost_table_is_told_as_rows_changed():
    rates = load_cost_rates()
    n = len(rates.hourly)
    fewer = dataclasses.replace(rates, hourly=rates.hourly[1:])
    got = overrides(Study(cost_rates=fewer))
    assert got[["setting", "kind", "value", "default"]].values.tolist() == [
        ["hourly", "cost data", f"{n - 1} rows, 0 not in the shipped data, 1 shipped rows left out", f"{n} rows"]
    ]
    changed = dataclasses.replace(rates, hourly=(dataclasses.replace(rates.hourly[0], flight_crew_usd_per_bh=1.0),
                                                 *rates.hourly[1:]))  # fmt: skip
    assert overrides(Study(cost_rates=changed))["value"].tolist() == [
        f"{n} rows, 1 not in the shipped data, 1 shipped rows left out"
    ]


def test_overridden_inputs_are_held_not_varied():
    import routes

    route, base = routes.route("SVO", "SEA", "europe-canada-closed"), routes.geodesic_route("SVO", "SEA")
    a = Assumptions(load_factor=0.9)
    assert held(a, load_cost_rates()) == {"load_factor"}
    assert held(Assumptions(), load_cost_rates().with_fuel_price(100)) == {"fuel_price_usd_per_bbl"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        s = sensitivity(route, base, "B77W", a, samples=50)
    assert "load_factor" not in {sw.name for sw in s.swings} and "pax_mass_kg" in {sw.name for sw in s.swings}


@pytest.fixture(scope="module")
def overridden_data():
    study = Study(periods=(), assumptions=Assumptions(load_factor=0.9), range_samples=50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        return report_data(["SVO"], ["SEA"], ["pre-2022", "europe-canada-closed"], study, fleet=False)


def test_report_lists_the_override_in_the_summary_and_its_own_section(overridden_data):
    md = render("report.md", report_context(overridden_data, []))
    summary = md[md.index("## Summary") : md.index("## Assumptions used and overrides")]
    changed = "load_factor 0.9 (default 0.8); periods none (default January, July); range_samples 50 (default 2,000)"
    assert f"**Overridden in this run:** {changed} (see Assumptions used and overrides)." in summary
    section = md[md.index("## Assumptions used and overrides") :]
    assert f"Overridden in this run (3): {changed}." in section
    assert "| load_factor | register | 0.9 | 0.8 | share of seats occupied | IATA Reports" in section
    assert "| load_factor (overridden) | 0.9 | share of seats occupied | 0.75-0.85 | secondary |" in section
    assert "| kg_co2_per_kg_fuel | 3.16 | kg CO2 per kg of jet fuel (tank to wake) |" in section
    assert "Set by this run, so held at its value and not varied: load_factor." in md
    # the ranges are of the run's own figures: the central extra cost is the comparison's
    ranges = overridden_data.ranges.iloc[0]
    assert round(ranges["extra_usd"]) == overridden_data.table.iloc[1]["extra_cost_usd"]


def test_report_command_lists_a_command_line_override(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(report_module, "draw_maps", lambda *args, **kwargs: [])  # the figures, not the drawings
    monkeypatch.setattr(report_module, "draw_charts", lambda *args, **kwargs: [])
    args = ["report", "--out", str(tmp_path), "--origins", "SVO", "--destinations", "SEA", "--months", ""]
    args += ["--scenarios", "pre-2022,europe-canada-closed", "--fuel-price", "100", "--flights-per-week", "3"]
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 0
    md = (tmp_path / "README.md").read_text()
    assert "**Overridden in this run:** fuel_price_usd_per_bbl 100 (default 86); flights_per_week 3 (default 7)" in md
    assert "fuel_price_usd_per_bbl,register,100.0,86.0" in (tmp_path / "overrides.csv").read_text()
    assert "Overridden in this run" in (tmp_path / "index.html").read_text()
