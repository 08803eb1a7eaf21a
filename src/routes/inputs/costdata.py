"""Cost rates as data: jet-fuel price, time-related costs per block hour, currency conversion and the
en-route navigation charges of each charging authority.

Loaded from ``data/charges/economics.toml`` and ``data/charges/navigation.toml`` (every figure with its
source, date and price year); any value can be overridden from code or from a TOML file of the same
shape (`load_cost_rates`). A user's file or mapping is checked against the declared schemas of
`routes.inputs.cost_file` (a `routes.errors.CostFileError` naming the entry); the shipped files are read as
they are (the tests check them against the same schemas). Rows of one authority and tariff whose validity
periods overlap raise `routes.errors.RateValidityError` (`check_periods`).
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

from routes.errors import (
    CostDataError,
    InvalidInputError,
    RateValidityError,
    UnknownAuthorityError,
    UnknownCurrencyError,
)
from routes.inputs.airspace import data_dir
from routes.inputs.costparts import (
    MAX_FUEL_PRICE_USD_PER_BBL,
    DatedRate,
    OwnershipCost,
    apply_ownership,
    dated_rates,
    number,
    ownership_cost,
    read_day,
)
from routes.units import KM_PER_NM, LITRES_PER_BARREL


def _fuel_price(value: Any, where: str) -> float:
    """A jet-fuel price in USD per barrel, finite and in ``[0, MAX_FUEL_PRICE_USD_PER_BBL]``."""
    return number(value, where, high=MAX_FUEL_PRICE_USD_PER_BBL)


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
    kw.update(_validity(kw))
    return ChargeRate(**kw)


def _validity(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's tariff and validity fields as `ChargeRate` holds them: the group stripped, the period as days
    (a TOML date or ``"YYYY-MM-DD"``; the schema checked the text and the order of the two ends)."""
    out: dict[str, Any] = {"group": str(row.get("group", "")).strip()}
    for end in ("valid_from", "valid_to"):
        out[end] = read_day(row.get(end), f"charge {row['id']!r}: {end}")
    return out


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
    fuel, fx, where = economics["fuel"], economics["currencies"], files[0]
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
        dated_fx=dated_rates(fx.get("dated", []), where),
        ownership=tuple(ownership_cost(k, v, where) for k, v in economics.get("ownership", {}).items()),
    )
    check_periods(out.charges, files[-1])
    _check_currencies(out, files[-1])
    return out


def _check_currencies(rates: CostRates, where: str) -> None:
    for r in rates.charges:
        try:
            rates.usd_per_unit(r.currency)
        except UnknownCurrencyError as exc:
            authority = f" (authority {r.authority_key!r})" if r.group else ""
            raise UnknownCurrencyError(f"{where}: charge {r.id!r}{authority}: {exc}") from None


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
    """Overrides in the data files' shape: ``fuel``, ``hourly.<class>``, ``ownership.<TYPE>``, ``currencies``,
    ``charge``, ``fallback``."""
    from routes.inputs.cost_file import Overrides, checked

    spec = checked(Overrides, overrides, where)
    out = _apply_fuel(base, spec.get("fuel", {}))
    out = _apply_hourly(out, spec.get("hourly", {}), where)
    out = replace(out, ownership=apply_ownership(out.ownership, spec.get("ownership", {}), where))
    out = _apply_currencies(out, spec.get("currencies", {}), where)
    out = _apply_charges(out, spec.get("charge", {}), where)
    if "method" in spec.get("fallback", {}):
        out = replace(out, fallback_method=spec["fallback"]["method"])
    check_periods(out.charges, where)
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
    """Class overrides; a class ownership figure replaces the per-type ownership values (the user's figure wins)."""
    from routes.inputs.cost_file import HourlyRow, checked

    if any("ownership_usd_per_bh" in spec for spec in specs.values()):
        out = replace(out, ownership=())
    hourly = {h.name: h for h in out.hourly}
    for name, spec in specs.items():
        current = {k: v for k, v in vars(hourly[name]).items() if k != "name"} if name in hourly else {}
        hourly[name] = _hourly(name, checked(HourlyRow, current | dict(spec), f"{where}: hourly.{name}"))
    return replace(out, hourly=tuple(sorted(hourly.values(), key=lambda h: -h.min_mtow_t)))


def _apply_currencies(out: CostRates, fx: Mapping[str, Any], where: str) -> CostRates:
    """Rates per EUR replaced by currency; dated rates (``[[currencies.dated]]``) added, or replaced by
    currency and date."""
    per_eur = {k.upper(): float(v) for k, v in fx.get("per_eur", {}).items()}
    dated = {(r.currency, r.on): r for r in (*out.dated_fx, *dated_rates(fx.get("dated", []), where))}
    return replace(
        out,
        dated_fx=tuple(sorted(dated.values(), key=lambda r: (r.currency, r.on))),
        per_eur=tuple(sorted((dict(out.per_eur) | per_eur).items())),
        fx_as_of=fx.get("as_of", out.fx_as_of),
        fx_source=fx.get("source", "user override" if per_eur else out.fx_source),
    )


def _apply_charges(out: CostRates, specs: Mapping[str, Mapping[str, Any]], where: str) -> CostRates:
    """Change rows by id (an authority's key, e.g. ``"RUS"``, changes every row of it: each period and tariff),
    or add rows marked ``new = true`` (``specs`` keyed by id, checked as `Charge`)."""
    rows = {c.id: c for c in out.charges}
    groups: dict[str, list[str]] = {}
    for c in out.charges:
        groups.setdefault(c.authority_key, []).append(c.id)
    for key, spec in specs.items():
        cid = spec.get("id")
        if cid not in rows and cid in groups and not spec.get("new"):
            for rid in groups[cid]:
                rows[rid] = _override_row(rows[rid], {**spec, "id": rid}, f"{where}: authority {cid!r}: row {rid!r}")
            continue
        if cid not in rows and not spec.get("new"):
            known = ", ".join(dict.fromkeys([*groups, *rows]))
            raise UnknownAuthorityError(
                f"{where}: charge {key}: unknown charging authority {cid!r}; known: {known} "
                "(add a new one with new = true and a full row)"
            )
        row = _override_row(rows.get(cid), spec, f"{where}: charge {cid!r}")
        rows[row.id] = row
    return replace(out, charges=tuple(rows.values()))


def _override_row(row: ChargeRate | None, spec: Mapping[str, Any], where: str) -> ChargeRate:
    """``row`` (None for a new row) with the fields of ``spec`` replaced, checked as a complete `ChargeRow`
    (a unit rate without bands drops the bands)."""
    from routes.inputs.cost_file import ChargeRow, checked

    current = _row(row) if row is not None else {}
    if "unit_rate" in spec and "mtow_bands_t" not in spec:
        current["mtow_bands_t"] = []  # a new flat rate replaces the bands
    return _charge(checked(ChargeRow, current | {k: v for k, v in spec.items() if k != "new"}, where))


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
        Malformed file or entry (the message names it): a `CostFileError` (`PriceFileError`, also a
        `PriceError`, for negative/NaN/out-of-range values), `UnknownCurrencyError`, `UnknownAuthorityError`,
        `RateValidityError` for rows of one authority and tariff with overlapping validity periods (naming
        both rows).
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
