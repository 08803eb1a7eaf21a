"""The declared schema of a pairs table (CSV, Parquet or DataFrame): one row per pair, with text
``origin`` and ``destination`` airport codes; other columns (``geodesic_km``, ...) are ignored.

Imported by `routes.network.pairs.read_pairs` when it reads a table; pydantic is imported with it.
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from pydantic import BeforeValidator, ConfigDict, RootModel

from routes.errors import PairsFileError
from routes.inputs.airports import Airport
from routes.schema import Strict, validate


def _code(value: Any) -> Any:
    if isinstance(value, str | Airport):
        return value
    raise ValueError(f"expected an airport code (text, e.g. 'SVO'), got {value!r} ({type(value).__name__})")


Code = Annotated[Any, BeforeValidator(_code)]


class PairRow(Strict):
    """One row: the origin and destination codes (an `Airport` too, in a DataFrame built in code)."""

    model_config = ConfigDict(extra="ignore")  # a table may carry more columns (geodesic_km, names, ...)

    origin: Code
    destination: Code


class PairsTable(RootModel[dict[str, PairRow]]):
    """The rows, keyed ``"row 1"``, ``"row 2"``, ... (data rows, from 1) so that messages name the row."""

    model_config = ConfigDict(strict=True)


COLUMNS = tuple(PairRow.model_fields)
"""The columns a pairs table needs."""


def check_pairs_table(table: pd.DataFrame, where: str) -> pd.DataFrame:
    """The ``origin`` and ``destination`` columns of ``table``, checked against `PairRow`.

    Raises
    ------
    PairsFileError
        A missing column, or a cell that is not a code (a number, an empty Parquet cell); naming
        ``where``, the row and the column.
    """
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        found = ", ".join(map(repr, map(str, table.columns[:8]))) or "none"
        raise PairsFileError(
            f"{where}: missing column(s) {missing}; the table needs 'origin' and 'destination' columns (found: {found})"
        )
    pairs = table[list(COLUMNS)]
    if not all(isinstance(v, str) for c in COLUMNS for v in pairs[c]):  # a CSV's cells are text: no more to check
        rows = {f"row {i}": rec for i, rec in enumerate(pairs.to_dict("records"), start=1)}
        validate(PairsTable, rows, where, PairsFileError)
    return pairs
