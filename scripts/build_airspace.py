"""Regenerate ``data/airspace/*.parquet`` from the npm package ``@geo-maps/countries-maritime-10m``.

Usage::

    python scripts/build_airspace.py            # runs `npm pack` into a temporary folder
    python scripts/build_airspace.py --geojson path/to/map.geo.json

Outputs (both GeoParquet, EPSG:4326, one row per ISO 3166-1 alpha-3 code):

* ``sovereign_airspace.parquet``: every polygon part buffered by ``FULL_TOL_M`` then simplified
  with the same tolerance in a local azimuthal-equidistant projection. The result contains the
  source polygon (checked) and its boundary lies within ``2 * FULL_TOL_M`` of the source.
* ``sovereign_airspace_routing.parquet``: the same with ``ROUTING_TOL_M`` plus an extra outward
  buffer of ``ROUTING_SAFETY_M``; the route engine's coarse obstacles. A superset of the source
  by at least ``0.1 * ROUTING_TOL_M + ROUTING_SAFETY_M`` = 1.25 km.

Antarctica (ATA) is left out: the Antarctic Treaty suspends sovereignty claims, so it has no
sovereign airspace that a state could close.
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
from pyproj import CRS, Transformer

PACKAGE = "@geo-maps/countries-maritime-10m"
VERSION = "0.6.0"
FULL_TOL_M = 400.0
ROUTING_TOL_M = 2500.0
ROUTING_SAFETY_M = 1000.0  # extra outward buffer of the routing layer (see routes.engine.obstacles)
MAX_EDGE_M = 5000.0  # edges are split to this length: lon/lat-straight ~ geodesic ~ projected-straight
OUT = Path(__file__).resolve().parents[1] / "data" / "airspace"
WORLD = shapely.box(-180.0, -90.0, 180.0, 90.0)


def fetch_geojson(workdir: Path) -> Path:
    """Download the npm tarball with ``npm pack`` and return the path of its GeoJSON."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=workdir, check=True)
    tgz = next(workdir.glob("*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extract("package/map.geo.json", workdir, filter="data")
    return workdir / "package" / "map.geo.json"


def _local_crs(part: shapely.Polygon) -> CRS:
    lon, lat = np.asarray(part.exterior.coords).T
    lo, la = np.radians(lon), np.radians(lat)
    v = np.array([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)]).mean(axis=1)
    clat = np.degrees(np.arctan2(v[2], np.hypot(v[0], v[1])))
    clon = np.degrees(np.arctan2(v[1], v[0]))
    return CRS.from_proj4(f"+proj=aeqd +lat_0={clat:.6f} +lon_0={clon:.6f} +datum=WGS84 +units=m")


def conservative_part(part: shapely.Polygon, tol_m: float, extra_m: float = 0.0) -> shapely.Geometry:
    """Buffer by ``1.1 * tol_m + extra_m`` then Douglas-Peucker simplify by ``tol_m`` in a local
    azimuthal-equidistant projection.

    Douglas-Peucker keeps the simplified boundary within ``tol_m`` of the buffered one, so the
    result still contains ``part`` (by at least ``0.1 * tol_m + extra_m``); the boundary moves
    outward by at most ``2.1 * tol_m + extra_m``. Edges are then split to at most
    ``MAX_EDGE_M`` so that reading them as straight in lon/lat, as geodesics or as straight in
    the projection gives the same polygon to within metres.
    """
    crs = _local_crs(part)
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    dense = shapely.segmentize(part, 0.05)
    proj = shapely.transform(dense, lambda xy: np.column_stack(fwd.transform(*xy.T)))
    out = shapely.simplify(proj.buffer(tol_m * 1.1 + extra_m, quad_segs=4), tol_m)
    # Short edges: a 5 km edge bows by < 20 m between its lon/lat-straight and geodesic readings
    out = shapely.segmentize(out, MAX_EDGE_M)
    back = shapely.transform(out, lambda xy: np.column_stack(inv.transform(*xy.T)))
    clon = part.centroid.x
    # Re-wrap longitudes around the part so that a buffer spilling over +-180 stays contiguous,
    # then clip it at the antimeridian: the neighbouring part on the other side covers the rest.
    back = shapely.transform(
        back, lambda xy: np.column_stack([clon + (xy[:, 0] - clon + 180.0) % 360.0 - 180.0, xy[:, 1]])
    )
    clipped = shapely.make_valid(back).intersection(WORLD)
    return shapely.union_all([clipped, part])


def process(source: gpd.GeoDataFrame, tol_m: float, extra_m: float) -> gpd.GeoDataFrame:
    rows = []
    for a3, geom in zip(source["A3"], source.geometry, strict=True):
        parts = [p for p in shapely.get_parts(shapely.make_valid(geom)) if p.geom_type == "Polygon"]
        merged = shapely.union_all([conservative_part(p, tol_m, extra_m) for p in parts])
        merged = shapely.make_valid(merged)
        polys = [p for p in shapely.get_parts(merged) if p.geom_type == "Polygon"]
        out = shapely.MultiPolygon(polys)
        leftover = shapely.difference(shapely.make_valid(geom), out).area
        if leftover > 1e-9:  # square degrees; a few floating-point crumbs are tolerated
            raise RuntimeError(f"{a3}: processed polygon does not contain the source")
        rows.append({"iso_a3": a3, "geometry": out})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").sort_values("iso_a3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--geojson", type=Path, help="use this map.geo.json instead of npm pack")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.geojson or fetch_geojson(Path(tmp))
        source = gpd.read_file(path)
    source = source[source["A3"] != "ATA"].reset_index(drop=True)
    OUT.mkdir(parents=True, exist_ok=True)
    stats = {}
    layers = [
        ("sovereign_airspace", FULL_TOL_M, 0.0),
        ("sovereign_airspace_routing", ROUTING_TOL_M, ROUTING_SAFETY_M),
    ]
    for name, tol, extra in layers:
        out = process(source, tol, extra)
        out.to_parquet(OUT / f"{name}.parquet", compression="zstd", index=False)
        stats[name] = {
            "tolerance_m": tol,
            "extra_buffer_m": extra,
            "features": len(out),
            "coordinates": int(shapely.get_num_coordinates(out.geometry).sum()),
        }
    stats["source"] = {
        "package": PACKAGE,
        "version": VERSION,
        "coordinates": int(shapely.get_num_coordinates(source.geometry).sum()),
    }
    (OUT / "build_stats.json").write_text(json.dumps(stats, indent=2) + "\n")
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
