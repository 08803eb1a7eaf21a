"""The declared schemas of the cost data: ``economics.toml``, ``navigation.toml`` and overrides (pydantic).

Imported by `routes.inputs.costdata` when it reads a user's file or mapping; the shipped files are checked
against the same schemas by the tests, so runs with the shipped data never import pydantic.

Every number is finite and non-negative (divisors, densities and exchange rates positive). The plausible
ranges are `routes.inputs.costparts`'s (``MAX_FUEL_PRICE_USD_PER_BBL``, ...), declared once on the aliases below.
Dates (a charge row's ``valid_from``/``valid_to``, a dated exchange rate's ``date``) are days: a TOML date or a
``"YYYY-MM-DD"`` text. Whether the periods of an authority's rows overlap is not the schema's business but
`routes.inputs.costdata.check_periods`'s, once the rows are built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

from routes.errors import CostFileError, PeriodFileError, PriceFileError
from routes.inputs.bans import day_of
from routes.inputs.costparts import (
    AIRSPACE_KINDS,
    FLIGHT_KINDS,
    MAX_FIGURE,
    MAX_FUEL_PRICE_USD_PER_BBL,
    MAX_HOURLY_USD_PER_BH,
    MAX_WEIGHT_EXPONENT,
    PAYERS,
    SOURCE_STATUSES,
)
from routes.schema import Strict, number_in, rule_error, validate

FuelPrice = number_in(0.0, MAX_FUEL_PRICE_USD_PER_BBL)
"""A jet-fuel price, USD per barrel."""
HourlyRate = number_in(0.0, MAX_HOURLY_USD_PER_BH)
"""A time-related cost, USD per block hour (and an aircraft class's minimum MTOW)."""
Amount = number_in(0.0, MAX_FIGURE)
"""Any other price, rate or figure of the cost data: a unit rate, a per-flight charge, a distance."""
Positive = number_in(0.0, MAX_FIGURE, low_open=True)
"""A divisor, a density or an exchange rate: > 0."""
Exponent = number_in(0.0, MAX_WEIGHT_EXPONENT)
Year = Annotated[int, Field(ge=0, le=2200)]
"""A price year (0: not stated)."""


def _codes(value: Any) -> Any:
    if isinstance(value, str):  # never read letter by letter
        raise ValueError(f"expected a list of ISO alpha-3 codes, e.g. [{value!r}], got one text {value!r}")
    return value


def _unknown(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    if isinstance(value, str) and value.strip().lower() == "unknown":
        return "unknown"
    return handler(value)


def _day(value: Any) -> dt.date:
    try:
        return day_of(value)  # a TOML date or "YYYY-MM-DD"; a date and time is refused
    except ValueError as exc:
        raise rule_error("period", str(exc)) from None


Codes = Annotated[list[str], BeforeValidator(_codes)]
Day = Annotated[dt.date, BeforeValidator(_day)]
"""A day: a TOML date or ``"YYYY-MM-DD"`` text."""
Status = Literal[SOURCE_STATUSES]
"""How a figure stands: confirmed, secondary (a press or third-party report) or derived."""
UnitRate = Annotated[Amount, WrapValidator(_unknown), PlainSerializer(lambda rate: rate, return_type=Any)]
"""A unit rate, or ``"unknown"``: the formula is known but no current rate was confirmed."""
Band = Annotated[list[Amount], Field(min_length=2, max_length=2)]
"""``[upper MTOW t, rate]``."""


class Fuel(Strict):
    """``[fuel]``: the jet-fuel price."""

    price_usd_per_bbl: FuelPrice | None = None
    price_year: Year | None = None
    density_kg_per_l: Positive | None = None
    source: str | None = None
    url: str | None = None
    confirmed: bool | None = None


class HourlyCosts(Strict):
    """``[hourly.<class>]``: time-related costs of an aircraft class (all keys optional in an override)."""

    min_mtow_t: HourlyRate | None = None
    flight_crew_usd_per_bh: HourlyRate | None = None
    cabin_crew_usd_per_bh: HourlyRate | None = None
    maintenance_usd_per_bh: HourlyRate | None = None
    ownership_usd_per_bh: HourlyRate | None = None
    flight_crew_price_year: Year | None = None
    cabin_crew_price_year: Year | None = None
    maintenance_price_year: Year | None = None
    ownership_price_year: Year | None = None
    flight_crew_source: str | None = None
    cabin_crew_source: str | None = None
    maintenance_source: str | None = None
    ownership_source: str | None = None
    flight_crew_url: str | None = None
    cabin_crew_url: str | None = None
    maintenance_url: str | None = None
    ownership_url: str | None = None
    confirmed: bool | None = None
    note: str | None = None


class HourlyRow(HourlyCosts):
    """A complete aircraft class: the minimum MTOW and the four components are required."""

    min_mtow_t: HourlyRate
    flight_crew_usd_per_bh: HourlyRate
    cabin_crew_usd_per_bh: HourlyRate
    maintenance_usd_per_bh: HourlyRate
    ownership_usd_per_bh: HourlyRate


class DatedCurrency(Strict):
    """A ``[[currencies.dated]]`` row: a dated exchange rate of a currency the ECB does not publish (RUB)."""

    currency: Annotated[str, Field(min_length=1)]
    units_per_usd: Positive
    date: Day
    source: str
    url: str | None = None
    status: Status | None = None


class Ownership(Strict):
    """``[ownership.<TYPE>]``: a type's ownership cost, from a monthly lease or a value and a lease rate factor
    (`routes.inputs.costparts.ownership_cost` says which keys a complete entry needs)."""

    lease_usd_per_month: Amount | None = None
    value_usd_m: Amount | None = None
    lease_rate_factor_per_month: Amount | None = None
    block_hours_per_year: Positive | None = None
    status: Status | None = None
    value_year: Year | None = None
    lease_year: Year | None = None
    value_source: str | None = None
    value_url: str | None = None
    lease_rate_factor_source: str | None = None
    lease_rate_factor_url: str | None = None
    block_hours_source: str | None = None
    lease_source: str | None = None
    lease_url: str | None = None
    note: str | None = None


class Currencies(Strict):
    """``[currencies]``: exchange rates, units of each currency per EUR."""

    per_eur: dict[str, Positive] = Field(default_factory=dict)
    as_of: str | None = None
    source: str | None = None
    url: str | None = None
    dated: list[DatedCurrency] = Field(default_factory=list)


class Fallback(Strict):
    """``[fallback]``: how a row without a confirmed rate is estimated (text)."""

    method: str = ""


class Charge(Strict):
    """A ``[[charge]]`` row, or an override of one (every key optional; ``new = true`` adds a row)."""

    id: str | None = None
    new: bool = False
    authority: str | None = None
    states: Codes | None = None
    currency: str | None = None
    unit_rate: UnitRate | None = None
    mtow_bands_t: list[Band] | None = None
    airspace: Literal[AIRSPACE_KINDS] | None = None
    flights: Literal[FLIGHT_KINDS] | None = None
    per_flight: Amount | None = None
    distance_unit: Literal["km", "nm"] | None = None
    distance_divisor: Positive | None = None
    airport_deduction_km: Amount | None = None
    weight_divisor_t: Positive | None = None
    weight_exponent: Exponent | None = None
    factor_decimals: Annotated[int, Field(ge=-1, le=6)] | None = None
    formula: str | None = None
    effective: str | None = None
    price_year: Year | None = None
    source: str | None = None
    url: str | None = None
    confirmed: bool | None = None
    note: str | None = None
    group: str | None = None
    payers: Literal[PAYERS] | None = None
    valid_from: Day | None = None
    valid_to: Day | None = None
    status: Literal[("", *SOURCE_STATUSES)] | None = None
    derivation: str | None = None


class ChargeRow(Charge):
    """A complete row: an id, the authority, its states and currency, and a rate, bands or a per-flight charge."""

    id: Annotated[str, Field(min_length=1)]
    authority: str
    states: Codes
    currency: str

    @model_validator(mode="after")
    def _priced(self) -> ChargeRow:
        if self.unit_rate is None and not self.mtow_bands_t and self.per_flight is None:
            raise ValueError("needs 'unit_rate', 'mtow_bands_t' or 'per_flight'")
        uppers = [band[0] for band in self.mtow_bands_t or ()]
        if any(b <= a for a, b in pairwise(uppers)):
            raise ValueError(f"mtow_bands_t must have increasing upper bounds, got {uppers}")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise rule_error("period", f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


def _by_id(value: Any) -> Any:
    """Charge rows keyed by id, so that messages name the row: ``[[charge]]`` rows by their ``id`` (``"row 3"``
    without one), and a ``[charge.RUS]`` table's entries with ``id = "RUS"`` added."""
    if isinstance(value, Mapping):
        return {k: {"id": k, **v} if isinstance(v, Mapping) else v for k, v in value.items()}
    if not isinstance(value, list):
        return value  # refused by the dict type
    out: dict[str, Any] = {}
    for i, row in enumerate(value, start=1):
        cid = row.get("id") if isinstance(row, Mapping) else None
        key = cid.strip() if isinstance(cid, str) and cid.strip() else f"row {i}"
        if key in out:
            raise ValueError(f"duplicate id {key!r} (rows must have unique ids)")
        out[key] = row
    return out


class Overrides(Strict):
    """An override file or mapping: any part of the data files' shape."""

    fuel: Fuel = Fuel()
    hourly: dict[str, HourlyCosts] = Field(default_factory=dict)
    currencies: Currencies = Currencies()
    charge: Annotated[dict[str, Charge], BeforeValidator(_by_id)] = Field(default_factory=dict)
    fallback: Fallback = Fallback()
    ownership: dict[str, Ownership] = Field(default_factory=dict)


class Economics(Strict):
    """``economics.toml``: fuel, aircraft classes, per-type ownership, exchange rates (USD among them, and dated
    rates) and the fallback method."""

    fuel: Fuel
    hourly: Annotated[dict[str, HourlyRow], Field(min_length=1)]
    currencies: Currencies
    fallback: Fallback = Fallback()
    ownership: dict[str, Ownership] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _complete(self) -> Economics:
        if self.fuel.price_usd_per_bbl is None:
            raise ValueError("fuel.price_usd_per_bbl: required")
        if "USD" not in {c.upper() for c in self.currencies.per_eur}:
            raise ValueError("currencies.per_eur: must give units per EUR of USD (and of every charge's currency)")
        return self


class Navigation(Strict):
    """``navigation.toml``: the ``[[charge]]`` rows."""

    charge: Annotated[dict[str, ChargeRow], BeforeValidator(_by_id)] = Field(default_factory=dict)


def checked(model: type[Strict], data: Any, source: str) -> dict[str, Any]:
    """``data`` checked against ``model``, as a plain mapping of the keys given (a None counts as not given).

    Raises
    ------
    PriceFileError
        Only numbers out of range (negative, NaN, infinite).
    PeriodFileError
        Only dates that are not days, or validity periods that end before they start (a `RateValidityError`).
    CostFileError
        Anything else: an unknown key, a wrong type, a missing key; naming ``source`` and the key.
    """
    return validate(model, data, source, CostFileError, PriceFileError, {"period": PeriodFileError}).model_dump(
        exclude_unset=True, exclude_none=True
    )
