"""Shared fixtures."""

from __future__ import annotations

import pytest

import routes
from routes.comparison import MISSION_DESTINATIONS
from routes.routing import geodesic_route

WEST_COAST = MISSION_DESTINATIONS


@pytest.fixture(scope="session")
def svo_lax_geodesic():
    return geodesic_route("SVO", "LAX")


@pytest.fixture(scope="session")
def mission_routes():
    """SVO -> West Coast routes under the two feasible closure scenarios, keyed (dest, scenario)."""
    return {(d, s): routes.route("SVO", d, s) for d in WEST_COAST for s in ("europe-closed", "europe-canada-closed")}
