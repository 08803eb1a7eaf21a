"""``routes compare``: one origin to several destinations, under several scenarios and aircraft."""

from __future__ import annotations

from pathlib import Path

import click

from routes.cli import options as opt
from routes.cli import output, sections


@click.command(cls=opt.Command)
@click.argument("origin")
@click.argument("destinations", nargs=-1, required=True)
@opt.scenarios_opt
@opt.aircraft_opt
@opt.format_opt
@opt.wide_opt
@opt.output_opt
@opt.scenario_file_opt
@opt.fleet_opt
@opt.study_opts
@opt.ranges_opts
def compare(origin: str, destinations: tuple[str, ...], scenarios: str, fmt: str, wide: bool,
            output_path: Path | None, scenario_file: Path | None, fleet: str | None,
            **settings: object) -> None:  # fmt: skip
    """Compare ORIGIN -> each of DESTINATIONS x scenarios x aircraft (--ranges: with the range of each extra
    figure; --fleet: which types of an airline's fleet fly each route)."""
    from routes.comparison import compare as run

    opt.check_fleet_format(fleet, fmt, output_path)
    study = opt.build_study(settings, fmt).with_(airline=fleet)
    where = opt.scenarios(scenarios, scenario_file)
    found = run([origin], list(destinations), where, study, output.progress("routing"))
    df = found.table
    if fmt != "table":
        output.emit(df, found.routes, fmt, output_path, found.fleet if fleet else None)
        return
    out = output.console(wide)
    title = f"{origin.upper()} -> {', '.join(d.upper() for d in destinations)} ({df['wind'].iloc[0]})"
    output.print_routes(out, df, title, wide)
    output.print_costs(out, df, f"{title}: cost (USD)", wide)
    output.print_directions(out, df, study.periods, wide)
    if study.ranges:
        sections.print_ranges(out, df, study.range_samples, study.range_seed, wide)
    if fleet:
        sections.print_fleet(out, found.fleet, study.wind_label)
