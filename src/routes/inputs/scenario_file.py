"""The declared schema of a scenario TOML file: one table per scenario, checked with pydantic.

Imported by `routes.inputs.scenarios.load_scenarios` when it reads a user's file (the shipped
``scenarios.toml`` is checked against the same schema by the tests, so ordinary runs never import
pydantic). `check_scenario_table` turns every table into the plain mapping the reader builds from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from routes.errors import ScenarioFileError
from routes.inputs.bans import day_of
from routes.schema import Strict, validate


def _codes(value: Any) -> Any:
    if isinstance(value, str):  # never read letter by letter
        raise ValueError(f"expected a list of ISO state codes, e.g. [{value!r}], got one text {value!r}")
    if not isinstance(value, list):
        raise ValueError(f"expected a list of ISO state codes, e.g. ['CAN', 'NOR'], got {value!r}")
    return value


def _texts(value: Any) -> Any:
    if isinstance(value, str):  # one source is a list of one
        return [value]
    if not isinstance(value, list):
        raise ValueError(f"expected a text or a list of texts (URLs, citations), got {value!r}")
    return value


def _day(value: Any) -> dt.date:
    return day_of(value)  # a datetime is refused: the scenario is for a day


def _effective(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):  # effective = 2022-02-27 (unquoted)
        return value.isoformat()
    return value


Codes = Annotated[list[str], BeforeValidator(_codes)]
Texts = Annotated[list[str], BeforeValidator(_texts)]
Day = Annotated[dt.date, BeforeValidator(_day)]


class ScenarioSpec(Strict):
    """One ``[name]`` table of a scenario file (see the header of ``data/airspace/scenarios.toml``)."""

    description: str = ""
    effective: Annotated[str, BeforeValidator(_effective)] = ""
    notes: str = ""
    as_of: Day | None = None
    extends: str | None = None
    operator: str | None = None
    airline: str | None = None
    on: Day | None = None
    closed: Codes = Field(default_factory=list)
    open: Codes = Field(default_factory=list)
    unclear: Codes = Field(default_factory=list)
    closed_geojson: str | None = None
    open_geojson: str | None = None
    sources: Texts = Field(default_factory=list)
    avoid_firs: bool = False

    @model_validator(mode="after")
    def _one_parent(self) -> ScenarioSpec:
        parents = [k for k in ("extends", "operator", "airline") if getattr(self, k) is not None]
        if len(parents) > 1:
            raise ValueError(f"use only one of 'extends', 'operator' and 'airline', got {' and '.join(parents)}")
        if self.on is not None and not ({"operator", "airline"} & set(parents)):
            raise ValueError("'on' needs 'operator' or 'airline'")
        return self


def check_scenario_table(table: Mapping[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    """Every scenario of a parsed TOML file checked against `ScenarioSpec`: ``{name: {key: value}}``
    with only the keys given (a None, possible in a mapping, counts as not given), sources as lists and
    dates as `datetime.date`.

    Raises
    ------
    ScenarioFileError
        Naming the file, the scenario, the key and what was expected.
    """
    return {
        name: validate(ScenarioSpec, spec, f"{path}: scenario {name!r}", ScenarioFileError).model_dump(
            exclude_unset=True, exclude_none=True
        )
        for name, spec in table.items()
    }
