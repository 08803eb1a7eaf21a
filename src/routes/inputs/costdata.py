"""Cost rates as data: jet-fuel price, time-related costs per block hour, currency conversion and the
en-route navigation charges of each charging authority.

Loaded from ``data/charges/economics.toml`` and ``data/charges/navigation.toml`` (every figure with its
source, date and price year); any value can be overridden from code or from a TOML file of the same
shape (`load_cost_rates`). Bad data raises a `routes.errors.CostDataError` subclass naming the entry.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from routes.errors import (
    CostDataError,
    InvalidInputError,
    PriceError,
    UnknownAuthorityError,
    UnknownCurrencyError,
)
from routes.inputs.airspace import data_dir
from routes.units import KM_PER_NM, LITRES_PER_BARREL

AIRSPACE_KINDS = ("sovereign", "high_seas", "both")
FLIGHT_KINDS = ("all", "overflight")


MAX_FUEL_PRICE_USD_PER_BBL = 2_000.0
"""Highest jet-fuel price accepted (USD per barrel): ten times the 2008 and 2022 peaks (~180 USD/bbl)."""
MAX_HOURLY_USD_PER_BH = 1_000_000.0
"""Highest time-cost rate accepted (USD per block hour): a hundred times a widebody's total (~10,000)."""
MAX_WEIGHT_EXPONENT = 2.0
"""Highest exponent of a charge's weight factor: the formulas in use have 0.5-1."""
MAX_FIGURE = 1e9
"""Highest value of any other price, rate, exchange rate or divisor in the cost data: larger figures are
typing mistakes, and they would carry costs to infinity."""


def _number(value: Any, where: str, allow_unknown: bool = False, high: float = MAX_FIGURE) -> float:
    """A finite float in ``[0, high]``, or NaN for "unknown" when allowed."""
    if allow_unknown and isinstance(value, str) and value.strip().lower() == "unknown":
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PriceError(f"{where}: expected a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or v > high:
        raise PriceError(f"{where}: must be a finite number in [0, {high:,.10g}], got {value!r}")
    return v


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
        if code not in rates or "USD" not in rates:
            raise UnknownCurrencyError(f"unknown currency {currency!r}; known: {', '.join(sorted(rates))}")
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

    def with_fuel_price(self, usd_per_bbl: float) -> CostRates:
        """A copy with another jet-fuel price (USD per barrel)."""
        return replace(self, fuel_price_usd_per_bbl=_fuel_price(usd_per_bbl, "fuel price (USD per barrel)"))

    def with_overrides(self, overrides: Mapping[str, Any]) -> CostRates:
        """A copy with values replaced, in the shape of the data files (see `load_cost_rates`)."""
        return _apply(self, overrides, "overrides")


_CHARGE_FLOATS = ("per_flight", "distance_divisor", "airport_deduction_km", "weight_divisor_t", "weight_exponent")


def _charge(row: Mapping[str, Any]) -> ChargeRate:
    """A `ChargeRate` from a row that fits `routes.inputs.cost_file.ChargeRow` (not checked again here)."""
    kw = {k: v for k, v in row.items() if k not in ("new", "unit_rate") and v is not None}
    rate = row.get("unit_rate", 0.0)  # "unknown": no confirmed rate
    kw["unit_rate"] = math.nan if rate == "unknown" else float(rate)
    kw["id"] = kw["id"].strip()
    kw["states"] = tuple(s.strip().upper() for s in kw["states"])
    kw["currency"] = kw["currency"].strip().upper()
    kw["mtow_bands_t"] = tuple((float(upper), float(r)) for upper, r in kw.get("mtow_bands_t", ()))
    kw.update({k: float(kw[k]) for k in _CHARGE_FLOATS if k in kw})
    return ChargeRate(**kw)


def _row(rate: ChargeRate) -> dict[str, Any]:
    """A `ChargeRate` back in the file's shape (to merge an override into)."""
    row = {f.name: getattr(rate, f.name) for f in fields(ChargeRate)}
    row["states"] = list(row["states"])
    row["mtow_bands_t"] = [list(b) for b in row["mtow_bands_t"]]
    if math.isnan(row["unit_rate"]):
        row["unit_rate"] = "unknown"
    return row


def _hourly(name: str, spec: Mapping[str, Any]) -> HourlyCost:
    """An `HourlyCost` from a table that fits `routes.inputs.cost_file.HourlyRow`."""
    kw = {k: float(v) if k.endswith("_usd_per_bh") or k == "min_mtow_t" else v for k, v in spec.items()}
    return HourlyCost(name=name, **{k: v for k, v in kw.items() if v is not None})


def _charge_rows(navigation: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rows = navigation.get("charge", [])
    return list(rows.values()) if isinstance(rows, Mapping) else list(rows)  # checked files key rows by id


def _parse(economics: Mapping[str, Any], navigation: Mapping[str, Any], files: tuple[str, ...]) -> CostRates:
    """Cost rates from data that fits `Economics` and `Navigation` (the shipped files, or checked ones)."""
    fuel, fx = economics["fuel"], economics["currencies"]
    classes = sorted((_hourly(n, spec) for n, spec in economics["hourly"].items()), key=lambda h: -h.min_mtow_t)
    out = CostRates(
        fuel_price_usd_per_bbl=float(fuel["price_usd_per_bbl"]),
        fuel_price_year=fuel.get("price_year", 0),
        fuel_density_kg_per_l=float(fuel.get("density_kg_per_l", 0.8)),
        fuel_source=fuel.get("source", ""),
        hourly=tuple(classes),
        per_eur=tuple(sorted((k.upper(), float(v)) for k, v in fx["per_eur"].items())),
        fx_as_of=fx.get("as_of", ""),
        fx_source=fx.get("source", ""),
        charges=tuple(_charge(r) for r in _charge_rows(navigation)),
        fallback_method=economics.get("fallback", {}).get("method", ""),
        files=files,
    )
    _check_currencies(out, files[-1])
    return out


def _check_currencies(rates: CostRates, where: str) -> None:
    for r in rates.charges:
        try:
            rates.usd_per_unit(r.currency)
        except UnknownCurrencyError as exc:
            raise UnknownCurrencyError(f"{where}: charge {r.id!r}: {exc}") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CostDataError(f"cost data file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:  # a folder, a binary file, bad TOML
        raise CostDataError(f"malformed cost data file {path}: {exc}") from None


def _path(value: Any, name: str) -> Path:
    if not isinstance(value, str | Path):
        raise InvalidInputError(f"{name}: expected the path of a TOML file, got {value!r} ({type(value).__name__})")
    return Path(value)


def _shipped() -> tuple[Path, Path]:
    folder = data_dir() / "charges"
    return folder / "economics.toml", folder / "navigation.toml"


@cache
def _default() -> CostRates:
    eco, nav = _shipped()  # checked against the schemas by the tests, not at run time
    return _parse(_read(eco), _read(nav), (str(eco), str(nav)))


def _read_checked(path: Path, model_name: str) -> dict[str, Any]:
    """A user's data file checked against its schema (the shipped files are read as they are)."""
    if path in _shipped():
        return _read(path)
    from routes.inputs import cost_file

    return cost_file.checked(getattr(cost_file, model_name), _read(path), str(path))


def _apply(base: CostRates, overrides: Mapping[str, Any], where: str) -> CostRates:
    """Overrides in the data files' shape: ``fuel``, ``hourly.<class>``, ``currencies``, ``charge``, ``fallback``."""
    from routes.inputs.cost_file import Overrides, checked

    spec = checked(Overrides, overrides, where)
    out = _apply_fuel(base, spec.get("fuel", {}))
    out = _apply_hourly(out, spec.get("hourly", {}), where)
    out = _apply_currencies(out, spec.get("currencies", {}))
    out = _apply_charges(out, spec.get("charge", {}), where)
    if "method" in spec.get("fallback", {}):
        out = replace(out, fallback_method=spec["fallback"]["method"])
    _check_currencies(out, where)
    return out


def _apply_fuel(out: CostRates, fuel: Mapping[str, Any]) -> CostRates:
    return replace(
        out,
        fuel_price_usd_per_bbl=float(fuel.get("price_usd_per_bbl", out.fuel_price_usd_per_bbl)),
        fuel_price_year=fuel.get("price_year", out.fuel_price_year),
        fuel_density_kg_per_l=float(fuel.get("density_kg_per_l", out.fuel_density_kg_per_l)),
        fuel_source=fuel.get("source", "user override" if "price_usd_per_bbl" in fuel else out.fuel_source),
    )


def _apply_hourly(out: CostRates, specs: Mapping[str, Mapping[str, Any]], where: str) -> CostRates:
    from routes.inputs.cost_file import HourlyRow, checked

    hourly = {h.name: h for h in out.hourly}
    for name, spec in specs.items():
        current = {k: v for k, v in vars(hourly[name]).items() if k != "name"} if name in hourly else {}
        hourly[name] = _hourly(name, checked(HourlyRow, current | dict(spec), f"{where}: hourly.{name}"))
    return replace(out, hourly=tuple(sorted(hourly.values(), key=lambda h: -h.min_mtow_t)))


def _apply_currencies(out: CostRates, fx: Mapping[str, Any]) -> CostRates:
    per_eur = {k.upper(): float(v) for k, v in fx.get("per_eur", {}).items()}
    return replace(
        out,
        per_eur=tuple(sorted((dict(out.per_eur) | per_eur).items())),
        fx_as_of=fx.get("as_of", out.fx_as_of),
        fx_source=fx.get("source", "user override" if per_eur else out.fx_source),
    )


def _apply_charges(out: CostRates, specs: Mapping[str, Mapping[str, Any]], where: str) -> CostRates:
    """Change rows by id, or add rows marked ``new = true`` (``specs`` keyed by id, checked as `Charge`)."""
    from routes.inputs.cost_file import ChargeRow, checked

    rows = {c.id: c for c in out.charges}
    for key, spec in specs.items():
        cid = spec.get("id")
        if cid not in rows and not spec.get("new"):
            raise UnknownAuthorityError(
                f"{where}: charge {key}: unknown charging authority {cid!r}; known: {', '.join(rows)} "
                "(add a new one with new = true and a full row)"
            )
        current = _row(rows[cid]) if cid in rows else {}
        if "unit_rate" in spec and "mtow_bands_t" not in spec:
            current["mtow_bands_t"] = []  # a new flat rate replaces the bands
        row = checked(ChargeRow, current | {k: v for k, v in spec.items() if k != "new"}, f"{where}: charge {cid!r}")
        rows[row["id"].strip()] = _charge(row)
    return replace(out, charges=tuple(rows.values()))


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
        "charge": {"RUS": {"unit_rate": 150.0}}}``; a ``[[charge]]`` entry naming an unknown id raises
        `UnknownAuthorityError` unless it sets ``new = true`` and is a full row.
    economics, navigation : path
        Replace the shipped ``economics.toml`` / ``navigation.toml`` entirely.

    Raises
    ------
    CostDataError
        Malformed file or entry (the message names it); `PriceError` for negative/NaN values,
        `UnknownCurrencyError`, `UnknownAuthorityError`.
    """
    if economics is None and navigation is None:
        rates = _default()
    else:
        shipped_eco, shipped_nav = _shipped()
        eco_path = _path(economics, "economics") if economics is not None else shipped_eco
        nav_path = _path(navigation, "navigation") if navigation is not None else shipped_nav
        eco, nav = _read_checked(eco_path, "Economics"), _read_checked(nav_path, "Navigation")
        rates = _parse(eco, nav, (str(eco_path), str(nav_path)))
    if overrides is None:
        return rates
    if isinstance(overrides, str | Path):
        return _apply(rates, _read(Path(overrides)), str(overrides))
    return _apply(rates, overrides, "overrides")
