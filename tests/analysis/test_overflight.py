import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    from routes.analysis.statemap import INTERNATIONAL, _index
    from routes.inputs import airspace

    tree, parts, codes, _ = _index()
    mid = geodesy.chord_midpoints(lonlat[:-1], lonlat[1:])
    out = []
    for lon, lat in mid:
        hit = [j for j in tree.query(shapely.Point(lon, lat)) if shapely.contains_xy(parts[j], lon, lat)]
        out.append(airspace.most_specific(sorted(codes[hit].tolist())) if hit else INTERNATIONAL)
    return out


PATHS = [
    [[37.41, 55.97], [-118.41, 33.94]],  # SVO-LAX: Russia, Nordics, Greenland, Canada, USA
    [[170.0, 60.0], [-170.0, 65.0], [10.0, 89.9]],  # across the antimeridian, then near the pole
    [[5.0, 58.0], [20.0, 79.0]],  # Norway to Svalbard: overlapping features, the most specific wins
    [[178.4, -18.0], [-175.2, -21.1]],  # Fiji (both sides of the antimeridian) to Tonga
    [[10.0, 59.9], [10.6, 59.5], [11.0, 59.2], [12.0, 58.0]],  # Oslofjord: short legs along a fjord coast
]


@pytest.mark.parametrize("lonlat", PATHS)
def test_segment_states_match_a_point_by_point_lookup_and_are_kept_read_only(lonlat):
    import numpy as np

    from routes import geodesy
    from routes.analysis.statemap import clear_cache, km_by_code, segment_states

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


@pytest.mark.parametrize("step_km", [1.0, 10.0])
@pytest.mark.parametrize("lonlat", PATHS)
def test_path_states_equal_the_lookup_of_every_densified_segment(lonlat, step_km):
    """`path_states` densifies only near borders; its codes and lengths must be those of the
    fully densified path (point-by-point reference at 10 km, `segment_states` at 1 km)."""
    import numpy as np

    from routes import geodesy
    from routes.analysis.statemap import clear_cache, path_states, segment_states

    way = np.array(lonlat, dtype=float)
    pts, seg_km = geodesy.densify_path_km(way, step_km)
    clear_cache()
    codes, km = path_states(way, step_km)
    expected = _states_one_point_at_a_time(pts) if step_km >= 10 else segment_states(pts)[0].tolist()
    assert codes.tolist() == expected
    assert np.allclose(km, seg_km, rtol=1e-12) and km.sum() == pytest.approx(seg_km.sum(), rel=1e-12)
    assert not codes.flags.writeable and not km.flags.writeable


def test_a_batch_of_paths_gives_each_path_its_own_answer(monkeypatch):
    """`prefetch_paths` computes many paths' legs in one batch (a route-matrix partition):
    afterwards each path reads exactly what `path_states` alone gives, without computing a
    leg again; a path with invalid coordinates is skipped (and still refused on its own)."""
    import numpy as np

    from routes.analysis import statemap
    from routes.errors import InvalidCoordinateError

    ways = [np.array(p, dtype=float) for p in PATHS]
    statemap.clear_cache()
    alone = [statemap.path_states(w, 5.0) for w in ways]
    statemap.clear_cache()
    monkeypatch.setattr(statemap, "BATCH_SEGMENTS", 1500)  # several batches (SVO-LAX alone is ~1,900 segments)
    bad = np.array([[0.0, 95.0], [10.0, 10.0]])
    statemap.prefetch_paths([*ways, bad, ways[0][:1]], 5.0)
    assert len(statemap._LEGS) == sum(len(w) - 1 for w in ways)  # every leg once, the bad path left out
    computed = statemap._legs_states
    statemap._legs_states = None  # nothing is computed from here on
    try:
        for w, (codes, km) in zip(ways, alone, strict=True):
            got_codes, got_km = statemap.path_states(w, 5.0)
            assert got_codes.tolist() == codes.tolist() and np.array_equal(got_km, km)
    finally:
        statemap._legs_states = computed
    with pytest.raises(InvalidCoordinateError):
        statemap.path_states(bad, 5.0)


def test_path_states_reject_invalid_coordinates():
    import numpy as np

    from routes.analysis.statemap import path_states
    from routes.errors import InvalidCoordinateError

    with pytest.raises(InvalidCoordinateError, match="no valid coordinates"):
        path_states(np.array([[0.0, 95.0], [10.0, 10.0]]), 1.0)


@settings(
    max_examples=int(os.environ.get("POLAR_ROUTES_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(st.floats(-180, 180), st.floats(-89.5, 89.5)), min_size=2, max_size=4),
    st.sampled_from([1.0, 3.0, 20.0]),
)
def test_property_path_states_equal_the_fully_densified_lookup(vertices, step_km):
    """Only groups near a border are densified (`path_states`): on random paths (poles and the
    antimeridian included) the codes must be those of every densified segment (`segment_states`)."""
    import numpy as np

    from routes import geodesy
    from routes.analysis.statemap import path_states, segment_states

    way = np.array(vertices, dtype=float)
    legs_m = geodesy.segment_lengths_km(way) * 1000.0
    if (legs_m < 1.0).any() or (legs_m > 15_000e3).any():  # repeated or near-antipodal vertices
        return
    pts, _ = geodesy.densify_path_km(way, step_km)
    codes, km = path_states(way, step_km)
    assert codes.tolist() == segment_states(pts)[0].tolist()
    assert km.sum() == pytest.approx(float(legs_m.sum()) / 1000.0, rel=1e-9)
