"""Route matrices on Dask: pairs x scenarios x aircraft x directions x months, resumable.

`matrix` plans partitions (one scenario, neighbouring routes, at most ``partition_size`` routes
each), ships the job's context to every worker once, runs one Dask task per partition and writes
each partition's rows as it arrives (temp file + rename). The folder's manifest names the job, so
a rerun skips what is done and a folder holding another job is refused. A worker that dies
mid-task has its tasks rerun by the scheduler; a partition file is written once per partition
key, whole, by the client, so no row is lost or duplicated.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import shapely

from routes import validation
from routes.errors import EmptySelectionError, IncompleteMatrixError, RoutesError, SchedulerUnreachableError
from routes.inputs.scenarios import Scenario, get_scenario
from routes.network import store
from routes.network.pairs import AirportsInput, Pair, cross_pairs, filter_distance, pairs_from_codes, read_pairs
from routes.network.work import (
    KEY_COLUMNS,
    JobContext,
    Partition,
    Task,
    chart_name,
    charts_of,
    export_chart,
    held_charts,
    run_partition,
)

log = logging.getLogger(__name__)
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
class MatrixProgress:
    """Progress of a running job, passed to the ``progress`` callback after each partition."""

    done: int
    total: int
    reused: int
    workers: int
    dashboard_link: str


@dataclass(frozen=True)
class MatrixResult:
    """A finished route-matrix job.

    Attributes
    ----------
    path : Path or None
        Output folder (None for an in-memory job).
    n_rows, n_partitions, n_reused : int
        Rows and partitions of the job; partitions found done in the folder and not recomputed.
    n_ok, n_infeasible, n_errors : int
        Rows by status.
    seconds : float
        Wall time of this run.
    workers : int
        Dask workers used (0 when nothing was left to compute).
    dashboard_link : str
        The Dask dashboard of the cluster used ("" when none).
    table : DataFrame or None
        All rows when the job has at most ``max_rows_in_memory`` of them (else read `path`).
    """

    path: Path | None
    n_rows: int
    n_partitions: int
    n_reused: int
    n_ok: int
    n_infeasible: int
    n_errors: int
    seconds: float
    workers: int
    dashboard_link: str
    table: pd.DataFrame | None

    def read(self) -> pd.DataFrame:
        """All rows (from memory, or read from the output folder)."""
        if self.table is not None:
            return self.table
        return store.read_matrix(self.path)


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


CHART_COST_ROUTES = 60.0
"""What building a chart on a worker costs, in typical routes (`work.route_work`): building a
chart and its first verdicts took 0.3-2.1 s (1.05 s on average over 9 charts of the benchmark),
against ~17 ms a typical warm route."""
ESTIMATE_ROUTES = 15.0
"""The work of one row's estimates (OpenAP block time and fuel, cost, diversion, polar flags;
one aircraft in one month), in typical routes: ~245 ms of CPU a row on 2 workers, against ~16 ms
a typical route; the same on every chart, so a job with estimates shares out rows as well."""
CHART_SHIP_ROUTES = 5.0
"""What copying a chart from a worker that holds it costs, in typical routes
(`work.export_chart`): ~25 ms to export it, ~15 ms to import it, the transfer, and the wait
for the holder to finish the partition it is running."""


class ChartCosts:
    """The work of a chart's routes, in typical routes (`work.route_work`), from what the workers
    measured (`work.held_charts`: mean work per route by chart); charts nobody has measured yet
    count the median of the measured ones (1 with no measurement). Getting a chart costs nothing
    on a worker that holds it, `CHART_SHIP_ROUTES` where another worker holds it (it is copied
    from there) and `CHART_COST_ROUTES` where nobody does (it is built).

    Parameters
    ----------
    held : mapping, optional
        Worker -> its charts: a mapping of chart label to work per route (None: not measured), or
        just an iterable of labels.
    per_row : float
        The work of each row besides its route (`ESTIMATE_ROUTES` per row with estimates).
    """

    def __init__(self, held: Mapping[str, Iterable[str]] | None = None, per_row: float = 0.0) -> None:
        rates: dict[str, list[float]] = {}
        for charts in (held or {}).values():
            if isinstance(charts, Mapping):
                for label, rate in charts.items():
                    if rate is not None and math.isfinite(rate) and rate > 0:
                        rates.setdefault(label, []).append(float(rate))
        self.rate = {label: float(np.mean(r)) for label, r in rates.items()}
        """Measured work per route, by chart label (the mean over the workers that report it)."""
        self.default = float(np.median(list(self.rate.values()))) if self.rate else 1.0
        """Work per route on a chart nobody measured."""
        self.build = CHART_COST_ROUTES
        """A chart build on a worker where nobody holds the chart."""
        self.ship = CHART_SHIP_ROUTES
        """A chart copied from a worker that holds it."""
        self.per_row = per_row
        """The work of each row besides its route (`ESTIMATE_ROUTES` when the job has estimates)."""

    def work(self, label: str, routes: int, rows: int = 0) -> float:
        """The work of ``routes`` routes on the chart ``label`` giving ``rows`` rows."""
        return routes * self.rate.get(label, self.default) + rows * self.per_row

    def get(self, worker: str, holders: Iterable[str]) -> float:
        """What getting a chart that ``holders`` hold costs ``worker``."""
        holders = set(holders)
        return 0.0 if worker in holders else self.ship if holders else self.build


def assign_workers(
    parts: Sequence[Partition],
    workers: Sequence[str],
    held: Mapping[str, Iterable[str]] | None = None,
    per_row: float = 0.0,
) -> dict[int, list[str]]:
    """A home worker for each partition: all partitions of one engine chart and scenario go to
    one worker, which gets that chart once and keeps it for later partitions and jobs.

    A chart some worker holds (``held``: worker -> chart labels, with their measured work per
    route: `work.held_charts`) goes to its least loaded holder; the others go, largest first (by
    work, `ChartCosts`), to the worker with the least work plus a chart build. Then the work is
    evened out: while moving a chart from the busiest worker to the least busy one, its copy or
    build counted (`ChartCosts.get`), makes the busier of the two less busy, the chart that does
    so most moves. So few charts move, and only to shorten the job; a lost worker's charts go to
    the others. Ties go to the highest hash of chart and worker address, so the plan does not
    depend on the order of ``workers``. Homes are preferences (``allow_other_workers``): Dask
    still moves work off dead workers.
    """
    if not workers:
        return {}
    held_by = {w: set((held or {}).get(w, ())) for w in workers}
    costs = ChartCosts(held, per_row)
    charts: dict[str, list[Partition]] = {}
    for part in parts:
        charts.setdefault(part.chart_labels()[0], []).append(part)
    work = {chart: sum(costs.work(chart, len(p.tasks), p.n_rows) for p in members) for chart, members in charts.items()}
    holders = {chart: {w for w in workers if chart in held_by[w]} for chart in charts}

    def rank(chart: str, w: str) -> int:
        return -int.from_bytes(_rank(chart, w), "big")

    def cost(chart: str, w: str) -> float:
        return work[chart] + costs.get(w, holders[chart])

    load = dict.fromkeys(workers, 0.0)
    where: dict[str, str] = {}
    for chart in sorted(charts, key=lambda c: (not holders[c], -work[c], c)):
        pool = sorted(holders[chart]) or workers
        where[chart] = min(pool, key=lambda w, c=chart: (load[w] + cost(c, w), rank(c, w)))
        load[where[chart]] += cost(chart, where[chart])
    for _ in range(len(charts)):  # even out, one move at a time (each lowers the busiest load)
        busy = max(workers, key=lambda w: (load[w], rank("", w)))
        idle = min(workers, key=lambda w: (load[w], rank("", w)))
        moves = [
            (max(load[busy] - cost(c, busy), load[idle] + cost(c, idle)), rank(c, idle), c)
            for c in sorted(charts)
            if where[c] == busy
        ]
        best = min(moves, default=None)
        if best is None or best[0] >= load[busy] - 1e-9:
            break
        chart = best[2]
        load[busy] -= cost(chart, busy)
        load[idle] += cost(chart, idle)
        where[chart] = idle
    return {p.pid: [where[chart]] for chart, members in charts.items() for p in members}


def _rank(chart: str, worker: str) -> bytes:
    return hashlib.blake2b(f"{chart}|{worker}".encode(), digest_size=8).digest()


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


def _pairs(
    pairs: Any, origins: AirportsInput | None, destinations: AirportsInput | None, min_km: float, max_km: float,
    on_unknown: Literal["error", "skip"],
) -> list[Pair]:  # fmt: skip
    if pairs is not None and (origins is not None or destinations is not None):
        raise EmptySelectionError("give either pairs or origins and destinations, not both")
    if pairs is None:
        if origins is None or destinations is None:
            raise EmptySelectionError("give pairs, or both origins and destinations (codes or a Region)")
        return cross_pairs(origins, destinations, min_km, max_km)
    if isinstance(pairs, str | Path | pd.DataFrame):
        return read_pairs(pairs, on_unknown, min_km, max_km)
    if not isinstance(pairs, Iterable):
        from routes.errors import InvalidInputError

        raise InvalidInputError(
            f"pairs: expected a file, a DataFrame or a list of (origin, destination), got {pairs!r}"
        )
    listed = list(pairs)
    if not listed:
        raise EmptySelectionError("the list of pairs is empty")
    got = listed if all(isinstance(p, Pair) for p in listed) else pairs_from_codes(listed)
    return filter_distance(got, min_km, max_km, f"the {len(got)} pairs given")


def _scenarios(scenarios: Iterable[str | Scenario] | str) -> dict[str, Scenario]:
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


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    # partitions stay with the worker that holds their chart (`assign_workers`): moving one to an
    # idle worker costs that worker a chart build, more than the partition's routes
    "distributed.scheduler.work-stealing": False,
    # Dask's defaults less MALLOC_TRIM_THRESHOLD_=65536, which made routing ~10 % slower (glibc
    # then maps and unmaps every large array instead of reusing the memory)
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
    # the worker's statistical profiler samples the running task's stack every 10 ms while holding
    # the GIL: 52 -> 60 routes/s on one worker without it (the dashboard's profile tab stays empty)
    "distributed.worker.profile.enabled": False,
    # Dask's housekeeping, made less frequent: an idle 2-worker cluster used 0.14 cores (the client
    # process 0.08, each worker 0.03) with the defaults (event-loop check every 20 ms, memory every
    # 100 ms, system monitor every 500 ms) and 0.03 with these
    "distributed.admin.tick.interval": "200ms",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}
"""Dask settings of the `local_cluster` a matrix job starts (a given scheduler keeps its own)."""


def local_cluster(n_workers: int, dashboard_address: str = ":0") -> Any:
    """A `LocalCluster` of ``n_workers`` single-threaded worker processes with
    `LOCAL_CLUSTER_CONFIG`; the dashboard on any free port (served only where bokeh is
    installed, extra "dashboard")."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        return LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=dashboard_address,
            silence_logs=logging.ERROR,
        )  # fmt: skip


@contextmanager
def dask_client(
    client: Any = None, scheduler: str | None = None, n_workers: int | None = None, timeout_s: float = 10.0
) -> Iterator[Any]:
    """The Dask client to run on: ``client`` as given, a connection to ``scheduler``, or a new
    `LocalCluster` with one single-threaded worker process per core (closed afterwards).

    Raises
    ------
    SchedulerUnreachableError
        ``scheduler`` did not answer within ``timeout_s``.
    """
    if client is not None:
        yield client
        return
    from distributed import Client

    if scheduler:
        try:
            own = Client(scheduler, timeout=timeout_s, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerUnreachableError(
                f"cannot reach the Dask scheduler at {scheduler!r} within {timeout_s:g} s "
                f"({type(exc).__name__}); give a running scheduler's address, e.g. tcp://10.0.0.5:8786"
            ) from None
        try:
            yield own
        finally:
            own.close()
        return
    cluster = local_cluster(n_workers or _cores())
    own = Client(cluster, set_as_default=False)
    try:
        yield own
    finally:
        own.close()
        cluster.close()


def _check(table: pd.DataFrame, part: Partition) -> str:
    if len(table) != part.n_rows:
        return f"partition {part.pid} returned {len(table)} rows, expected {part.n_rows}"
    keys = set(zip(*(table[c].tolist() for c in KEY_COLUMNS), strict=True))  # (~50x cheaper than `duplicated`)
    if len(keys) != len(table):
        return f"partition {part.pid} returned duplicate rows"
    return ""


def _until_all_ran(pending: Any, dispatch: Dispatch, submit: Callable[[Partition], Any]) -> Iterator[Any]:
    """The futures of ``pending`` as they complete; when none is left in flight, the partitions
    `Dispatch` still holds (queued for workers that died with no completion left to hand them
    out) are submitted to any worker, until none is left."""
    while True:
        yield from pending
        rest = dispatch.leftover()
        if not rest:
            return
        log.info("%d partitions left with no worker to run them: sent to any worker", len(rest))
        for part in rest:
            pending.add(submit(part))


def _fetch(dc: Any, fut: Any, direct: bool) -> pd.DataFrame:
    """A finished partition's table, straight from its worker if ``direct``; raises
    `FutureCancelledError` if the worker died before it was fetched (`Future.result`)."""
    if direct and fut.status == "finished":
        return dc.gather(fut, direct=True)
    return fut.result()


def _on_this_machine(addresses: Iterable[str]) -> bool:
    """Whether every worker address is on this machine (loopback or in-process)."""
    hosts = [a.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]") for a in addresses]
    return bool(hosts) and all(
        h in ("127.0.0.1", "localhost", "::1") or a.startswith("inproc") for a, h in zip(addresses, hosts, strict=True)
    )


def _status_counts(tables: Iterable[pd.DataFrame]) -> dict[str, int]:
    counts = {"ok": 0, "infeasible": 0, "error": 0}
    for t in tables:
        for k, v in t["status"].value_counts().items():
            counts[str(k)] = counts.get(str(k), 0) + int(v)
    return counts


def _validate(
    aircraft: Sequence[str], months: Sequence[int] | None, wind: Any, margin_nm: float, size: int | None
) -> None:
    from routes.analysis.performance import get_aircraft

    for a in aircraft:
        get_aircraft(a)  # UnknownAircraftError names it
    if months is not None:
        bad = [m for m in months if not (isinstance(m, int | np.integer) and 1 <= m <= 12)]
        if bad or not months:
            raise RoutesError(f"months must be integers 1-12, got {list(months)!r}")
        if not aircraft:
            raise RoutesError("months change only block time and fuel: drop them for a distance-only job")
        if hasattr(wind, "ground_speed_kt"):
            raise RoutesError(
                "months need monthly winds: leave wind=None (the climatology) or pass a mapping month -> wind "
                "model or a function of the month, not one wind model"
            )
        if isinstance(wind, Mapping) and set(months) - set(wind):
            raise RoutesError(f"no wind model for month(s) {sorted(set(months) - set(wind))}")
    if not (math.isfinite(margin_nm) and margin_nm >= 0):
        raise RoutesError(f"margin_nm must be a finite number >= 0, got {margin_nm}")
    if size is not None and size < 1:
        raise RoutesError(f"partition_size must be >= 1, got {size}")


def matrix(
    pairs: Any = None,
    *,
    origins: AirportsInput | None = None,
    destinations: AirportsInput | None = None,
    scenarios: Iterable[str | Scenario] | str = ("europe-closed",),
    aircraft: Iterable[str] | str = ("B77W",),
    directions: Literal["outbound", "return", "both"] = "outbound",
    months: Sequence[int] | None = None,
    wind: Any = None,
    margin_nm: float = 0.0,
    assumptions: Any = None,
    min_km: float = 0.0,
    max_km: float = math.inf,
    min_runway_m: float = 2500.0,
    oei_speed_kt: float = 420.0,
    estimates: bool = True,
    geometry: bool = False,
    out: str | Path | None = None,
    client: Any = None,
    scheduler: str | None = None,
    n_workers: int | None = None,
    partition_size: int | None = None,
    on_unknown: Literal["error", "skip"] = "error",
    progress: Callable[[MatrixProgress], None] | None = None,
    max_rows_in_memory: int = 200_000,
    connect_timeout_s: float = 10.0,
) -> MatrixResult:
    """Routes for many airport pairs x scenarios x aircraft x directions x months, on Dask.

    Parameters
    ----------
    pairs
        (origin, destination) code tuples, `Pair` objects, a CSV/Parquet path or a DataFrame with
        ``origin`` and ``destination`` columns. Or give ``origins`` and ``destinations`` instead.
    origins, destinations
        Code lists or `Region` selectors (OurAirports large airports by country, continent,
        polygon); every origin x destination pair.
    scenarios, aircraft
        Scenario names or objects; ICAO aircraft types (OpenAP).
    directions
        ``"outbound"`` (pairs as given), ``"return"`` or ``"both"``.
    months, wind
        Months 1-12: rows per month in that month's wind, by default the climatological 200 hPa
        wind (`routes.analysis.climatology.climatology`), or ``wind`` a mapping month -> wind model or a
        function of the month. Each route is computed once and estimated in every month's wind.
        No months: one row in ``wind`` (one model; None: still air).
    min_km, max_km
        Keep pairs whose WGS84 geodesic lies in this range.
    estimates
        False: distance-only rows (the engine's figures and overflown states; no OpenAP time,
        fuel, ETOPS or polar columns; one row per route, ``aircraft`` empty).
    geometry
        Keep each route's densified lon/lat geometry (GeoParquet; GeoDataFrame table).
    out
        Output folder: one Parquet file per partition plus ``_manifest.json``. A rerun with the
        same folder and job resumes; a folder of another job is refused. None: in memory only.
    client, scheduler, n_workers
        A `distributed.Client`, or a scheduler address (``tcp://host:port``), or neither: a
        `LocalCluster` with ``n_workers`` (default: one per core) single-threaded processes.
    partition_size
        Routes per partition (a Dask task and a file); None: `auto_partition_size` (at most 32,
        small enough for at least 64 partitions).
    on_unknown
        ``"error"``: unknown codes in a pairs table raise one error naming all of them;
        ``"skip"``: they are dropped with a warning.
    progress
        Called with a `MatrixProgress` at the start and after each partition.

    Returns
    -------
    MatrixResult
        Counts, timing and (up to ``max_rows_in_memory`` rows) the table: the columns of
        `routes.comparison.compare` plus ``direction``, ``month``, ``status`` (``ok``, ``infeasible``,
        ``error``; the reason in ``reason``) and optionally ``geometry``.

    Raises
    ------
    RoutesError subclasses
        `EmptySelectionError`, `UnknownAirportsError`, `MatrixFolderError`,
        `SchedulerUnreachableError`, `IncompleteMatrixError` (some partitions failed: the others
        are saved and a rerun computes only the missing ones).
    """
    started = time.perf_counter()
    aircraft = [aircraft] if isinstance(aircraft, str) else list(aircraft)
    aircraft = [a.strip().upper() for a in aircraft if a.strip()] if estimates else []
    if estimates and not aircraft:
        raise EmptySelectionError("no aircraft given; name at least one ICAO type, e.g. 'B77W' (or estimates=False)")
    if directions not in DIRECTIONS:
        raise RoutesError(f"directions must be one of {', '.join(DIRECTIONS)}, not {directions!r}")
    if months is not None:
        months = validation.unique_options(months, "months")  # a repeated month is merged, as everywhere
    _validate(aircraft, months, wind, margin_nm, partition_size)
    scns = _scenarios(scenarios)
    if months is not None and wind is None:
        from routes.analysis.climatology import climatology

        wind = climatology  # each month's climatological 200 hPa wind
    chosen = _pairs(pairs, origins, destinations, min_km, max_km, on_unknown)
    ctx = JobContext(
        scns, tuple(aircraft), tuple(months) if months is not None else (None,), wind, float(margin_nm),
        assumptions, float(min_runway_m), float(oei_speed_kt), bool(geometry),
    )  # fmt: skip
    if partition_size is None:
        partition_size = auto_partition_size(len(chosen) * len(DIRECTIONS[directions]) * len(scns))
    parts = plan_partitions(chosen, list(scns), DIRECTIONS[directions], ctx.rows_per_route, partition_size)
    spec = {
        "pairs": {"n": len(chosen), "sha256": _sha("\n".join(f"{p.origin.code}>{p.destination.code}" for p in chosen))},
        "scenarios": {name: scenario_fingerprint(s) for name, s in scns.items()},
        "aircraft": aircraft, "directions": directions, "months": list(months) if months is not None else None,
        "wind": _describe_wind(wind), "margin_nm": float(margin_nm), "assumptions": repr(assumptions),
        "min_runway_m": float(min_runway_m), "oei_speed_kt": float(oei_speed_kt), "estimates": bool(estimates),
        "geometry": bool(geometry), "partition_size": partition_size, "polar_routes": _package_version(),
    }  # fmt: skip
    fingerprint = _sha(json.dumps(spec, sort_keys=True, default=str))
    manifest = store.new_manifest(fingerprint, spec, [p.n_rows for p in parts])
    folder = Path(out) if out is not None else None
    done = store.open_job(folder, manifest) if folder is not None else set()
    todo = [p for p in parts if p.pid not in done]
    tables: dict[int, pd.DataFrame] = {}
    failures: list[str] = []
    workers, link = 0, ""
    if todo:
        with dask_client(client, scheduler, min(n_workers or _cores(), len(todo)), connect_timeout_s) as dc:
            workers = len(dc.scheduler_info().get("workers", {}))
            link = dc.dashboard_link if find_spec("bokeh") else ""
            failures = _run(dc, ctx, todo, fingerprint, folder, tables, len(parts), len(done), workers, link, progress)
    if failures:
        where = f"; the {len(parts) - len(failures)} others are saved in {folder}" if folder else ""
        raise IncompleteMatrixError(
            f"{len(failures)} of {len(parts)} partitions failed ({failures[0]}){where}; rerun the same job to retry"
        )
    if folder is not None:
        manifest = store.finish_job(folder, manifest)
        table = store.read_matrix(folder) if manifest.n_rows <= max_rows_in_memory else None
        counts = _status_counts([table]) if table is not None else _status_counts(_status_columns(folder, manifest))
    else:
        table = pd.concat([tables[p.pid] for p in parts], ignore_index=True)
        counts = _status_counts([table])
    return MatrixResult(
        folder, manifest.n_rows, len(parts), len(done), counts["ok"], counts["infeasible"], counts["error"],
        time.perf_counter() - started, workers, link, table,
    )  # fmt: skip


class Dispatch:
    """Hands a job's partitions to the workers chart by chart, a few at a time, and says where
    each worker can copy the charts it lacks from.

    Each worker has a queue of charts (`assign_workers`: where its charts are, even work), the
    dearest first, and gets its next partition when one of its own finishes, with `DEPTH`
    partitions in flight, so it never waits. A worker whose queue runs dry takes the last chart
    from the worker with the most work left (`ChartCosts`: measured work per route): all of that
    chart's partitions (or, when that worker is on its last chart, the back half of it); only if
    that worker would still have more work left than getting the chart costs (`ChartCosts.get`),
    so that the move shortens the job. A worker gets a chart it lacks by copying it from a worker that holds it
    (`sources`: one that held it when the job started or has since finished a partition on it),
    or else builds it. Dask's own work stealing (which moves single tasks and knows nothing of
    charts) is off in `local_cluster`. Without workers (none known yet) every partition is
    handed out at once to whichever worker Dask picks.
    """

    def __init__(
        self,
        parts: Sequence[Partition],
        workers: Sequence[str],
        held: Mapping[str, Iterable[str]],
        per_row: float = 0.0,
    ) -> None:
        self.workers, self.parts = list(workers), list(parts)
        self.costs = ChartCosts(held, per_row)
        self.labels = {p.pid: p.chart_labels()[0] for p in self.parts}
        self.holders: dict[str, set[str]] = {}
        """Chart label -> the workers that hold it (held at the start, or finished a partition on it)."""
        for w in self.workers:
            for label in held.get(w, ()):
                self.holders.setdefault(label, set()).add(w)
        self.given: dict[str, set[str]] = {}
        """Chart label -> the workers handed a partition on it in this job (they hold it by their next)."""
        self.copies: dict[tuple[str, str], tuple[str, str, tuple[float, float]]] = {}
        """(chart label, worker) -> (holder, scenario, centre): where the worker copies the chart from."""
        self._new: list[tuple[str, str]] = []
        self.gone: set[str] = set()
        """Workers found dead (`drop`)."""
        self.orphans: list[list[Partition]] = []
        """Charts of dead workers when no worker is left to take them (`leftover`)."""
        home = assign_workers(parts, self.workers, held, per_row)  # {} without workers
        self.queues: dict[str | None, deque[list[Partition]]] = {w: deque() for w in self.workers}
        charts: dict[tuple[str, str], list[Partition]] = {}
        for part in parts if home else ():
            charts.setdefault((home[part.pid][0], self.labels[part.pid]), []).append(part)
        # dearest charts first: what is left at the end, and what an idle worker takes, is small
        for (w, _), chart in sorted(charts.items(), key=lambda item: (-self._work(item[1]), item[0][1])):
            self._queue(w, chart)

    def start(self) -> list[tuple[str | None, Partition]]:
        """The first partitions: `DEPTH` per worker (or all, without workers)."""
        if not self.workers:
            return [(None, p) for p in self.parts]
        out = []
        for _ in range(DEPTH):
            for w in self.workers:
                p = self.next_for(w)
                if p is not None:
                    out.append((w, p))
        return out

    def next_for(self, worker: str | None) -> Partition | None:
        """The next partition for ``worker``: from its own charts, else a chart taken from the
        worker with the most work left; None when nothing is left. When this empties the
        worker's queue, it takes its next chart at once, so that copying that chart (`sources`,
        `new_copies`) overlaps the partitions still running on the worker."""
        if worker is None or worker in self.gone:
            return None
        q = self.queues.setdefault(worker, deque())
        if not q:
            self._take(worker)
        if not q:
            return None
        part = q[0].pop(0)
        if not q[0]:
            q.popleft()
        for label in part.chart_labels():
            self.given.setdefault(label, set()).add(worker)
        if not q:
            self._take(worker)
        return part

    def _take(self, worker: str) -> None:
        """Move a chart to ``worker``'s (empty) queue from the worker with the most work left, if
        that shortens the job."""
        busiest = max(self.queues, key=lambda w: (self._work_left(w), str(w)))
        if busiest == worker:
            return
        donor, left = self.queues[busiest], self._work_left(busiest)
        whole = len(donor) > 1
        if whole:  # a whole chart the donor has not started
            take = donor[-1]
        elif donor and len(donor[0]) > 1:  # the back half of the chart it is working on
            take = donor[0][-(len(donor[0]) // 2) :]
        else:
            return
        # worth it only if the donor would still be busy for longer than getting the chart takes
        if left - self._work(take) <= self._getting(worker, self.labels[take[0].pid]):
            return
        if whole:
            donor.pop()
        else:
            del donor[0][-len(take) :]
        self._queue(worker, take)

    def _queue(self, worker: str, chart: list[Partition]) -> None:
        """Append a chart's partitions to ``worker``'s queue, and decide where it copies each of
        their charts it lacks from (a holder; none: it builds the chart)."""
        self.queues[worker].append(chart)
        for part in chart:
            for center in part.chart_centers():
                label = chart_name(part.scenario, center)
                holders = self.holders.get(label, set())
                if (label, worker) in self.copies or worker in holders or worker in self.given.get(label, ()):
                    continue
                if holders:
                    self.copies[(label, worker)] = (self._least_busy(holders), part.scenario, center)
                    self._new.append((label, worker))

    def new_copies(self) -> list[tuple[str, str, str, tuple[float, float]]]:
        """The copies decided since the last call, to start at once: (worker, holder, scenario,
        chart centre) each."""
        out = [(w, *self.copies[(label, w)]) for label, w in self._new]
        self._new.clear()
        return out

    def drop(self, worker: str) -> None:
        """``worker`` is gone: its queued charts go to the others (each to the one with the least
        work left), nobody copies from it, and it gets nothing more."""
        queue = self.queues.pop(worker, deque())
        self.gone.add(worker)
        if worker in self.workers:
            self.workers.remove(worker)
        for holders in self.holders.values():
            holders.discard(worker)
        for chart in queue:
            if self.workers:
                self._queue(self._least_busy(self.workers), chart)
            else:
                self.orphans.append(chart)

    def leftover(self) -> list[Partition]:
        """Every partition not handed out yet (taken off the queues): what must still run when
        no worker's partition is in flight any more."""
        charts = [*self.orphans, *(chart for q in self.queues.values() for chart in q)]
        self.orphans.clear()
        for q in self.queues.values():
            q.clear()
        return [p for chart in charts for p in chart]

    def sources(self, worker: str | None, part: Partition) -> list[tuple[str, str, tuple[float, float]]]:
        """Where ``worker`` copies the charts of ``part`` (handed to it by `next_for`) from:
        (holder, scenario, chart centre) for each chart it lacked when it was first handed a
        partition on it and another worker held (the same for each of its partitions on it)."""
        if worker is None:
            return []
        keys = ((label, worker) for label in part.chart_labels())
        return [self.copies[key] for key in keys if key in self.copies]

    def finished(self, worker: str | None, part: Partition) -> None:
        """``worker`` finished ``part``: it holds the partition's charts from now on."""
        if worker is not None:
            for label in part.chart_labels():
                self.holders.setdefault(label, set()).add(worker)

    def _getting(self, worker: str, label: str) -> float:
        if worker in self.given.get(label, ()):
            return 0.0
        return self.costs.get(worker, self.holders.get(label, ()))

    def _work(self, chart: list[Partition]) -> float:
        return sum(self.costs.work(self.labels[p.pid], len(p.tasks), p.n_rows) for p in chart)

    def _work_left(self, worker: str | None) -> float:
        return sum(self._work(chart) for chart in self.queues.get(worker, ()))

    def _least_busy(self, workers: Iterable[str]) -> str:
        return min(workers, key=lambda w: (self._work_left(w), w))


LIVE_REFRESH_S = 1.0
"""How often, at most, a job asks the scheduler which workers are alive while it submits (and
after each lost partition): once per submission cost the client ~0.1 s of CPU per 70 partitions."""
EXPORT_PRIORITY = 10
"""Dask priority of a chart export (`work.export_chart`): it runs on the holder as soon as the
partition running there ends, before the holder's other queued partitions."""
DEPTH = 2
"""Partitions in flight per worker (`Dispatch`): one computing, one waiting, so a worker never
waits for the client."""


def _status_columns(folder: Path, manifest: store.Manifest) -> Iterator[pd.DataFrame]:
    for pid in range(manifest.n_partitions):
        yield pd.read_parquet(folder / store.part_name(pid), columns=["status"])


MAX_FETCH_ATTEMPTS = 3
"""Times a partition is computed when it is lost with its worker: its finished result before the
client fetched it, or the task itself cancelled (then it is computed again, on any live worker)."""


def _run(
    dc: Any, ctx: JobContext, todo: list[Partition], fingerprint: str, folder: Path | None,
    tables: dict[int, pd.DataFrame], total: int, reused: int, workers: int, link: str,
    progress: Callable[[MatrixProgress], None] | None,
) -> list[str]:  # fmt: skip
    """Submit the partitions, write each as it finishes; return the failures' messages."""
    from distributed import as_completed
    from distributed.client import FutureCancelledError

    shipped = dc.scatter(ctx, broadcast=True, hash=False)  # once per worker, not per task
    try:  # where the workers' charts are (an empty answer only costs chart builds)
        held = dc.run(held_charts)
    except Exception as exc:  # e.g. a worker gone meanwhile
        log.debug("could not ask the workers for their charts: %s", exc)
        held = {}
    live = {"workers": set(dc.scheduler_info().get("workers", {})), "at": time.monotonic()}
    addresses = sorted({*live["workers"], *held})  # (the client's list may lag)
    # results straight from the workers when they run on this machine (not through the scheduler,
    # which runs in this process with a local cluster: one copy and one round trip less per
    # partition); otherwise as the client is set up (workers may be unreachable from here)
    direct = _on_this_machine(addresses)
    dispatch = Dispatch(todo, addresses, held, ESTIMATE_ROUTES if ctx.aircraft else 0.0)
    attempts: dict[int, int] = {}
    target: dict[Any, str | None] = {}

    def submit(part: Partition, worker: str | None) -> Any:
        if time.monotonic() - live["at"] > LIVE_REFRESH_S:  # each refresh asks the scheduler (one round trip)
            live.update(workers=set(dc.scheduler_info().get("workers", {})), at=time.monotonic())
        if worker is not None and worker not in live["workers"]:  # gone: any worker (a new one, or the others)
            dispatch.drop(worker)  # (and its queued charts go to the others)
            worker = None
        attempts[part.pid] = attempts.get(part.pid, 0) + 1
        again = f"-r{attempts[part.pid]}" if attempts[part.pid] > 1 else ""
        where = {"workers": [worker], "allow_other_workers": True} if worker else {}
        fut = dc.submit(
            run_partition, shipped, part, *copies(part, worker),
            key=f"routes-matrix-{fingerprint[:12]}-{part.pid:05d}{again}", retries=1, **where,
        )  # fmt: skip
        target[fut] = worker
        return fut

    exports: dict[tuple[str, str], Any] = {}  # (chart label, worker) -> the chart, exported by a holder
    run_id = uuid.uuid4().hex[:8]

    def export(worker: str, holder: str, scenario: str, center: tuple[float, float]) -> Any:
        """The chart, exported by ``holder`` for ``worker`` (once), ahead of the holder's queued
        partitions (``priority``); None if the holder is gone (``worker`` builds the chart)."""
        key = (chart_name(scenario, center), worker)
        if key not in exports and holder in live["workers"]:
            exports[key] = dc.submit(
                export_chart, shipped, scenario, center, key=f"routes-chart-{run_id}-{len(exports):05d}",
                workers=[holder], allow_other_workers=True, priority=EXPORT_PRIORITY, pure=False,
            )  # fmt: skip
        return exports.get(key)

    def copies(part: Partition, worker: str | None) -> list[Any]:
        """The exports of the charts ``worker`` copies for ``part`` (`Dispatch.sources`)."""
        got = (export(worker, *source) for source in dispatch.sources(worker, part))
        return [fut for fut in got if fut is not None]

    def start_copies() -> None:  # copies decided just now start at once, before their partitions are due
        for worker, *source in dispatch.new_copies():
            export(worker, *source)

    def anywhere(part: Partition) -> Any:
        fut = submit(part, None)
        futures[fut] = part
        return fut

    start_copies()
    futures = {submit(part, w): part for w, part in dispatch.start()}
    start_copies()
    failures: list[str] = []
    done = reused
    if progress:
        progress(MatrixProgress(done, total, reused, workers, link))
    try:
        pending = as_completed(futures, loop=dc.loop)
        for fut in _until_all_ran(pending, dispatch, anywhere):
            part = futures[fut]
            worker = target[fut]
            if fut.status == "finished":
                dispatch.finished(worker, part)
            following = dispatch.next_for(worker)
            start_copies()
            if following is not None:  # keep the worker fed with its own charts' partitions
                nxt = submit(following, worker)
                futures[nxt] = following
                pending.add(nxt)
            error = fut.exception() if fut.status == "error" else None
            lost = fut.status != "finished" and error is None  # cancelled with its worker, no error of its own
            if not lost and fut.status != "finished":
                failures.append(f"partition {part.pid}: {type(error).__name__}: {error}")
                continue
            if not lost:
                try:
                    table = _fetch(dc, fut, direct)
                except FutureCancelledError:  # finished, but the worker holding it died before it was fetched
                    lost = True
            if lost:  # computed again, on any live worker
                live["at"] = -math.inf  # (the next submission asks the scheduler which workers are left)
                if attempts[part.pid] >= MAX_FETCH_ATTEMPTS:
                    failures.append(f"partition {part.pid}: lost with its worker {MAX_FETCH_ATTEMPTS} times")
                    continue
                pending.add(anywhere(part))
                continue
            problem = _check(table, part)
            if problem:
                failures.append(problem)
                continue
            if folder is not None:
                store.write_partition(folder, part.pid, table)
            else:
                tables[part.pid] = table
            fut.release()
            done += 1
            if progress:
                progress(MatrixProgress(done, total, reused, workers, link))
    except BaseException:  # interrupted (Ctrl-C) or a failing callback: stop the cluster's work, keep what is written
        dc.cancel(list(futures))
        raise
    return failures
