"""The declared schema of a gridded wind dataset (an xarray Dataset), checked in one place.

The other user formats are pydantic models (`routes.schema`); a wind dataset is not: pydantic checks
mappings of Python values, while a dataset's contract is about arrays: which of several names the wind
components carry (ERA5, GFS, CF), which dimensions they span, their dtype and their ``units`` attribute.
`WindDatasetSchema` declares those names and units; `check_wind_dataset` checks a dataset against it
before a single value is read, and raises `WindDatasetError` (a `WindFieldError` and a `SchemaError`)
naming the variable or dimension and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from routes.errors import WindDatasetError
from routes.units import KT_PER_MS

if TYPE_CHECKING:
    import xarray as xr


@dataclass(frozen=True)
class WindDatasetSchema:
    """The names and units a wind dataset may use (the first name found wins).

    Attributes
    ----------
    u, v : tuple of str
        Names of the eastward and northward wind variables.
    lat, lon : tuple of str
        Names of the latitude and longitude dimensions (with numeric coordinates, degrees).
    level, time : tuple of str
        Names of the optional pressure-level and time dimensions.
    ms_units, kt_units : frozenset of str
        ``units`` attributes read as m/s and as knots (compared lower-case); a variable without
        ``units`` is taken as m/s.
    """

    u: tuple[str, ...] = ("u", "ugrd", "UGRD", "u_component_of_wind", "eastward_wind")
    v: tuple[str, ...] = ("v", "vgrd", "VGRD", "v_component_of_wind", "northward_wind")
    lat: tuple[str, ...] = ("latitude", "lat")
    lon: tuple[str, ...] = ("longitude", "lon")
    level: tuple[str, ...] = ("level", "pressure_level", "isobaricInhPa", "plev", "lev")
    time: tuple[str, ...] = ("time", "valid_time")
    ms_units: frozenset[str] = frozenset(
        {"m s**-1", "m/s", "m s-1", "meter second-1", "metre second-1", "m.s-1", "ms-1", "m s^-1"}
    )
    kt_units: frozenset[str] = frozenset({"kt", "knots", "knot", "kts"})


WIND_DATASET = WindDatasetSchema()
"""The schema `routes.analysis.wind.wind_from_dataset` checks against."""


@dataclass(frozen=True)
class WindLayout:
    """Where a checked dataset keeps its wind: variable and dimension names, and the factors to m/s."""

    u: str
    v: str
    lat: str
    lon: str
    level: str | None
    time: str | None
    u_to_ms: float
    v_to_ms: float


def _pick(names: tuple[str, ...], available: Any) -> str | None:
    return next((n for n in names if n in available), None)


def _to_ms(ds: xr.Dataset, name: str, schema: WindDatasetSchema) -> float:
    """The factor from a variable's units to m/s."""
    units = ds[name].attrs.get("units", "m s**-1")
    if not isinstance(units, str):
        raise WindDatasetError(f"variable {name!r}: the units attribute must be text, got {units!r}")
    if units.strip() in schema.ms_units or units.strip().lower() in schema.ms_units:
        return 1.0
    if units.strip().lower() in schema.kt_units:
        return 1.0 / KT_PER_MS
    raise WindDatasetError(f"variable {name!r} has units {units!r}; expected m/s ('m s**-1') or knots")


def _check_variable(ds: xr.Dataset, name: str, lat: str, lon: str, allowed: set[str | None]) -> None:
    arr = ds[name]
    if arr.dtype.kind not in "iuf":  # not bool, complex, text, dates or objects
        raise WindDatasetError(f"variable {name!r} holds {arr.dtype} values; expected real numbers (m/s or knots)")
    if lat not in arr.dims or lon not in arr.dims:
        raise WindDatasetError(f"variable {name!r} spans {list(arr.dims)}; expected {lat!r} and {lon!r} among them")
    if extra := set(arr.dims) - allowed:
        raise WindDatasetError(f"variable {name!r} has unexpected dimension(s) {sorted(map(str, extra))}")
    if empty := [str(d) for d in arr.dims if arr.sizes[d] == 0]:
        raise WindDatasetError(f"variable {name!r} has no values along {empty}")


def _check_axis(ds: xr.Dataset, dim: str) -> None:
    if dim not in ds.coords:
        raise WindDatasetError(f"dimension {dim!r} has no coordinate values; expected degrees")
    if ds[dim].ndim != 1 or ds[dim].dtype.kind not in "iuf":
        raise WindDatasetError(f"coordinate {dim!r} holds {ds[dim].dtype} values; expected numbers (degrees)")


def check_wind_dataset(ds: Any, schema: WindDatasetSchema = WIND_DATASET) -> WindLayout:
    """Check a wind dataset against ``schema`` and say where its wind is.

    Raises
    ------
    WindDatasetError
        Not a Dataset; no wind variables; variables that do not span latitude and longitude, span other
        dimensions, hold no numbers or have unknown units; axes without numeric coordinates.
    """
    import xarray as xr

    if not isinstance(ds, xr.Dataset):
        raise WindDatasetError(f"expected an xarray.Dataset, got {type(ds).__name__}")
    u, v = _pick(schema.u, ds.data_vars), _pick(schema.v, ds.data_vars)
    if u is None or v is None:
        raise WindDatasetError(
            f"wind field needs eastward and northward wind variables (e.g. 'u' and 'v'); found {list(ds.data_vars)}"
        )
    lat, lon = _pick(schema.lat, ds.dims), _pick(schema.lon, ds.dims)
    if lat is None or lon is None:
        raise WindDatasetError(f"wind field needs 'latitude' and 'longitude' dimensions; found {list(ds.dims)}")
    level, time = _pick(schema.level, ds[u].dims), _pick(schema.time, ds[u].dims)
    for name in (u, v):
        _check_variable(ds, name, lat, lon, {lat, lon, level, time})
    if set(ds[u].dims) != set(ds[v].dims):
        raise WindDatasetError(f"variables {u!r} and {v!r} span different dimensions: {ds[u].dims} and {ds[v].dims}")
    for dim in (lat, lon):
        _check_axis(ds, dim)
    return WindLayout(u, v, lat, lon, level, time, _to_ms(ds, u, schema), _to_ms(ds, v, schema))


def finite_level(level_hpa: Any) -> float:
    """A pressure level asked for, hPa: a number in (0, 1100].

    Raises
    ------
    WindDatasetError
        Not a number, or outside (0, 1100] hPa.
    """
    if isinstance(level_hpa, bool) or not isinstance(level_hpa, int | float | np.integer | np.floating):
        raise WindDatasetError(f"level_hpa: expected a pressure in hPa (a number), got {level_hpa!r}")
    if not 0 < float(level_hpa) <= 1100:
        raise WindDatasetError(f"level_hpa: expected a pressure in (0, 1100] hPa, got {level_hpa!r}")
    return float(level_hpa)
