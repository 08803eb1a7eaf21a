"""Block times by direction and season: each route flown both ways in still air and in the
climatological winds of each period, against the pre-2022 geodesic flown the same way in the
same wind.

Westbound and eastbound are different flights (jet-stream headwind or tailwind), and a closure
moves a route into other wind regimes, so what a closure costs in minutes depends on the month
and the direction. This stage takes the routes of `routes.comparison.route_table` and adds times
only (no fuel): `routes.analysis.performance.block_times_min`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import replace

import pandas as pd

from routes.analysis.climatology import climatology
from routes.analysis.performance import Assumptions, block_times_min, get_aircraft
from routes.inputs.winds import period_label, period_months
from routes.mission import MISSION_PERIODS
from routes.result import Route, make_legs
from routes.routing import geodesic_route

DEFAULT_PERIODS: tuple[int | str, ...] = MISSION_PERIODS
"""Months shown beside still air by default: January (strongest jet) and July (weakest)."""
ALL_MONTHS: tuple[int, ...] = tuple(range(1, 13))
STILL_AIR = "still air"


def period_key(period: int | str) -> str:
    """Short column key of a period: ``jan``, ``djf``, ``annual``."""
    months = period_months(period)
    if len(months) == 1:
        return calendar.month_abbr[months[0]].lower()
    return "annual" if len(months) == 12 else period_label(period).split()[0].lower()


def reverse_route(route: Route) -> Route:
    """The return flight: the same track flown from the destination back to the origin.

    The shortest path around closed airspace is the same both ways (WGS84 geodesic legs are
    symmetric), so no new search is needed; turn points are renumbered T1, T2, ... in the new
    order.
    """
    if not route.feasible:
        return replace(route, origin=route.destination, destination=route.origin)
    wps = route.waypoints[::-1]
    inner = tuple(replace(w, name=f"T{i}") if w.name.startswith("T") else w for i, w in enumerate(wps[1:-1], 1))
    wps = (wps[0], *inner, wps[-1])
    return replace(route, origin=route.destination, destination=route.origin, waypoints=wps, legs=make_legs(wps))


def direction_table(
    routes: Sequence[Route],
    periods: Iterable[int | str] = ALL_MONTHS,
    aircraft: Iterable[str] = ("B77W",),
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """Block time of every route in both directions, in still air and in each period's winds.

    Parameters
    ----------
    routes : sequence of Route
        Outbound routes (e.g. from `routes.comparison.route_table`); infeasible ones are skipped.
        The return flight flies the same track back (`reverse_route`).
    periods : iterable of int or str
        Climatology periods (`routes.analysis.climatology.climatology`): months 1-12, seasons, ``"annual"``.
    aircraft : iterable of str
        ICAO types.

    Returns
    -------
    pandas.DataFrame
        One row per route x direction x aircraft x wind (still air first, then the periods):
        ``origin, destination, scenario, aircraft, direction`` (``outbound``/``return``),
        ``from, to, period`` (``still air``, ``January`` ...), ``wind`` (the wind's full label),
        ``block_time_min``, ``extra_min`` (over the pre-2022 geodesic flown the same way in the
        same wind), ``wind_effect_min`` (this wind minus still air, same route and direction),
        ``geodesic_block_time_min``.

    Raises
    ------
    ClimatologyPeriodError
        A period that does not exist.
    """
    # long mostly by its docstring (every column is documented); the body is under 50 lines
    plist = list(periods)
    winds = [None, *(climatology(p) for p in plist)]
    labels = [STILL_AIR, *(period_label(p) for p in plist)]
    types = [get_aircraft(a) for a in aircraft]
    rows = []
    geodesic_times: dict[tuple[str, str, str], list[float]] = {}
    for route in routes:
        if not route.feasible:
            continue
        for direction, flown in (("outbound", route), ("return", reverse_route(route))):
            o, d = flown.origin, flown.destination
            for ac in types:
                key = (o.code, d.code, ac.code)
                if key not in geodesic_times:
                    geodesic_times[key] = block_times_min(geodesic_route(o, d), winds, ac, assumptions)
                times = block_times_min(flown, winds, ac, assumptions)
                for label, wind, t, base in zip(labels, winds, times, geodesic_times[key], strict=True):
                    rows.append(
                        {
                            "origin": route.origin.code,
                            "destination": route.destination.code,
                            "scenario": route.scenario.name,
                            "aircraft": ac.code,
                            "direction": direction,
                            "from": o.code,
                            "to": d.code,
                            "period": label,
                            "wind": STILL_AIR if wind is None else wind.label,
                            "block_time_min": round(t, 1),
                            "extra_min": round(t - base, 1),
                            "wind_effect_min": round(t - times[0], 1),
                            "geodesic_block_time_min": round(base, 1),
                        }
                    )
    cols = [
        "origin", "destination", "scenario", "aircraft", "direction", "from", "to", "period", "wind",
        "block_time_min", "extra_min", "wind_effect_min", "geodesic_block_time_min",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def wide_columns(table: pd.DataFrame, periods: Iterable[int | str] = DEFAULT_PERIODS) -> pd.DataFrame:
    """The `direction_table` as columns per route x aircraft, for the comparison table.

    Columns: the keys ``origin, destination, scenario, aircraft``, then (``mon`` = ``jan``, ``jul`` ..., per
    period) ``return_block_time_min``, ``return_extra_min`` (still air, return flight),
    ``block_time_<mon>_min``, ``extra_<mon>_min``, ``return_block_time_<mon>_min``, ``return_extra_<mon>_min``;
    one row per route x aircraft of ``table``.
    """
    keys = ["origin", "destination", "scenario", "aircraft"]
    names = {STILL_AIR: ""} | {period_label(p): f"_{period_key(p)}" for p in periods}
    rows: dict[tuple, dict[str, object]] = {}  # plain records: a MultiIndex costs ~40 ms on first use
    for rec in table.to_dict("records"):
        period, direction = rec["period"], rec["direction"]
        if period not in names or (direction == "outbound" and period == STILL_AIR):
            continue  # outbound still air: the comparison's own block_time_min / extra_min
        prefix = "return_" if direction == "return" else ""
        row = rows.setdefault(tuple(rec[k] for k in keys), dict(zip(keys, (rec[k] for k in keys), strict=True)))
        row[f"{prefix}block_time{names[period]}_min"] = rec["block_time_min"]
        row[f"{prefix}extra{names[period]}_min"] = rec["extra_min"]
    return pd.DataFrame(list(rows.values()), columns=keys + wide_column_names(periods))


def wide_column_names(periods: Iterable[int | str] = DEFAULT_PERIODS) -> list[str]:
    """Names of the `wide_columns`, in order."""
    cols = ["return_block_time_min", "return_extra_min"]
    for p in periods:
        k = period_key(p)
        cols += [f"block_time_{k}_min", f"extra_{k}_min", f"return_block_time_{k}_min", f"return_extra_{k}_min"]
    return cols
