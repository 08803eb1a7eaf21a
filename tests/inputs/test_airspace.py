import json

import numpy as np
import pytest
import shapely

from routes.errors import ScenarioError
from routes.inputs import airspace


def test_all_states_are_shipped_in_both_resolutions():
    full, routing = airspace.states("full"), airspace.states("routing")
    assert len(full) == len(routing) == 249
    assert {"RUS", "USA", "CAN", "NOR", "SJM", "GRL", "FRO", "ISL"} <= set(full.index)
    assert "ATA" not in full.index  # no sovereign airspace in Antarctica
    assert full.crs.to_epsg() == 4326


def test_provenance_is_recorded():
    stats = json.loads((airspace.data_dir() / "airspace" / "build_stats.json").read_text())
    assert stats["source"]["package"] == "@geo-maps/countries-maritime-10m"
    readme = (airspace.data_dir() / "airspace" / "README.md").read_text()
    assert "ODbL" in readme and "scripts/build_airspace.py" in readme


@pytest.mark.parametrize("code", ["NOR", "CAN", "GRL", "SJM", "FIN", "USA"])
def test_routing_layer_contains_the_full_layer(code):
    full = airspace.states("full").loc[code].geometry
    routing = airspace.states("routing").loc[code].geometry
    assert shapely.difference(full, routing).area < 1e-9


@pytest.mark.parametrize(
    ("lon", "lat", "code"),
    [
        (4.5, 60.4, "NOR"),  # inside Norway's 12 nm belt off Bergen
        (15.6, 78.2, "SJM"),  # Longyearbyen, Svalbard
        (-51.7, 64.2, "GRL"),  # Nuuk
        (-123.1, 49.2, "CAN"),  # Vancouver
        (-124.9, 47.9, "USA"),  # within 12 nm of the Washington coast
    ],
)
def test_points_fall_in_the_right_state(lon, lat, code):
    assert code in airspace.states_at(lon=lon, lat=lat)


def test_high_seas_are_in_no_state():
    # 30 nm west of Vancouver Island and the middle of the Norwegian Sea
    assert airspace.states_at(lon=-128.9, lat=50.3) == []
    assert airspace.states_at(lon=2.0, lat=70.0) == []


def test_territorial_sea_width_is_about_12_nm():
    # walk west from the Norwegian coast at Utsira (59.3 N): the belt should end 12 nm (22.2 km)
    # out, within the data's ~1 km tolerance
    from routes import geodesy

    lons = np.linspace(4.9, 4.0, 901)
    inside = np.array([bool(airspace.states_at(lon=x, lat=59.30, codes=frozenset({"NOR"}))) for x in lons])
    edge = lons[np.argmax(~inside)]
    coast = 4.876  # westernmost island of Utsira at 59.30 N
    width_km = float(geodesy.distance_m(coast, 59.30, edge, 59.30)) / 1000
    assert 20.0 < width_km < 24.5


def test_code_normalisation():
    assert airspace.normalize_code("no") == "NOR"
    assert airspace.normalize_code("sjm") == "SJM"
    assert airspace.normalize_code("XK") == "XKX"
    with pytest.raises(ScenarioError, match="unknown state code 'XYZ'"):
        airspace.normalize_code("XYZ")
    assert airspace.state_name("SJM") == "Svalbard and Jan Mayen"
