"""Rich notebook output and ``.explore()`` on the result types, attached from the presentation side.

The result types live on lower floors (`routes.result.Route`, `routes.inputs.scenarios.Scenario`,
`routes.analysis.performance.Estimate`, `routes.comparison.Comparison`) and never import
presentation. This module adds the methods to them, the way pandas and xarray let a higher package
register accessors on their types (``pandas.api.extensions.register_dataframe_accessor``). The
``routes`` package imports it, so after a bare ``import routes``:

* ``Route``, ``Scenario``, ``Estimate`` and ``Comparison`` show an HTML table in Jupyter
  (``_repr_html_``, `routes.presentation.richrepr`);
* ``Route.explore()`` and ``Comparison.explore()`` draw an interactive Leaflet map
  (`routes.presentation.explore.explore`).

Each method imports its drawing module only when called: attaching them loads neither folium nor
matplotlib.
"""

from __future__ import annotations

from typing import Any

from routes.analysis.performance import Estimate
from routes.comparison import Comparison
from routes.inputs.scenarios import Scenario
from routes.result import Route


def _route_html(self: Route) -> str:
    from routes.presentation.richrepr import route_html

    return route_html(self)


def _route_explore(self: Route, **kwargs: Any) -> Any:
    """Interactive Leaflet map (a `folium.Map`) of this route; see `routes.presentation.explore.explore`."""
    from routes.presentation.explore import explore

    return explore([self], **kwargs)


def _scenario_html(self: Scenario) -> str:
    from routes.presentation.richrepr import scenario_html

    return scenario_html(self)


def _estimate_html(self: Estimate) -> str:
    from routes.presentation.richrepr import estimate_html

    return estimate_html(self)


def _comparison_html(self: Comparison) -> str:
    from routes.presentation.richrepr import comparison_html

    return comparison_html(self.table)


def _comparison_explore(self: Comparison, **kwargs: Any) -> Any:
    """Interactive Leaflet map (a `folium.Map`) of the routes, a layer per scenario; the table's
    block times go into the popups. See `routes.presentation.explore.explore`."""
    from routes.presentation.explore import explore

    return explore(self, **kwargs)


ACCESSORS: dict[type, dict[str, Any]] = {
    Route: {"_repr_html_": _route_html, "explore": _route_explore},
    Scenario: {"_repr_html_": _scenario_html},
    Estimate: {"_repr_html_": _estimate_html},
    Comparison: {"_repr_html_": _comparison_html, "explore": _comparison_explore},
}
"""The methods this module attaches, by type."""


def register() -> None:
    """Attach the methods of `ACCESSORS` to their types (idempotent; runs when this module is imported)."""
    for cls, methods in ACCESSORS.items():
        for name, method in methods.items():
            method.__name__ = name
            method.__qualname__ = f"{cls.__name__}.{name}"
            setattr(cls, name, method)


register()
