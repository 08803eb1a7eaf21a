"""Declared schemas for what users give us (files and mappings), checked with pydantic.

Every file or mapping from outside is described by one declared schema and read with `validate`, which
turns pydantic's errors into one line naming the source, the key path and the value given:

========================================  =====================================  =====================
format                                    schema                                 error raised
========================================  =====================================  =====================
scenario TOML (``load_scenarios``)        ``inputs.scenario_file.ScenarioSpec``  `ScenarioFileError`
cost overrides, economics/navigation      ``inputs.cost_file.Overrides`` ...     `CostFileError`
pairs CSV/Parquet/DataFrame               ``network.pairs_file.PairRow``         `PairsFileError`
wind dataset (xarray, not pydantic)       ``analysis.wind_dataset.WIND_DATASET`` `WindDatasetError`
========================================  =====================================  =====================

The rule for errors: each reader raises its own `SchemaError` subclass, which is also the reader's usual
error class (`ScenarioError`, `CostDataError` -- `PriceError` for a number out of range --,
`EmptySelectionError`, `WindFieldError`). Models derive from `Strict`: unknown keys are refused, and a
string is never read as a list nor a datetime as a date.

Import this module where a file is read, inside the reading function: pydantic takes ~0.1 s to
import, and a run that reads no user file should not pay it (the shipped data files are checked against
their schemas by the tests, not at run time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from routes.errors import SchemaError

M = TypeVar("M", bound=BaseModel)
_TABLE = re.compile(r"a valid dictionary(?: or instance of \w+)?")
MAX_ERRORS = 3
"""Errors named in one message (the count of the rest follows)."""


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The first pydantic model inside a type (``list[Row]``, ``dict[str, Row] | None`` -> ``Row``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None


def _allowed(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> str:
    """``"; allowed: a, b"``: the keys of the table an unknown key ``loc`` was found in."""
    for part in loc[:-1]:
        field = model.model_fields.get(part) if model is not None and isinstance(part, str) else None
        if field is not None:
            model = _model_in(field.annotation)
    return f"; allowed: {', '.join(model.model_fields)}" if model is not None else ""


def describe(exc: ValidationError, source: str, model: type[BaseModel] | None = None) -> str:
    """One line naming the source and, for each error, the key, what was wrong and what was given."""
    errors = exc.errors(include_url=False)
    parts = []
    for err in errors[:MAX_ERRORS]:
        msg = err["msg"].removeprefix("Value error, ")  # a model's own check: its message names the value
        msg = _TABLE.sub("a table of keys and values", msg)
        named = err["type"] in ("missing", "value_error") or "message" in err.get("ctx", {})  # see `rule_error`
        given = "" if named else f" (got {_shown(err.get('input'))})"
        if err["type"] == "extra_forbidden":
            msg, given = "unknown key", given + _allowed(model, tuple(err["loc"]))
        text = f"{msg[:1].lower() + msg[1:]}{given}"
        parts.append(f"{_where(err['loc'])}: {text}" if err["loc"] else text)  # a model's own check has no key
    more = f"; and {len(errors) - MAX_ERRORS} more" if len(errors) > MAX_ERRORS else ""
    return f"{source}: " + "; ".join(parts) + more


RANGE_ERRORS = frozenset(
    {
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "finite_number",
        "multiple_of",
        "number_range",
    }
)
"""pydantic error types of a number of the right type that lies outside its range (or is NaN or infinite)."""


def validate(
    model: type[M],
    data: Any,
    source: str,
    error: type[SchemaError] = SchemaError,
    range_error: type[SchemaError] | None = None,
    rule_errors: Mapping[str, type[SchemaError]] | None = None,
) -> M:
    """``data`` checked against ``model``.

    Parameters
    ----------
    model : type of pydantic.BaseModel
        The schema (usually a `Strict` subclass).
    data : Mapping
        The parsed file or the mapping given.
    source : str
        What to name in messages: a file path, or e.g. ``"overrides"``.
    error : subclass of SchemaError
        The class to raise: the reader's own (`ScenarioFileError`, `CostFileError`, ...).
    range_error : subclass of SchemaError, optional
        The class to raise instead when every error is a number out of its range (`RANGE_ERRORS`),
        e.g. `PriceFileError` for a negative or NaN price.
    rule_errors : mapping of str to subclass of SchemaError, optional
        The class to raise instead when every error is a schema's own rule of one kind (raised with
        `rule_error`), e.g. ``{"period": PeriodFileError}`` for a charge row's malformed validity period.

    Raises
    ------
    SchemaError
        (``error``) Not a mapping, an unknown key, a missing key, a wrong type or a value out of range.
    """
    if not isinstance(data, Mapping):
        raise error(f"{source}: expected a table of keys and values, got {type(data).__name__}")
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise _error_class(exc, error, range_error, rule_errors or {})(describe(exc, source, model)) from None


def _error_class(
    exc: ValidationError,
    error: type[SchemaError],
    range_error: type[SchemaError] | None,
    rule_errors: Mapping[str, type[SchemaError]],
) -> type[SchemaError]:
    types = {e["type"] for e in exc.errors()}
    if range_error and types <= RANGE_ERRORS:
        return range_error
    if len(types) == 1 and (kind := types.pop()) in rule_errors:
        return rule_errors[kind]
    return error


def rule_error(kind: str, message: str) -> PydanticCustomError:
    """The error a schema's own check raises when the reader raises a class of its own for it (`validate`'s
    ``rule_errors``): pydantic error type ``kind``; ``message`` names the value (it is not repeated)."""
    return PydanticCustomError(kind, "{message}", {"message": message})


def number_in(low: float, high: float, low_open: bool = False) -> Any:
    """A float type limited to ``[low, high]`` (and above ``low`` when ``low_open``), for a schema's fields.

    Its error reads "must be a finite number in [0, 2,000]" (", above 0" added when ``low_open``; pydantic
    error type ``number_range``, one of `RANGE_ERRORS`); NaN and infinity are refused before, by `Strict`.
    """
    span = f"[{low:,.10g}, {high:,.10g}]" + (f", above {low:,.10g}" if low_open else "")

    def check(value: float) -> float:
        if value > high or value < low or (low_open and value == low):
            raise PydanticCustomError("number_range", "must be a finite number in {span}", {"span": span})
        return value

    return Annotated[float, AfterValidator(check)]


class Strict(BaseModel):
    """The base of every schema: unknown keys refused, no string-to-list or datetime-to-date coercion,
    no NaN or infinity; integers are accepted where floats are expected (TOML writes ``1`` for ``1.0``)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)
