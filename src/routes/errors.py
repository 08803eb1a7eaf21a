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


class InvalidInputError(RoutesError, ValueError, TypeError):
    """An argument of the wrong type or out of its valid range (a margin, a step, an assumption, ...).

    Also a `ValueError` and a `TypeError`, so code that catches either keeps working; the message names
    the argument, what it got and what would be right.
    """


class InvalidCoordinateError(RoutesError, ValueError):
    """A latitude/longitude outside the valid range, or a point text that cannot be parsed."""


class ScenarioError(RoutesError, ValueError, TypeError):
    """An unknown scenario, an unknown ISO code or a malformed polygon in a scenario."""


class UnknownAircraftError(RoutesError, KeyError):
    """An aircraft type that OpenAP does not know."""

    def __str__(self) -> str:
        return str(self.args[0])


class ProfileError(RoutesError, RuntimeError):
    """OpenAP's climb or descent profile did not converge (bounded by ``routes.analysis.profiles.PROFILE_BUDGET``)."""


class MissingAircraftDataError(RoutesError, KeyError):
    """An aircraft type without a value a calculation needs (e.g. its MZFW); the message names the field."""

    def __str__(self) -> str:
        return str(self.args[0])


class PayloadError(InvalidInputError):
    """A payload below zero or above the type's structural limit (MZFW - OEW)."""


class ItineraryError(RoutesError, ValueError):
    """An itinerary that cannot be flown as given (the subclasses say why)."""


class ItineraryTooShortError(ItineraryError):
    """An itinerary of fewer than two airports."""


class RepeatedAirportError(ItineraryError):
    """The same airport twice in a row in an itinerary."""


class ClosedStopError(ItineraryError):
    """A stop in closed airspace, or in a state closed to the operator."""


class RunwayTooShortError(ItineraryError):
    """A stop whose longest runway is too short (or too narrow) for the aircraft type."""


class WindFieldError(RoutesError, ValueError):
    """A wind field with missing variables, wrong dimensions or implausible units."""


class WindCoverageError(WindFieldError):
    """A wind field that does not cover the whole route (a regional grid, or a single grid point)."""


class WindDataError(WindFieldError):
    """A wind field with missing values (NaN) or implausible speeds where the route needs it."""


class ClimatologyPeriodError(WindFieldError):
    """A climatology period that does not exist: a month outside 1-12 or an unknown season name."""


class EmptyComparisonError(RoutesError, ValueError):
    """A comparison or map asked of no routes (e.g. empty origins, destinations or scenarios)."""


class InfeasibleRouteError(RoutesError, ValueError):
    """An analysis was asked of a route that does not exist (``Route.feasible`` is False).

    The message carries the route's ``reason``; finding no route is itself a result, but
    overflight, verification, time/fuel and diversion need a route to analyse.
    """


class BanTableError(ScenarioError):
    """A malformed row (or header) in a table of airspace bans by operator; the message names the row."""


class UnknownOperatorError(ScenarioError, KeyError):
    """An operator state or airline code that is not known."""

    def __str__(self) -> str:
        return str(self.args[0])


class StaleDataWarning(UserWarning):
    """A question asked about a date later than the as-of date of the data that answers it."""


class SchemaError(RoutesError, ValueError, TypeError):
    """A file or mapping given by the user that does not fit its declared schema (names the source and the key).

    Each reader raises its own subclass, which is also the reader's usual error (`ScenarioFileError` is a
    `ScenarioError`, `CostFileError` a `CostDataError`, `WindDatasetError` a `WindFieldError`), so
    ``except SchemaError`` catches every malformed input and the older ``except`` clauses keep working.
    """


class ScenarioFileError(SchemaError, ScenarioError):
    """A scenario TOML file (or a date given for a scenario) that does not fit the scenario schema."""


class WindDatasetError(SchemaError, WindFieldError):
    """A wind dataset whose variables, dimensions, units or shapes do not fit the declared wind schema."""


class RegisterError(RoutesError, ValueError):
    """A malformed assumptions register, or an assumption that is not in it (names the entry)."""


class CacheWarning(UserWarning):
    """A disk-cache file that was damaged, truncated or foreign (rebuilt), or a cache folder that cannot be written."""


class ObjectiveError(RoutesError, ValueError):
    """An unknown route objective, or an objective and wind that do not go together."""


class CostDataError(RoutesError, ValueError):
    """A malformed cost or charges file, or a cost override that does not fit it (names the entry)."""


class CostFileError(SchemaError, CostDataError):
    """A cost data or override file (or mapping) that does not fit the cost schema: a wrong type, an unknown
    key or a value out of range."""


class UnknownCurrencyError(CostDataError):
    """A currency with no conversion rate in the cost data."""


class UnknownAuthorityError(CostDataError):
    """An override names a charging authority (row id) that the charges data does not have."""


class PriceError(CostDataError):
    """A negative, infinite or NaN price, rate or cost."""


class RateValidityError(CostDataError):
    """Charge rows of one authority and one tariff whose validity periods overlap, or a malformed period."""


class NoRateError(CostDataError):
    """A cost asked for a date before every rate of a charging authority (names the authority and its first rate)."""


class PriceFileError(CostFileError, PriceError):
    """A price, rate or cost in a cost file or mapping that is negative, infinite, NaN or out of its range."""


class PeriodFileError(CostFileError, RateValidityError):
    """A date in a cost file or mapping that is not a day, or a charge row whose validity ends before it starts."""


class ScheduleError(RoutesError, ValueError):
    """A schedule that is not a positive, finite number of flights a week."""


class EmptySelectionError(RoutesError, ValueError):
    """A region selector or pair filter that selects no airport or no pair."""


class PairsFileError(SchemaError, EmptySelectionError):
    """A pairs table (CSV or Parquet) that cannot be read, or lacks text ``origin``/``destination`` columns."""


class UnknownAirportsError(RoutesError, KeyError):
    """A pairs table naming airport codes that are not in the airport database (all of them listed)."""

    def __init__(self, message: str, codes: list[str]) -> None:
        self.codes = codes
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class MatrixFolderError(RoutesError, ValueError):
    """An output folder that holds a different route-matrix job, or files that are not a job's."""


class SchedulerUnreachableError(RoutesError, ConnectionError):
    """A Dask scheduler address that does not answer within the connection timeout."""


class IncompleteMatrixError(RoutesError, RuntimeError):
    """A route-matrix job with partitions still missing (failed, interrupted or not yet run)."""
