"""``routes report``: the scenario report folder, and its tables in the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from routes.cli import options as opt
from routes.cli import output
from routes.mission import MISSION_DESTINATIONS, MISSION_ORIGINS


@click.command(cls=opt.Command)
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("reports/mission"), show_default=True, help="Report folder."
)
@click.option("--origins", default=",".join(MISSION_ORIGINS), show_default=True, help="Comma-separated origins.")
@click.option(
    "--destinations", default=",".join(MISSION_DESTINATIONS), show_default=True, help="Comma-separated destinations."
)
@opt.scenarios_opt
@opt.aircraft_opt
@opt.wide_opt
@opt.scenario_file_opt
@opt.study_opts
def report(out: Path, origins: str, destinations: str, scenarios: str, wide: bool, scenario_file: Path | None,
           **settings: object) -> None:  # fmt: skip
    """The main job: write the scenario report folder (README.md, index.html, CSV, GeoJSON, maps)
    and print its table. Default: SVO -> LAX, SFO, SEA, PDX under the four built-in scenarios."""
    from routes.presentation.report import write_report

    # write_report renders an empty selection as a report that says why; on the command line it is a usage error
    for label, given in (("origins", origins), ("destinations", destinations), ("aircraft", settings["aircraft"])):
        if not opt.codes(given):
            raise click.UsageError(f"{label}: nothing given; name at least one")
    study = opt.build_study(settings)
    scns = opt.scenarios(scenarios, scenario_file)
    folder, df = write_report(out, opt.codes(origins), opt.codes(destinations), scns, study, output.progress("report"))
    screen = output.console(wide)
    output.print_routes(screen, df, f"Route report ({df['wind'].iloc[0]}) - written to {folder}/", wide)
    output.print_directions(screen, df, study.periods, wide)
    title = f"Cost per flight and per year ({study.flights_per_week:g} flights a week each way)"
    output.print_costs(screen, df, title, wide)
    output.err.print(f"report: {folder / 'index.html'} and {folder / 'README.md'}")
