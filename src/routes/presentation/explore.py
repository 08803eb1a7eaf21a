"""Interactive maps that work offline: `explore` builds a Leaflet map (a `folium.Map`) of routes.

What the map draws, each as a layer that can be switched on and off:

* the routes, one layer per scenario, as densified WGS84 geodesic lines (longitudes unwrapped,
  so no line jumps at the antimeridian), with a popup of distance, extra km, block minutes and the
  states rounded; the pre-2022 geodesics dashed;
* the closed airspace of each scenario (sovereign airspace, simplified for size), with the
  state's name on hover;
* the airports, and the diversion alternates used along each route;
* a vector basemap from the project's Natural Earth land layer, and a graticule.

**Offline.** Leaflet (and, for the polar view, proj4js and Proj4Leaflet) are vendored from npm in
``routes/_vendor`` and written inline into the HTML; nothing is loaded from a CDN. Web tiles are an
option of the Mercator view only.

**Projection.** ``projection="polar"`` (default): a polar stereographic projection (the parameters
of EPSG:3995/EPSG:3031, standard parallel 71°, rotated so the routes hang below the pole) through
Proj4Leaflet, which shows routes over the pole as they are flown. ``projection="mercator"``: Web
Mercator (EPSG:3857), which can carry web tiles but cannot show latitudes beyond 85.05°: a route
over the pole is drawn along the map's top edge there.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.template import Template

from routes import geodesy
from routes.errors import InvalidInputError
from routes.explore_data import MapData, RouteFigures, map_data
from routes.inputs import airspace
from routes.inputs.airports import Airport
from routes.inputs.scenarios import Scenario
from routes.presentation.formatting import hours_minutes
from routes.presentation.maps import ATTRIBUTION, land, scenario_color
from routes.result import Route
from routes.study import Study

Projection = Literal["polar", "mercator"]

POLAR_RESOLUTIONS_M = tuple(65536.0 / 2**z for z in range(15))
"""Metres per pixel of the polar view's zoom levels 0..14."""
POLAR_LAT_TS = 71.0
"""Standard parallel of the polar stereographic view (as EPSG:3995 and EPSG:3031)."""
MERCATOR_MAX_LAT = 85.0511
_COORD_DECIMALS = 3  # ~100 m: finer than any simplification used here


# --------------------------------------------------------------------------- offline assets


def _vendor(name: str) -> str:
    return (resources.files("routes") / "_vendor" / name).read_text(encoding="utf-8")


@cache
def _leaflet_css() -> str:
    """leaflet.css with its images as data URIs (the layer control's icon)."""

    def inline(match: re.Match) -> str:
        data = (resources.files("routes") / "_vendor" / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, _vendor("leaflet.css"))


def _script(js: str) -> Element:
    safe = js.replace("</script", "<\\/script")  # a literal "</script" would end the element early
    return Element(f"<script>{safe}</script>")


class OfflineMap(folium.Map):
    """A `folium.Map` whose JavaScript and CSS are written inline (no CDN, no network).

    Only Leaflet is included (plus proj4js and Proj4Leaflet when ``crs_js`` defines a projected
    CRS); folium's optional jQuery/Bootstrap/Font Awesome are left out, so use elements that do
    not need them (``CircleMarker`` rather than ``Marker`` icons, `BindPopup` rather than
    ``folium.Popup``).
    """

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 - folium's class attributes
    default_css: list[tuple[str, str]] = []  # noqa: RUF012

    def __init__(self, *args: Any, crs_js: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.crs_js = crs_js

    def render(self, **kwargs: Any) -> None:
        header = self.get_root().header
        header.add_child(Element(f"<style>{_leaflet_css()}</style>"), name="leaflet_css")
        header.add_child(_script(_vendor("leaflet.js")), name="leaflet")
        if self.crs_js:
            header.add_child(_script(_vendor("proj4.js")), name="proj4")
            header.add_child(_script(_vendor("proj4leaflet.js")), name="proj4leaflet")
            header.add_child(_script(self.crs_js), name=f"crs_{self.get_name()}")
        header.add_child(
            Element("<style>.leaflet-container{background:#dfe9f0}.polar-routes-info{background:#fffe;padding:6px 9px;"
                    "border-radius:4px;max-width:360px;font:12px/1.35 system-ui,sans-serif}"
                    ".polar-routes-popup td{padding:1px 6px 1px 0}</style>"),
            name="polar_routes_css",
        )  # fmt: skip
        super().render(**kwargs)


class BindPopup(MacroElement):
    """A popup bound to its parent layer, without folium's jQuery-based ``Popup``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {maxWidth: {{ this.max_width }}});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, max_width: int = 360) -> None:
        super().__init__()
        self._name = "BindPopup"
        self.html = html_text
        self.max_width = max_width


class InfoBox(MacroElement):
    """A box in a corner of the map with a title and notes (e.g. why a route is infeasible)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var box = L.control({position: {{ this.position|tojson }}});
                box.onAdd = function () {
                    var div = L.DomUtil.create('div', 'polar-routes-info');
                    div.innerHTML = {{ this.html|tojson }};
                    L.DomEvent.disableClickPropagation(div);
                    return div;
                };
                box.addTo({{ this._parent.get_name() }});
                {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution|tojson }});
            })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, attribution: str, position: str = "topright") -> None:
        super().__init__()
        self._name = "InfoBox"
        self.html = html_text
        self.attribution = attribution
        self.position = position


class FitProjected(MacroElement):
    """Fit the view to some layers in the map's own projected coordinates.

    Leaflet's ``fitBounds`` fits a latitude/longitude box, which is wrong in a polar projection;
    this projects every vertex of the layers and picks the largest zoom at which they all fit.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var map = {{ this._parent.get_name() }}, crs = map.options.crs, pts = [];
                function collect(layer) {
                    if (layer.getLatLngs) { pts.push.apply(pts, layer.getLatLngs().flat(4)); }
                    else if (layer.getLatLng) { pts.push(layer.getLatLng()); }
                    else if (layer.eachLayer) { layer.eachLayer(collect); }
                }
                [{{ this.layers|join(', ') }}].forEach(collect);
                if (!pts.length) { return; }
                var b = L.bounds(pts.map(function (p) { return crs.project(p); }));
                var box = map.getContainer().querySelector('.polar-routes-info');
                var boxH = box ? box.offsetHeight + 10 : 0;  // keep the info box clear of the routes
                var size = map.getSize().subtract([{{ this.padding_px }}, {{ this.padding_px }} + boxH]), z;
                for (z = {{ this.max_zoom }}; z > 0; z -= 0.5) {
                    var a = crs.transformation.transform(b.min, crs.scale(z));
                    var c = crs.transformation.transform(b.max, crs.scale(z));
                    if (Math.abs(c.x - a.x) <= size.x && Math.abs(c.y - a.y) <= size.y) { break; }
                }
                map.setView(crs.unproject(b.getCenter()), z, {animate: false});
                map.panBy([0, -boxH / 2], {animate: false});
            })();
        {% endmacro %}
        """
    )

    def __init__(self, layers: Sequence[str], max_zoom: float, padding_px: int = 40) -> None:
        super().__init__()
        self._name = "FitProjected"
        self.layers = list(layers)
        self.max_zoom = max_zoom
        self.padding_px = padding_px


# --------------------------------------------------------------------------- view geometry


@dataclass(frozen=True)
class MapView:
    """How lon/lat geometry is laid out for one map.

    Attributes
    ----------
    projection : "polar" or "mercator"
    lon0 : float
        Central meridian (polar: the meridian pointing down from the pole; mercator: the middle).
    north : bool
        Polar view of the North (True) or South Pole.
    lat_limit : float
        Polar view: nothing is drawn beyond this latitude towards the other pole.
    """

    projection: Projection
    lon0: float
    north: bool
    lat_limit: float

    @classmethod
    def fit(cls, lonlat: np.ndarray, projection: Projection, ends: np.ndarray | None = None) -> MapView:
        """The view for points (lon, lat), oriented by the mean direction of ``ends`` (default: all).

        Orienting by the airports rather than the whole routes keeps a route over the pole
        hanging below it, both ends at the bottom of the map.
        """
        lon0, _ = geodesy.mean_direction(lonlat if ends is None else ends)
        _, lat0 = geodesy.mean_direction(lonlat)
        north = lat0 >= 0
        if north:
            lat_limit = float(np.clip(np.min(lonlat[:, 1]) - 15.0, -60.0, 0.0))
        else:
            lat_limit = float(np.clip(np.max(lonlat[:, 1]) + 15.0, 0.0, 60.0))
        return cls(projection, round(float(lon0), 1), north, lat_limit)

    def crs_js(self, name: str) -> str:
        """JavaScript defining ``L.CRS.<name>`` (polar view; empty for Mercator)."""
        if self.projection != "polar":
            return ""
        lat0, lat_ts = (90, POLAR_LAT_TS) if self.north else (-90, -POLAR_LAT_TS)
        proj = (
            f"+proj=stere +lat_0={lat0} +lat_ts={lat_ts} +lon_0={self.lon0} +k=1 +x_0=0 +y_0=0 "
            "+datum=WGS84 +units=m +no_defs"
        )
        return (
            f"L.CRS.{name} = new L.Proj.CRS('polar-routes:stere', {proj!r}, "
            f"{{resolutions: {list(POLAR_RESOLUTIONS_M)}, origin: [0, 0]}});"
        )

    def wrap_lon(self, lon: np.ndarray) -> np.ndarray:
        """Longitudes moved by multiples of 360° into ``lon0 ± 180``."""
        return (np.asarray(lon, float) - self.lon0 + 180.0) % 360.0 - 180.0 + self.lon0

    def line(self, lonlat: np.ndarray) -> list[list[float]]:
        """[[lat, lon], ...] of a path: longitudes unwrapped (continuous across the antimeridian)."""
        lon = np.degrees(np.unwrap(np.radians(lonlat[:, 0])))
        shift = self.wrap_lon(lon[len(lon) // 2 : len(lon) // 2 + 1])[0] - lon[len(lon) // 2]
        lat = lonlat[:, 1]
        if self.projection == "mercator":
            lat = np.clip(lat, -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT)
        out = np.column_stack([lat, lon + shift]).round(_COORD_DECIMALS)
        return out.tolist()

    def polygons(self, geoms: Iterable[shapely.Geometry], drop_empty: bool = True) -> list[shapely.Geometry]:
        """Lon/lat polygons laid out for the view, coordinates rounded (empty ones dropped if asked).

        Polar: clipped to the visible latitude band and densified to 1° so that long edges follow
        their parallels. Mercator: copies shifted by ±360° are cut to ``lon0 ± 180`` and ±85.05°.
        """
        geoms = np.asarray(list(geoms), dtype=object)
        if self.projection == "polar":
            lat_a, lat_b = (self.lat_limit, 90.0) if self.north else (-90.0, self.lat_limit)
            band = shapely.box(-180, lat_a, 180, lat_b)
            out = shapely.segmentize(shapely.intersection(geoms, band), 1.0)
        else:
            window = shapely.box(self.lon0 - 180, -MERCATOR_MAX_LAT, self.lon0 + 180, MERCATOR_MAX_LAT)
            shifted = [
                shapely.intersection(shapely.transform(geoms, lambda xy, d=d: xy + np.array([d, 0.0])), window)
                for d in (-360.0, 0.0, 360.0)
            ]
            out = shapely.union_all(np.column_stack(shifted), axis=1)
        out = shapely.transform(out, lambda xy: np.round(xy, _COORD_DECIMALS))
        return [g for g in out if not (drop_empty and g.is_empty)]


def _feature_collection(geoms: Sequence[shapely.Geometry], props: Sequence[dict] | None = None) -> dict:
    props = props or [{} for _ in geoms]
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)), "properties": p}
            for g, p in zip(geoms, props, strict=True)
        ],
    }


@cache
def _simplified_state(code: str, tolerance_deg: float) -> shapely.Geometry:
    geom = airspace.states("full").loc[code].geometry
    return shapely.simplify(geom, tolerance_deg, preserve_topology=True)


@cache
def _simplified_land(tolerance_deg: float) -> tuple[shapely.Geometry, ...]:
    geoms = land().geometry.values
    keep = shapely.area(geoms) >= (tolerance_deg * 2) ** 2  # islands smaller than the tolerance
    return tuple(shapely.simplify(geoms[keep], tolerance_deg, preserve_topology=True))


def _graticule(view: MapView) -> list[shapely.Geometry]:
    lines = []
    lats = range(-80, 81, 10)
    for lat in lats:
        if (lat > view.lat_limit) if view.north else (lat < view.lat_limit):
            lon = np.linspace(view.lon0 - 180, view.lon0 + 180, 181)
            lines.append(shapely.LineString(np.column_stack([lon, np.full_like(lon, lat)])))
    lat_a, lat_b = (view.lat_limit, 90.0) if view.north else (-90.0, view.lat_limit)
    if view.projection == "mercator":
        lat_a, lat_b = max(lat_a, -MERCATOR_MAX_LAT), min(lat_b, MERCATOR_MAX_LAT)
    for lon in range(-180, 180, 30):
        lon_v = float(view.wrap_lon(np.array([lon]))[0])
        lines.append(shapely.LineString([(lon_v, lat_a), (lon_v, lat_b)]))
    return lines


# --------------------------------------------------------------------------- popups


def _popup(route: Route, figs: RouteFigures | None) -> str:
    title = (
        f"<b>{html.escape(route.origin.code)} → {html.escape(route.destination.code)}</b> · "
        f"{html.escape(route.scenario.name)}"
    )
    if not route.feasible:
        return f"{title}<br>infeasible: {html.escape(route.reason)}"
    rows = [
        ("distance", f"{route.distance_km:,.0f} km ({route.distance_nm:,.0f} nm)"),
        ("extra", f"{route.extra_km:+,.0f} km ({route.extra_pct:+.1f} %) vs pre-2022 geodesic"),
    ]
    if figs and not math.isnan(figs.block_time_min):
        rows.append(("block time", f"{hours_minutes(figs.block_time_min)} ({figs.aircraft}, {figs.wind})"))
        if not math.isnan(figs.extra_min):
            rows.append(("extra time", f"{figs.extra_min:+.0f} min"))
    rows += [
        ("states rounded", " ".join(route.states_rounded) or "none"),
        ("max latitude", f"{route.max_latitude:.1f}°"),
    ]
    cells = "".join(f"<tr><td>{k}</td><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f'{title}<table class="polar-routes-popup">{cells}</table>'


# --------------------------------------------------------------------------- the map


@dataclass(frozen=True)
class MapLook:
    """How an interactive map looks: its projection, web tiles, simplification and size.

    Attributes
    ----------
    projection : "polar" or "mercator"
        Polar stereographic (default, shows routes over the pole) or Web Mercator (up to 85.05°).
    tiles : str, optional
        Mercator only: a folium tile name or URL drawn under the vector layers (needs a network).
    simplify_deg : float
        Tolerance (degrees) for simplifying the closed airspace and the land (size of the HTML).
    width, height : str or int
        Size of the map element (CSS or pixels).

    Raises
    ------
    InvalidInputError
        An unknown projection, or tiles with the polar projection (also a ValueError).
    """

    projection: Projection = "polar"
    tiles: str | None = None
    simplify_deg: float = 0.02
    width: str | int = "100%"
    height: str | int = "100%"

    def __post_init__(self) -> None:
        if self.projection not in ("polar", "mercator"):
            raise InvalidInputError(f"projection must be 'polar' or 'mercator', not {self.projection!r}")
        if self.tiles and self.projection != "mercator":
            raise InvalidInputError("web tiles need projection='mercator' (the polar view uses the vector land layer)")


def explore(
    routes: Route | Sequence[Route] | Any,
    table: pd.DataFrame | None = None,
    study: Study | None = None,
    minutes: bool = True,
    baseline: bool = True,
    closures: Sequence[str | Scenario] | None = None,
    alternates: bool | Mapping[str, Sequence[str]] = True,
    look: MapLook | None = None,
) -> folium.Map:
    """An interactive Leaflet map of routes that works offline, like geopandas' ``explore``.

    Parameters
    ----------
    routes : Route, sequence of Route, or a comparison
        A comparison is what `routes.compare` returns (its table then gives the popups'
        minutes). Coloured by scenario, one toggleable layer per scenario. An infeasible route is shown by
        its endpoints and its reason (in a box on the map and in the endpoints' popups).
    table : DataFrame, optional
        A `routes.compare` table: block time and extra minutes for the popups.
    study : Study, optional
        Without ``table``, the popups' block time and extra minutes are estimated for the study's first
        aircraft, in its assumptions and wind (default: the mission's, B77W in still air); the alternates
        follow its runway and one-engine-out settings.
    minutes : bool
        False leaves block time and extra minutes out of the popups when there is no ``table``.
    baseline : bool
        Draw the pre-2022 geodesic of each airport pair, dashed.
    closures : sequence of scenario names or Scenario, optional
        Scenarios whose closed airspace is drawn (default: the routes' scenarios); one layer each.
    alternates : bool or mapping
        True: mark the diversion alternates used along each feasible route (nearest adequate
        airports, `routes.analysis.diversion.diversion`); or scenario name -> ICAO idents; False: none.
    look : MapLook, optional
        Projection, tiles, simplification and size (default: polar view, no tiles, the page's size).

    Returns
    -------
    folium.Map
        Shown inline in Jupyter; ``.save("map.html")`` writes one self-contained file.

    Raises
    ------
    EmptyComparisonError
        No routes were given.
    """
    data = map_data(routes, table, study, minutes, baseline, alternates)
    return draw_map(data, [closures] if isinstance(closures, str | Scenario) else closures, look)


def draw_map(
    data: MapData, closures: Sequence[str | Scenario] | None = None, look: MapLook | None = None
) -> folium.Map:
    """Draw the map of computed figures only (`routes.explore_data.map_data`); parameters as `explore`."""
    look = look or MapLook()
    routes, baselines = data.routes, data.baselines
    pairs = list(dict.fromkeys((r.origin, r.destination) for r in routes))
    feasible = [r for r in routes if r.feasible]
    airports = {a.code: a for o, d in pairs for a in (o, d)}
    ends = np.array([[a.lon, a.lat] for a in airports.values()])
    pts = np.vstack([ends, *(r.densified(50.0) for r in [*feasible, *baselines])])
    view = MapView.fit(pts, look.projection, ends)
    m = _base_map(view, pts, look)
    _add_land_and_graticule(m, view, look.simplify_deg)
    _add_closures(m, view, routes, closures, look.simplify_deg)
    fit_layers = [
        *_add_baselines(m, view, baselines),
        *_add_routes(m, view, feasible, data.figures),
        *_add_alternates(m, view, data.alternates),
        _add_airports(m, view, airports, routes),
    ]
    _add_info(m, view, pairs, routes, look.projection)
    folium.LayerControl(collapsed=True, position="topleft").add_to(m)
    FitProjected(fit_layers, max_zoom=len(POLAR_RESOLUTIONS_M) - 1 if look.projection == "polar" else 12).add_to(m)
    return m


def _base_map(view: MapView, pts: np.ndarray, look: MapLook) -> folium.Map:
    """The empty offline map in the view's projection."""
    projection = look.projection
    m = OfflineMap(
        location=[float(np.mean(pts[:, 1])), view.lon0],
        zoom_start=2,
        tiles=look.tiles,
        width=look.width,
        height=look.height,
        prefer_canvas=False,
        max_zoom=len(POLAR_RESOLUTIONS_M) - 1 if projection == "polar" else 18,
        zoom_snap=0.5,
        world_copy_jump=False,
    )
    crs_name = f"polar_{m.get_name()}"
    if projection == "polar":
        m.crs = crs_name
        m.crs_js = view.crs_js(crs_name)
    return m


def _add_land_and_graticule(m: folium.Map, view: MapView, simplify_deg: float) -> None:
    land_group = folium.FeatureGroup(name="land (Natural Earth 1:50m)", control=True)
    land_geoms = view.polygons(_simplified_land(max(simplify_deg, 0.05)))
    folium.GeoJson(
        _feature_collection(land_geoms),
        # no outline: the layer comes in tiles whose seams (16.5°S, 65°N) would show as lines
        style_function=lambda _: {"stroke": False, "fillColor": "#f4f1ea", "fillOpacity": 1.0},
        interactive=False,
    ).add_to(land_group)
    land_group.add_to(m)
    grid = folium.FeatureGroup(name="graticule (10° / 30°)", control=True)
    for line in _graticule(view):
        coords = shapely.get_coordinates(shapely.segmentize(line, 2.0))
        folium.PolyLine(view.line(coords), color="#a8b4bd", weight=0.6, interactive=False).add_to(grid)
    grid.add_to(m)


def _add_closures(
    m: folium.Map,
    view: MapView,
    routes: Sequence[Route],
    closures: Sequence[str | Scenario] | None,
    simplify_deg: float,
) -> None:
    """A layer of closed airspace per scenario (default: the routes' scenarios)."""
    from routes.inputs.scenarios import get_scenario

    own = {r.scenario.name: r.scenario for r in routes}
    wanted = closures if closures is not None else list(own)
    scns = [s if isinstance(s, Scenario) else own.get(s) or get_scenario(s) for s in wanted]
    for i, scn in enumerate(scns):
        codes = sorted(scn.closed_states)
        geoms = [_simplified_state(c, simplify_deg) for c in codes] + list(scn.closed_polygons)
        if not geoms:
            continue
        names = [f"{airspace.state_name(c)} ({c})" for c in codes] + [
            f"extra closed polygon {k + 1}" for k in range(len(scn.closed_polygons))
        ]
        laid = view.polygons(geoms, drop_empty=False)
        out_geoms = [g for g in laid if not g.is_empty]
        props = [{"name": f"closed in {scn.name}: {n}"} for n, g in zip(names, laid, strict=True) if not g.is_empty]
        color = scenario_color(scn.name, i)
        group = folium.FeatureGroup(name=f"closed airspace: {scn.name}", control=True)
        folium.GeoJson(
            _feature_collection(out_geoms, props),
            style_function=lambda _, c=color: {"color": c, "weight": 0.6, "fillColor": c, "fillOpacity": 0.15},
            tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        ).add_to(group)
        group.add_to(m)


def _add_baselines(m: folium.Map, view: MapView, baselines: Sequence[Route]) -> list[str]:
    """The pre-2022 geodesics, dashed, in one layer; returns the layer names to fit (none without baselines)."""
    if not baselines:
        return []
    group = folium.FeatureGroup(name="pre-2022 geodesics", control=True)
    for b in baselines:
        line = folium.PolyLine(
            view.line(b.densified(10.0)), color="#333333", weight=1.6, dash_array="6 5", class_name="route-baseline"
        )
        BindPopup(
            f"<b>{html.escape(b.origin.code)} → {html.escape(b.destination.code)}</b> · pre-2022 geodesic"
            f"<br>{b.distance_km:,.0f} km ({b.distance_nm:,.0f} nm)"
        ).add_to(line)
        line.add_to(group)
    group.add_to(m)
    return [group.get_name()]


def _add_routes(
    m: folium.Map,
    view: MapView,
    feasible: Sequence[Route],
    figures: Mapping[tuple[str, str, str], RouteFigures],
) -> list[str]:
    """A layer of routes (with popups and turn points) per scenario; returns the layer names."""
    by_scenario: dict[str, list[Route]] = {}
    for r in feasible:
        by_scenario.setdefault(r.scenario.name, []).append(r)
    names = []
    for i, (name, rs) in enumerate(by_scenario.items()):
        color = scenario_color(name, i)
        group = folium.FeatureGroup(name=f"routes: {name}", control=True)
        for r in rs:
            line = folium.PolyLine(
                view.line(r.densified(10.0)), color=color, weight=3, opacity=0.9, class_name="route-line"
            )
            BindPopup(_popup(r, figures.get((r.origin.code, r.destination.code, name)))).add_to(line)
            line.add_to(group)
            for w in r.turns:
                folium.CircleMarker(
                    view.line(np.array([[w.lon, w.lat]]))[0],
                    radius=3,
                    color=color,
                    fill=True,
                    fill_opacity=1.0,
                    weight=1,
                    tooltip=f"{w.name} ({name}): {w.lat:.2f}, {w.lon:.2f}"
                    + (f", rounds {w.rounds}" if w.rounds else ""),
                ).add_to(group)
        group.add_to(m)
        names.append(group.get_name())
    return names


def _add_alternates(m: folium.Map, view: MapView, alternates: Mapping[str, Sequence[str]]) -> list[str]:
    """A layer of diversion alternates (scenario name -> ICAO idents) per scenario; alternates are not fitted."""
    if not alternates:
        return []
    from routes.analysis.diversion import alternates_table

    known = alternates_table().set_index("ident")
    for i, (name, codes) in enumerate(alternates.items()):
        codes = [c for c in codes if c in known.index]
        if not codes:
            continue
        group = folium.FeatureGroup(name=f"diversion alternates: {name}", control=True)
        color = scenario_color(name, i)
        for c in codes:
            row = known.loc[c]
            folium.CircleMarker(
                view.line(np.array([[row["lon"], row["lat"]]]))[0],
                radius=4,
                color=color,
                weight=2,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1.0,
                class_name="alternate",
                tooltip=f"{c} {html.escape(str(row.get('name', '')))} (alternate, {name})",
            ).add_to(group)
        group.add_to(m)
    return []


def _add_airports(m: folium.Map, view: MapView, airports: Mapping[str, Airport], routes: Sequence[Route]) -> str:
    """The end airports, with the reasons of the infeasible routes that touch them; returns the layer name."""
    infeasible = [r for r in routes if not r.feasible]
    group = folium.FeatureGroup(name="airports", control=True)
    for code, a in airports.items():
        reasons = [
            f"{r.origin.code} → {r.destination.code} ({r.scenario.name}) infeasible: {r.reason}"
            for r in infeasible
            if code in (r.origin.code, r.destination.code)
        ]
        marker = folium.CircleMarker(
            view.line(np.array([[a.lon, a.lat]]))[0],
            radius=6,
            color="#000000",
            weight=2,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=1.0,
            class_name="airport",
            tooltip=f"{code} {a.name}".strip(),
        )
        BindPopup(
            f"<b>{html.escape(code)}</b> {html.escape(a.name)}<br>{a.lat:.3f}, {a.lon:.3f}"
            + "".join(f"<br>{html.escape(t)}" for t in reasons)
        ).add_to(marker)
        marker.add_to(group)
    group.add_to(m)
    return group.get_name()


def _add_info(
    m: folium.Map, view: MapView, pairs: Sequence[tuple[Airport, Airport]], routes: Sequence[Route], projection: str
) -> None:
    """The title box: the pairs, the projection and why any route is infeasible."""
    title = ", ".join(dict.fromkeys(f"{o.code} → {d.code}" for o, d in pairs))
    if len(pairs) > 3:
        title = f"{len(pairs)} airport pairs"
    notes = [
        f"<b>{html.escape(r.origin.code)} → {html.escape(r.destination.code)}, {html.escape(r.scenario.name)}</b>: "
        f"infeasible: {html.escape(r.reason)}"
        for r in routes
        if not r.feasible
    ]
    view_note = (
        f"polar stereographic, {'north' if view.north else 'south'}, lon₀ {view.lon0:g}°"
        if projection == "polar"
        else "Web Mercator (cut at 85.05°)"
    )
    box = f"<b>{html.escape(title)}</b><br><small>{view_note}</small>" + "".join(f"<br>{n}" for n in notes)
    InfoBox(box, ATTRIBUTION).add_to(m)
