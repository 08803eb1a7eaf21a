"""Regenerate ``data/airlines.csv``: active airlines with an ICAO designator and their state, from OpenFlights.

Usage::

    python scripts/build_airlines.py path/to/airlines.dat

Source: ``data/airlines.dat`` of the OpenFlights repository (github.com/jpatokal/openflights, snapshot
commit 5a0360255a5a2ff2b9f1e9cb199716da68a8a33f of 2025-04-29), Open Database License (ODbL) 1.0
(see openflights.org/data.php). Kept: rows marked active (``Y``) with a 3-letter ICAO designator and a
country that maps to an ISO 3166-1 code. The country is the airline's state in OpenFlights, which we use as
the state of the operator (its air operator certificate); ``scripts/build_airlines.py`` prints the rows it drops.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "data" / "airlines.csv"
SOURCE = "OpenFlights airlines.dat, github.com/jpatokal/openflights commit 5a03602 (2025-04-29), ODbL 1.0"
# OpenFlights country names that pycountry does not resolve by name
NAMES = {
    "Russia": "RUS",
    "Republic of Korea": "KOR",
    "South Korea": "KOR",
    "Democratic People's Republic of Korea": "PRK",
    "North Korea": "PRK",
    "Hong Kong SAR of China": "HKG",
    "Macao SAR of China": "MAC",
    "Taiwan": "TWN",
    "Iran": "IRN",
    "Syria": "SYR",
    "Vietnam": "VNM",
    "Laos": "LAO",
    "Lao Peoples Democratic Republic": "LAO",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "Moldova": "MDA",
    "Macedonia": "MKD",
    "Republic of Macedonia": "MKD",
    "Czech Republic": "CZE",
    "Cape Verde": "CPV",
    "Ivory Coast": "CIV",
    "Cote d'Ivoire": "CIV",
    "Democratic Republic of the Congo": "COD",
    "Congo (Kinshasa)": "COD",
    "Congo (Brazzaville)": "COG",
    "Republic of the Congo": "COG",
    "Swaziland": "SWZ",
    "Burma": "MMR",
    "East Timor": "TLS",
    "Brunei": "BRN",
    "Micronesia": "FSM",
    "Turkey": "TUR",
    "Netherlands Antilles": "CUW",
    "Kosovo": "XKX",
    "Palestine": "PSE",
    "Reunion": "REU",
    "Virgin Islands": "VGB",
    "Antigua and Barbuda": "ATG",
    "Saint Kitts and Nevis": "KNA",
    "Saint Vincent and the Grenadines": "VCT",
    "Bahamas": "BHS",
    "Gambia": "GMB",
}


def iso_a3(country: str) -> str:
    """ISO alpha-3 code for an OpenFlights country name ("" when unknown)."""
    if country in NAMES:
        return NAMES[country]
    try:
        return pycountry.countries.lookup(country).alpha_3
    except LookupError:
        return ""


def main(path: str) -> None:
    rows, dropped = [], []
    with open(path, encoding="utf-8", newline="") as f:
        for rec in csv.reader(f):
            # a few rows carry an unquoted comma in the name: read the fixed fields from the end
            vals = [v if v != "\\N" else "" for v in rec]
            name = ",".join(vals[1:-6]).strip()
            iata, icao, callsign, country, active = vals[-5:]
            if active != "Y" or len(icao) != 3 or not icao.isalpha():
                continue
            code = iso_a3(country)
            if not code:
                dropped.append(f"{icao} {name} ({country!r})")
                continue
            iata = iata if len(iata) == 2 and iata.isalnum() else ""
            rows.append({"icao": icao.upper(), "iata": iata.upper(), "name": name, "callsign": callsign, "state": code})
    rows.sort(key=lambda r: (r["icao"], r["name"]))
    with OUT.open("w", newline="", encoding="utf-8") as f:
        f.write(f"# {SOURCE}; active airlines with an ICAO designator; state = ISO alpha-3 of the airline's country\n")
        writer = csv.DictWriter(f, fieldnames=["icao", "iata", "name", "callsign", "state"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} airlines written to {OUT}; {len(dropped)} dropped (country not mapped):")
    for d in dropped:
        print("  ", d)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python scripts/build_airlines.py path/to/openflights/data/airlines.dat")
    main(sys.argv[1])
