"""The assumptions register: every default with a source or a stated convention, and a range that holds it."""

import textwrap

import pytest

from routes.errors import RegisterError, RoutesError
from routes.inputs.register import STATUSES, assumption_register, default, packaged_register_path, read_register

HEAD = '[x]\nvalue = 1.0\nunit = "kg"\nlow = 0.0\nhigh = 2.0\nvary = false\nused_by = ["m"]\n'
GOOD_SOURCE = """
[[x.sources]]
document = "A document"
publisher = "A publisher"
date = "2025-01-01"
url = "https://example.org/a"
status = "primary"
"""


def _write(tmp_path, text):
    path = tmp_path / "register.toml"
    path.write_text(textwrap.dedent(text))
    return path


def test_the_packaged_register_is_complete_and_sourced():
    reg = assumption_register()
    assert read_register(packaged_register_path()).keys() == reg.keys()  # it fits the schema (read trusting)
    assert len(reg) >= 15
    for entry in reg.values():
        assert entry.sources or entry.convention, entry.name
        assert all(s.status in STATUSES and s.url.startswith("http") for s in entry.sources), entry.name
        if not isinstance(entry.value, str):
            assert entry.low <= entry.value <= entry.high, entry.name
    # the headline defaults, as documented
    assert (default("load_factor"), default("pax_mass_kg"), default("kg_co2_per_kg_fuel")) == (0.8, 100.0, 3.16)
    assert (reg["taxi_out_min"].low, reg["taxi_out_min"].high) == (10.0, 30.0)
    assert reg["alternate_nm"].basis == "primary" and reg["alternate_nm"].convention  # a convention with a rule cited
    assert reg["route_factor"].basis == "convention"
    assert {e.name for e in reg.varied()} >= {"load_factor", "fuel_price_usd_per_bbl", "taxi_out_min"}
    assert "flights_per_week" not in {e.name for e in reg.varied()}  # a setting, not an uncertainty


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            '[x]\nvalue = 1.0\nunit = "kg"\nlow = 0.0\nhigh = 2.0\nvary = false\nused_by = ["m"]\n',
            "needs at least one source or a 'convention'",
        ),
        (
            '[x]\nvalue = 3.0\nunit = "kg"\nlow = 0.0\nhigh = 2.0\nvary = false\nused_by = ["m"]\nconvention = "c"\n',
            "does not contain the value 3",
        ),
        ('[x]\nvalue = 1.0\nunit = "kg"\nvary = false\nused_by = ["m"]\nconvention = "c"\n', "needs a plausible range"),
        (
            HEAD + 'convention = "c"\ncolour = 1\n',
            "colour: unknown key (got 1); allowed: value, unit",  # schema.describe names the allowed keys
        ),
        (
            HEAD.replace("value = 1.0", 'value = "rule"') + 'convention = "c"\n',
            "a rule (text value) takes no low/high",
        ),
        (
            '[x]\nvalue = 1.0\nunit = "kg"\nlow = 0.0\nhigh = 2.0\nvary = true\nused_by = ["m"]\n' + GOOD_SOURCE,
            "needs a range_note",
        ),
        (
            '[x]\nvalue = 1.0\nunit = "kg"\nlow = 0.0\nhigh = 2.0\nvary = false\nused_by = "m"\nconvention = "c"\n',
            "used_by: input should be a valid list",
        ),
        (
            '[x]\nvalue = 1.0\nunit = "kg"\nlow = 0.0\nhigh = 2.0\nvary = false\nused_by = ["m"]\n'
            + GOOD_SOURCE.replace("https://example.org/a", "example.org"),
            "sources[0].url",
        ),
        (
            '[x]\nvalue = 1.0\nunit = "kg"\nlow = 0.0\nhigh = 2.0\nvary = false\nused_by = ["m"]\n'
            + GOOD_SOURCE.replace('"primary"', '"blog"'),
            "sources[0].status",
        ),
        ("[x\n", "cannot read the assumptions register"),
        ('as_of = "2026-01-01"\n', "has no entries"),
    ],
)
def test_bad_registers_name_the_entry(tmp_path, text, fragment):
    with pytest.raises(RegisterError) as info:
        read_register(_write(tmp_path, text))
    assert fragment in str(info.value)
    if "[x]" in text and "cannot read" not in fragment:
        assert "[x]" in str(info.value)  # names the entry
    assert isinstance(info.value, RoutesError)


def test_a_good_register_and_unknown_names(tmp_path):
    reg = read_register(
        _write(
            tmp_path, '[x]\nvalue = 1\nunit = "kg"\nlow = 0\nhigh = 2\nvary = false\nused_by = ["m"]\n' + GOOD_SOURCE
        )
    )
    assert reg.value("x") == 1.0 and reg["x"].basis == "primary" and reg["x"].sources[0].cite().endswith("/a")
    with pytest.raises(RegisterError, match=r"no assumption 'y' in the register .* it has: x"):
        reg["y"]
    with pytest.raises(RegisterError, match="is a rule"):
        assumption_register().value("high_seas_charging")


def test_models_read_their_defaults_from_the_register():
    from dataclasses import fields

    from routes.analysis.performance import Assumptions
    from routes.inputs.stopdata import technical_stop_ground_time

    a = Assumptions()
    reg = assumption_register()
    in_register = [f.name for f in fields(Assumptions) if f.name in reg]
    assert len(in_register) == 9  # every numeric default of the performance model
    for name in in_register:
        assert getattr(a, name) == reg.value(name), name
    assert technical_stop_ground_time().minutes == reg.value("tech_stop_ground_min")
    for entry in reg.values():  # every entry names the code that reads it
        assert entry.used_by and all(u.startswith("routes.") for u in entry.used_by), entry.name


def test_the_time_cost_entries_are_the_cost_data_of_the_b777_300er():
    """The cost model reads data/charges/economics.toml; the register gives those figures their ranges."""
    from routes.analysis.performance import get_aircraft
    from routes.inputs.costdata import load_cost_rates

    rates, reg = load_cost_rates(), assumption_register()
    hourly, _ = rates.hourly_for(get_aircraft("B77W").mtow_kg / 1000.0)
    assert reg.value("crew_usd_per_bh") == hourly.flight_crew_usd_per_bh + hourly.cabin_crew_usd_per_bh == 1943.0
    assert reg.value("maintenance_usd_per_bh") == hourly.maintenance_usd_per_bh == 1376.0
    assert reg.value("ownership_usd_per_bh") == round(rates.ownership_for("B77W").usd_per_bh) == 1907.0
    assert reg.value("fuel_price_usd_per_bbl") == rates.fuel_price_usd_per_bbl
    cpi = 315.605 / 210.228  # US CPI-U, December 2024 over December 2008 (BLS)
    assert reg["maintenance_usd_per_bh"].high == round(1376.0 * cpi)
    assert reg["crew_usd_per_bh"].high == round(1043.0 * cpi * 1.5 + 1200.0)
    assert {"crew_usd_per_bh", "maintenance_usd_per_bh", "ownership_usd_per_bh"} <= {e.name for e in reg.varied()}
