"""Rich notebook output: compact HTML tables of results (presentation only).

The results' ``_repr_html_`` methods call these functions; Jupyter shows the table, plain
``repr`` stays one short line. Every figure carries its unit, and an infeasible route shows
its reason in place of the figures.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from routes.presentation.formatting import hours_minutes, summary_table, whole_minutes

if TYPE_CHECKING:
    import pandas as pd

    from routes.analysis.performance import Estimate
    from routes.inputs.scenarios import Scenario
    from routes.result import Route

_STYLE = (
    "<style>.polar-routes td,.polar-routes th{padding:2px 8px;text-align:left}"
    ".polar-routes td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".polar-routes caption{font-weight:bold;text-align:left;padding-bottom:4px}</style>"
)


def _nan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


def table(caption: str, rows: Iterable[tuple[str, Any, str]]) -> str:
    """A two-column HTML table: label, value (numbers right-aligned) and unit.

    Parameters
    ----------
    caption : str
        Plain text; escaped.
    rows : iterable of (label, value, unit)
        Values are escaped; numbers are right-aligned.
    """
    body = []
    for label, value, unit in rows:
        cls = ' class="num"' if isinstance(value, int | float) and not isinstance(value, bool) else ""
        text = html.escape(str(value)) + (f" {html.escape(unit)}" if unit else "")
        body.append(f"<tr><th>{html.escape(label)}</th><td{cls}>{text}</td></tr>")
    return f'{_STYLE}<table class="polar-routes"><caption>{html.escape(caption)}</caption>{"".join(body)}</table>'


def route_html(route: Route) -> str:
    """HTML table of a route's figures (or its infeasibility reason)."""
    caption = f"{route.origin.code} → {route.destination.code} · {route.scenario.name}"
    rows: list[tuple[str, Any, str]] = [
        ("from", f"{route.origin.code} {route.origin.name}".strip(), ""),
        ("to", f"{route.destination.code} {route.destination.name}".strip(), ""),
    ]
    if not route.feasible:
        rows.append(("infeasible", route.reason, ""))
        if not _nan(route.geodesic_km):
            rows.append(("pre-2022 geodesic", f"{route.geodesic_km:,.0f}", "km"))
        return table(caption, rows)
    rows += [
        ("distance", f"{route.distance_km:,.0f}", f"km ({route.distance_nm:,.0f} nm)"),
        ("pre-2022 geodesic", f"{route.geodesic_km:,.0f}", "km"),
        ("extra", f"{route.extra_km:+,.0f}", f"km ({route.extra_pct:+.1f} %)"),
        ("states rounded", " ".join(route.states_rounded) or "none", ""),
        ("turn points", len(route.turns), ""),
        ("max latitude", f"{route.max_latitude:.1f}", "°"),
        ("margin", f"{route.margin_nm:g}", "nm"),
    ]
    return table(caption, rows)


def estimate_html(est: Estimate) -> str:
    """HTML table of an `routes.analysis.performance.Estimate`."""
    a = est.assumptions
    range_text = (
        f"yes, margin {est.range_margin_kg:,.0f} kg / {est.range_margin_km:,.0f} km"
        if est.within_range
        else f"NO: short by {-est.range_margin_kg:,.0f} kg / {-est.range_margin_km:,.0f} km ({est.range_limit})"
    )
    rows: list[tuple[str, Any, str]] = [
        ("aircraft", est.aircraft, ""),
        ("air distance", f"{est.air_distance_km:,.0f}", "km"),
        ("block time", f"{hours_minutes(est.block_time_min)} ({whole_minutes(est.block_time_min):,d} min)", ""),
        (
            "taxi / climb / cruise / descent",
            f"{est.taxi_min:.0f} / {est.climb_min:.0f} / {est.cruise_min:.0f} / {est.descent_min:.0f}",
            "min",
        ),
        ("trip fuel", f"{est.trip_fuel_kg:,.0f}", "kg"),
        ("block fuel", f"{est.block_fuel_kg:,.0f}", "kg"),
        ("CO2", f"{est.co2_kg / 1000:,.1f}", "t"),
        ("reserve fuel", f"{est.reserve_fuel_kg:,.0f}", "kg"),
        ("payload", f"{est.payload_kg:,.0f}", f"kg ({a.load_factor:.0%} load factor)"),
        ("take-off mass", f"{est.takeoff_mass_kg:,.0f}", "kg"),
        ("range with reserves", range_text, ""),
        ("wind", est.wind, ""),
        ("fuel-flow factor", f"{est.fuel_flow_factor:.2f}", ""),
    ]
    return table(f"{est.aircraft}: {hours_minutes(est.block_time_min)} block, {est.block_fuel_kg:,.0f} kg fuel", rows)


def scenario_html(scn: Scenario, max_states: int = 12) -> str:
    """HTML table of a closure scenario: what is closed, exempted and where it comes from."""
    from routes.inputs.airspace import state_name

    closed = sorted(scn.closed_states)
    names = ", ".join(f"{state_name(c)} ({c})" for c in closed[:max_states])
    if len(closed) > max_states:
        names += f" and {len(closed) - max_states} more"
    rows: list[tuple[str, Any, str]] = [("description", scn.description or "-", "")]
    if scn.effective:
        rows.append(("effective", scn.effective, ""))
    if getattr(scn, "as_of", ""):
        rows.append(("as of", scn.as_of, ""))
    rows += [
        ("closed states", f"{len(closed)}: {names}" if closed else "none", ""),
        ("exempted", ", ".join(sorted(scn.exempt_states)) or "none", ""),
        ("unclear (see notes)", ", ".join(sorted(getattr(scn, "unclear", ()))) or "none", ""),
        ("extra closed polygons", len(scn.closed_polygons), ""),
        ("open corridors", len(scn.open_corridors), ""),
    ]
    rows += [("source", s, "") for s in scn.sources]
    return table(f"Scenario {scn.name}", rows)


def comparison_html(df: pd.DataFrame | Any, max_rows: int = 60) -> str:
    """HTML table of a `routes.compare` table (or a result with ``.table``) in
    reader-friendly columns with units; infeasible rows show their reason."""
    df = getattr(df, "table", df)

    view = summary_table(df.head(max_rows))
    more = f"<p>{len(df) - max_rows} more rows</p>" if len(df) > max_rows else ""
    return f'<div class="polar-routes">{view.to_html(index=False, border=0, escape=True)}{more}</div>'
