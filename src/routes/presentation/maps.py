"""Report-grade route maps (matplotlib + geopandas + pyproj; no network access).

A polar azimuthal-equidistant projection centred on the pole of the routes' hemisphere, rotated
so the routes hang below the pole, with an extent fitted to the routes. Every layer is clipped in
lon/lat to the visible latitude band and densified before it is projected, so nothing tears at
the antimeridian. Functions take ``ax=`` and return the Axes, like geopandas' plotting.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from routes import geodesy
from routes.analysis.diversion import alternates_table
from routes.errors import InvalidInputError, WindFieldError
from routes.inputs import airspace
from routes.inputs.airspace import data_dir
from routes.inputs.scenarios import Scenario, get_scenario
from routes.result import Route
from routes.units import KT_PER_MS

if TYPE_CHECKING:
    import pyproj

    from routes.itineraries import Itinerary

SCENARIO_COLORS = {
    "pre-2022": "#4d4d4d",
    "europe-closed": "#1f77b4",
    "europe-canada-closed": "#d62728",
    "closures-2022": "#9467bd",
}
_CYCLE = ["#2ca02c", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
ATTRIBUTION = (
    "Airspace: © OpenStreetMap contributors (ODbL) via geo-maps · Land: Natural Earth · Alternates: OurAirports"
)


def scenario_color(name: str, index: int = 0) -> str:
    """Colour of a scenario's routes and closed airspace (stable for the built-in ones)."""
    return SCENARIO_COLORS.get(name, _CYCLE[index % len(_CYCLE)])


@cache
def land() -> gpd.GeoDataFrame:
    """Natural Earth 1:50m land polygons (``data/basemap``)."""
    return gpd.read_parquet(data_dir() / "basemap" / "land_50m.parquet")


@dataclass(frozen=True)
class MapFrame:
    """A polar azimuthal-equidistant frame fitted to some points.

    Attributes
    ----------
    crs : pyproj.CRS
    bounds : tuple of float
        (xmin, ymin, xmax, ymax) in metres.
    lat_limit : float
        Latitude beyond which (towards the other pole) nothing is drawn.
    north : bool
        Whether the frame is centred on the North Pole.
    """

    crs: pyproj.CRS
    bounds: tuple[float, float, float, float]
    lat_limit: float
    north: bool

    @classmethod
    def fit(cls, lonlat: np.ndarray, pad: float = 0.08) -> MapFrame:
        """Frame around points (lon, lat), rotated so they hang below the pole."""
        lon0, lat0 = geodesy.mean_direction(lonlat)
        north = lat0 >= 0
        crs = geodesy.aeqd_crs(lon0=round(lon0, 3), lat0=90.0 if north else -90.0)
        fwd = geodesy.transformer("EPSG:4326", crs)
        x, y = fwd.transform(lonlat[:, 0], lonlat[:, 1])
        w, h = np.ptp(x), np.ptp(y)
        span = max(w, h, 1.5e6)
        cx, cy = (np.max(x) + np.min(x)) / 2, (np.max(y) + np.min(y)) / 2
        half_w = half_h = span / 2 * (1 + pad * 2)  # square frame: reads well in a report column
        bounds = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        corners = np.array(
            [[bounds[0], bounds[1]], [bounds[2], bounds[1]], [bounds[0], bounds[3]], [bounds[2], bounds[3]]]
        )
        inv = geodesy.transformer(crs, "EPSG:4326")
        _, lat_c = inv.transform(corners[:, 0], corners[:, 1])
        lat_limit = float(np.min(lat_c) - 5.0) if north else float(np.max(lat_c) + 5.0)
        return cls(crs, bounds, float(np.clip(lat_limit, -85, 85)), north)

    def project_xy(self, lonlat: np.ndarray) -> np.ndarray:
        """Map coordinates (m) of (lon, lat) points."""
        fwd = geodesy.transformer("EPSG:4326", self.crs)
        x, y = fwd.transform(lonlat[:, 0], lonlat[:, 1])
        return np.column_stack([x, y])

    def project(self, geoms: Sequence[shapely.Geometry]) -> gpd.GeoSeries:
        """Clip lon/lat geometries to the visible band, densify and project them."""
        band = shapely.box(-180, self.lat_limit, 180, 90) if self.north else shapely.box(-180, -90, 180, self.lat_limit)
        clipped = [shapely.segmentize(shapely.make_valid(g).intersection(band), 0.5) for g in geoms]
        return gpd.GeoSeries(clipped, crs="EPSG:4326").to_crs(self.crs)


def _graticule(ax: Axes, frame: MapFrame) -> list:
    xmin, ymin, xmax, ymax = frame.bounds
    view = shapely.box(xmin, ymin, xmax, ymax)
    style = {"color": "#b0b0b0", "lw": 0.4, "zorder": 1}
    texts = []
    lats = np.arange(-80, 81, 10)
    lats = lats[(lats > frame.lat_limit) if frame.north else (lats < frame.lat_limit)]
    for lat in lats:
        line = frame.project_xy(np.column_stack([np.linspace(-180, 180, 721), np.full(721, lat)]))
        ax.plot(line[:, 0], line[:, 1], **style)
        inside = shapely.intersection(shapely.LineString(line), view)
        if not inside.is_empty:
            pts = shapely.get_coordinates(inside)
            x, y = pts[np.argmax(pts[:, 0])]  # label where the parallel leaves the map on the right
            texts.append(
                ax.annotate(
                    f"{abs(lat)}°{'N' if lat >= 0 else 'S'}",
                    (x, y),
                    fontsize=7,
                    color="#808080",
                    ha="right",
                    va="bottom",
                    zorder=2,
                    clip_on=True,
                )
            )
    for lon in range(-180, 180, 30):
        end = frame.lat_limit
        line = frame.project_xy(np.column_stack([np.full(200, lon), np.linspace(end, 90 if frame.north else -90, 200)]))
        ax.plot(line[:, 0], line[:, 1], **style)
    return texts


def _declutter(ax: Axes, texts: list) -> None:
    """Hide labels that overlap a label placed before them (priority = order)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    kept: list = []
    axes_box = ax.get_window_extent(renderer)
    for t in texts:
        box = t.get_window_extent(renderer).expanded(1.05, 1.1)
        if not axes_box.contains(box.x0, box.y0) or not axes_box.contains(box.x1, box.y1):
            t.set_visible(False)
        elif any(box.overlaps(k) for k in kept):
            t.set_visible(False)
        else:
            kept.append(box)


def plot_routes(
    routes: Sequence[Route],
    baseline: Route | Sequence[Route] | None = None,
    closures: Sequence[str | Scenario] | None = None,
    alternates: dict[str, Sequence[str]] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
    label_turns: bool = True,
    wind: object | None = None,
) -> Axes:
    """Draw routes on a polar map.

    Parameters
    ----------
    routes : sequence of Route
        Routes to draw, coloured by scenario; infeasible ones are skipped (say so in a caption).
    baseline : Route or sequence of Route
        Pre-2022 geodesics, dashed (default: the pre-2022 routes among ``routes``, i.e. the unconstrained
        geodesics; none when there are none: the map computes no route itself).
    closures : sequence of scenario names or Scenario
        Closed airspace to shade: each state in the colour of the first listed scenario that
        closes it (default: the routes' scenarios, in order).
    alternates : dict
        Scenario name -> ICAO idents of diversion alternates to mark.
    ax : matplotlib Axes
        Created (with a new figure) when None.
    title, caption : str
    label_turns : bool
        Label turn points T1, T2, ...
    wind : wind model with ``wind_ms(lonlat)`` (e.g. `routes.analysis.wind` gridded fields)
        Drawn faintly under the routes: speed shading and sparse arrows. Minimum-time routes
        (``objective == "time"``) are drawn dotted in their scenario's colour, beside the
        shortest route.

    Returns
    -------
    matplotlib.axes.Axes
    """
    # long mostly by its docstring (the drawing's every option); the body draws layer by layer
    if isinstance(routes, Route):
        routes = [routes]
    if not isinstance(routes, Sequence) or not routes or not all(isinstance(r, Route) for r in routes):
        raise InvalidInputError(f"plot_routes needs a non-empty sequence of routes.Route, got {routes!r:.80}")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 8.5))
    if baseline is None:
        bases = [r for r in routes if r.feasible and r.scenario.is_open_sky and len(r.waypoints) == 2]
    else:
        bases = [baseline] if isinstance(baseline, Route) else list(baseline)
    feasible = [r for r in routes if r.feasible]
    frame = _frame(routes, bases)
    ax.set_facecolor("#eef4f8")
    frame.project(land().geometry.values).plot(ax=ax, color="#f4f1ea", edgecolor="#9a9a9a", linewidth=0.3, zorder=2)
    if wind is not None:
        _draw_wind(ax, frame, wind)
    own = {r.scenario.name: r.scenario for r in routes}  # custom scenarios are known by their routes
    wanted = closures if closures is not None else list(own)
    scns = [s if isinstance(s, Scenario) else own.get(s) or get_scenario(s) for s in wanted]
    handles: list = []
    labels = _draw_closures(ax, frame, scns, handles)
    grid_labels = _graticule(ax, frame)
    _draw_baselines(ax, frame, bases, handles)
    n_pairs = len(dict.fromkeys((r.origin.code, r.destination.code) for r in routes))
    turn_labels = _draw_routes(ax, frame, feasible, n_pairs, handles, label_turns)
    _draw_alternates(ax, frame, alternates or {}, handles)
    airport_labels = _draw_airports(ax, frame, [*bases, *routes])
    _legend(ax, frame, handles, title, caption)
    ax.figure.canvas.draw()
    _declutter(ax, airport_labels + grid_labels + turn_labels + labels)
    return ax


def _frame(routes: Sequence[Route], bases: Sequence[Route]) -> MapFrame:
    """The map frame that shows the routes (their ends and paths) and the baselines."""
    ends = np.array([[a.lon, a.lat] for r in routes for a in (r.origin, r.destination)])
    pts = np.vstack([ends, *(b.densified(25.0) for b in bases), *(r.densified(25.0) for r in routes if r.feasible)])
    return MapFrame.fit(pts)


def plot_itinerary(itinerary: Itinerary, baseline: Route | None = None, ax: Axes | None = None) -> Axes:
    """Draw a trip with stops (`routes.itineraries.Itinerary`): each leg as a route, the stops marked.

    Parameters
    ----------
    itinerary : Itinerary
        From `routes.itinerary`; its legs are constrained routes.
    baseline : Route, optional
        A route to draw dashed for comparison (e.g. the non-stop or pre-2022 route; none by default:
        the map computes no route itself).
    ax : matplotlib Axes
        Created (with a new figure) when None.

    Returns
    -------
    matplotlib.axes.Axes
    """
    legs = [leg.route for leg in itinerary.legs]
    title = f"{'-'.join(itinerary.codes)} ({itinerary.aircraft}, {itinerary.scenario.name})"
    stops = ", ".join(f"{s.code} {g:.0f} min" for s, g in zip(itinerary.stops, itinerary.ground_times_min, strict=True))
    ax = plot_routes(legs, baseline=baseline or [], ax=ax, title=title, caption=f"technical stops: {stops}",
                     label_turns=False)  # fmt: skip
    frame = _frame(legs, [baseline] if baseline else [])
    xy = frame.project_xy(np.array([[s.lon, s.lat] for s in itinerary.stops]))
    ax.scatter(xy[:, 0], xy[:, 1], s=90, marker="s", facecolor="none", edgecolor="crimson", lw=1.8, zorder=11,
               label="technical stop")  # fmt: skip
    return ax


def _draw_closures(ax: Axes, frame: MapFrame, scns: Sequence[Scenario], handles: list) -> list:
    """Shade each closed state in the colour of the first scenario that closes it; returns its labels."""
    shaded: set[str] = set()
    labels: list = []
    states_full = airspace.states("full")
    for i, scn in enumerate(scns):
        new = sorted(scn.closed_states - shaded)
        shaded |= set(new)
        geoms = (
            list(states_full.loc[new].geometry.values) + list(scn.closed_polygons) if new or scn.closed_polygons else []
        )
        if not geoms:
            continue
        color = scenario_color(scn.name, i)
        layer = frame.project(geoms)
        layer.plot(ax=ax, color=color, alpha=0.2, edgecolor="none", zorder=3)
        handles.append(Patch(facecolor=color, alpha=0.3, edgecolor=color, label=f"closed in {scn.name}"))
        xmin, ymin, xmax, ymax = frame.bounds
        for code, g in zip(new, layer.values[: len(new)], strict=True):
            visible = g.intersection(shapely.box(xmin, ymin, xmax, ymax))
            if visible.area > 0.004 * (xmax - xmin) * (ymax - ymin):
                p = visible.representative_point()
                labels.append(
                    ax.text(
                        p.x,
                        p.y,
                        airspace.state_name(code),
                        fontsize=7,
                        color=color,
                        ha="center",
                        va="center",
                        style="italic",
                        zorder=4,
                        alpha=0.9,
                    )
                )
    return labels


def _draw_baselines(ax: Axes, frame: MapFrame, bases: Sequence[Route], handles: list) -> None:
    """The pre-2022 geodesics, dashed."""
    if not bases:
        return
    for base in bases:
        xy = frame.project_xy(base.densified(10.0))
        ax.plot(xy[:, 0], xy[:, 1], ls="--", color="#333333", lw=1.3, zorder=5)
    base_label = f"pre-2022 geodesic ({bases[0].distance_km:,.0f} km)" if len(bases) == 1 else "pre-2022 geodesics"
    handles.append(Line2D([], [], ls="--", color="#333333", label=base_label))


def _draw_routes(
    ax: Axes, frame: MapFrame, feasible: Sequence[Route], n_pairs: int, handles: list, label_turns: bool
) -> list:
    """The routes in their scenario colours, with turn points; returns the turn labels."""
    turn_labels = []
    for i, r in enumerate(feasible):
        if r.scenario.is_open_sky and len(r.waypoints) == 2:
            continue  # identical to the baseline
        color = scenario_color(r.scenario.name, i)
        xy = frame.project_xy(r.densified(10.0))
        style = {"ls": ":", "lw": 2.4} if r.objective == "time" else {"ls": "-", "lw": 2.0}
        ax.plot(xy[:, 0], xy[:, 1], color=color, zorder=6, solid_capstyle="round", **style)
        label = (
            f"{r.scenario.name}: {r.distance_km:,.0f} km (+{r.extra_km:,.0f} km, +{r.extra_pct:.1f}%)"
            if n_pairs == 1
            else f"{r.scenario.name} routes"
        )
        if r.objective == "time":
            saving = r.stats.get("saving_min")
            label = f"{r.scenario.name} minimum time in {r.wind}" + (
                f": {r.distance_km:,.0f} km, {saving:.0f} min faster" if n_pairs == 1 and saving is not None else ""
            )
        if label not in [h.get_label() for h in handles]:
            handles.append(Line2D([], [], color=color, label=label, **style))
        turns = frame.project_xy(np.array([[w.lon, w.lat] for w in r.turns])) if r.turns else np.zeros((0, 2))
        ax.scatter(turns[:, 0], turns[:, 1], s=10, color=color, edgecolor="white", linewidth=0.5, zorder=7)
        if label_turns:
            for w, (x, y) in zip(r.turns, turns, strict=True):
                turn_labels.append(
                    ax.annotate(
                        w.name, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=6, color=color, zorder=8
                    )
                )
    return turn_labels


def _draw_alternates(ax: Axes, frame: MapFrame, alternates: dict[str, Sequence[str]], handles: list) -> None:
    """Diversion alternates (given as data: scenario name -> ICAO idents) as triangles."""
    for code, alts in alternates.items():
        table = alternates_table().set_index("ident")
        known = [a for a in alts if a in table.index]
        if known:
            xy = frame.project_xy(table.loc[known, ["lon", "lat"]].to_numpy(float))
            color = scenario_color(code, 0)
            ax.scatter(xy[:, 0], xy[:, 1], marker="^", s=16, color=color, edgecolor="black", linewidth=0.3, zorder=7)
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="^",
                    ls="",
                    color=color,
                    markeredgecolor="black",
                    markeredgewidth=0.3,
                    label=f"diversion alternates ({code})",
                )
            )


def _draw_airports(ax: Axes, frame: MapFrame, shown: Sequence[Route]) -> list:
    """The end airports of the routes, labelled on the side facing the middle; returns the labels."""
    airport_labels = []
    ends = {}
    for r in shown:
        for ap in (r.origin, r.destination):
            ends[ap.code] = ap
    exy = frame.project_xy(np.array([[a.lon, a.lat] for a in ends.values()]))
    ax.scatter(exy[:, 0], exy[:, 1], s=28, color="black", zorder=9)
    xmin, ymin, xmax, ymax = frame.bounds
    centre = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2])
    for code, (x, y) in zip(ends, exy, strict=True):
        d = centre - (x, y)  # label on the side facing the middle of the map
        d = d / (np.linalg.norm(d) or 1.0) * 9
        airport_labels.append(
            ax.annotate(
                code,
                (x, y),
                xytext=(d[0], d[1]),
                textcoords="offset points",
                fontsize=9,
                fontweight="bold",
                zorder=10,
                ha="left" if d[0] >= 0 else "right",
                va="bottom" if d[1] >= 0 else "top",
                bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 0.5},
            )
        )
    return airport_labels


def _legend(ax: Axes, frame: MapFrame, handles: list, title: str | None, caption: str | None) -> None:
    """Frame limits, legend, title, caption and attribution."""
    xmin, ymin, xmax, ymax = frame.bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    legend = ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=2, fontsize=7.5, frameon=False
    )
    if title:
        ax.set_title(title, fontsize=12, loc="left")
    if caption:
        n_rows = (len(handles) + 1) // 2
        ax.text(
            0.0,
            -0.03 - 0.032 * n_rows,
            textwrap.fill(caption, 120),
            transform=ax.transAxes,
            fontsize=8,
            va="top",
            ha="left",
        )
    del legend
    ax.text(
        1.0,
        0.003,
        ATTRIBUTION,
        transform=ax.transAxes,
        fontsize=6,
        ha="right",
        va="bottom",
        color="#555555",
        bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1},
    )


def _draw_wind(ax: Axes, frame: MapFrame, wind: object, n: int = 60) -> None:
    """Faint wind-speed shading and sparse arrows over the frame, under the routes."""
    wind_ms = getattr(wind, "wind_ms", None)
    if not callable(wind_ms):
        raise WindFieldError(
            f"cannot draw wind {getattr(wind, 'label', type(wind).__name__)!r}: it has no field (wind_ms); "
            "pass a gridded wind such as routes.wind_from_dataset(...)"
        )
    xmin, ymin, xmax, ymax = frame.bounds
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
    inv = geodesy.transformer(frame.crs, "EPSG:4326")
    lon, lat = inv.transform(gx.ravel(), gy.ravel())
    lonlat = np.column_stack([lon, lat])
    u, v = (np.asarray(c, float) for c in wind_ms(lonlat))
    speed_kt = np.hypot(u, v) * KT_PER_MS
    mesh = ax.imshow(
        speed_kt.reshape(gx.shape),
        extent=(xmin, xmax, ymin, ymax),
        origin="lower",
        cmap="Purples",
        alpha=0.35,
        interpolation="bilinear",
        vmin=0,
        zorder=2.5,
    )
    # arrows on a sparser grid: the wind's direction carried into map coordinates
    k = max(n // 12, 1)
    sel = np.zeros(gx.shape, bool)
    sel[k // 2 :: k, k // 2 :: k] = True
    sel = sel.ravel()
    az = np.degrees(np.arctan2(u[sel], v[sel]))
    lo2, la2, _ = geodesy.GEOD.fwd(lonlat[sel, 0], lonlat[sel, 1], az, np.full(int(sel.sum()), 10_000.0))
    p1, p2 = frame.project_xy(lonlat[sel]), frame.project_xy(np.column_stack([lo2, la2]))
    d = p2 - p1
    d /= np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-9)
    ax.quiver(
        p1[:, 0],
        p1[:, 1],
        d[:, 0] * speed_kt[sel],
        d[:, 1] * speed_kt[sel],
        color="#54278f",
        alpha=0.55,
        width=0.0022,
        zorder=2.6,
        scale=max(float(speed_kt.max()), 1.0) * 14,
    )
    cax = ax.inset_axes([0.78, 0.035, 0.18, 0.015])
    bar = ax.figure.colorbar(mesh, cax=cax, orientation="horizontal")
    bar.set_label(f"wind speed, kt ({getattr(wind, 'label', 'wind')})", fontsize=6)
    bar.ax.tick_params(labelsize=6)


def save_figure(
    fig: Figure, stem: str | Path, formats: Sequence[str] = ("png", "svg", "pdf"), dpi: int = 200
) -> list[Path]:
    """Write ``fig`` as ``stem.png`` (``dpi`` >= 150), ``stem.svg`` and ``stem.pdf``; returns the paths."""
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not 150 <= dpi <= 2400:
        raise InvalidInputError(f"report maps need at least 150 dpi (and at most 2400), got {dpi!r}")
    if isinstance(formats, str):
        formats = [formats]
    if bad := [f for f in formats if f not in ("png", "svg", "pdf")]:
        raise InvalidInputError(f"map formats are png, svg and pdf, got {bad}")
    out = []
    for fmt in formats:
        path = Path(f"{stem}.{fmt}")
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=dpi, bbox_inches="tight")
        out.append(path)
    return out
