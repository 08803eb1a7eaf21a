"""The scenario report: a self-contained folder with README.md, index.html, charts, maps, CSV and GeoJSON.

Presentation only: the figures come from `routes.report_data`; this module draws them (`draw_maps`,
`draw_charts`), puts the words and tables in one context (`report_context`, from
`routes.presentation.report_context`) and renders it with the package's two templates
(``templates/report.html``, autoescaped, and ``templates/report.md``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from pathlib import Path

import jinja2
import pandas as pd
from branca.element import Element
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from routes.inputs.scenarios import Scenario
from routes.inputs.winds import period_label
from routes.mission import MISSION_DESTINATIONS, MISSION_ORIGINS, MISSION_PERIODS, MISSION_SCENARIOS
from routes.presentation import charts
from routes.presentation import report_context as ctx
from routes.presentation.formatting import COST_COLUMN_HEADINGS, hours_minutes, million_usd, signed_minutes, usd
from routes.presentation.formatting import cost_notes as cost_notes  # the report's and the command line's
from routes.presentation.maps import plot_routes, save_figure
from routes.presentation.report_context import Chart
from routes.report_data import ReportData, report_data
from routes.result import Route
from routes.routing import AirportLike
from routes.seasonal import period_key
from routes.study import Study

COST_SUMMARY_COLUMNS = {
    "origin": "from",
    "destination": "to",
    "scenario": "scenario",
    "aircraft": "aircraft",
    **COST_COLUMN_HEADINGS,
}


def cost_table(df: pd.DataFrame) -> pd.DataFrame:
    """Reader-friendly cost columns of a `routes.comparison.compare` table (strings, no NaN).

    USD per flight with thousands separators; annual figures in millions of USD.
    """
    out = df.copy()
    for c in COST_SUMMARY_COLUMNS:
        if c.endswith("_usd"):
            annual = c.startswith(("annual", "extra_annual"))
            out[c] = [million_usd(v) if annual else usd(v) for v in out[c]]
    out = out[list(COST_SUMMARY_COLUMNS)].rename(columns=COST_SUMMARY_COLUMNS)
    return out.astype(object).where(out.notna(), "")


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
            cells = ["" if pd.isna(a) else f"{hours_minutes(a)} {signed_minutes(b)}" for a, b in zip(t, x, strict=True)]
            out[f"{arrow} {name}"] = cells
    return out.reset_index(drop=True)


def _geojson(data: ReportData) -> dict:
    features = []
    for base in data.baselines.values():
        feat = base.to_geojson()
        feat["properties"]["scenario"] = "pre-2022 geodesic"
        features.append(feat)
    df = data.table
    if df.empty:
        return {"type": "FeatureCollection", "features": features}
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
                f"{r.scenario.name}: +{row['extra_km']:,.0f} km, {signed_minutes(row['extra_min'])} min, "
                f"+{fuel_t:.1f} t fuel ({row['aircraft']}, {row['wind']})"
            )
        else:
            parts.append(f"{r.scenario.name}: infeasible ({r.reason})")
    return "; ".join(parts) + "."


NO_INFO_BOX = "<style>.polar-routes-info{display:none}</style>"


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

        m = explore(list(data.routes), table=data.table, study=data.study)
        # the report lists the infeasible pairs under the map: no box over the map itself
        m.get_root().header.add_child(Element(NO_INFO_BOX), name="report_no_info_box")
        m.save(str(maps_dir / "interactive.html"))
        maps.insert(0, ("interactive", "Interactive map"))
    return maps


CHART_FORMATS = ("png", "svg")


def draw_charts(data: ReportData, charts_dir: Path, formats: Sequence[str] = CHART_FORMATS) -> list[Chart]:
    """Draw the report's charts into ``charts_dir`` (``<name>.png`` and ``.svg``), in report order.

    A chart that would be empty (no closure with a route, no month of winds) is left out; the
    report says why (`charts_note`).
    """
    order = list(dict.fromkeys(data.table["scenario"])) if not data.table.empty else []
    closed = data.table[~data.table["scenario"].isin(list(data.open_sky))] if order else data.table
    feasible_closed = not closed.empty and closed["feasible"].astype(bool).any()
    monthly, split = data.monthly, data.cost_split
    jobs: list[tuple[Chart, Callable[[], Figure]]] = []
    if feasible_closed:
        jobs.append((
            Chart("extra-by-city", "Extra block time and cost per flight by city and scenario",
                  "Extra block time (min) and extra cost (USD) per flight against the pre-2022 route, by city and "
                  f"closure scenario ({closed['wind'].iloc[0]})."),
            lambda: charts.extra_by_city_figure(closed, order),
        ))  # fmt: skip
    if not monthly.empty:
        jobs.append((
            Chart("block-time-by-month", "Block time by month, both directions",
                  "Block time in each month's climatological winds (NCEP/NCAR R1, 200 hPa), outbound (solid) and "
                  "return (dashed), by scenario."),
            lambda: charts.block_time_figure(monthly, order),
        ))  # fmt: skip
    if not split.empty:
        jobs.append((
            Chart("cost-split", "What the extra cost per flight is made of",
                  "The extra cost per flight split into fuel, time and en-route charges added; the charges the "
                  "closed states no longer collect are a saving (left of zero); the diamond is the net extra cost."),
            lambda: charts.cost_split_figure(split),
        ))  # fmt: skip
    label, bars = data.tornado
    if len(bars) > 1:
        jobs.append((
            Chart("tornado", "What moves the extra cost most",
                  f"One-at-a-time swings of the extra cost per flight ({label}, fully allocated) as each uncertain "
                  "input of the assumptions register goes to its low (blue) and high (orange) value."),
            lambda: charts.tornado_figure(label, bars),
        ))  # fmt: skip
    wanted = [f for f in formats if f in CHART_FORMATS] or ["png"]
    for chart, draw in jobs:
        save_figure(draw(), charts_dir / chart.name, formats=wanted, dpi=150)
    return [chart for chart, _ in jobs]


def charts_note(data: ReportData, drawn: Sequence[Chart]) -> str:
    """Why some or all charts are missing, or ``""``."""
    if data.table.empty:
        return ""  # nothing was selected: the summary says so
    if data.problem:
        return f"No charts: {data.problem}."
    if not any(c.name == "extra-by-city" for c in drawn):
        return "No extra-time or cost charts: no closure scenario has a route to compare with pre-2022."
    return ""


FILES = [
    ("routes.csv", "every figure of every route (all columns)"),
    ("block_times.csv", "both directions in still air and in the winds of every month, season and the year"),
    ("assumptions.csv", "every entry of the assumptions register with the value this run used and its source"),
    ("overrides.csv", "every value this run changed from its default (empty: none)"),
    ("routes.geojson", "the routes and the pre-2022 geodesics"),
    ("maps/", "static maps (PNG, SVG, PDF) and interactive.html"),
    ("charts/", "the charts (PNG and SVG)"),
]


def report_context(data: ReportData, maps: Sequence[tuple[str, str]], charts_drawn: Sequence[Chart] = ()) -> dict:
    """The one context of both templates (``templates/report.html`` and ``templates/report.md``).

    Keys: ``title``, ``generated``, ``summary`` (`routes.presentation.report_context.summary`),
    ``map`` (title, interactive, static map name, legend, infeasible lines; None without routes),
    ``charts``, ``charts_note``, ``sections`` (a list of `Section`: the tables; extra sections
    are appended here), ``pair_maps``, ``notes`` and ``files``.
    """
    names = [n for n, _ in maps]
    pair_maps = [(n, t) for n, t in maps if n not in ("interactive", "overview")]
    static = "overview" if "overview" in names else (pair_maps[0][0] if pair_maps else None)
    the_map = None
    if maps:
        the_map = {
            "title": "Map of the routes" if static == "overview" or not pair_maps else pair_maps[0][1],
            "interactive": "interactive" in names,
            "static": static,
            "legend": ctx.legend(data),
            "legend_note": ctx.LEGEND_NOTE if "interactive" in names and len(ctx.legend(data)) > 3 else "",
            "infeasible": ctx.infeasible_lines(data.table),
        }
    shown = direction_summary(data.table, data.periods) if not data.table.empty else pd.DataFrame()
    return {
        "title": "Route report",
        "generated": f"Generated {date.today().isoformat()} by polar-routes.",
        "summary": ctx.summary(data),
        "map": the_map,
        "charts": list(charts_drawn),
        "chart_svg": True,
        "charts_note": charts_note(data, charts_drawn),
        "sections": ctx.report_sections(data, shown),
        "pair_maps": pair_maps if static == "overview" else [],
        "notes": [*ctx.method_notes(data)[1:]],
        "files": [(n, w) for n, w in FILES if (n != "maps/" or maps) and (n != "charts/" or charts_drawn)],
    }


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("routes.presentation", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = _cell
    return env


def render(template: str, context: dict) -> str:
    """Render ``templates/<template>`` (``report.html`` autoescaped, ``report.md``) with ``context``."""
    return _environment().get_template(template).render(**context)


def report_markdown(data: ReportData, maps: Sequence[tuple[str, str]], charts_drawn: Sequence[Chart] = ()) -> str:
    """The report's ``README.md``: summary, map, charts, tables and the maps written by `draw_maps`."""
    return render("report.md", report_context(data, maps, charts_drawn))


def report_html(data: ReportData, maps: Sequence[tuple[str, str]], charts_drawn: Sequence[Chart] = ()) -> str:
    """The report's ``index.html``: the same context as `report_markdown`, the interactive map in a frame
    (replaced by the static map when printed)."""
    return render("report.html", report_context(data, maps, charts_drawn))


def write_report(
    out_dir: str | Path = "reports/mission",
    origins: Iterable[AirportLike] = MISSION_ORIGINS,
    destinations: Iterable[AirportLike] = MISSION_DESTINATIONS,
    scenarios: Iterable[str | Scenario] = MISSION_SCENARIOS,
    study: Study | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    formats: Sequence[str] = ("png", "svg", "pdf"),
    interactive: bool = True,
) -> tuple[Path, pd.DataFrame]:
    """Compute the comparison and write the report folder.

    ``index.html`` and ``README.md`` are rendered from one context (`report_context`) by the
    templates in ``routes/presentation/templates``: a summary generated from the figures (what
    each closure costs in km, minutes and USD per flight and per year, and which aircraft can
    still fly it), the map with its legend and the pairs that have no route, the charts
    (``charts/*.png|svg``: extra minutes and USD by city, block time by month both ways, the
    extra cost split), then the tables (distance and time, fuel and CO2, cost, feasibility,
    both directions; at most 10 columns each) and the maps by city pair. An empty selection, or
    one where no route is feasible, still gives a report that says why.

    Also writes ``routes.csv`` (every figure), ``routes.geojson``
    (routes and pre-2022 geodesics), ``block_times.csv`` (every route both ways in still air and
    the climatological winds of all 12 months, the seasons and the year: `routes.seasonal`) and
    ``maps/<ORIGIN>-<DEST>.{png,svg,pdf}`` plus ``maps/overview.*``, and (``interactive=True``)
    ``maps/interactive.html``: the zoomable Leaflet map of `routes.presentation.explore.explore`,
    self-contained (works from disk, offline), shown in ``index.html`` next to the static maps. The
    report tables show both directions in still air and the winds of the study's ``periods`` (default
    January and July). A cost section gives the cost per flight, the extra over pre-2022 split into fuel,
    time and charges, and the annual cost of the study's ``flights_per_week`` each way, priced with its
    ``cost_rates`` at the charge rates valid on its ``rates_date`` (default today). ``study`` (a
    `routes.study.Study`, default the mission's) holds every setting.
    Returns the folder and the comparison table.

    The steps, each usable alone: `routes.report_data.report_data` (compute), `draw_maps`,
    `draw_charts`, `report_context`, and `report_markdown` / `report_html` (or `render`).
    """
    data = report_data(origins, destinations, scenarios, study, progress)
    out = Path(out_dir)
    (out / "maps").mkdir(parents=True, exist_ok=True)  # only once there is something to write
    data.table.to_csv(out / "routes.csv", index=False)
    data.block_times.to_csv(out / "block_times.csv", index=False)
    data.assumptions_used.to_csv(out / "assumptions.csv", index=False)
    data.overrides.to_csv(out / "overrides.csv", index=False)
    (out / "routes.geojson").write_text(json.dumps(_geojson(data), indent=1))
    maps = draw_maps(data, out / "maps", formats, interactive, progress)
    drawn = draw_charts(data, out / "charts", formats)
    context = report_context(data, maps, drawn)
    (out / "README.md").write_text(render("report.md", context))
    (out / "index.html").write_text(render("report.html", context))
    return out, data.table
