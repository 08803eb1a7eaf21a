"""Resolve airport codes and raw coordinates to `Airport` records (data: `airportsdata`)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import airportsdata

from routes.errors import InvalidCoordinateError, InvalidInputError, UnknownAirportError

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf|infinity)"
_LATLON = re.compile(rf"^\s*({_NUMBER})\s*,\s*({_NUMBER})\s*$", re.IGNORECASE)
SAME_POINT_M = 1.0
"""Two positions closer than this (m) are one point (``"90,0"`` and ``"90,45"``, ``"60,180"`` and
``"60,-180"``)."""


@dataclass(frozen=True, slots=True)
class LatLon:
    """A point given as latitude and longitude in degrees (WGS84)."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        validate_latlon(lat=self.lat, lon=self.lon)


@dataclass(frozen=True, slots=True, kw_only=True)
class Airport:
    """An airport (or a raw point) with its position.

    Attributes
    ----------
    iata, icao : str
        Codes; empty strings where unknown (raw points have neither).
    name, city : str
        Names as in `airportsdata`.
    country : str
        ISO 3166-1 alpha-2 code ("" for raw points).
    lat, lon : float
        Position in degrees, WGS84.
    elevation_ft : float
        Field elevation in feet.
    """

    iata: str
    icao: str
    name: str
    city: str
    country: str
    lat: float
    lon: float
    elevation_ft: float = 0.0

    @property
    def code(self) -> str:
        """The shortest code that names this airport (IATA, else ICAO, else ``lat,lon``)."""
        return self.iata or self.icao or f"{self.lat:.4f},{self.lon:.4f}"

    @property
    def latlon(self) -> LatLon:
        """The position as a `LatLon`."""
        return LatLon(lat=self.lat, lon=self.lon)


def same_point(a: Airport, b: Airport) -> bool:
    """True when two airports (or raw points) are one position, however written: the poles at any
    longitude, longitude 180 and -180, or two codes of one airport (``SVO`` and ``UUEE``)."""
    from routes import geodesy  # pyproj: only when two points are compared

    if (a.lat, a.lon) == (b.lat, b.lon):
        return True
    return float(geodesy.distance_m(a.lon, a.lat, b.lon, b.lat)) < SAME_POINT_M


def validate_latlon(*, lat: float, lon: float) -> None:
    """Raise `InvalidCoordinateError` unless ``-90 <= lat <= 90`` and ``-180 <= lon <= 180``."""
    try:
        ok = -90.0 <= float(lat) <= 90.0 and -180.0 <= float(lon) <= 180.0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise InvalidCoordinateError(
            f"invalid coordinates lat={lat!r}, lon={lon!r}: latitude must be in [-90, 90] "
            "and longitude in [-180, 180] degrees"
        )


_FIELDS = ("iata", "icao", "name", "city", "country", "lat", "lon", "elevation")
_SEP = "\x1f"


@cache
def _table(code_type: str) -> dict[str, str]:
    """Airports by ``"IATA"`` or ``"ICAO"`` code, each row packed into one string (`_FIELDS`):
    read from the disk cache (a few ms), else from `airportsdata` (~0.5 s of CSV parsing) and
    written there."""
    from routes.diskcache import DiskCache, fingerprint

    files = [Path(airportsdata.__file__).with_name("airports.csv"), Path(__file__)]
    store = DiskCache("airports", fingerprint(files, airportsdata.__version__))

    def build() -> dict[str, str]:
        rows = airportsdata.load(code_type)  # type: ignore[arg-type]
        return {code: _SEP.join(str(row[f]) for f in _FIELDS) for code, row in rows.items()}

    return store.get(code_type, build)


def _row(packed: str) -> dict[str, str]:
    return dict(zip(_FIELDS, packed.split(_SEP), strict=True))


def _record(packed: str) -> Airport:
    row = _row(packed)
    return Airport(
        iata=row["iata"],
        icao=row["icao"],
        name=row["name"],
        city=row["city"],
        country=row["country"],
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        elevation_ft=float(row["elevation"] or 0.0),
    )


def get_airport(query: str | Airport | LatLon) -> Airport:
    """Resolve an IATA/ICAO code (case-insensitive) or a ``"lat,lon"`` text to an `Airport`.

    Parameters
    ----------
    query
        ``"SVO"``, ``"uuee"``, ``"55.97,37.41"`` (latitude first), a `LatLon` or an `Airport`
        (returned unchanged).

    Raises
    ------
    UnknownAirportError
        The code is not in `airportsdata`; the message suggests close matches.
    InvalidCoordinateError
        A ``lat,lon`` text, or an `Airport`'s position, out of range.

    Examples
    --------
    >>> a = get_airport("uuee")
    >>> a.iata, a.city, a.lat, a.lon
    ('SVO', 'Moscow', 55.9726, 37.4146)
    >>> get_airport("55.97,37.41").name
    '55.9700,37.4100'
    """
    if isinstance(query, Airport):
        try:
            validate_latlon(lat=query.lat, lon=query.lon)
        except InvalidCoordinateError as exc:
            raise InvalidCoordinateError(f"airport {query.code}: {exc}") from None
        return query
    if isinstance(query, LatLon):
        return Airport(
            iata="", icao="", name=f"{query.lat:.4f},{query.lon:.4f}", city="", country="", lat=query.lat, lon=query.lon
        )
    if not isinstance(query, str):
        raise InvalidInputError(
            f"expected an airport code, 'lat,lon' text, LatLon or Airport, got {query!r} ({type(query).__name__})"
        )
    match = _LATLON.match(query)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        return get_airport(LatLon(lat=lat, lon=lon))
    if "," in query:  # no airport code has a comma
        raise InvalidCoordinateError(
            f"cannot read {query!r} as a point: write 'lat,lon' in decimal degrees, latitude first, "
            "e.g. '55.97,37.41' or '-33.95,151.18'"
        )
    code = query.strip().upper()
    if not code:
        raise UnknownAirportError(query, [])
    if len(code) == 3 and code in _table("IATA"):
        return _record(_table("IATA")[code])
    if len(code) == 4 and code in _table("ICAO"):
        return _record(_table("ICAO")[code])
    raise UnknownAirportError(query, suggest_codes(code))


_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B"})


def suggest_codes(code: str, n: int = 5) -> list[str]:
    """Codes close to a mistyped one.

    In order: the code with look-alike digits read as letters (``SV0`` -> ``SVO``); for longer
    text, airports whose city or name contains it (``Moscow``); an IATA code the text starts
    with (``LAXX`` -> ``LAX``); codes one substitution away; similar spellings.
    """
    iata, icao = _table("IATA"), _table("ICAO")
    pool = list(iata) if len(code) <= 3 else list(icao)
    fixed = code.translate(_CONFUSABLE)
    first = [fixed] if fixed != code and (fixed in iata or fixed in icao) else []
    by_name = [a.iata or a.icao for a in search_airports(code, limit=n)] if len(code) > 4 else []
    prefix = [code[:3]] if len(code) > 3 and code[:3] in iata else []
    one_off = sorted(c for c in pool if len(c) == len(code) and sum(a != b for a, b in zip(c, code, strict=True)) == 1)
    similar = difflib.get_close_matches(code, pool, n=n, cutoff=0.6)
    out: list[str] = []
    for c in [*first, *by_name, *prefix, *one_off, *similar]:
        if c not in out:
            out.append(c)
    return out[:n]


def search_airports(text: str, limit: int = 10) -> list[Airport]:
    """Airports whose code, name or city contains ``text`` (case-insensitive), best first.

    Exact code matches come first, then airports with an IATA code, then the rest.
    """
    needle = text.strip().lower()
    if not needle:
        return []
    hits = []
    for packed in _table("ICAO").values():
        if needle not in packed.lower():
            continue
        row = _row(packed)
        fields = (row["iata"], row["icao"], row["name"], row["city"])
        if any(needle in f.lower() for f in fields):
            exact = needle in (row["iata"].lower(), row["icao"].lower())
            hits.append((not exact, not row["iata"], row["name"], packed))
    hits.sort(key=lambda h: h[:3])
    return [_record(h[3]) for h in hits[:limit]]
