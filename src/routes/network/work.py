"""Worker side of a route-matrix job: the rows of one partition.

A partition holds routes of one scenario solved on the same or neighbouring engine charts
(`engine.chart_key`), so they share the charts' outlines and visibility verdicts. A task carries
only airports and names: each worker process builds a scenario's obstacles once (the engine's per-process
caches) and reuses them for every later partition of that scenario. Any error in one route
becomes rows with ``status="error"`` and the reason; it never fails the partition.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes import engine
from routes.inputs.airports import Airport, LatLon
from routes.inputs.scenarios import Scenario

log = logging.getLogger(__name__)
GEOMETRY_STEP_KM = 25.0
"""Spacing of the stored route geometry (densified WGS84 geodesic legs)."""
KEY_COLUMNS = ("origin", "destination", "scenario", "aircraft", "direction", "month")
"""Columns that identify a row of a route matrix (unique within a job)."""
if TYPE_CHECKING:
    from routes.study import Study

PERIODS: tuple[int, ...] = ()
"""Seasonal columns of `compare` left out of matrix rows: a matrix gives each month its own rows
(``months``), in that month's climatological wind."""
_FLOAT_SUFFIXES = ("_km", "_nm", "_min", "_kg", "_t", "_pct", "_usd", "latitude")


@dataclass(frozen=True)
class Task:
    """One route to compute: an ordered airport pair and its direction label."""

    origin: Airport
    destination: Airport
    direction: str


@dataclass(frozen=True)
class Partition:
    """A batch of routes of one scenario, written as one file.

    ``charts`` are the engine charts its routes are solved on (`chart_of`), the first task's
    first; when empty (a partition built by hand) they are worked out from the tasks.
    """

    pid: int
    scenario: str
    tasks: tuple[Task, ...]
    n_rows: int
    charts: tuple[tuple[float, float], ...] = ()

    def chart_centers(self) -> tuple[tuple[float, float], ...]:
        """The distinct charts of the routes (`chart_of`), the first task's first."""
        return self.charts or tuple(dict.fromkeys(chart_of(t) for t in self.tasks))

    def chart_labels(self) -> list[str]:
        """`chart_label` of each of `chart_centers`."""
        return [chart_name(self.scenario, c) for c in self.chart_centers()]


@dataclass(frozen=True)
class JobContext:
    """Everything a worker needs besides the partition; shipped to each worker once.

    ``study`` holds the settings of the estimates (a `routes.study.Study`; None for distance-only
    jobs, whose workers then never import OpenAP); ``wind`` is None (the study's wind), one wind
    model, a mapping month -> model or a callable month -> model. ``aircraft`` is the study's, or
    empty for distance-only jobs.
    """

    scenarios: Mapping[str, Scenario]
    study: Study | None
    aircraft: tuple[str, ...]
    months: tuple[int | None, ...]
    wind: Any
    margin_nm: float
    geometry: bool

    def wind_for(self, month: int | None) -> Any:
        """The wind model of ``month`` (None: the job's single model or still air)."""
        if self.wind is None:
            return self.study.wind if self.study is not None else None
        if hasattr(self.wind, "ground_speed_kt"):
            return self.wind
        if isinstance(self.wind, Mapping):
            return self.wind[month]
        return self.wind(month)

    @property
    def rows_per_route(self) -> int:
        """Rows each route yields: aircraft x months (1 for distance-only)."""
        return max(len(self.aircraft), 1) * (len(self.months) if self.aircraft else 1)


def _route_all(ctx: JobContext, scn: Scenario, tasks: tuple[Task, ...]) -> list[tuple[list[dict], Any]] | None:
    """Every task's distance-only row and route, computed in one `route_rows` batch (the
    overflown states of all routes in one lookup); None if any route raised (then each task is
    computed on its own, so the error becomes that task's rows only)."""
    from routes.comparison import route_rows

    try:
        rows, routes = route_rows([(t.origin, t.destination, scn) for t in tasks], ctx.margin_nm)
    except Exception:  # found again, and reported, task by task
        return None
    return [([row], route) for row, route in zip(rows, routes, strict=True)]


def _rows_for(
    ctx: JobContext, scn: Scenario, task: Task, done: tuple[list[dict], Any] | None = None
) -> tuple[list[dict], Any]:
    """One route (computed once, or ``done``: its `route_rows` rows and route from `_route_all`),
    then its rows for every aircraft and month."""
    from routes.comparison import Comparison, compare_routes, route_rows
    from routes.study import Study

    if done is None:
        got, routes = route_rows([(task.origin, task.destination, scn)], ctx.margin_nm)
    else:
        got, routes = done[0], [done[1]]
    if not ctx.aircraft:
        return [{**r, "aircraft": "", "month": None} for r in got], routes[0]
    routed = Comparison(pd.DataFrame(got), tuple(routes))
    rows = []
    for month in ctx.months:
        study = (ctx.study or Study()).with_(aircraft=ctx.aircraft, wind=ctx.wind_for(month), periods=PERIODS)
        table, _ = compare_routes(routed, study)
        rows += [{**r, "month": month} for r in table.to_dict("records")]
    return rows, routed.routes[0]


def _error_rows(ctx: JobContext, scn: Scenario, task: Task, exc: BaseException) -> list[dict]:
    base = {
        "origin": task.origin.code,
        "destination": task.destination.code,
        "scenario": scn.name,
        "feasible": False,
        "reason": f"error: {type(exc).__name__}: {exc}",
        "margin_nm": ctx.margin_nm,
    }
    if not ctx.aircraft:
        return [{**base, "aircraft": "", "month": None}]
    return [{**base, "aircraft": ac, "month": m} for m in ctx.months for ac in ctx.aircraft]


@lru_cache(maxsize=8)
def table_columns(aircraft: tuple[str, ...]) -> tuple[str, ...]:
    """The columns `compare` (or `route_table` when ``aircraft`` is empty) returns, read from a
    pre-2022 route between two raw points (no closures: the engine's fast path)."""
    from routes.comparison import compare, route_table
    from routes.study import Study

    points = [LatLon(0.0, 0.0)], [LatLon(0.0, 10.0)]
    if not aircraft:
        table, _ = route_table(*points, ["pre-2022"])
        return (*table.columns, "aircraft")
    table, _ = compare(*points, ["pre-2022"], Study(aircraft=aircraft[:1], periods=PERIODS))
    return tuple(table.columns)


def _number(v: Any) -> float:
    try:
        return float(v) if v is not None else np.nan
    except (TypeError, ValueError):
        return np.nan


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _text(v: Any) -> str:
    return "" if _missing(v) else str(v)


def rows_table(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows as a table of ``columns`` with fixed dtypes, so every partition has the same Parquet
    schema whatever its rows are: figures (names ending in a unit) float64, ``feasible`` bool,
    ``range_feasible`` and ``full_load`` nullable boolean, ``month``, ``max_seats`` and ``seats`` nullable
    Int64, everything else text ("" for none, also for a column no row has)."""
    data: dict[str, Any] = {}
    for col in columns:
        values = [row.get(col) for row in rows]
        if col == "feasible":
            data[col] = np.array([bool(v) for v in values], dtype=bool)
        elif col in ("range_feasible", "full_load"):
            data[col] = pd.array([None if _missing(v) else bool(v) for v in values], dtype="boolean")
        elif col in ("month", "max_seats", "seats"):
            data[col] = pd.array([None if _missing(v) else int(v) for v in values], dtype="Int64")
        elif col.endswith(_FLOAT_SUFFIXES):
            data[col] = np.array([_number(v) for v in values], dtype="float64")
        else:
            data[col] = [_text(v) for v in values]
    return pd.DataFrame(data, columns=columns)


def chart_of(task: Task) -> tuple[float, float]:
    """The engine chart the route is solved on (`engine.chart_key`); routes with coordinates the
    engine would refuse give (inf, inf) (they sort last and each becomes an error row)."""
    return charts_of([task])[0]


def charts_of(tasks: Sequence[Task]) -> list[tuple[float, float]]:
    """`chart_of` of many tasks at once (`engine.chart_keys`: the same keys as `engine.chart_key`)."""
    ends = np.array([[t.origin.lon, t.origin.lat, t.destination.lon, t.destination.lat] for t in tasks], float)
    ends = ends.reshape(-1, 4)
    ok = np.isfinite(ends).all(axis=1) & (np.abs(ends[:, [1, 3]]) <= 90.0).all(axis=1)
    keys = iter(engine.chart_keys(ends[ok, :2], ends[ok, 2:]))
    return [next(keys) if good else (math.inf, math.inf) for good in ok]


def chart_name(scenario: str, center: tuple[float, float]) -> str:
    """Names the chart ``center`` (`chart_of`) of a scenario: the label `held_charts`,
    `Partition.chart_labels` and the job's plan (`job.Dispatch`) know it by."""
    return f"{scenario}|{center}"


def chart_label(scenario: str, task: Task) -> str:
    """Names the chart a task is solved on, in a scenario (`chart_name` of `chart_of`)."""
    return chart_name(scenario, chart_of(task))


HELD_CHARTS = 64
"""Charts a worker process reports as held (`held_charts`): as many as the engine keeps."""
_HELD: OrderedDict[str, list[float]] = OrderedDict()
"""Chart label -> [routes, work] of the routes this process solved on the chart (`route_work`)."""


def route_work(checked: int) -> float:
    """A route's work relative to a typical route, from the number of edges its search looked at
    (``stats["checked"]`` of the route; 0 when the geodesic was clear), which is the same on a
    cold chart as on a warm one, unlike its time. Measured on the 38 charts of the matrix
    benchmark: warm routes took 3-7 ms where no search ran and 10-44 ms with 80-1,700 edges
    looked at, about 3.5 + sqrt(checked) ms; a typical route (160 edges, 16 ms) counts 1."""
    return (3.5 + math.sqrt(max(checked, 0))) / 16.1


def held_charts() -> dict[str, float | None]:
    """The charts (`chart_label`) this process solved routes on most recently, at most
    `HELD_CHARTS` (the engine still holds them, with their outlines and verdicts), each with the
    mean `route_work` of its routes here (None before one finished). Run on every worker
    (`Client.run`) before a job, so partitions go where their charts are and the work is shared
    out by its cost, not by route counts (a route on some charts costs ten times more)."""
    return {label: (work / n if n else None) for label, (n, work) in _HELD.items()}


def _hold(labels: list[str], routes: list[Any] | None = None) -> None:
    """Mark the charts ``labels`` as used last; with the partition's ``routes`` (one per label),
    add their work."""
    for i, label in enumerate(labels):
        entry = _HELD.setdefault(label, [0, 0.0])
        _HELD.move_to_end(label)
        if routes is not None:
            entry[0] += 1
            entry[1] += route_work(int(routes[i].stats.get("checked", 0)))
        if len(_HELD) > HELD_CHARTS:
            _HELD.popitem(last=False)


def _obstacles(ctx: JobContext, scenario: str) -> engine.Obstacles:
    from routes.scenario_obstacles import scenario_obstacles

    return scenario_obstacles(ctx.scenarios[scenario], ctx.margin_nm)


Shipped = tuple[str, tuple[float, float], bytes]
"""A chart from `export_chart`: scenario name, chart centre (`chart_of`) and the chart."""


def export_chart(ctx: JobContext, scenario: str, center: tuple[float, float]) -> Shipped | None:
    """This worker's chart ``center`` (`chart_of`) of ``scenario``, warm, for `run_partition` on
    another worker (`engine.export_chart`: ~25 ms and ~1-2 MB, where a build costs ~1 s); None if
    this worker does not hold it or anything fails (the other worker then builds the chart)."""
    try:
        data = engine.export_chart(_obstacles(ctx, scenario), center)
    except Exception as exc:  # a chart not shipped is only built again
        log.warning("could not export chart %s of %s: %s", center, scenario, exc)
        return None
    return None if data is None else (scenario, tuple(center), data)


def _import_charts(ctx: JobContext, charts: tuple[Shipped | None, ...]) -> None:
    for got in charts:
        if got is None:
            continue
        try:
            engine.import_chart(_obstacles(ctx, got[0]), got[1], got[2])
        except Exception as exc:  # a chart not imported is only built again
            log.warning("could not import a chart of %s: %s", got[0], exc)


def run_partition(ctx: JobContext, part: Partition, *charts: Shipped | None) -> pd.DataFrame:
    """The rows of one partition: per route, one row per aircraft and month, keyed by `KEY_COLUMNS`.

    Adds ``direction``, ``month`` and ``status`` (``ok``, ``infeasible`` or ``error``) to the
    columns of `routes.comparison.compare` (or `route_table` for distance-only jobs), and
    ``geometry`` (lon/lat MultiLineString, None when infeasible) when the job keeps geometry.
    ``charts`` (from `export_chart` on other workers) are kept first, unless this worker holds
    them already, so the partition's routes find them warm instead of building them.
    """
    _import_charts(ctx, charts)
    scn = ctx.scenarios[part.scenario]
    rows: list[dict] = []
    geoms: list[Any] = []
    routed = _route_all(ctx, scn, part.tasks)
    for i, task in enumerate(part.tasks):
        try:
            got, route = _rows_for(ctx, scn, task, routed[i] if routed else None)
            geom = route.geometry(GEOMETRY_STEP_KM) if ctx.geometry and route.feasible else None
            for row in got:
                row["status"] = "ok" if row["feasible"] else "infeasible"
        except Exception as exc:  # one bad route must not sink the partition: it becomes rows
            got, geom = _error_rows(ctx, scn, task, exc), None
            for row in got:
                row["status"] = "error"
        for row in got:
            row["direction"] = task.direction
        rows += got
        geoms += [geom] * len(got)
    labels = [chart_name(part.scenario, center) for center in charts_of(part.tasks)]  # (`chart_label` of each task)
    _hold(labels, [route for _, route in routed] if routed else None)
    cols = [*table_columns(ctx.aircraft), "direction", "month", "status"]
    table = rows_table(rows, cols)
    if ctx.geometry:
        import geopandas as gpd

        return gpd.GeoDataFrame(table, geometry=geoms, crs="EPSG:4326")
    return table
