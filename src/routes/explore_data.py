"""What an interactive map shows, computed: the routes, their popup figures, the pre-2022 baselines and
the diversion alternates. `routes.presentation.explore` draws it and computes nothing itself (as
`routes.report_data` and `routes.presentation.report`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from routes.errors import EmptyComparisonError, InvalidInputError
from routes.result import Route
from routes.study import Study

Key = tuple[str, str, str]
"""(origin code, destination code, scenario name) of a route."""


@dataclass(frozen=True)
class RouteFigures:
    """What a route's popup says beyond its geometry (from a comparison table or an estimate)."""

    aircraft: str = ""
    block_time_min: float = float("nan")
    extra_min: float = float("nan")
    wind: str = ""


@dataclass(frozen=True)
class MapData:
    """The figures of an interactive map.

    Attributes
    ----------
    routes : tuple of Route
        Every route to draw (infeasible ones by their endpoints and reason).
    figures : mapping
        (origin, destination, scenario) -> `RouteFigures` for the popups (empty: no minutes).
    baselines : tuple of Route
        The pre-2022 geodesic of each airport pair, drawn dashed (empty: none).
    alternates : mapping
        Scenario name -> ICAO idents of the diversion alternates marked on the map.
    """

    routes: tuple[Route, ...]
    figures: Mapping[Key, RouteFigures] = field(default_factory=dict)
    baselines: tuple[Route, ...] = ()
    alternates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def figures_from_table(table: pd.DataFrame) -> dict[Key, RouteFigures]:
    """Popup figures from a `routes.compare` table: the first aircraft of each route."""
    out: dict[Key, RouteFigures] = {}
    for row in table.to_dict("records"):
        key = (row["origin"], row["destination"], row["scenario"])
        if key not in out and "block_time_min" in row:
            out[key] = RouteFigures(
                str(row.get("aircraft", "")),
                float(row["block_time_min"]),
                float(row.get("extra_min", float("nan"))),
                str(row.get("wind", "")),
            )
    return out


def figures_from_estimates(routes: Sequence[Route], study: Study | None = None) -> dict[Key, RouteFigures]:
    """Popup figures from `routes.analysis.performance.estimate` of each feasible route and its geodesic,
    flown by the study's first aircraft in its assumptions and wind (default: the mission's)."""
    from routes.analysis.performance import estimate
    from routes.routing import geodesic_route

    study = study or Study()
    aircraft = study.aircraft[0]
    out: dict[Key, RouteFigures] = {}
    base: dict[tuple[str, str], float] = {}
    for r in routes:
        if not r.feasible:
            continue
        pair = (r.origin.code, r.destination.code)
        if pair not in base:
            geodesic = geodesic_route(r.origin, r.destination)
            base[pair] = estimate(geodesic, aircraft, study.assumptions, study.wind).block_time_min
        est = estimate(r, aircraft, study.assumptions, study.wind)
        out[(*pair, r.scenario.name)] = RouteFigures(
            est.aircraft, est.block_time_min, est.block_time_min - base[pair], est.wind
        )
    return out


def route_list(obj: Any, table: pd.DataFrame | None = None) -> tuple[list[Route], pd.DataFrame | None]:
    """Routes (and the table) from a Route, a sequence of routes, a comparison result object
    (``.routes`` and ``.table``) or the ``(table, routes)`` pair that `routes.compare` returns.

    Raises
    ------
    InvalidInputError
        Anything else (codes, None, a table alone): the map draws routes, it does not compute them.
    """
    if isinstance(obj, pd.DataFrame):
        raise InvalidInputError(
            "routes: a table alone cannot be mapped (it holds no geometry); pass the (table, routes) pair "
            "that routes.compare returns, or the routes with table=..."
        )
    if isinstance(obj, Route):
        out = [obj]
    elif hasattr(obj, "routes") and hasattr(obj, "table"):
        out, table = list(obj.routes), obj.table if table is None else table
    elif isinstance(obj, tuple) and len(obj) == 2 and isinstance(obj[0], pd.DataFrame):
        out, table = list(obj[1]) if isinstance(obj[1], Iterable) else [obj[1]], obj[0] if table is None else table
    else:
        out = list(obj) if isinstance(obj, Iterable) and not isinstance(obj, str | bytes | Mapping) else [obj]
    if stray := [r for r in out if not isinstance(r, Route)]:
        raise InvalidInputError(
            f"routes: explore() maps Route objects (or what routes.compare returns), got {stray[0]!r} "
            f"({type(stray[0]).__name__}); route first, e.g. routes.explore(routes.route('SVO', 'LAX', "
            "'europe-closed'))"
        )
    if table is not None and not isinstance(table, pd.DataFrame):
        raise InvalidInputError(f"table: expected a routes.compare table (a DataFrame), got {type(table).__name__}")
    return out, table


def map_data(
    routes: Route | Sequence[Route] | Any,
    table: pd.DataFrame | None = None,
    study: Study | None = None,
    minutes: bool = True,
    baseline: bool = True,
    alternates: bool | Mapping[str, Sequence[str]] = True,
) -> MapData:
    """Compute what `routes.presentation.explore.explore` draws (parameters as there).

    Raises
    ------
    EmptyComparisonError
        No routes were given.
    """
    found, table = route_list(routes, table)
    if not found:
        raise EmptyComparisonError(
            "nothing to map: the comparison holds no routes (check the origins, destinations and scenarios)"
        )
    figures = figures_from_table(table) if table is not None else {}
    if table is None and minutes:
        figures = figures_from_estimates(found, study)
    alt_codes: dict[str, tuple[str, ...]] = {}
    if alternates is True:
        from routes.analysis.diversion import diversion

        for r in found:
            if r.feasible and not r.scenario.is_open_sky:
                kept = [*alt_codes.get(r.scenario.name, ()), *diversion(r).alternates]
                alt_codes[r.scenario.name] = tuple(dict.fromkeys(kept))
    elif isinstance(alternates, Mapping):
        # a name where a list is expected is a list of one (never read letter by letter)
        alt_codes = {name: (codes,) if isinstance(codes, str) else tuple(codes) for name, codes in alternates.items()}
    bases: tuple[Route, ...] = ()
    if baseline:
        from routes.routing import geodesic_route

        bases = tuple(geodesic_route(o, d) for o, d in dict.fromkeys((r.origin, r.destination) for r in found))
    return MapData(tuple(found), figures, bases, alt_codes)
