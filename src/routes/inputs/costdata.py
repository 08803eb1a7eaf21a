"""Cost rates as data: jet-fuel price, time-related costs per block hour, currency conversion and the
en-route navigation charges of each charging authority.

Loaded from ``data/charges/economics.toml`` and ``data/charges/navigation.toml`` (every figure with its
source, date and price year); any value can be overridden from code or from a TOML file of the same
shape (`load_cost_rates`). Bad data raises a `routes.errors.CostDataError` subclass naming the entry.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from routes.errors import CostDataError, PriceError, RateValidityError, UnknownAuthorityError, UnknownCurrencyError
from routes.inputs.airspace import data_dir
from routes.inputs.costparts import (
    MAX_FIGURE,
    SOURCE_STATUSES,
    DatedRate,
    OwnershipCost,
    apply_ownership,
    dated_rates,
    ownership_cost,
    read_day,
)
from routes.inputs.costparts import number as _number
from routes.units import KM_PER_NM, LITRES_PER_BARREL

AIRSPACE_KINDS = ("sovereign", "high_seas", "both")
FLIGHT_KINDS = ("all", "overflight")
PAYERS = ("all", "foreign", "national")
"""Who pays a row's tariff: everyone, operators not of the row's states, or operators of the row's states."""


MAX_FUEL_PRICE_USD_PER_BBL = 2_000.0
"""Highest jet-fuel price accepted (USD per barrel): ten times the 2008 and 2022 peaks (~180 USD/bbl)."""
MAX_HOURLY_USD_PER_BH = 1_000_000.0
"""Highest time-cost rate accepted (USD per block hour): a hundred times a widebody's total (~10,000)."""
MAX_WEIGHT_EXPONENT = 2.0
"""Highest exponent of a charge's weight factor: the formulas in use have 0.5-1."""


def _fuel_price(value: Any, where: str) -> float:
    """A jet-fuel price in USD per barrel, finite and in ``[0, MAX_FUEL_PRICE_USD_PER_BBL]``."""
    return _number(value, where, high=MAX_FUEL_PRICE_USD_PER_BBL)


@dataclass(frozen=True)
class ChargeRate:
    """One charging authority (or zone) and its published formula.

    ``charge = per_flight + rate x max(distance - airport_deduction_km x airports, 0) / distance_divisor
    x (MTOW_t / weight_divisor_t) ** weight_exponent`` in `currency`, where ``rate`` is `unit_rate` or the
    rate of the MTOW band in `mtow_bands_t`, and ``distance`` is in `distance_unit` (km or nm). With
    ``factor_decimals >= 0`` the distance and weight factors are rounded to that many decimals first
    (EUROCONTROL: two, per Regulation (EU) 2019/317 Annex VIII).

    Attributes
    ----------
    id : str
        Unique key (used by overrides), e.g. ``"EUROCONTROL-EF"``.
    states : tuple of str
        ISO alpha-3 codes of the states whose airspace the row charges.
    airspace : {"sovereign", "high_seas", "both"}
        Which km the row charges: inside sovereign airspace, high-seas km attributed to the nearest of
        `states` (a FIR proxy), or both.
    flights : {"all", "overflight"}
        ``"overflight"``: only flights neither departing from nor landing in `states` pay.
    unit_rate : float
        NaN when the formula is known but no current rate was confirmed (the fallback is used, flagged).
    mtow_bands_t : tuple of (upper MTOW t, rate)
        Banded tariff (first band whose upper bound the MTOW does not exceed); overrides `unit_rate`.
    group : str
        The charging authority the row belongs to (``"RUS"`` for every Russian period and tariff); "" means
        the row's own `id`, see `authority_key`.
    payers : {"all", "foreign", "national"}
        Who pays this tariff: everyone, operators not of `states` (Russia's USD tariff), or operators of
        `states` (Russia's ruble tariff).
    valid_from, valid_to : date or None
        First and last day the rate applies; None: no start / no end stated (in force until superseded).
    status : {"confirmed", "secondary", "derived", ""}
        How the figures stand (see `SOURCE_STATUSES`); ``derivation`` says how a derived one was computed.
    """

    id: str
    authority: str
    states: tuple[str, ...]
    currency: str
    unit_rate: float = math.nan
    mtow_bands_t: tuple[tuple[float, float], ...] = ()
    airspace: str = "sovereign"
    flights: str = "all"
    per_flight: float = 0.0
    distance_unit: str = "km"
    distance_divisor: float = 100.0
    airport_deduction_km: float = 0.0
    weight_divisor_t: float = 1.0
    weight_exponent: float = 0.0
    factor_decimals: int = -1
    formula: str = ""
    effective: str = ""
    price_year: int = 0
    source: str = ""
    url: str = ""
    confirmed: bool = False
    note: str = ""
    group: str = ""
    payers: str = "all"
    valid_from: date | None = None
    valid_to: date | None = None
    status: str = ""
    derivation: str = ""

    @property
    def authority_key(self) -> str:
        """The charging authority's key: `group`, or the row's `id` when the row is its own authority."""
        return self.group or self.id

    def valid_on(self, day: date) -> bool:
        """Whether the rate applies on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def period(self) -> str:
        """``"2023-04-01 to 2025-12-31"`` (open ends as ``"..."``)."""
        start = self.valid_from.isoformat() if self.valid_from else "..."
        return f"{start} to {self.valid_to.isoformat() if self.valid_to else '...'}"

    @property
    def known(self) -> bool:
        """Whether the row has a usable rate (a unit rate, bands, or a per-flight charge only)."""
        return bool(self.mtow_bands_t) or not math.isnan(self.unit_rate)

    @property
    def distance_based(self) -> bool:
        """Whether the charge grows with distance."""
        return bool(self.mtow_bands_t) or (self.known and self.unit_rate > 0)

    def rate_for(self, mtow_t: float) -> float:
        """The unit rate that applies to an aircraft of ``mtow_t`` tonnes (NaN when unknown)."""
        for upper, rate in self.mtow_bands_t:
            if mtow_t <= upper:
                return rate
        if self.mtow_bands_t:
            return self.mtow_bands_t[-1][1]
        return self.unit_rate

    def charge(self, distance_km: float, mtow_t: float, airports_in_zone: int = 0) -> float:
        """The charge in `currency` for ``distance_km`` flown in the zone by a ``mtow_t`` aircraft."""
        km = max(distance_km - self.airport_deduction_km * airports_in_zone, 0.0)
        distance = (km / KM_PER_NM if self.distance_unit == "nm" else km) / self.distance_divisor
        weight = (mtow_t / self.weight_divisor_t) ** self.weight_exponent
        if self.factor_decimals >= 0:  # EUROCONTROL: both factors "expressed to two decimal places"
            distance, weight = round(distance, self.factor_decimals), round(weight, self.factor_decimals)
        return self.per_flight + self.rate_for(mtow_t) * distance * weight


@dataclass(frozen=True)
class HourlyCost:
    """Time-related cost per block hour for an aircraft class (USD per block hour).

    Each component carries its price year and source (``<component>_price_year``, ``_source``, ``_url``).
    """

    name: str
    min_mtow_t: float
    flight_crew_usd_per_bh: float
    cabin_crew_usd_per_bh: float
    maintenance_usd_per_bh: float
    ownership_usd_per_bh: float
    flight_crew_price_year: int = 0
    cabin_crew_price_year: int = 0
    maintenance_price_year: int = 0
    ownership_price_year: int = 0
    flight_crew_source: str = ""
    cabin_crew_source: str = ""
    maintenance_source: str = ""
    ownership_source: str = ""
    flight_crew_url: str = ""
    cabin_crew_url: str = ""
    maintenance_url: str = ""
    ownership_url: str = ""
    confirmed: bool = False
    note: str = ""

    COMPONENTS = ("flight_crew", "cabin_crew", "maintenance", "ownership")

    @property
    def total_usd_per_bh(self) -> float:
        """Sum of the components, USD per block hour."""
        return sum(getattr(self, f"{c}_usd_per_bh") for c in self.COMPONENTS)

    @property
    def price_years(self) -> tuple[int, int]:
        """Oldest and newest price year of the components."""
        years = [getattr(self, f"{c}_price_year") for c in self.COMPONENTS]
        return min(years), max(years)


@dataclass(frozen=True)
class CostRates:
    """Every price the cost model uses, with provenance. Build with `load_cost_rates`.

    Attributes
    ----------
    fuel_price_usd_per_bbl : float
        Jet-fuel price, USD per barrel (158.987 L).
    fuel_density_kg_per_l : float
    hourly : tuple of HourlyCost
        Aircraft classes, heaviest first.
    per_eur : tuple of (currency, units per EUR)
        Exchange rates (ECB reference rates), crossed through the euro.
    charges : tuple of ChargeRate
        Every row, of every period and tariff (`routes.inputs.ratedates.rates_on` picks those of a date).
    dated_fx : tuple of DatedRate
        Dated rates of currencies the ECB does not publish (RUB), oldest first.
    ownership : tuple of OwnershipCost
        Per-type ownership costs (they replace the class value for that type).
    """

    fuel_price_usd_per_bbl: float
    fuel_price_year: int
    fuel_density_kg_per_l: float
    fuel_source: str
    hourly: tuple[HourlyCost, ...]
    per_eur: tuple[tuple[str, float], ...]
    fx_as_of: str
    fx_source: str
    charges: tuple[ChargeRate, ...]
    fallback_method: str = ""
    files: tuple[str, ...] = field(default=(), compare=False)
    dated_fx: tuple[DatedRate, ...] = ()
    ownership: tuple[OwnershipCost, ...] = ()

    @property
    def fuel_price_usd_per_kg(self) -> float:
        """Jet-fuel price per kg at the stated density."""
        return self.fuel_price_usd_per_bbl / (LITRES_PER_BARREL * self.fuel_density_kg_per_l)

    def usd_per_unit(self, currency: str) -> float:
        """USD per unit of ``currency``.

        Raises
        ------
        UnknownCurrencyError
            No rate for the currency; the message lists the known ones.
        """
        rates = dict(self.per_eur)
        code = str(currency).strip().upper()
        dated = [r for r in self.dated_fx if r.currency == code]
        if code not in rates and dated and "USD" in rates:
            return 1.0 / dated[-1].units_per_usd  # the latest dated rate (`ratedates.rates_on` picks one by date)
        if code not in rates or "USD" not in rates:
            known = sorted({*rates, *(r.currency for r in self.dated_fx)})
            raise UnknownCurrencyError(f"unknown currency {currency!r}; known: {', '.join(known)}")
        return rates["USD"] / rates[code]

    def to_usd(self, amount: float, currency: str) -> float:
        """Convert ``amount`` of ``currency`` to USD."""
        return amount * self.usd_per_unit(currency)

    def hourly_for(self, mtow_t: float) -> tuple[HourlyCost, bool]:
        """The time-cost class of an aircraft and whether it is only a stand-in (lighter than every class)."""
        for h in self.hourly:
            if mtow_t >= h.min_mtow_t:
                return h, False
        return self.hourly[-1], True

    def charge_rows(self, state: str) -> list[ChargeRate]:
        """Rows charging in ``state`` (ISO alpha-3)."""
        return [c for c in self.charges if state in c.states]

    def ownership_for(self, aircraft: str) -> OwnershipCost | None:
        """The per-type ownership cost of ``aircraft`` (ICAO type code), or None (the class value applies)."""
        code = str(aircraft).strip().upper()
        return next((o for o in self.ownership if o.aircraft == code), None)

    def with_fuel_price(self, usd_per_bbl: float) -> CostRates:
        """A copy with another jet-fuel price (USD per barrel)."""
        return replace(self, fuel_price_usd_per_bbl=_fuel_price(usd_per_bbl, "fuel price (USD per barrel)"))

    def with_overrides(self, overrides: Mapping[str, Any]) -> CostRates:
        """A copy with values replaced, in the shape of the data files (see `load_cost_rates`)."""
        return _apply(self, overrides, "overrides")


def _charge(spec: Mapping[str, Any], where: str) -> ChargeRate:
    if not isinstance(spec, Mapping):
        raise CostDataError(f"{where}: each [[charge]] must be a table, got {spec!r}")
    cid = spec.get("id")
    if not isinstance(cid, str) or not cid.strip():
        raise CostDataError(f"{where}: a [[charge]] row has no 'id'")
    where = f"{where}: charge {cid!r}"
    allowed = {f.name for f in fields(ChargeRate)}
    unknown = set(spec) - allowed
    if unknown:
        raise CostDataError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(allowed))}"
        )
    for key in ("authority", "states", "currency"):
        if key not in spec:
            raise CostDataError(f"{where}: missing {key!r}")
    states = spec["states"]
    if isinstance(states, str) or not isinstance(states, list) or not all(isinstance(s, str) for s in states):
        raise CostDataError(f"{where}: 'states' must be a list of ISO alpha-3 codes, got {states!r}")
    if "unit_rate" not in spec and "mtow_bands_t" not in spec and "per_flight" not in spec:
        raise CostDataError(f"{where}: needs 'unit_rate', 'mtow_bands_t' or 'per_flight'")
    bands = []
    for i, band in enumerate(spec.get("mtow_bands_t", [])):
        if not isinstance(band, list) or len(band) != 2:
            raise CostDataError(f"{where}: mtow_bands_t[{i}] must be [upper MTOW t, rate], got {band!r}")
        bands.append((_number(band[0], f"{where}: mtow_bands_t[{i}]"), _number(band[1], f"{where}: mtow_bands_t[{i}]")))
    if any(b[0] >= a[0] for a, b in zip(bands[1:], bands[:-1], strict=True)):
        raise CostDataError(f"{where}: mtow_bands_t must have increasing upper bounds")
    kw: dict[str, Any] = {
        k: spec[k] for k in ("authority", "formula", "effective", "source", "url", "note") if k in spec
    }
    for k in ("per_flight", "distance_divisor", "airport_deduction_km", "weight_divisor_t", "weight_exponent"):
        if k in spec:
            high = MAX_WEIGHT_EXPONENT if k == "weight_exponent" else MAX_FIGURE
            kw[k] = _number(spec[k], f"{where}: {k}", high=high)
    if kw.get("distance_divisor", 1.0) == 0 or kw.get("weight_divisor_t", 1.0) == 0:
        raise CostDataError(f"{where}: divisors must be > 0")
    airspace, flights = spec.get("airspace", "sovereign"), spec.get("flights", "all")
    if airspace not in AIRSPACE_KINDS:
        raise CostDataError(f"{where}: airspace must be one of {AIRSPACE_KINDS}, got {airspace!r}")
    if flights not in FLIGHT_KINDS:
        raise CostDataError(f"{where}: flights must be one of {FLIGHT_KINDS}, got {flights!r}")
    unit = spec.get("distance_unit", "km")
    if unit not in ("km", "nm"):
        raise CostDataError(f"{where}: distance_unit must be 'km' or 'nm', got {unit!r}")
    decimals = spec.get("factor_decimals", -1)
    if not isinstance(decimals, int) or isinstance(decimals, bool):
        raise CostDataError(f"{where}: factor_decimals must be an integer, got {decimals!r}")
    year = spec.get("price_year", 0)
    if not isinstance(year, int) or isinstance(year, bool):
        raise CostDataError(f"{where}: price_year must be an integer year, got {year!r}")
    kw.update(_validity(spec, where))
    return ChargeRate(
        id=cid.strip(),
        states=tuple(s.strip().upper() for s in states),
        currency=str(spec["currency"]).strip().upper(),
        unit_rate=_number(spec.get("unit_rate", 0.0), f"{where}: unit_rate", allow_unknown=True),
        mtow_bands_t=tuple(bands),
        airspace=airspace,
        flights=flights,
        distance_unit=unit,
        price_year=year,
        factor_decimals=decimals,
        confirmed=bool(spec.get("confirmed", False)),
        **kw,
    )


def _validity(spec: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The tariff and validity fields of a [[charge]] row: group, payers, valid_from/valid_to, status, derivation."""
    payers, status = spec.get("payers", "all"), spec.get("status", "")
    if payers not in PAYERS:
        raise CostDataError(f"{where}: payers must be one of {PAYERS}, got {payers!r}")
    if status not in ("", *SOURCE_STATUSES):
        raise CostDataError(f"{where}: status must be one of {SOURCE_STATUSES}, got {status!r}")
    start = read_day(spec.get("valid_from"), f"{where}: valid_from")
    end = read_day(spec.get("valid_to"), f"{where}: valid_to")
    if start and end and end < start:
        raise RateValidityError(f"{where}: valid_to {end} is before valid_from {start}")
    return {
        "group": str(spec.get("group", "")).strip(),
        "payers": payers,
        "valid_from": start,
        "valid_to": end,
        "status": status,
        "derivation": str(spec.get("derivation", "")),
    }


def check_periods(rows: tuple[ChargeRate, ...] | list[ChargeRate], where: str = "charges") -> None:
    """Raise `RateValidityError` naming the rows when two rows of one authority and one tariff (`payers`)
    overlap in time (each day must have at most one rate per authority and payer)."""
    by_key: dict[tuple[str, str], list[ChargeRate]] = {}
    for r in rows:
        by_key.setdefault((r.authority_key, r.payers), []).append(r)
    for (key, payers), group in by_key.items():
        ordered = sorted(group, key=lambda r: r.valid_from or date.min)
        for a, b in itertools.pairwise(ordered):
            if a.valid_to is None or (b.valid_from or date.min) <= a.valid_to:
                raise RateValidityError(
                    f"{where}: rows {a.id!r} ({a.period}) and {b.id!r} ({b.period}) of authority {key!r} "
                    f"(payers {payers!r}) overlap; end the earlier row (valid_to) before the later one starts"
                )


def _hourly(name: str, spec: Mapping[str, Any], where: str) -> HourlyCost:
    where = f"{where}: [hourly.{name}]"
    if not isinstance(spec, Mapping):
        raise CostDataError(f"{where} must be a table")
    allowed = {f.name for f in fields(HourlyCost)} - {"name"}
    unknown = set(spec) - allowed
    if unknown:
        raise CostDataError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    kw: dict[str, Any] = {}
    for k, v in spec.items():
        if k.endswith("_usd_per_bh") or k == "min_mtow_t":
            kw[k] = _number(v, f"{where}: {k}", high=MAX_HOURLY_USD_PER_BH)
        elif k.endswith("_price_year"):
            if not isinstance(v, int) or isinstance(v, bool):
                raise CostDataError(f"{where}: {k} must be an integer year, got {v!r}")
            kw[k] = v
        else:
            kw[k] = v
    for c in HourlyCost.COMPONENTS:
        if f"{c}_usd_per_bh" not in kw:
            raise CostDataError(f"{where}: missing '{c}_usd_per_bh'")
    if "min_mtow_t" not in kw:
        raise CostDataError(f"{where}: missing 'min_mtow_t'")
    return HourlyCost(name=name, **kw)


def _parse(economics: Mapping[str, Any], navigation: Mapping[str, Any], files: tuple[str, ...]) -> CostRates:
    where = files[0] if files else "cost data"
    try:
        fuel, fx, hourly = economics["fuel"], economics["currencies"], economics["hourly"]
    except KeyError as exc:
        raise CostDataError(f"{where}: missing table [{exc.args[0]}]") from None
    per_eur = fx.get("per_eur")
    if not isinstance(per_eur, Mapping) or "USD" not in per_eur:
        raise CostDataError(f"{where}: [currencies.per_eur] must give units per EUR, including USD")
    rates = {str(k).upper(): _number(v, f"{where}: currencies.per_eur.{k}") for k, v in per_eur.items()}
    if any(v == 0 for v in rates.values()):
        raise PriceError(f"{where}: exchange rates must be > 0")
    classes = sorted((_hourly(n, s, where) for n, s in hourly.items()), key=lambda h: -h.min_mtow_t)
    if not classes:
        raise CostDataError(f"{where}: [hourly] has no aircraft class")
    rows_spec = navigation.get("charge", [])
    if not isinstance(rows_spec, list):
        raise CostDataError(f"{files[-1] if files else 'charges'}: 'charge' must be an array of tables ([[charge]])")
    rows = [_charge(r, files[-1] if files else "charges") for r in rows_spec]
    ids = [r.id for r in rows]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CostDataError(f"charges: duplicate id(s) {', '.join(dupes)}")
    check_periods(rows, files[-1] if files else "charges")
    out = CostRates(
        fuel_price_usd_per_bbl=_fuel_price(fuel.get("price_usd_per_bbl"), f"{where}: fuel.price_usd_per_bbl"),
        fuel_price_year=int(fuel.get("price_year", 0)),
        fuel_density_kg_per_l=_number(fuel.get("density_kg_per_l", 0.8), f"{where}: fuel.density_kg_per_l"),
        fuel_source=str(fuel.get("source", "")),
        hourly=tuple(classes),
        per_eur=tuple(sorted(rates.items())),
        fx_as_of=str(fx.get("as_of", "")),
        fx_source=str(fx.get("source", "")),
        charges=tuple(rows),
        fallback_method=str(economics.get("fallback", {}).get("method", "")),
        files=files,
        dated_fx=dated_rates(fx.get("dated", []), where),
        ownership=tuple(ownership_cost(k, v, where) for k, v in economics.get("ownership", {}).items()),
    )
    for r in rows:
        try:
            out.usd_per_unit(r.currency)
        except UnknownCurrencyError as exc:
            raise UnknownCurrencyError(f"charge {r.id!r}: {exc}") from None
    if out.fuel_density_kg_per_l == 0:
        raise PriceError(f"{where}: fuel.density_kg_per_l must be > 0")
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CostDataError(f"cost data file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CostDataError(f"malformed cost data file {path}: {exc}") from None


@cache
def _default() -> CostRates:
    folder = data_dir() / "charges"
    eco, nav = folder / "economics.toml", folder / "navigation.toml"
    return _parse(_read(eco), _read(nav), (str(eco), str(nav)))


def _apply(base: CostRates, overrides: Mapping[str, Any], where: str) -> CostRates:
    """Overrides in the data files' shape: ``fuel``, ``hourly.<class>``, ``currencies.per_eur``, ``charge``."""
    if not isinstance(overrides, Mapping):
        raise CostDataError(f"{where}: overrides must be a mapping, got {type(overrides).__name__}")
    known = {"fuel", "hourly", "currencies", "charge", "fallback", "ownership"}
    bad = set(overrides) - known
    if bad:
        raise CostDataError(
            f"{where}: unknown section(s) {', '.join(sorted(bad))}; allowed: {', '.join(sorted(known))}"
        )
    out = _apply_fuel(base, overrides.get("fuel", {}), where)
    out = _apply_hourly(out, overrides.get("hourly", {}), where)
    out = replace(out, ownership=apply_ownership(out.ownership, overrides.get("ownership", {}), where))
    out = _apply_currencies(out, overrides.get("currencies", {}).get("per_eur", {}), where)
    out = _apply_charges(out, overrides.get("charge", []), where)
    check_periods(out.charges, where)
    for r in out.charges:
        try:
            out.usd_per_unit(r.currency)
        except UnknownCurrencyError as exc:
            raise UnknownCurrencyError(f"{where}: charge {r.id!r} (authority {r.authority_key!r}): {exc}") from None
    return out


def _apply_fuel(out: CostRates, fuel: Mapping[str, Any], where: str) -> CostRates:
    if not fuel:
        return out
    unknown = set(fuel) - {"price_usd_per_bbl", "price_year", "density_kg_per_l", "source", "url", "confirmed"}
    if unknown:
        raise CostDataError(f"{where}: unknown fuel field(s) {', '.join(sorted(unknown))}")
    return replace(
        out,
        fuel_price_usd_per_bbl=_fuel_price(
            fuel.get("price_usd_per_bbl", out.fuel_price_usd_per_bbl), f"{where}: fuel.price_usd_per_bbl"
        ),
        fuel_price_year=int(fuel.get("price_year", out.fuel_price_year)),
        fuel_density_kg_per_l=_number(
            fuel.get("density_kg_per_l", out.fuel_density_kg_per_l), f"{where}: fuel.density_kg_per_l"
        ),
        fuel_source=str(fuel.get("source", "user override" if "price_usd_per_bbl" in fuel else out.fuel_source)),
    )


def _apply_hourly(out: CostRates, specs: Mapping[str, Any], where: str) -> CostRates:
    """Class overrides; a class ownership figure replaces the per-type ownership values (the user's figure wins)."""
    if any(isinstance(v, Mapping) and "ownership_usd_per_bh" in v for v in specs.values()):
        out = replace(out, ownership=())
    hourly = {h.name: h for h in out.hourly}
    for name, spec in specs.items():
        if name in hourly:
            merged = {k: v for k, v in vars(hourly[name]).items() if k != "name"} | dict(spec)
        else:
            merged = dict(spec)
        hourly[name] = _hourly(name, merged, where)
    return replace(out, hourly=tuple(sorted(hourly.values(), key=lambda h: -h.min_mtow_t)))


def _apply_currencies(out: CostRates, per_eur: Mapping[str, Any], where: str) -> CostRates:
    if not per_eur:
        return out
    rates = dict(out.per_eur) | {
        str(k).upper(): _number(v, f"{where}: currencies.per_eur.{k}") for k, v in per_eur.items()
    }
    if any(v == 0 for v in rates.values()):
        raise PriceError(f"{where}: exchange rates must be > 0")
    return replace(out, per_eur=tuple(sorted(rates.items())), fx_source="user override")


def _apply_charges(out: CostRates, charge: Any, where: str) -> CostRates:
    """Change rows by id (an authority's key, e.g. ``"RUS"``, changes every row of it), or add rows marked
    ``new = true``."""
    rows = {c.id: c for c in out.charges}
    groups: dict[str, list[str]] = {}
    for c in out.charges:
        groups.setdefault(c.authority_key, []).append(c.id)
    if isinstance(charge, Mapping):  # {"RUS": {...}} as well as [[charge]] rows with ids
        charge = [{"id": k, **dict(v)} for k, v in charge.items()]
    for spec in charge:
        cid = spec.get("id") if isinstance(spec, Mapping) else None
        is_new = isinstance(spec, Mapping) and spec.get("new")
        if cid not in rows and cid in groups and not is_new:
            for rid in groups[cid]:
                rows[rid] = _override_row(rows[rid], {**spec, "id": rid}, f"{where}: authority {cid!r}")
            continue
        if cid not in rows and not is_new:
            raise UnknownAuthorityError(
                f"{where}: unknown charging authority {cid!r}; known: {', '.join([*groups, *rows])} "
                "(add a new one with new = true and a full row)"
            )
        spec = {k: v for k, v in spec.items() if k != "new"}
        rows[cid] = _override_row(rows[cid], spec, where) if cid in rows else _charge(spec, where)
    return replace(out, charges=tuple(rows.values()))


def _override_row(row: ChargeRate, spec: Mapping[str, Any], where: str) -> ChargeRate:
    """``row`` with the fields of ``spec`` replaced (a unit rate without bands drops the bands)."""
    current = {f.name: getattr(row, f.name) for f in fields(ChargeRate)}
    current["states"] = list(current["states"])
    current["mtow_bands_t"] = [list(b) for b in current["mtow_bands_t"]]
    if math.isnan(current["unit_rate"]):
        current["unit_rate"] = "unknown"
    if "unit_rate" in spec and "mtow_bands_t" not in spec:
        current["mtow_bands_t"] = []
    return _charge(current | dict(spec), where)


def load_cost_rates(
    overrides: Mapping[str, Any] | str | Path | None = None,
    economics: str | Path | None = None,
    navigation: str | Path | None = None,
) -> CostRates:
    """The cost rates: the shipped data, optionally replaced file-wise and overridden value-wise.

    Parameters
    ----------
    overrides : mapping or path to a TOML file
        Same shape as the data files, e.g. ``{"fuel": {"price_usd_per_bbl": 95},
        "hourly": {"widebody": {"ownership_usd_per_bh": 2500}}, "currencies": {"per_eur": {"USD": 1.1}},
        "charge": {"RUS": {"unit_rate": 150.0}}, "ownership": {"B77W": {"value_usd_m": 60.0}}}``; a
        ``[[charge]]`` entry naming an unknown id raises `UnknownAuthorityError` unless it sets ``new = true``
        and is a full row. An authority's key (``"RUS"``) changes every row (period and tariff) of it; a row id
        (``"RUS-USD-2026-01"``) one row. A class's ``ownership_usd_per_bh`` replaces the per-type values.
    economics, navigation : path
        Replace the shipped ``economics.toml`` / ``navigation.toml`` entirely.

    Raises
    ------
    CostDataError
        Malformed file or entry (the message names it); `PriceError` for negative/NaN values,
        `UnknownCurrencyError`, `UnknownAuthorityError`, `RateValidityError` for rows of one authority and
        tariff with overlapping validity periods (naming both rows).
    """
    if economics is None and navigation is None:
        rates = _default()
    else:
        base = _default()
        eco_path = Path(economics) if economics is not None else Path(base.files[0])
        nav_path = Path(navigation) if navigation is not None else Path(base.files[1])
        rates = _parse(_read(eco_path), _read(nav_path), (str(eco_path), str(nav_path)))
    if overrides is None:
        return rates
    if isinstance(overrides, str | Path):
        return _apply(rates, _read(Path(overrides)), str(overrides))
    return _apply(rates, overrides, "overrides")
