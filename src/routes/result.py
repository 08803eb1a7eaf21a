"""The `Route` result: waypoints, legs, distances, comparison with the geodesic, exports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from routes import geodesy
from routes.errors import InfeasibleRouteError, InvalidInputError
from routes.extensions import extensible
from routes.inputs.airports import Airport
from routes.inputs.scenarios import Scenario
from routes.units import km_to_nm

if TYPE_CHECKING:
    import geopandas as gpd

DENSIFY_KM = 5.0
"""Default spacing of exported route geometry (km)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Waypoint:
    """A route vertex.

    Attributes
    ----------
    lat, lon : float
        Degrees, WGS84.
    name : str
        Airport code for the ends, ``"T1"``, ``"T2"``, ... for turn points.
    rounds : str
        ISO alpha-3 code of the closed state whose airspace the route turns around ("" for ends).
    """

    lat: float
    lon: float
    name: str
    rounds: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Leg:
    """One WGS84 geodesic leg between consecutive waypoints."""

    start: Waypoint
    end: Waypoint
    distance_km: float
    initial_course_deg: float
    final_course_deg: float

    @property
    def distance_nm(self) -> float:
        """Leg length in nautical miles."""
        return km_to_nm(self.distance_km)


def make_legs(waypoints: tuple[Waypoint, ...]) -> tuple[Leg, ...]:
    """Geodesic legs between consecutive waypoints."""
    lon = np.array([w.lon for w in waypoints])
    lat = np.array([w.lat for w in waypoints])
    if len(waypoints) < 2:
        return ()
    az, baz, dist = geodesy.inverse(lon[:-1], lat[:-1], lon[1:], lat[1:])
    return tuple(
        Leg(
            start=waypoints[i],
            end=waypoints[i + 1],
            distance_km=float(dist[i]) / 1000.0,
            initial_course_deg=float(az[i]) % 360.0,
            final_course_deg=float(baz[i]),
        )
        for i in range(len(waypoints) - 1)
    )


@extensible
@dataclass(frozen=True, kw_only=True)
class Route:
    """A route between two airports under a closure scenario.

    ``feasible`` is False when no route exists (an airport in closed airspace, the goal
    unreachable); ``reason`` then says why and the geometry is empty.

    Attributes
    ----------
    origin, destination : Airport
    scenario : Scenario
        The closures the route avoids (``scenario.name`` for its name).
    margin_nm : float
        Lateral clearance from closed airspace that was asked for.
    feasible : bool
    reason : str
    waypoints : tuple of Waypoint
    legs : tuple of Leg
    geodesic_km : float
        Length of the unconstrained WGS84 geodesic (the pre-2022 route).
    objective : str
        What the route minimises: ``"distance"`` (the shortest route) or ``"time"`` (the
        minimum-time route in the wind named by ``wind``, `routes.engine.solve_time`).
    wind : str
        Label of the wind a ``"time"`` route was optimised for ("" for ``"distance"``).
    """

    origin: Airport
    destination: Airport
    scenario: Scenario
    margin_nm: float
    feasible: bool
    reason: str = ""
    waypoints: tuple[Waypoint, ...] = ()
    legs: tuple[Leg, ...] = ()
    geodesic_km: float = float("nan")
    stats: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    objective: str = "distance"
    wind: str = ""

    @property
    def distance_km(self) -> float:
        """Total length (km); NaN when infeasible."""
        return float(sum(leg.distance_km for leg in self.legs)) if self.feasible else float("nan")

    @property
    def distance_nm(self) -> float:
        """Total length (nm)."""
        return km_to_nm(self.distance_km)

    @property
    def extra_km(self) -> float:
        """Length beyond the geodesic (km)."""
        return self.distance_km - self.geodesic_km

    @property
    def extra_pct(self) -> float:
        """Length beyond the geodesic, percent of the geodesic (NaN without a geodesic to compare with)."""
        if not self.geodesic_km > 0:  # a hand-built Route of one point, or NaN
            return float("nan")
        return 100.0 * self.extra_km / self.geodesic_km

    @property
    def turns(self) -> tuple[Waypoint, ...]:
        """Inner waypoints (turn points)."""
        return self.waypoints[1:-1]

    @property
    def states_rounded(self) -> tuple[str, ...]:
        """Closed states the route turns around, in order, without repeats."""
        out: list[str] = []
        for w in self.turns:
            if w.rounds and (not out or out[-1] != w.rounds):
                out.append(w.rounds)
        return tuple(out)

    @property
    def max_latitude(self) -> float:
        """Northernmost latitude of the densified route (deg)."""
        return float(self.densified()[:, 1].max()) if self.feasible else float("nan")

    def lonlat(self) -> np.ndarray:
        """(k, 2) waypoint array of (lon, lat)."""
        return np.array([[w.lon, w.lat] for w in self.waypoints], dtype=float)

    def densified(self, max_step_km: float = DENSIFY_KM) -> np.ndarray:
        """(n, 2) points (lon, lat) along the WGS84 geodesic legs, at most ``max_step_km`` apart (> 0)."""
        return self.densified_km(max_step_km)[0]

    def densified_km(self, max_step_km: float = DENSIFY_KM) -> tuple[np.ndarray, np.ndarray]:
        """`densified` and the WGS84 length (km) of each of its segments (each leg is cut into equal pieces)."""
        from routes import validation

        max_step_km = validation.step_km(max_step_km, "max_step_km")
        if not self.feasible:
            return np.zeros((0, 2)), np.zeros(0)
        return geodesy.densify_path_km(self.lonlat(), max_step_km)

    def geometry(self, max_step_km: float = DENSIFY_KM) -> shapely.MultiLineString:
        """Densified route as a lon/lat MultiLineString split at the antimeridian."""
        if not self.feasible:
            return shapely.MultiLineString()
        return geodesy.split_antimeridian(self.densified(max_step_km))

    def summary(self) -> dict[str, Any]:
        """Flat dictionary of the figures (for tables, CSV, JSON and GeoJSON properties)."""
        return {
            "origin": self.origin.code,
            "destination": self.destination.code,
            "scenario": self.scenario.name,
            "margin_nm": self.margin_nm,
            "feasible": self.feasible,
            "reason": self.reason,
            "distance_km": round(self.distance_km, 1),
            "distance_nm": round(self.distance_nm, 1),
            "geodesic_km": round(self.geodesic_km, 1),
            "extra_km": round(self.extra_km, 1),
            "extra_pct": round(self.extra_pct, 2),
            "states_rounded": " ".join(self.states_rounded),
            "waypoints": " ".join(f"{w.lat:.3f},{w.lon:.3f}" for w in self.waypoints),
            "objective": self.objective,
            "objective_wind": self.wind,
        }

    def to_geodataframe(self, max_step_km: float = DENSIFY_KM) -> gpd.GeoDataFrame:
        """One-row GeoDataFrame (EPSG:4326) with `summary` columns and the densified geometry."""
        import geopandas as gpd  # ~0.5 s: only for this table

        return gpd.GeoDataFrame([self.summary()], geometry=[self.geometry(max_step_km)], crs="EPSG:4326")

    def to_geojson(self, max_step_km: float = DENSIFY_KM) -> dict[str, Any]:
        """GeoJSON Feature (RFC 7946, antimeridian-split) with `summary` properties."""
        props = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in self.summary().items()}
        geom = json.loads(shapely.to_geojson(self.geometry(max_step_km)))
        return {"type": "Feature", "geometry": geom, "properties": props}

    def __repr__(self) -> str:
        head = f"Route({self.origin.code}-{self.destination.code}, {self.scenario.name!r}"
        if not self.feasible:
            return f"{head}, infeasible: {self.reason})"
        rounds = f", rounds {' '.join(self.states_rounded)}" if self.states_rounded else ""
        return f"{head}, {self.distance_km:,.0f} km, {self.extra_km:+,.0f} km{rounds})"


def require_feasible(route: Route, task: str) -> None:
    """Raise `InfeasibleRouteError` (with the route's reason) unless ``route`` exists.

    Every analysis of a route (overflight, verification, time/fuel, diversion, polar flags)
    handles an infeasible route this one way; anything but a `Route` is an `InvalidInputError`."""
    if not isinstance(route, Route):
        raise InvalidInputError(f"cannot {task} {route!r}: expected a routes.Route ({type(route).__name__} given)")
    if not route.feasible:
        raise InfeasibleRouteError(
            f"cannot {task} the infeasible route {route.origin.code}-{route.destination.code} "
            f"({route.scenario.name}): {route.reason}"
        )
