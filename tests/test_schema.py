"""The schema helper: pydantic errors become one SchemaError line naming the source, the key and the value."""

import datetime as dt
import math

import pytest
from pydantic import Field

from routes.errors import RoutesError, SchemaError
from routes.schema import Strict, number_in, validate


class Rate(Strict):
    value: float = Field(ge=0, le=1000)
    states: list[str]
    start: dt.date


class Table(Strict):
    rates: list[Rate]


GOOD = {"rates": [{"value": 1, "states": ["NOR"], "start": dt.date(2025, 1, 1)}]}


def test_a_good_mapping_is_read_with_ints_as_floats():
    table = validate(Table, GOOD, "rates.toml")
    assert table.rates[0].value == 1.0 and isinstance(table.rates[0].value, float)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"value": -1}, "rates.toml: rates[0].value: input should be greater than or equal to 0 (got -1)"),
        ({"value": "ten"}, "rates[0].value: input should be a valid number"),
        ({"value": float("nan")}, "rates[0].value: input should be a finite number"),
        ({"states": "NOR"}, "rates[0].states: input should be a valid list (got 'NOR')"),
        ({"start": dt.datetime(2025, 1, 1, 12)}, "rates[0].start: input should be a valid date"),
        ({"colour": "red"}, "rates[0].colour: unknown key (got 'red'); allowed: value, states, start"),
    ],
)
def test_errors_name_the_source_the_key_and_the_value(change, fragment):
    data = {"rates": [{**GOOD["rates"][0], **change}]}
    with pytest.raises(SchemaError, match=r"^rates\.toml: ") as info:
        validate(Table, data, "rates.toml")
    assert fragment in str(info.value)
    assert isinstance(info.value, RoutesError) and "\n" not in str(info.value)


def test_a_missing_key_and_a_non_mapping():
    with pytest.raises(SchemaError, match=r"^x.toml: rates: field required$"):
        validate(Table, {}, "x.toml")
    with pytest.raises(SchemaError, match="expected a table of keys and values, got list"):
        validate(Table, [1, 2], "x.toml")


def test_many_errors_are_counted_not_listed():
    data = {"rates": [{"value": -i - 1, "states": ["A"], "start": dt.date(2025, 1, 1)} for i in range(6)]}
    with pytest.raises(SchemaError, match=r"and 3 more$"):
        validate(Table, data, "x.toml")


class Price(Strict):
    usd: number_in(0.0, 2000.0)
    rate: number_in(0.0, 10.0, low_open=True) = 1.0


class RangeError(SchemaError):
    """For the test: raised when only numbers are out of range."""


@pytest.mark.parametrize(
    ("data", "error", "fragment"),
    [
        ({"usd": 2000.5}, RangeError, "p: usd: must be a finite number in [0, 2,000] (got 2000.5)"),
        ({"usd": -1}, RangeError, "usd: must be a finite number in [0, 2,000] (got -1)"),
        ({"usd": 1, "rate": 0}, RangeError, "rate: must be a finite number in [0, 10], above 0 (got 0)"),
        ({"usd": math.inf}, RangeError, "usd: input should be a finite number"),
        ({"usd": "1"}, SchemaError, "usd: input should be a valid number (got '1')"),
        ({"usd": -1, "colour": 1}, SchemaError, "colour: unknown key"),  # not only numbers: the general class
    ],
)
def test_number_ranges_and_the_range_error(data, error, fragment):
    with pytest.raises(SchemaError) as info:
        validate(Price, data, "p", range_error=RangeError)
    assert type(info.value) is error and fragment in str(info.value)
    assert validate(Price, {"usd": 2000, "rate": 10}, "p").usd == 2000.0
