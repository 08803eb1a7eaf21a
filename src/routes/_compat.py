"""Module paths of the flat 0.1 layout, kept for one release with a `DeprecationWarning`.

``import routes.performance`` still works and returns `routes.analysis.performance` (the same
module object). ``routes.route`` and ``routes.compare`` are functions now (the modules are
`routes.result` and `routes.comparison`); importing the old module paths must not replace them on
the package, which `RoutesPackage` prevents.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import types
import warnings

MOVED_MODULES: dict[str, tuple[str, ...]] = {
    "routes.airports": ("routes.inputs.airports",),
    "routes.airspace": ("routes.inputs.airspace",),
    "routes.scenarios": ("routes.inputs.scenarios",),
    "routes.closed": ("routes.inputs.closures",),
    "routes.overflight": ("routes.analysis.overflight",),
    "routes.verify": ("routes.analysis.verify",),
    "routes.performance": ("routes.analysis.performance",),
    "routes.wind": ("routes.analysis.wind",),
    "routes.feasibility": ("routes.analysis.diversion", "routes.analysis.polar"),
    "routes.maps": ("routes.presentation.maps",),
    "routes.report": ("routes.presentation.report",),
    "routes.cli": ("routes.presentation.cli",),
    "routes.route": ("routes.result",),
    "routes.compare": ("routes.comparison",),
}
"""Old module path -> the module(s) that hold its contents now."""


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve an old module path to its new module, warning once per import."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec:
        if fullname not in MOVED_MODULES:
            return None  # type: ignore[return-value]
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        new = MOVED_MODULES[spec.name]
        warnings.warn(
            f"module {spec.name} moved to {' and '.join(new)}; the old path will be removed in polar-routes 0.3",
            DeprecationWarning,
            stacklevel=2,
        )
        modules = [importlib.import_module(n) for n in new]
        if len(modules) == 1:
            return modules[0]
        merged = types.ModuleType(spec.name, f"Deprecated: the contents of {' and '.join(new)}.")
        for mod in modules:
            merged.__dict__.update({k: v for k, v in vars(mod).items() if not k.startswith("__")})
        return merged

    def exec_module(self, module: types.ModuleType) -> None:
        return None


MOVED_MODULE_FINDER = _MovedModuleFinder()

FUNCTIONS_NAMED_LIKE_OLD_MODULES = frozenset({"route", "compare", "itinerary"})
"""Package attributes that are functions although a module of the same name exists (``routes.itinerary``)."""


class RoutesPackage(types.ModuleType):
    """The ``routes`` package's module class: the import system's ``setattr(routes, "route", module)``
    after ``import routes.route`` (an old path) leaves the function `routes.route` in place."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in FUNCTIONS_NAMED_LIKE_OLD_MODULES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)
