"""The report's feasibility and ranges figures: fleet tables and ranges on the headline deltas, computed.

- `fleet_table`: for each city and scenario with a route, which types of the mission airline's fleet
  (``data/fleets.csv``) fly it non-stop with a full load, which with fewer seats (how many), which need a
  technical stop (where, extra minutes and USD) — `routes.fleet_feasibility`.
- `ranges_table`: for each city and closure scenario, the central extra minutes and USD per flight and per
  year with their 5-95 % interval over the assumptions register's ranges (`routes.sensitivity`), and the
  month-to-month spread of the extra block time in the climatological winds (from the report's own
  direction table); `tornado_bars` the one-at-a-time swings of the costliest route.
- `assumptions_used` and `overrides`: every entry of the assumptions register with the value the run used
  and its source, and every value the run changed from its default (register entries, `Study` settings,
  performance settings of its `Assumptions`, its cost data against the shipped data).
"""

from __future__ import annotations

import calendar
import dataclasses
import warnings
from collections.abc import Sequence

import pandas as pd

from routes.analysis.performance import Assumptions
from routes.errors import RoutesError, StaleDataWarning
from routes.fleet_feasibility import fleet_on_routes
from routes.inputs.costdata import CostRates, load_cost_rates
from routes.inputs.ratedates import cost_date
from routes.inputs.register import Entry, assumption_register
from routes.result import Route
from routes.sensitivity import Pricing, Sensitivity, sensitivity
from routes.study import Study

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
    samples: int | None = None,
    *,
    study: Study | None = None,
) -> tuple[pd.DataFrame, dict[tuple[str, str, str], Sensitivity]]:
    """Central deltas with their interval, and the monthly spread, for each closure route (see the module).

    ``study`` (default `Study()`) prices them as `routes.comparison.compare` does (its cost rates, date of
    the charge rates, operator and schedule) in its wind, with its ``range_samples`` draws (``samples``
    replaces them) and ``range_seed``; ``assumptions`` replace its assumptions.

    Returns the table and the `Sensitivity` of each (origin, destination, scenario).
    """
    study = study or Study()
    assumptions = assumptions or study.assumptions
    rates, day = study.cost_rates or load_cost_rates(), cost_date(study.rates_date)
    rows, found = [], {}
    for r in routes:
        if not r.feasible or r.scenario.is_open_sky:
            continue
        key = (r.origin.code, r.destination.code)
        pricing = Pricing(rates, day, study.operator_for(r.scenario), study.flights_per_week)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StaleDataWarning)
            try:
                draws = samples or study.range_samples
                s = sensitivity(r, baselines[key], aircraft, assumptions, wind=study.wind, samples=draws,
                                seed=study.range_seed, pricing=pricing)  # fmt: skip
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


USED_COLUMNS = ("name", "value", "default", "unit", "low", "high", "basis", "source", "overridden")
OVERRIDE_COLUMNS = ("setting", "kind", "value", "default", "unit", "default_source")


def assumptions_used(study: Study | None = None) -> pd.DataFrame:
    """Every entry of the assumptions register (`routes.inputs.register`) with the value ``study`` used.

    Columns `USED_COLUMNS`: the entry's ``name``, the ``value`` the run used (its `Study`, its `Assumptions`
    or its cost data, else the register's), the register's ``default``, ``unit``, plausible ``low`` and
    ``high``, ``basis`` (``primary``, ``secondary``, ``derived`` or ``convention``), ``source`` (the first
    source cited, with the number of others, or the convention's reason) and ``overridden`` (value != default).
    """
    study = study or Study()
    rates = study.cost_rates or load_cost_rates()
    rows = []
    for e in assumption_register().values():
        value = _used_value(e, study, rates)
        rows.append(
            {
                "name": e.name, "value": value, "default": e.value, "unit": e.unit, "low": e.low, "high": e.high,
                "basis": e.basis, "source": _source_text(e), "overridden": value != e.value,
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(USED_COLUMNS))


def _used_value(e: Entry, study: Study, rates: CostRates) -> float | str:
    """The value of register entry ``e`` in ``study``: where the models read it from in this run."""
    for holder in (study.assumptions, study, rates):
        if e.name in {f.name for f in dataclasses.fields(holder)}:
            return getattr(holder, e.name)
    return e.value


def _source_text(e: Entry) -> str:
    if not e.sources:
        return f"convention: {e.convention}"
    first = e.sources[0].cite()
    return first if len(e.sources) == 1 else f"{first} (and {len(e.sources) - 1} more)"


def overrides(study: Study | None = None) -> pd.DataFrame:
    """Every value ``study`` changed from its default, one row each (empty: every default kept).

    Columns `OVERRIDE_COLUMNS`. ``kind`` says what was overridden: ``"register"`` (an entry of the assumptions
    register: its source is in ``default_source``), ``"study setting"`` (a `Study` field against `Study()`, the
    mission's settings), ``"performance setting"`` (an `Assumptions` field outside the register, e.g.
    ``cruise_mach``) or ``"cost data"`` (a part of its ``cost_rates`` against the shipped data: a number, or how
    a table's rows differ).
    """
    study = study or Study()
    used = assumptions_used(study)
    rows = [
        {"setting": r.name, "kind": "register", "value": r.value, "default": r.default, "unit": r.unit,
         "default_source": r.source}
        for r in used[used["overridden"]].itertuples(index=False)
    ]  # fmt: skip
    registered = set(used["name"])
    rows += _changes(study.as_dict(), Study().as_dict(), "study setting", registered | {"assumptions", "cost_rates"})
    mine, default = dataclasses.asdict(study.assumptions), dataclasses.asdict(Assumptions())
    rows += _changes(mine, default, "performance setting", registered)
    if study.cost_rates is not None:
        shipped = load_cost_rates()
        mine, default = (
            {f.name: getattr(r, f.name) for f in dataclasses.fields(r)} for r in (study.cost_rates, shipped)
        )
        rows += _changes(mine, default, "cost data", registered | {"files"})
    return pd.DataFrame(rows, columns=list(OVERRIDE_COLUMNS))


_SOURCES = {
    "study setting": "routes.study.Study (the mission's settings)",
    "performance setting": "routes.analysis.performance.Assumptions",
    "cost data": "the shipped cost data (data/charges, routes.load_cost_rates)",
}
_NONE_MEANS = {
    "rates_date": "today",
    "operator": "the scenario's, else foreign-operator tariffs",
    "cruise_mach": "the type's",
    "cruise_alt_ft": "the type's",
}
"""What a default of None stands for, in words."""


def _changes(given: dict, default: dict, kind: str, skip: set[str]) -> list[dict[str, object]]:
    """One row per setting of ``given`` that differs from ``default`` (settings in ``skip`` left out); a changed
    table (a tuple of rows) is told as how many of its rows changed."""
    rows = []
    for name, mine in given.items():
        theirs = default[name]
        if name in skip or mine == theirs:
            continue
        if kind == "cost data" and isinstance(mine, tuple):
            mine, theirs = _rows_changed(mine, theirs), f"{len(theirs)} rows"
        rows.append({"setting": name, "kind": kind, "value": _plain(mine, name), "default": _plain(theirs, name),
                     "unit": "", "default_source": _SOURCES[kind]})  # fmt: skip
    return rows


def _rows_changed(mine: tuple, theirs: tuple) -> str:
    """``"12 rows, 1 not in the shipped data, 2 shipped rows left out"``: how a table of the cost data differs."""
    new = sum(row not in theirs for row in mine)
    gone = sum(row not in mine for row in theirs)
    return f"{len(mine)} rows, {new} not in the shipped data" + (f", {gone} shipped rows left out" if gone else "")


def _plain(value: object, name: str) -> object:
    """A setting as a plain value: lists joined, None in words."""
    if value is None:
        return _NONE_MEANS.get(name, "none")
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "none"
    return value
