"""The scenario-exploration notebook runs top to bottom (nbclient), as users run it.

The notebook sets no matplotlib backend (it plots inline in Jupyter); the test picks a headless
one from outside, through the kernel's environment. It runs on a copy in a temporary folder and
checks that nothing is written into ``notebooks/``.
"""

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK = NOTEBOOKS / "scenario_exploration.ipynb"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


def test_notebook_sets_no_backend():
    source = "\n".join(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code")
    assert "matplotlib.use" not in source and "%matplotlib" not in source


@pytest.mark.slow
def test_notebook_executes(tmp_path, monkeypatch):
    before = _snapshot(NOTEBOOKS)
    path = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, path)
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("MPLBACKEND", "Agg")  # inherited by the kernel: headless, set from outside
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "europe-closed RouteCheck(ok=True" in text and "infeasible: destination LAX" in text
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("SVO → LAX · europe-canada-closed" in h and "10,474 km" in h for h in html)  # Route._repr_html_
    assert any("12 h 14 (734 min)" in h and "block fuel" in h for h in html)  # Estimate._repr_html_
    assert any("Scenario europe-canada-closed" in h for h in html)
    assert any("MHR" in h and "non-stop, 256 of 290 seats" in h for h in html)  # the fleet table of compare
    maps = [h for h in html if "folium-map" in h or "leaflet" in h.lower()]
    assert maps and "cdn.jsdelivr" not in maps[-1]  # the interactive map, offline
    assert _snapshot(NOTEBOOKS) == before, "the notebook run wrote into notebooks/"
