"""The Examples in the public API's docstrings run, with their expected output."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["routes", "routes.routing", "routes.units", "routes.geodesy"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 1 and result.failed == 0
