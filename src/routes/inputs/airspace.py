"""Sovereign-airspace polygons (land + 12 nm territorial sea) shipped in ``data/airspace``.

Two resolutions of the same OpenStreetMap-derived data (see ``data/airspace/README.md``):

* ``"full"``: boundaries within ~0.8 km outside the source; used for overflight analysis and for
  the independent check of every route.
* ``"routing"``: a coarser superset (within ~5 km outside the source); the engine's obstacles.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import shapely

from routes.errors import ScenarioError
from routes.inputs.paths import data_dir

if TYPE_CHECKING:
    import geopandas as gpd

Resolution = Literal["full", "routing"]
_FILES = {"full": "sovereign_airspace.parquet", "routing": "sovereign_airspace_routing.parquet"}
_EXTRA_NAMES = {"XKX": "Kosovo"}


@cache
def states(resolution: Resolution = "full") -> gpd.GeoDataFrame:
    """All states' sovereign airspace: columns ``iso_a3``, ``name``, ``geometry`` (EPSG:4326)."""
    if resolution not in _FILES:
        raise ValueError(f"resolution must be 'full' or 'routing', not {resolution!r}")
    import geopandas as gpd  # ~0.5 s: only when the polygons themselves are needed

    gdf = gpd.read_parquet(data_dir() / "airspace" / _FILES[resolution])
    names = _iso_tables()[1]
    gdf["name"] = [_EXTRA_NAMES.get(c) or names.get(c, c) for c in gdf["iso_a3"]]
    return gdf.set_index("iso_a3", drop=False)


def _iso_tables() -> tuple[dict[str, str], dict[str, str]]:
    """pycountry's ISO 3166-1 alpha-2 -> alpha-3 codes, and alpha-3 -> English short name (common name first)."""
    import pycountry

    countries = list(pycountry.countries)
    alpha3 = {c.alpha_2: c.alpha_3 for c in countries}
    return alpha3, {c.alpha_3: getattr(c, "common_name", None) or c.name for c in countries}


def _summary_build() -> dict[str, Any]:
    gdf = states("routing")
    areas = dict(zip(gdf["iso_a3"], shapely.area(gdf.geometry.values).tolist(), strict=True))  # deg2: ranks only
    alpha3, names = _iso_tables()
    return {"codes": frozenset(gdf["iso_a3"]), "areas": areas, "alpha3": alpha3, "names": names}


def _pycountry_database() -> Path:
    """pycountry's ISO 3166-1 database: the source of `_summary`'s codes and names."""
    import importlib.util

    return Path(importlib.util.find_spec("pycountry").origin).parent / "databases" / "iso3166-1.json"


@cache
def _summary() -> dict[str, Any]:
    """The codes and areas of the routing layer's states, and ISO 3166-1 alpha-2 -> alpha-3 codes and names
    (pycountry's): small, kept in the disk cache, so that checking a code or ranking overlaps reads neither the
    polygons nor pycountry (~0.1 s with its database)."""
    from routes.diskcache import DiskCache, fingerprint

    files = [data_dir() / "airspace" / _FILES["routing"], Path(__file__), _pycountry_database()]
    version = fingerprint(files, shapely.__version__)
    return DiskCache("airspace", version).get("summary", _summary_build)


def known_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes present in the airspace data."""
    return _summary()["codes"]


def state_name(iso_a3: str) -> str:
    """English short name of a state or territory."""
    if iso_a3 in _EXTRA_NAMES:
        return _EXTRA_NAMES[iso_a3]
    return _summary()["names"].get(iso_a3, iso_a3)


def alpha3(alpha2: str) -> str:
    """The ISO 3166-1 alpha-3 code of an alpha-2 code (any case; ISO's, from pycountry), or "" for none."""
    return _summary()["alpha3"].get(str(alpha2).strip().upper(), "") if alpha2 else ""


def normalize_code(code: str) -> str:
    """ISO alpha-3 code for an alpha-3 or alpha-2 code (case-insensitive).

    Raises
    ------
    ScenarioError
        The code names no state in the airspace data.
    """
    text = str(code).strip().upper()
    if len(text) == 2:
        text = alpha3(text) or {"XK": "XKX"}.get(text, text)
    if text not in known_codes():
        raise ScenarioError(
            f"unknown state code {code!r}: use an ISO 3166-1 alpha-3 (or alpha-2) code of a state "
            "in the airspace data, e.g. 'CAN' or 'NO'"
        )
    return text


def _areas() -> dict[str, float]:
    return _summary()["areas"]


def most_specific(codes: list[str]) -> str:
    """Among overlapping states, the one with the smallest area.

    OpenStreetMap's Norway contains Svalbard and Jan Mayen (also mapped as SJM); this prefers
    SJM there. Ties keep the first code.
    """
    areas = _areas()
    return min(codes, key=lambda c: areas.get(c, float("inf")))


def states_at(
    *, lon: float, lat: float, codes: frozenset[str] | None = None, resolution: Resolution = "full"
) -> list[str]:
    """ISO codes of the states (optionally only among ``codes``) whose airspace holds the point (keyword-only, degrees).

    Examples
    --------
    >>> states_at(lon=37.41, lat=55.97)
    ['RUS']
    """
    gdf = states(resolution)
    if codes is not None:
        gdf = gdf.loc[sorted(codes)]
    hit = shapely.contains_xy(gdf.geometry.values, lon, lat)
    return list(gdf["iso_a3"].values[hit])
