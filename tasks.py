#!/usr/bin/env python3
"""Set-up and tasks on a machine that has nothing but Python >= 3.11.

    python3 tasks.py report [ARGS...]   # main job: the Moscow -> US West Coast scenario report
    python3 tasks.py test [PYTEST ARGS...]  # ruff + the whole test suite (2 pytest-xdist workers) and doctests
    python3 tasks.py docs [SPHINX ARGS...]  # the documentation site, offline, warnings as errors -> docs/_build/html

Each command creates ``.venv`` and installs the package with its dev extras (``docs`` adds the
docs extras) when needed (again whenever ``pyproject.toml`` changes). Only the standard library is used here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def ensure_env(extras: tuple[str, ...] = ("dev",)) -> None:
    """Create ``.venv`` and install the project (editable, with ``extras``) if out of date."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file may be run by an older Python
        sys.exit(f"polar-routes needs Python >= 3.11; this is {sys.version.split()[0]}")
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PY.exists() and STAMP.exists():
        digest, _, installed = STAMP.read_text().partition("\n")
        if digest == want and set(extras) <= set(installed.split(",")):
            return
    if not PY.exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing polar-routes and its dependencies into .venv ...", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[{','.join(extras)}]"], check=True)
    STAMP.write_text(f"{want}\n{','.join(extras)}")


def run(cmd: list[str]) -> int:
    return subprocess.run(cmd, cwd=ROOT).returncode


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"report", "test", "docs"}:
        print(__doc__)
        return 2
    task, args = sys.argv[1], sys.argv[2:]
    ensure_env(("dev", "docs") if task == "docs" else ("dev",))
    if task == "report":
        return run([str(BIN / "routes"), "report", *args])
    if task == "docs":
        # -W --keep-going: every warning fails the build, and all of them are listed first
        out = ROOT / "docs" / "_build" / "html"
        return run([str(PY), "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", *args, "docs", str(out)])
    code = run([str(PY), "-m", "ruff", "check", "src", "tests", "scripts", "benchmarks", "docs", "tasks.py"])
    # two workers (pytest-xdist): the suite is CPU-bound and CI has 2 cores; `-n 0` in ARGS runs it in one process
    return code or run([str(PY), "-m", "pytest", "-n", "2", "--dist", "load", *args])


if __name__ == "__main__":
    sys.exit(main())
