"""Wind along a route: still air (the default), an average along-track component, a gridded
field (an xarray Dataset with eastward/northward wind ``u``/``v``, ERA5 or GFS naming), or the
packaged climatology (`routes.analysis.climatology.climatology`: NCEP/NCAR Reanalysis 1 monthly
means at 200 hPa).

A gridded wind never falls back to still air: a route outside the field, missing values over the
route or implausible speeds raise a `routes.errors.WindFieldError` subclass.

Every model has a ``label`` that outputs carry, so still air is always stated as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np

from routes.errors import WindCoverageError, WindDataError, WindDatasetError, WindFieldError
from routes.units import KT_PER_MS

if TYPE_CHECKING:
    import xarray as xr

MAX_WIND_MS = 150.0
MAX_AVERAGE_WIND_KT = MAX_WIND_MS * KT_PER_MS
"""Largest average along-track wind accepted (kt): the same 150 m/s (~292 kt) as a gridded field's peak."""


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
        if not np.isfinite(self.component_kt) or abs(self.component_kt) > MAX_AVERAGE_WIND_KT:
            raise WindDataError(
                f"an average wind of {self.component_kt} kt is implausible: use -{MAX_AVERAGE_WIND_KT:.0f}.."
                f"{MAX_AVERAGE_WIND_KT:.0f} kt (negative = headwind)"
            )
        if not self.label:
            object.__setattr__(self, "label", f"average wind {self.component_kt:+.0f} kt along track")

    def ground_speed_kt(self, lonlat: np.ndarray, course_deg: np.ndarray, tas_kt: float, alt_ft: float) -> np.ndarray:
        """Ground speed = TAS + component."""
        return np.full(len(course_deg), float(tas_kt) + self.component_kt)


def still_air() -> StillAir:
    """The default wind model: no wind."""
    return StillAir()


def average_wind(component_kt: float) -> AverageWind:
    """Constant along-track wind, kt (negative = headwind).

    Raises
    ------
    WindFieldError
        Not a finite number, or beyond +-`MAX_AVERAGE_WIND_KT` (150 m/s, ~292 kt: no jet stream is faster).
    """
    from routes.errors import InvalidInputError
    from routes.validation import as_number

    try:
        return AverageWind(as_number(component_kt, "component_kt", low=-MAX_AVERAGE_WIND_KT, high=MAX_AVERAGE_WIND_KT))
    except InvalidInputError as exc:
        raise WindFieldError(f"average wind: {exc}") from None


@dataclass(frozen=True, eq=False)
class GriddedWind:
    """Wind on a regular latitude/longitude grid at one level and time, interpolated bilinearly.

    Parameters
    ----------
    lat_deg, lon_deg : numpy.ndarray
        Strictly ascending grid axes, degrees (at least two each). A longitude axis that spans the
        globe wraps around; any other grid is regional and covers only its own box.
    u_ms, v_ms : numpy.ndarray
        Eastward and northward wind, m/s, shape ``(len(lat_deg), len(lon_deg))``. NaN marks missing
        data: a route that needs it raises `WindDataError`.
    label : str
        What outputs call this wind (``"NCEP/NCAR R1 200 hPa climatology, January"``).

    Raises
    ------
    WindFieldError
        Axes or shapes that do not fit, fewer than 2 x 2 points.
    WindDataError
        No finite value, or speeds over `MAX_WIND_MS` (150 m/s) anywhere in the field.
    """

    lat_deg: np.ndarray
    lon_deg: np.ndarray
    u_ms: np.ndarray
    v_ms: np.ndarray
    label: str
    periodic: bool = field(init=False)
    _lon: np.ndarray = field(init=False, repr=False)
    _u: np.ndarray = field(init=False, repr=False)
    _v: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lat, lon = np.asarray(self.lat_deg, float), np.asarray(self.lon_deg, float)
        u, v = np.asarray(self.u_ms, float), np.asarray(self.v_ms, float)
        if lat.ndim != 1 or lon.ndim != 1 or len(lat) < 2 or len(lon) < 2:
            raise WindCoverageError(
                f"{self.label}: a wind field needs at least 2 x 2 grid points to interpolate between, "
                f"got {lat.size} latitude(s) x {lon.size} longitude(s)"
            )
        if u.shape != (len(lat), len(lon)) or v.shape != u.shape:
            raise WindFieldError(f"{self.label}: u and v must have shape (lat, lon) = {(len(lat), len(lon))}")
        if (np.diff(lat) <= 0).any() or (np.diff(lon) <= 0).any():
            raise WindFieldError(f"{self.label}: grid axes must be strictly ascending")
        if lat[0] < -90.0 - 1e-6 or lat[-1] > 90.0 + 1e-6 or lon[-1] - lon[0] >= 360.0:
            raise WindFieldError(f"{self.label}: latitudes must lie in -90..90 and longitudes span < 360 deg")
        speed = np.hypot(u, v)
        if not np.isfinite(speed).any():
            raise WindDataError(f"{self.label}: the wind field has no finite values")
        peak = float(np.nanmax(speed))
        if peak > MAX_WIND_MS:
            i, j = np.unravel_index(np.nanargmax(speed), speed.shape)
            raise WindDataError(
                f"{self.label}: wind speeds up to {peak:.0f} m/s (at {lat[i]:.1f}, {lon[j]:.1f}) are implausible "
                f"(the strongest jet streams reach ~{MAX_WIND_MS:.0f} m/s): check the units"
            )
        gap = lon[0] + 360.0 - lon[-1]  # the step from the last column round to the first
        periodic = bool(gap <= 1.5 * float(np.diff(lon).max()) + 1e-9)
        if periodic:  # pad one column so that interpolation wraps around
            lon, u, v = np.append(lon, lon[0] + 360.0), np.hstack([u, u[:, :1]]), np.hstack([v, v[:, :1]])
        for name, value in (("lat_deg", lat), ("periodic", periodic), ("_lon", lon), ("_u", u), ("_v", v)):
            object.__setattr__(self, name, value)

    @property
    def coverage(self) -> str:
        """The area the field covers, in words."""
        lon = "all longitudes" if self.periodic else f"lon {self._lon[0]:.1f}..{self._lon[-1]:.1f}"
        return f"lat {self.lat_deg[0]:.1f}..{self.lat_deg[-1]:.1f}, {lon}"

    def wind_ms(self, lonlat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Eastward and northward wind (m/s) at points ``lonlat`` (n, 2: lon, lat in degrees).

        A point may lie up to one grid step outside a regional field (it takes the edge value);
        farther out raises `WindCoverageError`. A point whose neighbouring grid values are missing
        raises `WindDataError`. Never a silent zero wind.
        """
        pts = np.asarray(lonlat, float).reshape(-1, 2)
        lat_ax, lon_ax = self.lat_deg, self._lon
        lat = pts[:, 1]
        lon = (pts[:, 0] - lon_ax[0]) % 360.0 + lon_ax[0]
        tol_lat, tol_lon = float(np.diff(lat_ax).max()), float(np.diff(lon_ax).max())
        if not self.periodic:  # a point just west of the first column wrapped to the far east: bring it back
            lon = np.where((lon > lon_ax[-1] + tol_lon) & (lon - 360.0 >= lon_ax[0] - tol_lon), lon - 360.0, lon)
        outside = (lat < lat_ax[0] - tol_lat) | (lat > lat_ax[-1] + tol_lat)
        outside |= (lon < lon_ax[0] - tol_lon) | (lon > lon_ax[-1] + tol_lon)
        if outside.any():
            k = int(np.argmax(outside))
            raise WindCoverageError(
                f"{self.label} covers {self.coverage}, but the route reaches {int(outside.sum())} point(s) outside "
                f"it (first at lat {pts[k, 1]:.1f}, lon {pts[k, 0]:.1f}); give a field that covers the whole route "
                "(a global field for trans-polar routes)"
            )
        lat, lon = np.clip(lat, lat_ax[0], lat_ax[-1]), np.clip(lon, lon_ax[0], lon_ax[-1])
        i = np.clip(np.searchsorted(lat_ax, lat, side="right") - 1, 0, len(lat_ax) - 2)
        j = np.clip(np.searchsorted(lon_ax, lon, side="right") - 1, 0, len(lon_ax) - 2)
        ty = (lat - lat_ax[i]) / (lat_ax[i + 1] - lat_ax[i])
        tx = (lon - lon_ax[j]) / (lon_ax[j + 1] - lon_ax[j])

        def interp(f: np.ndarray) -> np.ndarray:
            return (f[i, j] * (1 - tx) + f[i, j + 1] * tx) * (1 - ty) + (
                f[i + 1, j] * (1 - tx) + f[i + 1, j + 1] * tx
            ) * ty

        u, v = interp(self._u), interp(self._v)
        bad = ~(np.isfinite(u) & np.isfinite(v))
        if bad.any():
            k = int(np.argmax(bad))
            raise WindDataError(
                f"{self.label} has missing values (NaN) over the route at {int(bad.sum())} point(s), first at "
                f"lat {pts[k, 1]:.1f}, lon {pts[k, 0]:.1f}; fill them or give a complete field"
            )
        return u, v

    def ground_speed_kt(self, lonlat: np.ndarray, course_deg: np.ndarray, tas_kt: float, alt_ft: float) -> np.ndarray:
        """Ground speed from the wind triangle at each segment midpoint."""
        u, v = self.wind_ms(lonlat)
        return _triangle(u * KT_PER_MS, v * KT_PER_MS, np.asarray(course_deg, float), tas_kt)


def wind_from_dataset(ds: xr.Dataset, level_hpa: float | None = None, time=None) -> GriddedWind:
    """Validate an xarray Dataset of winds and select one level and time.

    Parameters
    ----------
    ds : xarray.Dataset
        Variables ``u``/``v`` (or ``ugrd``/``vgrd``, ``u_component_of_wind`` ...) in m/s (or
        knots, converted) on ``latitude``/``longitude`` (or ``lat``/``lon``), optionally with a
        pressure level and a time dimension: the schema `routes.analysis.wind_dataset.WIND_DATASET`.
    level_hpa : float
        Pressure level to use (nearest); required when the field has several levels.
    time
        Time to use (nearest); default the first.

    Raises
    ------
    WindDatasetError
        The dataset does not fit the schema (missing variables or dimensions, unknown units, values that
        are not numbers), or a level or time that cannot be selected.
    WindFieldError
        Implausible magnitudes, grids that cannot be interpolated.
    """
    from routes.analysis.wind_dataset import check_wind_dataset

    lay = check_wind_dataset(ds)
    u, v = ds[lay.u], ds[lay.v]
    label = "wind field"
    if lay.level is not None:
        u, v, level = _select_level(u, v, lay.level, level_hpa)
        label += f" at {level:g} hPa"
    if lay.time is not None:
        u, v, when = _select_time(u, v, lay.time, time)
        label += f", {when}"
    u, v = (u * lay.u_to_ms).transpose(lay.lat, lay.lon), (v * lay.v_to_ms).transpose(lay.lat, lay.lon)
    lats, lons = np.asarray(u[lay.lat].to_numpy(), float), np.asarray(u[lay.lon].to_numpy(), float)
    u, v = u.to_numpy().astype(float), v.to_numpy().astype(float)
    if not (np.isfinite(lats).all() and np.isfinite(lons).all()):
        raise WindFieldError(f"{label}: wind field coordinates must be finite numbers (degrees)")
    # sizes, missing values and implausible speeds: checked by GriddedWind, the one place for them
    if lons.size:  # longitudes relative to the first one (0..360 and -180..180 grids, or boxes across 0 or 180 deg)
        lons = (lons - lons[0]) % 360.0 + lons[0]
    lons, keep = np.unique(lons, return_index=True)  # sorted; a repeated 0/360 column kept once
    lat_order = np.argsort(lats)
    u, v = u[lat_order][:, keep], v[lat_order][:, keep]
    return GriddedWind(lats[lat_order], lons, u, v, label)


def _select_level(u: xr.DataArray, v: xr.DataArray, dim: str, level_hpa: float | None):
    """``u`` and ``v`` at the pressure level nearest ``level_hpa`` (the only one when None), and that level."""
    from routes.analysis.wind_dataset import finite_level

    if level_hpa is None:
        if u.sizes[dim] > 1:
            raise WindFieldError(f"wind field has {u.sizes[dim]} levels: pass level_hpa")
        level_hpa = float(u[dim][0])
    level = finite_level(level_hpa)
    try:
        u, v = u.sel({dim: level}, method="nearest"), v.sel({dim: level}, method="nearest")
    except (KeyError, TypeError, ValueError) as exc:  # a level axis without numbers
        raise WindDatasetError(f"wind field: cannot select level {level:g} hPa on {dim!r}: {exc}") from None
    return u, v, float(u[dim])


def _select_time(u: xr.DataArray, v: xr.DataArray, dim: str, time):
    """``u`` and ``v`` at the time nearest ``time`` (the first when None), and that time as text."""
    several = isinstance(time, list | tuple | set | frozenset | dict) or (isinstance(time, np.ndarray) and time.ndim)
    if several:
        raise WindDatasetError(f"time: expected one time (e.g. '2020-01-15T12:00'), got {time!r}")
    pick = u[dim][0].values if time is None else time
    try:
        u, v = u.sel({dim: pick}, method="nearest"), v.sel({dim: pick}, method="nearest")
    except (KeyError, TypeError, ValueError) as exc:  # a time of another kind than the axis holds
        raise WindDatasetError(f"wind field: cannot select time {time!r} on {dim!r} ({exc})") from None
    return u, v, str(u[dim].values)[:16]
