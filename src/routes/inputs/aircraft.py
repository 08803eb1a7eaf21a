"""Aircraft data that OpenAP lacks, every value with its source: ``data/aircraft/aircraft.toml``.

Two kinds of entry: whole types OpenAP does not have (the Il-96-300, with the fuel model that stands in
for it) and, for OpenAP types, the weights OpenAP does not carry (maximum zero-fuel weight, maximum
landing weight) and a take-off field length. Provenance and limits: ``data/aircraft/README.md``.

The file is read once and checked against a declared schema (`routes.schema`); a malformed file raises
`SchemaError` naming the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from routes.diskcache import memoize
from routes.errors import SchemaError, UnknownAircraftError
from routes.inputs.airspace import data_dir

Status = Literal["primary", "secondary", "tertiary", "derived", "unconfirmed"]
NUMERIC_FIELDS = (
    "engines",
    "mtow_kg",
    "mzfw_kg",
    "mlw_kg",
    "oew_kg",
    "fuel_capacity_kg",
    "seats",
    "cruise_mach",
    "cruise_alt_ft",
    "mmo",
    "ceiling_ft",
    "wingspan_m",
    "takeoff_field_m",
)
"""The numeric fields a type may carry (all in the units their names say)."""
FULL_TYPE_FIELDS = tuple(f for f in NUMERIC_FIELDS if f != "takeoff_field_m")
"""The fields a type OpenAP lacks must have for the performance model."""


@dataclass(frozen=True)
class SourcedValue:
    """One value with where it comes from.

    Attributes
    ----------
    value : float or str
    source : str
        Key of the source in the file's ``[sources]`` table (see `aircraft_sources`).
    status : str
        ``primary``, ``secondary``, ``tertiary``, ``derived`` or ``unconfirmed``.
    note : str
        Quotes, disagreements between sources, conditions.
    """

    value: float | str
    source: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class FuelModel:
    """How the fuel burn of a type OpenAP lacks is modelled.

    Attributes
    ----------
    openap_proxy : str
        The OpenAP type whose fuel-flow and climb/descent models are used (upper case).
    method : str
    range_km, payload_kg : SourcedValue
        The published range point the proxy's fuel flow is scaled to fly.
    """

    openap_proxy: str
    method: str
    range_km: SourcedValue
    payload_kg: SourcedValue


@dataclass(frozen=True)
class AircraftRecord:
    """The sourced data of one type.

    Attributes
    ----------
    code : str
        ICAO type designator (``"IL96"``).
    name : str
    in_openap : bool
        True when OpenAP has the type (then only the fields OpenAP lacks are used).
    values : dict of str to SourcedValue
        By field name (`NUMERIC_FIELDS`, ``code_letter``).
    fuel_model : FuelModel or None
        For types OpenAP lacks.
    """

    code: str
    name: str
    in_openap: bool
    values: dict[str, SourcedValue]
    fuel_model: FuelModel | None = None

    def number(self, field: str) -> float | None:
        """A numeric field's value, or None when the file has none."""
        v = self.values.get(field)
        return None if v is None else float(v.value)

    def require(self, field: str, purpose: str = "this calculation") -> float:
        """A numeric field's value.

        Raises
        ------
        MissingAircraftDataError
            The file has no value for it (the message names the field and the type).
        """
        from routes.errors import MissingAircraftDataError

        value = self.number(field)
        if value is None:
            raise MissingAircraftDataError(
                f"aircraft {self.code} has no {field} in data/aircraft/aircraft.toml, which {purpose} needs; "
                f"add it with its source"
            )
        return value


def _schemas() -> tuple[type, type]:
    """The file's pydantic schema (built lazily: pydantic is slow to import)."""
    from pydantic import Field

    from routes.schema import Strict

    class Value(Strict):
        value: float | str
        source: str
        status: Status
        note: str = ""

    class Source(Strict):
        title: str
        publisher: str
        date: str
        url: str
        status: str

    class Model(Strict):
        openap_proxy: str
        method: str
        range_km: Value
        payload_kg: Value

    class TypeSpec(Strict):
        name: str
        in_openap: bool
        code_letter: Value | None = None
        fuel_model: Model | None = None
        values: dict[str, Value] = Field(default_factory=dict)

    class File(Strict):
        sources: dict[str, Source]
        types: dict[str, TypeSpec]

    return File, TypeSpec


def _split(spec: dict[str, Any]) -> dict[str, Any]:
    """Move the numeric fields of a type table under ``values`` (the schema checks their names)."""
    out = {k: v for k, v in spec.items() if k in ("name", "in_openap", "code_letter", "fuel_model")}
    values = {k: v for k, v in spec.items() if k not in out}
    unknown = sorted(set(values) - set(NUMERIC_FIELDS))
    if unknown:
        raise SchemaError(f"unknown aircraft field(s) {', '.join(unknown)}; known: {', '.join(NUMERIC_FIELDS)}")
    out["values"] = values
    return out


def _value(v: Any) -> SourcedValue:
    return SourcedValue(value=v.value, source=v.source, status=v.status, note=v.note)


def load_aircraft_data(path: str | Path | None = None) -> dict[str, AircraftRecord]:
    """All types of an aircraft data file, by ICAO code (upper case).

    Parameters
    ----------
    path : str, Path or None
        Default: the packaged ``data/aircraft/aircraft.toml``.

    Raises
    ------
    SchemaError
        The file does not fit the schema, names an unknown source, or a type OpenAP lacks misses a field
        the performance model needs.
    """
    from routes.schema import validate

    file = Path(path) if path is not None else data_dir() / "aircraft" / "aircraft.toml"
    raw = tomllib.loads(file.read_text(encoding="utf-8"))
    raw_types = raw.get("types", {})
    if isinstance(raw_types, dict):
        raw = {**raw, "types": {k: _split(v) if isinstance(v, dict) else v for k, v in raw_types.items()}}
    file_model, _ = _schemas()
    data = validate(file_model, raw, str(file))
    out = {}
    for code, spec in data.types.items():
        values = {k: _value(v) for k, v in spec.values.items()}
        if spec.code_letter is not None:
            values["code_letter"] = _value(spec.code_letter)
        for field, v in values.items():
            if v.source not in data.sources:
                raise SchemaError(f"{file}: types.{code}.{field}: unknown source {v.source!r}")
            if field != "code_letter" and not isinstance(v.value, int | float):
                raise SchemaError(f"{file}: types.{code}.{field}: expected a number, got {v.value!r}")
        model = spec.fuel_model
        fuel_model = (
            FuelModel(model.openap_proxy.upper(), model.method, _value(model.range_km), _value(model.payload_kg))
            if model is not None
            else None
        )
        record = AircraftRecord(code.upper(), spec.name, spec.in_openap, values, fuel_model)
        if not spec.in_openap:
            _check_full(record, str(file))
        out[code.upper()] = record
    return out


def _check_full(record: AircraftRecord, source: str) -> None:
    missing = [f for f in FULL_TYPE_FIELDS if f not in record.values]
    if missing or record.fuel_model is None:
        what = ", ".join(missing + ([] if record.fuel_model else ["fuel_model"]))
        raise SchemaError(f"{source}: types.{record.code}: a type OpenAP lacks needs {what}")


def _packaged_files() -> list[Path]:
    return [data_dir() / "aircraft" / "aircraft.toml", Path(__file__)]


@cache
@memoize("aircraft", _packaged_files)
def aircraft_data() -> dict[str, AircraftRecord]:
    """The packaged aircraft data, by ICAO code: checked against the schema once per version of the file
    (the disk cache keeps the checked records, so a fresh process needs no pydantic)."""
    return load_aircraft_data()


@cache
def aircraft_sources() -> dict[str, dict[str, str]]:
    """The packaged file's sources by key: title, publisher, date, url, status."""
    raw = tomllib.loads((data_dir() / "aircraft" / "aircraft.toml").read_text(encoding="utf-8"))
    return {k: dict(v) for k, v in raw["sources"].items()}


def extra_types() -> tuple[str, ...]:
    """ICAO codes of the types OpenAP lacks that the data file models (``("IL96",)``)."""
    return tuple(code for code, rec in aircraft_data().items() if not rec.in_openap)


def aircraft_record(code: str) -> AircraftRecord | None:
    """The sourced data of a type (any case), or None when the file has none."""
    return aircraft_data().get(str(code).strip().upper())


def require_record(code: str) -> AircraftRecord:
    """The sourced data of a type.

    Raises
    ------
    UnknownAircraftError
        The file has no entry for it.
    """
    rec = aircraft_record(code)
    if rec is None:
        raise UnknownAircraftError(
            f"no sourced data for aircraft {code!r} in data/aircraft/aircraft.toml; it has {', '.join(aircraft_data())}"
        )
    return rec
