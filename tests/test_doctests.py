"""The Examples in the public API's docstrings run with their expected output.

pytest runs them itself (``--doctest-modules`` over ``src/routes`` in ``pyproject.toml``); these tests check that
the configuration stays that way and that the public functions keep an Examples section for it to run.
"""

import doctest
import tomllib
from pathlib import Path

import pytest

import routes

ROOT = Path(__file__).resolve().parents[1]

PUBLIC = [
    "route",
    "geodesic_route",
    "get_airport",
    "get_scenario",
    "overflight",
    "verify_route",
    "estimate",
    "diversion",
    "compare",
]


def test_pytest_runs_the_package_doctests():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in options["addopts"].split()
    assert "src/routes" in options["testpaths"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_function_has_a_runnable_example(name):
    func = getattr(routes, name)
    examples = doctest.DocTestParser().get_examples(func.__doc__ or "")
    assert "Examples\n" in func.__doc__ and any(e.want for e in examples)  # with an expected output


def test_scenario_for_operator_has_a_runnable_example():
    examples = doctest.DocTestParser().get_examples(routes.Scenario.for_operator.__doc__)
    assert examples and examples[-1].want.strip() == "('operator-FIN@2025-06-01', ['BLR', 'RUS', 'UKR'])"
