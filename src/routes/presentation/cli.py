"""The ``routes`` command line (click). Presentation only: every figure comes from the library.

Errors are one line on stderr with exit code 2; no traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from routes.errors import RoutesError
from routes.inputs.airports import search_airports
from routes.inputs.scenarios import MISSION_SCENARIOS, Scenario, builtin_scenarios, load_scenarios

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
    default="1,7",
    show_default=True,
    help="Climatology periods shown beside still air in the both-directions table (comma-separated; '' for none).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def app() -> None:
    """Shortest flight routes that avoid closed airspace: distance, time, fuel, CO2 and feasibility."""


def _scenarios(names: str, scenario_file: Path | None) -> list[Scenario]:
    known: dict[str, Scenario] = dict(builtin_scenarios())
    if scenario_file is not None:
        known.update(load_scenarios(scenario_file))
    out = []
    for name in [n.strip() for n in names.split(",") if n.strip()]:
        if name not in known:
            raise RoutesError(f"unknown scenario {name!r}; known: {', '.join(known)}")
        out.append(known[name])
    return out


def _wind(name: str):
    """None (still air) or the climatological wind of a period; a bad period raises ClimatologyPeriodError."""
    if name.strip().lower() in {"still", "still-air", "still air", "none", ""}:
        return None
    from routes.analysis.climatology import climatology

    return climatology(int(name) if name.strip().lstrip("-").isdigit() else name)


def _periods(text: str) -> list[int | str]:
    from routes.analysis.climatology import period_months

    out: list[int | str] = [int(t) if t.lstrip("-").isdigit() else t for t in (x.strip() for x in text.split(",")) if t]
    for p in out:
        period_months(p)  # fails early, with the allowed values
    return out


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
    from routes.presentation.report import summary_table

    shown = summary_table(df)
    table = Table(title=title, show_lines=False)
    for c in shown.columns:
        numeric = df.get(c, pd.Series(dtype=object)).dtype.kind in "fi" or c.endswith((" km", " %", " t", " min"))
        table.add_column(c, justify="right" if numeric else "left", overflow="fold")
    for row in shown.itertuples(index=False):
        table.add_row(*[f"{v:,.1f}" if isinstance(v, float) else str(v) for v in row])
    console.print(table)


def _emit(df: pd.DataFrame, routes: list, fmt: str, title: str, output: Path | None) -> None:
    if fmt == "table":
        _print_table(df, title)
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


@app.command()
@click.argument("origin")
@click.argument("destination")
@click.option("--scenario", "-s", default="europe-closed", show_default=True, help="Scenario name.")
@click.option("--aircraft", "-a", default="B77W", show_default=True, help="ICAO aircraft type (OpenAP).")
@margin_opt
@format_opt
@output_opt
@click.option(
    "--map",
    "map_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Also draw a map: PATH.png, .svg or .pdf (no suffix: all three).",
)
@scenario_file_opt
@wind_opt
@months_opt
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
) -> None:
    """One route ORIGIN -> DESTINATION (IATA/ICAO code or 'lat,lon'): waypoints, distance, time,
    fuel and feasibility against pre-2022."""
    from routes.comparison import compare as run

    scn = _scenarios(f"pre-2022,{scenario}" if scenario != "pre-2022" else scenario, scenario_file)
    wind, periods = _wind(wind_name), _periods(months)
    with err.status(f"routing {origin.upper()} -> {destination.upper()} ..."):
        df, routes = run([origin], [destination], scn, [aircraft], margin_nm, wind=wind, periods=periods)
    chosen = df[df["scenario"] == scenario]
    the_route = next(r for r in routes if r.scenario.name == scenario)
    if fmt == "table":
        _print_table(df, f"{origin.upper()} -> {destination.upper()} ({df['wind'].iloc[0]})")
        _print_directions(df, periods)
        if the_route.feasible:
            wp = Table(title="waypoints")
            for c in ("name", "lat", "lon", "rounds", "leg km", "course"):
                wp.add_column(c)
            for w, leg in zip(the_route.waypoints, [None, *the_route.legs], strict=True):
                wp.add_row(
                    w.name,
                    f"{w.lat:.4f}",
                    f"{w.lon:.4f}",
                    w.rounds,
                    "" if leg is None else f"{leg.distance_km:,.1f}",
                    "" if leg is None else f"{leg.initial_course_deg:05.1f}",
                )
            console.print(wp)
    else:
        _emit(chosen, [the_route], fmt, "", output)
    if map_path is not None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from routes.presentation.maps import plot_routes, save_figure

        fig = Figure(figsize=(10, 10))  # its own Agg canvas: no pyplot state, no backend switch
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        plot_routes(routes, ax=ax, title=f"{origin.upper()} → {destination.upper()}")
        fmts = [map_path.suffix.lstrip(".")] if map_path.suffix else ["png", "svg", "pdf"]
        paths = save_figure(fig, map_path.with_suffix(""), formats=fmts)
        err.print("wrote " + ", ".join(map(str, paths)))


@app.command()
@click.argument("origin")
@click.argument("destinations", nargs=-1, required=True)
@click.option("--scenarios", default=",".join(MISSION_SCENARIOS), show_default=True, help="Comma-separated names.")
@click.option("--aircraft", "-a", default="B77W", show_default=True, help="Comma-separated ICAO types.")
@margin_opt
@format_opt
@output_opt
@scenario_file_opt
@wind_opt
@months_opt
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
) -> None:
    """Compare ORIGIN -> each of DESTINATIONS x scenarios x aircraft."""
    from routes.comparison import compare as run

    types = [a.strip() for a in aircraft.split(",") if a.strip()]
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
    )
    title = f"{origin.upper()} -> {', '.join(d.upper() for d in destinations)} ({df['wind'].iloc[0]})"
    _emit(df, routes, fmt, title, output)
    if fmt == "table":
        _print_directions(df, periods)


@app.command()
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("reports/mission"), show_default=True, help="Report folder."
)
@click.option("--origins", default="SVO", show_default=True, help="Comma-separated origins.")
@click.option("--destinations", default="LAX,SFO,SEA,PDX", show_default=True, help="Comma-separated destinations.")
@click.option("--scenarios", default=",".join(MISSION_SCENARIOS), show_default=True, help="Comma-separated names.")
@click.option("--aircraft", "-a", default="B77W", show_default=True, help="Comma-separated ICAO types.")
@margin_opt
@scenario_file_opt
@wind_opt
@months_opt
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
) -> None:
    """The main job: write the scenario report folder (README.md, index.html, CSV, GeoJSON, maps)
    and print its table. Default: SVO -> LAX, SFO, SEA, PDX under the four built-in scenarios."""
    from routes.presentation.report import write_report

    def items(text: str) -> list[str]:
        return [t.strip() for t in text.split(",") if t.strip()]

    folder, df = write_report(
        out,
        items(origins),
        items(destinations),
        _scenarios(scenarios, scenario_file),
        items(aircraft),
        margin_nm,
        wind=_wind(wind_name),
        progress=_progress("report"),
        periods=_periods(months),
    )
    _print_table(df, f"Route report ({df['wind'].iloc[0]}) - written to {folder}/")
    _print_directions(df, _periods(months))
    err.print(f"report: {folder / 'index.html'} and {folder / 'README.md'}")


@app.command("scenarios")
@scenario_file_opt
def list_scenarios(scenario_file: Path | None) -> None:
    """List the closure scenarios."""
    known = dict(builtin_scenarios())
    if scenario_file is not None:
        known.update(load_scenarios(scenario_file))
    table = Table(title="scenarios")
    for c in ("name", "effective", "closed", "description"):
        table.add_column(c, overflow="fold")
    for name, scn in known.items():
        polys = f" + {len(scn.closed_polygons)} polygons" if scn.closed_polygons else ""
        table.add_row(name, scn.effective, f"{len(scn.closed_states)} states{polys}", scn.description)
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
    except (RoutesError, ValueError, OSError) as exc:
        print(f"routes: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
