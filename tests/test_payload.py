"""Payload-range: max payload and its binding limit, the diagram, monthly losses, the plot."""

import matplotlib

matplotlib.use("Agg")

import pytest

import routes
from routes.analysis.payload import (
    check_payload,
    max_payload,
    max_payload_at,
    payload_by_month,
    payload_range,
    structural_payload_kg,
)
from routes.analysis.performance import Assumptions, estimate, get_aircraft
from routes.errors import PayloadError


@pytest.fixture(scope="module")
def eu_ca():
    return routes.route("SVO", "LAX", "europe-canada-closed")


def test_structural_limit_binds_for_the_b77w_on_the_mission(eu_ca):
    m = max_payload(eu_ca, "B77W")
    assert m.limit == "MZFW" and m.payload_kg == 237682.0 - 167800.0 and m.within_range
    assert m.seats == 451  # the payload allows more passengers than seats: capped at the seat count
    assert m.evaluations == 1


def test_mtow_binds_for_the_a333_and_the_bound_is_tight(eu_ca):
    m = max_payload(eu_ca, "A333")
    assert m.limit == "MTOW" and m.payload_kg == pytest.approx(25711.0, rel=0.01)
    assert m.seats == 256 and m.evaluations == 3
    ok = estimate(eu_ca, "A333", Assumptions(load_factor=0.0, cargo_kg=m.payload_kg))
    over = estimate(eu_ca, "A333", Assumptions(load_factor=0.0, cargo_kg=m.payload_kg + 300.0))
    assert ok.within_range and ok.range_margin_kg < 150.0  # at most 100 kg of payload below the limit
    assert not over.within_range and over.range_limit == "MTOW"


def test_fuel_capacity_binds_for_the_b772(eu_ca):
    m = max_payload(eu_ca, "B772")
    assert m.limit == "fuel capacity" and m.payload_kg == pytest.approx(16449.0, rel=0.01)
    assert m.payload_by_limit_kg["MTOW"] > m.payload_kg


def test_mlw_binds_on_a_short_sector_when_it_is_low():
    from dataclasses import replace

    ac = replace(get_aircraft("B77W"), mlw_kg=235000.0)  # below MZFW + reserves
    m = max_payload_at(3000.0, ac)
    assert m.limit == "MLW"
    assert m.landing_mass_kg == pytest.approx(235000.0, abs=25.0)
    assert m.payload_kg == pytest.approx(235000.0 - 167800.0 - m.reserve_fuel_kg, abs=25.0)
    assert max_payload_at(3000.0, "B77W").limit == "MZFW"  # the real MLW does not bind


def test_b77w_payload_range_corners_against_the_acap_corner_weights():
    pr = payload_range("B77W")
    names = [c.name for c in pr.corners]
    assert names == ["max payload", "full tanks", "ferry"]
    top, full, ferry = pr.corners
    # ACAP-derived: max structural payload 69,853 kg (OEW 167,829), full tanks at MTOW 38,135 kg (145,570 kg fuel)
    assert top.payload_kg == pytest.approx(69853.0, rel=0.001)
    assert full.payload_kg == pytest.approx(38135.0, rel=0.05)
    assert top.range_km == pytest.approx(10548.0, rel=0.01)
    assert full.range_km == pytest.approx(14589.0, rel=0.01)  # published: 365 pax over 14,594 km (secondary)
    assert ferry.range_km == pytest.approx(15978.0, rel=0.01)
    assert pr.payload_at_kg(12000.0) == pytest.approx(
        top.payload_kg + (full.payload_kg - top.payload_kg) * 1452 / 4041, rel=0.01
    )
    assert pr.payload_at_kg(17000.0) == 0.0


def test_payload_checks():
    ac = get_aircraft("B77W")
    assert check_payload(ac, 1000) == 1000.0
    with pytest.raises(PayloadError, match="must be >= 0"):
        check_payload(ac, -5.0)
    with pytest.raises(
        PayloadError, match="above the B77W's structural limit MZFW - OEW = 237,682 - 167,800 = 69,882 kg"
    ):
        check_payload(ac, 70000.0)
    assert structural_payload_kg(get_aircraft("IL96")) == 40000.0


def test_payload_lost_by_month_and_direction(eu_ca):
    df = payload_by_month(
        {"pre-2022": routes.geodesic_route("SVO", "LAX"), "europe-canada-closed": eu_ca}, "A333", months=[1]
    )
    assert list(df["direction"]) == ["outbound", "inbound", "outbound", "inbound"]
    lost = df[df["scenario"] == "europe-canada-closed"].set_index("direction")["loss_kg"]
    assert lost["outbound"] == pytest.approx(3287.0, rel=0.03) and lost["inbound"] == pytest.approx(6090.0, rel=0.03)
    assert (df[df["scenario"] == "pre-2022"]["loss_kg"] == 0).all()


def test_payload_plot_marks_missions():
    from routes.presentation.payload_plot import plot_payload_range

    pr = payload_range("B77W")
    ax = plot_payload_range(pr, {"SVO-LAX europe-canada-closed": 10473.9})
    assert ax.get_xlabel() == "range (km, still air)"
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("SVO-LAX europe-canada-closed\n69.9 t") for t in texts)


def test_cli_payload_by_month_shows_each_month_both_ways(capsys):
    from cli_helpers import run
    from routes.fleet_feasibility import payload_loss

    code, out, _ = run(capsys, "payload", "SVO", "LAX", "-a", "A333", "-s", "europe-canada-closed", "--by-month")
    assert code == 0
    jan = next(line for line in out.splitlines() if line.startswith("│ Jan"))
    loss = payload_loss("SVO", "LAX", ["europe-canada-closed"], "A333", months=(1,))
    closed = loss[loss["scenario"] == "europe-canada-closed"].set_index("direction")
    for way in ("outbound", "inbound"):  # the table's figures are the library's: tonnes and seats lost
        r = closed.loc[way]
        assert f"{r.payload_kg / 1000:,.1f} ({-int(r.loss_seats):+d})" in jan
    assert "26.1 (-29)" in jan and "24.8 (-42)" in jan  # January: 29 seats lost westbound, 42 eastbound
    assert sum(line.startswith("│ ") for line in out.splitlines()) == 12
    code, _, err = run(capsys, "payload", "SVO", "LAX", "--month", "1", "--by-month")
    assert code == 2 and "exclude each other" in err
