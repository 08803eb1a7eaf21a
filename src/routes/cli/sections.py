"""The tables a command adds when asked: ``--ranges`` (each extra figure with its 5-95 % range) and ``--fleet``
(which types of an airline's fleet fly each route non-stop, with how many seats, or via which technical stop)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.console import Console

from routes.cli.output import fit_table, pair_labels
from routes.presentation.formatting import signed_minutes, usd, with_range

RANGE_KEY_COLUMNS = {
    "extra_min": ("extra\nmin", ".1f", 1.0),
    "monthly": ("by month\nmin", "", 1.0),
    "extra_fuel_kg": ("extra\nfuel t", ",.1f", 1000.0),
    "extra_cost_usd": ("extra USD\n(full)", ",.0f", 1.0),
    "extra_marginal_cost_usd": ("extra USD\nmarginal", ",.0f", 1.0),
    "extra_annual_cost_usd": ("extra a year\nM USD (full)", ",.1f", 1e6),
}
"""The ranges table (``--ranges``): compare column -> (heading, format, divisor); each cell is the central
figure and its 5-95 % range, ``"+5,732 (5,520-6,895)"``; "by month" the least and most extra minutes over the
12 months' climatological winds, both directions."""
RANGE_OPTIONAL = ("monthly", "extra_annual_cost_usd", "extra_marginal_cost_usd")
"""Ranges columns that may be left out to fit, the last first."""


def range_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The closure rows of a ``Study(ranges=True)`` table as text: each extra figure with its range."""
    if "extra_min_low" not in df:
        return pd.DataFrame()
    rows = df[df["feasible"].astype(bool) & df["extra_min_low"].notna()]
    rows = rows[~((rows["extra_min_low"] == 0) & (rows["extra_min_high"] == 0) & (rows["extra_min"] == 0))]
    out = pd.DataFrame({"pair": pair_labels(rows), "scenario": rows["scenario"]})
    if rows["aircraft"].nunique() > 1:
        out["aircraft"] = rows["aircraft"]
    for column, (heading, fmt, scale) in RANGE_KEY_COLUMNS.items():
        if column == "monthly":
            lo, hi = rows["monthly_extra_min_low"], rows["monthly_extra_min_high"]
            out[heading] = [f"{a:+.0f} to {b:+.0f}" for a, b in zip(lo, hi, strict=True)]
            continue
        lows, highs = rows[f"{column}_low"], rows[f"{column}_high"]
        out[heading] = [with_range(c, lo, hi, fmt, scale) for c, lo, hi in zip(rows[column], lows, highs, strict=True)]
    return out.reset_index(drop=True)


def print_ranges(out: Console, df: pd.DataFrame, samples: int, seed: int, wide: bool) -> None:
    """``--ranges``: the extra figures of each closure route with their 5-95 % range, then what they mean."""
    shown = range_rows(df)
    if shown.empty:
        return
    title = f"Ranges on the extra figures: central (5-95 % of {samples:,} seeded draws, seed {seed})"
    text = {"pair", "scenario", "aircraft"}
    optional = () if wide else [RANGE_KEY_COLUMNS[c][0] for c in RANGE_OPTIONAL]
    fit_table(out, title, shown, lambda c: c not in text, optional)
    for note in (
        "Ranges: every uncertain input of the assumptions register (routes assumptions) drawn across its range "
        "(routes ranges ORIGIN DESTINATION: what moves them most); a value you set (--fuel-price) is held, not "
        "varied. Time and fuel sit at the low end: the route "
        "factor only lengthens routes. By month: the least and most extra block time in the 12 months' "
        "climatological winds, both directions.",
    ):
        out.print(note, style="dim")
    out.print()


FLEET_VERDICTS = {"non-stop, full load": "full load", "needs a stop": "needs a stop"}
"""Verdicts of the fleet table as the terminal shows them (``"256 of 290 seats"`` for a reduced load)."""


def _fleet_cells(row: dict[str, Any]) -> tuple[str, str]:
    """The non-stop verdict and the stop of one fleet row, short: ``("256 of 290 seats", "MHR +126 min
    +3,973 USD")``; a long verdict (no figure, no route, no stop found) becomes a note under the table."""
    verdict = str(row["verdict"])
    short = FLEET_VERDICTS.get(verdict) or verdict.removeprefix("non-stop, ")
    if not verdict.startswith(("non-stop", "needs a stop")):
        short = "see note"
    stop = row.get("stop")
    where = f"{stop} {signed_minutes(row['extra_min'])} min {usd(row['extra_usd'], signed=True)} USD"
    return short, where if isinstance(stop, str) and stop else ""


def fleet_rows(fleet: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The fleet table (`routes.comparison.Comparison.fleet`) as text, and the notes of its long verdicts."""
    records = fleet.to_dict("records")
    cells = [_fleet_cells(r) for r in records]
    shown = pd.DataFrame(
        {
            "pair": pair_labels(fleet),
            "scenario": fleet["scenario"],
            "type": [f"{r['aircraft']} ({r['count']})" for r in records],
            "payload\nt": ["" if pd.isna(v) else f"{v / 1000:,.1f}" for v in fleet["max_payload_kg"]],
            "limit": fleet["limit"].fillna(""),
            "non-stop": [c[0] for c in cells],
            "technical stop\nfor a full load": [c[1] for c in cells],
        }
    )
    notes = [
        f"{r['origin']}-{r['destination']} {r['scenario']} {r['aircraft']}: {r['verdict']}"
        for r, c in zip(records, cells, strict=True)
        if c[0] == "see note"
    ]
    return shown.reset_index(drop=True), notes


def print_fleet(out: Console, fleet: pd.DataFrame, wind: str) -> None:
    """The airline's fleet table: which types fly each route non-stop with a full load, with fewer seats, or
    via which technical stop (extra minutes and USD against the non-stop flight), then its notes."""
    if fleet.empty:
        out.print("No fleet table: no route exists for any pair and scenario.", style="dim")
        return
    shown, notes = fleet_rows(fleet)
    airline = fleet["airline"].iloc[0]
    title = f"{airline} fleet (type and count): payload non-stop and technical stops"
    title += " (still air)" if wind == "still air" else f" (non-stop in {wind}, stops in still air)"
    text = {"pair", "scenario", "type", "limit", "non-stop", "technical stop\nfor a full load"}
    fit_table(out, title, shown, lambda c: c not in text, ["limit"])
    for note in notes:
        out.print(note, style="dim")
