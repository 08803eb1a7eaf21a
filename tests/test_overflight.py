import pytest

from routes.analysis.overflight import international_km, overflight
from routes.routing import geodesic_route


def test_svo_lax_geodesic_overflies_in_order(svo_lax_geodesic):
    ov = overflight(svo_lax_geodesic, "europe-canada-closed")
    assert [o.iso_a3 for o in ov] == ["RUS", "FIN", "NOR", "GRL", "CAN", "USA"]
    assert [o.iso_a3 for o in ov if o.state_closed] == ["FIN", "NOR", "GRL", "CAN"]
    km = {o.iso_a3: o.distance_km for o in ov}
    assert km["CAN"] == pytest.approx(3322, abs=15)
    assert km["GRL"] == pytest.approx(1295, abs=15)


def test_state_shares_sum_to_the_route_length(svo_lax_geodesic):
    ov = overflight(svo_lax_geodesic)
    total = sum(o.distance_km for o in ov) + international_km(svo_lax_geodesic)
    assert total == pytest.approx(svo_lax_geodesic.distance_km, abs=1e-6)
    assert all(not o.state_closed for o in ov)  # pre-2022: nothing closed


@pytest.mark.parametrize("dest", ["LAX", "SFO", "SEA", "PDX"])
def test_every_west_coast_geodesic_crosses_closed_europe_and_canada(dest):
    closed = [o.iso_a3 for o in overflight(geodesic_route("SVO", dest), "closures-2022") if o.state_closed]
    assert {"NOR", "CAN", "USA"} <= set(closed)
    assert closed[-1] == "USA"


def test_overflight_of_a_pacific_route_crosses_the_antimeridian():
    ov = overflight(geodesic_route("NRT", "SFO"))
    codes = [o.iso_a3 for o in ov]
    assert (codes[0], codes[-1]) == ("JPN", "USA")
