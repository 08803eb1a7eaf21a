"""Command line: ``routes report`` (the main job)."""

from __future__ import annotations

import sys

import pandas as pd
from rich.console import Console
from rich.table import Table

from routes.compare import route_table
from routes.errors import RoutesError


def print_table(df: pd.DataFrame, title: str, console: Console | None = None) -> None:
    """Print the route table as a rich table."""
    console = console or Console()
    table = Table(title=title)
    cols = ["origin", "destination", "scenario", "distance_km", "extra_km", "extra_pct", "states_rounded", "reason"]
    for c in cols:
        table.add_column(c, justify="right" if df[c].dtype.kind in "fi" else "left")
    for _, row in df.iterrows():
        table.add_row(*["" if (isinstance(row[c], float) and pd.isna(row[c])) else str(row[c]) for c in cols])
    console.print(table)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``routes`` command."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] in ([], ["report"]):
            df, _ = route_table()
            print_table(df, "Moscow SVO -> US West Coast under closure scenarios")
        else:
            raise SystemExit(f"routes: unknown command {argv[0]!r}; try 'routes report'")
    except RoutesError as exc:
        print(f"routes: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
