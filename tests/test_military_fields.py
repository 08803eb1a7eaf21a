"""Military-only fields are not civil alternates (issue 26): the patterns, keywords, links and curated
overrides of ``scripts/build_alternates.py`` against the fields a fact check found listed as civil."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from routes.analysis.diversion import alternates_table, usable_alternates
from routes.inputs.airspace import data_dir
from routes.inputs.scenarios import get_scenario

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_alternates.py"

FOUND_MILITARY = {
    "KHRT": "Hurlburt Field",
    "KNKT": "Cherry Point MCAS /Cunningham Field/",
    "KNBC": "Beaufort MCAS - Merritt Field",
    "KNID": "China Lake Naws (Armitage Field) Airport",
    "KNJK": "El Centro NAF Airport (Vraciu Field)",
    "KMMT": "Mc Entire Joint National Guard Base",
    "KVOK": "Volk Field",
    "KXMR": "Cape Canaveral AFS Skid Strip",
    "OAIX": "Bagram Airfield",
    "YAMB": "RAAF Base Amberley",
    "YCIN": "RAAF Base Curtin",
    "YPED": "RAAF Base Edinburgh",
    "EGQL": "Leuchars Station Airfield",
    "EFHA": "Halli Airport",
    "EFKA": "Kauhava Airfield",
    # found by the same rules
    "KHST": "Homestead ARB Airport",
    "KNFG": "Camp Pendleton MCAS (Munn Field) Airport",
    "PHNG": "Kaneohe Bay MCAS (Marion E. Carl Field) Airport",
    "KPOB": "Pope Field",
    "KEGI": "Duke Field",
    "NZOH": "RNZAF Base Ohakea",
    "EGDM": "MoD Boscombe Down Airport",
}
STATION_LIKE_CIVIL = {
    "KNYL": "Yuma International Airport / Marine Corps Air Station Yuma",
    "VAPO": "Pune Airport / Lohagaon Air Force Station",
    "RJOI": "Iwakuni Kintaikyo Airport / Marine Corps Air Station Iwakuni",
    "RPLB": "Subic Bay International Airport / Naval Air Station Cubi Point",
    "YPDN": "Darwin International Airport / RAAF Darwin",
    "KBFI": "Boeing Field King County International Airport",
    "KPAE": "Snohomish County (Paine Field) Airport",
    "PHJR": "Kalaeloa Airport",  # former NAS Barbers Point: civil by override
    "EDDF": "Frankfurt Airport",  # keyword "Rhein-Main Air Base": a former name, scheduled service
}


@pytest.fixture(scope="module")
def alternates():
    return alternates_table().set_index("ident")


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("build_alternates", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_fields_found_are_military(alternates):
    rows = alternates.loc[list(FOUND_MILITARY)]
    assert rows["name"].to_dict() == FOUND_MILITARY
    assert rows["military"].all()
    assert rows.loc["KHRT", "military_basis"] == "override"  # no pattern can tell Hurlburt Field
    assert rows.loc[["KNKT", "KNID", "KNJK", "KMMT", "KXMR", "YAMB", "EGQL"], "military_basis"].eq("name").all()
    assert rows.loc[["EFHA", "EFKA", "OAIX"], "military_basis"].eq("keywords").all()
    assert rows.loc["KVOK", "military_basis"] == "link"  # volkfield.ang.af.mil
    civil = set(usable_alternates(get_scenario("pre-2022"))["ident"])
    assert not civil & set(FOUND_MILITARY)


def test_station_like_civil_names_stay_civil(alternates):
    rows = alternates.loc[list(STATION_LIKE_CIVIL)]
    assert rows["name"].to_dict() == STATION_LIKE_CIVIL
    assert not rows["military"].any()


def test_military_count_and_bases_elsewhere(alternates):
    assert int(alternates["military"].sum()) == 416
    assert alternates.loc[["BGTL", "PAEI", "PAFB"], "military"].all()  # Thule, Eielson, Ladd (by name, as before)


def test_override_file_is_complete_and_applied(alternates):
    with (data_dir() / "military_override.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    assert {r["ident"] for r in rows} >= {"KHRT", "PHJR", "CN-0091"}
    for r in rows:
        assert r["military"] in ("0", "1") and r["reason"] and r["source"], r["ident"]
        assert bool(alternates.loc[r["ident"], "military"]) == (r["military"] == "1"), r["ident"]
        assert alternates.loc[r["ident"], "military_basis"] == "override"


def test_rules_on_made_up_rows(script, tmp_path):
    base = {"ident": "XX", "name": "", "scheduled_service": "no", "keywords": "", "home_link": ""}

    def military(**kw):
        return script._military(base | kw, {})

    assert military(name="Somewhere NAF Airport") == (True, "name")
    assert military(name="Leuchars Station Airfield") == (True, "name")
    assert military(name="X Airport", keywords="X Air Base") == (True, "keywords")
    assert military(name="X Airport", keywords="X Air Base", scheduled_service="yes") == (False, "")
    assert military(name="Volk Field", home_link="http://www.volkfield.ang.af.mil/") == (True, "link")
    assert military(name="Town Field", home_link="https://town.example.com/mil/") == (False, "")
    assert military(name="Y International Airport / Y Air Force Station") == (False, "")
    assert military(name="Thule Air Base", scheduled_service="yes") == (True, "name")
    bad = tmp_path / "o.csv"
    bad.write_text("ident,name,military,reason,source\nKHRT,Hurlburt Field,1,,\n")
    with pytest.raises(ValueError, match=r"KHRT.*reason"):
        script.read_overrides(bad)
