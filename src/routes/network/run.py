"""Running a planned route-matrix job on a Dask client: submit the partitions worker by worker, copy
charts between workers, recompute what is lost with a worker, and hand each finished table on.

`JobRun` holds the run's state by name (what was shipped, which workers are alive, how often each
partition ran, where each future went, the charts being copied); `routes.network.job.matrix` makes one per run.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pandas as pd

from routes.network.dispatch import ESTIMATE_ROUTES, Dispatch
from routes.network.work import KEY_COLUMNS, JobContext, Partition, chart_name, export_chart, held_charts, run_partition

log = logging.getLogger(__name__)

LIVE_REFRESH_S = 1.0
"""How often, at most, a job asks the scheduler which workers are alive while it submits (and
after each lost partition): once per submission cost the client ~0.1 s of CPU per 70 partitions."""
EXPORT_PRIORITY = 10
"""Dask priority of a chart export (`work.export_chart`): it runs on the holder as soon as the
partition running there ends, before the holder's other queued partitions."""
MAX_FETCH_ATTEMPTS = 3
"""Times a partition is computed when it is lost with its worker: its finished result before the
client fetched it, or the task itself cancelled (then it is computed again, on any live worker)."""


def check_table(table: pd.DataFrame, part: Partition) -> str:
    """What is wrong with a partition's table ("" if nothing): its row count, or duplicate keys."""
    if len(table) != part.n_rows:
        return f"partition {part.pid} returned {len(table)} rows, expected {part.n_rows}"
    keys = set(zip(*(table[c].tolist() for c in KEY_COLUMNS), strict=True))  # (~50x cheaper than `duplicated`)
    if len(keys) != len(table):
        return f"partition {part.pid} returned duplicate rows"
    return ""


def until_all_ran(pending: Any, dispatch: Dispatch, submit: Callable[[Partition], Any]) -> Iterator[Any]:
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


def fetch(dc: Any, fut: Any, direct: bool) -> pd.DataFrame:
    """A finished partition's table, straight from its worker if ``direct``; raises
    `FutureCancelledError` if the worker died before it was fetched (`Future.result`)."""
    if direct and fut.status == "finished":
        return dc.gather(fut, direct=True)
    return fut.result()


def on_this_machine(addresses: Iterable[str]) -> bool:
    """Whether every worker address is on this machine (loopback or in-process)."""
    hosts = [a.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]") for a in addresses]
    return bool(hosts) and all(
        h in ("127.0.0.1", "localhost", "::1") or a.startswith("inproc") for a, h in zip(addresses, hosts, strict=True)
    )


class JobRun:
    """One run of a job's partitions ``todo`` on the client ``dc``.

    Each finished partition's table goes to ``keep(pid, table)``; ``progress(n)`` is called with
    the number of partitions finished in this run (0 at the start). `run` returns the failures'
    messages (an empty list when every partition was kept).
    """

    def __init__(
        self,
        dc: Any,
        ctx: JobContext,
        todo: Sequence[Partition],
        key: str,
        keep: Callable[[int, pd.DataFrame], None],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.dc, self.ctx, self.key, self.keep, self.progress = dc, ctx, key, keep, progress
        self.shipped = dc.scatter(ctx, broadcast=True, hash=False)  # once per worker, not per task
        try:  # where the workers' charts are (an empty answer only costs chart builds)
            held = dc.run(held_charts)
        except Exception as exc:  # e.g. a worker gone meanwhile
            log.debug("could not ask the workers for their charts: %s", exc)
            held = {}
        self.live: set[str] = set(dc.scheduler_info().get("workers", {}))
        """Workers the scheduler knew alive at `live_at`."""
        self.live_at = time.monotonic()
        addresses = sorted({*self.live, *held})  # (the client's list may lag)
        # results straight from the workers when they run on this machine (not through the scheduler,
        # which runs in this process with a local cluster: one copy and one round trip less per
        # partition); otherwise as the client is set up (workers may be unreachable from here)
        self.direct = on_this_machine(addresses)
        self.dispatch = Dispatch(todo, addresses, held, ESTIMATE_ROUTES if ctx.aircraft else 0.0)
        self.attempts: dict[int, int] = {}
        """Partition id -> times submitted."""
        self.target: dict[Any, str | None] = {}
        """Future -> the worker it was sent to (None: any)."""
        self.futures: dict[Any, Partition] = {}
        """Future -> its partition."""
        self.exports: dict[tuple[str, str], Any] = {}
        """(chart label, worker) -> the chart, exported by a holder for that worker."""
        self.run_id = uuid.uuid4().hex[:8]
        self.failures: list[str] = []
        self.done = 0

    def run(self) -> list[str]:
        """Submit every partition, keep each table as it arrives; the failures' messages."""
        from distributed import as_completed

        self._start_copies()
        self.futures.update({self._submit(part, w): part for w, part in self.dispatch.start()})
        self._start_copies()
        if self.progress:
            self.progress(0)
        try:
            pending = as_completed(self.futures, loop=self.dc.loop)
            for fut in until_all_ran(pending, self.dispatch, self._anywhere):
                self._finished(fut, pending)
        except (
            BaseException
        ):  # interrupted (Ctrl-C) or a failing callback: stop the cluster's work, keep what is written
            self.dc.cancel(list(self.futures))
            raise
        return self.failures

    def _finished(self, fut: Any, pending: Any) -> None:
        """A future is done: feed its worker, then keep its table, resubmit it if lost, or note its failure."""
        from distributed.client import FutureCancelledError

        part, worker = self.futures[fut], self.target[fut]
        if fut.status == "finished":
            self.dispatch.finished(worker, part)
        following = self.dispatch.next_for(worker)
        self._start_copies()
        if following is not None:  # keep the worker fed with its own charts' partitions
            nxt = self._submit(following, worker)
            self.futures[nxt] = following
            pending.add(nxt)
        error = fut.exception() if fut.status == "error" else None
        lost = fut.status != "finished" and error is None  # cancelled with its worker, no error of its own
        if not lost and fut.status != "finished":
            self.failures.append(f"partition {part.pid}: {type(error).__name__}: {error}")
            return
        table = None
        if not lost:
            try:
                table = fetch(self.dc, fut, self.direct)
            except FutureCancelledError:  # finished, but the worker holding it died before it was fetched
                lost = True
        if lost:
            self._lost(part, pending)
            return
        problem = check_table(table, part)
        if problem:
            self.failures.append(problem)
            return
        self.keep(part.pid, table)
        fut.release()
        self.done += 1
        if self.progress:
            self.progress(self.done)

    def _lost(self, part: Partition, pending: Any) -> None:
        """Compute ``part`` again on any live worker, unless it was lost too often."""
        self.live_at = -math.inf  # (the next submission asks the scheduler which workers are left)
        if self.attempts[part.pid] >= MAX_FETCH_ATTEMPTS:
            self.failures.append(f"partition {part.pid}: lost with its worker {MAX_FETCH_ATTEMPTS} times")
            return
        pending.add(self._anywhere(part))

    def _submit(self, part: Partition, worker: str | None, copy: bool = True) -> Any:
        if time.monotonic() - self.live_at > LIVE_REFRESH_S:  # each refresh asks the scheduler (one round trip)
            self.live, self.live_at = set(self.dc.scheduler_info().get("workers", {})), time.monotonic()
        if worker is not None and worker not in self.live:  # gone: any worker (a new one, or the others)
            self.dispatch.drop(worker)  # (and its queued charts go to the others)
            worker = None
        self.attempts[part.pid] = self.attempts.get(part.pid, 0) + 1
        again = f"-r{self.attempts[part.pid]}" if self.attempts[part.pid] > 1 else ""
        where = {"workers": [worker], "allow_other_workers": True} if worker else {}
        fut = self.dc.submit(
            run_partition, self.shipped, part, *(self._copies(part, worker) if copy else ()),
            key=f"routes-matrix-{self.key}-{part.pid:05d}{again}", retries=1, **where,
        )  # fmt: skip
        self.target[fut] = worker
        return fut

    def _anywhere(self, part: Partition) -> Any:
        """``part`` on any worker, building its charts there: a chart copy from another worker may have
        been lost with that worker (a partition waiting on it would be lost again, and again)."""
        fut = self._submit(part, None, copy=False)
        self.futures[fut] = part
        return fut

    def _export(self, worker: str, holder: str, scenario: str, center: tuple[float, float]) -> Any:
        """The chart, exported by ``holder`` for ``worker`` (once), ahead of the holder's queued
        partitions (``priority``); None if the holder is gone (``worker`` builds the chart)."""
        key = (chart_name(scenario, center), worker)
        if key in self.exports and self.exports[key].status in ("error", "cancelled", "lost"):
            del self.exports[key]  # lost with its holder: ask again (or build the chart, if the holder is gone)
        if key not in self.exports and holder in self.live:
            self.exports[key] = self.dc.submit(
                export_chart, self.shipped, scenario, center, key=f"routes-chart-{self.run_id}-{len(self.exports):05d}",
                workers=[holder], allow_other_workers=True, priority=EXPORT_PRIORITY, pure=False,
            )  # fmt: skip
        return self.exports.get(key)

    def _copies(self, part: Partition, worker: str | None) -> list[Any]:
        """The exports of the charts ``worker`` copies for ``part`` (`Dispatch.sources`)."""
        got = (self._export(worker, *source) for source in self.dispatch.sources(worker, part))
        return [fut for fut in got if fut is not None]

    def _start_copies(self) -> None:
        """Copies decided just now start at once, before their partitions are due."""
        for worker, *source in self.dispatch.new_copies():
            self._export(worker, *source)
