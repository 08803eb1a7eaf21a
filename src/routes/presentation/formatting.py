"""Figures as text for readers: ``11 h 34`` block times and the reader-friendly columns of a
comparison table (presentation only; shared by the notebook output, the report, the map popups and
the command line)."""

from __future__ import annotations

import math

import pandas as pd


def _nan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


def hours_minutes(minutes: float) -> str:
    """``694.2`` -> ``"11 h 34"``; empty for NaN."""
    if _nan(minutes):
        return ""
    total = round(minutes)
    return f"{total // 60} h {total % 60:02d}"


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
    out["block_time"] = ["" if pd.isna(m) else f"{int(m // 60)} h {round(m % 60):02d}" for m in out["block_time_min"]]
    out["block_fuel_t"] = (out["block_fuel_kg"] / 1000).round(1)
    out["extra_fuel_t"] = (out["extra_fuel_kg"] / 1000).round(1)
    out["range_feasible"] = out["range_feasible"].map({True: "yes", False: "NO"})
    out = out[list(SUMMARY_COLUMNS)].rename(columns=SUMMARY_COLUMNS)
    return out.astype(object).where(out.notna(), "")
