"""The charge rates and exchange rates that apply on a date, for an operator.

Rate rows carry validity periods and, where the tariff depends on who flies, the payers they apply to
(``data/charges/navigation.toml``: Russia charges foreign operators in USD and Russian operators in RUB).
`rates_on` picks, for each charging authority, the row valid on the day for the operator's tariff, and
converts the currencies the ECB does not publish (RUB) at the dated rate of that day. Every choice that is
not exact is flagged, never silent:

* a day after the newest row's ``valid_to``: that row, a `StaleDataWarning` naming it, and a flag;
* a day in a gap between two rows: the row before the gap, a warning and a flag;
* a day before every row of an authority: `NoRateError` naming the authority and its first row;
* a dated exchange rate older than `FX_STALE_DAYS` (or none on or before the day): the nearest, flagged.

`rates_on` itself neither warns nor raises for an authority a flight may not cross: `DatedRates.check`
does, for the authorities a flight is charged by (`routes.analysis.charges.navigation_charges` calls it).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from datetime import date

from routes.errors import CostDataError, NoRateError, StaleDataWarning
from routes.inputs.costdata import ChargeRate, CostRates, DatedRate

FX_STALE_DAYS = 31
"""A dated exchange rate older than this many days before the cost's date is flagged."""


@dataclass(frozen=True)
class RateChoice:
    """The row one charging authority charges with on a date.

    Attributes
    ----------
    authority : str
        The authority's key (`ChargeRate.authority_key`, e.g. ``"RUS"``).
    row : ChargeRate
        The row used.
    flag : str
        Why the row is not simply the one valid on the day ("" when it is).
    warning : str
        The `StaleDataWarning` to give when the authority charges a flight ("" for none).
    error : str
        Set when no row applies (a day before the first rate): `DatedRates.check` raises `NoRateError`
        with it when the authority charges a flight; `row` is then its first row, unused.
    """

    authority: str
    row: ChargeRate
    flag: str = ""
    warning: str = ""
    error: str = ""


@dataclass(frozen=True)
class DatedRates:
    """Cost rates narrowed to one date and one operator (build with `rates_on`).

    Attributes
    ----------
    rates : CostRates
        The same rates with only the chosen charge rows, and the dated currencies (RUB) at the day's rate.
    on : date
        The cost's date.
    operator : str
        ISO alpha-3 code of the operator's state ("" when not known: the foreign-operator tariffs apply).
    choices : tuple of RateChoice
        One per charging authority.
    fx : tuple of (currency, DatedRate, flag)
        The dated exchange rates used.
    """

    rates: CostRates
    on: date
    operator: str
    choices: tuple[RateChoice, ...]
    fx: tuple[tuple[str, DatedRate, str], ...] = ()

    @property
    def flags(self) -> tuple[str, ...]:
        """Every flag of the choices and the exchange rates."""
        return tuple(c.flag for c in self.choices if c.flag) + tuple(f for _c, _r, f in self.fx if f)

    def states_without_rate(self) -> dict[str, str]:
        """States of the authorities with no rate for the day -> the `NoRateError` message."""
        return {s: c.error for c in self.choices if c.error for s in c.row.states}

    def check(self, authorities: set[str] | frozenset[str]) -> None:
        """Give the warnings of the stale choices of ``authorities`` (the ones charging a flight).

        Raises
        ------
        NoRateError
            One of them has no rate for the day.
        """
        for c in self.choices:
            if c.authority not in authorities:
                continue
            if c.error:
                raise NoRateError(c.error)
            if c.warning:
                warnings.warn(c.warning, StaleDataWarning, stacklevel=3)

    def choice(self, authority: str) -> RateChoice:
        """The choice of one authority (e.g. ``"RUS"``)."""
        for c in self.choices:
            if c.authority == authority:
                return c
        raise KeyError(f"no charging authority {authority!r}; known: {', '.join(c.authority for c in self.choices)}")


def cost_date(on: date | str | None = None) -> date:
    """The cost's date: ``on`` (a `date` or ``"YYYY-MM-DD"``), default today (`datetime.date.today`).

    Raises
    ------
    CostDataError
        A malformed date text.
    """
    if on is None:
        return date.today()
    if isinstance(on, date):
        return on
    try:
        return date.fromisoformat(str(on).strip())
    except ValueError:
        raise CostDataError(f"cost date: malformed date {on!r}; expected YYYY-MM-DD, e.g. '2026-03-01'") from None


def rates_on(rates: CostRates, on: date | str | None = None, operator: str | None = None) -> DatedRates:
    """The rates that apply on ``on`` to an operator of state ``operator``.

    Parameters
    ----------
    rates : CostRates
        Every row of every period and tariff (`routes.inputs.costdata.load_cost_rates`).
    on : date, ``"YYYY-MM-DD"`` or None
        The cost's date (default today).
    operator : str or None
        ISO alpha-3 code of the operator's state. Where a tariff depends on the operator, operators of the
        authority's own states pay the ``national`` tariff and others the ``foreign`` one; None or "": the
        foreign tariff (flagged where the authority has a national one).

    Returns
    -------
    DatedRates
        Authorities with no rate for the day (a day before their first rate) are left out of its rates and
        recorded; `DatedRates.check` raises `NoRateError` for them and gives the stale-rate warnings.
    """
    day = cost_date(on)
    who = (operator or "").strip().upper()
    by_authority: dict[str, list[ChargeRate]] = {}
    for r in rates.charges:
        by_authority.setdefault(r.authority_key, []).append(r)
    choices = tuple(_choose(key, rows, day, who) for key, rows in by_authority.items())
    chosen = tuple(c.row for c in choices if not c.error)
    per_eur, fx = _dated_currencies(rates, {r.currency for r in chosen}, day)
    narrowed = replace(rates, charges=chosen, per_eur=per_eur)
    return DatedRates(narrowed, day, who, choices, fx)


def _tariff(key: str, rows: list[ChargeRate], operator: str) -> tuple[list[ChargeRate], str]:
    """The rows of the operator's tariff, and a flag when the operator is unknown or has no tariff of its own."""
    states = {s for r in rows for s in r.states}
    wanted = "national" if operator and operator in states else "foreign"
    mine = [r for r in rows if r.payers in ("all", wanted)]
    has_national = any(r.payers == "national" for r in rows)
    if not mine:
        other = sorted({r.payers for r in rows})
        return rows, f"{key}: no {wanted}-operator tariff in the data: the {'/'.join(other)} tariff used"
    if not operator and has_national:
        return mine, f"{key}: operator not given: the foreign-operator tariff used"
    return mine, ""


def _choose(key: str, rows: list[ChargeRate], day: date, operator: str) -> RateChoice:
    """The row of one authority for the day (see the module docstring for the fallbacks)."""
    rows, tariff_flag = _tariff(key, rows, operator)
    valid = [r for r in rows if r.valid_on(day)]
    if valid:
        return RateChoice(key, valid[0], tariff_flag)
    if all(r.valid_from is not None and day < r.valid_from for r in rows):
        first = min(rows, key=lambda r: r.valid_from or date.min)
        error = (
            f"no rate of charging authority {key!r} for {day.isoformat()}: its first rate, {first.id!r}, applies "
            f"{first.period}; give a date on or after {first.valid_from}"
        )
        return RateChoice(key, first, tariff_flag, error=error)
    before = [r for r in rows if r.valid_to is not None and r.valid_to < day]
    row = max(before, key=lambda r: r.valid_to or date.min)
    newest = all(r.valid_to is not None and r.valid_to < day for r in rows)
    what = "after the newest rate" if newest else "in a gap between the rates"
    warning = f"{day.isoformat()} is {what} of charging authority {key!r}: {row.id!r} (valid {row.period}) used"
    flag = f"{'stale' if newest else 'no'} rate for {day.isoformat()}: {row.id} (valid {row.period}) used"
    return RateChoice(key, row, "; ".join(f for f in (tariff_flag, flag) if f), warning=warning)


def _dated_currencies(
    rates: CostRates, currencies: set[str], day: date
) -> tuple[tuple[tuple[str, float], ...], tuple[tuple[str, DatedRate, str], ...]]:
    """ECB rates plus the dated currencies used by the chosen rows, at the day's rate (with flags)."""
    per_eur = dict(rates.per_eur)
    used = []
    for code in sorted(currencies - set(per_eur)):
        dated = [r for r in rates.dated_fx if r.currency == code]
        if not dated or "USD" not in per_eur:
            continue  # `usd_per_unit` names the unknown currency when it is converted
        on_or_before = [r for r in dated if r.on <= day]
        pick = on_or_before[-1] if on_or_before else dated[0]
        flag = ""
        if not on_or_before:
            flag = f"{code} at the rate of {pick.on.isoformat()} (no rate on or before {day.isoformat()})"
        elif (day - pick.on).days > FX_STALE_DAYS:
            flag = f"{code} at the rate of {pick.on.isoformat()}, {(day - pick.on).days} days before {day.isoformat()}"
        per_eur[code] = per_eur["USD"] * pick.units_per_usd
        used.append((code, pick, flag))
    return tuple(sorted(per_eur.items())), tuple(used)
