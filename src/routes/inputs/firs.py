"""Flight information regions (optional layer): avoid a closed state's FIRs, not only its sovereign airspace.

``data/airspace/firs.geojson`` holds the FIR outlines of Russia, Belarus and Ukraine from the VATSIM VAT-Spy
Data Project (CC BY-SA 4.0; see ``scripts/build_firs.py``). In 2022 EU carriers also kept out of the high-seas
parts of Russia's FIRs over the Arctic Ocean and the North Pacific, where they would need Russian air traffic
services; `routes.Scenario.with_firs` adds those areas to a scenario's closed polygons.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import shapely

from routes.inputs.airspace import data_dir

if TYPE_CHECKING:
    import geopandas as gpd


@cache
def fir_layer() -> gpd.GeoDataFrame:
    """The FIR outlines: columns ``fir``, ``state`` (ISO alpha-3), ``source``, ``geometry`` (EPSG:4326)."""
    import geopandas as gpd  # only for scenarios that avoid FIRs

    return gpd.read_file(data_dir() / "airspace" / "firs.geojson")


def fir_states() -> frozenset[str]:
    """States whose FIRs the layer has."""
    return frozenset(fir_layer()["state"])


def fir_area(states: frozenset[str] | set[str]) -> shapely.Geometry | None:
    """Union of the FIRs of ``states`` (lon/lat), or None when the layer has none of them."""
    df = fir_layer()
    chosen = df[df["state"].isin(sorted(states))]
    if chosen.empty:
        return None
    return shapely.union_all(chosen.geometry.to_numpy())
