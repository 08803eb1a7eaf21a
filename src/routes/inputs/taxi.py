"""Published taxi times by airport (`data/validation/taxi_times.csv`), each with its year and source.

Only a few airports have a published statistic; the others take the register's defaults
(``taxi_out_min``, ``taxi_in_min``).

>>> taxi_times("JFK", "SVO")
(37.1, 6.5)
>>> taxi_times("LAX", "SEA")  # nothing published here: the register's defaults
(15.0, 7.0)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from routes.inputs.paths import data_dir
from routes.inputs.register import default


@dataclass(frozen=True)
class TaxiStatistic:
    """A published average taxi time at one airport."""

    airport: str
    taxi_out_min: float | None
    taxi_in_min: float | None
    year: int
    source: str
    source_url: str
    status: str
    note: str


@cache
def taxi_statistics() -> tuple[TaxiStatistic, ...]:
    """The packaged table."""
    out = []
    with (data_dir() / "validation" / "taxi_times.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append(
                TaxiStatistic(
                    airport=row["airport"],
                    taxi_out_min=float(row["taxi_out_min"]) if row["taxi_out_min"] else None,
                    taxi_in_min=float(row["taxi_in_min"]) if row["taxi_in_min"] else None,
                    year=int(row["year"]),
                    source=row["source"],
                    source_url=row["source_url"],
                    status=row["status"],
                    note=row["note"],
                )
            )
    return tuple(out)


def taxi_times(origin: str, destination: str) -> tuple[float, float]:
    """Taxi-out at ``origin`` and taxi-in at ``destination`` (min): published where known, else the defaults."""
    stats = taxi_statistics()
    out = next((s.taxi_out_min for s in stats if s.airport == origin and s.taxi_out_min is not None), None)
    inn = next((s.taxi_in_min for s in stats if s.airport == destination and s.taxi_in_min is not None), None)
    return (
        out if out is not None else default("taxi_out_min"),
        inn if inn is not None else default("taxi_in_min"),
    )
