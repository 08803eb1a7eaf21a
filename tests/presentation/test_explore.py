"""Interactive maps (`routes.explore`) and rich notebook output (`_repr_html_`): no browser here
(see test_browser.py); these check the HTML that is written."""

from __future__ import annotations

import re

import numpy as np
import pytest

import routes
from routes.analysis.performance import estimate
from routes.errors import EmptyComparisonError, RoutesError
from routes.explore_data import MapData, map_data
from routes.presentation.explore import MapLook, MapView, draw_map, explore
from routes.routing import geodesic_route
from routes.routing import route as find_route
from routes.study import Study


@pytest.fixture(scope="module")
def svo_lax():
    return [find_route("SVO", "LAX", s) for s in ("pre-2022", "europe-closed", "europe-canada-closed", "closures-2022")]


@pytest.fixture(scope="module")
def svo_lax_html(svo_lax):
    return explore(svo_lax).get_root().render()


def test_map_is_offline_with_everything_inline(svo_lax_html):
    page = svo_lax_html
    assert not re.search(r"<script[^>]+src=", page), "no external script"
    assert not re.search(r"<link[^>]+href=", page), "no external stylesheet"
    assert "url(images/" not in page and "data:image/png;base64," in page  # leaflet.css images inlined
    assert "Leaflet 1.9.4" in page and "proj4" in page and "L.Proj.CRS" in page
    assert "$(" not in page  # folium's jQuery-based elements are not used (jQuery is not included)
    assert 700_000 < len(page.encode()) < 3_000_000


def test_map_layers_and_popups(svo_lax_html):
    page = svo_lax_html
    for layer in (
        "routes: europe-closed",
        "routes: europe-canada-closed",
        "closed airspace: europe-closed",
        "closed airspace: europe-canada-closed",
        "closed airspace: closures-2022",
        "pre-2022 geodesics",
        "airports",
        "land (Natural Earth 1:50m)",
    ):
        assert f'"{layer}"' in page, layer
    # popups: distance, extra km, minutes and states rounded (README: 9,873 km, +92 km, +6 min, NOR SJM GRL)
    assert "9,873 km (5,331 nm)" in page and "+92 km (+0.9 %)" in page
    assert "+6 min" in page and "NOR SJM GRL" in page
    assert "10,474 km" in page and "+46 min" in page  # europe-canada-closed
    # the infeasible scenario: its reason is on the map, its endpoints are drawn
    assert "destination LAX lies in the closed airspace of United States (USA)" in page
    assert "closed in europe-closed: Norway (NOR)" in page
    assert page.count('"className": "airport"') == 2


def test_polar_view_orientation_and_crs(svo_lax):
    pts = np.vstack([r.densified(50.0) for r in svo_lax if r.feasible])
    ends = np.array([[37.4146, 55.9726], [-118.4081, 33.9425]])
    view = MapView.fit(pts, "polar", ends)
    assert view.north and view.lat_limit == 0.0
    # the meridian pointing down from the pole lies between the two airports' longitudes (via the pole side)
    assert -90 < view.lon0 < -30
    js = view.crs_js("x")
    assert "+proj=stere +lat_0=90 +lat_ts=71.0" in js and f"+lon_0={view.lon0}" in js


def test_lines_are_continuous_across_the_antimeridian():
    r = geodesic_route("NRT", "ANC")  # crosses 180°
    for projection in ("polar", "mercator"):
        view = MapView.fit(r.densified(50.0), projection)
        line = np.array(view.line(r.densified(10.0)))
        assert np.abs(np.diff(line[:, 1])).max() < 1.0  # no 360° jump between neighbours
        assert line[:, 1].max() - line[:, 1].min() > 40  # but the route is long


def test_mercator_view_and_tiles_rules(svo_lax):
    page = explore(svo_lax[1], minutes=False, alternates=False, look=MapLook("mercator")).get_root().render()
    assert "L.CRS.EPSG3857" in page and "L.Proj.CRS" not in page and "block time" not in page
    with pytest.raises(ValueError, match="mercator"):
        explore(svo_lax[1], look=MapLook(tiles="OpenStreetMap"))
    with pytest.raises(ValueError, match="projection"):
        explore(svo_lax[1], look=MapLook(projection="robinson"))


def test_infeasible_route_shows_endpoints_and_reason(svo_lax):
    m = svo_lax[3].explore()
    page = m.get_root().render()
    assert "closures-2022\\u003c/b\\u003e: infeasible: destination LAX lies in the closed airspace" in page
    assert page.count('"className": "airport"') == 2 and '"className": "route-line"' not in page


def test_empty_comparison_is_an_error():
    with pytest.raises(EmptyComparisonError, match="no routes") as info:
        explore([])
    assert isinstance(info.value, RoutesError)


def test_route_repr_is_short_and_html_has_units(svo_lax):
    r = svo_lax[1]
    assert repr(r) == "Route(SVO-LAX, 'europe-closed', 9,873 km, +92 km, rounds NOR SJM GRL)"
    page = r._repr_html_()
    assert "9,873 km (5,331 nm)" in page and "+92 km (+0.9 %)" in page and "NOR SJM GRL" in page
    bad = svo_lax[3]
    assert "infeasible: destination LAX" in repr(bad) and len(repr(bad)) < 130
    assert "<th>infeasible</th><td>destination LAX lies in the closed airspace" in bad._repr_html_()


def test_estimate_and_scenario_html(svo_lax):
    e = estimate(svo_lax[1], "B77W")
    assert repr(e).startswith("Estimate(B77W, 9,873 km, block 694 min") and "range ok" in repr(e)
    page = e._repr_html_()
    assert "11 h 34 (694 min)" in page and "still air" in page and "(80% load factor)" in page
    s = routes.get_scenario("europe-canada-closed")
    assert repr(s).startswith("Scenario('europe-canada-closed', ") and len(repr(s)) < 80
    page = s._repr_html_()
    assert "Canada (CAN)" in page or "and " in page
    assert "Transport Canada" in page  # its sources are listed


def test_a_comparison_maps_and_renders_with_its_table(svo_lax):
    import pandas as pd

    from routes.presentation.richrepr import comparison_html

    table = pd.DataFrame(
        [{**r.summary(), "aircraft": "B77W", "block_time_min": 700.0, "extra_min": 12.0, "wind": "still air"}
         for r in svo_lax]
    )  # fmt: skip
    page = explore((table, svo_lax), alternates=False).get_root().render()  # the pair compare() returns
    assert "11 h 40 (B77W, still air)" in page and "+12 min" in page
    with pytest.raises(EmptyComparisonError):
        explore((table.iloc[:0], []))
    for col in ("block_fuel_kg", "extra_fuel_kg", "co2_t", "extra_co2_t", "range_feasible", "etops"):
        table[col] = float("nan") if col != "range_feasible" else True
    table["max_latitude"] = [r.max_latitude for r in svo_lax]
    html = comparison_html(table)
    assert "extra km" in html and "infeasible because" in html and "destination LAX lies in the closed" in html


def test_comparison_result_repr_html_and_explore(svo_lax):
    import pandas as pd

    from routes.comparison import Comparison

    rows = [{**r.summary(), "aircraft": "B77W", "block_time_min": 700.0, "extra_min": 12.0} for r in svo_lax]
    table = pd.DataFrame(rows)
    for col in ("block_fuel_kg", "extra_fuel_kg", "co2_t", "extra_co2_t", "etops", "wind"):
        table[col] = float("nan")
    table["range_feasible"] = True
    table["max_latitude"] = [r.max_latitude for r in svo_lax]
    c = Comparison(table, tuple(svo_lax))
    assert repr(c) == "Comparison(4 rows, 4 routes, 1 infeasible)"
    assert "destination LAX lies in the closed airspace" in c._repr_html_()
    page = c.explore(alternates=False).get_root().render()
    assert '"routes: europe-canada-closed"' in page and "+12 min" in page
    with pytest.raises(EmptyComparisonError):
        Comparison(table.iloc[:0], ()).explore()


def test_the_data_step_computes_and_the_drawing_step_only_draws(svo_lax):
    data = map_data(svo_lax, study=Study(aircraft="A359"), alternates={"europe-closed": ["BGSF"]})
    assert [b.distance_km for b in data.baselines] == [pytest.approx(9781.1, abs=0.05)]
    fig = data.figures[("SVO", "LAX", "europe-closed")]
    assert fig.aircraft == "A359" and fig.wind == "still air" and 5 < fig.extra_min < 8
    assert ("SVO", "LAX", "closures-2022") not in data.figures and data.alternates == {"europe-closed": ("BGSF",)}
    bare = draw_map(MapData(tuple(svo_lax[1:2]))).get_root().render()  # no figures, no baselines: drawn as given
    assert "9,873 km" in bare and "pre-2022 geodesics" not in bare and "block time" not in bare
    drawn = draw_map(data).get_root().render()
    assert "(A359, still air)" in drawn and '"pre-2022 geodesics"' in drawn
