"""One study's settings in one frozen object: aircraft, assumptions, wind, margin, diversion, cost and schedule.

`routes.comparison.compare`, `routes.report_data.report_data`, `routes.presentation.report.write_report`,
`routes.network.job.matrix` and `routes.presentation.explore.explore` take a `Study` instead of re-declaring
the same dozen parameters; the command line builds one per command from its options.

>>> from routes.study import Study
>>> s = Study(aircraft="a359", margin_nm=25)
>>> s.aircraft, s.margin_nm, s.min_runway_m, s.oei_speed_kt, s.flights_per_week
(('A359',), 25.0, 2500.0, 420.0, 7.0)
>>> s.with_(flights_per_week=3).flights_per_week
3.0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from routes import validation
from routes.analysis.performance import Assumptions
from routes.analysis.wind import WindModel
from routes.errors import InvalidInputError, ObjectiveError
from routes.inputs.costdata import CostRates
from routes.inputs.register import default
from routes.inputs.scenarios import Scenario, get_scenario
from routes.inputs.winds import period_label
from routes.mission import MISSION_AIRCRAFT, MISSION_PERIODS
from routes.routing import OBJECTIVES
from routes.sensitivity import DEFAULT_SAMPLES, check_samples


def _register(name: str) -> Any:
    """A field whose default is read from the assumptions register when a `Study` is made."""
    return field(default_factory=lambda: default(name))


@dataclass(frozen=True)
class Study:
    """The settings of a study: everything but the airports and scenarios compared.

    Every default comes from the mission (`routes.mission`) or the assumptions register
    (`routes.inputs.register`, ``data/assumptions.toml``). Immutable: change it with `with_`.

    Attributes
    ----------
    aircraft : tuple of str
        ICAO types (OpenAP), upper case; one text is one type.
    assumptions : Assumptions
        Payload, taxi, reserves and cruise of the estimates.
    wind : WindModel or None
        Wind of the main figures (time, fuel, CO2); None is still air. A climatology period (a month
        1-12, its name, DJF/MAM/JJA/SON or ``"annual"``) is turned into its 200 hPa climatological wind.
    periods : tuple of int or str
        Climatology periods shown beside still air in the both-directions columns (``()``: none); a period
        given twice is kept once.
    margin_nm : float
        Lateral margin kept from closed airspace, nautical miles.
    min_runway_m : float
        Shortest runway of a usable diversion alternate, metres.
    oei_speed_kt : float
        One-engine-inoperative diversion speed (TAS, still air), knots.
    cost_rates : CostRates or None
        Prices of the cost model; None: the shipped data (`routes.inputs.costdata.load_cost_rates`).
    flights_per_week : float
        Schedule of the annual cost, flights a week each way.
    operator : str or None
        ISO alpha-3 code of the operator's state, upper case: its charge tariffs price the routes; None: the
        scenario's operator, else foreign-operator tariffs.
    rates_date : datetime.date or None
        Date whose charge rates apply (``"YYYY-MM-DD"`` accepted); None: today.
    objective : str
        ``"distance"`` or ``"time"`` (also find the minimum-time route in ``wind``).
    ranges : bool
        Give the headline deltas of `routes.comparison.compare` a low-high range (``<column>_low``,
        ``<column>_high``: `routes.sensitivity`) and the month-to-month spread of the extra block time; off by
        default (about half a second a route).
    range_samples, range_seed : int
        Draws and random seed of the ranges' combined interval (default `routes.sensitivity.DEFAULT_SAMPLES`,
        seed 0: the same seed gives the same ranges).
    airline : str or None
        ICAO or IATA designator of an airline in ``data/fleets.csv`` (``"AFL"``, ``"SU"``; stored as its ICAO
        designator): `routes.comparison.compare` adds the fleet table of its types (``Comparison.fleet``:
        non-stop with a full load, with fewer seats, or via a technical stop). None (default): no fleet table
        and no stop search, which takes seconds a route.
    """

    aircraft: tuple[str, ...] = MISSION_AIRCRAFT
    assumptions: Assumptions = field(default_factory=Assumptions)
    wind: WindModel | None = None
    periods: tuple[int | str, ...] = MISSION_PERIODS
    margin_nm: float = 0.0
    min_runway_m: float = _register("min_runway_m")
    oei_speed_kt: float = _register("oei_speed_kt")
    cost_rates: CostRates | None = None
    flights_per_week: float = _register("flights_per_week")
    operator: str | None = None
    rates_date: date | None = None
    objective: str = "distance"
    ranges: bool = False
    range_samples: int = DEFAULT_SAMPLES
    range_seed: int = 0
    airline: str | None = None

    def __post_init__(self) -> None:
        fix = object.__setattr__  # frozen: normalise the fields once, here
        fix(self, "aircraft", _aircraft(self.aircraft))
        if self.assumptions is None:
            fix(self, "assumptions", Assumptions())
        elif not isinstance(self.assumptions, Assumptions):
            raise InvalidInputError(f"assumptions must be an Assumptions, got {type(self.assumptions).__name__}")
        fix(self, "wind", _wind(self.wind))
        fix(self, "periods", _periods(self.periods))
        fix(self, "margin_nm", validation.margin_nm(self.margin_nm))
        fix(self, "min_runway_m", validation.as_number(self.min_runway_m, "min_runway_m", low=0.0, low_open=True))
        fix(self, "oei_speed_kt", validation.as_number(self.oei_speed_kt, "oei_speed_kt", low=0.0, low_open=True))
        if self.cost_rates is not None and not isinstance(self.cost_rates, CostRates):
            raise InvalidInputError(
                f"cost_rates must be a CostRates (routes.load_cost_rates) or None, got {type(self.cost_rates).__name__}"
            )
        from routes.analysis.cost import check_schedule  # the cost model's own rule and bounds

        fix(self, "flights_per_week", check_schedule(self.flights_per_week))
        fix(self, "operator", _operator(self.operator))
        fix(self, "rates_date", _date(self.rates_date))
        if self.objective not in OBJECTIVES:
            raise ObjectiveError(
                f"unknown objective {self.objective!r}; expected one of {', '.join(map(repr, OBJECTIVES))}"
            )
        fix(self, "airline", _airline(self.airline))
        self._check_ranges()

    def _check_ranges(self) -> None:
        if not isinstance(self.ranges, bool):
            raise InvalidInputError(f"ranges must be True or False, got {self.ranges!r}")
        check_samples(self.range_samples, "range_samples")
        if isinstance(self.range_seed, bool) or not isinstance(self.range_seed, int) or self.range_seed < 0:
            raise InvalidInputError(f"range_seed must be a whole number >= 0, got {self.range_seed!r}")

    def with_(self, **changes: Any) -> Study:
        """A copy with ``changes`` (field name -> value), checked like a new `Study`."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise InvalidInputError(
                f"Study has no setting {', '.join(sorted(unknown))}; "
                f"the settings are {', '.join(f.name for f in dataclasses.fields(self))}"
            )
        return dataclasses.replace(self, **changes)

    @property
    def wind_label(self) -> str:
        """The wind in words: ``"still air"`` or the wind model's own label."""
        return "still air" if self.wind is None else str(getattr(self.wind, "label", type(self.wind).__name__))

    def operator_for(self, scenario: str | Scenario) -> str | None:
        """The operator whose tariffs price a route of ``scenario``: the study's, else the scenario's, else None
        (foreign-operator tariffs)."""
        return self.operator or get_scenario(scenario).operator or None

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain values (JSON-ready): assumptions as a mapping, the wind as its label."""
        return {
            "aircraft": list(self.aircraft),
            "assumptions": dataclasses.asdict(self.assumptions),
            "wind": self.wind_label,
            "periods": [period_label(p) for p in self.periods],
            "margin_nm": self.margin_nm,
            "min_runway_m": self.min_runway_m,
            "oei_speed_kt": self.oei_speed_kt,
            "cost_rates": "shipped data" if self.cost_rates is None else "given",
            "flights_per_week": self.flights_per_week,
            "operator": self.operator,
            "rates_date": self.rates_date.isoformat() if self.rates_date else None,
            "objective": self.objective,
            "ranges": self.ranges,
            "range_samples": self.range_samples,
            "range_seed": self.range_seed,
            "airline": self.airline,
        }

    def describe(self) -> list[tuple[str, str]]:
        """The settings as (label, text) lines, in the order a report lists them."""
        fuel = "" if self.cost_rates is None else f", jet fuel {self.cost_rates.fuel_price_usd_per_bbl:g} USD/bbl"
        return [
            ("aircraft", ", ".join(self.aircraft)),
            ("wind", self.wind_label),
            ("climatology periods", ", ".join(period_label(p) for p in self.periods) or "none"),
            ("margin from closed airspace", f"{self.margin_nm:g} nm"),
            ("alternates", f"runway >= {self.min_runway_m:,.0f} m, one engine out at {self.oei_speed_kt:g} kt"),
            ("cost rates", ("shipped data" if self.cost_rates is None else "given") + fuel),
            ("schedule", f"{self.flights_per_week:g} flights a week each way"),
            ("operator", self.operator or "the scenario's, else foreign-operator tariffs"),
            ("rates on", self.rates_date.isoformat() if self.rates_date else "today"),
            ("objective", self.objective),
            ("ranges", self._ranges_text()),
            *([("fleet of", self.airline)] if self.airline else []),
        ]

    def _ranges_text(self) -> str:
        if not self.ranges:
            return "off"
        return (
            f"5-95 % of {self.range_samples:,} seeded draws (seed {self.range_seed}) across the register's ranges, "
            "and the month-to-month spread"
        )


def _aircraft(value: str | Iterable[str]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    try:
        out = tuple(str(a).strip().upper() for a in items if str(a).strip())
    except TypeError:
        raise InvalidInputError(f"aircraft must be ICAO type codes such as 'B77W', got {value!r}") from None
    if not out:
        raise InvalidInputError(f"aircraft: nothing given ({value!r}); name at least one ICAO type, e.g. 'B77W'")
    return out


def _wind(value: Any) -> WindModel | None:
    if value is None or hasattr(value, "ground_speed_kt"):
        return value
    if isinstance(value, int | str) and not isinstance(value, bool):
        from routes.analysis.climatology import climatology

        return climatology(value)  # a bad period raises ClimatologyPeriodError with the allowed values
    raise InvalidInputError(
        f"wind must be None (still air), a wind model or a climatology period (1-12, 'DJF', 'annual'), got {value!r}"
    )


def _periods(value: int | str | Iterable[int | str]) -> tuple[int | str, ...]:
    """The periods, each once (``[1, "jan"]`` is January once: `routes.validation.unique_options`); an unknown
    period raises `ClimatologyPeriodError` with the allowed values."""
    from routes.seasonal import period_key

    items = [value] if isinstance(value, int | str) else value
    return tuple(validation.unique_options(items, "periods", key=period_key))


def _operator(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"operator must be a state or airline code such as 'RUS' or 'AFL', got {value!r}")
    return value.strip().upper()


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInputError(f"rates_date must be a date (YYYY-MM-DD), got {value!r}") from None


def _airline(value: str | None) -> str | None:
    """The airline's ICAO designator, checked against ``data/fleets.csv`` (`UnknownOperatorError` lists the
    airlines it has)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"airline must be an airline designator such as 'AFL' or 'SU', got {value!r}")
    from routes.inputs.fleets import fleet

    return fleet(value)[0].airline
