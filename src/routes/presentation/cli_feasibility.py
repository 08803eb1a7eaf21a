"""The feasibility commands of the ``routes`` command line: ``itinerary``, ``payload`` and ``stops``.

Presentation only: every figure comes from `routes.itineraries`, `routes.stops` and
`routes.analysis.payload`. `register` adds the commands to the click group. Errors propagate as
`RoutesError` and the entry point turns them into one line with exit code 2.
"""

from __future__ import annotations

import calendar
import math

import click
from rich.console import Console
from rich.table import Table

WIDTH = 100
"""Tables fit in 100 columns."""


def _console() -> Console:
    return Console(width=WIDTH)


def _num(value: float, fmt: str = ",.0f") -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, fmt)


def _itinerary_table(it) -> Table:
    table = Table(title=f"{'-'.join(it.codes)}  {it.aircraft}  {it.scenario.name}", title_justify="left")
    for col in ("leg", "km", "block min", "fuel kg", "max payload kg", "limit", "ETOPS"):
        table.add_column(col, justify="left" if col in ("leg", "limit", "ETOPS") else "right")
    for leg in it.legs:
        name = f"{leg.route.origin.code}-{leg.route.destination.code}"
        if leg.estimate is None:
            table.add_row(name, "-", "-", "-", "-", (leg.route.reason or "no route")[:30], "-")
            continue
        mp = leg.max_payload
        table.add_row(
            name,
            _num(leg.route.distance_km),
            _num(leg.estimate.block_time_min),
            _num(leg.estimate.block_fuel_kg),
            _num(mp.payload_kg),
            mp.limit if mp.within_range else "out of range",
            leg.diversion.etops_label,
        )
    return table


def _print_itinerary(console: Console, it) -> None:
    console.print(_itinerary_table(it))
    grounds = ", ".join(f"{s.code} {g:.0f} min" for s, g in zip(it.stops, it.ground_times_min, strict=True))
    verdict = "feasible" if it.feasible else f"NOT feasible at a payload of {it.payload_kg:,.0f} kg"
    console.print(f"payload {it.payload_kg:,.0f} kg: {verdict}")
    if grounds:
        console.print(f"ground time: {grounds}")
    console.print(
        f"trip: {_num(it.distance_km)} km, {_num(it.block_time_min)} min, fuel {_num(it.block_fuel_kg)} kg, "
        f"CO2 {_num(it.co2_kg / 1000.0, ',.1f')} t, cost USD {_num(it.cost_usd)}"
    )
    for flag in it.flags:
        console.print(f"note: {flag}")


@click.command("itinerary")
@click.argument("airports", nargs=-1, required=True)
@click.option("--scenario", "-s", default="pre-2022", show_default=True, help="Closure scenario.")
@click.option("--aircraft", "-a", default="B77W", show_default=True, help="ICAO type (OpenAP or data/aircraft).")
@click.option("--operator", default=None, help="Airline designator (AFL, SU): its bans are closed too.")
@click.option("--ground-min", type=float, default=None, help="Ground time at each stop (default: sourced 90).")
@click.option("--payload-kg", type=float, default=None, help="Payload on every leg (default: 80 % load).")
def itinerary_cmd(
    airports: tuple[str, ...],
    scenario: str,
    aircraft: str,
    operator: str | None,
    ground_min: float | None,
    payload_kg: float | None,
) -> None:
    """A trip through AIRPORTS (origin, stops, destination): every leg routed around the closures."""
    from routes.itineraries import itinerary

    it = itinerary(list(airports), scenario, aircraft, operator, ground_time_min=ground_min, payload_kg=payload_kg)
    _print_itinerary(_console(), it)


@click.command("payload")
@click.argument("origin")
@click.argument("destination")
@click.option("--scenario", "-s", "scenarios", multiple=True, help="Scenario (repeatable); default pre-2022.")
@click.option("--aircraft", "-a", default="B77W", show_default=True, help="ICAO type.")
@click.option("--month", type=click.IntRange(1, 12), default=None, help="Climatological wind of a month.")
@click.option(
    "--by-month",
    is_flag=True,
    help="Every month's climatological wind, both ways: the payload in tonnes and the seats each scenario loses "
    "against pre-2022 flown the same way in the same month.",
)
def payload_cmd(
    origin: str, destination: str, scenarios: tuple[str, ...], aircraft: str, month: int | None, by_month: bool
) -> None:
    """The most payload AIRCRAFT carries ORIGIN-DESTINATION under each scenario, both ways, and the limit."""
    if by_month:
        if month is not None:
            raise click.UsageError("--month and --by-month exclude each other: --by-month shows all 12 months")
        _payload_by_month(origin, destination, scenarios, aircraft)
        return
    from routes.analysis.climatology import climatology
    from routes.analysis.cost import reversed_route
    from routes.analysis.payload import max_payload
    from routes.routing import geodesic_route, route

    wind = climatology(month) if month else None
    names = ("pre-2022", *[s for s in scenarios if s != "pre-2022"])
    table = Table(title=f"max payload {origin}-{destination} {aircraft} ({wind.label if wind else 'still air'})")
    for col in ("scenario", "dir", "km", "payload kg", "seats", "limit", "lost kg"):
        table.add_column(col, justify="left" if col in ("scenario", "dir", "limit") else "right")
    base: dict[str, float] = {}
    for name in names:
        out = geodesic_route(origin, destination) if name == "pre-2022" else route(origin, destination, name)
        if not out.feasible:
            table.add_row(name[:24], "both", "-", "-", "-", (out.reason or "")[:26], "-")
            continue
        for direction, r in (("out", out), ("back", reversed_route(out))):
            m = max_payload(r, aircraft, wind=wind)
            base.setdefault(direction, m.payload_kg)
            limit = m.limit if m.within_range else "out of range"
            lost = base[direction] - m.payload_kg
            table.add_row(
                name[:24], direction, _num(r.distance_km), _num(m.payload_kg), str(m.seats), limit, _num(lost)
            )
    _console().print(table)


def _payload_by_month(origin: str, destination: str, scenarios: tuple[str, ...], aircraft: str) -> None:
    """``routes payload --by-month``: one row per month, one column per scenario and direction."""
    from routes.fleet_feasibility import payload_loss

    names = [s for s in scenarios if s != "pre-2022"]
    df = payload_loss(origin, destination, names, aircraft)
    labels = list(dict.fromkeys(df["scenario"]))
    table = Table(
        title=f"max payload {origin.upper()}-{destination.upper()} {aircraft.upper()} by month, t "
        "(seats lost against pre-2022 the same way and month)",
        title_justify="left",
    )
    table.add_column("month", justify="left")
    ways = (("outbound", "out"), ("inbound", "back"))
    for label in labels:
        for _, short in ways:
            table.add_column(f"{label}\n{short}", justify="right", overflow="fold")
    cells = {(r.scenario, r.direction, r.month): r for r in df.itertuples()}
    for month in sorted(df["month"].unique()):
        row = [calendar.month_abbr[int(month)]]
        for label in labels:
            for way, _ in ways:
                r = cells[(label, way, month)]
                lost = f" ({-int(r.loss_seats):+d})".replace("+0", "0") if label != "pre-2022" else ""
                row.append(f"{r.payload_kg / 1000:,.1f}{lost}" if r.within_range else "out of range")
        table.add_row(*row)
    out = _console()
    out.print(table)
    for name, reason in df.attrs.get("no_route", {}).items():
        out.print(f"{name}: no route ({reason})", style="dim")


@click.command("stops")
@click.argument("origin")
@click.argument("destination")
@click.option("--scenario", "-s", default="pre-2022", show_default=True, help="Closure scenario.")
@click.option("--aircraft", "-a", default="B77W", show_default=True, help="ICAO type.")
@click.option("--operator", default=None, help="Airline designator: its bans are closed too.")
@click.option("--payload-kg", type=float, default=None, help="Payload to carry (default: 80 % load).")
@click.option("--always", is_flag=True, help="Suggest stops even when the non-stop flight works.")
@click.option("--by-cost", is_flag=True, help="Rank by trip cost instead of trip time.")
def stops_cmd(
    origin: str,
    destination: str,
    scenario: str,
    aircraft: str,
    operator: str | None,
    payload_kg: float | None,
    always: bool,
    by_cost: bool,
) -> None:
    """Where AIRCRAFT would stop between ORIGIN and DESTINATION when the non-stop cannot carry the payload."""
    from routes.stops import StopSearch, suggest_stops

    search = StopSearch(objective="cost" if by_cost else "time", always=always)
    s = suggest_stops(origin, destination, scenario, aircraft, operator=operator, payload_kg=payload_kg, search=search)
    console = _console()
    console.print(s.reason)
    table = Table(title=f"stops {origin}-{destination} {aircraft} {s.nonstop.scenario.name}", title_justify="left")
    for col in ("via", "km", "trip min", "+min", "cost USD", "+USD", "payload kg"):
        table.add_column(col, justify="left" if col == "via" else "right")
    ns = s.nonstop
    table.add_row("non-stop", _num(ns.distance_km), _num(ns.block_time_min), "0", _num(ns.cost_usd), "0", "-")
    for o in s.options:
        it = o.itinerary
        table.add_row(
            "-".join(o.stops),
            _num(it.distance_km),
            _num(it.block_time_min),
            _num(o.extra_min, "+,.0f"),
            _num(it.cost_usd),
            _num(o.extra_usd, "+,.0f"),
            _num(it.max_payload_kg),
        )
    console.print(table)
    console.print(f"{s.candidates} candidate(s), {s.routed} routed, {s.seconds:.1f} s")


def register(app: click.Group) -> None:
    """Add the feasibility commands (``itinerary``, ``payload``, ``stops``) to the ``routes`` click group."""
    for command in (itinerary_cmd, payload_cmd, stops_cmd):
        app.add_command(command)
