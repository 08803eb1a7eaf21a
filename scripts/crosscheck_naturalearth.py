"""Compare the OSM-derived sovereign airspace with Natural Earth 1:10m land + 12 nm.

Usage::

    python scripts/crosscheck_naturalearth.py [--topojson countries-10m.json]

Without ``--topojson`` it runs ``npm pack world-atlas@2.0.2``. Prints a Markdown table: area of
each source (km2), the area only one of them covers, and the Hausdorff distance between the two
outlines (km). Natural Earth measures 12 nm from its generalised coastline, OSM from the legal
baselines (straight baselines across fjords and island chains), so OSM is expected to be larger
off fjord coasts (Norway, Greenland, Canada's archipelago).
"""

from __future__ import annotations

import argparse
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pycountry
import pyogrio
import shapely

from routes import geodesy
from routes.inputs import airspace
from routes.units import KM_PER_NM

CODES = {"NOR": ["NOR", "SJM"], "FIN": ["FIN", "ALA"], "ISL": ["ISL"], "GRL": ["GRL"], "GBR": ["GBR"], "CAN": ["CAN"]}


def world_atlas(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", "world-atlas@2.0.2", "--silent"], cwd=workdir, check=True)
    with tarfile.open(next(workdir.glob("*.tgz"))) as tar:
        tar.extract("package/countries-10m.json", workdir, filter="data")
    return workdir / "package" / "countries-10m.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--topojson", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.topojson or world_atlas(Path(tmp))
        ne = pyogrio.read_dataframe(path, layer="countries")
    ne["iso_a3"] = [getattr(pycountry.countries.get(numeric=str(i)), "alpha_3", None) for i in ne["id"]]
    osm = airspace.states("full")
    print("| state | OSM airspace km2 | NE land+12nm km2 | only OSM km2 | only NE km2 | Hausdorff km |")
    print("|---|---|---|---|---|---|")
    for code, osm_codes in CODES.items():
        ne_geom = shapely.union_all(shapely.make_valid(ne.loc[ne["iso_a3"] == code].geometry.values))
        osm_geom = shapely.union_all(osm.loc[osm_codes].geometry.values)
        lon0, lat0 = geodesy.mean_direction(shapely.get_coordinates(ne_geom))
        crs = geodesy.aeqd_crs(lon0=lon0, lat0=lat0)
        a = gpd.GeoSeries([osm_geom], crs=4326).to_crs(crs).iloc[0]
        b = gpd.GeoSeries([ne_geom], crs=4326).to_crs(crs).iloc[0].buffer(12 * KM_PER_NM * 1000, quad_segs=4)
        only_a, only_b = a.difference(b).area / 1e6, b.difference(a).area / 1e6
        haus = shapely.hausdorff_distance(a.boundary, b.boundary) / 1000
        print(f"| {code} | {a.area / 1e6:,.0f} | {b.area / 1e6:,.0f} | {only_a:,.0f} | {only_b:,.0f} | {haus:,.0f} |")


if __name__ == "__main__":
    main()
