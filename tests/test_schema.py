"""The schema helper: pydantic errors become one SchemaError line naming the source, the key and the value."""

import datetime as dt

import pytest
from pydantic import Field

from routes.errors import RoutesError, SchemaError
from routes.schema import Strict, validate


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
