"""``routes matrix``: a route matrix on Dask, written as resumable Parquet partitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from routes.cli import options as opt
from routes.cli.output import err
from routes.mission import ROUTE_SCENARIO


def _selection(codes: str | None, countries: str | None, continents: str | None, polygon: Path | None, role: str):
    from routes.network.pairs import Region

    if codes and (countries or continents or polygon):
        raise click.UsageError(f"give --{role}s codes or --{role}-countries/-continents/-polygon, not both")
    if codes:
        return opt.codes(codes)
    if countries or continents or polygon:
        return Region(tuple(opt.codes(countries)), tuple(opt.codes(continents)), polygon)
    return None


def _months(text: str | None) -> list[int] | None:
    """``--months 1,7`` -> [1, 7] (rows per month in the climatological wind); None without the option."""
    if not text:
        return None
    try:
        return [int(m) for m in opt.codes(text)]  # (MatrixOptions merges a repeated month)
    except ValueError:
        raise click.BadParameter(f"months must be integers 1-12, got {text!r}", param_hint="--months") from None


class PartitionBar:
    """The matrix job's progress on stderr: the cluster line, then a bar over partitions."""

    def __init__(self) -> None:
        self.bar = Progress(
            TextColumn("routing"), BarColumn(), MofNCompleteColumn(), TextColumn("partitions"), TimeElapsedColumn(),
            console=err, transient=True,
        )  # fmt: skip
        self.task = None

    def __call__(self, p: Any) -> None:  # a routes.network.job.MatrixProgress
        if self.task is None:
            where = f", dashboard {p.dashboard_link}" if p.dashboard_link else ""
            err.print(f"dask: {p.workers} workers{where}; {p.reused} of {p.total} partitions already done")
            self.bar.start()
            self.task = self.bar.add_task("routing", total=p.total, completed=p.done)
        self.bar.update(self.task, completed=p.done)

    def stop(self) -> None:
        if self.task is not None:
            self.bar.stop()


def _settings(o: dict[str, Any]) -> tuple[Any, Any]:
    """The job's `Study` and `MatrixOptions` from the command's options."""
    from routes.network.plan import MatrixOptions
    from routes.study import Study

    estimates = not o["distance_only"]
    study = Study(opt.codes(o["aircraft"]) if estimates else Study().aircraft, margin_nm=o["margin_nm"])
    options = MatrixOptions(
        directions=o["directions"], months=_months(o["months"]), min_km=o["min_km"],
        max_km=o["max_km"] if o["max_km"] is not None else float("inf"), estimates=estimates, geometry=o["geometry"],
        partition_size=o["partition_size"], on_unknown="skip" if o["skip_unknown"] else "error",
    )  # fmt: skip
    return study, options


def _region_opts(f: Any) -> Any:
    """``--from-*`` and ``--to-*``: origins and destinations by country, continent or polygon."""
    for role, short in (("to", "Destinations"), ("from", "Origins")):
        f = click.option(
            f"--{role}-polygon", type=click.Path(path_type=Path), help=f"{short}: large airports in this GeoJSON."
        )(f)
        f = click.option(
            f"--{role}-continents", help=f"{short}: large airports of these continents (AF AN AS EU NA OC SA)."
        )(f)
        f = click.option(f"--{role}-countries", help=f"{short}: large airports of these countries (ISO codes).")(f)
    return f


@click.command("matrix", cls=opt.Command)
@click.option("--pairs", "pairs_file", type=click.Path(path_type=Path), help="CSV or Parquet with origin,destination.")
@click.option("--origins", help="Comma-separated origin codes.")
@click.option("--destinations", help="Comma-separated destination codes.")
@_region_opts
@click.option("--min-km", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Minimum geodesic.")
@click.option("--max-km", type=click.FloatRange(min=0), default=None, help="Maximum geodesic (km).")
@click.option("--scenarios", default=ROUTE_SCENARIO, show_default=True, help="Comma-separated names.")
@opt.aircraft_opt
@click.option("--distance-only", is_flag=True, help="Engine figures only (no OpenAP time/fuel, ETOPS, polar).")
@click.option("--directions", type=click.Choice(["outbound", "return", "both"]), default="outbound", show_default=True)
@click.option("--months", help="Comma-separated months 1-12 (monthly wind climatology).")
@click.option("--geometry", is_flag=True, help="Keep route geometry (GeoParquet).")
@opt.margin_opt
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output folder (resumable).")
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Local cluster workers (default: cores).")
@click.option(
    "--partition-size", type=click.IntRange(min=1), default=None, help="Routes per file [default: auto, at most 32]."
)
@click.option("--skip-unknown", is_flag=True, help="Skip unknown codes in --pairs with a warning.")
@opt.scenario_file_opt
def matrix_command(**o: Any) -> None:
    """A route matrix: pairs x scenarios x aircraft x directions x months on Dask, written as
    Parquet partitions to --out (a rerun resumes). Pairs come from --pairs, from --origins x
    --destinations, or from region selectors (OurAirports large airports)."""
    # the options travel as one mapping (24 of them): each is read once, below
    import warnings

    from routes.network.cluster import Cluster
    from routes.network.job import matrix

    study, options = _settings(o)
    origins = _selection(o["origins"], o["from_countries"], o["from_continents"], o["from_polygon"], "origin")
    destinations = _selection(o["destinations"], o["to_countries"], o["to_continents"], o["to_polygon"], "destination")
    bar = PartitionBar()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            result = matrix(
                o["pairs_file"], origins=origins, destinations=destinations,
                scenarios=opt.scenarios(o["scenarios"], o["scenario_file"]), study=study, options=options,
                cluster=Cluster(scheduler=o["scheduler"], n_workers=o["workers"]), out=o["out"], progress=bar,
            )  # fmt: skip
        finally:
            bar.stop()
    for w in caught:
        err.print(f"warning: {w.message}")
    err.print(
        f"matrix complete: {result.n_rows:,} rows ({result.n_ok:,} ok, {result.n_infeasible:,} infeasible, "
        f"{result.n_errors:,} errors) in {result.n_partitions} partitions ({result.n_reused} reused), "
        f"{result.seconds:.1f} s -> {o['out']}/"
    )
