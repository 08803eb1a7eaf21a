"""Airport pairs for route matrices: from code lists, from a CSV/Parquet table, or from region selectors.

Region selectors choose OurAirports' large airports (``data/large_airports.csv``, see
``scripts/build_large_airports.py``) by country, continent or polygon; pairs between two
selections are kept when their WGS84 geodesic distance lies within ``[min_km, max_km]``.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pycountry
import shapely

from routes import geodesy
from routes.errors import (
    EmptySelectionError,
    InvalidInputError,
    PairsFileError,
    UnknownAirportError,
    UnknownAirportsError,
)
from routes.inputs.airports import Airport, get_airport
from routes.inputs.airspace import data_dir
from routes.inputs.scenarios import as_polygons

CONTINENTS = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}
"""OurAirports continent codes (OurAirports files all of Russia under EU and Turkey under AS)."""


@dataclass(frozen=True)
class Pair:
    """An ordered airport pair and its WGS84 geodesic distance (km)."""

    origin: Airport
    destination: Airport
    geodesic_km: float

    @property
    def key(self) -> tuple[str, str]:
        """(origin code, destination code)."""
        return (self.origin.code, self.destination.code)


@dataclass(frozen=True)
class Region:
    """A selector of OurAirports large airports.

    Every given criterion must hold (countries AND continents AND polygon); an empty selector
    selects every large airport.

    Attributes
    ----------
    countries : tuple of str
        ISO 3166-1 alpha-2 or alpha-3 codes (``"DE"``, ``"JPN"``).
    continents : tuple of str
        OurAirports continent codes: AF, AN, AS, EU, NA, OC, SA.
    polygon : shapely geometry or None
        Area (lon/lat, EPSG:4326) the airport must lie in; shapely, GeoJSON or a file path.
    scheduled_only : bool
        Keep only airports with scheduled service (drops military bases), default True.
    """

    countries: tuple[str, ...] = ()
    continents: tuple[str, ...] = ()
    polygon: Any = None
    scheduled_only: bool = True

    def __post_init__(self) -> None:
        for name in ("countries", "continents"):  # "DE" is one code, not two letters
            object.__setattr__(self, name, _names(getattr(self, name), name))

    def describe(self) -> str:
        """Short text of the criteria, for messages."""
        parts = []
        if self.countries:
            parts.append("countries " + ",".join(self.countries))
        if self.continents:
            parts.append("continents " + ",".join(self.continents))
        if self.polygon is not None:
            parts.append("a polygon")
        return " and ".join(parts) or "anywhere"


def _names(value: Any, name: str) -> tuple[str, ...]:
    """Codes given as one text or an iterable of texts, as a tuple."""
    if isinstance(value, str):
        return (value,)
    codes = tuple(value) if isinstance(value, Iterable) and not isinstance(value, Mapping) else None
    if codes is None or not all(isinstance(v, str) for v in codes):
        raise InvalidInputError(f"{name}: expected codes as text, e.g. ('DE', 'JPN'), got {value!r}")
    return codes


@cache
def large_airport_table() -> pd.DataFrame:
    """OurAirports' ``large_airport`` rows (``data/large_airports.csv``), as a DataFrame."""
    return pd.read_csv(
        data_dir() / "large_airports.csv", comment="#", keep_default_na=False, dtype={"elevation_ft": float}
    )


def _alpha2(code: str) -> str:
    text = str(code).strip().upper()
    country = pycountry.countries.get(alpha_2=text) if len(text) == 2 else pycountry.countries.get(alpha_3=text)
    if country is None:
        raise EmptySelectionError(
            f"unknown country code {code!r}: use ISO 3166-1 alpha-2 or alpha-3, e.g. 'DE' or 'JPN'"
        )
    return country.alpha_2


def _airport(row: pd.Series) -> Airport:
    for code in (row["iata"], row["ident"]):
        if code:
            try:
                return get_airport(code)
            except UnknownAirportError:
                continue
    return Airport(
        iata=row["iata"],
        icao=row["ident"],
        name=row["name"],
        city=row["municipality"],
        country=row["country"],
        lat=row["lat"],
        lon=row["lon"],
        elevation_ft=row["elevation_ft"],
    )


def select_airports(region: Region) -> list[Airport]:
    """The large airports a `Region` selects, in OurAirports ident order.

    Raises
    ------
    EmptySelectionError
        An unknown country or continent code, or a selector that matches no airport.
    """
    table = large_airport_table()
    keep = np.ones(len(table), dtype=bool)
    if region.countries:
        keep &= table["country"].isin({_alpha2(c) for c in region.countries}).to_numpy()
    if region.continents:
        wanted = {c.strip().upper() for c in region.continents}
        unknown = sorted(wanted - set(CONTINENTS))
        if unknown:
            raise EmptySelectionError(f"unknown continent code(s) {unknown}; use {', '.join(CONTINENTS)}")
        keep &= table["continent"].isin(wanted).to_numpy()
    if region.polygon is not None:
        area = shapely.union_all(as_polygons(region.polygon, "region polygon"))
        keep &= shapely.contains_xy(area, table["lon"].to_numpy(), table["lat"].to_numpy())
    if region.scheduled_only:
        keep &= (table["scheduled_service"] == "yes").to_numpy()
    if not keep.any():
        raise EmptySelectionError(f"no large airport (OurAirports) lies in {region.describe()}")
    return [_airport(row) for _, row in table[keep].iterrows()]


AirportsInput = Region | Iterable[str | Airport]


def _airports(selection: AirportsInput, role: str) -> list[Airport]:
    if isinstance(selection, Region):
        return select_airports(selection)
    if isinstance(selection, str):
        selection = [s for s in selection.split(",") if s.strip()]
    if not isinstance(selection, Iterable) or isinstance(selection, Mapping):
        raise InvalidInputError(f"{role}s: expected airport codes (a list or 'SVO,LED') or a Region, got {selection!r}")
    out = [a for a in resolve_codes(list(selection), f"{role} list") if a is not None]
    if not out:
        raise EmptySelectionError(f"the {role} list is empty; give at least one airport code")
    return out


def resolve_codes(
    codes: Sequence[str | Airport],
    where: str,
    on_unknown: Literal["error", "skip"] = "error",
    rows: Sequence[int] | None = None,
) -> list[Airport | None]:
    """Resolve codes to airports; every unknown code is collected and reported in one error.

    Parameters
    ----------
    codes
        Airport codes (or `Airport` objects).
    where
        Where the codes come from, for the message (``"pairs.csv"``).
    on_unknown
        ``"error"`` raises `UnknownAirportsError` naming all unknown codes; ``"skip"`` drops them
        with one warning (their entries come back as None, so positions are kept).
    rows
        Row number of each code, for the message (default: position, from 1).
    """
    out: list[Airport | None] = []
    unknown: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        try:
            out.append(get_airport(code if isinstance(code, Airport) else str(code)))
        except (UnknownAirportError, ValueError):
            unknown.setdefault(str(code), []).append(rows[i] if rows is not None else i + 1)
            out.append(None)
    if unknown:
        listed = ", ".join(f"{c!r} (row {', '.join(map(str, rows[:3]))}{', ...' if len(rows) > 3 else ''})"
                           for c, rows in unknown.items())  # fmt: skip
        text = f"{where}: {len(unknown)} unknown airport code(s): {listed}"
        if on_unknown == "error":
            raise UnknownAirportsError(
                text + "; fix them or skip them (on_unknown='skip', --skip-unknown)", list(unknown)
            )
        warnings.warn(f"{text}; skipped", stacklevel=3)
    return out


def _with_distance(pairs: list[tuple[Airport, Airport]]) -> list[Pair]:
    if not pairs:
        return []
    a = np.array([[p[0].lon, p[0].lat] for p in pairs])
    b = np.array([[p[1].lon, p[1].lat] for p in pairs])
    dist_km = geodesy.distance_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1]) / 1000.0
    return [Pair(o, d, float(km)) for (o, d), km in zip(pairs, dist_km, strict=True)]


def filter_distance(pairs: list[Pair], min_km: float, max_km: float, what: str) -> list[Pair]:
    """The pairs whose geodesic lies in ``[min_km, max_km]``; `EmptySelectionError` when none does."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (min_km, max_km)):
        raise InvalidInputError(f"min_km and max_km must be numbers (km), got {min_km!r} and {max_km!r}")
    if not 0 <= min_km <= max_km:
        raise EmptySelectionError(f"distance range [{min_km:g}, {max_km:g}] km is empty; need 0 <= min_km <= max_km")
    kept = [p for p in pairs if min_km <= p.geodesic_km <= max_km]
    if not kept:
        raise EmptySelectionError(f"no pair among {what} lies within {min_km:,.0f}-{max_km:,.0f} km (geodesic)")
    return kept


def _dedupe(pairs: Iterable[tuple[Airport, Airport]]) -> list[tuple[Airport, Airport]]:
    seen: set[tuple[str, str]] = set()
    out = []
    for o, d in pairs:
        key = (o.code, d.code)
        if o.code == d.code or key in seen:
            continue
        seen.add(key)
        out.append((o, d))
    return out


def cross_pairs(
    origins: AirportsInput, destinations: AirportsInput, min_km: float = 0.0, max_km: float = float("inf")
) -> list[Pair]:
    """Every origin x destination pair (a `Region` or a list of codes each), within the distance range.

    Same-airport pairs and repeats are dropped.

    Raises
    ------
    EmptySelectionError
        A selection with no airport, or no pair within ``[min_km, max_km]``.
    UnknownAirportsError
        Codes that are not airports (all named).
    """
    o, d = _airports(origins, "origin"), _airports(destinations, "destination")
    pairs = _with_distance(_dedupe((a, b) for a in o for b in d))
    return filter_distance(pairs, min_km, max_km, f"{len(o)} origins x {len(d)} destinations")


def read_pairs(
    path: str | Path | pd.DataFrame,
    on_unknown: Literal["error", "skip"] = "error",
    min_km: float = 0.0,
    max_km: float = float("inf"),
) -> list[Pair]:
    """Pairs from a CSV or Parquet table (or a DataFrame) with ``origin`` and ``destination`` columns.

    The table is checked against `routes.network.pairs_file.PairRow` (text codes in both columns; other
    columns are ignored).

    Raises
    ------
    PairsFileError
        A file that cannot be read as its suffix says (empty, not Parquet, not text), a missing column or a
        cell that is not a code; the message names the file, the row and the column.
    UnknownAirportsError
        Listing every unknown code with its row (unless ``on_unknown="skip"``: one warning).
    EmptySelectionError
        No pair in the table (or none within the distance range).
    """
    from routes.network.pairs_file import check_pairs_table

    if not isinstance(path, str | Path | pd.DataFrame):
        raise InvalidInputError(
            f"path: expected a CSV or Parquet file (or a DataFrame) of pairs, got {path!r} ({type(path).__name__})"
        )
    where = "pairs table" if isinstance(path, pd.DataFrame) else str(path)
    table = check_pairs_table(path if isinstance(path, pd.DataFrame) else _read_table(Path(path)), where)
    codes = [c.strip() if isinstance(c, str) else c for c in (*table["origin"], *table["destination"])]
    n = len(table)
    rows = list(range(1, n + 1)) * 2  # data rows, from 1
    resolved = resolve_codes(codes, where, on_unknown, rows)
    raw = [(resolved[i], resolved[n + i]) for i in range(n)]
    pairs = _with_distance(_dedupe((o, d) for o, d in raw if o is not None and d is not None))
    if not pairs:
        raise EmptySelectionError(f"{where} holds no airport pair (rows with two known, different airports)")
    return filter_distance(pairs, min_km, max_km, f"the {len(pairs)} pairs of {where}")


_PARQUET, _CSV = (".parquet", ".pq"), (".csv", ".txt")


def _read_table(path: Path) -> pd.DataFrame:
    """A pairs file as a DataFrame (CSV cells as text, blank cells as ``""``).

    Raises
    ------
    PairsFileError
        A missing, empty or unreadable file, or one that is not what its suffix says.
    """
    kind = "Parquet" if path.suffix.lower() in _PARQUET else "CSV" if path.suffix.lower() in _CSV else None
    if kind is None:
        raise PairsFileError(f"pairs file {path}: expected a .csv or .parquet file, not {path.suffix or 'no suffix'!r}")
    if not path.is_file():
        raise PairsFileError(f"pairs file {path}: {'is a folder' if path.is_dir() else 'not found'}")
    if path.stat().st_size == 0:
        raise PairsFileError(f"pairs file {path}: the file is empty; expected a {kind} table with 'origin' and "
                             "'destination' columns")  # fmt: skip
    try:
        if kind == "Parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    except (ValueError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        # pyarrow's ArrowInvalid is a ValueError; UnicodeDecodeError (a binary .csv) is one too
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PairsFileError(f"pairs file {path}: cannot be read as {kind} ({detail[:160]})") from None


def pairs_from_codes(pairs: Iterable[tuple[str | Airport, str | Airport]]) -> list[Pair]:
    """Pairs from (origin, destination) tuples; every unknown code reported in one error.

    Raises
    ------
    InvalidInputError
        An entry that is not a pair (a code alone, three codes, a number).
    """
    listed = list(pairs)
    for i, p in enumerate(listed, start=1):
        if isinstance(p, str | bytes) or not isinstance(p, Sequence) or len(p) != 2:
            raise InvalidInputError(f"pairs: entry {i} is {p!r}; expected an (origin, destination) pair of codes")
    return read_pairs(pd.DataFrame(listed, columns=["origin", "destination"]))


def write_pairs_csv(pairs: Iterable[Pair], path: str | Path) -> Path:
    """Write pairs as a CSV with ``origin, destination, geodesic_km`` (readable by `read_pairs`)."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["origin", "destination", "geodesic_km"])
        for p in pairs:
            writer.writerow([p.origin.code, p.destination.code, f"{p.geodesic_km:.1f}"])
    return path
