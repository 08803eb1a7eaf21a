"""Route matrices on Dask: pairs x scenarios x aircraft x directions x months, resumable.

`matrix` plans partitions (`routes.network.plan`: one scenario, neighbouring routes, at most
``partition_size`` routes each), finds a cluster (`routes.network.cluster`), ships the job's context to
every worker once and runs one Dask task per partition (`routes.network.run`, handing partitions out with
`routes.network.dispatch`), writing each partition's rows as it arrives (temp file + rename). The folder's
manifest names the job, so a rerun skips what is done and a folder holding another job is refused. A worker
that dies mid-task has its tasks rerun; a partition file is written once per partition key, whole, by the
client, so no row is lost or duplicated.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from routes.errors import IncompleteMatrixError
from routes.inputs.scenarios import Scenario
from routes.network import store
from routes.network.cluster import Cluster, cores, dask_client
from routes.network.pairs import AirportsInput
from routes.network.plan import (
    DIRECTIONS,
    MatrixOptions,
    _sha,
    auto_partition_size,
    job_scenarios,
    job_spec,
    plan_partitions,
    select_pairs,
)
from routes.network.run import JobRun
from routes.network.work import JobContext, Partition

if TYPE_CHECKING:
    from routes.study import Study


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


def _status_counts(tables: Iterable[pd.DataFrame]) -> dict[str, int]:
    counts = {"ok": 0, "infeasible": 0, "error": 0}
    for t in tables:
        for k, v in t["status"].value_counts().items():
            counts[str(k)] = counts.get(str(k), 0) + int(v)
    return counts


def _status_columns(folder: Path, manifest: store.Manifest) -> Iterator[pd.DataFrame]:
    for pid in range(manifest.n_partitions):
        yield pd.read_parquet(folder / store.part_name(pid), columns=["status"])


def matrix(
    pairs: Any = None,
    *,
    origins: AirportsInput | None = None,
    destinations: AirportsInput | None = None,
    scenarios: Iterable[str | Scenario] | str = ("europe-closed",),
    study: Study | None = None,
    options: MatrixOptions | None = None,
    cluster: Cluster | None = None,
    out: str | Path | None = None,
    progress: Callable[[MatrixProgress], None] | None = None,
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
    scenarios
        Scenario names or objects.
    study
        Aircraft (ICAO types, OpenAP), assumptions, wind, margin and diversion settings of the rows
        (a `routes.study.Study`; default the mission's: B77W, no margin, still air).
    options
        Directions, months and their winds, the distance range of the pairs, distance-only rows,
        geometry, partition size (`MatrixOptions`; default: outbound, no months, every pair).
    cluster
        A `distributed.Client`, a scheduler address or a local cluster's size (`Cluster`; default: a
        `LocalCluster` with one single-threaded worker process per core, closed afterwards).
    out
        Output folder: one Parquet file per partition plus ``_manifest.json``. A rerun with the
        same folder and job resumes; a folder of another job is refused. None: in memory only.
    progress
        Called with a `MatrixProgress` at the start and after each partition.

    Returns
    -------
    MatrixResult
        Counts, timing and (up to ``options.max_rows_in_memory`` rows) the table: the columns of
        `routes.comparison.compare` plus ``direction``, ``month``, ``status`` (``ok``, ``infeasible``,
        ``error``; the reason in ``reason``) and optionally ``geometry``.

    Raises
    ------
    RoutesError subclasses
        `EmptySelectionError`, `UnknownAirportsError`, `MatrixFolderError`,
        `SchedulerUnreachableError`, `IncompleteMatrixError` (some partitions failed: the others
        are saved and a rerun computes only the missing ones).
    """
    # (long only by its docstring: every setting is documented here, the body is under 40 lines)
    started = time.perf_counter()
    study, options, cluster = _settings(study, options, cluster)
    job = _plan(pairs, origins, destinations, scenarios, study, options)
    folder = Path(out) if out is not None else None
    done = store.open_job(folder, job.manifest) if folder is not None else set()
    todo = [p for p in job.parts if p.pid not in done]
    tables: dict[int, pd.DataFrame] = {}

    def keep(pid: int, table: pd.DataFrame) -> None:
        if folder is not None:
            store.write_partition(folder, pid, table)
        else:
            tables[pid] = table

    workers, link = _compute(job, todo, len(done), cluster, (keep, folder), progress)
    if folder is not None:
        manifest = store.finish_job(folder, job.manifest)
        table = store.read_matrix(folder) if manifest.n_rows <= options.max_rows_in_memory else None
        counts = _status_counts([table]) if table is not None else _status_counts(_status_columns(folder, manifest))
    else:
        table = pd.concat([tables[p.pid] for p in job.parts], ignore_index=True)
        counts = _status_counts([table])
    return MatrixResult(
        folder, job.manifest.n_rows, len(job.parts), len(done), counts["ok"], counts["infeasible"], counts["error"],
        time.perf_counter() - started, workers, link, table,
    )  # fmt: skip


@dataclass(frozen=True)
class _Job:
    """A planned job: what every worker gets, its partitions, and the manifest that names it."""

    ctx: JobContext
    parts: list[Partition]
    fingerprint: str
    manifest: store.Manifest


def _plan(pairs: Any, origins: Any, destinations: Any, scenarios: Any, study: Study, options: MatrixOptions) -> _Job:
    """The job's pairs, scenarios, context shipped to the workers, partitions and manifest."""
    scns = job_scenarios(scenarios)
    chosen = select_pairs(pairs, origins, destinations, options.min_km, options.max_km, options.on_unknown)
    aircraft = study.aircraft if options.estimates else ()
    months = options.months if options.months is not None else (None,)
    ctx = JobContext(
        scns, study if options.estimates else None, aircraft, months, options.monthly_wind(), study.margin_nm,
        bool(options.geometry),
    )  # fmt: skip
    directions = DIRECTIONS[options.directions]
    size = options.partition_size or auto_partition_size(len(chosen) * len(directions) * len(scns))
    parts = plan_partitions(chosen, list(scns), directions, ctx.rows_per_route, size)
    spec = job_spec(chosen, scns, study, options, size)
    fingerprint = _sha(json.dumps(spec, sort_keys=True, default=str))
    return _Job(ctx, parts, fingerprint, store.new_manifest(fingerprint, spec, [p.n_rows for p in parts]))


def _compute(
    job: _Job,
    todo: list[Partition],
    reused: int,
    cluster: Cluster,
    sink: tuple[Callable[[int, pd.DataFrame], None], Path | None],
    progress: Callable[[MatrixProgress], None] | None,
) -> tuple[int, str]:
    """Run the partitions ``todo`` on the cluster (none: nothing to start), each finished table to
    ``sink`` (a function of the partition id and the table, and the folder it writes to, or None);
    the workers used and the dashboard's link. Raises `IncompleteMatrixError` when some failed."""
    keep, folder = sink
    if not todo:
        return 0, ""
    total = len(job.parts)
    with dask_client(
        cluster.client, cluster.scheduler, min(cluster.n_workers or cores(), len(todo)), cluster.timeout_s
    ) as dc:
        workers = len(dc.scheduler_info().get("workers", {}))
        link = dc.dashboard_link if find_spec("bokeh") else ""

        def tell(n: int) -> None:
            if progress:
                progress(MatrixProgress(reused + n, total, reused, workers, link))

        failures = JobRun(dc, job.ctx, todo, job.fingerprint[:12], keep, tell).run()
    if failures:
        where = f"; the {total - len(failures)} others are saved in {folder}" if folder else ""
        raise IncompleteMatrixError(
            f"{len(failures)} of {total} partitions failed ({failures[0]}){where}; rerun the same job to retry"
        )
    return workers, link


def _settings(
    study: Study | None, options: MatrixOptions | None, cluster: Cluster | None
) -> tuple[Study, MatrixOptions, Cluster]:
    """The job's settings, defaults filled in; unknown aircraft fail here, before any work."""
    from routes.study import Study

    study = study if study is not None else Study()
    options = options if options is not None else MatrixOptions()
    if options.estimates:
        from routes.analysis.performance import get_aircraft

        for a in study.aircraft:
            get_aircraft(a)  # UnknownAircraftError names it
    return study, options, cluster if cluster is not None else Cluster()
