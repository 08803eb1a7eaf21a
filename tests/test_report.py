"""The report folder: summary first, charts, grouped tables, one template and one formatter, bad input."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.axes import Axes

from routes.presentation import charts
from routes.presentation.formatting import hours_minutes, signed_minutes, summary_table, whole_minutes
from routes.presentation.report import render, report_context, write_report
from routes.report_data import report_data
from routes.study import Study

TEXT_COLUMNS = {"ETOPS", "within range", "states rounded"}
SCENARIOS = ["pre-2022", "europe-closed", "europe-canada-closed", "closures-2022"]


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(694.2, "11 h 34"), (719.7, "12 h 00"), (59.5, "1 h 00"), (60.4, "1 h 00"), (58.5, "0 h 59"), (0, "0 h 00"),
     (-75.0, "-1 h 15"), (float("nan"), "")],
)  # fmt: skip
def test_one_duration_formatter_rounds_before_it_splits(minutes, text):
    assert hours_minutes(minutes) == text


def test_half_minutes_round_away_from_zero_everywhere():
    assert [whole_minutes(m) for m in (58.5, 59.5, -2.5, 2.4)] == [59, 60, -3, 2]  # round() would give 58, 60, -2
    assert [signed_minutes(m) for m in (6.1, -2.5, 0.0, math.nan)] == ["+6", "-3", "+0", ""]
    df = pd.DataFrame({c: [None] for c in ("origin", "destination", "scenario", "aircraft", "distance_km", "extra_km",
                                           "extra_pct", "extra_min", "co2_t", "extra_co2_t", "range_feasible", "etops",
                                           "max_latitude", "states_rounded", "reason")})  # fmt: skip
    df["block_time_min"], df["block_fuel_kg"], df["extra_fuel_kg"] = [719.7], [1000.0], [0.0]
    assert summary_table(df)["block time"].tolist() == ["12 h 00"]  # was "11 h 60"


@pytest.fixture(scope="module")
def sea_report(tmp_path_factory) -> Path:
    out, _ = write_report(
        tmp_path_factory.mktemp("rep") / "sea", ["SVO"], ["SEA", "PDX"], SCENARIOS, formats=("png", "svg"),
        interactive=False,
    )  # fmt: skip
    return out


def test_summary_comes_first_and_is_generated_from_the_figures(sea_report):
    md = (sea_report / "README.md").read_text()
    first_table = md.index("| from |")
    summary = md[md.index("## Summary") : first_table]
    assert "2 city pairs (SVO to SEA and PDX) under 3 closure scenarios" in summary
    # SEA europe-canada-closed: 9,053.9 km = +667.2 km (+7.96 %), +44.4 min; PDX +584.0 km (+6.80 %), +38.9 min
    assert (
        "**europe-canada-closed** adds +584 to +667 km (+6.8 to +8.0 %), +39 to +44 min and +4,768 to +5,732 USD"
        in (summary)
    )
    assert "The B77W can still fly every route non-stop" in summary and "ETOPS 180" in summary
    assert "**closures-2022** has no route from SVO to SEA and PDX: destination SEA lies in the closed airspace" in (
        summary
    )
    # the order: summary, map, charts, then the tables
    assert md.index("## Summary") < md.index("## Map of the routes") < md.index("## Charts") < first_table
    assert "![Extra block time and cost per flight by city and scenario](charts/extra-by-city.png)" in md


def test_charts_are_written_as_png_and_svg(sea_report):
    names = sorted(p.name for p in (sea_report / "charts").iterdir())
    charts_written = ("block-time-by-month", "cost-split", "extra-by-city", "tornado")
    assert names == [f"{n}.{x}" for n in charts_written for x in ("png", "svg")]
    assert all((sea_report / "charts" / n).stat().st_size > 10_000 for n in names)


def test_tables_have_at_most_ten_columns_each_with_its_unit(sea_report):
    md = (sea_report / "README.md").read_text()
    heads = [line for line in md.splitlines() if line.startswith("| from |")]
    assert len(heads) >= 6  # distance and time, fuel and CO2, cost x2, feasibility, both directions
    for head in heads:
        cells = [c.strip() for c in head.strip("| ").split(" | ")]
        assert len(cells) <= 10, head
        for c in cells[4:]:
            assert re.search(r" (km|min|%|t|USD|°|h min \(extra min\))$", c) or c in TEXT_COLUMNS, c
    assert "| 12 h 00" not in md and " h 60" not in md


def test_html_is_autoescaped_and_markdown_shares_the_context(sea_report):
    data = report_data(["SVO"], ["SEA"], ["pre-2022", "europe-closed"], Study(periods=()))
    context = report_context(data, [("SVO-SEA", "SVO → SEA")])
    context["summary"]["lead"] = "<script>alert(1)</script> & co"
    page = render("report.html", context)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page and "<script>" not in page
    assert "<script>alert(1)</script> & co" in render("report.md", context)


def test_chart_functions_take_an_axes_and_return_it():
    data = report_data(["SVO"], ["SEA"], ["pre-2022", "europe-canada-closed"], Study(periods=()))
    fig = charts._figure(6, 4)
    ax = fig.subplots()
    assert charts.plot_extra_by_city(data.table, "extra_min", ax=ax) is ax
    assert [round(p.get_height(), 1) for p in ax.patches] == [0.0, 44.4]
    ax2 = fig.add_subplot(2, 1, 2)
    assert charts.plot_cost_split(data.cost_split, ax=ax2) is ax2
    split = data.cost_split.iloc[0]
    assert split["fuel_usd"] + split["time_usd"] + split["charges_added_usd"] - split["charges_avoided_usd"] == (
        pytest.approx(split["extra_cost_usd"], abs=2)
    )
    assert isinstance(charts.plot_block_time_by_month(data.monthly, ax=fig.add_subplot(2, 2, 4)), Axes)
    assert sorted(data.monthly["month"].unique()) == list(range(1, 13))


def test_an_empty_selection_still_renders_and_says_why(tmp_path):
    out, table = write_report(tmp_path / "empty", ["SVO"], [], SCENARIOS, formats=("png",))
    md, page = (out / "README.md").read_text(), (out / "index.html").read_text()
    assert table.empty
    assert "**Nothing selected: no destinations given; name at least one of each to compare routes.**" in md
    assert "## Charts" not in md and "## Map" not in md and "| from |" not in md and "<table" not in page
    assert '<p class="problem">Nothing selected: no destinations given' in page
    assert not (out / "charts").exists() or not any((out / "charts").iterdir())


def test_a_report_where_every_pair_is_infeasible_still_renders_and_says_why(tmp_path):
    out, table = write_report(tmp_path / "none", ["SVO"], ["LAX"], ["closures-2022"], formats=("png",))
    md, page = (out / "README.md").read_text(), (out / "index.html").read_text()
    assert not table["feasible"].any()
    assert "**No feasible route: every selected city pair is infeasible under every selected scenario.**" in md
    assert "- SVO → LAX, closures-2022: destination LAX lies in the closed airspace of United States (USA)" in md
    assert "No charts: no feasible route" in page and "<table" not in page
    assert (out / "maps" / "SVO-LAX.png").stat().st_size > 10_000  # the airports and the closed airspace
