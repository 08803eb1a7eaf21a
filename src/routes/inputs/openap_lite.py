"""OpenAP without its package-wide imports: the submodules an estimate uses, ~1 s sooner.

``import openap`` runs ``openap/__init__.py``, which imports every model, including the flight
phase and filter tools that pull in ``scipy.signal`` and ``scipy.stats`` (~1 s). An estimate needs
only the aircraft properties (``openap.prop``), the kinematic model (``openap.kinematic``), the
fuel flow (``openap.fuel``), ``openap.aero`` and the flight generator (``openap.gen``), none of
which imports scipy.

`install` puts a stand-in for the ``openap`` package in ``sys.modules`` (when OpenAP is not
imported yet): a package module on OpenAP's own folder whose attributes `SUBMODULES` are read from
those submodules on first use. Any other attribute runs the real ``openap/__init__.py`` into the
same module first, so code that uses the rest of OpenAP (``openap.FlightPhase``, ``from openap
import *``) gets the whole package, with the same classes.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

SUBMODULES = {
    "FuelFlow": "openap.fuel",
    "WRAP": "openap.kinematic",
    "FlightGenerator": "openap.gen",
    "prop": "openap.prop",
    "aero": "openap.aero",
    "fuel": "openap.fuel",
    "kinematic": "openap.kinematic",
    "gen": "openap.gen",
}
"""Attributes of ``openap`` served from one submodule each, without the package's ``__init__``."""
_FULL_DUNDERS = ("__all__", "__version__")
"""Special names that the real ``__init__`` defines (``from openap import *`` reads ``__all__``)."""


class _LazyOpenAP(types.ModuleType):
    """The ``openap`` package, its ``__init__`` run only when an attribute outside `SUBMODULES` is asked."""

    def __getattr__(self, name: str) -> object:
        if (name.startswith("__") and name not in _FULL_DUNDERS) or self.__dict__.get("_full_", False):
            raise AttributeError(f"module 'openap' has no attribute {name!r}")
        if name in SUBMODULES:
            module = importlib.import_module(SUBMODULES[name])
            value = module if module.__name__ == f"openap.{name}" else getattr(module, name)
            setattr(self, name, value)
            return value
        self._full_ = True
        self.__spec__.loader.exec_module(self)  # the real openap/__init__.py, into this module
        return getattr(self, name)


def install() -> None:
    """Serve ``openap`` through the stand-in (nothing happens if OpenAP is imported already or
    cannot be found)."""
    if "openap" in sys.modules:
        return
    spec = importlib.util.find_spec("openap")
    if spec is None or spec.submodule_search_locations is None:
        return
    module = _LazyOpenAP("openap")
    module.__spec__ = spec
    module.__path__ = list(spec.submodule_search_locations)
    module.__file__ = spec.origin
    module.__package__ = "openap"
    module.__loader__ = spec.loader
    sys.modules["openap"] = module
