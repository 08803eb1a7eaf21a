"""The network-analysis notebook runs top to bottom on a local Dask cluster with its small subset."""

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "network_analysis.ipynb"


def test_network_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    assert "SMALL = True" in nb.cells[1].source  # the test-suite's subset is the committed default


@pytest.mark.slow
@pytest.mark.network
def test_network_notebook_executes(tmp_path):
    path = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace("OUT = None", f"OUT = {str(tmp_path / 'matrix')!r}")
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "routing 6 pairs" in text and "12 rows: 11 routed, 1 infeasible, 0 errors" in text  # YVR: Canada closed
    assert "worst detour: LED JFK" in text
    assert "block_time_min January" in text and "mean extra minutes over the geodesic: {1:" in text
    assert (tmp_path / "matrix" / "_manifest.json").exists()
    assert (tmp_path / "network_worst.png").stat().st_size > 20_000
