"""Gridded winds: interpolation, and bad fields that must fail loudly (never a still-air fallback)."""

import numpy as np
import pytest
import xarray as xr

from routes.analysis.performance import estimate
from routes.analysis.wind import GriddedWind, wind_from_dataset
from routes.errors import RoutesError, WindCoverageError, WindDataError, WindFieldError
from routes.routing import geodesic_route


def field(lat, lon, u=10.0, v=0.0) -> xr.Dataset:
    lat, lon = np.asarray(lat, float), np.asarray(lon, float)
    shape = (len(lat), len(lon))
    u = np.broadcast_to(u, shape).astype(float) if np.ndim(u) < 2 else np.asarray(u, float)
    v = np.broadcast_to(v, shape).astype(float)
    return xr.Dataset(
        {"u": (("latitude", "longitude"), u, {"units": "m s**-1"}), "v": (("latitude", "longitude"), v)},
        coords={"latitude": lat, "longitude": lon},
    )


GLOBAL = (np.arange(-90, 90.1, 2.5), np.arange(0, 360, 2.5))


def test_bilinear_interpolation_is_exact_for_a_linear_field():
    lat, lon = np.arange(30, 61, 5.0), np.arange(-20, 21, 5.0)
    u = 0.5 * lat[:, None] + 0.25 * lon[None, :]  # linear in lat and lon
    w = wind_from_dataset(field(lat, lon, u))
    pts = np.array([[-17.3, 31.2], [0.0, 45.0], [12.6, 58.9]])
    got, _ = w.wind_ms(pts)
    assert got == pytest.approx(0.5 * pts[:, 1] + 0.25 * pts[:, 0])


def test_minus180_180_and_0_360_grids_give_the_same_winds():
    lat = np.arange(-90, 90.1, 2.5)
    lon360, lon180 = np.arange(0, 360, 2.5), np.arange(-180, 180, 2.5)
    u360 = np.cos(np.radians(lon360))[None, :] * 20 + 0 * lat[:, None]
    u180 = np.cos(np.radians(lon180))[None, :] * 20 + 0 * lat[:, None]
    pts = np.array([[-179.0, 10.0], [-1.0, 50.0], [179.9, -10.0], [90.0, 89.0]])
    a = wind_from_dataset(field(lat, lon360, u360)).wind_ms(pts)[0]
    b = wind_from_dataset(field(lat, lon180, u180)).wind_ms(pts)[0]
    assert a == pytest.approx(b) and a[0] == pytest.approx(20 * np.cos(np.radians(-179.0)), abs=0.1)


def test_a_regional_field_across_the_antimeridian_covers_its_box():
    w = wind_from_dataset(field(np.arange(40, 71, 2.5), np.arange(160, 221, 2.5), 15.0))  # 160E..140W
    u, _ = w.wind_ms(np.array([[-170.0, 55.0], [175.0, 45.0]]))
    assert u == pytest.approx([15.0, 15.0]) and not w.periodic


def test_regional_field_over_a_trans_polar_route_is_rejected():
    europe = wind_from_dataset(field(np.arange(35, 72.6, 2.5), np.arange(-10, 40.1, 2.5)))
    svo_lax = geodesic_route("SVO", "LAX")
    with pytest.raises(WindCoverageError, match=r"covers lat 35.0..72.5, lon -10.0..40.0.*outside"):
        estimate(svo_lax, wind=europe)


def test_one_point_grid_is_rejected():
    with pytest.raises(WindCoverageError, match="at least 2 x 2 grid points"):
        wind_from_dataset(field([55.0], [37.5]))
    with pytest.raises(WindCoverageError, match="2 x 2"):
        GriddedWind(np.array([55.0]), np.array([37.5]), np.zeros((1, 1)), np.zeros((1, 1)), "one point")


def test_nan_over_the_route_is_rejected_but_nan_elsewhere_is_not():
    lat, lon = GLOBAL
    u = np.full((len(lat), len(lon)), 10.0)
    u[(lat > 60)[:, None] & ((lon > 30) & (lon < 50))[None, :]] = np.nan  # a hole over northern Russia
    w = wind_from_dataset(field(lat, lon, u))
    with pytest.raises(WindDataError, match=r"missing values \(NaN\) over the route"):
        estimate(geodesic_route("SVO", "LAX"), wind=w)
    assert estimate(geodesic_route("JFK", "LAX"), wind=w).wind.startswith("wind field")


@pytest.mark.parametrize("speed_ms", [151.0, 400.0])
def test_absurd_winds_are_rejected(speed_ms):
    with pytest.raises(WindDataError, match="implausible"):
        wind_from_dataset(field(*GLOBAL, u=speed_ms))
    lat, lon = GLOBAL
    with pytest.raises(WindDataError, match="implausible"):
        GriddedWind(lat, lon, np.full((len(lat), len(lon)), speed_ms), np.zeros((len(lat), len(lon))), "x")


def test_all_nan_field_is_rejected():
    with pytest.raises(WindDataError, match="no finite values"):
        wind_from_dataset(field(*GLOBAL, u=np.nan))


def test_wind_errors_are_routes_errors():
    for cls in (WindCoverageError, WindDataError):
        assert issubclass(cls, WindFieldError) and issubclass(cls, RoutesError)


@pytest.mark.parametrize("kt", [-400.0, 300.5, float("nan")])
def test_absurd_average_winds_are_rejected(kt):
    from routes.analysis.wind import average_wind

    bound = r"average wind: component_kt must be a finite number in \[-291\.577, 291\.577\]"  # 150 m/s
    with pytest.raises(WindFieldError, match=bound):
        average_wind(kt)
