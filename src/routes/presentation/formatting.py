"""Figures as text for readers: ``11 h 34`` block times, signed minutes, USD, and the
reader-friendly columns of a comparison table (presentation only; shared by the notebook output,
the report, the map popups and the command line).

One rounding rule for minutes everywhere: half a minute rounds away from zero, and a duration is
rounded to whole minutes *before* it is split into hours and minutes (so 719.7 min reads
``12 h 00``, never ``11 h 60``).
"""

from __future__ import annotations

import math

import pandas as pd


def _nan(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def whole_minutes(minutes: float) -> int:
    """``59.5`` -> ``60``, ``-2.5`` -> ``-3``: minutes rounded half away from zero.

    Python's `round` rounds half to even (``round(58.5) == 58``); a table of minutes reads
    better when every half minute goes the same way.
    """
    return int(math.copysign(math.floor(abs(minutes) + 0.5), minutes))


def hours_minutes(minutes: float) -> str:
    """A duration as ``"11 h 34"`` (from ``694.2`` min); empty for NaN.

    Rounded to whole minutes first, then split: ``719.7`` -> ``"12 h 00"``, ``59.5`` -> ``"1 h 00"``.

    Examples
    --------
    >>> hours_minutes(694.2), hours_minutes(719.7), hours_minutes(59.5), hours_minutes(-75)
    ('11 h 34', '12 h 00', '1 h 00', '-1 h 15')
    """
    if _nan(minutes):
        return ""
    total = whole_minutes(minutes)
    sign = "-" if total < 0 else ""
    return f"{sign}{abs(total) // 60} h {abs(total) % 60:02d}"


def signed_minutes(minutes: float) -> str:
    """``6.1`` -> ``"+6"``, ``-2.5`` -> ``"-3"``, ``0`` -> ``"+0"``; empty for NaN."""
    return "" if _nan(minutes) else f"{whole_minutes(minutes):+d}"


def usd(value: float, signed: bool = False) -> str:
    """``7198.4`` -> ``"7,198"`` (``"+7,198"`` when ``signed``); empty for NaN."""
    if _nan(value):
        return ""
    return f"{value:+,.0f}" if signed else f"{value:,.0f}"


def million_usd(value: float, signed: bool = False) -> str:
    """``5_254_372`` -> ``"5.3"`` (millions, ``"+5.3"`` when ``signed``); empty for NaN."""
    if _nan(value):
        return ""
    return f"{value / 1e6:+,.1f}" if signed else f"{value / 1e6:,.1f}"


def figure_range(low: float, high: float, fmt: str = ",.0f", signed: bool = True) -> str:
    """``(47.3, 92.0)`` -> ``"+47 to +92"``; one value when both round alike."""
    spec = ("+" if signed else "") + fmt
    a, b = format(low, spec), format(high, spec)
    return a if a == b else f"{a} to {b}"


def with_range(central: float, low: float, high: float, fmt: str = ",.0f", scale: float = 1.0) -> str:
    """A central figure with its range: ``(5732, 5520, 6895)`` -> ``"+5,732 (5,520-6,895)"``; a range with a
    negative end reads ``"(-4.1 to -2.0)"``; empty when the central figure is NaN, the central alone when the
    range is NaN.

    Examples
    --------
    >>> with_range(5732, 5520, 6895), with_range(44.44, 44.5, 46.1, ".1f"), with_range(-3, -4.1, -2, ".1f")
    ('+5,732 (5,520-6,895)', '+44.4 (44.5-46.1)', '-3.0 (-4.1 to -2.0)')
    """
    if _nan(central):
        return ""
    text = format(central / scale, "+" + fmt)
    if _nan(low) or _nan(high):
        return text
    lo, hi = format(low / scale, fmt), format(high / scale, fmt)
    return f"{text} ({lo}-{hi})" if low >= 0 and high >= 0 else f"{text} ({lo} to {hi})"


SUMMARY_COLUMNS = {
    "origin": "from",
    "destination": "to",
    "scenario": "scenario",
    "aircraft": "aircraft",
    "distance_km": "distance km",
    "extra_km": "extra km",
    "extra_pct": "extra %",
    "block_time": "block time",
    "extra_min": "extra min",
    "block_fuel_t": "fuel t",
    "extra_fuel_t": "extra fuel t",
    "co2_t": "CO2 t",
    "extra_co2_t": "extra CO2 t",
    "range_feasible": "range ok",
    "etops": "ETOPS",
    "max_latitude": "max lat",
    "states_rounded": "rounds",
    "reason": "infeasible because",
}
"""Columns of `summary_table`: a `routes.compare` table's column -> its heading."""


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    """Reader-friendly columns of a `routes.compare` table (strings, no NaN)."""
    out = df.copy()
    out["block_time"] = [hours_minutes(m) for m in out["block_time_min"]]
    out["block_fuel_t"] = (out["block_fuel_kg"] / 1000).round(1)
    out["extra_fuel_t"] = (out["extra_fuel_kg"] / 1000).round(1)
    out["range_feasible"] = out["range_feasible"].map({True: "yes", False: "NO"})
    out = out[list(SUMMARY_COLUMNS)].rename(columns=SUMMARY_COLUMNS)
    return out.astype(object).where(out.notna(), "")


def cost_notes(df: pd.DataFrame) -> list[str]:
    """What the cost table assumes, in sentences (from the table's own columns)."""
    rows = df[df["cost_usd"].notna()] if "cost_usd" in df else df.iloc[0:0]
    if rows.empty:
        return []
    first = rows.iloc[0]
    per_week = first["flights_per_week"]
    notes = [
        f"Cost per flight: {first['cost_basis']}.",
        "Two views: the marginal cost of a flight (fuel, crew, maintenance, charges) and the fully allocated "
        "cost (plus ownership). Charging ownership per block hour assumes a utilisation-limited fleet (every "
        "extra block hour needs more aircraft): a modelling choice, which the marginal view leaves out.",
        f"Charges at the rates valid on {first['cost_date']}, tariff of the operator: {first['cost_operator']} "
        f"({first['charge_rates']}).",
        f"Annual: {per_week:g} flights a week each way ({first['annual_basis']}); extra figures against the "
        "pre-2022 route flown by the same aircraft.",
        "Charges avoided: what the pre-2022 route pays to states the scenario closes. A closed state is not "
        "overflown, so it charges nothing, which partly offsets the longer route.",
    ]
    flags = sorted({f for v in rows["cost_flags"] if isinstance(v, str) and v for f in v.split("; ")})
    if flags:
        notes.append("Flags: " + "; ".join(flags) + ".")
    fallback = sorted({v for v in rows["charges_fallback"] if isinstance(v, str) and v})
    if fallback:
        notes.append("Charges from a fallback rate: " + "; ".join(fallback) + ".")
    return notes


COST_COLUMN_HEADINGS = {
    "cost_usd": "cost/flight USD (fully allocated)",
    "marginal_cost_usd": "marginal/flight USD",
    "fuel_cost_usd": "fuel USD",
    "time_cost_usd": "time USD",
    "ownership_cost_usd": "of which ownership USD",
    "charges_usd": "charges USD",
    "extra_cost_usd": "extra USD (fully allocated)",
    "extra_marginal_cost_usd": "extra marginal USD",
    "extra_fuel_cost_usd": "extra fuel USD",
    "extra_time_cost_usd": "extra time USD",
    "extra_charges_usd": "extra charges USD",
    "charges_avoided_usd": "charges avoided USD",
    "annual_cost_usd": "annual M USD (fully allocated)",
    "annual_marginal_cost_usd": "annual marginal M USD",
    "extra_annual_cost_usd": "extra annual M USD (fully allocated)",
    "extra_annual_marginal_cost_usd": "extra annual marginal M USD",
    "charges_fallback": "fallback charges",
}
"""Headings of the cost columns of a `routes.comparison.compare` table (the report's and the command line's)."""
