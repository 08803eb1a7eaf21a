"""Methods that a higher floor adds to a lower floor's types, without the lower floor importing it.

Rich notebook output (``_repr_html_``) and ``.explore()`` belong to presentation (floor 6), but the
types they serve live below it: `routes.result.Route`, `routes.inputs.scenarios.Scenario`,
`routes.analysis.performance.Estimate`, `routes.comparison.Comparison`. As pandas and xarray let
a higher package register accessors on their types, presentation registers its methods here
(`register`, by the type's qualified name) and the types mark themselves `extensible`. Whichever
comes first, the method ends up on the type: a type defined later gets it when it is defined, so
registering never imports the type's module (and so never loads OpenAP or the comparison stack at
``import routes``).

>>> @extensible
... class Box:
...     pass
>>> register(f"{__name__}.Box", "size", lambda self: 3)
>>> Box().size()
3
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T", bound=type)

_METHODS: dict[str, dict[str, Callable[..., Any]]] = {}
"""Registered methods: qualified type name -> method name -> function."""
_TYPES: dict[str, type] = {}
"""Types marked `extensible` so far, by qualified name."""


def qualified_name(cls: type) -> str:
    """``module.QualName`` of a type: the key `register` takes."""
    return f"{cls.__module__}.{cls.__qualname__}"


def extensible(cls: T) -> T:
    """Class decorator: the type takes the methods registered for it (now and later)."""
    key = qualified_name(cls)
    _TYPES[key] = cls
    for name, method in _METHODS.get(key, {}).items():
        setattr(cls, name, method)
    return cls


def register(type_name: str, name: str, method: Callable[..., Any]) -> None:
    """Add ``method`` as ``name`` to the type called ``type_name`` (``"routes.result.Route"``).

    The type gets it at once if it is defined already, else when it is defined.
    """
    method.__name__ = name
    method.__qualname__ = f"{type_name.rpartition('.')[2]}.{name}"
    _METHODS.setdefault(type_name, {})[name] = method
    if type_name in _TYPES:
        setattr(_TYPES[type_name], name, method)
