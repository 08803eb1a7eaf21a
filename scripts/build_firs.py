"""Regenerate ``data/airspace/firs.geojson``: flight information regions of Russia, Belarus and Ukraine.

Usage::

    python scripts/build_firs.py path/to/Boundaries.geojson

Source: ``Boundaries.geojson`` of the VATSIM VAT-Spy Data Project (github.com/vatsimnetwork/vatspy-data-project,
commit 9f8d09cbdf139063510823f82325ab79c740a4ca of 2026-08-07), licence CC BY-SA 4.0. These are the FIR outlines
the VATSIM network uses, maintained by its regional staff from the states' AIPs; they are a derived, simplified
source (several Russian FIRs are grouped: ULLL covers north-west Russia with the Arctic sector up to the pole,
UHMM Magadan with its oceanic part), not the AIP coordinates themselves. The output keeps the top-level outline
of each FIR listed in ``FIRS``, buffered out by 0.1 deg and simplified by 0.05 deg (it contains the source
outline and lies at most ~17 km outside it), with properties ``fir``, ``state`` (ISO alpha-3) and ``source``;
the file is CC BY-SA 4.0 like its source.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

OUT = Path(__file__).resolve().parents[1] / "data" / "airspace" / "firs.geojson"
TOL_DEG = 0.05  # simplification tolerance (degrees; the outline moves out by up to 0.15 deg, <= 17 km)
SOURCE = "VATSIM VAT-Spy Data Project Boundaries.geojson, commit 9f8d09c (2026-08-07), CC BY-SA 4.0"
FIRS = {
    # Russia: the VATSIM top-level outlines (see the module docstring)
    "ULLL": "RUS", "UUWV": "RUS", "URRV": "RUS", "UWWW": "RUS", "USSV": "RUS", "USTV": "RUS", "UNNT": "RUS",
    "UNKL": "RUS", "UIII": "RUS", "UEEE": "RUS", "UHHH": "RUS", "UHMM": "RUS", "UHMM-O": "RUS", "UMKK": "RUS",
    # Belarus, Ukraine
    "UMMV": "BLR", "UKBV": "UKR", "UKDV": "UKR", "UKLV": "UKR", "UKOV": "UKR", "UKFV": "UKR",
}  # fmt: skip


def main(path: str) -> None:
    features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    out = []
    for feat in features:
        fir = feat["properties"].get("id")
        if fir not in FIRS:
            continue
        source = shapely.make_valid(shape(feat["geometry"]))
        # conservative simplification: buffer out by 2 x tol, then Douglas-Peucker by tol (the result stays
        # within tol of the buffered outline, so it contains the source); fewer corners for the route engine
        geom = shapely.simplify(shapely.buffer(source, 2 * TOL_DEG, join_style="mitre"), TOL_DEG)
        geom = shapely.clip_by_rect(geom, -180.0, -90.0, 180.0, 90.0)
        if not geom.covers(source):
            raise SystemExit(f"{fir}: simplified outline does not contain the source")
        out.append(
            {
                "type": "Feature",
                "properties": {"fir": fir, "state": FIRS[fir], "source": SOURCE},
                "geometry": mapping(geom),
            }
        )
    missing = sorted(set(FIRS) - {f["properties"]["fir"] for f in out})
    if missing:
        raise SystemExit(f"FIRs not found in {path}: {missing}")
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": out}) + "\n", encoding="utf-8")
    print(f"{len(out)} FIRs written to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python scripts/build_firs.py path/to/vatspy-data-project/Boundaries.geojson")
    main(sys.argv[1])
