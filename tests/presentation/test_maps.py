import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely
from PIL import Image

import routes
from routes.inputs.airports import LatLon
from routes.inputs.scenarios import Scenario
from routes.presentation.maps import MapFrame, plot_routes, save_figure


@pytest.fixture(scope="module")
def lax_routes():
    return [
        routes.route("SVO", "LAX", s) for s in ("pre-2022", "europe-closed", "europe-canada-closed", "closures-2022")
    ]


def test_plot_returns_the_axes_it_was_given(lax_routes):
    fig, ax = plt.subplots()
    assert plot_routes(lax_routes, ax=ax) is ax
    plt.close(fig)


def test_map_content(lax_routes):
    ax = plot_routes(lax_routes, title="SVO → LAX")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "pre-2022 geodesic (9,781 km)" in labels
    assert any(t.startswith("europe-closed: 9,873 km") for t in labels)
    assert any(t.startswith("europe-canada-closed: 10,474 km") for t in labels)
    assert "closed in closures-2022" in labels
    texts = [t.get_text() for t in ax.texts if t.get_visible()]
    assert {"SVO", "LAX"} <= set(texts) and any("OpenStreetMap" in t for t in texts)
    # the frame holds every route, and no drawn line jumps across the map (no antimeridian tear)
    xmin, xmax = ax.get_xlim()
    for line in ax.get_lines():
        xy = np.column_stack(line.get_data())
        if len(xy) > 1:
            assert np.hypot(*np.diff(xy, axis=0).T).max() < 0.2 * (xmax - xmin)
    plt.close(ax.figure)


def test_frame_fits_routes_across_the_antimeridian():
    r = routes.route(
        LatLon(0, 165), LatLon(0, -165), Scenario.build("box", closed_polygons=shapely.box(178, -5, 180, 5))
    )
    frame = MapFrame.fit(r.densified(25.0))
    xy = frame.project_xy(r.densified(25.0))
    xmin, ymin, xmax, ymax = frame.bounds
    assert (xy[:, 0] > xmin).all() and (xy[:, 0] < xmax).all() and (xy[:, 1] > ymin).all() and (xy[:, 1] < ymax).all()
    ax = plot_routes([r])
    width = ax.get_xlim()[1] - ax.get_xlim()[0]
    plt.close(ax.figure)
    # the drawn map is the fitted frame, not a view of the whole globe wrapped at +-180
    assert width == pytest.approx(xmax - xmin, rel=0.1) and width < 1e7  # the globe would be ~4e7


def test_exports(tmp_path, lax_routes):
    ax = plot_routes(lax_routes)
    paths = save_figure(ax.figure, tmp_path / "map")
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    with Image.open(tmp_path / "map.png") as img:
        assert img.info["dpi"][0] == pytest.approx(200, abs=1) and img.size[0] > 1200
    assert (tmp_path / "map.pdf").read_bytes()[:4] == b"%PDF"
    with pytest.raises(ValueError, match="150 dpi"):
        save_figure(ax.figure, tmp_path / "low", dpi=72)
    plt.close(ax.figure)


class _ZonalJet:
    """A gridded-style wind for drawing: 50 m/s westerly at 60N."""

    label = "zonal test jet"

    def wind_ms(self, lonlat):
        lat = np.asarray(lonlat)[:, 1]
        return 50.0 * np.exp(-(((lat - 60.0) / 8.0) ** 2)), np.zeros(len(lat))


def test_wind_underlay_and_minimum_time_route_beside_the_shortest(lax_routes):
    from dataclasses import replace

    from matplotlib.image import AxesImage

    shortest = lax_routes[2]
    fastest = replace(
        shortest, objective="time", wind="zonal test jet", stats={"saving_min": 3.4}
    )  # drawing takes data: any route marked "time" is drawn as one
    ax = plot_routes([shortest, fastest], wind=_ZonalJet())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("europe-canada-closed: 10,474 km") for t in labels)
    assert "europe-canada-closed minimum time in zonal test jet: 10,474 km, 3 min faster" in labels
    meshes = [c for c in ax.get_images() if isinstance(c, AxesImage)]
    assert len(meshes) == 1 and meshes[0].get_alpha() < 0.5  # faint, under the routes
    assert meshes[0].get_array().max() == pytest.approx(50 * 3600 / 1852, rel=0.05)
    styles = {line.get_linestyle() for line in ax.get_lines() if line.get_color() == "#d62728"}
    assert {"-", ":"} <= styles
    plt.close(ax.figure)


def test_wind_without_a_field_is_refused(lax_routes):
    from routes.analysis.wind import average_wind

    with pytest.raises(ValueError, match="has no field"):
        plot_routes(lax_routes[:2], wind=average_wind(-20))
    plt.close("all")


def test_land_basemap_has_land_where_land_is_and_sea_where_sea_is():
    """Rings crossing the antimeridian (Eurasia at Chukotka) once filled 65-71 N with false land."""
    import shapely

    from routes.presentation.maps import land

    geoms = land().geometry.values
    sea = [(0.0, 68.0), (-30.0, 68.0), (-150.0, 75.0), (-40.0, 30.0)]  # Norwegian Sea, Denmark Strait, Beaufort
    ground = [(-160.0, 68.0), (179.9, 67.0), (-179.9, 67.0), (100.0, 75.0), (37.4, 55.9), (0.0, -85.0)]
    assert not any(shapely.contains_xy(geoms, *pt).any() for pt in sea)
    assert all(shapely.contains_xy(geoms, *pt).any() for pt in ground)  # Alaska, Chukotka, Taymyr, Moscow, Antarctica


def test_map_draws_the_baselines_it_is_given_and_computes_none(lax_routes):
    # no pre-2022 route among the routes and no baseline given: nothing dashed
    ax = plot_routes(lax_routes[1:3])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert not [t for t in labels if t.startswith("pre-2022")]
    assert not [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    plt.close(ax.figure)
    ax = plot_routes(lax_routes[1:3], baseline=lax_routes[0])  # the pre-2022 route is the geodesic
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "pre-2022 geodesic (9,781 km)" in labels
    plt.close(ax.figure)


def test_plot_itinerary_marks_the_stops():
    import warnings

    from routes.presentation.maps import plot_itinerary

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        it = routes.itinerary(["SVO", "ANC", "LAX"], scenario="europe-canada-closed", aircraft="B77W")
    ax = plot_itinerary(it)
    stops = [c for c in ax.collections if c.get_label() == "technical stop"]
    assert len(stops) == 1 and len(stops[0].get_offsets()) == 1  # ANC, one square
    assert ax.get_title(loc="left").startswith("SVO-ANC-LAX") or "SVO-ANC-LAX" in ax.get_title()
    plt.close(ax.figure)
