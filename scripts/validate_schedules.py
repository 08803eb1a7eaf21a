"""Model block times against published schedules (``data/validation/schedules.csv``).

Usage::

    python scripts/validate_schedules.py

For each scheduled flight: the model's block time on the shortest route of its scenario
(``russia-closed`` = pre-2022 plus Russia closed) in still air, in the climatological 200 hPa
winds of the schedule's month (annual mean when the month is unknown), and the gap left.
Prints a Markdown table for the README.
"""

from __future__ import annotations

import csv
from pathlib import Path

from routes.analysis.climatology import climatology
from routes.analysis.performance import block_times_min
from routes.inputs.scenarios import get_scenario
from routes.routing import route as find_route

DATA = Path(__file__).resolve().parents[1] / "data" / "validation" / "schedules.csv"


def hm(minutes: float) -> str:
    sign = "-" if minutes < 0 else ""
    m = abs(round(minutes))
    return f"{sign}{m // 60} h {m % 60:02d}"


def main() -> None:
    scenarios = {"pre-2022": get_scenario("pre-2022")}
    scenarios["russia-closed"] = scenarios["pre-2022"].with_closed("RUS", name="russia-closed")
    head = "flight | aircraft | airspace | schedule | model still air | in winds (period) | gap left | km | max lat"
    print(f"| {head} |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in csv.DictReader(DATA.open()):
        route = find_route(row["from"], row["to"], scenarios[row["scenario"]])
        period = int(row["months"]) if row["months"] else "annual"
        still, wind = block_times_min(route, [None, climatology(period)], row["aircraft"])
        sched = float(row["scheduled_block_min"])
        label = climatology(period).label.split(", ")[-1]
        name = f"{row['airline']} {row['flight']} {row['from']}-{row['to']}".replace("  ", " ")
        print(
            f"| {name} | {row['aircraft']} | {row['scenario']} | {hm(sched)} | {hm(still)} | {hm(wind)} ({label}) "
            f"| {hm(sched - wind)} ({100 * (sched - wind) / sched:.0f} %) | {route.distance_km:,.0f} "
            f"| {route.max_latitude:.0f} |"
        )


if __name__ == "__main__":
    main()
