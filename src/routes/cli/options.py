"""What the commands share: the click group's command class, the options, and their parsing into a `Study`.

Light to import: no OpenAP, pandas, Dask or matplotlib (those load inside the commands that need them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from routes.errors import ScenarioError
from routes.inputs.scenarios import Scenario, get_scenario, load_scenarios
from routes.mission import MISSION_AIRCRAFT, MISSION_PERIODS, MISSION_SCENARIOS

if TYPE_CHECKING:
    from routes.study import Study

FORMATS = click.Choice(["table", "csv", "json", "geojson"])
scenario_file_opt = click.option(
    "--scenario-file",
    type=click.Path(path_type=Path),
    default=None,
    help="TOML file of your own scenarios (see README).",
)
margin_opt = click.option(
    "--margin-nm",
    type=click.FloatRange(min=0.0),
    default=0.0,
    show_default=True,
    help="Lateral margin from closed airspace, nm.",
)
format_opt = click.option(
    "--format",
    "-f",
    "fmt",
    type=FORMATS,
    default="table",
    show_default=True,
    help="Output format (all columns but table).",
)
wide_opt = click.option(
    "--wide", is_flag=True, help="Tables with every column (default: the key columns, fitting 100 columns)."
)
output_opt = click.option(
    "--output", "-o", "output_path", type=click.Path(path_type=Path), default=None, help="Write to this file."
)
wind_opt = click.option(
    "--wind",
    "wind_name",
    default="still",
    show_default=True,
    help="Wind for the main figures (time, fuel, CO2): 'still', or a climatology period: month 1-12 "
    "(or its name), DJF, MAM, JJA, SON, annual (NCEP/NCAR R1 200 hPa monthly means).",
)
months_opt = click.option(
    "--months",
    default=",".join(map(str, MISSION_PERIODS)),
    show_default=True,
    help="Climatology periods shown beside still air in the both-directions table (comma-separated; '' for none).",
)
scenarios_opt = click.option(
    "--scenarios", default=",".join(MISSION_SCENARIOS), show_default=True, help="Comma-separated names."
)
aircraft_opt = click.option(
    "--aircraft", "-a", default=",".join(MISSION_AIRCRAFT), show_default=True, help="Comma-separated ICAO types."
)
fleet_opt = click.option(
    "--fleet",
    default=None,
    metavar="AIRLINE",
    help="Also show AIRLINE's fleet (ICAO or IATA designator in data/fleets.csv, e.g. AFL): which types fly each "
    "route non-stop with a full load, with fewer seats, or need a technical stop (a stop search takes seconds).",
)


def check_fleet_format(fleet: str | None, fmt: str, output: Path | None) -> None:
    """``--fleet`` with a machine format: JSON holds both tables; CSV needs ``--output`` (the fleet table goes
    beside it); GeoJSON has no form for it. Checked before any routing."""
    from routes.errors import InvalidInputError

    if fleet and fmt == "geojson":
        raise InvalidInputError("--fleet has no GeoJSON form; use --format table, json or csv with it")
    if fleet and fmt == "csv" and output is None:
        raise InvalidInputError(
            "--fleet with --format csv makes two tables: give --output FILE.csv (the fleet table goes to "
            "FILE_fleet.csv), or use --format json"
        )


def cost_opts(f: Callable) -> Callable:
    """The cost options: jet-fuel price, schedule, the date of the charge rates and an override file."""
    f = click.option(
        "--cost-date",
        default=None,
        metavar="YYYY-MM-DD",
        help="Date whose charge rates apply (default: today; a date after the newest rate warns and is flagged).",
    )(f)
    f = click.option(
        "--cost-file",
        type=click.Path(path_type=Path),
        default=None,
        help="TOML overrides of the cost data (see README, Cost model).",
    )(f)
    f = click.option(
        "--flights-per-week",
        type=float,
        default=None,
        help="Schedule for the annual cost, flights a week each way [default: 7, daily].",
    )(f)
    return click.option(
        "--fuel-price",
        type=float,
        default=None,
        help="Jet-fuel price, USD per barrel (default: the sourced average in data/charges).",
    )(f)


def ranges_opts(f: Callable) -> Callable:
    """``--ranges`` and its sampling: the low-high range of each extra figure (`routes.sensitivity`)."""
    f = click.option("--range-seed", type=int, default=None, help="Random seed of the --ranges sampling [default: 0].")(
        f
    )
    f = click.option(
        "--range-samples", type=int, default=None, help="Draws of the --ranges sampling, 10-1,000,000 [default: 2000]."
    )(f)
    return click.option(
        "--ranges",
        is_flag=True,
        help="Give each extra figure (minutes, fuel, CO2, USD per flight and per year) its 5-95 % range over the "
        "assumptions register's ranges, and the month-to-month spread of the extra minutes (about 0.5 s a route).",
    )(f)


def range_settings(ranges: bool, range_samples: int | None, range_seed: int | None, fmt: str) -> dict[str, object]:
    """The `Study` settings of ``--ranges`` (`ranges_opts`); a sampling option without ``--ranges``, or
    ``--ranges`` with GeoJSON (which carries routes, not table columns), is a usage error."""
    given = [name for name, v in (("--range-samples", range_samples), ("--range-seed", range_seed)) if v is not None]
    if given and not ranges:
        verb, them = ("applies", "it") if len(given) == 1 else ("apply", "them")
        raise click.UsageError(f"{' and '.join(given)} only {verb} with --ranges; add --ranges or leave {them} out")
    if ranges and fmt == "geojson":
        raise click.UsageError("--ranges adds table columns, which GeoJSON does not carry; use --format csv or json")
    out: dict[str, object] = {"ranges": ranges}
    if range_samples is not None:
        out["range_samples"] = range_samples
    if range_seed is not None:
        out["range_seed"] = range_seed
    return out


def study_opts(f: Callable) -> Callable:
    """The options that make a command's `Study`: aircraft, margin, wind, periods and cost."""
    for opt in (cost_opts, months_opt, wind_opt, margin_opt):
        f = opt(f)
    return f


_NEGATIVE_POINT = re.compile(r"^-(?:[\d.]|nan|inf)[^,]*,", re.IGNORECASE)


class Command(click.Command):
    """A command whose arguments may be negative coordinates (``-33.9,151.2``): click would read them
    as options, so a leading space marks them as text (airport parsing strips it)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        out, options_done = [], False
        for arg in args:
            options_done = options_done or arg == "--"
            out.append(f" {arg}" if not options_done and _NEGATIVE_POINT.match(arg) else arg)
        return super().parse_args(ctx, out)


class Group(click.Group):
    """The ``routes`` group: its commands parse negative coordinates (`Command`)."""

    command_class = Command


def codes(text: str | None) -> list[str]:
    """``"SVO, LED,"`` -> ``["SVO", "LED"]``: every comma-separated option of the command line."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def period(text: str) -> int | str:
    """A climatology period as typed: ``"7"`` -> 7 (a month), anything else as text (``"jan"``, ``"DJF"``)."""
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


def scenarios(names: str, scenario_file: Path | None) -> list[Scenario]:
    """Comma-separated scenario names, looked up by `routes.inputs.scenarios.get_scenario` (with the file's)."""
    extra = load_scenarios(scenario_file) if scenario_file is not None else None
    out = [get_scenario(name, extra) for name in codes(names)]
    if not out:
        raise ScenarioError(f"no scenario given ({names!r}); name at least one, e.g. europe-closed")
    return out


def build_study(settings: Mapping[str, Any], fmt: str = "table") -> Study:
    """The command's `Study`, built once from its options (every setting checked there).

    ``settings`` holds the options of `study_opts` (``aircraft``, ``margin_nm``, ``wind_name``, ``months``,
    ``fuel_price``, ``flights_per_week``, ``cost_file``, ``cost_date``) and, where the command has them,
    ``objective`` and those of `ranges_opts` (``ranges``, ``range_samples``, ``range_seed``: checked with the
    output format ``fmt`` by `range_settings`).
    """
    from routes.study import Study

    given = dict(settings)
    changes: dict[str, object] = {}
    if "ranges" in given:
        changes.update(range_settings(given["ranges"], given.get("range_samples"), given.get("range_seed"), fmt))
    if given.get("objective") is not None:
        changes["objective"] = given["objective"]
    if given.get("flights_per_week") is not None:
        from routes.analysis.cost import check_schedule

        changes["flights_per_week"] = check_schedule(given["flights_per_week"])  # before any file is read
    fuel_price, cost_file = given.get("fuel_price"), given.get("cost_file")
    if fuel_price is not None or cost_file is not None:
        from routes.inputs.costdata import load_cost_rates

        rates = load_cost_rates(cost_file)
        changes["cost_rates"] = rates if fuel_price is None else rates.with_fuel_price(fuel_price)
    wind_name = str(given["wind_name"])
    still = wind_name.strip().lower() in {"still", "still-air", "still air", "none", ""}
    return Study(
        aircraft=tuple(codes(given["aircraft"])),
        wind=None if still else period(wind_name),
        periods=tuple(period(t) for t in codes(given["months"])),
        margin_nm=given["margin_nm"],
        rates_date=_rates_date(given.get("cost_date")),
        **changes,
    )


def _rates_date(text: str | None) -> date | None:
    """``--cost-date`` as a date (a malformed one: `CostDataError` naming the format)."""
    if text is None:
        return None
    from routes.inputs.ratedates import cost_date

    return cost_date(text)
