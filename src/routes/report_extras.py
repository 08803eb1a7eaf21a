"""The report's feasibility and ranges figures: fleet tables and ranges on the headline deltas, computed.

- `fleet_table`: for each city and scenario with a route, which types of the mission airline's fleet
  (``data/fleets.csv``) fly it non-stop with a full load, which with fewer seats (how many), which need a
  technical stop (where, extra minutes and USD) — `routes.fleet_feasibility`.
- `ranges_table`: for each city and closure scenario, the central extra minutes and USD per flight and per
  year with their 5-95 % interval over the assumptions register's ranges (`routes.sensitivity`), and the
  month-to-month spread of the extra block time in the climatological winds (from the report's own
  direction table); `tornado_bars` the one-at-a-time swings of the costliest route.
"""

from __future__ import annotations

import calendar
import warnings
from collections.abc import Sequence

import pandas as pd

from routes.analysis.performance import Assumptions
from routes.errors import RoutesError, StaleDataWarning
from routes.fleet_feasibility import fleet_on_routes
from routes.result import Route
from routes.sensitivity import Sensitivity, sensitivity

RANGE_METRICS = ("extra_min", "extra_usd", "extra_usd_marginal", "extra_usd_per_year")
"""The deltas the report gives ranges for."""


def fleet_table(routes: Sequence[Route], airline: str, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """One row per city x scenario x type of ``airline``'s fleet (routes without a route left out).

    Columns: ``origin, destination, scenario`` and `routes.fleet_feasibility.COLUMNS`
    (`routes.fleet_feasibility.fleet_on_routes`, still air, on the report's own routes).
    """
    return fleet_on_routes(routes, airline, assumptions)


def ranges_table(
    routes: Sequence[Route],
    baselines: dict[tuple[str, str], Route],
    aircraft: str,
    block_times: pd.DataFrame,
    assumptions: Assumptions | None = None,
    samples: int = 2000,
) -> tuple[pd.DataFrame, dict[tuple[str, str, str], Sensitivity]]:
    """Central deltas with their interval, and the monthly spread, for each closure route (see the module).

    Returns the table and the `Sensitivity` of each (origin, destination, scenario).
    """
    rows, found = [], {}
    for r in routes:
        if not r.feasible or r.scenario.is_open_sky:
            continue
        key = (r.origin.code, r.destination.code)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StaleDataWarning)
            try:
                s = sensitivity(r, baselines[key], aircraft, assumptions, samples=samples)
            except RoutesError as exc:  # e.g. a type out of range: the row says so
                rows.append({"origin": key[0], "destination": key[1], "scenario": r.scenario.name, "note": str(exc)})
                continue
        found[(*key, r.scenario.name)] = s
        row = {"origin": key[0], "destination": key[1], "scenario": r.scenario.name, "aircraft": aircraft}
        for m in RANGE_METRICS:
            row[m] = s.central[m]
            row[f"{m}_low"], row[f"{m}_high"] = s.interval[m]
        row.update(_monthly_spread(block_times, r, aircraft))
        rows.append(row)
    return pd.DataFrame(rows), found


def _monthly_spread(block_times: pd.DataFrame, r: Route, aircraft: str) -> dict[str, float]:
    """Lowest and highest extra minutes over pre-2022 across the 12 months, both directions."""
    if block_times.empty or "extra_min" not in block_times:
        return {}
    bt = block_times
    mask = (
        (bt["origin"] == r.origin.code)
        & (bt["destination"] == r.destination.code)
        & (bt["scenario"] == r.scenario.name)
        & (bt["aircraft"] == aircraft)
        & bt["period"].isin(list(calendar.month_name[1:]))
    )
    extra = bt.loc[mask, "extra_min"].dropna()
    if extra.empty:
        return {}
    return {"monthly_extra_min_low": float(extra.min()), "monthly_extra_min_high": float(extra.max())}


def tornado_bars(found: dict[tuple[str, str, str], Sensitivity], metric: str = "extra_usd") -> tuple[str, list]:
    """The one-at-a-time swings of ``metric`` for the route whose central value is largest: a label and
    ``(input, value at its low, value at its high)`` by decreasing swing, with the central value first."""
    if not found:
        return "", []
    key, s = max(found.items(), key=lambda kv: kv[1].central[metric])
    return f"{key[0]}-{key[1]}, {key[2]}", [("central", s.central[metric], s.central[metric]), *s.tornado(metric)]
