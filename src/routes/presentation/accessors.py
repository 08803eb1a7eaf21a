"""Rich notebook output and ``.explore()`` on the result types, attached from the presentation side.

The result types live on lower floors (`routes.result.Route`, `routes.inputs.scenarios.Scenario`,
`routes.analysis.performance.Estimate`, `routes.comparison.Comparison`) and never import
presentation. This module registers the methods for them (`routes.extensions`), the way pandas and
xarray let a higher package register accessors on their types
(``pandas.api.extensions.register_dataframe_accessor``). The ``routes`` package imports it, so after
a bare ``import routes``:

* ``Route``, ``Scenario``, ``Estimate`` and ``Comparison`` show an HTML table in Jupyter
  (``_repr_html_``, `routes.presentation.richrepr`);
* ``Route.explore()`` and ``Comparison.explore()`` draw an interactive Leaflet map
  (`routes.presentation.explore.explore`).

Registering imports none of the four types' modules, and each method imports its drawing module only
when called: this module loads neither OpenAP, folium nor matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from routes.extensions import register

if TYPE_CHECKING:
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


ACCESSORS: dict[str, dict[str, Any]] = {
    "routes.result.Route": {"_repr_html_": _route_html, "explore": _route_explore},
    "routes.inputs.scenarios.Scenario": {"_repr_html_": _scenario_html},
    "routes.analysis.performance.Estimate": {"_repr_html_": _estimate_html},
    "routes.comparison.Comparison": {"_repr_html_": _comparison_html, "explore": _comparison_explore},
}
"""The methods this module adds, by the qualified name of their type."""

for _type_name, _methods in ACCESSORS.items():
    for _name, _method in _methods.items():
        register(_type_name, _name, _method)
