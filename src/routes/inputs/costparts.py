"""Parts of the cost data beside the charge rows: per-type ownership costs, dated exchange rates of currencies
the ECB does not publish (RUB), and the readers of numbers and dates that `routes.inputs.costdata` shares.

Read from ``data/charges/economics.toml`` (``[ownership.<TYPE>]``, ``[[currencies.dated]]``); bad entries raise a
`routes.errors.CostDataError` subclass naming them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from routes.errors import CostDataError, PriceError, RateValidityError

AIRSPACE_KINDS = ("sovereign", "high_seas", "both")
"""Which km a charge row charges (`routes.inputs.costdata.ChargeRate.airspace`)."""
FLIGHT_KINDS = ("all", "overflight")
"""Which flights a charge row charges (`routes.inputs.costdata.ChargeRate.flights`)."""
PAYERS = ("all", "foreign", "national")
"""Who pays a row's tariff: everyone, operators not of the row's states, or operators of the row's states."""
SOURCE_STATUSES = ("confirmed", "secondary", "derived")
"""confirmed: read in the official text (or a verbatim copy); secondary: a press or third-party report;
derived: computed from confirmed figures and dated steps (the row's ``derivation`` says how)."""


MAX_FUEL_PRICE_USD_PER_BBL = 2_000.0
"""Highest jet-fuel price accepted (USD per barrel): ten times the 2008 and 2022 peaks (~180 USD/bbl)."""
MAX_HOURLY_USD_PER_BH = 1_000_000.0
"""Highest time-cost rate accepted (USD per block hour): a hundred times a widebody's total (~10,000)."""
MAX_WEIGHT_EXPONENT = 2.0
"""Highest exponent of a charge's weight factor: the formulas in use have 0.5-1."""
MAX_FIGURE = 1e9
"""Highest value of any price, rate, exchange rate or divisor in the cost data without a bound of its own:
larger figures are typing mistakes, and they would carry costs to infinity."""


def number(value: Any, where: str, allow_unknown: bool = False, high: float = MAX_FIGURE) -> float:
    """A finite float in ``[0, high]``, or NaN for "unknown" when allowed."""
    if allow_unknown and isinstance(value, str) and value.strip().lower() == "unknown":
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PriceError(f"{where}: expected a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or v > high:
        raise PriceError(f"{where}: must be a finite number in [0, {high:,.10g}], got {value!r}")
    return v


@dataclass(frozen=True)
class OwnershipCost:
    """Ownership cost of one aircraft type per block hour, from a lease rate or a value x lease rate factor.

    ``usd_per_bh = monthly lease x 12 / block_hours_per_year``, where the monthly lease is
    `lease_usd_per_month` when published, else ``value_usd_m x 1e6 x lease_rate_factor_per_month``.
    Charging it per block hour assumes a utilisation-limited fleet (a modelling choice).
    """

    aircraft: str
    block_hours_per_year: float
    lease_usd_per_month: float = math.nan
    value_usd_m: float = math.nan
    lease_rate_factor_per_month: float = math.nan
    status: str = ""
    year: int = 0
    source: str = ""
    url: str = ""
    note: str = ""

    @property
    def monthly_usd(self) -> float:
        """The monthly lease (published, or value x lease rate factor), USD."""
        if not math.isnan(self.lease_usd_per_month):
            return self.lease_usd_per_month
        return self.value_usd_m * 1e6 * self.lease_rate_factor_per_month

    @property
    def usd_per_bh(self) -> float:
        """Ownership cost per block hour, USD."""
        return self.monthly_usd * 12.0 / self.block_hours_per_year


@dataclass(frozen=True)
class DatedRate:
    """An exchange rate on a date for a currency the ECB does not publish (RUB: the Central Bank of Russia)."""

    currency: str
    units_per_usd: float
    on: date
    source: str
    url: str = ""
    status: str = ""


def read_day(value: Any, where: str) -> date | None:
    """A TOML date, an ISO ``"YYYY-MM-DD"`` text, or None for "" / None (an open end)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise RateValidityError(f"{where}: malformed date {value!r}; expected YYYY-MM-DD, e.g. 2026-03-31") from None


def dated_rates(specs: Any, where: str) -> tuple[DatedRate, ...]:
    """``[[currencies.dated]]`` rows, oldest first; each needs a currency, units per USD, a date and a source."""
    if not isinstance(specs, list):
        raise CostDataError(f"{where}: currencies.dated must be an array of tables ([[currencies.dated]])")
    out = []
    for i, spec in enumerate(specs):
        here = f"{where}: currencies.dated[{i}]"
        missing = [k for k in ("currency", "units_per_usd", "date", "source") if k not in spec]
        if missing:
            raise CostDataError(f"{here}: missing {', '.join(missing)}")
        rate = number(spec["units_per_usd"], f"{here}: units_per_usd")
        if rate == 0:
            raise PriceError(f"{here}: units_per_usd must be > 0")
        day = read_day(spec["date"], f"{here}: date")
        assert day is not None
        status = spec.get("status", "")
        out.append(DatedRate(str(spec["currency"]).upper(), rate, day, spec["source"], spec.get("url", ""), status))
    return tuple(sorted(out, key=lambda r: (r.currency, r.on)))


OWNERSHIP_TEXT = ("value_source", "value_url", "lease_rate_factor_source", "lease_rate_factor_url",
                  "block_hours_source", "lease_source", "lease_url", "note")  # fmt: skip


def ownership_cost(code: str, spec: Mapping[str, Any], where: str) -> OwnershipCost:
    """One ``[ownership.<TYPE>]`` table: a monthly lease, or a value and a lease rate factor, and block hours a year."""
    here = f"{where}: [ownership.{code}]"
    if not isinstance(spec, Mapping):
        raise CostDataError(f"{here} must be a table")
    numbers = ("lease_usd_per_month", "value_usd_m", "lease_rate_factor_per_month", "block_hours_per_year")
    allowed = {*numbers, *OWNERSHIP_TEXT, "status", "value_year", "lease_year"}
    if unknown := set(spec) - allowed:
        known = ", ".join(sorted(allowed))
        raise CostDataError(f"{here}: unknown field(s) {', '.join(sorted(unknown))}; allowed: {known}")
    kw = {k: number(spec[k], f"{here}: {k}") for k in numbers if k in spec}
    has_lease = "lease_usd_per_month" in kw
    if not has_lease and not {"value_usd_m", "lease_rate_factor_per_month"} <= set(kw):
        raise CostDataError(f"{here}: needs lease_usd_per_month, or value_usd_m and lease_rate_factor_per_month")
    if not kw.get("block_hours_per_year"):
        raise CostDataError(f"{here}: needs block_hours_per_year > 0")
    status = spec.get("status", "")
    if status not in SOURCE_STATUSES:
        raise CostDataError(f"{here}: status must be one of {SOURCE_STATUSES}, got {status!r}")
    source_key = "lease_source" if has_lease else "value_source"
    url_key = "lease_url" if has_lease else "value_url"
    return OwnershipCost(
        aircraft=code.upper(),
        status=status,
        year=int(spec.get("lease_year" if has_lease else "value_year", 0)),
        source=str(spec.get(source_key, "")),
        url=str(spec.get(url_key, "")),
        note=str(spec.get("note", "")),
        **kw,
    )


def apply_ownership(
    ownership: tuple[OwnershipCost, ...], specs: Mapping[str, Any], where: str
) -> tuple[OwnershipCost, ...]:
    """Per-type ownership overrides, merged into the shipped entry of the type (a value or a lease factor
    replaces a published lease, and the other way round)."""
    if not isinstance(specs, Mapping):
        raise CostDataError(f"{where}: [ownership] must map aircraft types to tables, got {specs!r}")
    types = {o.aircraft: o for o in ownership}
    for code, spec in specs.items():
        if not isinstance(spec, Mapping):
            raise CostDataError(f"{where}: [ownership.{code}] must be a table")
        old = types.get(str(code).upper())
        base: dict[str, Any] = {}
        if old is not None:
            base = {"block_hours_per_year": old.block_hours_per_year, "status": old.status, "note": old.note}
            base |= {
                k: getattr(old, k)
                for k in ("lease_usd_per_month", "value_usd_m", "lease_rate_factor_per_month")
                if not math.isnan(getattr(old, k))
            }
        if {"value_usd_m", "lease_rate_factor_per_month"} & set(spec):
            base.pop("lease_usd_per_month", None)
        if "lease_usd_per_month" in spec:
            base.pop("value_usd_m", None)
            base.pop("lease_rate_factor_per_month", None)
        types[str(code).upper()] = ownership_cost(str(code), {**base, "status": "derived"} | dict(spec), where)
    return tuple(types.values())
