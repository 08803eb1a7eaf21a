"""The report's charts: extra minutes and USD by city, block time by month, the extra cost split.

Drawing only: each function takes the tables of `routes.report_data.ReportData` (the comparison
table, `cost_split`, `monthly`) and draws them. Like geopandas' plotting, a function takes
``ax=None``, creates a figure only when no Axes is given, and returns the Axes; the ``*_figure``
functions lay several Axes out on one figure and return it.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from routes.presentation.formatting import hours_minutes, signed_minutes, usd
from routes.presentation.maps import scenario_color

COMPONENT_COLORS = {
    "fuel_usd": ("#e69f00", "fuel"),
    "time_usd": ("#56b4e9", "time (block-hour costs)"),
    "charges_added_usd": ("#8c8c8c", "en-route charges added"),
    "charges_avoided_usd": ("#009e73", "charges avoided (closed states)"),
}
"""Column of `routes.report_data.cost_split` -> (colour, legend label)."""

HATCHES = ("", "///", "...", "xxx")
"""Bar hatching of the 1st, 2nd, ... aircraft type (several types in one chart)."""
_MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]


def _figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), layout="constrained")  # its own Agg canvas: no pyplot state
    FigureCanvasAgg(fig)
    return fig


def _axes(ax: Axes | None) -> Axes:
    return plt.subplots(figsize=(8, 4.5))[1] if ax is None else ax


def _pair_label(origin: str, destination: str, one_origin: bool) -> str:
    return destination if one_origin else f"{origin}→{destination}"


def _colors(scenarios: Sequence[str], order: Sequence[str] | None) -> dict[str, str]:
    names = list(order) if order else list(scenarios)
    return {s: scenario_color(s, names.index(s) if s in names else i) for i, s in enumerate(scenarios)}


def plot_extra_by_city(
    table: pd.DataFrame,
    value: str = "extra_min",
    ax: Axes | None = None,
    scenario_order: Sequence[str] | None = None,
) -> Axes:
    """Grouped bars: ``value`` (e.g. ``extra_min``, ``extra_cost_usd``) by city pair and scenario.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of a `routes.comparison.compare` table (``origin, destination, scenario,
        aircraft, feasible`` and ``value``), typically the closure scenarios only. An
        infeasible row draws no bar but the words "no route".
    value : str
        The column to draw; ``*_min`` columns are labelled in minutes, ``*_usd`` in USD.
    ax : matplotlib Axes, optional
        Created (with a new figure) when None.
    scenario_order : sequence of str, optional
        All scenarios of the report, in order (fixes each scenario's colour as on the maps).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    one_origin = table["origin"].nunique() <= 1
    pairs = list(dict.fromkeys(zip(table["origin"], table["destination"], strict=True)))
    several_types = table["aircraft"].nunique() > 1
    hatches = {a: HATCHES[i % len(HATCHES)] for i, a in enumerate(dict.fromkeys(table["aircraft"]))}
    groups = list(dict.fromkeys(zip(table["scenario"], table["aircraft"], strict=True)))
    colors = _colors(list(dict.fromkeys(table["scenario"])), scenario_order)
    minutes = value.endswith("_min")
    _bars(ax, table, value, pairs, groups, colors, hatches)
    ax.axhline(0, color="#333", lw=0.8)
    ax.set_xticks(range(len(pairs)), [_pair_label(o, d, one_origin) for o, d in pairs])
    ax.set_xlim(-0.6, len(pairs) - 0.4)
    ax.margins(y=0.15)
    ax.set_ylabel("extra block time, min" if minutes else "extra cost per flight, USD")
    if not minutes:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    handles = [
        Patch(facecolor=colors[s], hatch=hatches[a], edgecolor="#222" if hatches[a] else colors[s], lw=0,
              label=f"{s} ({a})" if several_types else s)
        for s, a in groups
    ]  # fmt: skip
    ax.legend(handles=handles, fontsize=7.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.08),
              ncol=min(len(handles), 4))  # fmt: skip
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _bars(
    ax: Axes,
    table: pd.DataFrame,
    value: str,
    pairs: list[tuple[str, str]],
    groups: list[tuple[str, str]],
    colors: dict[str, str],
    hatches: dict[str, str],
) -> None:
    """One bar per pair and (scenario, aircraft) group, labelled with its value; "no route" where none."""
    width = 0.8 / max(len(groups), 1)
    label_of = signed_minutes if value.endswith("_min") else (lambda v: usd(v, signed=True))
    top = float(table[value].abs().max()) if table[value].notna().any() else 1.0
    for g, (scn, ac) in enumerate(groups):
        for p, (o, d) in enumerate(pairs):
            rows = table[(table["origin"] == o) & (table["destination"] == d)]
            rows = rows[(rows["scenario"] == scn) & (rows["aircraft"] == ac)]
            x = p - 0.4 + width * (g + 0.5)
            if rows.empty:
                continue
            v = rows[value].iloc[0]
            if not bool(rows["feasible"].iloc[0]) or pd.isna(v):
                ax.text(x, 0.02 * top, "no route", rotation=90, ha="center", va="bottom", fontsize=7, color="#666")
                continue
            hatch = hatches[ac]
            ax.bar(x, v, width * 0.92, color=colors[scn], hatch=hatch, edgecolor="#222" if hatch else None, lw=0)
            ax.annotate(
                label_of(v), (x, v), xytext=(0, 2 if v >= 0 else -2), textcoords="offset points",
                ha="center", va="bottom" if v >= 0 else "top", fontsize=7,
            )  # fmt: skip


def extra_by_city_figure(table: pd.DataFrame, scenario_order: Sequence[str] | None = None) -> Figure:
    """Extra minutes and extra USD per flight by city and scenario, side by side (`plot_extra_by_city`)."""
    fig = _figure(11, 4.2)
    left, right = fig.subplots(1, 2)
    plot_extra_by_city(table, "extra_min", ax=left, scenario_order=scenario_order)
    plot_extra_by_city(table, "extra_cost_usd", ax=right, scenario_order=scenario_order)
    left.set_title("Extra block time per flight", loc="left", fontsize=11)
    right.set_title("Extra cost per flight", loc="left", fontsize=11)
    handles = left.get_legend().legend_handles
    left.get_legend().remove()
    right.get_legend().remove()
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6), fontsize=8, frameon=False)
    return fig


def plot_block_time_by_month(
    monthly: pd.DataFrame,
    ax: Axes | None = None,
    scenario_order: Sequence[str] | None = None,
) -> Axes:
    """Block time in each month's winds, both directions: one line per scenario and direction.

    Parameters
    ----------
    monthly : pandas.DataFrame
        `routes.report_data.ReportData.monthly` rows of one city pair and aircraft (``scenario,
        direction, from, to, month, block_time_min``). Outbound lines are solid, return dashed.
    ax : matplotlib Axes, optional
        Created (with a new figure) when None.
    scenario_order : sequence of str, optional
        All scenarios of the report, in order (fixes each scenario's colour as on the maps).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    colors = _colors(list(dict.fromkeys(monthly["scenario"])), scenario_order)
    for (scn, direction), rows in monthly.groupby(["scenario", "direction"], sort=False):
        rows = rows.sort_values("month")
        ls = "-" if direction == "outbound" else "--"
        ax.plot(rows["month"], rows["block_time_min"], ls=ls, color=colors[scn], lw=1.6, marker=".", ms=4)
    ax.set_xticks(range(1, 13), _MONTHS, fontsize=7.5)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: hours_minutes(v)))
    ax.tick_params(axis="y", labelsize=7.5)
    ax.grid(axis="y", color="#e0e0e0", lw=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    if len(monthly):
        first = monthly.iloc[0]
        out = monthly[monthly["direction"] == "outbound"]
        a, b = (out["from"].iloc[0], out["to"].iloc[0]) if len(out) else (first["to"], first["from"])
        ax.set_title(f"{a} → {b} (solid) and back (dashed), {first['aircraft']}", loc="left", fontsize=9)
    return ax


def block_time_figure(monthly: pd.DataFrame, scenario_order: Sequence[str] | None = None) -> Figure:
    """`plot_block_time_by_month` for every city pair and aircraft, in a grid, with one legend."""
    keys = list(dict.fromkeys(zip(monthly["origin"], monthly["destination"], monthly["aircraft"], strict=True)))
    ncols = 1 if len(keys) == 1 else 2
    nrows = math.ceil(len(keys) / ncols)
    fig = _figure(11 if ncols == 2 else 7.5, 0.6 + 3.0 * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, (o, d, a) in zip(axes, keys, strict=False):
        rows = monthly[(monthly["origin"] == o) & (monthly["destination"] == d) & (monthly["aircraft"] == a)]
        plot_block_time_by_month(rows, ax=ax, scenario_order=scenario_order)
    for ax in axes[len(keys) :]:
        ax.set_visible(False)
    scns = list(dict.fromkeys(monthly["scenario"]))
    colors = _colors(scns, scenario_order)
    handles = [Line2D([], [], color=colors[s], lw=2, label=s) for s in scns]
    handles += [
        Line2D([], [], color="#333", ls="-", label="outbound"),
        Line2D([], [], color="#333", ls="--", label="return"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6), fontsize=8, frameon=False)
    fig.suptitle("Block time by month, climatological winds, both directions", x=0.01, ha="left", fontsize=11)
    return fig


def plot_cost_split(split: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """The extra cost per flight of each route, by component: a bar per route, costs to the
    right and savings (the charges avoided) to the left, the net extra as a black diamond.

    Parameters
    ----------
    split : pandas.DataFrame
        `routes.report_data.cost_split` (``origin, destination, scenario, aircraft,
        fuel_usd, time_usd, charges_added_usd, charges_avoided_usd, extra_cost_usd``).
    ax : matplotlib Axes, optional
        Created (with a new figure) when None.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    one_origin = split["origin"].nunique() <= 1
    several_types = split["aircraft"].nunique() > 1
    labels = []
    for y, row in enumerate(split.itertuples(index=False)):
        right = left = 0.0
        for col, (color, _) in COMPONENT_COLORS.items():
            v = -getattr(row, col) if col == "charges_avoided_usd" else getattr(row, col)
            start = right if v >= 0 else left
            ax.barh(y, v, left=start, color=color, height=0.62, edgecolor="white", linewidth=0.5)
            right, left = (right + v, left) if v >= 0 else (right, left + v)
        ax.plot(row.extra_cost_usd, y, marker="D", color="black", ms=5, zorder=5)
        ax.annotate(usd(row.extra_cost_usd, signed=True), (right, y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=7.5)  # fmt: skip
        name = _pair_label(row.origin, row.destination, one_origin)
        labels.append(f"{name}, {row.scenario}" + (f" ({row.aircraft})" if several_types else ""))
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="#333", lw=0.8)
    ax.margins(x=0.12)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("USD per flight, against the pre-2022 route (left of 0: savings)")
    handles = [Patch(color=c, label=lab) for c, lab in COMPONENT_COLORS.values()]
    handles.append(Line2D([], [], marker="D", ls="", color="black", label="net extra cost"))
    ax.legend(handles=handles, fontsize=7.5, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def cost_split_figure(split: pd.DataFrame) -> Figure:
    """`plot_cost_split` on a figure sized to the number of routes."""
    fig = _figure(11, 1.2 + 0.42 * max(len(split), 1))
    ax = plot_cost_split(split, ax=fig.subplots())
    ax.set_title("What the extra cost per flight is made of", loc="left", fontsize=11)
    return fig


def plot_tornado(bars: Sequence[tuple[str, float, float]], ax: Axes | None = None, unit: str = "USD") -> Axes:
    """A tornado chart: each input's one-at-a-time swing of a figure, largest first, round its central value.

    Parameters
    ----------
    bars : sequence of (name, value at the input's low, value at its high)
        `routes.report_extras.tornado_bars`: the first entry is ``("central", value, value)``.
    ax : matplotlib Axes, optional
        Created (with a new figure) when None.
    unit : str
        The figure's unit, for the axis label.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    central = bars[0][1] if bars and bars[0][0] == "central" else 0.0
    rows = [b for b in bars if b[0] != "central"]
    for y, (_, lo, hi) in enumerate(rows):
        low_label, high_label = ("input at its low", "input at its high") if y == 0 else (None, None)
        ax.barh(y, lo - central, left=central, color="#4c78a8", height=0.6, label=low_label)
        ax.barh(y, hi - central, left=central, color="#f58518", height=0.6, label=high_label)
    ax.set_yticks(range(len(rows)), [r[0].replace("_", " ") for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.axvline(central, color="#333", lw=0.8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(f"extra {unit} per flight against the pre-2022 route (line: all inputs at their defaults)")
    ax.legend(fontsize=7.5, frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def tornado_figure(label: str, bars: Sequence[tuple[str, float, float]]) -> Figure:
    """`plot_tornado` on a figure sized to the number of inputs, titled with the route."""
    fig = _figure(9, 1.4 + 0.38 * max(len(bars) - 1, 1))
    ax = plot_tornado(bars, ax=fig.subplots())
    ax.set_title(f"What moves the extra cost per flight most: {label}", loc="left", fontsize=11)
    return fig
