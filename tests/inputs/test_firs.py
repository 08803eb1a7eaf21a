"""The optional FIR layer: avoiding the closed states' flight information regions as well."""

import numpy as np
import pytest
import shapely

import routes
from routes.errors import ScenarioError
from routes.inputs.closures import closed_airspace
from routes.inputs.firs import fir_area, fir_layer, fir_states
from routes.inputs.scenarios import Scenario, get_scenario, load_scenarios


def test_layer_covers_the_russian_arctic_and_pacific_firs():
    df = fir_layer().set_index("fir")
    assert fir_states() == {"RUS", "BLR", "UKR"}
    assert df.loc["ULLL", "geometry"].bounds[3] == pytest.approx(90.0)  # the Arctic sector reaches the pole
    assert df.loc["UHMM", "state"] == "RUS" and "CC BY-SA 4.0" in df.loc["UHMM", "source"]
    area = fir_area({"RUS"})
    assert area.contains(shapely.Point(100.0, 80.0))  # high seas north of Severnaya Zemlya: Russian FIR
    assert area.contains(shapely.Point(170.0, 55.0))  # Bering Sea, Russian side
    assert area.contains(shapely.Point(-170.0, 70.0))  # Chukchi Sea, Russian side of the 1867 line
    assert not area.contains(shapely.Point(-150.0, 80.0))  # Canadian/US side of the Arctic
    assert fir_area({"NOR"}) is None


def test_with_firs_and_bad_use():
    eu = get_scenario("eu-carrier")
    firs = eu.with_firs()
    assert firs.closed_states == eu.closed_states and len(firs.closed_polygons) >= 3 and firs.name == "eu-carrier+firs"
    with pytest.raises(ScenarioError, match="the FIR layer has no FIRs of its closed states; it covers BLR, RUS, UKR"):
        Scenario.build("nordic", closed_states=["NOR", "SWE"]).with_firs()


def test_toml_avoid_firs(tmp_path):
    (tmp_path / "s.toml").write_text('[a]\noperator = "FIN"\navoid_firs = "yes"\n')
    with pytest.raises(ScenarioError, match=r"scenario 'a': avoid_firs: input should be a valid boolean \(got 'yes'\)"):
        load_scenarios(tmp_path / "s.toml")
    assert len(get_scenario("eu-carrier-firs").closed_polygons) >= 3


def test_helsinki_tokyo_outside_russian_firs():
    scn = get_scenario("eu-carrier-firs")
    r = routes.route("HEL", "NRT", scn)
    assert r.feasible and 10_750 < r.distance_km < 11_000  # 10,851 km; 10,690 km without the FIRs
    # independent of the engine (verify_route takes ~40 s on this 300-leg route): densified points against the
    # FIR layer and the closed states' full-resolution sovereign airspace
    pts = r.densified(5.0)
    assert not shapely.contains_xy(fir_area({"RUS", "BLR", "UKR"}), pts[:, 0], pts[:, 1]).any()
    assert not closed_airspace(scn).contains(pts).any()
    assert np.max(pts[:, 1]) > 85  # over the pole, then down the Bering Strait
