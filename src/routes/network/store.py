"""The output folder of a route-matrix job: a manifest and one Parquet file per partition.

Layout::

    out/_manifest.json        what the job is (spec and fingerprint), its partitions, its status
    out/part-00000.parquet    rows of partition 0 (GeoParquet when the job keeps geometry)
    out/part-00001.parquet    ...

Every file is written to a hidden temporary name and renamed into place (atomic on POSIX), so a
partition file is either complete or absent. Readers (`pandas.read_parquet(out)` included) skip
the ``_manifest.json`` and hidden temporaries.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from routes.errors import IncompleteMatrixError, MatrixFolderError

MANIFEST = "_manifest.json"
FORMAT = "polar-routes route matrix"
FORMAT_VERSION = 1


def part_name(pid: int) -> str:
    """File name of partition ``pid``."""
    return f"part-{pid:05d}.parquet"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".tmp-{path.name}-{uuid.uuid4().hex}")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True)
class Manifest:
    """What a job folder holds: the job's spec, its fingerprint and its partitions' expected row counts."""

    fingerprint: str
    spec: dict[str, Any]
    rows_per_partition: tuple[int, ...]
    status: str = "running"
    created: str = ""
    completed: str = ""

    @property
    def n_partitions(self) -> int:
        """How many partitions the job has."""
        return len(self.rows_per_partition)

    @property
    def n_rows(self) -> int:
        """How many rows the complete job has."""
        return sum(self.rows_per_partition)

    def to_json(self) -> str:
        """The manifest file's text."""
        body = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "fingerprint": self.fingerprint,
            "status": self.status,
            "created": self.created,
            "completed": self.completed,
            "n_partitions": self.n_partitions,
            "n_rows": self.n_rows,
            "spec": self.spec,
            "rows_per_partition": list(self.rows_per_partition),
        }
        return json.dumps(body, indent=1, sort_keys=False, default=str)


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest, or None when it has none.

    Raises
    ------
    MatrixFolderError
        The manifest is unreadable or not a route-matrix manifest.
    """
    path = Path(folder) / MANIFEST
    if not path.exists():
        return None
    try:
        body = json.loads(path.read_text())
        if body.get("format") != FORMAT:
            raise ValueError(f"format is {body.get('format')!r}")
        return Manifest(
            body["fingerprint"], body["spec"], tuple(body["rows_per_partition"]), body["status"],
            body.get("created", ""), body.get("completed", ""),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError) as exc:
        raise MatrixFolderError(f"{path} is not a polar-routes route-matrix manifest ({exc})") from None


def _rows_in(path: Path) -> int | None:
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError):
        return None


def open_job(folder: Path, manifest: Manifest) -> set[int]:
    """Create the job folder, or reopen it for the same job; return the partitions already done.

    A partition is done when its file exists and holds the expected number of rows.

    Raises
    ------
    MatrixFolderError
        The folder holds a different job (a different fingerprint) or files that are not a job's.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise MatrixFolderError(f"output {folder} is a file; give a folder for the route matrix")
    folder.mkdir(parents=True, exist_ok=True)
    old = read_manifest(folder)
    if old is None:
        stray = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        if stray:
            raise MatrixFolderError(
                f"output folder {folder} is not empty ({stray[0]}, ...) and holds no route-matrix manifest; "
                "give an empty or new folder"
            )
        _atomic_write_bytes(folder / MANIFEST, manifest.to_json().encode())
        return set()
    if old.fingerprint != manifest.fingerprint:
        keys = sorted(set(old.spec) | set(manifest.spec))
        differ = [k for k in keys if old.spec.get(k) != manifest.spec.get(k)] or ["fingerprint"]
        raise MatrixFolderError(
            f"output folder {folder} holds a different route-matrix job (it differs in {', '.join(differ)}); "
            "give another folder, or delete this one to start over"
        )
    done = {
        pid for pid, expected in enumerate(manifest.rows_per_partition) if _rows_in(folder / part_name(pid)) == expected
    }
    if old.status != "running" and len(done) < manifest.n_partitions:  # a file of a finished job went missing
        running = Manifest(old.fingerprint, old.spec, old.rows_per_partition, "running", old.created)
        _atomic_write_bytes(folder / MANIFEST, running.to_json().encode())
    return done


def write_partition(folder: Path, pid: int, table: pd.DataFrame) -> Path:
    """Write one partition atomically (GeoParquet when ``table`` is a GeoDataFrame)."""
    path = Path(folder) / part_name(pid)
    tmp = path.with_name(f".tmp-{path.name}-{uuid.uuid4().hex}")
    if hasattr(table, "geometry") and "geometry" in table.columns:
        table.to_parquet(tmp, index=False)  # GeoDataFrame: GeoParquet metadata
    else:
        pd.DataFrame(table).to_parquet(tmp, index=False)
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def finish_job(folder: Path, manifest: Manifest) -> Manifest:
    """Check every partition file against its expected row count, then mark the job complete.

    Raises
    ------
    IncompleteMatrixError
        A partition file is missing or short; the job stays marked as running.
    """
    folder = Path(folder)
    missing = [
        pid for pid, n in enumerate(manifest.rows_per_partition) if _rows_in(folder / part_name(pid)) != n
    ]  # fmt: skip
    if missing:
        raise IncompleteMatrixError(
            f"{folder}: {len(missing)} of {manifest.n_partitions} partitions missing or incomplete "
            f"(first: {part_name(missing[0])}); rerun the same job to compute them"
        )
    done = Manifest(
        manifest.fingerprint, manifest.spec, manifest.rows_per_partition, "complete", manifest.created, _now()
    )
    _atomic_write_bytes(folder / MANIFEST, done.to_json().encode())
    for tmp in folder.glob(".tmp-part-*"):  # leftovers of writes interrupted in an earlier run
        tmp.unlink(missing_ok=True)
    return done


def new_manifest(fingerprint: str, spec: dict[str, Any], rows_per_partition: list[int]) -> Manifest:
    """A running job's manifest, created now."""
    return Manifest(fingerprint, spec, tuple(rows_per_partition), "running", _now())


def read_matrix(folder: str | Path, allow_partial: bool = False) -> pd.DataFrame:
    """The rows of a route-matrix job folder, in partition order.

    Parameters
    ----------
    folder
        The job's output folder.
    allow_partial
        Return the partitions written so far of an unfinished job instead of raising.

    Returns
    -------
    DataFrame, or GeoDataFrame (EPSG:4326) when the job kept route geometry.

    Raises
    ------
    MatrixFolderError
        The folder holds no route-matrix manifest.
    IncompleteMatrixError
        The job is not complete (and ``allow_partial`` is False).
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        raise MatrixFolderError(f"{folder} holds no route-matrix job ({MANIFEST} not found)")
    paths = [folder / part_name(pid) for pid in range(manifest.n_partitions)]
    if not allow_partial:
        whole = sum(_rows_in(p) == n for p, n in zip(paths, manifest.rows_per_partition, strict=True))
        if manifest.status != "complete" or whole < manifest.n_partitions:
            state = "not complete" if manifest.status != "complete" else "marked complete but damaged"
            raise IncompleteMatrixError(
                f"{folder}: the route-matrix job is {state} ({whole} of {manifest.n_partitions} partitions "
                "written in full); rerun the same job to finish it, or read with allow_partial=True"
            )
    paths = [p for p in paths if p.exists()]
    if manifest.spec.get("geometry"):
        import geopandas as gpd

        parts = [gpd.read_parquet(p) for p in paths]
        if not parts:
            return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
        return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    parts = [pd.read_parquet(p) for p in paths]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
