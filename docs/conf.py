"""Sphinx configuration of the polar-routes documentation (``python3 tasks.py docs``).

Offline by design: no intersphinx, no remote images, notebooks not executed unless
``POLAR_ROUTES_DOCS_EXECUTE=1`` (see ``contributing.md``). The API reference is built from
``routes.__all__`` and the ``__all__`` of a few stable subpackages (``api/_lists.py``), so a name
that moves only needs its import in ``routes/__init__.py``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(DOCS / "api"))
sys.path.insert(0, str(DOCS / "_ext"))

from _lists import write_api_pages  # noqa: E402
from generated_tables import write_generated  # noqa: E402

import routes  # noqa: E402

project = "polar-routes"
author = "polar-routes contributors"
copyright = "2026, polar-routes contributors"
release = version = getattr(routes, "__version__", "0.1.0")

extensions = [
    "myst_nb",  # Markdown pages (myst-parser) and notebooks
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx.ext.viewcode",
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints", "api/_lists.py", "_ext", "generated"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}

# --- notebooks -------------------------------------------------------------------------------
# The notebooks live in ../notebooks (committed without outputs; the test suite executes them).
# They are copied here at build time so that Sphinx can read them from its source folder.
NOTEBOOKS = DOCS / "notebooks"
NOTEBOOKS.mkdir(exist_ok=True)
for _nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
    shutil.copyfile(_nb, NOTEBOOKS / _nb.name)
nb_execution_mode = "auto" if os.environ.get("POLAR_ROUTES_DOCS_EXECUTE") == "1" else "off"
nb_execution_timeout = 300
nb_execution_raise_on_error = True
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3

# --- generated tables -------------------------------------------------------------------------
# The assumptions register, the charge rates by period and payer, the validation against published
# schedules and the mission's cost table (model runs of ~10-20 s each) are written from the code into
# generated/ at every build and included by the pages, so they never go stale (_ext/generated_tables.py).
write_generated(DOCS / "generated")

# --- API reference ---------------------------------------------------------------------------
write_api_pages(DOCS / "api")
autosummary_generate = True
autosummary_imported_members = True
autosummary_ignore_module_all = False
autodoc_typehints = "none"  # numpydoc renders the types written in the docstrings
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# --- HTML --------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "polar-routes"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
# pages without sub-pages: no empty "Section Navigation" column, so their wide tables get the room
SINGLE_PAGES = ("index", "getting-started", "validation", "benchmarks", "contributing", "changelog")
html_sidebars: dict[str, list[str]] = {page: [] for page in SINGLE_PAGES}
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}


def _skip_foreign(app: object, what: str, name: str, obj: object, skip: bool, options: object) -> bool:
    """Document only objects defined in ``routes`` (not e.g. scipy's ``cKDTree`` imported by a module)."""
    module = getattr(obj, "__module__", None)
    if isinstance(module, str) and not module.startswith("routes") and what == "module":
        return True
    return skip


def setup(app: Sphinx) -> None:
    app.connect("autodoc-skip-member", _skip_foreign)
