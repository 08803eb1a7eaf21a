"""Which worker runs which partition: charts stay where they are and move as copies.

`assign_workers` gives each engine chart a home worker (where it is held, with the work evened out by
`ChartCosts`); `Dispatch` hands the partitions out chart by chart as workers finish, and says where a
worker copies the charts it lacks from.
"""

from __future__ import annotations

import hashlib
import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from routes.network.work import Partition, chart_name

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


DEPTH = 2
"""Partitions in flight per worker (`Dispatch`): one computing, one waiting, so a worker never
waits for the client."""


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
