"""Climatological winds aloft shipped with the package: NCEP/NCAR Reanalysis 1 monthly long-term
means of u and v at 200 hPa (about FL385) on the 2.5 degree grid (``data/winds``, built by
``scripts/build_winds.py``; provenance and limits in ``data/winds/README.md``).

A month gives that month's mean field; a season (``"DJF"``, ``"MAM"``, ``"JJA"``, ``"SON"``) or
``"annual"`` the mean of its months' u and v. Monthly means smooth out day-to-day jet-stream
variability: the winds of a given day can be much stronger or weaker.
"""

from __future__ import annotations

import calendar
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from routes.analysis.wind import GriddedWind
from routes.errors import ClimatologyPeriodError

SOURCE = "NCEP/NCAR R1"
LEVEL_HPA = 200.0
FILE = "ncep_r1_200hpa_ltm.npz"
SEASONS = {"DJF": (12, 1, 2), "MAM": (3, 4, 5), "JJA": (6, 7, 8), "SON": (9, 10, 11), "annual": tuple(range(1, 13))}
"""Named periods and their months."""
PERIODS: tuple[int | str, ...] = (*range(1, 13), *SEASONS)
"""Every period `climatology` accepts."""


def _winds_dir() -> Path:
    """``data/winds``: inside an installed wheel (``routes/_data``) or the source checkout."""
    packaged = resources.files("routes") / "_data" / "winds"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data" / "winds"


@cache
def _load() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lat, lon, u, v): axes in degrees (lat ascending) and month x lat x lon winds in m/s."""
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
    return _months_label(period_months(period))


def _months_label(months: tuple[int, ...]) -> str:
    if len(months) == 1:
        return calendar.month_name[months[0]]
    if len(months) == 12:
        return "annual mean"
    name = next(k for k, v in SEASONS.items() if v == months)
    return f"{name} ({calendar.month_abbr[months[0]]}-{calendar.month_abbr[months[-1]]})"


@cache
def _climatology(months: tuple[int, ...]) -> GriddedWind:
    lat, lon, u, v = _load()
    idx = [m - 1 for m in months]
    label = f"{SOURCE} {LEVEL_HPA:.0f} hPa climatology, {_months_label(months)}"
    return GriddedWind(lat, lon, u[idx].mean(axis=0), v[idx].mean(axis=0), label)


def climatology(period: int | str = 1) -> GriddedWind:
    """Climatological wind at 200 hPa for a month, a season or the year (a `GriddedWind`).

    Parameters
    ----------
    period : int or str
        Month 1-12 (or ``"January"``/``"jan"``), ``"DJF"``, ``"MAM"``, ``"JJA"``, ``"SON"`` or
        ``"annual"``. Its label names it: ``"NCEP/NCAR R1 200 hPa climatology, January"``.

    Raises
    ------
    ClimatologyPeriodError
        A month outside 1-12 or an unknown period name.

    Examples
    --------
    >>> from routes.analysis.climatology import climatology
    >>> u, v = climatology(1).wind_ms(np.array([[140.0, 35.0]]))  # over Tokyo in January
    >>> round(float(u[0]))
    71
    """
    return _climatology(period_months(period))
