"""The ``routes`` command line (click). Presentation only: every figure comes from the library.

Errors are one line on stderr with exit code 2; no traceback.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from routes.errors import RoutesError, ScenarioError
from routes.inputs.airports import search_airports
from routes.inputs.scenarios import Scenario, builtin_scenarios, get_scenario, load_scenarios
from routes.mission import (
    MISSION_AIRCRAFT,
    MISSION_DESTINATIONS,
    MISSION_ORIGINS,
    MISSION_PERIODS,
    MISSION_SCENARIOS,
    ROUTE_SCENARIO,
)
from routes.presentation import cli_assumptions as _assumptions
from routes.presentation import cli_feasibility as _feasibility

console = Console()
if not console.is_terminal:  # piped or captured: wide enough for the whole table, no wrapping
    console = Console(width=230)
err = Console(stderr=True)
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
    "--format", "-f", "fmt", type=FORMATS, default="table", show_default=True, help="Output format."
)
output_opt = click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="Write to this file.")
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


_NEGATIVE_POINT = re.compile(r"^-(?:[\d.]|nan|inf)[^,]*,", re.IGNORECASE)


class _Command(click.Command):
    """A command whose arguments may be negative coordinates (``-33.9,151.2``): click would read them
    as options, so a leading space marks them as text (airport parsing strips it)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        out, options_done = [], False
        for arg in args:
            options_done = options_done or arg == "--"
            out.append(f" {arg}" if not options_done and _NEGATIVE_POINT.match(arg) else arg)
        return super().parse_args(ctx, out)


class _Group(click.Group):
    command_class = _Command


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
        default=7.0,
        show_default=True,
        help="Schedule for the annual cost, flights a week each way (7 = daily).",
    )(f)
    return click.option(
        "--fuel-price",
        type=float,
        default=None,
        help="Jet-fuel price, USD per barrel (default: the sourced average in data/charges).",
    )(f)


def _cost_rates(fuel_price: float | None, cost_file: Path | None, flights_per_week: float = 7.0):
    from routes.analysis.cost import check_schedule
    from routes.inputs.costdata import load_cost_rates

    check_schedule(flights_per_week)
    rates = load_cost_rates(cost_file)
    return rates if fuel_price is None else rates.with_fuel_price(fuel_price)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def app() -> None:
    """Shortest flight routes that avoid closed airspace: distance, time, fuel, CO2 and feasibility."""


def _codes(text: str | None) -> list[str]:
    """``"SVO, LED,"`` -> ``["SVO", "LED"]``: every comma-separated option of the command line."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _period(text: str) -> int | str:
    """A climatology period as typed: ``"7"`` -> 7 (a month), anything else as text (``"jan"``, ``"DJF"``)."""
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


def _scenarios(names: str, scenario_file: Path | None) -> list[Scenario]:
    """Comma-separated scenario names, looked up by `routes.inputs.scenarios.get_scenario` (with the file's)."""
    extra = load_scenarios(scenario_file) if scenario_file is not None else None
    out = [get_scenario(name, extra) for name in _codes(names)]
    if not out:
        raise ScenarioError(f"no scenario given ({names!r}); name at least one, e.g. europe-closed")
    return out


def _wind(name: str):
    """None (still air) or the climatological wind of a period; a bad period raises ClimatologyPeriodError."""
    if name.strip().lower() in {"still", "still-air", "still air", "none", ""}:
        return None
    from routes.analysis.climatology import climatology

    return climatology(_period(name))


def _periods(text: str) -> list[int | str]:
    from routes import validation
    from routes.seasonal import period_key

    # period_key fails early, with the allowed values; a repeated period is merged (validation's one rule)
    return validation.unique_options([_period(t) for t in _codes(text)], "--months", key=period_key)


def _print_directions(df: pd.DataFrame, periods: list[int | str]) -> None:
    from routes.presentation.report import direction_summary

    shown = direction_summary(df, periods)
    if shown.empty:
        return
    table = Table(title="Block time both ways, still air and climatological winds (+ min over pre-2022, same wind)")
    for c in shown.columns:
        table.add_column(c, justify="left" if c in {"from", "to", "scenario", "aircraft"} else "right")
    for row in shown.itertuples(index=False):
        table.add_row(*map(str, row))
    console.print(table)


def _progress(label: str) -> Callable[[Iterable], Iterable]:
    """A rich progress bar (on stderr) around an iterable."""

    def wrap(items: Iterable) -> Iterable:
        items = list(items)
        with Progress(
            TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
        ) as bar:
            yield from bar.track(items, total=len(items))

    return wrap


def _print_table(df: pd.DataFrame, title: str) -> None:
    from routes.presentation.formatting import summary_table

    shown = summary_table(df)
    table = Table(title=title, show_lines=False)
    for c in shown.columns:
        numeric = df.get(c, pd.Series(dtype=object)).dtype.kind in "fi" or c.endswith((" km", " %", " t", " min"))
        table.add_column(c, justify="right" if numeric else "left", overflow="fold")
    for row in shown.itertuples(index=False):
        table.add_row(*[f"{v:,.1f}" if isinstance(v, float) else str(v) for v in row])
    console.print(table)


def _print_cost_table(df: pd.DataFrame, title: str) -> None:
    from routes.presentation.report import cost_notes, cost_table

    if "cost_usd" not in df or df["cost_usd"].isna().all():
        return
    shown = cost_table(df)
    table = Table(title=title, show_lines=False)
    for c in shown.columns:
        left = c in ("from", "to", "scenario", "aircraft", "fallback charges")
        table.add_column(c, justify="left" if left else "right")
    for row in shown.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    console.print(table)
    for note in cost_notes(df):
        console.print(f"[dim]{note}[/dim]")


def _emit(df: pd.DataFrame, routes: list, fmt: str, title: str, output: Path | None) -> None:
    if fmt == "table":
        _print_table(df, title)
        _print_cost_table(df, f"{title}: cost (USD)")
        return
    if fmt == "csv":
        text = df.to_csv(index=False)
    elif fmt == "json":
        text = df.to_json(orient="records", indent=1)
    else:
        text = json.dumps({"type": "FeatureCollection", "features": [r.to_geojson() for r in routes if r.feasible]})
    if output:
        output.write_text(text)
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text + ("\n" if not text.endswith("\n") else ""))


def _print_waypoints(r, title: str) -> None:
    wp = Table(title=title)
    for c in ("name", "lat", "lon", "rounds", "leg km", "course"):
        wp.add_column(c)
    for w, leg in zip(r.waypoints, [None, *r.legs], strict=True):
        wp.add_row(
            w.name,
            f"{w.lat:.4f}",
            f"{w.lon:.4f}",
            w.rounds,
            "" if leg is None else f"{leg.distance_km:,.1f}",
            "" if leg is None else f"{leg.initial_course_deg:05.1f}",
        )
    console.print(wp)


def _fastest(shortest, row: pd.Series, wind, aircraft: str):
    """The minimum-time route beside ``shortest`` (the row of the comparison) and its table columns."""
    from routes.analysis.performance import estimate
    from routes.analysis.wind import still_air
    from routes.routing import route as find

    with err.status("minimum-time route ..."):
        fast = find(
            shortest.origin,
            shortest.destination,
            shortest.scenario,
            shortest.margin_nm,
            objective="time",
            wind=wind or still_air(),
            aircraft=aircraft,
        )
        block = estimate(fast, aircraft, wind=wind).block_time_min
    columns = {
        "mintime_wind": fast.wind,
        "mintime_distance_km": round(fast.distance_km, 1),
        "mintime_block_time_min": round(block, 1),
        "mintime_saving_min": round(float(row["block_time_min"]) - block, 1),
        "mintime_waypoints": " ".join(f"{w.lat:.2f},{w.lon:.2f}" for w in fast.waypoints),
    }
    return fast, columns


def _print_fastest(row: pd.Series, fast) -> None:
    from routes.presentation.formatting import hours_minutes

    table = Table(title=f"minimum-time route in {fast.wind} (the shortest route flown in the same wind for reference)")
    for c in ("route", "distance km", "block time", "saving"):
        table.add_column(c)
    table.add_row("shortest", f"{row['distance_km']:,.1f}", hours_minutes(row["block_time_min"]), "")
    saving = row["mintime_saving_min"]
    table.add_row(
        "minimum time",
        f"{row['mintime_distance_km']:,.1f}",
        hours_minutes(row["mintime_block_time_min"]),
        f"{saving:.1f} min" if saving > 0 else "none: the shortest route is the fastest",
    )
    console.print(table)


@app.command()
@click.argument("origin")
@click.argument("destination")
@click.option("--scenario", "-s", default=ROUTE_SCENARIO, show_default=True, help="Scenario name.")
@click.option("--aircraft", "-a", default=MISSION_AIRCRAFT[0], show_default=True, help="ICAO aircraft type (OpenAP).")
@margin_opt
@format_opt
@output_opt
@click.option(
    "--map",
    "map_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Also draw a map: PATH.png, .svg or .pdf (no suffix: all three), or PATH.html (interactive, offline).",
)
@scenario_file_opt
@wind_opt
@months_opt
@cost_opts
@click.option(
    "--objective",
    type=click.Choice(["distance", "time"]),
    default="distance",
    show_default=True,
    help="'time': also find the minimum-time route in the --wind (around the same closed airspace) and show it "
    "beside the shortest route.",
)
def route(
    origin: str,
    destination: str,
    scenario: str,
    aircraft: str,
    margin_nm: float,
    fmt: str,
    output: Path | None,
    map_path: Path | None,
    scenario_file: Path | None,
    wind_name: str,
    months: str,
    fuel_price: float | None,
    flights_per_week: float,
    cost_file: Path | None,
    cost_date: str | None,
    objective: str,
) -> None:
    """One route ORIGIN -> DESTINATION (IATA/ICAO code or 'lat,lon'): waypoints, distance, time,
    fuel and feasibility against pre-2022 (with --objective time, also the minimum-time route in the wind)."""
    from routes.comparison import compare as run

    asked = _scenarios(scenario, scenario_file)
    if len(asked) != 1:
        raise ScenarioError(
            f"routes route takes one scenario, got {len(asked)} ({scenario!r}); use 'routes compare' for several"
        )
    chosen_scn = asked[0]
    scn = asked if chosen_scn.name == "pre-2022" else [*_scenarios("pre-2022", None), chosen_scn]
    origin, destination = origin.strip(), destination.strip()
    wind, periods = _wind(wind_name), _periods(months)
    with err.status(f"routing {origin.upper()} -> {destination.upper()} ..."):
        df, routes = run(
            [origin],
            [destination],
            scn,
            [aircraft],
            margin_nm,
            wind=wind,
            cost_rates=_cost_rates(fuel_price, cost_file, flights_per_week),
            flights_per_week=flights_per_week,
            periods=periods,
            cost_on=cost_date,
        )
    chosen = df[df["scenario"] == chosen_scn.name]
    the_route = routes[-1]
    fastest = None
    if objective == "time" and the_route.feasible:
        fastest, columns = _fastest(the_route, chosen.iloc[0], wind, aircraft)
        chosen = chosen.assign(**columns)
    shown = [the_route] if fastest is None else [the_route, fastest]
    if fmt == "table":
        _print_route(df, chosen, shown, fastest, periods, f"{origin.upper()} -> {destination.upper()}")
    else:
        _emit(chosen, shown, fmt, "", output)
    if map_path is not None:
        _write_map(map_path, df, routes, fastest, wind, f"{origin.upper()} → {destination.upper()}")


def _print_route(df: pd.DataFrame, chosen: pd.DataFrame, shown: list, fastest, periods: list, title: str) -> None:
    """``route`` as tables: the comparison, both directions, cost, the minimum-time route and the waypoints."""
    _print_table(df, f"{title} ({df['wind'].iloc[0]})")
    _print_directions(df, periods)
    _print_cost_table(df, "cost (USD)")
    if fastest is not None:
        _print_fastest(chosen.iloc[0], fastest)
    for r in shown:
        if r.feasible:
            _print_waypoints(r, "waypoints" if r.objective == "distance" else f"waypoints, minimum time in {r.wind}")


def _write_map(map_path: Path, df: pd.DataFrame, routes: list, fastest, wind, title: str) -> None:
    """``route --map``: the interactive map (``.html``) or the static one (``.png``/``.svg``/``.pdf``, or all)."""
    if map_path.suffix.lower() == ".html":
        from routes.presentation.explore import explore

        explore((df, routes)).save(str(map_path))
        err.print(f"wrote {map_path}")
        return
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from routes.presentation.maps import plot_routes, save_figure

    fig = Figure(figsize=(10, 10))  # its own Agg canvas: no pyplot state, no backend switch
    FigureCanvasAgg(fig)
    drawn = routes if fastest is None else [*routes, fastest]
    plot_routes(drawn, ax=fig.subplots(), title=title, wind=wind if fastest else None)
    fmts = [map_path.suffix.lstrip(".")] if map_path.suffix else ["png", "svg", "pdf"]
    paths = save_figure(fig, map_path.with_suffix(""), formats=fmts)
    err.print("wrote " + ", ".join(map(str, paths)))


@app.command()
@click.argument("origin")
@click.argument("destinations", nargs=-1, required=True)
@click.option("--scenarios", default=",".join(MISSION_SCENARIOS), show_default=True, help="Comma-separated names.")
@click.option(
    "--aircraft", "-a", default=",".join(MISSION_AIRCRAFT), show_default=True, help="Comma-separated ICAO types."
)
@margin_opt
@format_opt
@output_opt
@scenario_file_opt
@wind_opt
@months_opt
@cost_opts
def compare(
    origin: str,
    destinations: tuple[str, ...],
    scenarios: str,
    aircraft: str,
    margin_nm: float,
    fmt: str,
    output: Path | None,
    scenario_file: Path | None,
    wind_name: str,
    months: str,
    fuel_price: float | None,
    flights_per_week: float,
    cost_file: Path | None,
    cost_date: str | None,
) -> None:
    """Compare ORIGIN -> each of DESTINATIONS x scenarios x aircraft."""
    from routes.comparison import compare as run

    types = _codes(aircraft)
    wind, periods = _wind(wind_name), _periods(months)
    df, routes = run(
        [origin],
        list(destinations),
        _scenarios(scenarios, scenario_file),
        types,
        margin_nm,
        wind=wind,
        progress=_progress("routing"),
        periods=periods,
        cost_rates=_cost_rates(fuel_price, cost_file, flights_per_week),
        flights_per_week=flights_per_week,
        cost_on=cost_date,
    )
    title = f"{origin.upper()} -> {', '.join(d.upper() for d in destinations)} ({df['wind'].iloc[0]})"
    _emit(df, routes, fmt, title, output)
    if fmt == "table":
        _print_directions(df, periods)


@app.command()
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("reports/mission"), show_default=True, help="Report folder."
)
@click.option("--origins", default=",".join(MISSION_ORIGINS), show_default=True, help="Comma-separated origins.")
@click.option(
    "--destinations",
    default=",".join(MISSION_DESTINATIONS),
    show_default=True,
    help="Comma-separated destinations.",
)
@click.option("--scenarios", default=",".join(MISSION_SCENARIOS), show_default=True, help="Comma-separated names.")
@click.option(
    "--aircraft", "-a", default=",".join(MISSION_AIRCRAFT), show_default=True, help="Comma-separated ICAO types."
)
@margin_opt
@scenario_file_opt
@wind_opt
@months_opt
@cost_opts
def report(
    out: Path,
    origins: str,
    destinations: str,
    scenarios: str,
    aircraft: str,
    margin_nm: float,
    scenario_file: Path | None,
    wind_name: str,
    months: str,
    fuel_price: float | None,
    flights_per_week: float,
    cost_file: Path | None,
    cost_date: str | None,
) -> None:
    """The main job: write the scenario report folder (README.md, index.html, CSV, GeoJSON, maps)
    and print its table. Default: SVO -> LAX, SFO, SEA, PDX under the four built-in scenarios."""
    from routes.presentation.report import write_report

    # write_report renders an empty selection as a report that says why; on the command line it is a usage error
    for label, given in (("origins", origins), ("destinations", destinations), ("aircraft", aircraft)):
        if not _codes(given):
            raise click.UsageError(f"{label}: nothing given; name at least one")
    periods = _periods(months)
    folder, df = write_report(
        out,
        _codes(origins),
        _codes(destinations),
        _scenarios(scenarios, scenario_file),
        _codes(aircraft),
        margin_nm,
        wind=_wind(wind_name),
        progress=_progress("report"),
        periods=periods,
        cost_rates=_cost_rates(fuel_price, cost_file, flights_per_week),
        flights_per_week=flights_per_week,
        cost_on=cost_date,
    )
    _print_table(df, f"Route report ({df['wind'].iloc[0]}) - written to {folder}/")
    _print_directions(df, periods)
    _print_cost_table(df, f"Cost per flight and per year ({flights_per_week:g} flights a week each way)")
    err.print(f"report: {folder / 'index.html'} and {folder / 'README.md'}")


def _selection(codes: str | None, countries: str | None, continents: str | None, polygon: Path | None, role: str):
    from routes.network.pairs import Region

    if codes and (countries or continents or polygon):
        raise click.UsageError(f"give --{role}s codes or --{role}-countries/-continents/-polygon, not both")
    if codes:
        return _codes(codes)
    if countries or continents or polygon:
        return Region(tuple(_codes(countries)), tuple(_codes(continents)), polygon)
    return None


def _months(text: str | None) -> list[int] | None:
    """``--months 1,7`` -> [1, 7] (rows per month in the climatological wind); None without the option."""
    if not text:
        return None
    from routes import validation

    try:
        return validation.unique_options([int(m) for m in _codes(text)], "--months")
    except ValueError:
        raise click.BadParameter(f"months must be integers 1-12, got {text!r}", param_hint="--months") from None


class _PartitionBar:
    """The matrix job's progress on stderr: the cluster line, then a bar over partitions."""

    def __init__(self) -> None:
        self.bar = Progress(
            TextColumn("routing"), BarColumn(), MofNCompleteColumn(), TextColumn("partitions"), TimeElapsedColumn(),
            console=err, transient=True,
        )  # fmt: skip
        self.task = None

    def __call__(self, p) -> None:  # a routes.network.job.MatrixProgress
        if self.task is None:
            where = f", dashboard {p.dashboard_link}" if p.dashboard_link else ""
            err.print(f"dask: {p.workers} workers{where}; {p.reused} of {p.total} partitions already done")
            self.bar.start()
            self.task = self.bar.add_task("routing", total=p.total, completed=p.done)
        self.bar.update(self.task, completed=p.done)

    def stop(self) -> None:
        if self.task is not None:
            self.bar.stop()


@app.command("matrix")
@click.option("--pairs", "pairs_file", type=click.Path(path_type=Path), help="CSV or Parquet with origin,destination.")
@click.option("--origins", help="Comma-separated origin codes.")
@click.option("--destinations", help="Comma-separated destination codes.")
@click.option("--from-countries", help="Origins: large airports of these countries (ISO codes, comma-separated).")
@click.option("--from-continents", help="Origins: large airports of these continents (AF AN AS EU NA OC SA).")
@click.option("--from-polygon", type=click.Path(path_type=Path), help="Origins: large airports in this GeoJSON.")
@click.option("--to-countries", help="Destinations: large airports of these countries.")
@click.option("--to-continents", help="Destinations: large airports of these continents.")
@click.option("--to-polygon", type=click.Path(path_type=Path), help="Destinations: large airports in this GeoJSON.")
@click.option("--min-km", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Minimum geodesic.")
@click.option("--max-km", type=click.FloatRange(min=0), default=None, help="Maximum geodesic (km).")
@click.option("--scenarios", default=ROUTE_SCENARIO, show_default=True, help="Comma-separated names.")
@click.option(
    "--aircraft", "-a", default=",".join(MISSION_AIRCRAFT), show_default=True, help="Comma-separated ICAO types."
)
@click.option("--distance-only", is_flag=True, help="Engine figures only (no OpenAP time/fuel, ETOPS, polar).")
@click.option("--directions", type=click.Choice(["outbound", "return", "both"]), default="outbound", show_default=True)
@click.option("--months", help="Comma-separated months 1-12 (monthly wind climatology).")
@click.option("--geometry", is_flag=True, help="Keep route geometry (GeoParquet).")
@margin_opt
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output folder (resumable).")
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Local cluster workers (default: cores).")
@click.option(
    "--partition-size", type=click.IntRange(min=1), default=None, help="Routes per file [default: auto, at most 32]."
)
@click.option("--skip-unknown", is_flag=True, help="Skip unknown codes in --pairs with a warning.")
@scenario_file_opt
def matrix_command(
    pairs_file: Path | None,
    origins: str | None,
    destinations: str | None,
    from_countries: str | None,
    from_continents: str | None,
    from_polygon: Path | None,
    to_countries: str | None,
    to_continents: str | None,
    to_polygon: Path | None,
    min_km: float,
    max_km: float | None,
    scenarios: str,
    aircraft: str,
    distance_only: bool,
    directions: str,
    months: str | None,
    geometry: bool,
    margin_nm: float,
    out: Path,
    scheduler: str | None,
    workers: int | None,
    partition_size: int | None,
    skip_unknown: bool,
    scenario_file: Path | None,
) -> None:
    """A route matrix: pairs x scenarios x aircraft x directions x months on Dask, written as
    Parquet partitions to --out (a rerun resumes). Pairs come from --pairs, from --origins x
    --destinations, or from region selectors (OurAirports large airports)."""
    import warnings

    from routes.network.job import matrix

    bar = _PartitionBar()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            result = matrix(
                pairs_file,
                origins=_selection(origins, from_countries, from_continents, from_polygon, "origin"),
                destinations=_selection(destinations, to_countries, to_continents, to_polygon, "destination"),
                scenarios=_scenarios(scenarios, scenario_file),
                aircraft=_codes(aircraft),
                directions=directions,
                months=_months(months),
                margin_nm=margin_nm,
                min_km=min_km,
                max_km=max_km if max_km is not None else float("inf"),
                estimates=not distance_only,
                geometry=geometry,
                out=out,
                scheduler=scheduler,
                n_workers=workers,
                partition_size=partition_size,
                on_unknown="skip" if skip_unknown else "error",
                progress=bar,
            )
        finally:
            bar.stop()
    for w in caught:
        err.print(f"warning: {w.message}")
    err.print(
        f"matrix complete: {result.n_rows:,} rows ({result.n_ok:,} ok, {result.n_infeasible:,} infeasible, "
        f"{result.n_errors:,} errors) in {result.n_partitions} partitions ({result.n_reused} reused), "
        f"{result.seconds:.1f} s -> {out}/"
    )


@app.command("scenarios")
@scenario_file_opt
def list_scenarios(scenario_file: Path | None) -> None:
    """List the closure scenarios."""
    known = dict(builtin_scenarios())
    if scenario_file is not None:
        known.update(load_scenarios(scenario_file))
    table = Table(title="scenarios")
    for c in ("name", "as of", "effective", "closed", "description"):
        table.add_column(c, overflow="fold")
    for name, scn in known.items():
        polys = f" + {len(scn.closed_polygons)} polygons" if scn.closed_polygons else ""
        unclear = f" ({len(scn.unclear)} unclear)" if scn.unclear else ""
        closed = f"{len(scn.closed_states)} states{unclear}{polys}"
        table.add_row(name, scn.as_of or "-", scn.effective, closed, scn.description)
    console.print(table)


@app.command()
@click.argument("query")
@click.option("--limit", default=10, show_default=True, help="How many.")
def airports(query: str, limit: int) -> None:
    """Find airports by code, name or city (QUERY)."""
    hits = search_airports(query, limit)
    if not hits:
        raise RoutesError(f"no airport matches {query!r}")
    table = Table()
    for c in ("IATA", "ICAO", "name", "city", "country", "lat", "lon"):
        table.add_column(c)
    for a in hits:
        table.add_row(a.iata, a.icao, a.name, a.city, a.country, f"{a.lat:.4f}", f"{a.lon:.4f}")
    console.print(table)


_feasibility.register(app)  # itinerary, payload, stops
_assumptions.register(app)  # assumptions, ranges


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning every error into one line and exit code 2."""
    try:
        code = app.main(args=argv, prog_name="routes", standalone_mode=False)
    except click.exceptions.Abort:
        print("routes: aborted", file=sys.stderr)
        raise SystemExit(130) from None
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "routes"
        print(f"routes: error: {exc.format_message()} (see '{where} --help')", file=sys.stderr)
        raise SystemExit(2) from None
    except click.ClickException as exc:
        print(f"routes: error: {exc.format_message()}", file=sys.stderr)
        raise SystemExit(2) from None
    except (RoutesError, OSError) as exc:
        print(f"routes: error: {' '.join(str(exc).split())}", file=sys.stderr)  # one line, whatever the message
        raise SystemExit(2) from None
    except Exception as exc:  # the last line of defence: one line, never a traceback
        print(
            f"routes: internal error: {type(exc).__name__}: {exc} (a bug: please report it with the command line)",
            file=sys.stderr,
        )
        raise SystemExit(70) from None  # EX_SOFTWARE
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
