"""Wind fields of the climatological winds aloft shipped with the package (`routes.inputs.winds`:
NCEP/NCAR Reanalysis 1 monthly long-term means of u and v at 200 hPa, about FL385, on the 2.5
degree grid).

A month gives that month's mean field; a season (``"DJF"``, ``"MAM"``, ``"JJA"``, ``"SON"``) or
``"annual"`` the mean of its months' u and v. Monthly means smooth out day-to-day jet-stream
variability: the winds of a given day can be much stronger or weaker.
"""

from __future__ import annotations

from functools import cache

from routes.analysis.wind import GriddedWind
from routes.inputs.winds import LEVEL_HPA, SOURCE, monthly_means, months_label, period_months


@cache
def _climatology(months: tuple[int, ...]) -> GriddedWind:
    lat, lon, u, v = monthly_means()
    idx = [m - 1 for m in months]
    label = f"{SOURCE} {LEVEL_HPA:.0f} hPa climatology, {months_label(months)}"
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
    >>> import numpy as np
    >>> from routes.analysis.climatology import climatology
    >>> u, v = climatology(1).wind_ms(np.array([[140.0, 35.0]]))  # over Tokyo in January
    >>> round(float(u[0]))
    71
    """
    return _climatology(period_months(period))
