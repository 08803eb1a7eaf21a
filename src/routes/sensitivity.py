"""Ranges on the headline deltas: what a closure adds in minutes, fuel, CO2 and USD, with how sure we are.

For one constrained route and its pre-2022 baseline, flown by the same aircraft:

1. **Central figures**: every input at its register default (`routes.inputs.register`).
2. **One at a time** (the tornado): each uncertain input of the register (``vary = true``) that acts
   on the figures is set to its low and then its high value, the others at their defaults. Inputs of
   the performance model (load factor, passenger mass, taxi times, reserves, route factor) are
   estimated again (`routes.analysis.performance.estimate`); prices and rates (fuel price, CO2
   factor, time-related cost components) are applied to the estimates exactly.
   An input the caller set away from its register default (e.g. ``Assumptions(load_factor=0.9)``, a fuel
   price of the cost rates) is held at the caller's value and not varied (`held`).
3. **Combined interval**: ``samples`` draws, seeded, each input from a triangular distribution
   (low, default, high), all independent. The fuel and block time of each route come from an
   additive response surface through the one-at-a-time runs (a quadratic in each input through its
   low, default and high value; no interactions), and the money from them exactly. The 5th and 95th
   percentiles give the interval. `check_surface` compares the surface with full estimates.
4. **Month to month**: the extra block time of each month's climatological wind, both directions
   (`monthly_spread`), reported beside the interval, not mixed into it.

Annual figures are the per-flight figures times the flights of a year (still air, both directions).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

import numpy as np

from routes.analysis.cost import flight_cost
from routes.analysis.performance import Assumptions, Estimate, estimate
from routes.errors import InvalidInputError
from routes.inputs.costdata import CostRates, load_cost_rates
from routes.inputs.register import Entry, Register, assumption_register
from routes.result import Route

METRICS = ("extra_min", "extra_fuel_kg", "extra_co2_kg", "extra_usd", "extra_usd_marginal", "extra_usd_per_year")
"""The headline deltas, constrained route minus baseline, per flight (and per year for USD): ``extra_usd`` is
the fully allocated cost (with ownership), ``extra_usd_marginal`` the marginal cost of a flight (without)."""
COMPARE_COLUMNS = {
    "extra_min": ("extra_min", 1.0, 1),
    "extra_fuel_kg": ("extra_fuel_kg", 1.0, 0),
    "extra_co2_kg": ("extra_co2_t", 1e-3, 1),
    "extra_usd": ("extra_cost_usd", 1.0, 0),
    "extra_usd_marginal": ("extra_marginal_cost_usd", 1.0, 0),
    "extra_usd_per_year": ("extra_annual_cost_usd", 1.0, 0),
}
"""Each metric's central column in `routes.comparison.compare`, the factor from the metric's unit to the
column's, and the column's decimals: ``Study(ranges=True)`` adds ``<column>_low`` and ``<column>_high``."""
LOW_PCT, HIGH_PCT = 5.0, 95.0
"""Percentiles of the combined interval."""
DEFAULT_SAMPLES = 2000
"""Draws of the combined interval (a convention): with 2,000 draws the 5th and 95th percentiles of the extra
cost of SVO-SEA (europe-canada-closed) move by about 40 USD (under 1 %) from one seed to another (seeds 0-3:
5,554-5,597 and 6,921-6,976 USD), while 200 draws move them by about 100 USD; 2,000 draws take ~0.2 s a route."""
_ASSUMPTION_FIELDS = frozenset(f.name for f in fields(Assumptions))
_HOURLY = ("crew", "maintenance", "ownership")
"""The time-cost components of a `routes.analysis.cost.FlightCost`; a register entry ``<component>_usd_per_bh``
scales the component the cost used by its ratio to the entry's default."""


@dataclass(frozen=True)
class Swing:
    """One input at its low and high value, the others at their defaults.

    Attributes
    ----------
    name, unit : str
        The register entry.
    low_input, high_input : float
        The input's low and high values.
    low, high : dict of str to float
        Each metric with the input at ``low_input`` and at ``high_input``.
    """

    name: str
    unit: str
    low_input: float
    high_input: float
    low: Mapping[str, float]
    high: Mapping[str, float]

    def span(self, metric: str) -> float:
        """How far the metric moves across the input's range (absolute)."""
        return abs(self.high[metric] - self.low[metric])


@dataclass(frozen=True)
class Sensitivity:
    """Central deltas, one-at-a-time swings and the combined interval of one route against its baseline.

    Attributes
    ----------
    central : dict of str to float
        Each metric with every input at its default.
    swings : tuple of Swing
        Inputs that move at least one metric, largest swing of ``extra_usd`` first.
    interval : dict of str to (float, float)
        The combined 5th-95th percentile interval of each metric.
    samples, seed : int
        Of the combined interval (the same seed gives the same interval).
    flights_per_year : float
    """

    central: Mapping[str, float]
    swings: tuple[Swing, ...]
    interval: Mapping[str, tuple[float, float]]
    samples: int
    seed: int
    flights_per_year: float

    def tornado(self, metric: str = "extra_usd") -> list[tuple[str, float, float]]:
        """``(input, metric at its low, metric at its high)`` by decreasing swing: the tornado chart's bars."""
        rows = sorted(self.swings, key=lambda s: -s.span(metric))
        return [(s.name, s.low[metric], s.high[metric]) for s in rows if s.span(metric) > 0]


@dataclass(frozen=True)
class Pricing:
    """How the flights are priced, as in `routes.comparison.compare`.

    Attributes
    ----------
    rates : CostRates
        Prices (fuel, time costs, charge rates).
    on : datetime.date or None
        The date whose charge rates apply (None: today).
    operator : str or None
        ISO alpha-3 code of the operator's state (None: the scenario's, else foreign tariffs).
    flights_per_week : float or None
        Each way, for the annual figures (None: the register's).
    """

    rates: CostRates
    on: date | None = None
    operator: str | None = None
    flights_per_week: float | None = None


@dataclass(frozen=True)
class _Point:
    """The quantities of both routes the metrics are made of."""

    fuel_kg: tuple[float, float]  # constrained, baseline
    time_min: tuple[float, float]


class _Model:
    """Evaluates the metrics for a set of inputs, with the route estimates it needs cached."""

    def __init__(self, routes: tuple[Route, Route], aircraft: str, assumptions: Assumptions, pricing: Pricing,
                 wind: object, reg: Register) -> None:  # fmt: skip
        self.routes, self.aircraft, self.assumptions, self.wind = routes, aircraft, assumptions, wind
        self.rates = pricing.rates
        self.reg = reg
        fpw = reg.value("flights_per_week") if pricing.flights_per_week is None else pricing.flights_per_week
        self.flights_per_year = fpw * 2 * 365 / 7
        self._estimates: dict[tuple, Estimate] = {}
        self.central_point = self.point({})
        costs = [
            flight_cost(r, self._estimate(r, self.assumptions), self.rates, on=pricing.on, operator=pricing.operator)
            for r in routes
        ]
        self.charges_usd = costs[0].charges_usd - costs[1].charges_usd
        hours = costs[0].block_time_min / 60.0
        self.hourly = {c: getattr(costs[0], f"{c}_usd") / hours for c in _HOURLY}

    def _estimate(self, route: Route, assumptions: Assumptions) -> Estimate:
        key = (id(route), assumptions)
        if key not in self._estimates:
            self._estimates[key] = estimate(route, self.aircraft, assumptions, self.wind)
        return self._estimates[key]

    def point(self, inputs: Mapping[str, float]) -> _Point:
        """Fuel and block time of both routes with the performance inputs of ``inputs`` (full estimates)."""
        changes = {k: v for k, v in inputs.items() if k in _ASSUMPTION_FIELDS}
        a = replace(self.assumptions, **changes) if changes else self.assumptions
        est = [self._estimate(r, a) for r in self.routes]
        return _Point((est[0].block_fuel_kg, est[1].block_fuel_kg), (est[0].block_time_min, est[1].block_time_min))

    def metrics(self, p: _Point, inputs: Mapping[str, float]) -> dict[str, float]:
        """The metrics of a point, with the price-like inputs of ``inputs`` applied exactly."""
        extra_fuel = p.fuel_kg[0] - p.fuel_kg[1]
        extra_min = p.time_min[0] - p.time_min[1]
        price = self.rates.fuel_price_usd_per_kg * self._ratio(inputs, "fuel_price_usd_per_bbl")
        hourly = {c: v * self._ratio(inputs, f"{c}_usd_per_bh") for c, v in self.hourly.items()}
        co2 = self._value(inputs, "kg_co2_per_kg_fuel")
        marginal = extra_fuel * price + extra_min / 60.0 * (hourly["crew"] + hourly["maintenance"]) + self.charges_usd
        usd = marginal + extra_min / 60.0 * hourly["ownership"]
        return {
            "extra_min": extra_min,
            "extra_fuel_kg": extra_fuel,
            "extra_co2_kg": extra_fuel * co2,
            "extra_usd": usd,
            "extra_usd_marginal": marginal,
            "extra_usd_per_year": usd * self.flights_per_year,
        }

    def _value(self, inputs: Mapping[str, float], name: str) -> float:
        return inputs.get(name, self.reg.value(name))

    def _ratio(self, inputs: Mapping[str, float], name: str) -> float:
        if name not in inputs or name not in self.reg:
            return 1.0
        base = self.reg.value(name)
        return inputs[name] / base if base else 1.0


def held(assumptions: Assumptions, rates: CostRates) -> set[str]:
    """The uncertain inputs the caller set away from their register default: they are held at the caller's
    value, not varied (the register's range is about its default, not about a value the caller chose)."""
    reg = assumption_register()
    out = set()
    for e in reg.varied():
        holder = assumptions if e.name in _ASSUMPTION_FIELDS else rates
        mine = getattr(holder, e.name, e.value)
        if mine != e.value:
            out.add(e.name)
    return out


def _acts(entry: Entry) -> bool:
    """Whether an input moves the metrics (performance inputs, fuel price, CO2 factor, time costs)."""
    name = entry.name
    return (
        name in _ASSUMPTION_FIELDS
        or name in ("fuel_price_usd_per_bbl", "kg_co2_per_kg_fuel")
        or name in {f"{c}_usd_per_bh" for c in _HOURLY}
    )


def _quadratic(x: np.ndarray, xs: tuple[float, float, float], ys: tuple[float, float, float]) -> np.ndarray:
    """The parabola through three points (a line where two x coincide), evaluated at ``x``."""
    (x0, x1, x2), (y0, y1, y2) = xs, ys
    pts = sorted({(x0, y0), (x1, y1), (x2, y2)})
    if len({p[0] for p in pts}) == 2:
        (a, fa), (b, fb) = sorted({p[0]: p for p in pts}.values())
        return fa + (fb - fa) * (x - a) / (b - a)
    return (
        y0 * (x - x1) * (x - x2) / ((x0 - x1) * (x0 - x2))
        + y1 * (x - x0) * (x - x2) / ((x1 - x0) * (x1 - x2))
        + y2 * (x - x0) * (x - x1) / ((x2 - x0) * (x2 - x1))
    )


def sensitivity(
    route: Route,
    baseline: Route,
    aircraft: str = "B77W",
    assumptions: Assumptions | None = None,
    rates: CostRates | None = None,
    wind: object = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    *,
    pricing: Pricing | None = None,
) -> Sensitivity:
    """Central deltas of ``route`` against ``baseline``, their one-at-a-time swings and combined interval.

    Parameters
    ----------
    route, baseline : Route
        The constrained route and the pre-2022 route of the same pair (both feasible).
    aircraft : str
        ICAO type flying both.
    assumptions : Assumptions, optional
        The central performance inputs (default: the register's).
    rates : CostRates, optional
        The central prices (default: the shipped data).
    wind : WindModel, optional
        Wind of the estimates (default still air).
    samples, seed : int
        Draws of the combined interval and the random seed.
    pricing : Pricing, optional
        The date and operator of the charge rates and the schedule of the annual figures (default: today,
        the scenario's operator else foreign tariffs, the register's schedule); its ``rates`` replace
        ``rates``.

    Returns
    -------
    Sensitivity

    Examples
    --------
    >>> import routes
    >>> from routes.sensitivity import sensitivity
    >>> s = sensitivity(routes.route("SVO", "SEA", "europe-canada-closed"), routes.geodesic_route("SVO", "SEA"))
    >>> round(s.central["extra_min"]), [round(x) for x in s.interval["extra_min"]]
    (44, [45, 46])
    >>> round(s.central["extra_usd"], -2), [round(x, -2) for x in s.interval["extra_usd"]]
    (5700.0, [5600.0, 7500.0])
    >>> s.tornado("extra_usd")[0][0]  # what moves the extra cost most
    'fuel_price_usd_per_bbl'

    The central time is the low end of its interval: the only input that moves it, the route factor,
    ranges from 1 (the computed route) upwards.
    """
    check_samples(samples)
    reg = assumption_register()
    pricing = pricing or Pricing(rates or load_cost_rates())
    model = _Model((route, baseline), aircraft, assumptions or Assumptions(), pricing, wind, reg)
    central = model.metrics(model.central_point, {})
    entries = [e for e in reg.varied() if _acts(e) and e.name not in held(model.assumptions, pricing.rates)]
    swings, surface = _one_at_a_time(model, entries)
    interval = _combined(model, entries, surface, samples, seed)
    swings.sort(key=lambda s: -s.span("extra_usd"))
    moving = tuple(s for s in swings if any(s.span(m) > 1e-9 for m in METRICS))
    return Sensitivity(central, moving, interval, samples, seed, model.flights_per_year)


def check_samples(samples: int, name: str = "samples") -> int:
    """``samples`` if it is a whole number of draws from 10 to 1,000,000, else `InvalidInputError`."""
    if isinstance(samples, bool) or not isinstance(samples, int) or not 10 <= samples <= 1_000_000:
        raise InvalidInputError(f"{name} must be a whole number from 10 to 1,000,000, got {samples!r}")
    return samples


def _one_at_a_time(model: _Model, entries: list[Entry]) -> tuple[list[Swing], dict[str, tuple]]:
    swings, surface = [], {}
    for e in entries:
        lo_pt, hi_pt = model.point({e.name: e.low}), model.point({e.name: e.high})
        swings.append(
            Swing(
                e.name,
                e.unit,
                e.low,
                e.high,
                model.metrics(lo_pt, {e.name: e.low}),
                model.metrics(hi_pt, {e.name: e.high}),
            )
        )
        if e.name in _ASSUMPTION_FIELDS:
            surface[e.name] = ((e.low, e.value, e.high), (lo_pt, model.central_point, hi_pt))
    return swings, surface


def _combined(model: _Model, entries: list[Entry], surface: dict[str, tuple], n: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    draws = {e.name: rng.triangular(e.low, e.value, e.high, n) for e in entries}
    c = model.central_point
    fuel = [np.full(n, c.fuel_kg[i]) for i in (0, 1)]
    time = [np.full(n, c.time_min[i]) for i in (0, 1)]
    for name, (xs, pts) in surface.items():
        for i in (0, 1):
            fuel[i] += _quadratic(draws[name], xs, tuple(p.fuel_kg[i] for p in pts)) - c.fuel_kg[i]
            time[i] += _quadratic(draws[name], xs, tuple(p.time_min[i] for p in pts)) - c.time_min[i]
    point = _Point((fuel[0], fuel[1]), (time[0], time[1]))
    values = model.metrics(point, draws)
    return {m: (float(np.percentile(values[m], LOW_PCT)), float(np.percentile(values[m], HIGH_PCT))) for m in METRICS}


def check_surface(
    route: Route, baseline: Route, aircraft: str = "B77W", draws: int = 5, seed: int = 1
) -> list[dict[str, float]]:
    """Relative error of the response surface against full estimates at ``draws`` random inputs.

    Returns one mapping per draw: metric -> (surface - full) / |full|, for the fuel- and time-based
    metrics. Used by the tests and `benchmarks/bench_sensitivity.py`.
    """
    reg = assumption_register()
    model = _Model((route, baseline), aircraft, Assumptions(), Pricing(load_cost_rates()), None, reg)
    entries = [e for e in reg.varied() if e.name in _ASSUMPTION_FIELDS]
    _, surface = _one_at_a_time(model, entries)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(draws):
        inputs = {e.name: float(rng.triangular(e.low, e.value, e.high)) for e in entries}
        full = model.metrics(model.point(inputs), inputs)
        approx = _combined_at(model, surface, inputs)
        out.append({m: (approx[m] - full[m]) / abs(full[m]) for m in ("extra_min", "extra_fuel_kg") if full[m]})
    return out


def _combined_at(model: _Model, surface: dict[str, tuple], inputs: Mapping[str, float]) -> dict[str, float]:
    c = model.central_point
    fuel, time = list(c.fuel_kg), list(c.time_min)
    for name, (xs, pts) in surface.items():
        x = np.asarray(inputs[name])
        for i in (0, 1):
            fuel[i] += float(_quadratic(x, xs, tuple(p.fuel_kg[i] for p in pts))) - c.fuel_kg[i]
            time[i] += float(_quadratic(x, xs, tuple(p.time_min[i] for p in pts))) - c.time_min[i]
    return model.metrics(_Point(tuple(fuel), tuple(time)), inputs)


def monthly_spread(
    route: Route,
    baseline: Route,
    aircraft: str = "B77W",
    assumptions: Assumptions | None = None,
    wind_by_month: Callable[[int], object] | None = None,
    reverse: Callable[[Route], Route] | None = None,
) -> dict[str, float]:
    """Extra block time of each month's climatological wind, both directions: min, max and the month of each.

    Parameters
    ----------
    wind_by_month : callable month -> WindModel, optional
        Default: the packaged climatology (`routes.analysis.climatology.climatology`).
    reverse : callable, optional
        Route -> the same path flown back (default `routes.analysis.cost.reversed_route`).
    """
    from routes.analysis.climatology import climatology
    from routes.analysis.cost import reversed_route

    wind_by_month = wind_by_month or climatology
    reverse = reverse or reversed_route
    extra: dict[tuple[str, int], float] = {}
    pairs = {"out": (route, baseline), "back": (reverse(route), reverse(baseline))}
    for way, (r, b) in pairs.items():
        for month in range(1, 13):
            w = wind_by_month(month)
            extra[(way, month)] = (
                estimate(r, aircraft, assumptions, w).block_time_min
                - estimate(b, aircraft, assumptions, w).block_time_min
            )
    lo_key = min(extra, key=extra.get)
    hi_key = max(extra, key=extra.get)
    return {
        "extra_min_low": extra[lo_key],
        "extra_min_high": extra[hi_key],
        "low_when": f"{lo_key[0]} month {lo_key[1]}",
        "high_when": f"{hi_key[0]} month {hi_key[1]}",
    }


def interval_columns(s: Sensitivity, metrics: Iterable[str] = METRICS) -> dict[str, float]:
    """Comparison-table columns ``<metric>_low`` and ``<metric>_high`` (the combined interval)."""
    out: dict[str, float] = {}
    for m in metrics:
        lo, hi = s.interval[m]
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise InvalidInputError(f"the interval of {m} is not finite ({lo}, {hi})")
        out[f"{m}_low"], out[f"{m}_high"] = lo, hi
    return out
