"""The ban table by operator and the scenarios built from it: facts (dates, sources) and bad input."""

import warnings
from datetime import date

import pytest

from routes.errors import BanTableError, ScenarioError, StaleDataWarning, UnknownOperatorError
from routes.inputs.airlines import get_airline
from routes.inputs.bans import builtin_bans, load_bans
from routes.inputs.scenarios import Scenario, builtin_scenarios, get_scenario, load_scenarios

TABLE = builtin_bans()


def first_day(airspace: str, operator: str = "RUS") -> date:
    """First day a measure closing ``airspace`` to ``operator``'s operators is in force."""
    return min(b.start for b in TABLE.bans if airspace in b.airspace and b.concerns(operator))


def test_table_loads_with_as_of_date():
    assert TABLE.as_of == date(2026, 11, 28)
    assert TABLE.first_start == date(2021, 5, 29)  # Ukraine's ban on Belarusian aircraft


@pytest.mark.parametrize("name", list(builtin_scenarios()))
def test_every_closed_state_of_every_builtin_scenario_has_a_dated_sourced_measure(name):
    scn = get_scenario(name)
    assert scn.as_of, f"{name} has no as-of date"
    as_of = date.fromisoformat(scn.as_of)
    operator = "RUS" if name in ("europe-closed", "europe-canada-closed", "closures-2022") else None
    for code in scn.closed_states:
        rows = [b for b in TABLE.bans if code in b.airspace and b.start <= as_of]
        if operator:
            rows = [b for b in rows if b.concerns(operator)]
        assert rows, f"{name}: no measure in bans.csv closes {code} by {as_of}"
        for b in rows:
            assert b.url.startswith("https://") or b.url.startswith("http://")
            assert b.source and b.measure and b.source_date.year >= 2021
        if all(b.status == "unclear" for b in rows):
            assert code in scn.unclear, f"{name}: {code} rests only on unclear measures but is not marked unclear"


@pytest.mark.parametrize(
    ("airspace", "day"),
    [
        ("GBR", "2022-02-25"),  # DfT NOTAM, Friday 25 Feb (BBGA)
        ("JEY", "2022-02-26"),  # Jersey aviation notice, Saturday
        ("POL", "2022-02-26"),
        ("DEU", "2022-02-27"),
        ("ISL", "2022-02-27"),
        ("MKD", "2022-02-27"),
        ("BES", "2022-02-27"),
        ("CAN", "2022-02-27"),
        ("NOR", "2022-02-28"),  # 09:15, Luftfartstilsynet
        ("CHE", "2022-02-28"),
        ("GIB", "2022-02-28"),
        ("IMN", "2022-03-01"),
        ("GGY", "2022-03-01"),
        ("USA", "2022-03-02"),  # FDC 2/2415
        ("MNE", "2022-03-04"),  # the last European closure
        ("UKR", "2022-02-24"),  # closed to all civil traffic
    ],
)
def test_first_day_of_each_closure(airspace, day):
    assert first_day(airspace) == date.fromisoformat(day)


def test_europe_closed_runs_from_25_february_to_4_march_2022():
    scn = get_scenario("europe-closed")
    bans_only = {
        c: min(b.start for b in TABLE.bans if c in b.airspace and b.kind == "ban" and b.concerns("RUS"))
        for c in scn.closed_states - {"UKR", "MDA"}
    }  # UKR and MDA closed to all traffic on 24 Feb
    assert min(bans_only.values()).isoformat() == "2022-02-25" == scn.effective[:10]
    assert max(bans_only.values()).isoformat() == "2022-03-04" == scn.effective[-10:] == scn.as_of
    assert {"AIA", "VGB"} <= scn.closed_states
    assert "GIB" not in scn.closed_states  # a ban on landing at Gibraltar's airport, not an airspace closure
    assert not {"AND", "MCO", "SMR", "VAT"} & scn.closed_states
    assert {"PYF", "NCL", "SPM", "WLF", "BLM", "ATF", "LIE", "MDA"} == scn.unclear
    assert "GIB" not in scn.unclear and "BES" not in scn.unclear


def test_revisions_are_recorded():
    def rows(airspace, day):
        return [b for b in TABLE.bans if airspace in b.airspace and b.start == date.fromisoformat(day)]

    assert any("2022/241" in b.measure for b in rows("GBR", "2022-03-08"))
    assert any("2/2415" in b.measure for b in rows("USA", "2022-03-10"))
    assert any(b.operators == {"RUS", "BLR"} for b in rows("CAN", "2022-03-16"))


def test_citations_are_the_real_instruments():
    text = (TABLE.path and open(TABLE.path).read()) + "".join(" ".join(s.sources) for s in builtin_scenarios().values())
    assert "Restriction of Flying) (Russia) Regulations" not in text  # no such instrument
    assert "SI 2022/183" in text and "FDC 2/2415" in text
    us = get_scenario("closures-2022").sources
    assert any("FDC 2/2415" in s for s in us) and not any("KICZ" in s for s in us)
    assert not any("Canada" in s for s in get_scenario("europe-closed").sources)


def test_rosaviatsia_list_of_36_states():
    row = next(
        b for b in TABLE.bans if b.airspace == ("RUS",) and b.start == date(2022, 2, 28) and len(b.operators) > 30
    )
    assert len(row.operators - {"GRL", "FRO"}) == 36  # Denmark counted once, with Greenland and the Faroes
    assert {"AIA", "VGB", "GIB", "JEY", "CAN", "NOR", "ISL", "ALB"} <= row.operators
    assert not {"CHE", "USA", "MNE", "MKD"} & row.operators


def test_operator_scenarios():
    assert Scenario.for_operator("FIN", on="2025-06-01").closed_states == {"RUS", "BLR", "UKR"}
    assert Scenario.for_operator("FI", on=date(2022, 2, 27)).closed_states == {"BLR", "UKR"}  # before Russia's list
    russian = Scenario.for_operator("RUS", on="2022-02-26")
    assert {"GBR", "POL", "CZE", "BGR", "JEY", "UKR"} <= russian.closed_states
    assert not {"DEU", "NOR", "CAN", "USA"} & russian.closed_states
    assert Scenario.for_operator("RUS", on="2022-03-05").closed_states >= get_scenario("closures-2022").closed_states
    belarus = Scenario.for_operator("BLR", on="2021-06-10")
    assert {"DEU", "FRA", "GBR", "UKR", "GUF"} <= belarus.closed_states and "CAN" not in belarus.closed_states
    assert "CAN" in Scenario.for_operator("BLR", on="2022-03-16").closed_states


def test_airline_codes_map_to_their_state():
    assert get_airline("SU").state == get_airline("afl").state == "RUS"
    assert get_airline("AY").name == "Finnair" and get_airline("DL").state == "USA"
    assert Scenario.for_airline("AY", on="2025-06-01").closed_states == {"RUS", "BLR", "UKR"}
    assert "Aeroflot" in Scenario.for_airline("SU").description


def test_builtin_operator_scenarios_are_as_of_the_table():
    for name in ("eu-carrier", "us-carrier", "russian-carrier"):
        assert get_scenario(name).as_of == TABLE.as_of.isoformat()
    assert get_scenario("eu-carrier").closed_states == {"RUS", "BLR", "UKR"}
    assert get_scenario("us-carrier").closed_states == {"RUS", "BLR", "UKR"}
    assert get_scenario("russian-carrier").closed_states >= get_scenario("closures-2022").closed_states


def test_before_the_first_ban_is_the_pre_2022_airspace():
    scn = Scenario.for_operator("RUS", on="2021-01-01")
    assert scn.is_open_sky and scn.closed_states == frozenset()


def test_after_the_as_of_date_warns_with_the_latest_state():
    with pytest.warns(StaleDataWarning, match="as-of date 2026-11-28"):
        later = Scenario.for_operator("FIN", on="2030-01-01")
    assert later.closed_states == get_scenario("eu-carrier").closed_states
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Scenario.for_operator("FIN", on="2026-11-28")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Scenario.for_operator("XYZ"), UnknownOperatorError, "unknown operator state 'XYZ'"),
        (lambda: Scenario.for_airline("QQ9"), UnknownOperatorError, "unknown airline code 'QQ9'"),
        (lambda: Scenario.for_airline("A"), UnknownOperatorError, "expected an ICAO"),
        (lambda: Scenario.for_operator("FIN", on="2025-13-01"), ScenarioError, "on: malformed date '2025-13-01'"),
        (lambda: Scenario.for_operator("FIN", on="yesterday"), ScenarioError, "expected YYYY-MM-DD"),
        (lambda: Scenario.for_operator("FIN", kinds=["rumour"]), ScenarioError, "unknown kind"),
    ],
)
def test_bad_operator_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_ambiguous_iata_code_asks_for_icao():
    from routes.inputs.airlines import airlines_table

    df = airlines_table()
    counts = df[df["iata"] != ""].groupby("iata")["state"].nunique()
    code = counts[counts > 1].index[0]
    with pytest.raises(UnknownOperatorError, match=r"ambiguous.*use the ICAO designator"):
        get_airline(code)


HEADER = "airspace,operators,kind,start,end,status,measure,source,source_date,url,notes\n"
GOOD = "NOR,RUS,ban,2022-02-28,,confirmed,Norwegian ban,The Local,2022-02-28,https://example.org/a,\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + GOOD, "no '# as_of"),
        ("# as_of: 2026-13-01\n" + HEADER + GOOD, "as_of: malformed date"),
        ("# as_of: 2026-01-01\nairspace,operators\n" + GOOD, "expected the columns"),
        ("# as_of: 2026-01-01\n" + HEADER + GOOD.replace("2022-02-28,,", "2022-02-30,,"), ":3: start: malformed date"),
        ("# as_of: 2026-01-01\n" + HEADER + GOOD.replace("NOR", "NRW"), ":3: airspace: unknown state code 'NRW'"),
        ("# as_of: 2026-01-01\n" + HEADER + GOOD.replace("RUS", "RUS;@XX"), "unknown group '@XX'"),
        ("# as_of: 2026-01-01\n" + HEADER + GOOD.replace(",ban,", ",rumour,"), ":3: unknown kind 'rumour'"),
        ("# as_of: 2026-01-01\n" + HEADER + GOOD.replace(",confirmed,", ",maybe,"), "unknown status 'maybe'"),
        ("# as_of: 2026-01-01\n" + HEADER + GOOD.replace("https://example.org/a", ""), "needs a source URL"),
        ("# as_of: 2026-01-01\n" + HEADER + GOOD.replace("2022-02-28,,", "2022-02-28,2022-01-01,"), "before start"),
        ("# as_of: 2026-01-01\n" + HEADER + "NOR,RUS,ban\n", ":3: 3 fields, expected 11"),
        ("# as_of: 2026-01-01\n" + HEADER, "no measures"),
    ],
)
def test_malformed_ban_table_names_the_entry(tmp_path, text, message):
    path = tmp_path / "bans.csv"
    path.write_text(text)
    with pytest.raises(BanTableError, match=message):
        load_bans(path)
    with pytest.raises(BanTableError):
        Scenario.for_operator("RUS", table=path)


def test_missing_ban_table(tmp_path):
    with pytest.raises(BanTableError, match="ban table not found"):
        load_bans(tmp_path / "nope.csv")


def test_own_table_and_toml_operator_scenarios(tmp_path):
    path = tmp_path / "bans.csv"
    path.write_text("# as_of: 2026-01-01\n" + HEADER + GOOD)
    assert Scenario.for_operator("RUS", "2022-03-01", table=path).closed_states == {"NOR"}
    (tmp_path / "mine.toml").write_text(
        '[aeroflot-2023]\nairline = "SU"\non = "2023-01-01"\nopen = ["MDA"]\n'
        '[finnair-2022]\noperator = "FIN"\non = "2022-03-01"\nclosed = ["TR"]\n'
    )
    mine = load_scenarios(tmp_path / "mine.toml")
    assert "MDA" not in mine["aeroflot-2023"].closed_states and "NOR" in mine["aeroflot-2023"].closed_states
    assert mine["aeroflot-2023"].as_of == "2023-01-01"
    assert mine["finnair-2022"].closed_states == {"RUS", "BLR", "UKR", "TUR"}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[a]\noperator = "FIN"\nextends = "europe-closed"\n', "only one of"),
        ('[a]\non = "2022-01-01"\n', "'on' needs 'operator'"),
        ('[a]\noperator = "FIN"\non = "2022-02-30"\n', "malformed date"),
        ('[a]\noperator = "ZZ"\n', "unknown operator state 'ZZ'"),
        ('[a]\nclosed = ["NOR"]\nunclear = ["SWE"]\n', "unclear code"),
        ('[a]\nas_of = "03/2022"\n', "as_of: malformed date"),
    ],
)
def test_bad_operator_toml(tmp_path, toml, message):
    (tmp_path / "bad.toml").write_text(toml)
    with pytest.raises(ScenarioError, match=message):
        load_scenarios(tmp_path / "bad.toml")


def test_operator_scenario_names():
    assert get_scenario("airline:AY@2025-06-01").closed_states == {"RUS", "BLR", "UKR"}
    assert get_scenario("operator:RUS@2021-01-01").is_open_sky
    assert get_scenario("airline:SU").name == "airline:SU"
    assert len(get_scenario("operator:FIN+firs").closed_polygons) >= 3
    with pytest.raises(UnknownOperatorError, match="unknown airline code 'ZZ'"):
        get_scenario("airline:ZZ")
    with pytest.raises(ScenarioError, match="or 'operator:FIN"):
        get_scenario("finnair")


def test_cli_lists_as_of_dates_and_takes_operator_scenarios(capsys):
    from routes.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["scenarios"])
    out = capsys.readouterr().out
    assert exc.value.code in (0, None) and "as of" in out and "2022-03-04" in out and "russian-carrier" in out
    with pytest.raises(SystemExit) as exc:
        main(["route", "SVO", "LED", "-s", "airline:AY@2025-06-01"])
    captured = capsys.readouterr()
    assert exc.value.code in (0, None) and "Russia" in captured.out + captured.err


def test_opening_the_unclear_states():
    scn = get_scenario("europe-closed")
    certain = scn.with_open(*scn.unclear)
    assert certain.unclear == frozenset() and not scn.unclear & certain.closed_states
    assert {"GBR", "NOR", "VGB"} <= certain.closed_states


def test_gibraltar_bans_landing_not_overflight():
    gib = next(b for b in TABLE.bans if b.airspace == ("GIB",))
    assert gib.kind == "landing_ban" and gib.start == date(2022, 2, 28) and gib.operators == {"RUS"}
    assert "permitted to land at Gibraltar's airport" in gib.measure
    assert "GIB" not in TABLE.closed_for("RUS", "2022-03-01")
    assert "GIB" not in Scenario.for_operator("RUS", "2022-03-01").closed_states
    assert "ESP" in TABLE.closed_for("RUS", "2022-03-01")  # the airspace round it is closed by Spain (EU)
    assert set(TABLE.landing_bans_for("RUS", "2022-03-01")) == {"GIB"}
    assert TABLE.landing_bans_for("RUS", "2022-02-27") == {} and TABLE.landing_bans_for("FIN", "2022-03-01") == {}
    with pytest.raises(ScenarioError, match=r"close airports, not airspace.*landing_bans_for"):
        TABLE.closed_for("RUS", "2022-03-01", kinds=["ban", "landing_ban"])
