"""Fleets as data: which types an airline operates, how many, as of when and on whose word.

Data: ``data/fleets.csv`` (airline ICAO designator, ICAO type designator, count, as-of date, status,
source, URL, notes). Every row is checked against a declared schema (`routes.schema`); a bad row raises
`SchemaError` naming the row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from routes.errors import UnknownOperatorError
from routes.inputs.airspace import data_dir

Status = Literal["primary", "secondary", "derived", "unconfirmed"]


@dataclass(frozen=True)
class FleetEntry:
    """How many aircraft of one type an airline operates.

    Attributes
    ----------
    airline : str
        ICAO designator (``"AFL"``).
    aircraft : str
        ICAO type designator (``"B77W"``).
    count : int
    as_of : date
    status : str
        ``primary``, ``secondary``, ``derived`` or ``unconfirmed``.
    source, url, notes : str
    """

    airline: str
    aircraft: str
    count: int
    as_of: date
    status: str
    source: str
    url: str
    notes: str = ""


def _row_schema() -> type:
    from pydantic import Field

    from routes.schema import Strict

    class Row(Strict):
        airline: str = Field(pattern=r"^[A-Z0-9]{3}$")
        type: str = Field(pattern=r"^[A-Z0-9]{2,4}$")
        count: int = Field(ge=0)
        as_of: date
        status: Status
        source: str = Field(min_length=1)
        url: str = Field(pattern=r"^https?://")
        notes: str = ""

    return Row


def load_fleets(path: str | Path | None = None) -> tuple[FleetEntry, ...]:
    """Every row of a fleets table (default: the packaged ``data/fleets.csv``).

    Raises
    ------
    SchemaError
        A row that does not fit (names the row and the column).
    """
    from routes.schema import validate

    file = Path(path) if path is not None else data_dir() / "fleets.csv"
    lines = [ln for ln in file.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    row_model = _row_schema()
    out = []
    for i, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines)))):
        data = dict(row)
        if str(data.get("count", "")).strip().isdigit():
            data["count"] = int(data["count"])
        if data.get("as_of"):
            try:
                data["as_of"] = date.fromisoformat(str(data["as_of"]))
            except ValueError:
                pass  # the schema names it
        r = validate(row_model, data, f"{file.name} row {i + 1}")
        out.append(FleetEntry(r.airline, r.type, r.count, r.as_of, r.status, r.source, r.url, r.notes))
    return tuple(out)


@cache
def fleets() -> tuple[FleetEntry, ...]:
    """The packaged fleets table (read once)."""
    return load_fleets()


def fleet(airline: str) -> tuple[FleetEntry, ...]:
    """The fleet rows of an airline (ICAO designator, any case; an IATA code is looked up).

    Raises
    ------
    UnknownOperatorError
        The table has no row for the airline (the message lists the airlines it has).
    """
    code = str(airline).strip().upper()
    if len(code) == 2:
        from routes.inputs.airlines import get_airline

        code = get_airline(code).icao
    rows = tuple(r for r in fleets() if r.airline == code)
    if not rows:
        known = sorted({r.airline for r in fleets()})
        raise UnknownOperatorError(
            f"no fleet data for airline {airline!r} in data/fleets.csv; it has {', '.join(known)}"
        )
    return rows
