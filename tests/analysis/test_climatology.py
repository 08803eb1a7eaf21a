"""The packaged 200 hPa climatology against known climatology, and its periods."""

import numpy as np
import pytest

from routes.analysis import wind as wind_module
from routes.analysis.climatology import climatology
from routes.errors import ClimatologyPeriodError, RoutesError
from routes.inputs.winds import PERIODS, period_label, period_months

JAPAN_JET = np.array([[lon, lat] for lon in (130.0, 135.0, 140.0, 145.0) for lat in (30.0, 32.5, 35.0, 37.5)])


def speed(period, pts):
    u, v = climatology(period).wind_ms(pts)
    return np.hypot(u, v)


def test_january_subtropical_jet_over_japan_is_at_least_60_ms():
    assert speed(1, JAPAN_JET).max() >= 60.0
    u, _ = climatology(1).wind_ms(np.array([[140.0, 35.0]]))  # Tokyo: a westerly of ~71 m/s (~140 kt)
    assert u[0] == pytest.approx(71.4, abs=0.1)


def test_july_jet_over_japan_is_much_weaker_and_farther_north():
    assert speed(7, JAPAN_JET).max() < 0.5 * speed(1, JAPAN_JET).max()
    band = np.array([[140.0, lat] for lat in np.arange(20.0, 60.1, 2.5)])
    assert band[np.argmax(speed(7, band)), 1] > band[np.argmax(speed(1, band)), 1]


def test_winds_near_the_pole_are_weak():
    ring = np.array([[lon, 87.5] for lon in np.arange(0.0, 360.0, 10.0)])
    for month in range(1, 13):
        assert speed(month, ring).max() < 6.0


def test_the_strongest_winds_are_in_winter_and_never_implausible():
    grid = np.array([[lon, lat] for lon in np.arange(0, 360, 2.5) for lat in np.arange(-90, 90.1, 2.5)])
    peaks = {m: speed(m, grid).max() for m in range(1, 13)}
    assert max(peaks, key=peaks.get) == 1 and 70 < peaks[1] < 80
    assert max(peaks.values()) < 150


def test_seasons_and_annual_mean_average_their_months():
    pts = JAPAN_JET
    djf = np.mean([climatology(m).wind_ms(pts)[0] for m in (12, 1, 2)], axis=0)
    assert climatology("DJF").wind_ms(pts)[0] == pytest.approx(djf)
    annual = np.mean([climatology(m).wind_ms(pts)[0] for m in range(1, 13)], axis=0)
    assert climatology("annual").wind_ms(pts)[0] == pytest.approx(annual)


def test_labels_name_source_level_and_period():
    assert climatology(1).label == "NCEP/NCAR R1 200 hPa climatology, January"
    assert climatology("jja").label == "NCEP/NCAR R1 200 hPa climatology, JJA (Jun-Aug)"
    assert climatology("annual").label == "NCEP/NCAR R1 200 hPa climatology, annual mean"
    assert climatology("July").label.endswith("July")
    assert not hasattr(wind_module, "climatology")  # one public name: routes.analysis.climatology.climatology
    assert period_months("Dec") == (12,) and period_label(12) == "December" and len(PERIODS) == 17


def test_longitudes_wrap_around_the_antimeridian():
    w = climatology(1)
    east, west = w.wind_ms(np.array([[179.999, 50.0]])), w.wind_ms(np.array([[-179.999, 50.0]]))
    assert east[0] == pytest.approx(west[0], abs=0.01) and east[1] == pytest.approx(west[1], abs=0.01)


@pytest.mark.parametrize("period", [0, 13, -1, "13", "winter", "", 1.5, True, None])
def test_bad_periods_are_rejected_with_what_is_allowed(period):
    with pytest.raises(ClimatologyPeriodError, match="1-12") as info:
        climatology(period)
    assert isinstance(info.value, RoutesError)
