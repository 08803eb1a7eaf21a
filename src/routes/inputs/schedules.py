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
