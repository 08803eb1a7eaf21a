"""Technical-stop data: the default ground time (from the assumptions register) and the charges at stop
airports with a sourced figure.

Data: ``data/stops.toml`` (every figure with its source, URL, date and status), checked against a declared
schema (`routes.schema`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from routes.inputs.airspace import data_dir
from routes.inputs.register import assumption_register

LB_PER_KG = 2.2046226218
LITRES_PER_USGAL = 3.785411784


@dataclass(frozen=True)
class GroundTime:
    """The default ground time of a technical stop (block-in to block-off), with its source."""

    minutes: float
    status: str
    source: str
    url: str
    date: str
    note: str


@dataclass(frozen=True)
class StopCharges:
    """Landing and fuel-flowage charges at one airport (USD), with their source."""

    code: str
    name: str
    landing_usd_per_1000lb_mtow: float
    fuel_flowage_usd_per_usgal: float
    status: str
    source: str
    url: str
    date: str
    note: str

    def total_usd(self, mtow_kg: float, uplift_kg: float, fuel_density_kg_per_l: float = 0.8) -> float:
        """Landing charge on the MTOW plus flowage on the fuel taken on (kg)."""
        landing = self.landing_usd_per_1000lb_mtow * mtow_kg * LB_PER_KG / 1000.0
        gallons = uplift_kg / fuel_density_kg_per_l / LITRES_PER_USGAL
        return landing + self.fuel_flowage_usd_per_usgal * gallons


def _schema() -> type:
    from pydantic import Field

    from routes.schema import Strict

    class Charge(Strict):
        name: str
        landing_usd_per_1000lb_mtow: float = Field(ge=0)
        fuel_flowage_usd_per_usgal: float = Field(ge=0)
        status: str
        source: str
        url: str
        date: str
        note: str = ""

    class File(Strict):
        charges: dict[str, Charge] = Field(default_factory=dict)

    return File


@cache
def _load(path: str) -> dict[str, StopCharges]:
    from routes.schema import validate

    data = validate(_schema(), tomllib.loads(Path(path).read_text(encoding="utf-8")), path)
    charges = {
        code.upper(): StopCharges(
            code.upper(),
            c.name,
            c.landing_usd_per_1000lb_mtow,
            c.fuel_flowage_usd_per_usgal,
            c.status,
            c.source,
            c.url,
            c.date,
            c.note,
        )
        for code, c in data.charges.items()
    }
    return charges


def _path(path: str | Path | None) -> str:
    return str(Path(path) if path is not None else data_dir() / "stops.toml")


def technical_stop_ground_time() -> GroundTime:
    """The default ground time of a technical stop, from the assumptions register (``tech_stop_ground_min``:
    90 min, secondary, range 45-106 min)."""
    entry = assumption_register()["tech_stop_ground_min"]
    src = entry.sources[0]
    return GroundTime(float(entry.value), src.status, src.document, src.url, src.date, entry.note)


def stop_charges(code: str, path: str | Path | None = None) -> StopCharges | None:
    """The sourced charges at an airport (IATA code, any case), or None when the data has none."""
    return _load(_path(path)).get(str(code).strip().upper())
