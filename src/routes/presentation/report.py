"""The scenario report: a self-contained folder with README.md, index.html, CSV, GeoJSON and maps.

Presentation only: the figures come from `routes.report_data`; this module draws and writes them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from routes.analysis.performance import Assumptions
from routes.analysis.wind import WindModel
from routes.inputs.costdata import CostRates
from routes.inputs.scenarios import Scenario
from routes.inputs.winds import period_label
from routes.mission import MISSION_AIRCRAFT, MISSION_DESTINATIONS, MISSION_ORIGINS, MISSION_PERIODS, MISSION_SCENARIOS
from routes.presentation.formatting import hours_minutes, summary_table
from routes.presentation.maps import ATTRIBUTION, plot_routes, save_figure
from routes.report_data import ReportData, report_data
from routes.result import Route
from routes.routing import AirportLike
from routes.seasonal import period_key

COST_SUMMARY_COLUMNS = {
    "origin": "from",
    "destination": "to",
    "scenario": "scenario",
    "aircraft": "aircraft",
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


def cost_table(df: pd.DataFrame) -> pd.DataFrame:
    """Reader-friendly cost columns of a `routes.comparison.compare` table (strings, no NaN).

    USD per flight with thousands separators; annual figures in millions of USD.
    """
    out = df.copy()
    for c in COST_SUMMARY_COLUMNS:
        if c.endswith("_usd"):
            annual = c.startswith(("annual", "extra_annual"))
            out[c] = ["" if pd.isna(v) else (f"{v / 1e6:,.1f}" if annual else f"{v:,.0f}") for v in out[c]]
    out = out[list(COST_SUMMARY_COLUMNS)].rename(columns=COST_SUMMARY_COLUMNS)
    return out.astype(object).where(out.notna(), "")


def cost_notes(df: pd.DataFrame) -> list[str]:
    """What the cost table assumes, in sentences (from the table's own columns)."""
    rows = df[df["cost_usd"].notna()]
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
    return notes


def direction_summary(df: pd.DataFrame, periods: Iterable[int | str] = MISSION_PERIODS) -> pd.DataFrame:
    """Block time both ways, in still air and each period's climatological winds, with the extra
    minutes over pre-2022 in the same wind and direction (``"11 h 34 +6"``): one row per city
    pair, scenario and aircraft of a `routes.comparison.compare` table (feasible rows only)."""
    plist = list(periods)
    rows = df[df["feasible"].astype(bool)]
    out = pd.DataFrame({"from": rows["origin"], "to": rows["destination"], "scenario": rows["scenario"]})
    out["aircraft"] = rows["aircraft"]
    winds = [("", "still air"), *((f"_{period_key(p)}", period_label(p)[:3]) for p in plist)]
    for prefix, arrow in (("", "out"), ("return_", "back")):
        for key, name in winds:
            t, x = rows[f"{prefix}block_time{key}_min"], rows[f"{prefix}extra{key}_min"]
            cells = ["" if pd.isna(a) else f"{hours_minutes(a)} {round(b):+d}" for a, b in zip(t, x, strict=True)]
            out[f"{arrow} {name}"] = cells
    return out.reset_index(drop=True)


def _markdown(df: pd.DataFrame) -> str:
    head = "| " + " | ".join(df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = ["| " + " | ".join(str(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def _geojson(data: ReportData) -> dict:
    features = []
    for base in data.baselines.values():
        feat = base.to_geojson()
        feat["properties"]["scenario"] = "pre-2022 geodesic"
        features.append(feat)
    df = data.table
    first = df.drop_duplicates(["origin", "destination", "scenario"]).set_index(["origin", "destination", "scenario"])
    for r in data.routes:
        if not r.feasible:
            continue
        feat = r.to_geojson()
        row = first.loc[(r.origin.code, r.destination.code, r.scenario.name)]
        extra = {k: (None if pd.isna(v) else v) for k, v in row.items() if k not in feat["properties"]}
        feat["properties"].update({k: (v.item() if hasattr(v, "item") else v) for k, v in extra.items()})
        features.append(feat)
    return {"type": "FeatureCollection", "features": features}


def _caption(df: pd.DataFrame, routes: Sequence[Route]) -> str:
    parts = []
    for r in routes:
        rows = df[
            (df["origin"] == r.origin.code)
            & (df["destination"] == r.destination.code)
            & (df["scenario"] == r.scenario.name)
        ]
        if rows.empty or r.scenario.is_open_sky:
            continue
        row = rows.iloc[0]
        if r.feasible:
            fuel_t = row["extra_fuel_kg"] / 1000
            parts.append(
                f"{r.scenario.name}: +{row['extra_km']:,.0f} km, +{row['extra_min']:.0f} min, "
                f"+{fuel_t:.1f} t fuel ({row['aircraft']}, {row['wind']})"
            )
        else:
            parts.append(f"{r.scenario.name}: infeasible ({r.reason})")
    return "; ".join(parts) + "."


def draw_maps(
    data: ReportData,
    maps_dir: Path,
    formats: Sequence[str] = ("png", "svg", "pdf"),
    interactive: bool = True,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> list[tuple[str, str]]:
    """Draw a static map per pair (and an overview of several), plus the interactive map, into ``maps_dir``.

    Returns
    -------
    list of (name, title)
        The maps written (``maps_dir/<name>.png`` etc., ``interactive.html``), in report order.
    """
    maps = []
    jobs = [*data.pairs, ("overview", "")] if len(data.pairs) > 1 else data.pairs
    for o, d in progress(jobs) if progress else jobs:
        overview = o == "overview"
        chosen = list(data.routes) if overview else data.pair_routes((o, d))
        title = "All routes" if overview else f"{o} → {d} under closure scenarios"
        fig = Figure(figsize=(10, 10))  # its own Agg canvas: no pyplot state, no backend switch
        FigureCanvasAgg(fig)
        plot_routes(
            chosen,
            baseline=list(data.baselines.values()) if overview else data.baselines[(o, d)],
            alternates={} if overview else data.alternates[(o, d)],
            ax=fig.subplots(),
            title=title,
            caption="" if overview else _caption(data.table, chosen),
            label_turns=not overview,
        )
        name = "overview" if overview else f"{o}-{d}"
        save_figure(fig, maps_dir / name, formats=formats)
        maps.append((name, title))
    if interactive and data.routes:
        from routes.presentation.explore import explore

        explore(list(data.routes), table=data.table, height="100%").save(str(maps_dir / "interactive.html"))
        maps.insert(0, ("interactive", "Interactive map"))
    return maps


@dataclass(frozen=True)
class _Sections:
    """The report's text and tables, shared by the Markdown and the HTML page."""

    notes: list[str]
    table: pd.DataFrame
    both_title: str
    both_note: str
    both: pd.DataFrame
    cost_notes: list[str]
    costs: pd.DataFrame


def _sections(data: ReportData) -> _Sections:
    df = data.table
    wind_label = df["wind"].iloc[0] if len(df) else "still air"
    notes = [
        f"Generated {date.today().isoformat()} by polar-routes.",
        f"Aircraft performance: OpenAP; {wind_label}; payload {data.assumptions.load_factor:.0%} load factor.",
        "Closed airspace = sovereign airspace (land + 12 nm territorial sea); high seas stay usable.",
        "Extra figures are against the pre-2022 WGS84 geodesic flown by the same aircraft.",
        ATTRIBUTION + ".",
    ]
    return _Sections(
        notes=notes,
        table=summary_table(df),
        both_title="Block time both ways, still air and climatological winds (extra min over pre-2022, same wind)",
        both_note=(
            "out = as listed (from -> to), back = the same track flown the other way; winds: "
            "NCEP/NCAR Reanalysis 1 monthly mean at 200 hPa (about FL385), applied in climb, cruise and descent. "
            "All 12 months, the seasons and the annual mean: block_times.csv."
        ),
        both=direction_summary(df, data.periods),
        cost_notes=cost_notes(df),
        costs=cost_table(df),
    )


def report_markdown(data: ReportData, maps: Sequence[tuple[str, str]]) -> str:
    """The report's ``README.md``: notes, tables and the maps written by `draw_maps`."""
    s = _sections(data)
    md = ["# Route report", "", *[f"- {n}" for n in s.notes], "", _markdown(s.table), ""]
    md += [f"## {s.both_title}", "", s.both_note, "", _markdown(s.both), ""]
    md += ["## Cost", "", *[f"- {n}" for n in s.cost_notes], "", _markdown(s.costs), ""]
    md += [
        f"## {t}\n\nOpen [maps/{n}.html](maps/{n}.html) in a browser (zoom, layers, popups; works offline).\n"
        if n == "interactive"
        else f"## {t}\n\n![{t}](maps/{n}.png)\n"
        for n, t in maps
    ]
    interactive = any(n == "interactive" for n, _ in maps)
    md += [
        "Files: `routes.csv` (all columns), `block_times.csv` (both directions x still air and every month), "
        "`routes.geojson` (routes and geodesics), `maps/` (PNG, SVG, PDF"
        + (", and `interactive.html`)." if interactive else ").")
    ]
    return "\n".join(md) + "\n"


def report_html(data: ReportData, maps: Sequence[tuple[str, str]]) -> str:
    """The report's ``index.html``: the same sections as `report_markdown`, the interactive map in a frame."""
    s = _sections(data)
    figures = "\n".join(
        f'<h2>{html.escape(t)}</h2>\n<iframe src="maps/{n}.html" title="{html.escape(t)}" class="interactive-map" '
        f'style="width:100%;height:640px;border:1px solid #ccc"></iframe>\n<p><a href="maps/{n}.html">Open the map '
        "on its own page</a> (zoom, switch layers, click a route for its figures; works offline).</p>"
        if n == "interactive"
        else f'<h2>{html.escape(t)}</h2>\n<img src="maps/{n}.png" alt="{html.escape(t)}" style="max-width:100%">'
        for n, t in maps
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Route report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}}table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}}th{{background:#f0f0f0}}</style></head><body>
<h1>Route report</h1>
<ul>{"".join(f"<li>{html.escape(n)}</li>" for n in s.notes)}</ul>
{s.table.to_html(index=False, border=0, escape=True)}
<h2>{html.escape(s.both_title)}</h2>
<p>{html.escape(s.both_note)}</p>
{s.both.to_html(index=False, border=0, escape=True)}
<h2>Cost</h2>
<ul>{"".join(f"<li>{html.escape(n)}</li>" for n in s.cost_notes)}</ul>
{s.costs.to_html(index=False, border=0, escape=True)}
{figures}
<p>Data: <a href="routes.csv">routes.csv</a>, <a href="block_times.csv">block_times.csv</a>,
<a href="routes.geojson">routes.geojson</a>.</p>
</body></html>
"""


def write_report(
    out_dir: str | Path = "reports/mission",
    origins: Iterable[AirportLike] = MISSION_ORIGINS,
    destinations: Iterable[AirportLike] = MISSION_DESTINATIONS,
    scenarios: Iterable[str | Scenario] = MISSION_SCENARIOS,
    aircraft: Iterable[str] = MISSION_AIRCRAFT,
    margin_nm: float = 0.0,
    assumptions: Assumptions | None = None,
    wind: WindModel | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    formats: Sequence[str] = ("png", "svg", "pdf"),
    interactive: bool = True,
    cost_rates: CostRates | None = None,
    flights_per_week: float = 7.0,
    periods: Iterable[int | str] = MISSION_PERIODS,
    *,
    cost_on: date | str | None = None,
) -> tuple[Path, pd.DataFrame]:
    """Compute the comparison and write the report folder.

    Writes ``README.md``, ``index.html``, ``routes.csv`` (every figure), ``routes.geojson``
    (routes and pre-2022 geodesics), ``block_times.csv`` (every route both ways in still air and
    the climatological winds of all 12 months, the seasons and the year: `routes.seasonal`) and
    ``maps/<ORIGIN>-<DEST>.{png,svg,pdf}`` plus ``maps/overview.*``, and (``interactive=True``)
    ``maps/interactive.html``: the zoomable Leaflet map of `routes.presentation.explore.explore`,
    self-contained (works from disk, offline), shown in ``index.html`` next to the static maps. The
    report tables show both directions in still air and the winds of ``periods`` (default January and
    July). A cost section gives the cost per flight, the extra over pre-2022 split into fuel, time and
    charges, and the annual cost of ``flights_per_week`` each way, priced with ``cost_rates`` at the charge
    rates valid on ``cost_on`` (default today). Returns the folder and the comparison table.

    The steps, each usable alone: `routes.report_data.report_data` (compute), `draw_maps`,
    `report_markdown` and `report_html`.
    """
    data = report_data(
        origins,
        destinations,
        scenarios,
        aircraft,
        margin_nm,
        assumptions,
        wind,
        progress=progress,
        cost_rates=cost_rates,
        flights_per_week=flights_per_week,
        periods=periods,
        cost_on=cost_on,
    )
    out = Path(out_dir)
    (out / "maps").mkdir(parents=True, exist_ok=True)  # only once there is something to write
    data.table.to_csv(out / "routes.csv", index=False)
    data.block_times.to_csv(out / "block_times.csv", index=False)
    (out / "routes.geojson").write_text(json.dumps(_geojson(data), indent=1))
    maps = draw_maps(data, out / "maps", formats, interactive, progress)
    (out / "README.md").write_text(report_markdown(data, maps))
    (out / "index.html").write_text(report_html(data, maps))
    return out, data.table
