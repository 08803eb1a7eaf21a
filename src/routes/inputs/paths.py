"""Where the packaged data lives: ``routes/_data`` inside an installed wheel, ``data/`` in a source checkout."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_dir() -> Path:
    """The ``data`` folder: inside an installed wheel (``routes/_data``) or the source checkout."""
    packaged = resources.files("routes") / "_data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data"
