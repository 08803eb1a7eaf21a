"""WGS84 geodesics and the projections the engine and the maps use. The only module that imports pyproj.

Conventions: arrays are (lon, lat) in degrees, distances in metres inside this module unless a
name says otherwise. Unit vectors are geocentric directions of (geodetic lon, lat) on a unit
sphere; the engine uses them only for gnomonic charts and convexity tests, never for lengths.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

GEOD = Geod(ellps="WGS84")
"""The WGS84 ellipsoid used for every length in the package."""
EARTH_RADIUS_M = 6_371_000.0
"""Mean Earth radius (m), for angles on the sphere (AEQD scale factors); never for lengths."""


def inverse(lon1, lat1, lon2, lat2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Initial course, final course (both degrees true) and distance (m) of geodesics, vectorised.

    Inputs broadcast against each other (a point against an array of points works)."""
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lon1, lat1, lon2, lat2)))
    if lon1.size == 1:  # pyproj's scalar call costs a fraction of its array call
        shape = lon1.shape
        ends = (float(v.flat[0]) for v in (lon1, lat1, lon2, lat2))
        az12, az21, dist_m = GEOD.inv(*ends, return_back_azimuth=False)
        return (np.full(shape, az12), np.full(shape, az21 % 360.0), np.full(shape, dist_m))
    lon1, lat1, lon2, lat2 = (np.ascontiguousarray(v) for v in (lon1, lat1, lon2, lat2))
    az12, az21, dist_m = GEOD.inv(lon1, lat1, lon2, lat2, return_back_azimuth=False)
    return np.asarray(az12), np.asarray(az21) % 360.0, np.asarray(dist_m)


def direct(lon, lat, az_deg, dist_m) -> np.ndarray:
    """(lon, lat) reached from points along WGS84 geodesics with initial course ``az_deg`` after
    ``dist_m`` metres, vectorised: (k, 2), longitudes in [-180, 180].

    Examples
    --------
    >>> direct([0.0], [0.0], [90.0], [111_319.49]).round(4).tolist()
    [[1.0, 0.0]]
    """
    lon, lat, az_deg, dist_m = (np.ascontiguousarray(v, dtype=float).ravel() for v in (lon, lat, az_deg, dist_m))
    if not len(lon):
        return np.zeros((0, 2))
    lo, la, _ = GEOD.fwd(lon, lat, az_deg, dist_m)
    return np.column_stack([lo, la])


def distance_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """WGS84 geodesic distance(s) in metres."""
    return inverse(lon1, lat1, lon2, lat2)[2]


def densify_leg(*, lon1: float, lat1: float, lon2: float, lat2: float, max_step_km: float) -> np.ndarray:
    """Points along one geodesic, endpoints included, spaced at most ``max_step_km``.

    Returns an (n, 2) array of (lon, lat), longitudes in [-180, 180]. Keyword-only arguments.

    Examples
    --------
    >>> densify_leg(lon1=0.0, lat1=0.0, lon2=0.0, lat2=1.0, max_step_km=50.0).round(4).tolist()
    [[0.0, 0.0], [0.0, 0.3333], [0.0, 0.6667], [0.0, 1.0]]
    """
    dist = float(distance_m(lon1, lat1, lon2, lat2))
    n_seg = max(int(np.ceil(dist / (max_step_km * 1000.0))), 1)
    if n_seg == 1:
        return np.array([[lon1, lat1], [lon2, lat2]], dtype=float)
    pts = GEOD.inv_intermediate(
        lon1, lat1, lon2, lat2, npts=n_seg + 1, initial_idx=0, terminus_idx=0, return_back_azimuth=True
    )
    out = np.column_stack([pts.lons, pts.lats])
    out[0], out[-1] = (lon1, lat1), (lon2, lat2)
    return out


def _densify_pair(p: np.ndarray, q: np.ndarray, max_step_km: float) -> np.ndarray:
    return densify_leg(lon1=p[0], lat1=p[1], lon2=q[0], lat2=q[1], max_step_km=max_step_km)


def densify_path(lonlat: np.ndarray, max_step_km: float) -> np.ndarray:
    """Densify a polyline of geodesic legs; returns (n, 2) (lon, lat) without repeated vertices."""
    return densify_path_km(lonlat, max_step_km)[0]


def densify_path_km(lonlat: np.ndarray, max_step_km: float) -> tuple[np.ndarray, np.ndarray]:
    """`densify_path` and the WGS84 length (km) of each of its segments.

    Each leg is cut into equal pieces, so the lengths come from the legs' lengths (no geodesic
    per segment).

    Examples
    --------
    >>> pts, km = densify_path_km(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), 50.0)
    >>> len(pts), km.round(3).tolist()
    (7, [36.858, 36.858, 36.858, 37.101, 37.101, 37.101])
    """
    pieces = [_densify_pair(lonlat[i], lonlat[i + 1], max_step_km) for i in range(len(lonlat) - 1)]
    leg_km = segment_lengths_km(np.asarray(lonlat, dtype=float))
    seg_km = np.repeat(leg_km / [len(p) - 1 for p in pieces], [len(p) - 1 for p in pieces])
    return np.vstack([pieces[0]] + [p[1:] for p in pieces[1:]]), seg_km


def densify_many(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray, n_points: int) -> np.ndarray:
    """``n_points`` equally spaced points (endpoints included) on each of many geodesics.

    Vectorised with `Geod.fwd`; returns an array of shape (legs, n_points, 2) of (lon, lat).
    """
    az, _, dist = inverse(lon1, lat1, lon2, lat2)
    frac = np.linspace(0.0, 1.0, n_points)
    lon = np.repeat(np.asarray(lon1, float)[:, None], n_points, axis=1)
    lat = np.repeat(np.asarray(lat1, float)[:, None], n_points, axis=1)
    azs = np.repeat(az[:, None], n_points, axis=1)
    dists = dist[:, None] * frac[None, :]
    lo, la, _ = GEOD.fwd(lon.ravel(), lat.ravel(), azs.ravel(), dists.ravel())
    out = np.stack([np.asarray(lo), np.asarray(la)], axis=-1).reshape(len(az), n_points, 2)
    out[:, -1, 0], out[:, -1, 1] = lon2, lat2
    return out


def split_antimeridian(lonlat: np.ndarray) -> shapely.MultiLineString:
    """A (lon, lat) polyline as a MultiLineString cut where it crosses +-180 (RFC 7946 style)."""
    lon, lat = lonlat[:, 0], lonlat[:, 1]
    parts: list[list[tuple[float, float]]] = [[(lon[0], lat[0])]]
    for i in range(1, len(lon)):
        d = lon[i] - lon[i - 1]
        if abs(d) > 180.0:
            # crossing: interpolate the latitude at the antimeridian on the unwrapped segment
            lon_next = lon[i] - 360.0 if d > 0 else lon[i] + 360.0
            if lon_next == lon[i - 1]:  # a step along the antimeridian written as +180 then -180 (or back)
                edge, lat_x = float(lon[i - 1]), float(lat[i])
            else:
                edge = 180.0 if lon_next > lon[i - 1] else -180.0
                t = (edge - lon[i - 1]) / (lon_next - lon[i - 1])
                lat_x = lat[i - 1] + t * (lat[i] - lat[i - 1])
            parts[-1].append((edge, lat_x))
            parts.append([(-edge, lat_x)])
        parts[-1].append((lon[i], lat[i]))
    return shapely.MultiLineString([p for p in parts if len(p) >= 2])


def to_xyz(lon, lat) -> np.ndarray:
    """Unit vectors (..., 3) for (lon, lat) in degrees."""
    lo, la = np.radians(lon), np.radians(lat)
    c = np.cos(la)
    return np.stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)], axis=-1)


def to_lonlat(xyz: np.ndarray) -> np.ndarray:
    """(lon, lat) degrees (..., 2) of vectors (..., 3); the vectors need not be unit length."""
    lon = np.degrees(np.arctan2(xyz[..., 1], xyz[..., 0]))
    lat = np.degrees(np.arctan2(xyz[..., 2], np.hypot(xyz[..., 0], xyz[..., 1])))
    return np.stack([lon, lat], axis=-1)


def mean_direction(lonlat: np.ndarray) -> tuple[float, float]:
    """(lon, lat) of the normalised mean unit vector of points; a centre for local projections."""
    v = to_xyz(lonlat[:, 0], lonlat[:, 1]).mean(axis=0)
    if np.linalg.norm(v) < 1e-9:
        v = np.array([0.0, 0.0, 1.0])
    lon, lat = to_lonlat(v)
    return float(lon), float(lat)


def aeqd_crs(*, lon0: float, lat0: float) -> CRS:
    """Azimuthal equidistant CRS on WGS84 centred at (lon0, lat0), metres."""
    return CRS.from_proj4(f"+proj=aeqd +lat_0={lat0:.8f} +lon_0={lon0:.8f} +datum=WGS84 +units=m")


@lru_cache(maxsize=1024)
def aeqd_transformers(*, lon0: float, lat0: float) -> tuple[Transformer, Transformer]:
    """(forward, inverse) transformers between lon/lat and `aeqd_crs` (always x=lon, y=lat).

    Cached per centre: creating a pyproj Transformer costs several milliseconds."""
    crs = aeqd_crs(lon0=lon0, lat0=lat0)
    return (
        Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        Transformer.from_crs(crs, "EPSG:4326", always_xy=True),
    )


def aeqd_transverse_scale(radius_m: np.ndarray | float) -> np.ndarray:
    """Transverse scale factor theta / sin(theta) of an AEQD map at ``radius_m`` from its centre (>= 1).

    Map distances there overstate ground distances by at most this factor.

    Examples
    --------
    >>> round(float(aeqd_transverse_scale(1000e3)), 5)
    1.00412
    """
    theta = np.maximum(np.asarray(radius_m, dtype=float) / EARTH_RADIUS_M, 1e-9)
    return theta / np.sin(theta)


@lru_cache(maxsize=64)
def transformer(src: CRS | str, dst: CRS | str) -> Transformer:
    """A cached transformer between two CRSs, always (x=lon, y=lat) order (creating one costs milliseconds)."""
    return Transformer.from_crs(src, dst, always_xy=True)


def to_aeqd(geom: shapely.Geometry, *, lon0: float, lat0: float) -> shapely.Geometry:
    """A lon/lat geometry in the AEQD map centred at (lon0, lat0), metres."""
    fwd, _ = aeqd_transformers(lon0=lon0, lat0=lat0)
    return shapely.transform(geom, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))


def segment_lengths_km(lonlat: np.ndarray) -> np.ndarray:
    """Geodesic length (km) of each segment of a (n, 2) lon/lat polyline.

    Examples
    --------
    >>> segment_lengths_km(np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]])).round(3)
    array([111.319, 110.574])
    """
    return distance_m(lonlat[:-1, 0], lonlat[:-1, 1], lonlat[1:, 0], lonlat[1:, 1]) / 1000.0


def chord_midpoints(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(lon, lat) of the midpoints of short segments a[i] -> b[i], (k, 2) each.

    The midpoint is that of the chord on the unit sphere, not of the WGS84 geodesic: for the 1 km
    segments of the overflight lookup they differ by well under a millimetre (0.2 mm on a
    10,000 km route densified every 1 km), at a quarter of the cost of `Geod.fwd`.

    Examples
    --------
    >>> chord_midpoints(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[1.0, 0.0], [1.0, 1.0]])).round(3)
    array([[0.5, 0. ],
           [1. , 0.5]])
    """
    return to_lonlat(to_xyz(a[:, 0], a[:, 1]) + to_xyz(b[:, 0], b[:, 1]))


def segment_courses_midpoints(lonlat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per segment of a (n, 2) lon/lat polyline: length (km), initial course (deg true) and the
    geodesic midpoint (n - 1, 2) lon/lat."""
    az, _, dist = inverse(lonlat[:-1, 0], lonlat[:-1, 1], lonlat[1:, 0], lonlat[1:, 1])
    mlon, mlat, _ = GEOD.fwd(lonlat[:-1, 0], lonlat[:-1, 1], az, dist / 2.0)
    return dist / 1000.0, az, np.column_stack([np.asarray(mlon), np.asarray(mlat)])


class Gnomonic:
    """Gnomonic chart on the unit sphere centred at ``(lon0, lat0)``.

    Great circles map to straight lines, so convexity and which side of a line a point lies on
    are the same in the chart as on the sphere. WGS84 geodesics are *nearly* straight here
    (lateral deviation up to ~8 km over 10,000 km); the engine therefore tests visibility on
    densified WGS84 geodesics, never on the chart's straight segments. Coordinates are in
    Earth radii (multiply by 6371 km for a rough scale at the centre).
    """

    def __init__(self, *, lon0: float, lat0: float) -> None:
        self.lon0, self.lat0 = float(lon0), float(lat0)
        c = to_xyz(self.lon0, self.lat0)
        east = np.cross([0.0, 0.0, 1.0], c)
        if np.linalg.norm(east) < 1e-12:  # centre at a pole
            east = np.array([0.0, 1.0, 0.0]) if lat0 > 0 else np.array([0.0, -1.0, 0.0])
        east /= np.linalg.norm(east)
        north = np.cross(c, east)
        self.center, self.east, self.north = c, east, north
        self._basis = np.column_stack([east, north, c])

    def cos_angle(self, xyz: np.ndarray) -> np.ndarray:
        """Cosine of the angular distance from the chart centre."""
        return xyz @ self.center

    def forward_xyz(self, xyz: np.ndarray) -> np.ndarray:
        """Chart coordinates (..., 2) of unit vectors within 90 deg of the centre."""
        p = xyz @ self._basis
        return p[..., :2] / p[..., 2:]

    def forward(self, lonlat: np.ndarray) -> np.ndarray:
        """Chart coordinates (..., 2) of (lon, lat) points within 90 deg of the centre."""
        return self.forward_xyz(to_xyz(lonlat[..., 0], lonlat[..., 1]))

    def inverse(self, xy: np.ndarray) -> np.ndarray:
        """(lon, lat) degrees (k, 2) of chart points (k, 2): the inverse of `forward`."""
        return to_lonlat(self.center + xy[:, :1] * self.east + xy[:, 1:2] * self.north)
