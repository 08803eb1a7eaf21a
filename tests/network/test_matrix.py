"""Route matrices (routes.network): pair selection, Dask runs, resumable output, bad input.

One small loopback LocalCluster (2 single-threaded worker processes) serves the module; the
worker-kill test runs last because it restarts one of them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from dataclasses import replace

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import routes
from routes import engine
from routes.analysis.climatology import climatology
from routes.cli import main
from routes.comparison import compare
from routes.errors import (
    EmptySelectionError,
    IncompleteMatrixError,
    MatrixFolderError,
    RoutesError,
    SchedulerUnreachableError,
    UnknownAirportsError,
)
from routes.inputs.airports import Airport, get_airport
from routes.inputs.scenarios import Scenario, get_scenario
from routes.network.cluster import Cluster, local_cluster
from routes.network.dispatch import Dispatch, assign_workers
from routes.network.job import matrix
from routes.network.pairs import Region, cross_pairs, read_pairs, select_airports
from routes.network.plan import MatrixOptions, auto_partition_size, plan_partitions
from routes.network.store import MANIFEST, read_matrix
from routes.network.work import KEY_COLUMNS, JobContext, Partition, Task, chart_label, chart_of, run_partition
from routes.study import Study

distributed = pytest.importorskip("distributed")

PAIRS = [("SVO", "SEA"), ("SVO", "LAX"), ("HEL", "NRT")]
"""Moscow-West Coast pairs route round the closed Europe; HEL lies in closed Finland (infeasible)."""
DISTANCE = MatrixOptions(estimates=False)
"""Distance-only rows: no OpenAP on the workers."""
ONE_BY_ONE = MatrixOptions(estimates=False, partition_size=1)
"""Distance-only rows, one route per partition."""


@pytest.fixture(scope="module")
def client():
    cluster = local_cluster(2)  # as `matrix` starts one: Dask's work stealing off
    dc = distributed.Client(cluster, set_as_default=False)
    yield dc
    dc.close()
    cluster.close()


# --- pair selection (no cluster) ---------------------------------------------------------------


def test_region_selects_ourairports_large_airports():
    de = {a.code for a in select_airports(Region(countries=("DE",)))}
    assert {"FRA", "MUC", "BER", "HAM", "DUS"} <= de
    assert "RU-0016" not in {a.code for a in select_airports(Region(countries=("RUS",)))}  # air base: no service
    japan = shapely.box(122.0, 24.0, 146.0, 46.0)
    in_box = {a.code for a in select_airports(Region(polygon=japan))}
    assert {"NRT", "HND", "KIX", "CTS", "OKA"} <= in_box
    assert {a.code for a in select_airports(Region(countries=("JP",), continents=("AS",)))} <= in_box


def test_cross_pairs_keep_the_distance_range():
    pairs = cross_pairs(Region(countries=("FI",)), Region(countries=("JP", "KR")), 7500, 8000)
    keys = {p.key for p in pairs}
    assert ("HEL", "NRT") in keys and ("HEL", "ICN") not in keys  # HEL-ICN is 7,050 km
    hel_nrt = next(p for p in pairs if p.key == ("HEL", "NRT"))
    assert hel_nrt.geodesic_km == pytest.approx(routes.geodesic_route("HEL", "NRT").distance_km, abs=0.01)
    assert all(7500 <= p.geodesic_km <= 8000 for p in pairs)


def test_pairs_file_with_unknown_codes_names_all_of_them(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("origin,destination\nSVO,SEA\nXQX,LAX\nSVO,QQQQ\nXQX,JFK\n")
    with pytest.raises(UnknownAirportsError) as info:
        read_pairs(path)
    text = str(info.value)
    assert "2 unknown airport code(s)" in text and "'XQX' (row 2, 4)" in text and "'QQQQ' (row 3)" in text
    assert "\n" not in text
    with pytest.warns(UserWarning, match="skipped"):
        kept = read_pairs(path, on_unknown="skip")
    assert [p.key for p in kept] == [("SVO", "SEA")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"origins": Region(countries=("IS",), continents=("AS",)), "destinations": ["JFK"]}, "no large airport"),
        ({"origins": ["SVO"], "destinations": ["SEA"], "min_km": 12000}, "no pair among 1 origins x 1 destinations"),
        ({"origins": Region(continents=("XX",)), "destinations": ["SEA"]}, "unknown continent"),
        ({"pairs": []}, "the list of pairs is empty"),
        ({"origins": ["SVO"]}, "give pairs, or both origins and destinations"),
    ],
)
def test_empty_selections_are_one_line_errors(kwargs, message):
    limits = {k: kwargs.pop(k) for k in ("min_km", "max_km") if k in kwargs}
    with pytest.raises(EmptySelectionError, match=message) as info:
        matrix(**kwargs, options=MatrixOptions(estimates=False, **limits))
    assert "\n" not in str(info.value)


def test_partitions_group_scenario_and_cell_and_count_rows():
    pairs = cross_pairs(["SVO", "DME"], ["SEA", "LAX", "SFO"])
    parts = plan_partitions(pairs, ["a", "b"], ("outbound", "return"), 3, 4)
    assert sum(p.n_rows for p in parts) == 6 * 2 * 2 * 3
    assert {p.scenario for p in parts[: len(parts) // 2]} == {"a"}
    routes_a = [(t.origin.code, t.destination.code) for p in parts if p.scenario == "a" for t in p.tasks]
    assert len(routes_a) == len(set(routes_a)) == 12


def test_partitions_keep_the_routes_of_one_chart_together():
    import numpy as np

    from routes import engine

    pairs = cross_pairs(["SVO", "DME", "LED", "KJA"], ["SEA", "LAX", "SFO", "JFK", "GRU", "MEX"])
    parts = plan_partitions(pairs, ["a"], ("outbound",), 1, 3)
    keys = [engine.chart_key(np.array([t.origin.lon, t.origin.lat]), np.array([t.destination.lon, t.destination.lat]))
            for p in parts for t in p.tasks]  # fmt: skip
    assert len(keys) == 24 and len(set(keys)) > 1
    seen = [k for i, k in enumerate(keys) if i == 0 or k != keys[i - 1]]
    assert len(seen) == len(set(seen))  # each chart's routes are contiguous
    sizes = {k: keys.count(k) for k in set(keys)}
    assert max(sizes.values()) > 3  # a chart fills partitions of its own
    for p in parts:  # a chart is whole in one partition, or leads each partition it is in (its label)
        mine = [chart_of(t) for t in p.tasks]
        assert len(mine) <= 3
        assert all(mine.count(k) == sizes[k] or mine[0] == k for k in set(mine))


def test_each_chart_has_one_home_worker_that_keeps_it_from_job_to_job():
    from routes.network.dispatch import CHART_COST_ROUTES
    from routes.network.work import chart_label

    pairs = cross_pairs(["SVO", "DME", "LED", "KJA", "OVB"], ["SEA", "LAX", "SFO", "JFK", "GRU", "MEX", "YVR"])
    parts = plan_partitions(pairs, ["a"], ("outbound",), 1, 2)
    workers = ["tcp://10.0.0.1:4000", "tcp://10.0.0.2:4000", "tcp://10.0.0.3:4000"]
    home = assign_workers(parts, workers)
    assert home == assign_workers(parts, list(reversed(workers)))  # not the order of the workers
    by_chart: dict = {}
    load = dict.fromkeys(workers, 0)
    for p in parts:
        assert len(home[p.pid]) == 1 and home[p.pid][0] in workers
        by_chart.setdefault(chart_label("a", p.tasks[0]), set()).add(home[p.pid][0])
        load[home[p.pid][0]] += len(p.tasks)
    assert all(len(w) == 1 for w in by_chart.values())  # one home per chart
    biggest = max(sum(len(p.tasks) for p in parts if chart_label("a", p.tasks[0]) == c) for c in by_chart)
    assert max(load.values()) - min(load.values()) <= biggest  # even work (largest charts first)
    held = {w: [c for c, ws in by_chart.items() if w in ws] for w in workers}
    # another job (some of the routes, other partition numbers) on the same cluster: held charts stay
    later = [replace(p, pid=p.pid + 100) for p in parts[::2]]
    again = assign_workers(later, list(reversed(workers)), held)
    assert all(again[p.pid][0] in by_chart[chart_label("a", p.tasks[0])] for p in later)
    # a lost worker: only its charts move
    fewer = assign_workers(parts, workers[:2], held)
    assert all(fewer[p][0] == home[p][0] for p in home if home[p][0] != workers[2])
    assert {fewer[p][0] for p in home if home[p][0] == workers[2]} <= set(workers[:2])
    # but a worker holding every chart does not get all the work: moving one costs a chart build
    many = plan_partitions(pairs * 40, ["a"], ("outbound",), 1, 8)
    spread = assign_workers(many, workers, {workers[0]: list(by_chart)})
    moved = {chart_label("a", p.tasks[0]) for p in many if spread[p.pid][0] != workers[0]}
    assert moved and len(moved) < len(by_chart)
    assert len(many) * 8 > 2 * CHART_COST_ROUTES  # (the case is big enough for that)
    assert assign_workers(parts, []) == {}


def test_dispatch_feeds_each_worker_its_own_charts_then_moves_whole_charts():
    from routes.network.dispatch import CHART_COST_ROUTES, DEPTH

    pairs = cross_pairs(["SVO", "DME", "LED", "KJA", "OVB"], ["SEA", "LAX", "SFO", "JFK", "GRU", "MEX", "YVR"])
    w1, w2 = "tcp://10.0.0.1:4000", "tcp://10.0.0.2:4000"

    def drain(parts, held):
        """w2 keeps asking (it empties its queue, then takes w1's charts while that pays), then w1."""
        d = Dispatch(parts, [w1, w2], held)
        first = d.start()
        ran: dict = {w1: [], w2: []}
        for w, p in first:
            ran[w].append(p)
        for w in (w2, w1):
            while (p := d.next_for(w)) is not None:
                ran[w].append(p)
        assert d.next_for(w1) is None and d.next_for(w2) is None and d.next_for(None) is None
        return d, first, ran

    # w1 holds every chart: held charts go first; w2 takes whole charts and copies each from w1
    big = plan_partitions(pairs * 6, ["a"], ("outbound",), 1, 8)  # 210 routes
    labels = list({chart_label("a", p.tasks[0]) for p in big})
    queued = Dispatch(big, [w1, w2], {w1: labels}).queues
    for q in queued.values():  # the dearest charts first, so what is left at the end is small
        works = [sum(len(p.tasks) for p in chart) for chart in q]
        assert works == sorted(works, reverse=True)
    d, first, ran = drain(big, {w1: labels})
    assert len(first) == 2 * DEPTH and {w for w, _ in first} == {w1, w2}
    assert sorted(p.pid for w in ran for p in ran[w]) == [p.pid for p in big]  # every partition once
    on = {w: {chart_label("a", p.tasks[0]) for p in ran[w]} for w in ran}
    assert ran[w2] and len(on[w1] & on[w2]) <= 1  # w2 got whole charts; at most one chart split
    for p in ran[w2]:  # each of its charts, copied from w1 (the same export for all its partitions)
        assert d.sources(w2, p) == [(w1, "a", c) for c in p.chart_centers()]
    assert all(d.sources(w1, p) == [] for p in ran[w1])  # w1 has them all
    # a small job on charts nobody holds: w2 would have to build a chart to take it, which costs
    # more than it saves, so each keeps the charts the plan gave it; there is nothing to copy
    small = plan_partitions(pairs, ["a"], ("outbound",), 1, 2)  # 35 routes
    assert sum(len(p.tasks) for p in small) < CHART_COST_ROUTES
    home = assign_workers(small, [w1, w2])
    d, first, ran = drain(small, {})
    assert all(home[p.pid] == [w] for w in ran for p in ran[w]) and ran[w1] and ran[w2]
    assert all(d.sources(w, p) == [] for w in ran for p in ran[w])
    # once w1 has finished a partition on a chart it holds it: a worker taking that chart copies it
    one = plan_partitions(cross_pairs(["SVO"], ["SEA"]) * 40, ["a"], ("outbound",), 1, 2)  # 20 on one chart
    d = Dispatch(one, [w1], {})
    assert d.next_for(w2) is None  # (w1 has not finished one: taking the chart would mean a build)
    d.finished(w1, d.next_for(w1))
    taken = [p for p in iter(lambda: d.next_for(w2), None)]  # a worker that joins: the back half
    assert [p.pid for p in taken[:9]] == list(range(11, 20))  # (then halves of what is left: w1 never runs)
    assert all(d.sources(w2, p) == [(w1, "a", one[0].chart_centers()[0])] for p in taken)
    # no workers known: every partition at once, anywhere
    assert [p.pid for w, p in Dispatch(small, [], {}).start() if w is None] == [p.pid for p in small]
    # a worker found dead: its queued charts go to the other, which runs every partition once
    d = Dispatch(big, [w1, w2], {w1: labels})
    handed = [p for _, p in d.start()]
    d.drop(w1)
    assert d.next_for(w1) is None and all(w1 not in h for h in d.holders.values())
    handed += list(iter(lambda: d.next_for(w2), None))
    assert sorted(p.pid for p in handed) == [p.pid for p in big] and d.leftover() == []
    # and when every worker is gone, what was queued is left over (the job sends it to any worker)
    d = Dispatch(big, [w1, w2], {w1: labels})
    handed = [p for _, p in d.start()]
    d.drop(w1)
    d.drop(w2)
    assert sorted(p.pid for p in handed + d.leftover()) == [p.pid for p in big] and d.leftover() == []


def test_partitions_no_worker_is_left_to_hand_out_still_run():
    # the job's loop: when nothing is in flight any more, what `Dispatch` still holds (queued for a
    # worker that died with no completion left to hand it out) is sent to any worker
    from routes.network.run import until_all_ran

    class Pending(list):  # as_completed: iterates until empty, takes more while iterating
        def __iter__(self):
            while self:
                yield self.pop(0)

        def add(self, item):
            self.append(item)

    pairs = cross_pairs(["SVO", "DME", "LED"], ["SEA", "LAX", "SFO", "JFK"])
    parts = plan_partitions(pairs, ["a"], ("outbound",), 1, 2)
    d = Dispatch(parts, ["tcp://10.0.0.1:4000"], {})
    started = Pending(p for _, p in d.start())  # the worker dies: none of its completions asks for more
    ran = list(until_all_ran(started, d, lambda part: part))
    assert sorted(p.pid for p in ran) == [p.pid for p in parts] and len(parts) > 2


def test_results_come_straight_from_workers_only_on_this_machine():
    from routes.network.run import on_this_machine

    assert on_this_machine(["tcp://127.0.0.1:4000", "tcp://localhost:4001", "tcp://[::1]:4002", "inproc://a/1/2"])
    assert not on_this_machine(["tcp://127.0.0.1:4000", "tcp://10.0.0.2:4000"])  # a remote worker: via the scheduler
    assert not on_this_machine([])


def test_work_is_shared_by_measured_cost_not_by_route_counts():
    from routes.network.dispatch import CHART_COST_ROUTES, ESTIMATE_ROUTES, ChartCosts
    from routes.network.work import route_work

    # the work model: a route whose geodesic is clear costs about a fifth of a typical one
    assert route_work(160) == pytest.approx(1.0, abs=0.01)
    assert route_work(0) == pytest.approx(3.5 / 16.1)
    assert route_work(1700) > 2.5 * route_work(160) > 2.5 * route_work(10)
    pairs = cross_pairs(["SVO", "DME", "LED", "KJA", "OVB"], ["SEA", "LAX", "SFO", "JFK", "GRU", "MEX", "YVR"])
    parts = plan_partitions(pairs * 4, ["a"], ("outbound",), 1, 8)
    labels = sorted({chart_label("a", p.tasks[0]) for p in parts})
    routes_on = {c: sum(len(p.tasks) for p in parts if chart_label("a", p.tasks[0]) == c) for c in labels}
    w1, w2 = "tcp://10.0.0.1:4000", "tcp://10.0.0.2:4000"
    # measured by a worker since gone: the chart with the most routes is dear (long searches), the
    # one with the fewest cheap (its geodesics are clear)
    gone = "tcp://10.0.0.9:4000"
    light = min(labels, key=lambda c: (routes_on[c], c))
    heavy = max(labels, key=lambda c: (routes_on[c], c))
    rates = {c: (2.0 if c == light else 20.0 if c == heavy else 10.0) for c in labels}
    costs = ChartCosts({gone: rates})
    assert costs.rate == rates and costs.default == 10.0 and costs.build == CHART_COST_ROUTES
    assert ChartCosts({w1: ["x"], w2: {"y": None}}).rate == {}  # labels alone, or not measured: routes

    def loads(home):  # the work of each worker, and a build for each chart it gets (none is held)
        out = {w1: 0.0, w2: 0.0}
        for p in parts:
            out[home[p.pid][0]] += costs.work(chart_label("a", p.tasks[0]), len(p.tasks))
        for w in {(chart_label("a", p.tasks[0]), home[p.pid][0]) for p in parts}:
            out[w[1]] += costs.build
        return out

    by_work = loads(assign_workers(parts, [w1, w2], {gone: rates}))
    by_routes = loads(assign_workers(parts, [w1, w2], {gone: list(rates)}))
    dearest = max(costs.work(c, n) for c, n in routes_on.items())
    assert abs(by_work[w1] - by_work[w2]) <= dearest
    assert abs(by_work[w1] - by_work[w2]) < 0.35 * abs(by_routes[w1] - by_routes[w2])
    # with estimates a row costs about the same on every chart (OpenAP): rows weigh in too

    def rows_apart(per_row):
        home = assign_workers(parts, [w1, w2], {gone: rates}, per_row=per_row)
        return abs(sum(p.n_rows if home[p.pid] == [w1] else -p.n_rows for p in parts))

    assert ChartCosts({gone: rates}, ESTIMATE_ROUTES).work(light, 2, 4) == 2 * 2.0 + 4 * ESTIMATE_ROUTES
    assert rows_apart(ESTIMATE_ROUTES) < 0.5 * rows_apart(0.0)
    # a small job on dear charts, all on w1, which holds none of them yet: moving one to a worker
    # that joins pays for its build (in routes it would not)
    small = plan_partitions(pairs, ["a"], ("outbound",), 1, 2)
    mine = {chart_label("a", p.tasks[0]) for p in small}
    assert sum(len(p.tasks) for p in small) < CHART_COST_ROUTES

    def ran_on_w2(rates):
        d = Dispatch(small, [w1], {gone: rates})
        ran = []
        while (p := d.next_for(w2)) is not None:
            ran.append(p)
        return ran

    assert ran_on_w2(dict.fromkeys(mine, 10.0))
    assert not ran_on_w2(list(mine))


def test_workers_report_the_work_of_their_charts():
    from routes.network import work

    ctx = JobContext({"europe-closed": get_scenario("europe-closed")}, None, (), (None,), None, 0.0, False)
    clear = Task(get_airport("SVO"), get_airport("PEK"), "outbound")  # the geodesic crosses no closed state
    around = Task(get_airport("SVO"), get_airport("JFK"), "outbound")  # rounds Europe: a search
    labels = [chart_label("europe-closed", t) for t in (clear, around)]
    before = {label: list(work._HELD.get(label, [0, 0.0])) for label in labels}  # (other tests may share them)
    for task in (clear, around):
        run_partition(ctx, Partition(0, "europe-closed", (task,), 1))
    added = {label: [a - b for a, b in zip(work._HELD[label], before[label], strict=True)] for label in labels}
    assert added[labels[0]] == [1, pytest.approx(work.route_work(0))]
    assert added[labels[1]][0] == 1 and added[labels[1]][1] > 1.5 * work.route_work(0)
    held = work.held_charts()
    assert all(held[label] == pytest.approx(work._HELD[label][1] / work._HELD[label][0]) for label in labels)


def test_a_failing_route_is_an_error_row_not_a_crash():
    bad = Airport(iata="", icao="XBAD", name="bad", city="", country="", lat=95.0, lon=0.0)  # impossible latitude
    ctx = JobContext({"europe-closed": get_scenario("europe-closed")}, None, (), (None,), None, 0.0, False)
    tasks = (Task(bad, get_airport("JFK"), "outbound"), Task(get_airport("SVO"), get_airport("JFK"), "outbound"))
    table = run_partition(ctx, Partition(0, "europe-closed", tasks, 2))
    assert table["status"].tolist() == ["error", "ok"]
    assert table["reason"][0].startswith("error: InvalidCoordinateError: airport XBAD: invalid coordinates lat=95.0")
    assert table["distance_km"][1] == pytest.approx(routes.route("SVO", "JFK", "europe-closed").distance_km, abs=0.1)


def test_unreachable_scheduler_fails_fast():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    with pytest.raises(SchedulerUnreachableError, match=f"tcp://127.0.0.1:{port}"):
        matrix([("SVO", "SEA")], options=DISTANCE, cluster=Cluster(scheduler=f"tcp://127.0.0.1:{port}", timeout_s=1))
    assert time.perf_counter() - started < 15


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"months": [1, 1, 13]}, r"months must be integers 1-12, got \[1, 13\]"),  # repeats merged first
        ({"months": [13]}, "months must be integers 1-12"),
        ({"months": "1,7"}, "months must be a list"),
        ({"months": [1], "estimates": False}, "drop them for a distance-only job"),
        ({"months": [1, 7], "wind": climatology(1)}, "not one wind model"),
        ({"months": [1, 7], "wind": {1: None}}, r"no wind model for month\(s\) \[7\]"),
    ],
)
def test_bad_months_are_refused_before_any_work(kwargs, message):
    with pytest.raises(RoutesError, match=message) as info:  # when the options are made
        matrix([("SVO", "SEA")], options=MatrixOptions(**kwargs))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from-countries", "IS", "--from-continents", "AS", "--destinations", "JFK"], "no large airport"),
        (["--origins", "SVO", "--destinations", "SEA", "--min-km", "12000"], "no pair among"),
        (["--origins", "SVO"], "give pairs, or both origins and destinations"),
    ],
)
def test_cli_empty_selections_are_one_line(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as code:
        main(["matrix", *args, "--distance-only", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code.value.code == 2 and err.count("\n") == 1 and message in err
    assert not (tmp_path / "x").exists()  # nothing started


@pytest.mark.network
def test_failed_partitions_are_reported_and_a_rerun_finishes(tmp_path, monkeypatch):
    """A partition whose task fails (here: twice, beyond Dask's retry) is an IncompleteMatrixError
    naming it; the other partitions are saved, the folder stays 'running', a rerun computes only it."""
    import routes.network.run as job

    real = job.run_partition

    def fail_partition_1(ctx, part):
        if part.pid == 1:
            raise MemoryError("worker ran out of memory")
        return real(ctx, part)

    pairs = PAIRS  # pre-2022: nothing closed, every route is its geodesic
    out = tmp_path / "job"
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0", set_as_default=False
    ) as local:  # in-process worker: it runs the patched function
        monkeypatch.setattr(job, "run_partition", fail_partition_1)
        with pytest.raises(IncompleteMatrixError, match=r"1 of 3 partitions failed \(partition 1: MemoryError") as e:
            matrix(pairs, scenarios="pre-2022", options=ONE_BY_ONE, out=out, cluster=Cluster(local))
        assert "the 2 others are saved" in str(e.value) and "\n" not in str(e.value)
        assert json.loads((out / MANIFEST).read_text())["status"] == "running"
        with pytest.raises(IncompleteMatrixError, match="not complete"):
            read_matrix(out)
        monkeypatch.setattr(job, "run_partition", real)
        res = matrix(pairs, scenarios="pre-2022", options=ONE_BY_ONE, out=out, cluster=Cluster(local))
    assert (res.n_reused, res.n_rows, res.n_ok) == (2, 3, 3)
    got = read_matrix(out).set_index(["origin", "destination"])["distance_km"]
    assert [got[p] for p in pairs] == pytest.approx([routes.geodesic_route(*p).distance_km for p in pairs], abs=0.1)


# --- on the local cluster ----------------------------------------------------------------------


def test_matrix_rows_equal_compare(client):
    res = matrix(  # one partition: only one worker loads OpenAP and the alternates
        PAIRS,
        scenarios=["europe-closed"],
        study=Study("B789"),
        options=MatrixOptions("both", partition_size=8),
        cluster=Cluster(client),
    )
    table = res.table
    assert (res.n_rows, res.n_ok, res.n_infeasible, res.n_errors) == (6, 4, 2, 0)
    assert not table.duplicated(list(KEY_COLUMNS)).any()
    ref, _ = compare(
        ["SVO"], ["SEA", "LAX"], ["europe-closed"], Study(aircraft="B789", periods=())
    )  # months are rows here
    got = table[(table["direction"] == "outbound") & (table["origin"] == "SVO")].set_index("destination")
    payload = ("max_payload_kg", "max_seats", "payload_limit", "full_load")  # issue 25: the payload columns too
    for col in ("distance_km", "extra_km", "block_time_min", "block_fuel_kg", "etops", "states_rounded", *payload):
        assert got.loc[["SEA", "LAX"], col].tolist() == ref.set_index("destination").loc[["SEA", "LAX"], col].tolist()
    back = table[(table["direction"] == "return") & (table["destination"] == "SVO")].set_index("origin")
    assert back.loc[["SEA", "LAX"], "distance_km"].tolist() == pytest.approx(
        got.loc[["SEA", "LAX"], "distance_km"].tolist(), abs=1.0
    )
    hel = table[(table["origin"] == "HEL") | (table["destination"] == "HEL")]
    assert (hel["status"] == "infeasible").all() and hel["reason"].str.contains("Finland").all()
    assert list(table.columns[:2]) == ["origin", "destination"]
    assert set(ref.columns) <= set(table.columns)


def test_each_worker_prepares_a_scenarios_obstacles_once(client):
    matrix(cross_pairs(["SVO", "DME"], ["SEA", "SFO"]), options=ONE_BY_ONE, cluster=Cluster(client))

    def misses() -> int:
        from routes.scenario_obstacles import scenario_obstacles

        return scenario_obstacles.cache_info().misses

    assert all(m <= 1 for m in client.run(misses).values())  # only europe-closed, margin 0, in this module


def test_a_worker_copies_a_chart_another_worker_holds_instead_of_building_it(client):
    # this test's own scenario (a closed box over the North Atlantic): no worker holds its charts
    atlantic = Scenario.build("atlantic-box", closed_polygons=shapely.box(-45.0, 45.0, -25.0, 60.0))
    pairs = cross_pairs(["LHR", "CDG", "AMS", "FRA", "DUB", "MAD"], ["JFK", "BOS", "EWR", "IAD", "PHL", "YYZ"])
    by_chart: dict = {}
    for p in pairs:
        by_chart.setdefault(chart_of(Task(p.origin, p.destination, "outbound")), []).append(p)
    one = max(by_chart.values(), key=len)  # the routes of one chart (both ways: the same chart)
    assert len(one) >= 10
    first = matrix(one[:1], scenarios=[atlantic], options=DISTANCE, cluster=Cluster(client))  # one worker builds it
    assert first.n_ok == 1
    before = client.run(engine.chart_counts)
    res = matrix(one, scenarios=[atlantic], options=replace(ONE_BY_ONE, directions="both"), cluster=Cluster(client))
    after = client.run(engine.chart_counts)
    built = {w: after[w]["built"] - before[w]["built"] for w in after}
    copied = {w: after[w]["imported"] - before[w]["imported"] for w in after}
    # the holder keeps the front of the work, the other worker takes the back half and copies the chart
    assert sorted(copied.values()) == [0, 1] and sum(built.values()) == 0
    table = res.table.set_index(["origin", "destination"])
    assert res.n_ok == 2 * len(one) and len(table) == 2 * len(one)
    for p in one:  # the same routes as one process finds
        for a, b in ((p.origin.code, p.destination.code), (p.destination.code, p.origin.code)):
            assert table.loc[(a, b), "distance_km"] == pytest.approx(routes.route(a, b, atlantic).distance_km, abs=0.05)


def test_workers_read_a_chart_built_before_from_the_disk_cache(client):
    # a chart built in this process (written to the session's disk cache, which the workers share):
    # the workers, which never saw this scenario, read it instead of building it
    pacific = Scenario.build("pacific-box", closed_polygons=shapely.box(-175.0, 35.0, -160.0, 55.0))
    here = routes.route("NRT", "LAX", pacific)
    assert here.feasible and len(here.turns) >= 1
    before = client.run(engine.chart_counts)
    res = matrix([("NRT", "LAX"), ("HND", "LAX")], scenarios=[pacific], options=ONE_BY_ONE, cluster=Cluster(client))
    after = client.run(engine.chart_counts)
    assert sum(after[w]["built"] - before[w]["built"] for w in after) == 0
    assert sum(after[w]["imported"] - before[w]["imported"] for w in after) >= 1
    got = res.table.set_index(["origin", "destination"]).loc[("NRT", "LAX"), "distance_km"]
    assert got == pytest.approx(here.distance_km, abs=0.05)


def test_resume_refuse_and_geoparquet(client, tmp_path):
    out = tmp_path / "job"
    first = matrix(PAIRS, options=replace(ONE_BY_ONE, geometry=True), out=out, cluster=Cluster(client))
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["status"] == "complete" and manifest["n_rows"] == first.n_rows == 3
    assert len(list(out.glob("part-*.parquet"))) == first.n_partitions == 3
    table = read_matrix(out)
    assert isinstance(table, gpd.GeoDataFrame) and table.crs == "EPSG:4326"
    ok = table[table["status"] == "ok"]
    assert ok.geometry.notna().all() and table[table["status"] == "infeasible"].geometry.isna().all()
    assert gpd.read_parquet(next(out.glob("part-*.parquet"))).crs == "EPSG:4326"  # GeoParquet metadata
    again = matrix(PAIRS, options=replace(ONE_BY_ONE, geometry=True), out=out, cluster=Cluster(client))
    assert (again.n_reused, again.workers) == (3, 0)
    pd.testing.assert_frame_equal(pd.DataFrame(again.table), pd.DataFrame(first.table))
    with pytest.raises(MatrixFolderError, match=r"holds a different route-matrix job .*pairs"):
        matrix(PAIRS[:2], options=replace(ONE_BY_ONE, geometry=True), out=out, cluster=Cluster(client))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(MatrixFolderError, match="not empty"):
        matrix(PAIRS, options=DISTANCE, out=tmp_path / "other", cluster=Cluster(client))


def test_a_damaged_finished_folder_is_never_read_as_complete(client, tmp_path, capsys):
    out = tmp_path / "job"
    first = matrix(PAIRS[:2], options=ONE_BY_ONE, out=out, cluster=Cluster(client))
    (out / "part-00001.parquet").unlink()  # a file of a finished job goes missing
    with pytest.raises(IncompleteMatrixError, match=r"marked complete but damaged \(1 of 2 partitions"):
        read_matrix(out)
    assert len(read_matrix(out, allow_partial=True)) == 1
    again = matrix(PAIRS[:2], options=ONE_BY_ONE, out=out, cluster=Cluster(client))
    assert (again.n_reused, again.n_rows) == (1, 2)
    pd.testing.assert_frame_equal(read_matrix(out), first.table)
    with pytest.raises(SystemExit) as code:  # the folder holds another job: one line, exit code 2
        main(["matrix", "--origins", "SVO", "--destinations", "LAX", "--distance-only", "--out", str(out),
              "--scheduler", client.scheduler.address])  # fmt: skip
    err = capsys.readouterr().err
    assert code.value.code == 2 and err.count("\n") == 1 and "holds a different route-matrix job" in err


def test_interrupted_run_is_never_complete_and_resumes_exactly(client, tmp_path):
    out = tmp_path / "job"
    pairs = cross_pairs(["SVO", "DME"], ["SEA", "LAX", "SFO"])

    def stop_after_two(p):
        if p.done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        matrix(pairs, options=ONE_BY_ONE, out=out, cluster=Cluster(client), progress=stop_after_two)
    assert json.loads((out / MANIFEST).read_text())["status"] == "running"
    with pytest.raises(IncompleteMatrixError, match="not complete"):
        read_matrix(out)
    assert 2 <= len(read_matrix(out, allow_partial=True)) < 6
    res = matrix(pairs, options=ONE_BY_ONE, out=out, cluster=Cluster(client))
    assert res.n_reused >= 2 and res.n_rows == len(res.table) == 6
    assert sorted(zip(res.table["origin"], res.table["destination"], strict=True)) == sorted(p.key for p in pairs)


def test_cli_matrix_on_a_given_scheduler(client, tmp_path, capsys):
    out = tmp_path / "cli"
    args = ["matrix", "--origins", "SVO", "--destinations", "SEA,LAX", "--distance-only", "--out", str(out)]
    with pytest.raises(SystemExit) as code:
        main([*args, "--scheduler", client.scheduler.address])
    assert code.value.code == 0
    assert "matrix complete: 2 rows (2 ok, 0 infeasible, 0 errors)" in capsys.readouterr().err
    assert len(read_matrix(out)) == 2
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("origin,destination\nSVO,SEA\nZZZ,LAX\n")
    with pytest.raises(SystemExit) as code:
        main(["matrix", "--pairs", str(pairs), "--out", str(tmp_path / "x"), "--scheduler", client.scheduler.address])
    err = capsys.readouterr().err
    assert code.value.code == 2 and err.count("\n") == 1 and "unknown airport code(s): 'ZZZ' (row 2)" in err
    with pytest.raises(SystemExit) as code:
        main([*args[:-1], str(tmp_path / "y"), "--scheduler", "tcp://127.0.0.1:1"])
    err = capsys.readouterr().err
    assert code.value.code == 2 and err.startswith("routes: error: cannot reach the Dask scheduler")


def test_cli_months_give_rows_per_month_in_the_climatology(client, tmp_path, capsys):
    out = tmp_path / "months"
    with pytest.raises(SystemExit) as code:
        main(["matrix", "--origins", "SVO", "--destinations", "SEA", "-a", "B789", "--months", "7,1", "--out",
              str(out), "--scheduler", client.scheduler.address])  # fmt: skip
    assert code.value.code == 0, capsys.readouterr().err
    table = read_matrix(out).set_index("month")
    assert sorted(table.index) == [1, 7] and table["distance_km"].nunique() == 1  # one route, two winds
    for month, name in ((1, "January"), (7, "July")):
        ref = compare(["SVO"], ["SEA"], ["europe-closed"], Study("B789", wind=climatology(month), periods=())).table
        assert table.loc[month, "wind"] == ref["wind"][0] and name in ref["wind"][0]
        for col in ("block_time_min", "extra_min", "block_fuel_kg", "return_block_time_min"):
            assert table.loc[month, col] == ref[col][0], col
    assert table.loc[1, "block_time_min"] != table.loc[7, "block_time_min"]


def test_a_worker_killed_mid_run_loses_and_duplicates_no_row(client, tmp_path):
    # 12 partitions: when the first is written, most are still to run (a worker is busy)
    pairs = cross_pairs(["SVO", "DME"], ["SEA", "LAX", "SFO", "PDX", "YVR", "SJC"])
    reference = matrix(pairs, options=ONE_BY_ONE, cluster=Cluster(client)).table
    killed: list[int] = []

    def kill_a_busy_worker(p):
        if killed or p.done < 1:
            return
        busy = [addr for addr, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)  # a worker process this test's cluster started, on loopback
            killed.append(pid)

    out = tmp_path / "job"
    res = matrix(pairs, options=ONE_BY_ONE, out=out, cluster=Cluster(client), progress=kill_a_busy_worker)
    assert killed, "no worker was busy when the first partition finished"
    client.wait_for_workers(2, timeout=60)
    assert killed[0] not in client.run(os.getpid).values()
    table = read_matrix(out)
    assert len(table) == len(reference) == 12 and not table.duplicated(list(KEY_COLUMNS)).any()
    cols = ["origin", "destination", "distance_km", "status"]
    key = ["origin", "destination"]
    pd.testing.assert_frame_equal(
        table[cols].sort_values(key).reset_index(drop=True), reference[cols].sort_values(key).reset_index(drop=True)
    )
    assert res.n_errors == 0 and isinstance(res, routes.network.job.MatrixResult)


def test_a_result_lost_with_its_worker_before_it_is_fetched_is_computed_again(client, tmp_path, monkeypatch):
    # the race the worker-kill test can hit: a partition finished, then its worker died before
    # the client fetched the result (Dask reports it cancelled); it must be recomputed, not lost
    from distributed.client import FutureCancelledError

    from routes.network import run as job

    lost: list[str] = []
    fetch = job.fetch

    def lose_the_first(dc, fut, direct):
        if not lost and str(fut.key).startswith("routes-matrix"):
            lost.append(str(fut.key))
            raise FutureCancelledError(fut.key, "worker lost")
        return fetch(dc, fut, direct)

    monkeypatch.setattr(job, "fetch", lose_the_first)
    pairs = cross_pairs(["SVO"], ["SEA", "LAX", "SFO"])
    res = matrix(pairs, options=ONE_BY_ONE, out=tmp_path / "job", cluster=Cluster(client))
    table = read_matrix(tmp_path / "job")
    assert lost and res.n_partitions == 3 and len(table) == 3
    assert sorted(table["destination"]) == ["LAX", "SEA", "SFO"] and not table.duplicated(list(KEY_COLUMNS)).any()


def test_a_task_cancelled_with_its_worker_is_computed_again(client, tmp_path, monkeypatch):
    # the other form of that race: Dask reports the task itself cancelled (no error of its own)
    from distributed.client import Future

    lost: list[str] = []
    status = Future.status

    def cancel_the_first(self):
        if not lost and str(self.key).startswith("routes-matrix") and status.fget(self) == "finished":
            lost.append(str(self.key))
        return "cancelled" if lost and lost[0] == str(self.key) else status.fget(self)

    monkeypatch.setattr(Future, "status", property(cancel_the_first))
    pairs = cross_pairs(["SVO"], ["SEA", "LAX", "SFO"])
    res = matrix(pairs, options=ONE_BY_ONE, out=tmp_path / "job", cluster=Cluster(client))
    table = read_matrix(tmp_path / "job")
    assert lost and res.n_partitions == 3 and len(table) == 3
    assert sorted(table["destination"]) == ["LAX", "SEA", "SFO"] and not table.duplicated(list(KEY_COLUMNS)).any()


def test_library_errors_derive_from_routes_error():
    for cls in (EmptySelectionError, UnknownAirportsError, MatrixFolderError, SchedulerUnreachableError):
        assert issubclass(cls, RoutesError)


@pytest.mark.parametrize(
    ("n_routes", "size"), [(1, 1), (64, 1), (65, 2), (200, 4), (1000, 16), (2048, 32), (1_000_000, 32)]
)
def test_automatic_partitions_give_at_least_64_tasks_of_at_most_32_routes(n_routes, size):
    assert auto_partition_size(n_routes) == size
