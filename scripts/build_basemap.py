"""Regenerate ``data/basemap/land_50m.parquet``: Natural Earth 1:50m land for maps.

Usage::

    python scripts/build_basemap.py [--topojson land-50m.json]

Without ``--topojson`` it runs ``npm pack world-atlas@2.0.2`` (Natural Earth data, public domain,
converted to TopoJSON by Mike Bostock's world-atlas, ISC licence), decoded here: GDAL's TopoJSON
driver reads rings that cross the antimeridian as planar rings spanning 360 deg, which filled whole
latitude bands with false land.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

OUT = Path(__file__).resolve().parents[1] / "data" / "basemap" / "land_50m.parquet"


def _arcs(topo: dict) -> list[np.ndarray]:
    """Decode TopoJSON's delta-encoded, quantised arcs to lon/lat arrays."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        xy = np.cumsum(np.asarray(arc, float), axis=0)
        out.append(np.column_stack([xy[:, 0] * sx + tx, xy[:, 1] * sy + ty]))
    return out


def _ring(arcs: list[np.ndarray], ids: list[int]) -> np.ndarray:
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in ids]
    return np.vstack([parts[0], *(a[1:] for a in parts[1:])])


def unwrapped_polygon(rings: list[np.ndarray]) -> shapely.Polygon:
    """A polygon whose rings may cross the antimeridian (Eurasia at Chukotka, Wrangel Island),
    with continuous longitudes; a ring around a pole (Antarctica) is closed along the pole.

    Read as plain planar coordinates (as GDAL does), such a ring spans 360 deg of longitude and
    fills the band of latitudes it crosses, which is what drew land over the ocean between 65 N
    and 71 N in earlier builds.
    """
    out = []
    for xy in rings:
        lon = np.degrees(np.unwrap(np.radians(xy[:, 0])))
        lat = xy[:, 1]
        if abs(lon[-1] - lon[0]) > 180:  # goes round a pole: close it along the pole
            pole = 90.0 if np.mean(lat) > 0 else -90.0
            lon, lat = np.r_[lon, lon[-1], lon[0]], np.r_[lat, pole, pole]
        out.append(np.column_stack([lon, lat]))
    return shapely.Polygon(out[0], out[1:])


def split_at_antimeridian(poly: shapely.Geometry) -> list[shapely.Polygon]:
    """Pieces of a polygon with unwrapped longitudes, moved into [-180, 180]."""
    pieces = []
    for shift in (-720.0, -360.0, 0.0, 360.0):
        moved = shapely.transform(poly, lambda xy, d=shift: xy + np.array([d, 0.0]))
        part = shapely.intersection(shapely.make_valid(moved), shapely.box(-180, -90, 180, 90))
        pieces += [g for g in shapely.get_parts(part) if g.geom_type == "Polygon" and g.area > 0]
    return pieces


def read_land(path: Path) -> list[shapely.Polygon]:
    """The land polygons of world-atlas's TopoJSON, decoded here (see `unwrapped_polygon`)."""
    topo = json.loads(path.read_text())
    arcs = _arcs(topo)
    polygons = []
    for geom in topo["objects"]["land"]["geometries"]:
        groups = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for group in groups:
            polygons += split_at_antimeridian(unwrapped_polygon([_ring(arcs, ids) for ids in group]))
    return polygons


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
        parts = read_land(path)
    out = gpd.GeoDataFrame(geometry=[p for p in parts if not p.is_empty], crs="EPSG:4326")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    out.to_parquet(OUT, compression="zstd", index=False)
    print(f"{len(out)} polygons, {int(shapely.get_num_coordinates(out.geometry).sum())} coordinates -> {OUT}")


if __name__ == "__main__":
    main()
