"""What a route-matrix job is: its options, its pairs and scenarios, its partitions and its fingerprint.

`MatrixOptions` holds the job's settings besides the `routes.study.Study` (directions, months, distance
range, partition size); `plan_partitions` cuts the routes into partitions, one engine chart each where it
can; `job_spec` describes the job for the folder's manifest (a rerun of the same job resumes).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import shapely

from routes import validation
from routes.errors import EmptySelectionError, InvalidInputError, RoutesError
from routes.inputs.scenarios import Scenario, get_scenario
from routes.network.pairs import AirportsInput, Pair, cross_pairs, filter_distance, pairs_from_codes, read_pairs
from routes.network.work import Partition, Task, charts_of

if TYPE_CHECKING:
    from routes.study import Study

DIRECTIONS = {"outbound": ("outbound",), "return": ("return",), "both": ("outbound", "return")}
MAX_PARTITION_ROUTES = 32
"""Largest automatic partition (routes per task and file)."""
MIN_PARTITIONS = 64
"""Automatic partitions are cut small enough for a job to have at least this many (when it has
that many routes): enough tasks for the scheduler to keep every worker of a small cluster busy to
the end (a few slow routes no longer leave one worker running alone)."""


def auto_partition_size(n_routes: int) -> int:
    """Routes per partition when none is given: ``ceil(n_routes / MIN_PARTITIONS)``, between 1
    and `MAX_PARTITION_ROUTES`. It depends on the job only (never on the cluster), so a rerun on
    another cluster resumes the same partitions."""
    return max(1, min(MAX_PARTITION_ROUTES, math.ceil(n_routes / MIN_PARTITIONS)))


@dataclass(frozen=True)
class MatrixOptions:
    """The settings of a `routes.network.job.matrix` job besides its pairs, scenarios and `Study`.

    Attributes
    ----------
    directions : str
        ``"outbound"`` (pairs as given), ``"return"`` or ``"both"``.
    months : sequence of int or None
        Months 1-12 (a repeated month is kept once): rows per month in that month's wind, by default
        the climatological 200 hPa wind (`routes.analysis.climatology.climatology`), or ``wind`` a mapping
        month -> wind model or a function of the month. Each route is computed once and estimated in every month's wind.
        None: one row in ``wind`` (one model; None: the study's wind).
    wind : wind model, mapping, callable or None
        See ``months``.
    min_km, max_km : float
        Keep pairs whose WGS84 geodesic lies in this range.
    estimates : bool
        False: distance-only rows (the engine's figures and overflown states; no OpenAP time,
        fuel, ETOPS or polar columns; one row per route, ``aircraft`` empty).
    geometry : bool
        Keep each route's densified lon/lat geometry (GeoParquet; GeoDataFrame table).
    partition_size : int or None
        Routes per partition (a Dask task and a file); None: `auto_partition_size` (at most 32,
        small enough for at least 64 partitions).
    on_unknown : str
        ``"error"``: unknown codes in a pairs table raise one error naming all of them;
        ``"skip"``: they are dropped with a warning.
    max_rows_in_memory : int
        The finished job's table is read into memory up to this many rows.
    """

    directions: Literal["outbound", "return", "both"] = "outbound"
    months: Sequence[int] | None = None
    wind: Any = None
    min_km: float = 0.0
    max_km: float = math.inf
    estimates: bool = True
    geometry: bool = False
    partition_size: int | None = None
    on_unknown: Literal["error", "skip"] = "error"
    max_rows_in_memory: int = 200_000

    def __post_init__(self) -> None:
        if self.directions not in DIRECTIONS:
            raise RoutesError(f"directions must be one of {', '.join(DIRECTIONS)}, not {self.directions!r}")
        if self.months is not None:  # a repeated month is merged, as everywhere (validation.unique_options)
            object.__setattr__(self, "months", tuple(validation.unique_options(self.months, "months")))
            self._check_months()
        if self.partition_size is not None and self.partition_size < 1:
            raise RoutesError(f"partition_size must be >= 1, got {self.partition_size}")

    def _check_months(self) -> None:
        months, wind = self.months, self.wind
        bad = [m for m in months if not (isinstance(m, int | np.integer) and 1 <= m <= 12)]
        if bad or not months:
            raise RoutesError(f"months must be integers 1-12, got {list(months)!r}")
        if not self.estimates:
            raise RoutesError("months change only block time and fuel: drop them for a distance-only job")
        if hasattr(wind, "ground_speed_kt"):
            raise RoutesError(
                "months need monthly winds: leave wind=None (the climatology) or pass a mapping month -> wind "
                "model or a function of the month, not one wind model"
            )
        if isinstance(wind, Mapping) and set(months) - set(wind):
            raise RoutesError(f"no wind model for month(s) {sorted(set(months) - set(wind))}")

    def monthly_wind(self) -> Any:
        """``wind``, or with months and no wind the climatology (each month's 200 hPa mean wind)."""
        if self.months is not None and self.wind is None:
            from routes.analysis.climatology import climatology

            return climatology
        return self.wind


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def scenario_fingerprint(scn: Scenario) -> str:
    """Hash of what a scenario closes (states and polygons), independent of its description."""
    parts = [
        ",".join(sorted(scn.listed_closed_states)),
        ",".join(sorted(scn.exempt_states)),
        *(shapely.to_wkb(g, hex=True) for g in scn.closed_polygons),
        "|",
        *(shapely.to_wkb(g, hex=True) for g in scn.open_corridors),
    ]
    return _sha("\n".join(parts))[:16]


def _describe_wind(wind: Any) -> Any:
    if wind is None:
        return "still air"
    if isinstance(wind, Mapping):
        return {str(k): _describe_wind(v) for k, v in wind.items()}
    if hasattr(wind, "ground_speed_kt"):
        return f"{type(wind).__qualname__}: {getattr(wind, 'label', repr(wind))}"
    return f"{getattr(wind, '__module__', '')}.{getattr(wind, '__qualname__', repr(wind))}"


def _package_version() -> str:
    try:
        return version("polar-routes")
    except PackageNotFoundError:
        return "unknown"


def job_spec(
    chosen: Sequence[Pair], scns: Mapping[str, Scenario], study: Study, options: MatrixOptions, partition_size: int
) -> dict[str, Any]:
    """What names a job in its folder's manifest: its pairs, scenarios, settings and the package version."""
    est = options.estimates
    return {
        "pairs": {"n": len(chosen), "sha256": _sha("\n".join(f"{p.origin.code}>{p.destination.code}" for p in chosen))},
        "scenarios": {name: scenario_fingerprint(s) for name, s in scns.items()},
        "aircraft": list(study.aircraft) if est else [], "directions": options.directions,
        "months": list(options.months) if options.months is not None else None,
        "wind": _describe_wind(study.wind if options.monthly_wind() is None else options.monthly_wind()),
        "margin_nm": study.margin_nm, "assumptions": repr(study.assumptions if est else None),
        "min_runway_m": study.min_runway_m, "oei_speed_kt": study.oei_speed_kt, "estimates": bool(est),
        "geometry": bool(options.geometry), "partition_size": partition_size, "polar_routes": _package_version(),
    }  # fmt: skip


def plan_partitions(
    pairs: Sequence[Pair], scenarios: Sequence[str], directions: Sequence[str], rows_per_route: int, size: int
) -> list[Partition]:
    """Partitions of at most ``size`` routes: per scenario, the routes of each engine chart they
    are solved on (`engine.chart_key`: the geodesic midpoint snapped to a 10-degree grid; routes on
    one chart share its outline and visibility verdicts) in one partition, or in partitions of their
    own when they are more than ``size``; small charts share partitions. So no chart is split
    between partitions that could run on different workers (each would build it)."""
    tasks = []
    for p in pairs:
        if "outbound" in directions:
            tasks.append(Task(p.origin, p.destination, "outbound"))
        if "return" in directions:
            tasks.append(Task(p.destination, p.origin, "return"))
    charts: dict[tuple[float, float], list[Task]] = {}
    for task, center in zip(tasks, charts_of(tasks), strict=True):
        charts.setdefault(center, []).append(task)
    chunks: list[list[Task]] = []
    for _, members in sorted(charts.items()):
        if chunks and len(chunks[-1]) + len(members) <= size:
            chunks[-1] += members
            continue
        chunks += [members[i : i + size] for i in range(0, len(members), size)]
    centers = {id(task): center for center, members in charts.items() for task in members}
    parts = []
    for scn in scenarios:
        for chunk in chunks:
            on = tuple(dict.fromkeys(centers[id(t)] for t in chunk))
            parts.append(Partition(len(parts), scn, tuple(chunk), len(chunk) * rows_per_route, on))
    return parts


def select_pairs(
    pairs: Any, origins: AirportsInput | None, destinations: AirportsInput | None, min_km: float, max_km: float,
    on_unknown: Literal["error", "skip"],
) -> list[Pair]:  # fmt: skip
    """The job's airport pairs: ``pairs`` (codes, `Pair` objects, a CSV/Parquet path or a DataFrame) or
    every ``origins`` x ``destinations`` pair, whose geodesic lies between ``min_km`` and ``max_km``."""
    if pairs is not None and (origins is not None or destinations is not None):
        raise EmptySelectionError("give either pairs or origins and destinations, not both")
    if pairs is None:
        if origins is None or destinations is None:
            raise EmptySelectionError("give pairs, or both origins and destinations (codes or a Region)")
        return cross_pairs(origins, destinations, min_km, max_km)
    if isinstance(pairs, str | Path | pd.DataFrame):
        return read_pairs(pairs, on_unknown, min_km, max_km)
    if not isinstance(pairs, Iterable):
        raise InvalidInputError(
            f"pairs: expected a file, a DataFrame or a list of (origin, destination), got {pairs!r}"
        )
    listed = list(pairs)
    if not listed:
        raise EmptySelectionError("the list of pairs is empty")
    got = listed if all(isinstance(p, Pair) for p in listed) else pairs_from_codes(listed)
    return filter_distance(got, min_km, max_km, f"the {len(got)} pairs given")


def job_scenarios(scenarios: Iterable[str | Scenario] | str) -> dict[str, Scenario]:
    """The job's scenarios by name; two different scenarios of one name are refused."""
    if isinstance(scenarios, str | Scenario):
        scenarios = [scenarios]
    out: dict[str, Scenario] = {}
    for s in scenarios:
        scn = get_scenario(s)
        if scn.name in out and scenario_fingerprint(out[scn.name]) != scenario_fingerprint(scn):
            raise RoutesError(f"two different scenarios are named {scn.name!r}; give them distinct names")
        out[scn.name] = scn
    if not out:
        raise EmptySelectionError("no scenario given; name at least one, e.g. 'europe-closed'")
    return out
