"""The API reference lists every public name, and the docs' extra is declared (issue 29)."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

import routes

ROOT = Path(__file__).resolve().parents[1]


def _lists():
    spec = importlib.util.spec_from_file_location("docs_api_lists", ROOT / "docs" / "api" / "_lists.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_api_reference_lists_every_name_of_routes_all() -> None:
    text = _lists()._toplevel()
    entries = text.split(".. autosummary::")[1:]  # each group: its options, a blank line, then one name a line
    listed = {line.strip() for group in entries for line in group.split("\n\n")[1].splitlines()}
    assert listed == set(routes.__all__)


def test_api_reference_covers_the_stable_subpackages_but_not_seasonal() -> None:
    text = _lists()._subpackages()
    assert "   routes.engine\n" in text
    assert "   routes.inputs.scenarios\n" in text
    assert "   routes.analysis.cost\n" in text
    assert "routes.analysis.seasonal" not in text


def test_docs_extra_names_the_sphinx_toolchain() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    names = {req.split(">")[0].split("=")[0].split("[")[0] for req in extras["docs"]}
    assert names == {"sphinx", "numpydoc", "pydata-sphinx-theme", "myst-parser", "myst-nb"}
