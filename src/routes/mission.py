"""The mission's defaults, in one place: what `compare`, the report and the command line use when not told.

Light to import (no OpenAP, no pandas), so the command line can show them in its ``--help``.
"""

from __future__ import annotations

from routes.inputs.scenarios import MISSION_SCENARIOS

__all__ = [
    "MISSION_AIRCRAFT",
    "MISSION_AIRLINE",
    "MISSION_DESTINATIONS",
    "MISSION_ORIGINS",
    "MISSION_PERIODS",
    "MISSION_SCENARIOS",
    "ROUTE_SCENARIO",
]

MISSION_ORIGINS: tuple[str, ...] = ("SVO",)
"""Origins of the default report (Moscow Sheremetyevo)."""
MISSION_DESTINATIONS: tuple[str, ...] = ("LAX", "SFO", "SEA", "PDX")
"""Destinations of the default report (US West Coast)."""
MISSION_AIRCRAFT: tuple[str, ...] = ("B77W",)
"""Aircraft of the default report (Boeing 777-300ER)."""
MISSION_AIRLINE = "AFL"
"""The airline whose fleet the report's feasibility table covers (Aeroflot; fleet in ``data/fleets.csv``)."""
MISSION_PERIODS: tuple[int | str, ...] = (1, 7)
"""Climatology periods shown beside still air by default: January (strongest jet) and July (weakest)."""
ROUTE_SCENARIO = "europe-closed"
"""The scenario of the command line's route and matrix commands when none is named."""
