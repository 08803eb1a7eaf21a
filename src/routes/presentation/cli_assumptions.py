"""The ``assumptions`` and ``ranges`` commands of the ``routes`` command line.

``routes assumptions`` prints the register of assumptions (`routes.inputs.register`): every default the
models use, its unit, plausible range and source (or why it is a convention). ``routes ranges`` prints the
headline deltas of one route against pre-2022 with their 5-95 % interval and the one-at-a-time swings
(`routes.sensitivity`). Presentation only; `register` adds both commands to the click group.
"""

from __future__ import annotations

import json
import warnings

import click
from rich.console import Console
from rich.table import Table

WIDTH = 100
"""Tables fit in 100 columns."""


def _value(v: object) -> str:
    return v if isinstance(v, str) else f"{v:g}"


@click.command("assumptions")
@click.option("--wide", is_flag=True, help="Every column, sources in full.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def assumptions_cmd(wide: bool, fmt: str) -> None:
    """The register of assumptions: every default, its range and its source (data/assumptions.toml)."""
    from routes.inputs.register import assumption_register

    reg = assumption_register()
    if fmt == "json":
        out = {
            e.name: {
                "value": e.value, "unit": e.unit, "low": e.low, "high": e.high, "vary": e.vary, "basis": e.basis,
                "sources": [s.cite() for s in e.sources], "convention": e.convention, "range_note": e.range_note,
                "used_by": list(e.used_by),
            }
            for e in reg.values()
        }  # fmt: skip
        click.echo(json.dumps({"as_of": reg.as_of, "assumptions": out}, indent=1))
        return
    console = Console(width=None if wide else WIDTH)
    table = Table(title=f"Assumptions register (as of {reg.as_of}): {len(reg)} entries", title_justify="left")
    for col in ("name", "value", "range", "basis"):
        table.add_column(col, justify="right" if col in ("value", "range") else "left", overflow="fold")
    if wide:
        table.add_column("unit", overflow="fold")
        table.add_column("source or convention", overflow="fold")
    for e in reg.values():
        rng = "" if e.low is None else f"{e.low:g}-{e.high:g}"
        row = [e.name, _value(e.value), rng, e.basis]
        if wide:
            row += [e.unit, "; ".join(s.cite() for s in e.sources) or e.convention]
        table.add_row(*row)
    console.print(table)
    if not wide:
        console.print("Units, sources and conventions: --wide, or --format json (data/assumptions.toml).")


@click.command("ranges")
@click.argument("origin")
@click.argument("destination")
@click.option("--scenario", "-s", default="europe-canada-closed", show_default=True, help="Scenario name.")
@click.option("--aircraft", "-a", default="B77W", show_default=True, help="ICAO aircraft type.")
@click.option("--samples", default=2000, show_default=True, help="Draws of the combined interval.")
@click.option("--seed", default=0, show_default=True, help="Random seed of the combined interval.")
def ranges_cmd(origin: str, destination: str, scenario: str, aircraft: str, samples: int, seed: int) -> None:
    """Extra minutes, fuel, CO2 and USD of ORIGIN-DESTINATION against pre-2022, with ranges and what moves them."""
    from routes.errors import InfeasibleRouteError, StaleDataWarning
    from routes.routing import geodesic_route, route
    from routes.sensitivity import sensitivity

    r = route(origin, destination, scenario)
    if not r.feasible:
        raise InfeasibleRouteError(f"no route {origin}-{destination} in {scenario}: {r.reason}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        s = sensitivity(r, geodesic_route(origin, destination), aircraft, samples=samples, seed=seed)
    console = Console(width=WIDTH)
    table = Table(title=f"{r.origin.code}-{r.destination.code} {scenario} {aircraft}: extra against pre-2022",
                  title_justify="left")  # fmt: skip
    for col in ("figure", "central", "5 %", "95 %"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    figures = (("extra_min", "+,.1f"), ("extra_fuel_kg", "+,.0f"), ("extra_co2_kg", "+,.0f"), ("extra_usd", "+,.0f"),
               ("extra_usd_marginal", "+,.0f"), ("extra_usd_per_year", "+,.0f"))  # fmt: skip
    for m, fmt in figures:
        lo, hi = s.interval[m]
        table.add_row(m, format(s.central[m], fmt), format(lo, fmt), format(hi, fmt))
    console.print(table)
    swings = Table(title="What moves the extra cost per flight (USD, fully allocated), one input at a time",
                   title_justify="left")  # fmt: skip
    for col in ("input", "low", "high", "at low", "at high"):
        swings.add_column(col, justify="left" if col == "input" else "right")
    for sw in sorted(s.swings, key=lambda x: -x.span("extra_usd")):
        if sw.span("extra_usd") > 0:
            swings.add_row(sw.name, f"{sw.low_input:g}", f"{sw.high_input:g}", f"{sw.low['extra_usd']:+,.0f}",
                           f"{sw.high['extra_usd']:+,.0f}")  # fmt: skip
    console.print(swings)
    console.print(f"Interval: {s.samples} seeded draws (seed {s.seed}) across the register's ranges.")


def register(app: click.Group) -> None:
    """Add ``assumptions`` and ``ranges`` to the ``routes`` click group."""
    for command in (assumptions_cmd, ranges_cmd):
        app.add_command(command)
