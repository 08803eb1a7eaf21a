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


def _generator():
    path = ROOT / "docs" / "_ext" / "generated_tables.py"
    spec = importlib.util.spec_from_file_location("docs_generated_tables", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_data_tables_match_the_committed_pages() -> None:
    # the docs build rewrites docs/generated/; a data change without it leaves the committed pages stale
    gen = _generator()
    for name, text in gen.generate(with_model=False).items():
        committed = (ROOT / "docs" / "generated" / name).read_text(encoding="utf-8")
        assert committed == text, f"docs/generated/{name} is stale: run python docs/_ext/generated_tables.py"


def test_generated_tables_list_every_register_entry_and_charge_row() -> None:
    from routes.inputs.costdata import load_cost_rates
    from routes.inputs.register import assumption_register

    gen = _generator()
    register = gen.assumptions_md()
    names = [line.split("|")[1].strip() for line in register.splitlines() if line.startswith("| `")]
    assert names == [f"`{n}`" for n in assumption_register()]
    assert "| `taxi_out_min` | 15 | min | 10 - 30 | yes | **primary**" in register
    charges = gen.charges_md()
    section = charges.split("### Dated exchange rates")[0]
    rows = [line.split("|")[2].strip() for line in section.splitlines() if line.startswith("| ") and " | 20" in line]
    assert sorted(rows) == sorted(c.id for c in load_cost_rates().charges)
    assert "| RUS-USD-2026-01 | 2026-01-01 to 2026-03-31 | foreign operators | USD | 212.6 per 100 km |" in charges
    assert "| B77W | 1,907 | value USD 83.6 M x 0.8 %/month | 4,208 | derived |" in charges


def test_markdown_cells_escape_pipes_and_links_keep_parentheses() -> None:
    gen = _generator()
    assert gen.cell("a | b\nc") == "a \\| b c"
    assert gen.link("Wiki (x)", "https://e.org/a_(b)") == "[Wiki (x)](<https://e.org/a_(b)>)"
