"""Everything the scenario report shows, computed: the comparison, block times, baselines and alternates.

`routes.presentation.report` draws and writes these; it computes nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from routes.analysis.diversion import diversion
from routes.analysis.performance import Assumptions
from routes.comparison import compare
from routes.inputs.scenarios import Scenario
from routes.inputs.winds import SEASONS, period_label
from routes.mission import (
    MISSION_AIRLINE,
    MISSION_DESTINATIONS,
    MISSION_ORIGINS,
    MISSION_SCENARIOS,
)
from routes.report_extras import assumptions_used, fleet_table, overrides, ranges_table, tornado_bars
from routes.result import Route
from routes.routing import AirportLike, geodesic_route
from routes.seasonal import ALL_MONTHS, direction_table
from routes.study import Study

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
    empty_reason : str
        Why there is nothing to report (an empty selection), or ``""``.
    fleet : pandas.DataFrame
        `routes.report_extras.fleet_table` of the study's ``airline``, else the mission airline
        (`MISSION_AIRLINE`), or empty.
    ranges : pandas.DataFrame
        `routes.report_extras.ranges_table`: the headline deltas with their intervals and monthly spread.
    tornado : tuple
        `routes.report_extras.tornado_bars` of the extra cost per flight: (route label, bars).
    study : Study
        Every setting of the figures (`Study.describe` lists them for the report).
    """

    table: pd.DataFrame
    routes: tuple[Route, ...]
    block_times: pd.DataFrame
    baselines: dict[Pair, Route]
    alternates: dict[Pair, dict[str, tuple[str, ...]]]
    periods: tuple[int | str, ...]
    assumptions: Assumptions
    empty_reason: str = ""
    fleet: pd.DataFrame = field(default_factory=pd.DataFrame)
    ranges: pd.DataFrame = field(default_factory=pd.DataFrame)
    tornado: tuple[str, list] = ("", [])
    study: Study = field(default_factory=Study)

    @classmethod
    def empty(
        cls,
        reason: str,
        periods: tuple[int | str, ...] = (),
        assumptions: Assumptions | None = None,
        study: Study | None = None,
    ) -> ReportData:
        """A report of nothing, saying why (``reason``): no rows, routes, block times or pairs."""
        a = assumptions or Assumptions()
        return cls(pd.DataFrame(), (), pd.DataFrame(), {}, {}, periods, a, reason, study=study or Study(assumptions=a))

    @property
    def problem(self) -> str:
        """Why the report shows no route, or ``""`` when at least one route is feasible."""
        if self.empty_reason or self.table.empty:
            return self.empty_reason or "nothing selected: the selection holds no city pair"
        if self.table["feasible"].astype(bool).any():
            return ""
        return "no feasible route: every selected city pair is infeasible under every selected scenario"

    @property
    def open_sky(self) -> tuple[str, ...]:
        """Names of the selected scenarios that close nothing (the pre-2022 reference), in table order."""
        return tuple(dict.fromkeys(r.scenario.name for r in self.routes if r.scenario.is_open_sky))

    @property
    def closures(self) -> tuple[ClosureSummary, ...]:
        """What each closure scenario costs each aircraft over the report's pairs (`closure_summaries`)."""
        return closure_summaries(self.table, self.open_sky)

    @property
    def cost_split(self) -> pd.DataFrame:
        """The extra cost of each feasible closure route, by component (`cost_split`)."""
        return cost_split(self.table, self.open_sky)

    @property
    def monthly(self) -> pd.DataFrame:
        """Block time in each calendar month's winds, both directions (`monthly_block_times`)."""
        return monthly_block_times(self.block_times)

    @property
    def assumptions_used(self) -> pd.DataFrame:
        """Every entry of the assumptions register with the value this report used and its source
        (`routes.report_extras.assumptions_used`)."""
        return assumptions_used(self.study)

    @property
    def overrides(self) -> pd.DataFrame:
        """Every value this report's study changed from its default (`routes.report_extras.overrides`)."""
        return overrides(self.study)

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
    study: Study | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    *,
    fleet: bool = True,
) -> ReportData:
    """Compute the report's figures: `routes.comparison.compare` of the study, both directions in every
    month's wind, the pre-2022 baselines, the alternates, the ranges and (``fleet``) the fleet table of the
    study's ``airline``, default the mission airline, in still air (other parameters as
    `routes.comparison.compare`). An empty selection gives a report of nothing that says why (`ReportData.empty`).
    """
    study = study or Study()
    scenario_list = [scenarios] if isinstance(scenarios, str | Scenario) else list(scenarios)
    plist, types, assumptions = study.periods, list(study.aircraft), study.assumptions
    origins, destinations = _listed(origins), _listed(destinations)
    if reason := _nothing_selected(origins=origins, destinations=destinations, scenarios=scenario_list):
        return ReportData.empty(reason, plist, assumptions, study)
    # the report draws its own fleet table (still air, below): compare need not search stops too
    table, found = compare(origins, destinations, scenario_list, study.with_(airline=None), progress)
    block_times = direction_table(found, [*ALL_MONTHS, *SEASONS], types, assumptions)
    firsts = {(r.origin.code, r.destination.code): r for r in found}  # each pair once, in table order
    baselines = {pair: geodesic_route(r.origin, r.destination) for pair, r in firsts.items()}
    alternates: dict[Pair, dict[str, tuple[str, ...]]] = {}
    for pair in baselines:
        same = [r for r in found if (r.origin.code, r.destination.code) == pair]
        constrained = [r for r in same if r.feasible and not r.scenario.is_open_sky]
        worst = constrained[-1] if constrained else None
        div = diversion(worst, min_runway_m=study.min_runway_m, oei_speed_kt=study.oei_speed_kt) if worst else None
        alternates[pair] = {worst.scenario.name: div.alternates} if worst else {}
    ranges, sens = ranges_table(found, baselines, types[0], block_times, study=study)
    return ReportData(
        table=table,
        routes=tuple(found),
        block_times=block_times,
        baselines=baselines,
        alternates=alternates,
        periods=plist,
        assumptions=assumptions,
        study=study,
        fleet=fleet_table(found, study.airline or MISSION_AIRLINE, assumptions) if fleet else pd.DataFrame(),
        ranges=ranges,
        tornado=tornado_bars(sens),
    )


def _listed(values: Iterable[AirportLike] | str) -> list:
    return [values] if isinstance(values, str) else list(values)


def _nothing_selected(**named: list) -> str:
    """Why a selection is empty (``"nothing selected: no destinations"``), or ``""``."""
    missing = [name for name, values in named.items() if not values]
    if not missing:
        return ""
    return f"nothing selected: no {' and no '.join(missing)} given; name at least one of each to compare routes"


@dataclass(frozen=True)
class ClosureSummary:
    """What one closure scenario costs one aircraft type over a report's city pairs.

    Ranges are (lowest, highest) over the feasible pairs, NaN when none is feasible; extra
    figures are against the pre-2022 geodesic flown by the same aircraft in the same wind.

    Attributes
    ----------
    scenario, aircraft : str
    pairs : tuple of (origin, destination)
        Every pair of the report, in table order.
    infeasible : tuple of ((origin, destination), reason)
        The pairs with no route under this scenario, and why.
    extra_km, extra_pct, extra_min, extra_cost_usd : tuple of float
        (lowest, highest) extra distance (km, %), block time (min) and cost per flight (USD).
    extra_annual_cost_usd : float
        The extra cost a year of all feasible pairs together, at ``flights_per_week`` each way.
    flights_per_week : float
    out_of_range : tuple of (origin, destination)
        Feasible pairs the aircraft cannot fly non-stop with the report's payload.
    min_range_margin_km : float
        The smallest range margin over the feasible pairs.
    etops : tuple of str
        The diversion rules the feasible routes need (``"ETOPS 180"``), each once.
    wind : str
        The wind of the figures (``"still air"`` or a climatology).
    """

    scenario: str
    aircraft: str
    pairs: tuple[Pair, ...]
    infeasible: tuple[tuple[Pair, str], ...]
    extra_km: tuple[float, float]
    extra_pct: tuple[float, float]
    extra_min: tuple[float, float]
    extra_cost_usd: tuple[float, float]
    extra_annual_cost_usd: float
    flights_per_week: float
    out_of_range: tuple[Pair, ...]
    min_range_margin_km: float
    etops: tuple[str, ...]
    wind: str

    @property
    def feasible_pairs(self) -> tuple[Pair, ...]:
        """The pairs that have a route under this scenario."""
        bad = {pair for pair, _ in self.infeasible}
        return tuple(p for p in self.pairs if p not in bad)

    @property
    def flyable_pairs(self) -> tuple[Pair, ...]:
        """The pairs that have a route and that the aircraft can fly non-stop."""
        return tuple(p for p in self.feasible_pairs if p not in self.out_of_range)


def _span(values: pd.Series) -> tuple[float, float]:
    v = values.dropna()
    return (float(v.min()), float(v.max())) if len(v) else (float("nan"), float("nan"))


def closure_summaries(table: pd.DataFrame, open_sky: Iterable[str] = ("pre-2022",)) -> tuple[ClosureSummary, ...]:
    """One `ClosureSummary` per closure scenario x aircraft of a `routes.comparison.compare` table.

    ``open_sky`` names the scenarios that close nothing (the reference), which are left out.
    """
    if table.empty:
        return ()
    pairs = tuple(dict.fromkeys(zip(table["origin"], table["destination"], strict=True)))
    out = []
    closed = table[~table["scenario"].isin(list(open_sky))]
    for (scn, ac), rows in closed.groupby(["scenario", "aircraft"], sort=False):
        ok = rows[rows["feasible"].astype(bool)]
        bad = rows[~rows["feasible"].astype(bool)]
        out.append(
            ClosureSummary(
                scenario=str(scn),
                aircraft=str(ac),
                pairs=pairs,
                infeasible=tuple(
                    ((o, d), str(r)) for o, d, r in zip(bad["origin"], bad["destination"], bad["reason"], strict=True)
                ),
                extra_km=_span(ok["extra_km"]),
                extra_pct=_span(ok["extra_pct"]),
                extra_min=_span(ok["extra_min"]),
                extra_cost_usd=_span(ok["extra_cost_usd"]),
                extra_annual_cost_usd=float(ok["extra_annual_cost_usd"].sum(min_count=1)),
                flights_per_week=float(ok["flights_per_week"].iloc[0]) if len(ok) else float("nan"),
                out_of_range=tuple(
                    (o, d)
                    for o, d, f in zip(ok["origin"], ok["destination"], ok["range_feasible"], strict=True)
                    if not bool(f)
                ),
                min_range_margin_km=float(ok["range_margin_km"].min()) if len(ok) else float("nan"),
                etops=tuple(dict.fromkeys(str(e) for e in ok["etops"].dropna())),
                wind=str(rows["wind"].iloc[0]),
            )
        )
    return tuple(out)


COST_SPLIT_COLUMNS = ("fuel_usd", "time_usd", "charges_added_usd", "charges_avoided_usd", "extra_cost_usd")


def cost_split(table: pd.DataFrame, open_sky: Iterable[str] = ("pre-2022",)) -> pd.DataFrame:
    """The extra cost per flight of each feasible closure route, by component.

    Columns ``origin, destination, scenario, aircraft`` and, in USD per flight against the
    pre-2022 route: ``fuel_usd``, ``time_usd``, ``charges_added_usd`` (charges the longer route
    pays beyond the pre-2022 charges of the states that stay open) and ``charges_avoided_usd``
    (what the pre-2022 route paid the states now closed; a saving, positive) with
    ``extra_cost_usd = fuel_usd + time_usd + charges_added_usd - charges_avoided_usd``.
    """
    keys = ["origin", "destination", "scenario", "aircraft"]
    if table.empty:
        return pd.DataFrame(columns=[*keys, *COST_SPLIT_COLUMNS])
    rows = table[table["feasible"].astype(bool) & ~table["scenario"].isin(list(open_sky))]
    out = rows[keys].copy()
    out["fuel_usd"] = rows["extra_fuel_cost_usd"]
    out["time_usd"] = rows["extra_time_cost_usd"]
    out["charges_added_usd"] = rows["extra_charges_usd"] + rows["charges_avoided_usd"]
    out["charges_avoided_usd"] = rows["charges_avoided_usd"]
    out["extra_cost_usd"] = rows["extra_cost_usd"]
    return out.reset_index(drop=True)


MONTH_NAMES = {period_label(m): m for m in ALL_MONTHS}


def monthly_block_times(block_times: pd.DataFrame) -> pd.DataFrame:
    """The calendar months of a `routes.seasonal.direction_table`, with the month's number.

    Columns ``origin, destination, scenario, aircraft, direction, from, to, month`` (1-12),
    ``block_time_min`` and ``extra_min``; still air and the seasons are left out.
    """
    cols = ["origin", "destination", "scenario", "aircraft", "direction", "from", "to"]
    if block_times.empty:
        return pd.DataFrame(columns=[*cols, "month", "block_time_min", "extra_min"])
    rows = block_times[block_times["period"].isin(list(MONTH_NAMES))]
    out = rows[cols].copy()
    out["month"] = rows["period"].map(MONTH_NAMES).astype(int)
    out["block_time_min"] = rows["block_time_min"]
    out["extra_min"] = rows["extra_min"]
    return out.reset_index(drop=True)
