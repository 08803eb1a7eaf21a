"""Everything the scenario report shows, computed: the comparison, block times, baselines and alternates.

`routes.presentation.report` draws and writes these; it computes nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from routes import validation
from routes.analysis.diversion import diversion
from routes.analysis.performance import Assumptions
from routes.analysis.wind import WindModel
from routes.comparison import compare
from routes.inputs.costdata import CostRates
from routes.inputs.scenarios import Scenario
from routes.inputs.winds import SEASONS
from routes.mission import MISSION_AIRCRAFT, MISSION_DESTINATIONS, MISSION_ORIGINS, MISSION_PERIODS, MISSION_SCENARIOS
from routes.result import Route
from routes.routing import AirportLike, geodesic_route
from routes.seasonal import ALL_MONTHS, direction_table, period_key

Pair = tuple[str, str]


@dataclass(frozen=True)
class ReportData:
    """The figures of a report.

    Attributes
    ----------
    table : pandas.DataFrame
        The `routes.comparison.compare` table.
    routes : tuple of Route
        One per origin x destination x scenario, in table order.
    block_times : pandas.DataFrame
        `routes.seasonal.direction_table` of the routes: both directions, still air and the
        climatological winds of every month, the seasons and the year.
    baselines : dict
        (origin code, destination code) -> the pre-2022 WGS84 geodesic.
    alternates : dict
        (origin code, destination code) -> {scenario name: ICAO idents of the diversion alternates} of the
        pair's last constrained feasible route (empty when none).
    periods : tuple
        Climatology periods the tables show beside still air.
    assumptions : Assumptions
        Payload, taxi and reserve assumptions of the estimates.
    """

    table: pd.DataFrame
    routes: tuple[Route, ...]
    block_times: pd.DataFrame
    baselines: dict[Pair, Route]
    alternates: dict[Pair, dict[str, tuple[str, ...]]]
    periods: tuple[int | str, ...]
    assumptions: Assumptions

    @property
    def pairs(self) -> list[Pair]:
        """(origin, destination) codes in table order, each once."""
        return list(self.baselines)

    def pair_routes(self, pair: Pair) -> list[Route]:
        """The routes of one origin-destination pair, in table order."""
        return [r for r in self.routes if (r.origin.code, r.destination.code) == pair]


def report_data(
    origins: Iterable[AirportLike] = MISSION_ORIGINS,
    destinations: Iterable[AirportLike] = MISSION_DESTINATIONS,
    scenarios: Iterable[str | Scenario] | str | Scenario = MISSION_SCENARIOS,
    aircraft: Iterable[str] = MISSION_AIRCRAFT,
    margin_nm: float = 0.0,
    assumptions: Assumptions | None = None,
    wind: WindModel | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    cost_rates: CostRates | None = None,
    flights_per_week: float = 7.0,
    periods: Iterable[int | str] = MISSION_PERIODS,
    *,
    cost_on: date | str | None = None,
) -> ReportData:
    """Compute the report's figures (parameters as `routes.presentation.report.write_report`)."""
    scenario_list = [scenarios] if isinstance(scenarios, str | Scenario) else list(scenarios)
    plist, types = tuple(validation.unique_options(periods, "periods", key=period_key)), list(aircraft)
    table, found = compare(
        origins,
        destinations,
        scenario_list,
        types,
        margin_nm,
        assumptions,
        wind,
        progress=progress,
        cost_rates=cost_rates,
        flights_per_week=flights_per_week,
        periods=plist,
        cost_on=cost_on,
    )
    block_times = direction_table(found, [*ALL_MONTHS, *SEASONS], types, assumptions)
    firsts = {(r.origin.code, r.destination.code): r for r in found}  # each pair once, in table order
    baselines = {pair: geodesic_route(r.origin, r.destination) for pair, r in firsts.items()}
    alternates: dict[Pair, dict[str, tuple[str, ...]]] = {}
    for pair in baselines:
        same = [r for r in found if (r.origin.code, r.destination.code) == pair]
        constrained = [r for r in same if r.feasible and not r.scenario.is_open_sky]
        worst = constrained[-1] if constrained else None
        alternates[pair] = {worst.scenario.name: diversion(worst).alternates} if worst else {}
    return ReportData(
        table=table,
        routes=tuple(found),
        block_times=block_times,
        baselines=baselines,
        alternates=alternates,
        periods=plist,
        assumptions=assumptions or Assumptions(),
    )
