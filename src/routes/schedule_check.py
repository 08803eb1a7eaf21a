"""The model's block times against published schedules, in both directions.

For each published flight (`routes.inputs.schedules`): the shortest route of the airspace regime it
flew (``pre-2022``; ``russia-closed`` = pre-2022 with Russia closed), its block time in still air
and in the packaged climatological 200 hPa wind of the schedule's month (the annual mean when the
month is unknown), with the published taxi times of its airports where a statistic exists
(`routes.inputs.taxi`) and the register's defaults elsewhere; the residual (schedule minus model)
and whether it is within `TOLERANCE` of the schedule. A residual beyond that is *attributed* when it lies
within the budget of the named effects the model leaves out that apply to the flight
(`routes.inputs.schedules.schedule_effects`: schedule buffer, route extension, arrival sequencing,
de-icing, each sourced), and listed as unexplained otherwise. `asymmetry` sets the westbound minus eastbound
difference of each published pair beside the model's.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from routes.analysis.climatology import climatology
from routes.analysis.performance import Assumptions, block_times_min
from routes.inputs.register import default
from routes.inputs.scenarios import Scenario, get_scenario
from routes.inputs.schedules import PublishedFlight, published_flights, schedule_effects
from routes.inputs.taxi import taxi_times
from routes.routing import route

TOLERANCE = 0.05
"""A row agrees when the residual is within this share of the published block time."""


def _scenario(name: str) -> Scenario:
    if name == "russia-closed":
        return get_scenario("pre-2022").with_closed("RUS", name="russia-closed")
    return get_scenario(name)


def direction(origin_lon: float, destination_lon: float) -> str:
    """``"west"`` or ``"east"``: the sign of the shorter longitude change from origin to destination."""
    d = (destination_lon - origin_lon + 180.0) % 360.0 - 180.0
    return "west" if d < 0 else "east"


def check_flight(f: PublishedFlight, airport_taxi: bool = True) -> dict[str, object]:
    """One row of the validation table (see the module docstring)."""
    r = route(f.origin, f.destination, _scenario(f.scenario))
    taxi_out, taxi_in = taxi_times(f.origin, f.destination) if airport_taxi else (
        default("taxi_out_min"), default("taxi_in_min"))  # fmt: skip
    a = Assumptions(taxi_out_min=taxi_out, taxi_in_min=taxi_in)
    wind = climatology(f.month if f.month else "annual")
    still, in_wind = block_times_min(r, [None, wind], f.aircraft, a)
    residual = f.scheduled_block_min - in_wind
    way = direction(r.origin.lon, r.destination.lon)
    within = abs(residual) <= TOLERANCE * f.scheduled_block_min
    effects = [e for e in schedule_effects() if e.applies(f.origin, f.month, way)]
    budget = [e.budget_min(in_wind - taxi_out - taxi_in) for e in effects]
    low, high = sum(b[0] for b in budget), sum(b[1] for b in budget)
    return {
        "flight": f.label,
        "from": f.origin,
        "to": f.destination,
        "direction": way,
        "aircraft": f.aircraft,
        "scenario": f.scenario,
        "schedule_date": f.schedule_date,
        "wind": wind.label.split(", ")[-1],
        "scheduled_min": f.scheduled_block_min,
        "model_still_air_min": round(still, 1),
        "model_min": round(in_wind, 1),
        "taxi_out_min": taxi_out,
        "taxi_in_min": taxi_in,
        "residual_min": round(residual, 1),
        "residual_pct": round(100.0 * residual / f.scheduled_block_min, 1),
        "within_tolerance": within,
        "effects": " + ".join(e.name for e in effects),
        "effects_low_min": round(low, 1),
        "effects_high_min": round(high, 1),
        "verdict": "within 5 %" if within else ("attributed" if low <= residual <= high else "unexplained"),
        "distance_km": round(r.distance_km, 1),
        "source": f.source,
        "source_url": f.source_url,
    }


def check_schedules(flights: Iterable[PublishedFlight] | None = None, airport_taxi: bool = True) -> pd.DataFrame:
    """The validation table: one row per published flight (default: every packaged one).

    Examples
    --------
    >>> t = check_schedules()
    >>> sorted(set(t["direction"]))
    ['east', 'west']
    >>> row = t[t["flight"] == "Aeroflot SU101 JFK-SVO"].iloc[0]
    >>> float(row["scheduled_min"]), float(row["taxi_out_min"]), float(row["taxi_in_min"]), row["direction"]
    (530.0, 37.1, 6.5, 'east')
    """
    rows = [check_flight(f, airport_taxi) for f in (published_flights() if flights is None else flights)]
    return pd.DataFrame(rows)


def asymmetry(table: pd.DataFrame) -> pd.DataFrame:
    """Westbound minus eastbound block time of each published pair (same airline and airports), beside the model's.

    Pairs are the westbound and eastbound rows, in order, of an airline between the same two airports
    in the same airspace regime and the same month of schedule (year and month of its date).
    """
    out = []
    table = table.assign(
        airline=table["flight"].str.split().str[0],
        pair=table.apply(_pair_key, axis=1),
        season=table["schedule_date"].str.extract(r"(\d{4}-\d{2})", expand=False).fillna("undated"),
    )
    for (airline, pair, scenario, _), group in table.groupby(["airline", "pair", "scenario", "season"], sort=False):
        west, east = group[group["direction"] == "west"], group[group["direction"] == "east"]
        for (_, w), (_, e) in zip(west.iterrows(), east.iterrows(), strict=False):
            out.append(_pair_row(airline, pair, scenario, w, e))
    return pd.DataFrame(out)


def _pair_row(airline: str, pair: str, scenario: str, w: pd.Series, e: pd.Series) -> dict[str, object]:
    published = w["scheduled_min"] - e["scheduled_min"]
    modelled = w["model_min"] - e["model_min"]
    return {
        "airline": airline,
        "airports": pair,
        "scenario": scenario,
        "westbound": w["flight"],
        "eastbound": e["flight"],
        "published_west_minus_east_min": published,
        "model_west_minus_east_min": round(modelled, 1),
        "difference_min": round(published - modelled, 1),
        "winds": f"{w['wind']} / {e['wind']}",
    }


def _pair_key(row: pd.Series) -> str:
    return "-".join(sorted((row["from"], row["to"])))
