"""Itineraries (routes.itineraries) and their bad input, and the feasibility CLI commands."""

import subprocess
import sys

import pytest

from routes.errors import (
    ClosedStopError,
    ItineraryTooShortError,
    PayloadError,
    RepeatedAirportError,
    RunwayTooShortError,
)
from routes.inputs.stopdata import stop_charges, technical_stop_ground_time
from routes.itineraries import itinerary


@pytest.fixture(scope="module")
def svo_anc_lax():
    return itinerary(["SVO", "ANC", "LAX"], scenario="europe-canada-closed", aircraft="IL96")


def test_il96_one_stop_itinerary(svo_anc_lax):
    it = svo_anc_lax
    assert it.feasible and it.codes == ("SVO", "ANC", "LAX")
    assert [round(leg.route.distance_km) for leg in it.legs] == [6997, 3774]
    assert it.ground_times_min == (90.0,)
    legs = [leg.estimate for leg in it.legs]
    assert it.block_time_min == pytest.approx(legs[0].block_time_min + legs[1].block_time_min + 90.0)
    assert it.block_fuel_kg == pytest.approx(legs[0].block_fuel_kg + legs[1].block_fuel_kg)
    assert it.co2_kg == pytest.approx(3.16 * it.block_fuel_kg)
    assert [leg.max_payload.limit for leg in it.legs] == ["MZFW", "MZFW"] and it.max_payload_kg == 40000.0
    assert [leg.diversion.etops_label for leg in it.legs] == ["ETOPS 180", "ETOPS 120"]
    # ANC charges: USD 1.25 per 1,000 lb MTOW + USD 0.067 per US gallon taken on (2021 rates, primary)
    uplift = legs[1].block_fuel_kg + legs[1].reserve_fuel_kg
    expected = 1.25 * 250000 * 2.2046226218 / 1000 + 0.067 * uplift / 0.8 / 3.785411784
    assert it.stop_charges_usd[0] == pytest.approx(expected)
    assert it.cost_usd == pytest.approx(sum(leg.cost.total_usd for leg in it.legs) + expected)


def test_unsourced_stop_charges_are_flagged():
    it = itinerary(["SVO", "PKC", "LAX"], scenario="europe-closed", aircraft="B77W", ground_time_min=60)
    assert it.stop_charges_usd == (0.0,) and it.ground_times_min == (60.0,)
    assert it.flags == ("landing/handling charges at PKC not included (no sourced figure)",)


def test_ground_time_default_is_sourced():
    g = technical_stop_ground_time()
    assert g.minutes == 90.0 and g.status == "secondary" and "aerotime.aero" in g.url  # from the register
    assert stop_charges("anc").landing_usd_per_1000lb_mtow == 1.25 and stop_charges("VIE") is None


def test_itinerary_bad_input():
    with pytest.raises(ItineraryTooShortError, match="got 1 airport"):
        itinerary(["SVO"])
    with pytest.raises(RepeatedAirportError, match="SVO comes twice in a row"):
        itinerary(["SVO", "SVO", "LAX"])
    with pytest.raises(ClosedStopError, match="stop KEF lies in the closed airspace of Iceland"):
        itinerary(["SVO", "KEF", "LAX"], scenario="europe-closed")
    with pytest.raises(ClosedStopError, match=r"stop ANC .* United States \(USA\) in scenario pre-2022\+AFL"):
        itinerary(["SVO", "ANC", "LAX"], operator="AFL")  # the ban table closes the USA to Russian operators
    with pytest.raises(
        RunwayTooShortError, match="BRE's longest paved runway is 2,040 m x 45 m; the B77W needs 3,048 m"
    ):
        itinerary(["SVO", "BRE", "JFK"])
    with pytest.raises(RunwayTooShortError, match="no open paved runway of 1,800 m"):
        itinerary(["SVO", "LCY", "JFK"])
    with pytest.raises(PayloadError, match="structural limit"):
        itinerary(["SVO", "LAX"], payload_kg=80000)
    with pytest.raises(PayloadError, match=">= 0"):
        itinerary(["SVO", "LAX"], payload_kg=-1)


def test_payload_given_is_carried_on_every_leg():
    it = itinerary(["SVO", "PKC", "LAX"], scenario="europe-closed", aircraft="B77W", payload_kg=50000)
    assert it.payload_kg == 50000.0 and all(leg.estimate.payload_kg == 50000.0 for leg in it.legs)


def test_settings_come_from_the_study(svo_anc_lax):
    from routes.analysis.climatology import climatology
    from routes.analysis.performance import Assumptions
    from routes.study import Study

    # the study's first type is the default aircraft, and its assumptions set the payload
    light = Study(aircraft="IL96", assumptions=Assumptions(load_factor=0.5, cargo_kg=0.0))
    it = itinerary(["SVO", "ANC", "LAX"], scenario="europe-canada-closed", study=light)
    assert it.aircraft == "IL96" and it.payload_kg == pytest.approx(0.5 * svo_anc_lax.payload_kg / 0.8, abs=1.0)
    assert it.block_fuel_kg < svo_anc_lax.block_fuel_kg
    # an explicit aircraft wins over the study's; the study's wind changes the block times, not the routes
    windy = itinerary(["SVO", "ANC", "LAX"], "europe-canada-closed", "IL96", study=Study(aircraft="B77W", wind=1))
    assert windy.aircraft == "IL96" and windy.distance_km == svo_anc_lax.distance_km
    assert windy.legs[0].estimate.block_time_min != svo_anc_lax.legs[0].estimate.block_time_min
    assert windy.legs[0].estimate.block_time_min == pytest.approx(
        itinerary(["SVO", "ANC"], "europe-canada-closed", "IL96", study=Study(wind=climatology(1)))
        .legs[0]
        .estimate.block_time_min
    )


CLI = "from routes.cli import main; main()"  # routes.cli registers the feasibility commands


def _cli(*args):
    return subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, text=True, timeout=600)


def test_cli_itinerary_and_errors():
    out = _cli("itinerary", "SVO", "ANC", "LAX", "-s", "europe-canada-closed", "-a", "IL96")
    assert out.returncode == 0, out.stderr
    assert "SVO-ANC │ 6,997" in out.stdout and "ground time: ANC 90 min" in out.stdout
    assert max(len(line) for line in out.stdout.splitlines()) <= 100
    bad = _cli("itinerary", "SVO", "KEF", "LAX", "-s", "europe-closed")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "stop KEF lies in the closed airspace" in bad.stderr
    one = _cli("itinerary", "SVO")
    assert one.returncode == 2 and "got 1 airport" in one.stderr


def test_cli_payload():
    out = _cli("payload", "SVO", "LAX", "-a", "A333", "-s", "europe-canada-closed")
    assert out.returncode == 0, out.stderr
    rows = [line for line in out.stdout.splitlines() if "europe-canada-closed" in line]
    assert len(rows) == 2 and all("MTOW" in r for r in rows)
    assert max(len(line) for line in out.stdout.splitlines()) <= 100


def test_cli_stops_says_when_no_stop_helps():
    out = _cli("stops", "SVO", "LAX", "-s", "closures-2022")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == (
        "destination LAX lies in the closed airspace of scenario closures-2022: no stop helps"
    )
    bad = _cli("stops", "SVO", "XXX")
    assert bad.returncode == 2 and "unknown airport code 'XXX'" in bad.stderr
