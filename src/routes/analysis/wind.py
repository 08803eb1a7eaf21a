"""Wind along a route: still air (the default), an average along-track component, or a gridded
field (an xarray Dataset with eastward/northward wind ``u``/``v``, ERA5 or GFS naming).

Every model has a ``label`` that outputs carry, so still air is always stated as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from routes.errors import WindFieldError
from routes.units import KT_PER_MS

if TYPE_CHECKING:
    import xarray as xr

_LAT = ("latitude", "lat")
_LON = ("longitude", "lon")
_LEVEL = ("level", "pressure_level", "isobaricInhPa", "plev", "lev")
_TIME = ("time", "valid_time")
_U = ("u", "ugrd", "UGRD", "u_component_of_wind", "eastward_wind")
_V = ("v", "vgrd", "VGRD", "v_component_of_wind", "northward_wind")
_MS_UNITS = {"m s**-1", "m/s", "m s-1", "meter second-1", "metre second-1", "m.s-1", "ms-1", "m s^-1"}
_KT_UNITS = {"kt", "knots", "knot", "kts"}
MAX_WIND_MS = 150.0


class WindModel(Protocol):
    """What the performance model needs from a wind source."""

    label: str

    def ground_speed_kt(self, lonlat: np.ndarray, course_deg: np.ndarray, tas_kt: float, alt_ft: float) -> np.ndarray:
        """Ground speed (kt) on each segment: midpoints (lon, lat), true courses, TAS."""
        ...


def _triangle(u_kt: np.ndarray, v_kt: np.ndarray, course_deg: np.ndarray, tas_kt: float) -> np.ndarray:
    """Wind triangle: the aircraft crabs into the crosswind and keeps its track."""
    az = np.radians(course_deg)
    along = u_kt * np.sin(az) + v_kt * np.cos(az)
    cross = u_kt * np.cos(az) - v_kt * np.sin(az)
    return np.sqrt(np.maximum(tas_kt**2 - cross**2, 0.0)) + along


@dataclass(frozen=True)
class StillAir:
    """No wind."""

    label: str = "still air"

    def ground_speed_kt(self, lonlat: np.ndarray, course_deg: np.ndarray, tas_kt: float, alt_ft: float) -> np.ndarray:
        """Ground speed = TAS."""
        return np.full(len(course_deg), float(tas_kt))


@dataclass(frozen=True)
class AverageWind:
    """A constant along-track wind component, kt (positive = tailwind)."""

    component_kt: float
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", f"average wind {self.component_kt:+.0f} kt along track")

    def ground_speed_kt(self, lonlat: np.ndarray, course_deg: np.ndarray, tas_kt: float, alt_ft: float) -> np.ndarray:
        """Ground speed = TAS + component."""
        return np.full(len(course_deg), float(tas_kt) + self.component_kt)


def still_air() -> StillAir:
    """The default wind model: no wind."""
    return StillAir()


def average_wind(component_kt: float) -> AverageWind:
    """Constant along-track wind, kt (negative = headwind)."""
    return AverageWind(float(component_kt))


def _pick(names: tuple[str, ...], available: object) -> str | None:
    for n in names:
        if n in available:
            return n
    return None


@dataclass(frozen=True)
class GriddedWind:
    """Wind from a gridded field at one pressure level and time, interpolated bilinearly."""

    u: object  # xarray.DataArray (lat, lon), m/s
    v: object
    lat_name: str
    lon_name: str
    lon_min: float
    label: str

    def wind_ms(self, lonlat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Eastward and northward wind (m/s) at points (lon, lat)."""
        import xarray as xr

        lon = (lonlat[:, 0] - self.lon_min) % 360.0 + self.lon_min
        sel = {
            self.lat_name: xr.DataArray(lonlat[:, 1], dims="p"),
            self.lon_name: xr.DataArray(lon, dims="p"),
        }
        u = self.u.interp(sel, kwargs={"fill_value": None}).to_numpy()
        v = self.v.interp(sel, kwargs={"fill_value": None}).to_numpy()
        return np.nan_to_num(u), np.nan_to_num(v)

    def ground_speed_kt(self, lonlat: np.ndarray, course_deg: np.ndarray, tas_kt: float, alt_ft: float) -> np.ndarray:
        """Ground speed from the wind triangle at each segment midpoint."""
        u, v = self.wind_ms(lonlat)
        return _triangle(u * KT_PER_MS, v * KT_PER_MS, course_deg, tas_kt)


def wind_from_dataset(ds: xr.Dataset, level_hpa: float | None = None, time=None) -> GriddedWind:
    """Validate an xarray Dataset of winds and select one level and time.

    Parameters
    ----------
    ds : xarray.Dataset
        Variables ``u``/``v`` (or ``ugrd``/``vgrd``, ``u_component_of_wind`` ...) in m/s (or
        knots, converted) on ``latitude``/``longitude`` (or ``lat``/``lon``), optionally with a
        pressure level and a time dimension.
    level_hpa : float
        Pressure level to use (nearest); required when the field has several levels.
    time
        Time to use (nearest); default the first.

    Raises
    ------
    WindFieldError
        Missing variables or dimensions, unknown units, implausible magnitudes.
    """
    import xarray as xr

    if not isinstance(ds, xr.Dataset):
        raise WindFieldError(f"expected an xarray.Dataset, got {type(ds).__name__}")
    u_name, v_name = _pick(_U, ds.data_vars), _pick(_V, ds.data_vars)
    if u_name is None or v_name is None:
        raise WindFieldError(
            f"wind field needs eastward and northward wind variables (e.g. 'u' and 'v'); found {list(ds.data_vars)}"
        )
    lat_name, lon_name = _pick(_LAT, ds.dims), _pick(_LON, ds.dims)
    if lat_name is None or lon_name is None:
        raise WindFieldError(f"wind field needs 'latitude' and 'longitude' dimensions; found {list(ds.dims)}")
    u, v = ds[u_name], ds[v_name]
    level_name, time_name = _pick(_LEVEL, u.dims), _pick(_TIME, u.dims)
    extra = set(u.dims) - {lat_name, lon_name, level_name, time_name}
    if extra:
        raise WindFieldError(f"wind field has unexpected dimension(s) {sorted(extra)}")
    label = "wind field"
    if level_name is not None:
        if level_hpa is None:
            if u.sizes[level_name] > 1:
                raise WindFieldError(f"wind field has {u.sizes[level_name]} levels: pass level_hpa")
            level_hpa = float(u[level_name][0])
        u, v = u.sel({level_name: level_hpa}, method="nearest"), v.sel({level_name: level_hpa}, method="nearest")
        label += f" at {float(u[level_name]):g} hPa"
    if time_name is not None:
        pick = u[time_name][0].values if time is None else time
        u, v = u.sel({time_name: pick}, method="nearest"), v.sel({time_name: pick}, method="nearest")
        label += f", {str(u[time_name].values)[:16]}"
    scale = []
    for arr, name in ((u, u_name), (v, v_name)):
        units = str(arr.attrs.get("units", "m s**-1")).strip()
        if units in _MS_UNITS:
            scale.append(1.0)
        elif units.lower() in _KT_UNITS:
            scale.append(1.0 / KT_PER_MS)
        else:
            raise WindFieldError(f"variable {name!r} has units {units!r}; expected m/s ('m s**-1') or knots")
    u, v = (u * scale[0]).transpose(lat_name, lon_name), (v * scale[1]).transpose(lat_name, lon_name)
    peak = float(np.nanmax(np.hypot(u.to_numpy(), v.to_numpy())))
    if not np.isfinite(peak) or peak > MAX_WIND_MS:
        raise WindFieldError(f"wind speeds up to {peak:.0f} m/s are implausible: check the units")
    lons = u[lon_name].to_numpy()
    if np.ptp(lons) >= 350.0:  # global grid: pad one column so interpolation wraps around
        u = xr.concat([u, u.isel({lon_name: [0]}).assign_coords({lon_name: [lons[0] + 360.0]})], dim=lon_name)
        v = xr.concat([v, v.isel({lon_name: [0]}).assign_coords({lon_name: [lons[0] + 360.0]})], dim=lon_name)
    u, v = u.sortby(lat_name).sortby(lon_name), v.sortby(lat_name).sortby(lon_name)
    return GriddedWind(u, v, lat_name, lon_name, float(lons.min()), label)
