"""Exception hierarchy: every error this package raises on bad input derives from `RoutesError`."""

from __future__ import annotations


class RoutesError(Exception):
    """Base class of all polar-routes errors."""


class UnknownAirportError(RoutesError, KeyError):
    """An airport code that is not in the airport database."""

    def __init__(self, code: str, suggestions: list[str]) -> None:
        self.code = code
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown airport code {code!r}{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class InvalidCoordinateError(RoutesError, ValueError):
    """A latitude/longitude outside the valid range, or a point text that cannot be parsed."""


class ScenarioError(RoutesError, ValueError):
    """An unknown scenario, an unknown ISO code or a malformed polygon in a scenario."""


class UnknownAircraftError(RoutesError, KeyError):
    """An aircraft type that OpenAP does not know."""

    def __str__(self) -> str:
        return str(self.args[0])


class WindFieldError(RoutesError, ValueError):
    """A wind field with missing variables, wrong dimensions or implausible units."""


class WindCoverageError(WindFieldError):
    """A wind field that does not cover the whole route (a regional grid, or a single grid point)."""


class WindDataError(WindFieldError):
    """A wind field with missing values (NaN) or implausible speeds where the route needs it."""


class ClimatologyPeriodError(WindFieldError):
    """A climatology period that does not exist: a month outside 1-12 or an unknown season name."""


class UnknownObjectiveError(RoutesError, ValueError):
    """A route objective other than the ones the engine supports (``"distance"``, ``"time"``)."""


class InfeasibleRouteError(RoutesError, ValueError):
    """An analysis was asked of a route that does not exist (``Route.feasible`` is False).

    The message carries the route's ``reason``; finding no route is itself a result, but
    overflight, verification, time/fuel and diversion need a route to analyse.
    """
