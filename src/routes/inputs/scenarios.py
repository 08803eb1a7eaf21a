"""Closure scenarios: which states' airspace (plus extra polygons) is closed.

A `Scenario` is a value: closed states, states exempted from them, extra closed polygons and open
corridors. The built-in ones come from ``data/airspace/scenarios.toml``; users load their own TOML
with `load_scenarios` or build one in code.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import shapely

from routes.errors import ScenarioError
from routes.inputs.airspace import data_dir, normalize_code, state_name

PolygonInput = Any  # shapely geometry, GeoJSON mapping, GeoDataFrame/GeoSeries or a file path


@dataclass(frozen=True)
class Scenario:
    """A named set of closures.

    Attributes
    ----------
    name : str
        Identifier, e.g. ``"europe-closed"``.
    closed : frozenset of str
        ISO alpha-3 codes of states whose sovereign airspace is closed.
    open : frozenset of str
        Codes exempted from ``closed`` (useful with ``extends``).
    closed_polygons : tuple of shapely.Polygon
        Extra closed areas, lon/lat (EPSG:4326).
    open_polygons : tuple of shapely.Polygon
        Corridors carved out of the closed airspace, lon/lat.
    description, effective, notes : str
        Human-readable provenance.
    sources : tuple of str
        Public sources of the closures.
    """

    name: str
    closed: frozenset[str] = frozenset()
    open: frozenset[str] = frozenset()
    closed_polygons: tuple[shapely.Geometry, ...] = ()
    open_polygons: tuple[shapely.Geometry, ...] = ()
    description: str = ""
    effective: str = ""
    notes: str = field(default="", compare=False)
    sources: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def build(
        cls,
        name: str,
        closed: Iterable[str] = (),
        open: Iterable[str] = (),
        closed_polygons: PolygonInput | None = None,
        open_polygons: PolygonInput | None = None,
        description: str = "",
        **kwargs: Any,
    ) -> Scenario:
        """Validate codes (alpha-2 or alpha-3) and polygons, then build a scenario.

        Raises
        ------
        ScenarioError
            Naming the unknown code or the malformed polygon.
        """
        return cls(
            name=name,
            closed=frozenset(_codes(closed, f"scenario {name!r}: closed")),
            open=frozenset(_codes(open, f"scenario {name!r}: open")),
            closed_polygons=as_polygons(closed_polygons, f"scenario {name!r}: closed polygons"),
            open_polygons=as_polygons(open_polygons, f"scenario {name!r}: open polygons"),
            description=description,
            **kwargs,
        )

    @property
    def closed_states(self) -> frozenset[str]:
        """Codes closed after the ``open`` override."""
        return self.closed - self.open

    @property
    def is_open_sky(self) -> bool:
        """True when nothing is closed (the pre-2022 baseline)."""
        return not self.closed_states and not self.closed_polygons

    def with_closed(self, *codes: str, name: str | None = None) -> Scenario:
        """A copy with more states closed."""
        extra = _codes(codes, f"scenario {self.name!r}: closed")
        return replace(self, name=name or f"{self.name}+{'+'.join(extra)}", closed=self.closed | set(extra))

    def with_open(self, *codes: str, name: str | None = None) -> Scenario:
        """A copy with some states exempted (opened)."""
        extra = _codes(codes, f"scenario {self.name!r}: open")
        return replace(self, name=name or f"{self.name}-{'-'.join(extra)}", open=self.open | set(extra))

    def with_polygons(
        self, closed: PolygonInput | None = None, open: PolygonInput | None = None, name: str | None = None
    ) -> Scenario:
        """A copy with extra closed polygons and/or open corridors."""
        return replace(
            self,
            name=name or self.name,
            closed_polygons=self.closed_polygons + as_polygons(closed, f"scenario {self.name!r}: closed polygons"),
            open_polygons=self.open_polygons + as_polygons(open, f"scenario {self.name!r}: open polygons"),
        )

    def describe(self) -> str:
        """One line: name, description and what is closed."""
        names = ", ".join(state_name(c) for c in sorted(self.closed_states)[:6])
        more = len(self.closed_states) - 6
        tail = f" and {more} more" if more > 0 else ""
        polys = f"; {len(self.closed_polygons)} extra polygon(s)" if self.closed_polygons else ""
        return f"{self.name}: {self.description} [{names or 'nothing'}{tail}{polys}]"


def _codes(codes: Iterable[str], label: str) -> list[str]:
    if isinstance(codes, str):
        codes = [codes]
    out = []
    for code in codes:
        try:
            out.append(normalize_code(code))
        except ScenarioError as exc:
            raise ScenarioError(f"{label}: {exc}") from None
    return out


def as_polygons(obj: PolygonInput | None, label: str = "polygons") -> tuple[shapely.Geometry, ...]:
    """Polygons (lon/lat) from a shapely geometry, GeoJSON mapping/text/file or GeoDataFrame.

    Raises
    ------
    ScenarioError
        Unreadable GeoJSON, non-polygon geometry, coordinates out of range or an invalid
        (e.g. self-intersecting) polygon; the message names the entry.
    """
    if obj is None:
        return ()
    geoms = _geometries(obj, label)
    out: list[shapely.Geometry] = []
    for i, geom in enumerate(geoms):
        where = f"{label} [{i}]"
        if geom is None or geom.is_empty:
            raise ScenarioError(f"{where}: empty geometry")
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ScenarioError(f"{where}: expected a Polygon or MultiPolygon, got {geom.geom_type}")
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise ScenarioError(
                f"{where}: coordinates out of range (bounds {geom.bounds}); GeoJSON is (lon, lat) "
                "with lon in [-180, 180] and lat in [-90, 90]"
            )
        if not geom.is_valid:
            raise ScenarioError(f"{where}: invalid polygon ({shapely.is_valid_reason(geom)})")
        out.extend(shapely.get_parts(geom))
    return tuple(out)


def _geometries(obj: PolygonInput, label: str) -> list[shapely.Geometry]:
    if isinstance(obj, shapely.Geometry):
        return [obj]
    if (hasattr(obj, "geometry") and hasattr(obj, "crs")) or type(obj).__name__ == "GeoSeries":
        crs = getattr(obj, "crs", None)
        if crs is not None and not crs.equals("EPSG:4326"):
            obj = obj.to_crs("EPSG:4326")
        series = obj.geometry if hasattr(obj, "geometry") else obj
        return list(series.values)
    if isinstance(obj, Path) or (isinstance(obj, str) and not obj.lstrip().startswith("{")):
        path = Path(obj)
        try:
            obj = json.loads(path.read_text())
        except FileNotFoundError:
            raise ScenarioError(f"{label}: GeoJSON file not found: {path}") from None
        except (OSError, json.JSONDecodeError) as exc:
            raise ScenarioError(f"{label}: cannot read GeoJSON {path}: {exc}") from None
    elif isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except json.JSONDecodeError as exc:
            raise ScenarioError(f"{label}: malformed GeoJSON text: {exc}") from None
    if not isinstance(obj, Mapping) or "type" not in obj:
        raise ScenarioError(f"{label}: expected GeoJSON (a mapping with 'type'), got {type(obj).__name__}")
    kind = obj["type"]
    items = (
        [f.get("geometry") for f in obj.get("features", [])]
        if kind == "FeatureCollection"
        else [obj.get("geometry")]
        if kind == "Feature"
        else [obj]
    )
    geoms = []
    for i, item in enumerate(items):
        try:
            geoms.append(shapely.geometry.shape(item))
        except Exception as exc:  # shapely raises several types for bad GeoJSON
            raise ScenarioError(f"{label} [{i}]: malformed GeoJSON geometry: {exc}") from None
    return geoms


def load_scenarios(path: str | Path | None = None) -> dict[str, Scenario]:
    """Read scenarios from a TOML file (default: the built-in ``scenarios.toml``).

    ``extends`` may name a scenario defined earlier in the same file or a built-in one.
    """
    path = Path(path) if path else data_dir() / "airspace" / "scenarios.toml"
    try:
        table = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"malformed scenario file {path}: {exc}") from None
    base = {} if path == data_dir() / "airspace" / "scenarios.toml" else builtin_scenarios()
    out: dict[str, Scenario] = {}
    for name, spec in table.items():
        if not isinstance(spec, Mapping):
            raise ScenarioError(f"{path}: [{name}] must be a table")
        out[name] = _from_spec(name, spec, {**base, **out}, path.parent)
    return out


def _from_spec(name: str, spec: Mapping[str, Any], known: Mapping[str, Scenario], folder: Path) -> Scenario:
    allowed = {
        "description",
        "effective",
        "extends",
        "closed",
        "open",
        "closed_geojson",
        "open_geojson",
        "sources",
        "notes",
    }
    unknown = set(spec) - allowed
    if unknown:
        raise ScenarioError(f"scenario {name!r}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    parent = Scenario(name)
    if "extends" in spec:
        if spec["extends"] not in known:
            raise ScenarioError(f"scenario {name!r} extends unknown scenario {spec['extends']!r}")
        parent = known[spec["extends"]]

    def geo(key: str) -> PolygonInput | None:
        return folder / spec[key] if key in spec else None

    own = Scenario.build(
        name,
        closed=spec.get("closed", []),
        open=spec.get("open", []),
        closed_polygons=geo("closed_geojson"),
        open_polygons=geo("open_geojson"),
    )
    return Scenario(
        name=name,
        closed=(parent.closed | own.closed) - own.open,
        open=parent.open | own.open,
        closed_polygons=parent.closed_polygons + own.closed_polygons,
        open_polygons=parent.open_polygons + own.open_polygons,
        description=spec.get("description", ""),
        effective=spec.get("effective", ""),
        notes=spec.get("notes", "").strip(),
        sources=tuple(spec.get("sources", ())),
    )


@cache
def builtin_scenarios() -> dict[str, Scenario]:
    """The scenarios of ``data/airspace/scenarios.toml``, by name."""
    return load_scenarios(None)


def get_scenario(scenario: str | Scenario) -> Scenario:
    """A built-in scenario by name (or a `Scenario`, returned unchanged)."""
    if isinstance(scenario, Scenario):
        return scenario
    known = builtin_scenarios()
    if scenario not in known:
        raise ScenarioError(f"unknown scenario {scenario!r}; built-in scenarios: {', '.join(known)}")
    return known[scenario]


MISSION_SCENARIOS = ("pre-2022", "europe-closed", "europe-canada-closed", "closures-2022")
"""The scenarios of the default report."""
