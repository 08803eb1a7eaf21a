"""`Study`: one frozen object holding a study's settings, its defaults, its checks, and the figures through it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

import routes
from routes.analysis.performance import Assumptions
from routes.comparison import compare
from routes.errors import ClimatologyPeriodError, InvalidInputError, ObjectiveError, ScheduleError
from routes.inputs.costdata import load_cost_rates
from routes.inputs.register import assumption_register
from routes.report_data import report_data
from routes.study import Study


def test_defaults_come_from_the_mission_and_the_register():
    s = Study()
    reg = assumption_register()
    assert s.aircraft == ("B77W",) and s.periods == (1, 7) and s.margin_nm == 0.0 and s.wind is None
    assert (s.min_runway_m, s.oei_speed_kt, s.flights_per_week) == (2500.0, 420.0, 7.0)
    assert s.min_runway_m == reg["min_runway_m"].value and s.oei_speed_kt == reg["oei_speed_kt"].value
    assert s.flights_per_week == reg["flights_per_week"].value
    assert s.assumptions == Assumptions() and s.cost_rates is None and s.operator is None and s.rates_date is None
    assert s.objective == "distance" and routes.Study is Study


def test_register_defaults_are_read_when_a_study_is_made(monkeypatch):
    import routes.study as study_module

    monkeypatch.setattr(study_module, "default", lambda name: {"oei_speed_kt": 400.0}.get(name, 1.0))
    assert Study().oei_speed_kt == 400.0  # not frozen in at import time


def test_settings_are_normalised():
    s = Study(aircraft=" a359 ", wind=7, periods="DJF", margin_nm=25, operator=" rus ", rates_date="2025-02-28")
    assert s.aircraft == ("A359",) and s.periods == ("DJF",) and s.margin_nm == 25.0
    assert s.wind_label == "NCEP/NCAR R1 200 hPa climatology, July"
    assert s.operator == "RUS" and s.rates_date == date(2025, 2, 28)
    assert Study(aircraft=["b77w", "b789"]).aircraft == ("B77W", "B789")
    assert Study(periods=[1, "jan", 7, "JUL", "DJF"]).periods == (1, 7, "DJF")  # each period once


@pytest.mark.parametrize(
    ("changes", "error", "fragment"),
    [
        ({"aircraft": []}, InvalidInputError, "aircraft: nothing given"),
        ({"aircraft": 5}, InvalidInputError, "aircraft must be ICAO type codes"),
        ({"margin_nm": -1}, InvalidInputError, "margin_nm must be a finite number of nautical miles"),
        ({"margin_nm": "5"}, InvalidInputError, "margin_nm must be"),
        ({"min_runway_m": 0}, InvalidInputError, "min_runway_m must be a finite number > 0"),
        ({"oei_speed_kt": float("nan")}, InvalidInputError, "oei_speed_kt must be"),
        ({"flights_per_week": 0}, ScheduleError, r"flights per week must be a number in \(0, 700\]"),
        ({"periods": "1,7"}, ClimatologyPeriodError, "unknown climatology period '1,7'"),
        ({"periods": (1, 13)}, ClimatologyPeriodError, "month must be 1-12"),
        ({"wind": 13}, ClimatologyPeriodError, "month must be 1-12"),
        ({"wind": 2.5}, InvalidInputError, "wind must be None"),
        ({"assumptions": {"load_factor": 0.9}}, InvalidInputError, "assumptions must be an Assumptions"),
        ({"cost_rates": 90}, InvalidInputError, "cost_rates must be a CostRates"),
        ({"operator": ""}, InvalidInputError, "operator must be a state or airline code"),
        ({"rates_date": "last year"}, InvalidInputError, r"rates_date must be a date \(YYYY-MM-DD\)"),
        ({"objective": "fuel"}, ObjectiveError, "unknown objective 'fuel'; expected one of 'distance', 'time'"),
    ],
)
def test_bad_settings_fail_when_the_study_is_made(changes, error, fragment):
    with pytest.raises(error, match=fragment):
        Study(**changes)
    with pytest.raises(error, match=fragment):
        Study().with_(**changes)  # a changed copy is checked the same way


def test_a_study_is_immutable_and_changes_make_copies():
    s = Study()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.margin_nm = 10  # type: ignore[misc]
    t = s.with_(margin_nm=10, flights_per_week=3)
    assert (s.margin_nm, s.flights_per_week) == (0.0, 7.0) and (t.margin_nm, t.flights_per_week) == (10.0, 3.0)
    assert dataclasses.replace(s, aircraft="b789").aircraft == ("B789",)
    assert s == Study() and hash(s) == hash(Study())
    with pytest.raises(InvalidInputError, match="Study has no setting margin; the settings are aircraft, "):
        s.with_(margin=10)


def test_describe_and_as_dict_list_every_setting():
    s = Study(cost_rates=load_cost_rates().with_fuel_price(90), flights_per_week=3, margin_nm=25)
    lines = dict(s.describe())
    assert lines["schedule"] == "3 flights a week each way" and lines["margin from closed airspace"] == "25 nm"
    assert lines["cost rates"] == "given, jet fuel 90 USD/bbl" and lines["wind"] == "still air"
    assert lines["alternates"] == "runway >= 2,500 m, one engine out at 420 kt"
    d = s.as_dict()
    assert set(d) == {f.name for f in dataclasses.fields(Study)}
    assert d["periods"] == ["January", "July"] and d["assumptions"]["load_factor"] == 0.8 and d["rates_date"] is None


def test_compare_figures_through_a_study():
    table, found = compare(["SVO"], ["LAX"], ["europe-closed", "europe-canada-closed"], Study(periods=()))
    assert table["distance_km"].tolist() == [9873.0, 10473.9] and len(found) == 2
    assert table["block_time_min"].tolist() == [693.9, 734.0]  # as before the Study (git 885bfd4)
    wider = compare(["SVO"], ["LAX"], ["europe-closed"], Study(margin_nm=50, periods=())).table
    assert wider["margin_nm"].iloc[0] == 50.0 and wider["distance_km"].iloc[0] > 9873.0
    diverts = compare(["SVO"], ["LAX"], ["europe-closed"], Study(min_runway_m=3500, periods=())).table
    assert diverts["max_diversion_min"].iloc[0] >= table["max_diversion_min"].iloc[0]


def test_report_data_carries_the_study():
    study = Study(aircraft="A359", periods=(1,), flights_per_week=3)
    data = report_data(["SVO"], ["SEA"], ["pre-2022", "europe-closed"], study)
    assert data.study is study and data.periods == (1,) and data.assumptions == study.assumptions
    assert data.table["aircraft"].unique().tolist() == ["A359"] and (data.table["flights_per_week"] == 3).all()
    assert data.table.set_index("scenario").loc["europe-closed", "distance_km"] == 8434.0
    from routes.presentation.report_context import method_notes

    listed = [n for n in method_notes(data) if n.startswith("Settings of this study: aircraft: A359; wind: still air;")]
    assert len(listed) == 1 and "schedule: 3 flights a week each way" in listed[0]  # the report lists the study


def test_airline_is_checked_and_stored_as_its_icao_designator():
    from routes.errors import UnknownOperatorError

    assert Study().airline is None and Study(airline="su").airline == "AFL" and Study(airline=" afl ").airline == "AFL"
    assert dict(Study(airline="AFL").describe())["fleet of"] == "AFL" and "fleet of" not in dict(Study().describe())
    with pytest.raises(UnknownOperatorError, match=r"no fleet data for airline .XYZ. in data/fleets\.csv; it has AFL"):
        Study(airline="XYZ")
    with pytest.raises(InvalidInputError, match="airline must be an airline designator"):
        Study(airline=3)


def test_report_data_draws_the_fleet_of_the_study_airline():
    study = Study(aircraft="A359", periods=(), airline="NWS")
    data = report_data(["SVO"], ["SEA"], ["europe-closed"], study)
    assert data.study is study and set(data.fleet["airline"]) == {"NWS"}
    assert data.fleet["aircraft"].tolist() == ["A332", "A333", "B772", "B77W", "A21N"]
    assert data.fleet.set_index("aircraft").loc["B77W", "verdict"] == "non-stop, full load"
    default = report_data(["SVO"], ["SEA"], ["europe-closed"], Study(aircraft="A359", periods=()))
    assert set(default.fleet["airline"]) == {"AFL"}  # the mission airline when the study names none


def test_the_operator_that_prices_a_route():
    assert Study().operator_for("europe-closed") is None  # foreign-operator tariffs
    assert Study().operator_for("russian-carrier") == "RUS"  # the scenario's operator
    assert Study(operator="FIN").operator_for("russian-carrier") == "FIN"  # the study's first
