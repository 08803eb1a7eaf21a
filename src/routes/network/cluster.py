"""Where a matrix job runs: a given Dask client, a scheduler's address, or a local cluster started for the job."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from routes.errors import RoutesError, SchedulerUnreachableError


@dataclass(frozen=True)
class Cluster:
    """Where a `routes.network.job.matrix` job runs.

    Attributes
    ----------
    client : distributed.Client or None
        A running client: used as it is (not closed).
    scheduler : str or None
        Otherwise a scheduler address (``tcp://host:port``), connected within ``timeout_s``.
    n_workers : int or None
        Otherwise a `LocalCluster` of this many single-threaded worker processes (None: one per
        core, at most one per partition to run), closed when the job ends.
    timeout_s : float
        How long to wait for ``scheduler`` to answer, seconds.
    """

    client: Any = None
    scheduler: str | None = None
    n_workers: int | None = None
    timeout_s: float = 10.0

    def __post_init__(self) -> None:
        if self.n_workers is not None and (isinstance(self.n_workers, bool) or not isinstance(self.n_workers, int)
                                           or self.n_workers < 1):  # fmt: skip
            raise RoutesError(f"n_workers must be a whole number >= 1 (or None: one per core), got {self.n_workers!r}")
        if not (isinstance(self.timeout_s, int | float) and self.timeout_s > 0):
            raise RoutesError(f"timeout_s must be a number of seconds > 0, got {self.timeout_s!r}")


def cores() -> int:
    """The cores this process may run on."""
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
    cluster = local_cluster(n_workers or cores())
    own = Client(cluster, set_as_default=False)
    try:
        yield own
    finally:
        own.close()
        cluster.close()
