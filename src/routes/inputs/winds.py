"""Climatological winds aloft shipped with the package (the data; `routes.analysis.climatology` makes
wind fields of them): NCEP/NCAR Reanalysis 1 monthly long-term means of u and v at 200 hPa (about
FL385) on the 2.5 degree grid (``data/winds``, built by ``scripts/build_winds.py``; provenance and
limits in ``data/winds/README.md``), and the periods they are averaged over.

A period is a month (1-12 or its name), a season (``"DJF"``, ``"MAM"``, ``"JJA"``, ``"SON"``) or
``"annual"``.
"""

from __future__ import annotations

import calendar
from functools import cache
from pathlib import Path

import numpy as np

from routes.errors import ClimatologyPeriodError
from routes.inputs.paths import data_dir

SOURCE = "NCEP/NCAR R1"
LEVEL_HPA = 200.0
FILE = "ncep_r1_200hpa_ltm.npz"
SEASONS = {"DJF": (12, 1, 2), "MAM": (3, 4, 5), "JJA": (6, 7, 8), "SON": (9, 10, 11), "annual": tuple(range(1, 13))}
"""Named periods and their months."""
PERIODS: tuple[int | str, ...] = (*range(1, 13), *SEASONS)
"""Every period `climatology` accepts."""


def _winds_dir() -> Path:
    """``data/winds`` (`routes.inputs.paths.data_dir`: the installed wheel's or the source checkout's)."""
    return data_dir() / "winds"


@cache
def monthly_means() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The packaged monthly mean winds: (lat, lon, u, v).

    Returns
    -------
    lat, lon : numpy.ndarray
        Grid axes in degrees, latitude ascending (-90..90), longitude 0..357.5.
    u, v : numpy.ndarray
        Eastward and northward wind in m/s, month (January first) x lat x lon.
    """
    with np.load(_winds_dir() / FILE, allow_pickle=False) as d:
        scale = float(d["scale_ms"])
        return d["lat"], d["lon"], d["u"] * scale, d["v"] * scale


def period_months(period: int | str) -> tuple[int, ...]:
    """The months (1-12) of a period: a month number, a season code or ``"annual"``.

    Raises
    ------
    ClimatologyPeriodError
        A month outside 1-12 or an unknown name.
    """
    if isinstance(period, (int, np.integer)) and not isinstance(period, bool):
        if 1 <= int(period) <= 12:
            return (int(period),)
        raise ClimatologyPeriodError(f"month must be 1-12 (January = 1), got {period}")
    if isinstance(period, str):
        key = period.strip()
        match = {k.lower(): k for k in SEASONS}.get(key.lower())
        if match is not None:
            return SEASONS[match]
        if key.isdigit() and 1 <= int(key) <= 12:
            return (int(key),)
        names = {calendar.month_name[m].lower(): m for m in range(1, 13)}
        names |= {calendar.month_abbr[m].lower(): m for m in range(1, 13)}
        if key.lower() in names:
            return (names[key.lower()],)
    raise ClimatologyPeriodError(
        f"unknown climatology period {period!r}: use a month 1-12 (or its name), "
        f"a season {', '.join(k for k in SEASONS if k != 'annual')}, or 'annual'"
    )


def period_label(period: int | str) -> str:
    """``January``, ``DJF (Dec-Feb)``, ``annual mean``."""
    return months_label(period_months(period))


def months_label(months: tuple[int, ...]) -> str:
    """Label of a tuple of months: ``January``, ``DJF (Dec-Feb)``, ``annual mean``."""
    if len(months) == 1:
        return calendar.month_name[months[0]]
    if len(months) == 12:
        return "annual mean"
    name = next(k for k, v in SEASONS.items() if v == months)
    return f"{name} ({calendar.month_abbr[months[0]]}-{calendar.month_abbr[months[-1]]})"
