"""Regenerate ``data/basemap/land_50m.parquet``: Natural Earth 1:50m land for maps.

Usage::

    python scripts/build_basemap.py [--topojson land-50m.json]

Without ``--topojson`` it runs ``npm pack world-atlas@2.0.2`` (Natural Earth data, public domain,
converted to TopoJSON by Mike Bostock's world-atlas, ISC licence). GDAL's TopoJSON driver reads it.
"""

from __future__ import annotations

import argparse
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

OUT = Path(__file__).resolve().parents[1] / "data" / "basemap" / "land_50m.parquet"


SLIVER_DEG = 0.02


def remove_slivers(poly: shapely.Polygon) -> shapely.Geometry:
    """Drop hair-thin slivers (~0.015 deg wide, tens of degrees long) that GDAL's TopoJSON
    reading leaves where arcs cross the antimeridian (around Fiji, 16.5 S); they would draw as
    lines across maps.

    A morphological opening removes them; it is used only where it shrinks the polygon's
    longitude extent by more than 5 deg, and what the opening shaved off elsewhere (narrow
    peninsulas, pieces under 2 deg of longitude) is put back.
    """
    opened = poly.buffer(-SLIVER_DEG, quad_segs=2).buffer(SLIVER_DEG, quad_segs=2)
    width = poly.bounds[2] - poly.bounds[0]
    new_width = (opened.bounds[2] - opened.bounds[0]) if not opened.is_empty else 0.0
    if width - new_width > 5.0:
        shaved = shapely.get_parts(poly.difference(opened))
        return shapely.union_all([opened, *(p for p in shaved if p.bounds[2] - p.bounds[0] < 2.0)])
    return poly


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--topojson", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.topojson
        if path is None:
            subprocess.run(["npm", "pack", "world-atlas@2.0.2", "--silent"], cwd=tmp, check=True)
            with tarfile.open(next(Path(tmp).glob("*.tgz"))) as tar:
                tar.extract("package/land-50m.json", tmp, filter="data")
            path = Path(tmp) / "package" / "land-50m.json"
        land = pyogrio.read_dataframe(path, layer="land")
    # make_valid gives a GeometryCollection (MultiPolygon + slivers): flatten twice
    parts = shapely.get_parts(shapely.get_parts(shapely.make_valid(land.geometry.values)))
    parts = [p for p in parts if p.geom_type == "Polygon"]
    cleaned = [remove_slivers(p) for p in parts]
    out = gpd.GeoDataFrame(geometry=[p for p in cleaned if not p.is_empty], crs="EPSG:4326")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    out.to_parquet(OUT, compression="zstd", index=False)
    print(f"{len(out)} polygons, {int(shapely.get_num_coordinates(out.geometry).sum())} coordinates -> {OUT}")


if __name__ == "__main__":
    main()
