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
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any

import shapely

from routes.errors import ScenarioError, UnknownOperatorError
from routes.extensions import extensible
from routes.inputs.airlines import get_airline
from routes.inputs.airspace import data_dir, normalize_code, state_name
from routes.inputs.bans import KINDS, BanTable, load_bans, parse_date

PolygonInput = Any  # shapely geometry, GeoJSON mapping, GeoDataFrame/GeoSeries or a file path


@extensible
@dataclass(frozen=True)
class Scenario:
    """A named set of closures.

    The states actually closed are `closed_states`: `listed_closed_states` minus `exempt_states`.

    Attributes
    ----------
    name : str
        Identifier, e.g. ``"europe-closed"``.
    listed_closed_states : frozenset of str
        ISO alpha-3 codes of the states listed as closed (the TOML ``closed`` key), before exemptions.
    exempt_states : frozenset of str
        Codes exempted from ``listed_closed_states`` (the TOML ``open`` key; useful with ``extends``).
    closed_polygons : tuple of shapely.Polygon
        Extra closed areas, lon/lat (EPSG:4326).
    open_corridors : tuple of shapely.Polygon
        Corridors carved out of the closed airspace, lon/lat.
    description, effective, notes : str
        Human-readable provenance.
    sources : tuple of str
        Public sources of the closures.
    as_of : str
        ``YYYY-MM-DD``: the day whose closures the scenario describes ("" for hand-built ones).
    unclear : frozenset of str
        Closed states whose closure the sources did not settle (kept closed for conservatism);
        ``scenario.with_open(*scenario.unclear)`` opens them.
    operator : str
        ISO alpha-3 code of the operator's state when the scenario was built for one (`for_operator`,
        `for_airline`, the TOML ``operator`` key); "" otherwise. Charges use its tariff (Russia: RUB for
        Russian operators, USD for foreign ones).
    """

    name: str
    listed_closed_states: frozenset[str] = frozenset()
    exempt_states: frozenset[str] = frozenset()
    closed_polygons: tuple[shapely.Geometry, ...] = ()
    open_corridors: tuple[shapely.Geometry, ...] = ()
    description: str = ""
    effective: str = ""
    notes: str = field(default="", compare=False)
    sources: tuple[str, ...] = field(default=(), compare=False)
    as_of: str = field(default="", compare=False)
    unclear: frozenset[str] = field(default=frozenset(), compare=False)
    operator: str = field(default="", compare=False)

    @classmethod
    def build(
        cls,
        name: str,
        closed_states: Iterable[str] = (),
        exempt_states: Iterable[str] = (),
        closed_polygons: PolygonInput | None = None,
        open_corridors: PolygonInput | None = None,
        description: str = "",
        **kwargs: Any,
    ) -> Scenario:
        """Validate codes (alpha-2 or alpha-3) and polygons, then build a scenario.

        Parameters
        ----------
        name : str
            The scenario's name.
        closed_states : iterable of str
            ISO alpha-3 or alpha-2 codes of the states to close.
        exempt_states : iterable of str
            Codes exempted from them.
        closed_polygons, open_corridors : shapely geometry, GeoJSON (mapping, text or file), GeoDataFrame or None
            Extra closed areas and corridors carved out of the closed airspace.
        description : str
            Human-readable description.
        **kwargs
            Other `Scenario` fields (``effective``, ``notes``, ``sources``, ``as_of``, ``unclear``).

        Raises
        ------
        ScenarioError
            Naming the unknown code or the malformed polygon.

        Examples
        --------
        >>> s = Scenario.build("mine", closed_states=["RU", "BY"], description="Russia and Belarus closed")
        >>> sorted(s.closed_states), s.is_open_sky
        (['BLR', 'RUS'], False)
        """
        return cls(
            name=name,
            listed_closed_states=frozenset(_codes(closed_states, f"scenario {name!r}: closed")),
            exempt_states=frozenset(_codes(exempt_states, f"scenario {name!r}: open")),
            closed_polygons=as_polygons(closed_polygons, f"scenario {name!r}: closed polygons"),
            open_corridors=as_polygons(open_corridors, f"scenario {name!r}: open polygons"),
            description=description,
            **kwargs,
        )

    @classmethod
    def for_operator(
        cls,
        operator: str,
        on: date | str | None = None,
        *,
        kinds: Iterable[str] = KINDS,
        table: BanTable | str | Path | None = None,
        name: str | None = None,
    ) -> Scenario:
        """The airspace closed to the operators of a state on a date, from the ban table.

        Parameters
        ----------
        operator : str
            ISO alpha-3 or alpha-2 code of the operator's state (of its air operator certificate), e.g.
            ``"FIN"``; for an airline designator use `for_airline`.
        on : date, ``"YYYY-MM-DD"`` or None
            The day (default: the table's as-of date). Before the table's first measure nothing is closed
            (the pre-2022 airspace); after its as-of date the latest state comes with a `StaleDataWarning`.
        kinds : iterable of str
            Kinds of measure that count (default all: ban, closure, prohibition, avoidance).
        table : BanTable, path or None
            Another ban table (default: the built-in ``data/airspace/bans.csv``).
        name : str, optional
            Scenario name (default ``"operator-FIN@2025-06-01"``).

        Raises
        ------
        UnknownOperatorError
            The state code is unknown.
        ScenarioError
            A malformed date or kind (`BanTableError` for a malformed table).

        Examples
        --------
        >>> s = Scenario.for_operator("FIN", "2025-06-01")
        >>> s.name, sorted(s.closed_states)
        ('operator-FIN@2025-06-01', ['BLR', 'RUS', 'UKR'])
        """
        # long only by its docstring: the body is under 40 lines
        bans = table if isinstance(table, BanTable) else load_bans(table)
        try:
            state = normalize_code(operator)
        except ScenarioError:
            raise UnknownOperatorError(
                f"unknown operator state {operator!r}: use the ISO 3166-1 alpha-3 (or alpha-2) code of the "
                "operator's state, e.g. 'FIN', or Scenario.for_airline('AY') for an airline designator"
            ) from None
        day = bans.as_of if on is None else parse_date(on, "on")
        closed = bans.closed_for(state, day, kinds)
        as_of = min(day, bans.as_of)
        citations = dict.fromkeys(f"{code}: {b.citation}" for code, found in closed.items() for b in found)
        unclear = {code for code, found in closed.items() if all(b.status == "unclear" for b in found)}
        first = min((found[0].start for found in closed.values()), default=None)
        return cls(
            name=name or f"operator-{state}@{day.isoformat()}",
            listed_closed_states=frozenset(closed),
            description=f"Airspace closed to operators of {state_name(state)} on {day.isoformat()} (ban table)",
            effective=f"{first.isoformat()} to {as_of.isoformat()}" if first else f"nothing closed on {day}",
            notes=f"From the ban table {Path(bans.path).name} (as of {bans.as_of.isoformat()}).",
            sources=tuple(citations),
            as_of=as_of.isoformat(),
            unclear=frozenset(unclear),
            operator=state,
        )

    @classmethod
    def for_airline(cls, code: str, on: date | str | None = None, **kwargs: Any) -> Scenario:
        """`for_operator` for the state of an airline given by its ICAO or IATA designator (``"AY"``, ``"AFL"``).

        Raises
        ------
        UnknownOperatorError
            Unknown or ambiguous designator.
        """
        airline = get_airline(code)
        kwargs.setdefault("name", f"airline-{airline.icao}@{parse_date(on, 'on') if on else 'as-of'}")
        scn = cls.for_operator(airline.state, on, **kwargs)
        return replace(scn, description=f"{airline.name} ({airline.icao}, {airline.state}): {scn.description}")

    @property
    def closed_states(self) -> frozenset[str]:
        """ISO alpha-3 codes of the states whose airspace is closed: `listed_closed_states` minus `exempt_states`."""
        return self.listed_closed_states - self.exempt_states

    @property
    def is_open_sky(self) -> bool:
        """True when nothing is closed (the pre-2022 baseline)."""
        return not self.closed_states and not self.closed_polygons

    def with_closed(self, *codes: str, name: str | None = None) -> Scenario:
        """A copy with more states closed."""
        extra = _codes(codes, f"scenario {self.name!r}: closed")
        closed = self.listed_closed_states | set(extra)
        return replace(self, name=name or f"{self.name}+{'+'.join(extra)}", listed_closed_states=closed)

    def with_open(self, *codes: str, name: str | None = None) -> Scenario:
        """A copy with some states exempted (opened)."""
        extra = _codes(codes, f"scenario {self.name!r}: open")
        return replace(
            self,
            name=name or f"{self.name}-{'-'.join(extra)}",
            exempt_states=self.exempt_states | set(extra),
            unclear=self.unclear - set(extra),
        )

    def with_firs(self, name: str | None = None) -> Scenario:
        """A copy that also closes the flight information regions of the closed states (FIR layer:
        Russia, Belarus, Ukraine), e.g. the high-seas parts of Russia's FIRs over the Arctic and the Pacific.

        Raises
        ------
        ScenarioError
            None of the closed states has FIRs in the layer.
        """
        from routes.inputs.firs import fir_area, fir_states

        area = fir_area(self.closed_states)
        if area is None:
            raise ScenarioError(
                f"scenario {self.name!r}: the FIR layer has no FIRs of its closed states; it covers "
                f"{', '.join(sorted(fir_states()))}"
            )
        return self.with_polygons(closed_polygons=area, name=name or f"{self.name}+firs")

    def with_polygons(
        self,
        closed_polygons: PolygonInput | None = None,
        open_corridors: PolygonInput | None = None,
        name: str | None = None,
    ) -> Scenario:
        """A copy with extra closed polygons and/or open corridors."""
        return replace(
            self,
            name=name or self.name,
            closed_polygons=self.closed_polygons
            + as_polygons(closed_polygons, f"scenario {self.name!r}: closed polygons"),
            open_corridors=self.open_corridors + as_polygons(open_corridors, f"scenario {self.name!r}: open polygons"),
        )

    def __repr__(self) -> str:
        polys = f", {len(self.closed_polygons)} closed polygon(s)" if self.closed_polygons else ""
        corridors = f", {len(self.open_corridors)} corridor(s)" if self.open_corridors else ""
        return f"Scenario({self.name!r}, {len(self.closed_states)} states closed{polys}{corridors})"

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
    if not isinstance(codes, Iterable) or isinstance(codes, Mapping | bytes):
        raise ScenarioError(
            f"{label}: expected a list of ISO state codes (e.g. ['CAN', 'NO']), got {codes!r} ({type(codes).__name__})"
        )
    out = []
    for code in codes:
        if not isinstance(code, str):
            raise ScenarioError(f"{label}: state codes are text (e.g. 'CAN'), got {code!r} ({type(code).__name__})")
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
        except (OSError, ValueError) as exc:  # ValueError: JSON errors, and a path with a null byte
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

    ``extends`` may name a scenario defined earlier in the same file or a built-in one. A user's file is
    checked against the declared schema (`routes.inputs.scenario_file.ScenarioSpec`) before use.

    Raises
    ------
    ScenarioFileError
        The file does not fit the schema: an unknown key, a wrong type (a text where a list of codes is
        expected, a date and time where a day is), contradicting keys; the message names the file, the
        scenario and the key.
    ScenarioError
        A missing or malformed file, an unknown state code, parent scenario or GeoJSON file.
    """
    builtin = data_dir() / "airspace" / "scenarios.toml"
    path = Path(path) if path else builtin
    try:
        table = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:  # a folder, no permission, a binary file
        raise ScenarioError(f"cannot read scenario file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"malformed scenario file {path}: {exc}") from None
    if path != builtin:  # the shipped file is checked against the schema by the tests
        from routes.inputs.scenario_file import check_scenario_table

        table = check_scenario_table(table, path)
    base = {} if path == builtin else builtin_scenarios()
    out: dict[str, Scenario] = {}
    for name, spec in table.items():
        try:
            out[name] = _from_spec(name, spec, {**base, **out}, path.parent)
        except ScenarioError as exc:  # an unknown code, parent or GeoJSON file: name the file too
            raise type(exc)(f"{path}: {exc}") from None
    return out


def _parent(name: str, spec: Mapping[str, Any], known: Mapping[str, Scenario]) -> Scenario:
    """The scenario a spec builds on: ``extends``, the ban table for ``operator``/``airline``, or nothing."""
    if "extends" in spec:
        if spec["extends"] not in known:
            raise ScenarioError(f"scenario {name!r} extends unknown scenario {spec['extends']!r}")
        return known[spec["extends"]]
    if "operator" in spec:
        return Scenario.for_operator(spec["operator"], spec.get("on"), name=name)
    if "airline" in spec:
        return Scenario.for_airline(spec["airline"], spec.get("on"), name=name)
    return Scenario(name)


def _from_spec(name: str, spec: Mapping[str, Any], known: Mapping[str, Scenario], folder: Path) -> Scenario:
    """A scenario from one table that fits `ScenarioSpec` (types and keys are not checked again here)."""
    parent = _parent(name, spec, known)
    as_of = spec.get("as_of", parent.as_of)
    if as_of:
        as_of = parse_date(as_of, f"scenario {name!r}: as_of").isoformat()

    def geo(key: str) -> PolygonInput | None:
        return folder / spec[key] if key in spec else None

    own = Scenario.build(
        name,
        closed_states=spec.get("closed", []),
        exempt_states=spec.get("open", []),
        closed_polygons=geo("closed_geojson"),
        open_corridors=geo("open_geojson"),
    )
    if spec.get("avoid_firs", False):
        own = replace(
            own,
            closed_polygons=own.closed_polygons
            + _fir_polygons(name, (parent.listed_closed_states | own.listed_closed_states) - own.exempt_states),
        )
    closed = (parent.listed_closed_states | own.listed_closed_states) - own.exempt_states
    unclear = frozenset(_codes(spec.get("unclear", []), f"scenario {name!r}: unclear"))
    if stray := unclear - closed:
        raise ScenarioError(f"scenario {name!r}: unclear code(s) {sorted(stray)} are not closed; list them in 'closed'")
    unclear |= parent.unclear & closed
    inherit = "extends" not in spec
    return Scenario(
        name=name,
        listed_closed_states=closed,
        exempt_states=parent.exempt_states | own.exempt_states,
        closed_polygons=parent.closed_polygons + own.closed_polygons,
        open_corridors=parent.open_corridors + own.open_corridors,
        description=spec.get("description", parent.description if inherit else ""),
        effective=spec.get("effective", parent.effective if inherit else ""),
        notes="\n".join(n for n in (spec.get("notes", "").strip(), parent.notes if inherit else "") if n),
        sources=tuple(spec.get("sources", ())) + (parent.sources if inherit else ()),
        as_of=as_of,
        unclear=unclear,
        operator=parent.operator,
    )


def _fir_polygons(name: str, closed: frozenset[str]) -> tuple[shapely.Geometry, ...]:
    return Scenario(name, listed_closed_states=closed).with_firs().closed_polygons


@cache
def builtin_scenarios() -> dict[str, Scenario]:
    """The scenarios of ``data/airspace/scenarios.toml``, by name (kept in the disk cache,
    `routes.diskcache`, keyed by the data files and the code that read them)."""
    from routes.diskcache import DiskCache, fingerprint, package_sources

    data = data_dir()
    files = [*(data / "airspace").glob("*.*"), data / "airlines.csv", *package_sources()]
    version = fingerprint(files, shapely.__version__)
    return DiskCache("scenarios", version).get("builtin", partial(load_scenarios, None))


def get_scenario(scenario: str | Scenario, extra: Mapping[str, Scenario] | None = None) -> Scenario:
    """A built-in scenario by name (or a `Scenario`, returned unchanged).

    Also ``"operator:FIN"``, ``"operator:FIN@2025-06-01"``, ``"airline:AY@2022-03-09"`` (the ban table for an
    operator's state or an airline, on a date; default the table's as-of date) and a ``+firs`` suffix
    (``"airline:AY+firs"``) to avoid the closed states' FIRs too.

    Parameters
    ----------
    scenario : str or Scenario
    extra : mapping of name to Scenario, optional
        More scenarios known by name (e.g. `load_scenarios` of a user's file); they take precedence over
        the built-in ones of the same name.

    Raises
    ------
    ScenarioError
        An unknown name (the message lists the built-in ones) or something that is not a name.

    Examples
    --------
    >>> s = get_scenario("europe-canada-closed")
    >>> len(s.closed_states), "CAN" in s.closed_states, "RUS" in s.closed_states
    (60, True, False)
    >>> sorted(get_scenario("operator:FIN@2025-06-01").closed_states)
    ['BLR', 'RUS', 'UKR']
    """
    if isinstance(scenario, Scenario):
        return scenario
    if not isinstance(scenario, str):
        raise ScenarioError(
            f"expected one scenario name or a Scenario, got {scenario!r} ({type(scenario).__name__}); "
            "for several scenarios use routes.compare"
        )
    known = {**builtin_scenarios(), **(extra or {})}
    if scenario in known:
        return known[scenario]
    parsed = operator_scenario(scenario)
    if parsed is not None:
        return parsed
    listed = f"built-in scenarios: {', '.join(builtin_scenarios())}"
    if extra:
        listed += f"; from the scenario file: {', '.join(extra)}"
    raise ScenarioError(
        f"unknown scenario {scenario!r}; {listed}; or 'operator:FIN[@YYYY-MM-DD]' / 'airline:AY[@YYYY-MM-DD]'"
    )


def operator_scenario(text: str) -> Scenario | None:
    """The scenario named by ``"operator:CODE[@YYYY-MM-DD][+firs]"`` or ``"airline:CODE[...]"``; None for
    other names."""
    kind, sep, rest = str(text).partition(":")
    if not sep or kind not in ("operator", "airline"):
        return None
    firs = rest.endswith("+firs")
    rest = rest.removesuffix("+firs")
    code, _, on = rest.partition("@")
    build = Scenario.for_operator if kind == "operator" else Scenario.for_airline
    scn = build(code, on or None, name=str(text))
    return scn.with_firs(name=str(text)) if firs else scn


MISSION_SCENARIOS = ("pre-2022", "europe-closed", "europe-canada-closed", "closures-2022")
"""The scenarios of the default report."""
