import json

import pytest
import shapely

from routes.errors import ScenarioError
from routes.inputs.scenarios import (
    MISSION_SCENARIOS,
    Scenario,
    as_polygons,
    builtin_scenarios,
    get_scenario,
    load_scenarios,
)

EUROPE = {
    "NOR",
    "SJM",
    "ISL",
    "GRL",
    "FRO",
    "GBR",
    "IMN",
    "JEY",
    "GGY",
    "CHE",
    "LIE",
    "ALB",
    "MKD",
    "MNE",
    "UKR",
    "MDA",
    "FIN",
    "SWE",
    "DEU",
    "FRA",
    "ESP",
    "PRT",
    "POL",
    "EST",
    "LVA",
    "LTU",
    "ALA",
}


def test_builtin_scenarios_exist():
    known = builtin_scenarios()
    # the four mission scenarios of data/airspace/scenarios.toml, in order, then the operator scenarios
    assert list(known) == [*MISSION_SCENARIOS, "eu-carrier", "us-carrier", "russian-carrier", "eu-carrier-firs"]
    assert known["pre-2022"].is_open_sky and not known["europe-closed"].is_open_sky
    assert all(s.description for s in known.values())
    assert all(s.sources for name, s in known.items() if name != "pre-2022")  # every closure has a source


def test_europe_closed_membership():
    s = get_scenario("europe-closed")
    assert EUROPE <= s.closed_states
    assert len({c for c in s.closed_states if c in EUROPE}) == len(EUROPE)
    assert not {"RUS", "CAN", "USA", "SRB", "BLR", "TUR", "BIH", "GEO"} & s.closed_states
    assert "UNCLEAR" in s.notes and s.effective.startswith("2022-02-25") and s.as_of == "2022-03-04"


def test_scenarios_extend_each_other():
    eu, euca, all22 = (
        get_scenario(n).closed_states for n in ("europe-closed", "europe-canada-closed", "closures-2022")
    )
    assert euca - eu == {"CAN"}
    assert {"USA", "PRI", "GUM"} <= all22 - euca
    assert get_scenario("pre-2022").is_open_sky


def test_unknown_scenario_names_the_choices():
    with pytest.raises(ScenarioError, match="built-in scenarios: pre-2022"):
        get_scenario("europe")


def test_get_scenario_with_a_files_scenarios():
    mine = Scenario.build("mine", closed_states=["NO"])
    extra = {"mine": mine, "europe-closed": mine}  # a file's scenario shadows the built-in of that name
    assert get_scenario("mine", extra) is mine and get_scenario("europe-closed", extra) is mine
    assert get_scenario("pre-2022", extra) is builtin_scenarios()["pre-2022"]
    assert sorted(get_scenario("operator:FIN@2025-06-01", extra).closed_states) == ["BLR", "RUS", "UKR"]
    with pytest.raises(ScenarioError, match=r"built-in scenarios: pre-2022.*; from the scenario file: mine, europe"):
        get_scenario("theirs", extra)


def test_custom_scenario_in_code():
    s = Scenario.build("mine", closed_states=["RU", "BY"], description="Russia and Belarus closed")
    assert s.closed_states == {"RUS", "BLR"} and s.as_of == ""
    opened = get_scenario("europe-canada-closed").with_open("CAN")
    assert opened.closed_states == get_scenario("europe-closed").closed_states
    assert (
        get_scenario("europe-closed").with_closed("CA").closed_states
        == get_scenario("europe-canada-closed").closed_states
    )


def test_unknown_code_names_the_entry():
    with pytest.raises(ScenarioError, match="scenario 'x': closed: unknown state code 'QQQ'"):
        Scenario.build("x", closed_states=["NOR", "QQQ"])


def test_toml_with_extends_open_and_geojson(tmp_path):
    zone = {"type": "Polygon", "coordinates": [[[30, 60], [40, 60], [40, 65], [30, 65], [30, 60]]]}
    (tmp_path / "zone.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": zone}]})
    )
    (tmp_path / "mine.toml").write_text(
        '[no-greenland]\nextends = "europe-closed"\nopen = ["GRL"]\nclosed_geojson = "zone.geojson"\n'
        'description = "Europe closed, Greenland open, a conflict zone"\n'
    )
    s = load_scenarios(tmp_path / "mine.toml")["no-greenland"]
    assert "GRL" not in s.closed_states and "NOR" in s.closed_states
    assert len(s.closed_polygons) == 1 and s.closed_polygons[0].bounds == (30, 60, 40, 65)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[a]\nclosed = ["NOR", "ZZZ"]\n', "scenario 'a': closed: unknown state code 'ZZZ'"),
        ('[a]\nextends = "nope"\n', "extends unknown scenario 'nope'"),
        ('[a]\nclosd = ["NOR"]\n', "unknown key"),
        ('[a]\nclosed_geojson = "missing.geojson"\n', "GeoJSON file not found"),
        ("[a\n", "malformed scenario file"),
    ],
)
def test_bad_toml_gives_specific_errors(tmp_path, toml, message):
    (tmp_path / "bad.toml").write_text(toml)
    with pytest.raises(ScenarioError, match=message):
        load_scenarios(tmp_path / "bad.toml")


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "invalid polygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [200, 1], [0, 0]]]}, "coordinates out of range"),
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "expected a Polygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1]]]}, "malformed GeoJSON geometry"),
        ('{"type": "Polygon", "coordinates": [[[0, 0]', "malformed GeoJSON text"),
        ([1, 2, 3], "expected GeoJSON"),
    ],
)
def test_malformed_polygons_name_the_entry(obj, message):
    if isinstance(obj, dict | list):
        obj = json.dumps(obj) if isinstance(obj, dict) else obj
    with pytest.raises(ScenarioError, match=message):
        as_polygons(obj, "zones")


def test_polygons_from_geodataframe():
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326")
    assert as_polygons(gdf)[0].equals(shapely.box(0, 0, 1, 1))
    moved = as_polygons(gdf.to_crs(3857))[0]
    assert moved.bounds == pytest.approx((0, 0, 1, 1), abs=1e-9)
