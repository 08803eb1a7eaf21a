"""``routes scenarios`` and ``routes airports``: what the package knows."""

from __future__ import annotations

from pathlib import Path

import click
from rich import box
from rich.table import Table

from routes.cli import options as opt
from routes.cli import output
from routes.errors import RoutesError
from routes.inputs.airports import search_airports
from routes.inputs.scenarios import builtin_scenarios, load_scenarios


@click.command("scenarios", cls=opt.Command)
@opt.scenario_file_opt
@opt.wide_opt
def list_scenarios(scenario_file: Path | None, wide: bool) -> None:
    """List the closure scenarios (their descriptions below the table; --wide: in it)."""
    known = dict(builtin_scenarios())
    if scenario_file is not None:
        known.update(load_scenarios(scenario_file))
    out = output.console(wide)
    table = Table(title="scenarios", box=box.SIMPLE_HEAD, title_justify="left")
    for c in ("name", "as of", "effective", "closed", *(["description"] if wide else [])):
        table.add_column(c, overflow="fold")
    for name, scn in known.items():
        polys = f" + {len(scn.closed_polygons)} polygons" if scn.closed_polygons else ""
        unclear = f" ({len(scn.unclear)} unclear)" if scn.unclear else ""
        closed = f"{len(scn.closed_states)} states{unclear}{polys}"
        table.add_row(name, scn.as_of or "-", scn.effective, closed, *([scn.description] if wide else []))
    out.print(table)
    if not wide:
        for name, scn in known.items():
            out.print(f"[bold]{name}[/bold]: {scn.description}", highlight=False)


@click.command(cls=opt.Command)
@click.argument("query")
@click.option("--limit", default=10, show_default=True, help="How many.")
@opt.wide_opt
def airports(query: str, limit: int, wide: bool) -> None:
    """Find airports by code, name or city (QUERY)."""
    hits = search_airports(query, limit)
    if not hits:
        raise RoutesError(f"no airport matches {query!r}")
    table = Table(box=box.SIMPLE_HEAD)
    for c in ("IATA", "ICAO", "name", "city", "country", "lat", "lon"):
        table.add_column(c, overflow="fold", justify="right" if c in ("lat", "lon") else "left")
    for a in hits:
        table.add_row(a.iata, a.icao, a.name, a.city, a.country, f"{a.lat:.4f}", f"{a.lon:.4f}")
    output.console(wide).print(table)
