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


def _states_one_point_at_a_time(lonlat):
    """Reference: one point geometry per segment midpoint, queried in the tree one by one."""
    import shapely

    from routes import geodesy
    from routes.analysis.overflight import INTERNATIONAL, _index
    from routes.inputs import airspace

    tree, parts, codes, _ = _index()
    _, mid = geodesy.segment_lengths_midpoints(lonlat)
    out = []
    for lon, lat in mid:
        hit = [j for j in tree.query(shapely.Point(lon, lat)) if shapely.contains_xy(parts[j], lon, lat)]
        out.append(airspace.most_specific(sorted(codes[hit].tolist())) if hit else INTERNATIONAL)
    return out


@pytest.mark.parametrize(
    "lonlat",
    [
        [[37.41, 55.97], [-118.41, 33.94]],  # SVO-LAX: Russia, Nordics, Greenland, Canada, USA
        [[170.0, 60.0], [-170.0, 65.0], [10.0, 89.9]],  # across the antimeridian, then near the pole
        [[5.0, 58.0], [20.0, 79.0]],  # Norway to Svalbard: overlapping features, the most specific wins
    ],
)
def test_segment_states_match_a_point_by_point_lookup_and_are_kept_read_only(lonlat):
    import numpy as np

    from routes import geodesy
    from routes.analysis.overflight import clear_cache, km_by_code, segment_states

    pts = geodesy.densify_path(np.array(lonlat, dtype=float), 10.0)
    clear_cache()
    codes, seg_km = segment_states(pts)
    assert codes.tolist() == _states_one_point_at_a_time(pts)
    again, _ = segment_states(pts.copy())
    assert again is codes and not codes.flags.writeable and not seg_km.flags.writeable  # kept, not recomputed
    by_code = km_by_code(codes, seg_km)
    assert list(by_code) == list(dict.fromkeys(codes.tolist()))  # order of first appearance
    for code, km in by_code.items():
        assert km == pytest.approx(float(seg_km[codes == code].sum()), abs=1e-9)
