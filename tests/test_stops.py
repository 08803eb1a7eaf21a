"""Technical-stop suggestion (routes.stops) and the Air India validation case."""

import numpy as np
import pytest

from routes.analysis.climatology import climatology
from routes.analysis.payload import max_payload
from routes.analysis.performance import Assumptions, get_aircraft
from routes.errors import InvalidInputError
from routes.inputs.scenarios import Scenario
from routes.itineraries import itinerary
from routes.routing import LatLon, geodesic_route
from routes.stops import StopSearch, block_time_bound_min, suggest_stops

# Pakistan closed its airspace to Indian operators on 24 April 2025 (Flightradar24 blog, "How flying around
# Pakistan is affecting Indian airlines", 2025). Air India's re-routed flights did not cross Afghanistan or
# western China either (they went west over the Arabian Sea); the scenario closes the three so that the
# engine, like the airline, goes round to the west.
AI_2025 = Scenario.build(
    "pakistan-closed-to-india-2025",
    closed_states=["PAK", "AFG", "CHN"],
    description="Pakistan closed to Indian operators from 2025-04-24; Afghanistan and China avoided",
)


def test_block_time_bound_never_exceeds_the_model():
    ac, a = get_aircraft("B77W"), Assumptions()
    from routes.analysis.performance import block_times_min

    for km in (300.0, 333.0, 420.0, 777.0, 5669.0, 9132.3):
        r = geodesic_route(LatLon(lat=0.0, lon=0.0), LatLon(lat=0.0, lon=km / 111.319490793))
        exact = block_times_min(r, [None], ac, a)[0]
        bound = float(block_time_bound_min(np.array([km]), ac, a)[0])
        assert exact - 1.0 < bound <= exact


def test_nonstop_that_works_needs_no_stop():
    s = suggest_stops("SVO", "LAX", "europe-canada-closed", "B77W")
    assert s.options == () and s.n_stops == 0 and s.reason == "the non-stop flight carries the payload"


def test_il96_svo_lax_needs_a_stop_and_gets_the_best_three():
    s = suggest_stops("SVO", "LAX", "europe-canada-closed", "IL96")
    assert not s.nonstop.feasible and s.n_stops == 1
    assert [o.stops for o in s.options] == [("PDX",), ("FAI",), ("BFI",)]
    best = s.options[0]
    assert best.itinerary.feasible and round(best.itinerary.distance_km) == 10519
    assert best.extra_min == pytest.approx(132.0, abs=2.0)  # 90 min on the ground + a second climb and descent
    times = [o.itinerary.block_time_min for o in s.options]
    assert times == sorted(times)
    assert (
        s.candidates == 79 and s.routed <= 6
    )  # the bounds pruned the rest (15 routed before routed legs tightened them)


def test_no_stop_in_a_state_the_airline_excludes_and_bad_arguments():
    s = suggest_stops("SVO", "LAX", "europe-canada-closed", "IL96", search=StopSearch(exclude_states=["USA"]))
    assert all(o.itinerary.stops[0].country != "US" for o in s.options)
    with pytest.raises(InvalidInputError, match="objective must be 'time' or 'cost', got 'fuel'"):
        StopSearch(objective="fuel")
    with pytest.raises(InvalidInputError, match="n_best must be a whole number >= 1, got 0"):
        StopSearch(n_best=0)
    with pytest.raises(InvalidInputError, match="max_candidates must be a whole number >= 1, got True"):
        StopSearch(max_candidates=True)
    assert StopSearch(exclude_states="usa").exclude_states == ("USA",)


def test_air_india_delhi_chicago_2025():
    pre = itinerary(["DEL", "ORD"], "pre-2022", "B77W")
    nonstop = itinerary(["DEL", "ORD"], AI_2025, "B77W")
    # FR24: the polar route was about 12,500 km (14:47 average); with the stop nearly 15,000 km
    assert round(pre.distance_km) == 12044 and round(nonstop.distance_km) == 13734
    # payload-limited: in a January wind the non-stop carries ~24 t less than before the closure
    jan = climatology(1)
    before = max_payload(pre.legs[0].route, "B77W", wind=jan)
    after = max_payload(nonstop.legs[0].route, "B77W", wind=jan)
    assert after.limit == "fuel capacity" and before.payload_kg - after.payload_kg > 20000.0
    # Vienna and Copenhagen (Air India's stops): 3-6 h added to the trip (FR24), against the model's figures
    for stop, extra_h in (("VIE", 4.32), ("CPH", 4.11)):
        it = itinerary(["DEL", stop, "ORD"], AI_2025, "B77W")
        assert it.feasible
        assert (it.block_time_min - pre.block_time_min) / 60.0 == pytest.approx(extra_h, abs=0.05)
    # asked for stops (and none in Russia, where Air India did not stop), the search finds stops on the way
    s = suggest_stops("DEL", "ORD", AI_2025, "B77W", search=StopSearch(always=True, exclude_states=["RUS"]))
    assert s.n_stops == 1 and len(s.options) == 3
    assert all(120.0 < o.extra_min < 135.0 for o in s.options)  # vs the re-routed non-stop
    assert all((o.itinerary.block_time_min - pre.block_time_min) / 60.0 > 3.5 for o in s.options)


def test_fleet_feasibility_table():
    from routes.fleet_feasibility import fleet_feasibility

    df = fleet_feasibility("SVO", "LAX", "europe-canada-closed", "SDM").set_index("aircraft")
    assert df.loc["B744", "verdict"] == "non-stop, full load" and df.loc["B744", "limit"] == "MZFW"
    assert df.loc["B772", "verdict"] == "non-stop, 164 of 320 seats" and df.loc["B772", "limit"] == "fuel capacity"
    assert df.loc["B772", "stop"] == "FAI" and df.loc["B772", "extra_min"] == pytest.approx(133.0, abs=2.0)
    assert "B773 has no mzfw_kg" in df.loc["B773", "verdict"]  # the missing field is named, no guess
    banned = fleet_feasibility("SVO", "LAX", "europe-canada-closed", "SU", with_stops=False, apply_bans=True)
    assert set(banned["verdict"]) == {"destination LAX lies in the closed airspace of United States (USA)"}


def test_two_stops_only_when_no_one_stop_works():
    s = suggest_stops("SVO", "LAX", "europe-canada-closed", "A21N", payload_kg=25600)  # range ~5,500 km
    assert s.n_stops == 2 and s.reason.endswith("best 3 two-stop itineraries")
    best = s.options[0]
    assert best.stops == ("MMK", "FAI") and best.itinerary.feasible
    assert all(leg.route.distance_km < 5516 for leg in best.itinerary.legs)


def test_a_clear_result_when_no_stop_can_help():
    s = suggest_stops("SVO", "LAX", "closures-2022", "B77W")
    assert s.options == () and s.n_stops == 0
    assert s.reason == "destination LAX lies in the closed airspace of scenario closures-2022: no stop helps"


def test_payload_loss_by_scenario_month_and_direction():
    from routes.fleet_feasibility import payload_loss

    df = payload_loss("SVO", "LAX", ["europe-canada-closed", "closures-2022"], "A333", months=[1, 7])
    assert set(df["scenario"]) == {"pre-2022", "europe-canada-closed"} and len(df) == 8
    assert "closures-2022" in df.attrs["no_route"]
    lost = df[df["scenario"] == "europe-canada-closed"].set_index(["direction", "month"])["loss_kg"]
    assert (lost > 2500.0).all() and lost["inbound", 1] > lost["outbound", 1]


def test_routed_legs_are_kept_on_disk_for_a_fresh_process(monkeypatch):
    from routes import stops
    from routes.inputs.airports import get_airport
    from routes.inputs.scenarios import get_scenario

    scn = get_scenario("europe-canada-closed")
    svo, geg = get_airport("SVO"), get_airport("GEG")
    first = stops._leg(svo, geg, scn)  # SVO-Spokane goes round Canada: a routed leg, not the geodesic
    assert first.feasible and first.distance_km > first.geodesic_km + 500.0
    stops.clear_cache()  # as a fresh process: nothing in memory

    def no_search(*args, **kwargs):
        raise AssertionError("the leg was routed again instead of read from the disk cache")

    monkeypatch.setattr(stops, "route", no_search)
    again = stops._leg(svo, geg, scn)
    assert again.distance_km == first.distance_km and again.scenario is scn
    stops.clear_cache()


def test_stop_search_options_are_one_object():
    assert StopSearch() == StopSearch("time", 3, False, 100, ())
    s = suggest_stops("SVO", "LAX", "europe-canada-closed", "IL96", search=StopSearch(n_best=1, max_candidates=20))
    assert [o.stops for o in s.options] == [("PDX",)] and s.candidates <= 20
    # the 5 airports nearest the geodesic lie in the shadow of Canada, out of the Il-96's range: none works
    few = suggest_stops("SVO", "LAX", "europe-canada-closed", "IL96", search=StopSearch(max_candidates=5))
    assert few.options == () and few.candidates == 25  # 5 x 5 two-stop pairs tried
    assert few.reason.endswith("no itinerary with one or two stops works")


def test_a_routed_leg_bounds_the_legs_to_its_neighbours_from_below():
    """The bound the search tightens with (`routes.stops._OneStop.tighten`): a leg o-k of length D puts a
    stop j whose geodesic to k is clear at least D - |jk| from o (the triangle inequality of constrained
    distances). Checked on routed legs from Moscow round Canada to the western United States."""
    from routes import engine, geodesy, stops
    from routes.inputs.airports import get_airport
    from routes.inputs.scenarios import get_scenario
    from routes.scenario_obstacles import scenario_obstacles

    scn = get_scenario("europe-canada-closed")
    svo, aps = get_airport("SVO"), {c: get_airport(c) for c in ("GEG", "CPR", "DEN", "MSP", "PDX")}
    km = {c: stops._leg(svo, ap, scn).distance_km for c, ap in aps.items()}
    obstacles = scenario_obstacles(scn, 0.0)
    bounds = {}
    for k, a in aps.items():
        for j, b in aps.items():
            if j != k and engine.legs_clear(obstacles, np.array([a.lon, a.lat]), np.array([b.lon, b.lat])):
                bounds[(k, j)] = km[k] - float(geodesy.distance_m(a.lon, a.lat, b.lon, b.lat)) / 1000.0
                assert km[j] >= bounds[(k, j)] - 1e-6
    # informative: Casper, routed round Canada (10,389 km), puts Denver beyond 10,000 km (the geodesic: 8,799)
    assert round(km["CPR"]) == 10389 and bounds[("CPR", "DEN")] > 10000.0 > km["GEG"]
