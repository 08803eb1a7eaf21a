"""Names renamed in 0.2 ("closed" and "feasible" mean one thing each) still work, with a DeprecationWarning."""

import dataclasses

import pytest
import shapely

from routes.analysis.overflight import Overflight
from routes.analysis.performance import Estimate, estimate
from routes.inputs.airports import Airport, validate_latlon
from routes.inputs.scenarios import Scenario
from routes.result import Leg, Route, Waypoint
from routes.routing import geodesic_route


def test_scenario_old_attribute_names_warn_and_alias_the_new_ones():
    corridor = shapely.box(0, 0, 1, 1)
    s = Scenario.build("x", closed_states=["NO", "CA"], exempt_states=["CA"], open_corridors=corridor)
    assert s.listed_closed_states == {"NOR", "CAN"} and s.exempt_states == {"CAN"} and s.closed_states == {"NOR"}
    with pytest.warns(DeprecationWarning, match=r"Scenario\.closed is deprecated, use Scenario\.listed_closed_states"):
        assert s.closed == {"NOR", "CAN"}
    with pytest.warns(DeprecationWarning, match=r"Scenario\.open is deprecated, use Scenario\.exempt_states"):
        assert s.open == {"CAN"}
    with pytest.warns(DeprecationWarning, match=r"Scenario\.open_polygons is deprecated, use Scenario\.open_corridors"):
        assert s.open_polygons == (corridor,)


def test_scenario_old_keywords_warn_and_build_the_same_scenario():
    corridor = shapely.box(0, 0, 1, 1)
    new = Scenario.build("x", closed_states=["NO", "CA"], exempt_states=["CA"], open_corridors=corridor)
    with pytest.warns(DeprecationWarning, match=r"Scenario\.build\(closed=\.\.\.\) is deprecated"):
        old = Scenario.build("x", closed=["NO", "CA"], open=["CA"], open_polygons=corridor)
    assert old == new
    box = shapely.box(5, 5, 6, 6)
    with pytest.warns(DeprecationWarning, match=r"with_polygons\(open=\.\.\.\) is deprecated"):
        assert Scenario("y").with_polygons(closed=box, open=corridor) == Scenario("y").with_polygons(
            closed_polygons=box, open_corridors=corridor
        )
    with pytest.raises(TypeError, match="unexpected keyword"):
        Scenario("y").with_polygons(opened=corridor)


def test_overflight_and_estimate_old_names_warn():
    ov = Overflight(iso_a3="CAN", name="Canada", distance_km=10.0, state_closed=True)
    with pytest.warns(DeprecationWarning, match=r"Overflight\.closed is deprecated, use Overflight\.state_closed"):
        assert ov.closed is True
    est = estimate(geodesic_route("SVO", "LAX"))
    assert est.within_range is True
    with pytest.warns(DeprecationWarning, match=r"Estimate\.range_feasible is deprecated, use Estimate\.within_range"):
        assert est.range_feasible is True
    assert "range_feasible" not in {f.name for f in dataclasses.fields(Estimate)}


@pytest.mark.parametrize("cls", [Waypoint, Leg, Route, Airport])
def test_value_types_are_built_by_keyword_only(cls):
    assert all(f.kw_only for f in dataclasses.fields(cls))
    with pytest.raises(TypeError):
        Waypoint(55.97, 37.41, "SVO")  # (lat, lon) or (lon, lat)? Never positional


def test_scalar_coordinates_are_keyword_only():
    with pytest.raises(TypeError):
        validate_latlon(10.0, 200.0)  # type: ignore[misc]
    assert Waypoint(lat=55.97, lon=37.41, name="SVO").lon == 37.41
