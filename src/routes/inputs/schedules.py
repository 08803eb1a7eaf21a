"""Published block times of real flights (`data/validation/schedules.csv`), each with its source.

>>> rows = published_flights()
>>> r = next(r for r in rows if r.flight == "SU101")
>>> r.origin, r.destination, r.scheduled_block_min, r.month
('JFK', 'SVO', 530.0, 10)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from routes.errors import SchemaError
from routes.inputs.paths import data_dir


@dataclass(frozen=True)
class PublishedFlight:
    """One published schedule: the flight, its block time and where it was read.

    Attributes
    ----------
    scheduled_block_min : float
        Scheduled departure to scheduled arrival (local times converted with the UTC offsets), or a
        published flight duration where no times were given.
    month : int or None
        Month of the schedule (None when unknown: compare with an annual-mean wind).
    scenario : str
        The airspace regime the flight flew: ``"pre-2022"`` or ``"russia-closed"``.
    """

    origin: str
    destination: str
    airline: str
    flight: str
    aircraft: str
    scenario: str
    dep_local: str
    arr_local: str
    utc_offset_dep_h: float
    utc_offset_arr_h: float
    scheduled_block_min: float
    schedule_date: str
    month: int | None
    source: str
    source_url: str
    source_date: str
    note: str

    @property
    def label(self) -> str:
        """e.g. ``"Aeroflot SU101 JFK-SVO"``."""
        return " ".join(p for p in (self.airline, self.flight, f"{self.origin}-{self.destination}") if p)

    def block_from_times_min(self) -> float | None:
        """The block time implied by the local times and UTC offsets (None without times)."""
        if not (self.dep_local and self.arr_local):
            return None
        dep = _minutes(self.dep_local) - 60 * self.utc_offset_dep_h
        arr = _minutes(self.arr_local) - 60 * self.utc_offset_arr_h
        return (arr - dep) % (24 * 60)


def _minutes(hhmm: str) -> float:
    h, m = hhmm.split(":")
    return 60 * int(h) + int(m)


def read_flights(path: str | Path) -> list[PublishedFlight]:
    """Read a schedules table of the packaged file's shape; `SchemaError` names the row and the column."""
    path = Path(path)
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            try:
                rows.append(
                    PublishedFlight(
                        origin=row["from"],
                        destination=row["to"],
                        airline=row["airline"],
                        flight=row["flight"],
                        aircraft=row["aircraft"],
                        scenario=row["scenario"],
                        dep_local=row["scheduled_dep_local"],
                        arr_local=row["scheduled_arr_local"],
                        utc_offset_dep_h=float(row["utc_offset_dep_h"]),
                        utc_offset_arr_h=float(row["utc_offset_arr_h"]),
                        scheduled_block_min=float(row["scheduled_block_min"]),
                        schedule_date=row["schedule_date"],
                        month=int(row["months"]) if row["months"] else None,
                        source=row["source"],
                        source_url=row["source_url"],
                        source_date=row["source_date"],
                        note=row["note"],
                    )
                )
            except (KeyError, ValueError) as exc:
                raise SchemaError(f"{path}, line {i}: {type(exc).__name__}: {exc}") from None
    return rows


@cache
def published_flights() -> tuple[PublishedFlight, ...]:
    """The packaged published schedules."""
    return tuple(read_flights(data_dir() / "validation" / "schedules.csv"))


@dataclass(frozen=True)
class Effect:
    """A named effect the model leaves out, lengthening a scheduled block time, with its quantity and sources.

    Either ``minutes`` (low, high) or ``pct`` (low, high: a share of the model's airborne time);
    ``departures``, ``months`` and ``directions`` restrict where it applies (empty: everywhere).
    """

    name: str
    label: str
    minutes: tuple[float, float] | None
    pct: tuple[float, float] | None
    departures: tuple[str, ...]
    months: tuple[int, ...]
    directions: tuple[str, ...]
    derivation: str
    sources: tuple[str, ...]

    def applies(self, origin: str, month: int | None, direction: str) -> bool:
        """Whether the effect can apply to a flight from ``origin`` in ``month`` (None: unknown) going ``direction``."""
        return (
            (not self.departures or origin in self.departures)
            and (not self.months or month is None or month in self.months)
            and (not self.directions or direction in self.directions)
        )

    def budget_min(self, airborne_min: float) -> tuple[float, float]:
        """Low and high minutes of the effect on a flight of ``airborne_min``."""
        if self.minutes is not None:
            return self.minutes
        lo, hi = self.pct
        return lo / 100.0 * airborne_min, hi / 100.0 * airborne_min


def _effect_schema():
    from pydantic import Field, model_validator

    from routes.schema import Strict

    class SourceModel(Strict):
        document: str
        publisher: str
        date: str
        url: str = Field(pattern=r"^https?://")
        status: str = Field(pattern="^(primary|secondary|derived)$")
        quote: str = ""

    class EffectModel(Strict):
        label: str
        minutes_low: float | None = None
        minutes_high: float | None = None
        pct_low: float | None = None
        pct_high: float | None = None
        departures: list[str] = Field(default_factory=list)
        months: list[int] = Field(default_factory=list)
        directions: list[str] = Field(default_factory=list)
        derivation: str
        sources: list[SourceModel] = Field(min_length=1)

        @model_validator(mode="after")
        def _one_quantity(self) -> EffectModel:
            minutes = (self.minutes_low, self.minutes_high)
            pct = (self.pct_low, self.pct_high)
            if (None in minutes) == (None in pct):
                raise ValueError("give minutes_low and minutes_high, or pct_low and pct_high")
            lo, hi = minutes if None not in minutes else pct
            if not 0 <= lo <= hi:
                raise ValueError(f"needs 0 <= low <= high, got {lo:g}, {hi:g}")
            return self

    return EffectModel


def read_effects(path: str | Path) -> tuple[Effect, ...]:
    """Read a table of named effects (the shape of `data/validation/effects.toml`)."""
    import tomllib

    from routes.schema import validate

    path = Path(path)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    doc.pop("as_of", None)
    model = _effect_schema()
    out = []
    for name, table in doc.items():
        m = validate(model, table, f"{path}: [{name}]")
        out.append(
            Effect(
                name=name,
                label=m.label,
                minutes=None if m.minutes_low is None else (m.minutes_low, m.minutes_high),
                pct=None if m.pct_low is None else (m.pct_low, m.pct_high),
                departures=tuple(m.departures),
                months=tuple(m.months),
                directions=tuple(m.directions),
                derivation=m.derivation,
                sources=tuple(f"{s.document} ({s.publisher}, {s.date}; {s.status}) {s.url}" for s in m.sources),
            )
        )
    return tuple(out)


@cache
def schedule_effects() -> tuple[Effect, ...]:
    """The packaged named effects."""
    return read_effects(data_dir() / "validation" / "effects.toml")
