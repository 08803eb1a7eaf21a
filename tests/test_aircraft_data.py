"""Sourced aircraft data (data/aircraft), the Il-96-300 model and fleets as data."""

import pytest

import routes
from routes.analysis.payload import max_payload, range_for_payload_km
from routes.analysis.performance import estimate, fuel_flow_factor, get_aircraft
from routes.errors import MissingAircraftDataError, SchemaError, UnknownOperatorError
from routes.inputs.aircraft import aircraft_data, aircraft_sources, load_aircraft_data
from routes.inputs.fleets import fleet, load_fleets


def test_il96_record_carries_its_sources():
    rec = aircraft_data()["IL96"]
    assert not rec.in_openap and rec.fuel_model.openap_proxy == "A343"
    assert rec.values["mtow_kg"].value == 250000 and rec.values["mtow_kg"].status == "secondary"
    assert "240,000" in rec.values["mtow_kg"].note  # the disagreeing older figure is recorded
    assert rec.values["code_letter"].value == "E"
    assert aircraft_sources()[rec.values["mzfw_kg"].source]["url"].startswith("http://aircraftinvestigation.info")


def test_get_aircraft_il96_and_openap_extras():
    il96 = get_aircraft("il96")
    assert (il96.mtow_kg, il96.mzfw_kg, il96.mlw_kg, il96.oew_kg) == (250000.0, 157000.0, 174950.0, 117000.0)
    assert il96.fuel_capacity_kg == 119807.0 and il96.engines == 4 and il96.model_code == "A343"
    b77w = get_aircraft("B77W")
    assert b77w.mtow_kg == 351500.0 and b77w.oew_kg == 167800.0  # OpenAP's figures kept
    assert (b77w.mzfw_kg, b77w.mlw_kg, b77w.takeoff_field_m) == (237682.0, 251290.0, 3048.0)
    assert get_aircraft("A388").mzfw_kg is None  # no sourced value: None, not a guess
    assert "IL96" in routes.analysis.performance.available_aircraft()


def test_il96_fuel_model_flies_its_published_range():
    # calibrated to 10,000 km with max fuel at MTOW (13,193 kg payload), the package's reserves
    assert fuel_flow_factor("IL96") == pytest.approx(1.2345, abs=0.002)
    assert range_for_payload_km(13193.0, "IL96") == pytest.approx(10000.0, abs=60.0)


def test_il96_estimate_and_payload_on_a_mission_route():
    r = routes.route("SVO", "LAX", "europe-canada-closed")
    e = estimate(r, "IL96")
    assert round(e.block_time_min) == 757 and not e.within_range
    m = max_payload(r, "IL96")
    assert not m.within_range and m.payload_kg == 0.0 and m.limit == "fuel capacity"
    assert round(estimate(r, "B77W").block_time_min) == 734  # mission figures unchanged


def test_missing_field_is_named():
    r = routes.geodesic_route("SVO", "LAX")
    with pytest.raises(MissingAircraftDataError, match="A388 has no mzfw_kg"):
        max_payload(r, "A388")


def test_aircraft_file_schema_errors(tmp_path):
    bad = tmp_path / "a.toml"
    bad.write_text(
        '[sources.s]\ntitle="t"\npublisher="p"\ndate="d"\nurl="u"\nstatus="x"\n'
        '[types.X1]\nname="x"\nin_openap=false\n'
        'mtow_kg={value=1, source="s", status="secondary"}\n'
    )
    with pytest.raises(SchemaError, match=r"X1: a type OpenAP lacks needs engines, mzfw_kg.*fuel_model"):
        load_aircraft_data(bad)
    bad.write_text(bad.read_text().replace("in_openap=false", "in_openap=true").replace('source="s"', 'source="q"'))
    with pytest.raises(SchemaError, match="unknown source 'q'"):
        load_aircraft_data(bad)
    bad.write_text(bad.read_text().replace("mtow_kg", "wingspan_ft"))
    with pytest.raises(SchemaError, match=r"unknown aircraft field.*wingspan_ft"):
        load_aircraft_data(bad)


def test_fleets():
    afl = {r.aircraft: r for r in fleet("SU")}
    assert afl["B77W"].count == 22 and afl["B77W"].status == "secondary"
    assert afl["A359"].status == "unconfirmed"
    assert sum(r.count for r in fleet("AFL")) == 41  # Kommersant's 41 mainline widebodies
    assert {r.aircraft for r in fleet("NWS")} >= {"B77W", "A333"}
    with pytest.raises(UnknownOperatorError, match="no fleet data for airline 'BAW'"):
        fleet("BAW")


def test_fleet_row_schema(tmp_path):
    f = tmp_path / "f.csv"
    f.write_text("airline,type,count,as_of,status,source,url,notes\nAFL,B77W,-2,2024-01-01,secondary,s,https://x,\n")
    with pytest.raises(SchemaError, match=r"row 1.*count"):
        load_fleets(f)
