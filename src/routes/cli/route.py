"""``routes route``: one route, its figures against pre-2022, both directions, cost and waypoints.

Imports nothing of the report, Dask, folium or matplotlib unless ``--map`` asks for a map.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from routes.cli import options as opt
from routes.cli import output, sections
from routes.errors import ScenarioError
from routes.mission import MISSION_AIRCRAFT, ROUTE_SCENARIO

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from routes.result import Route
    from routes.study import Study


@click.command(cls=opt.Command)
@click.argument("origin")
@click.argument("destination")
@click.option("--scenario", "-s", default=ROUTE_SCENARIO, show_default=True, help="Scenario name.")
@click.option("--aircraft", "-a", default=MISSION_AIRCRAFT[0], show_default=True, help="ICAO aircraft type (OpenAP).")
@opt.format_opt
@opt.wide_opt
@opt.output_opt
@click.option(
    "--map",
    "map_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Also draw a map: PATH.png, .svg or .pdf (no suffix: all three), or PATH.html (interactive, offline).",
)
@opt.scenario_file_opt
@opt.study_opts
@click.option(
    "--objective",
    type=click.Choice(["distance", "time"]),
    default="distance",
    show_default=True,
    help="'time': also find the minimum-time route in the --wind (around the same closed airspace) and show it "
    "beside the shortest route.",
)
@opt.ranges_opts
def route(origin: str, destination: str, scenario: str, fmt: str, wide: bool, output_path: Path | None,
          map_path: Path | None, scenario_file: Path | None, **settings: object) -> None:  # fmt: skip
    """One route ORIGIN -> DESTINATION (IATA/ICAO code or 'lat,lon'): waypoints, distance, time,
    fuel and feasibility against pre-2022 (with --objective time, also the minimum-time route in the wind)."""
    from routes.comparison import compare

    asked = opt.scenarios(scenario, scenario_file)
    if len(asked) != 1:
        raise ScenarioError(
            f"routes route takes one scenario, got {len(asked)} ({scenario!r}); use 'routes compare' for several"
        )
    study = opt.build_study(settings, fmt)
    chosen_scn = asked[0]
    scns = asked if chosen_scn.name == "pre-2022" else [*opt.scenarios("pre-2022", None), chosen_scn]
    origin, destination = origin.strip(), destination.strip()
    with output.err.status(f"routing {origin.upper()} -> {destination.upper()} ..."):
        df, found = compare([origin], [destination], scns, study)
    chosen = df[df["scenario"] == chosen_scn.name]
    the_route, fastest = found[-1], None
    if study.objective == "time" and the_route.feasible:
        from routes.fastest_beside import fastest_beside

        with output.err.status("minimum-time route ..."):
            fastest, columns = fastest_beside(the_route, chosen.iloc[0]["block_time_min"], study)
        chosen = chosen.assign(**columns)
    shown = [the_route] if fastest is None else [the_route, fastest]
    title = f"{origin.upper()} -> {destination.upper()}"
    if fmt == "table":
        _print_route(output.console(wide), (df, chosen), shown, study, f"{title} ({df['wind'].iloc[0]})", wide)
    else:
        output.emit(chosen, shown, fmt, output_path)
    if map_path is not None:
        _write_map(map_path, df, found, fastest, study, f"{origin.upper()} → {destination.upper()}")


def _print_route(
    out: Console, tables: tuple[pd.DataFrame, pd.DataFrame], shown: list[Route], study: Study, title: str, wide: bool
) -> None:
    """``route`` as tables: the comparison (``tables``: both scenarios' rows, and the chosen one's with the
    minimum-time columns), both directions, cost, the minimum-time route and the waypoints (``shown``: the
    route, and the minimum-time route beside it if any)."""
    df, chosen = tables
    output.print_routes(out, df, title, wide)
    output.print_directions(out, df, study.periods, wide)
    output.print_costs(out, df, "cost (USD)", wide)
    if study.ranges:
        out.print()
        sections.print_ranges(out, df, study.range_samples, study.range_seed, wide)
    if len(shown) > 1:
        output.print_fastest(out, chosen.iloc[0], shown[1])
    for r in shown:
        if r.feasible:
            what = "waypoints" if r.objective == "distance" else f"waypoints, minimum time in {r.wind}"
            output.print_waypoints(out, r, what)


def _write_map(
    map_path: Path, df: pd.DataFrame, found: list[Route], fastest: Route | None, study: Study, title: str
) -> None:
    """``route --map``: the interactive map (``.html``) or the static one (``.png``/``.svg``/``.pdf``, or all)."""
    if map_path.suffix.lower() == ".html":
        from routes.presentation.explore import explore

        explore((df, found), study=study).save(str(map_path))
        output.err.print(f"wrote {map_path}")
        return
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from routes.presentation.maps import plot_routes, save_figure

    fig = Figure(figsize=(10, 10))  # its own Agg canvas: no pyplot state, no backend switch
    FigureCanvasAgg(fig)
    drawn = found if fastest is None else [*found, fastest]
    plot_routes(drawn, ax=fig.subplots(), title=title, wind=study.wind if fastest else None)
    fmts = [map_path.suffix.lstrip(".")] if map_path.suffix else ["png", "svg", "pdf"]
    paths = save_figure(fig, map_path.with_suffix(""), formats=fmts)
    output.err.print("wrote " + ", ".join(map(str, paths)))
