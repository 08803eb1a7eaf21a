"""Names renamed in 0.2, kept for one release with a `DeprecationWarning`."""

from __future__ import annotations

import warnings
from typing import Any

REMOVED_IN = "polar-routes 0.3"


def warn_renamed(old: str, new: str, stacklevel: int = 3) -> None:
    """Warn that ``old`` is now ``new`` (``stacklevel`` points at the caller's caller by default)."""
    message = f"{old} is deprecated, use {new}; {old} will be removed in {REMOVED_IN}"
    warnings.warn(message, DeprecationWarning, stacklevel)


class renamed_attribute:  # noqa: N801 - used like `property`
    """A read-only alias of attribute ``new`` under its old name, warning on each read.

    >>> class Box:
    ...     size_km = 3.0
    ...     size = renamed_attribute("size_km")
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     Box().size, caught[0].category.__name__
    (3.0, 'DeprecationWarning')
    """

    def __init__(self, new: str) -> None:
        self.new = new
        self.old = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.old = f"{owner.__name__}.{name}"
        self.new_qualified = f"{owner.__name__}.{self.new}"

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        warn_renamed(self.old, self.new_qualified)
        return getattr(obj, self.new)


def pop_renamed_keywords(kwargs: dict[str, Any], renames: dict[str, str], where: str) -> dict[str, Any]:
    """Move deprecated keyword arguments of ``where`` to their new names (warning for each); returns the moved ones.

    Raises
    ------
    TypeError
        Both the old and the new name were given.
    """
    moved = {}
    for old, new in renames.items():
        if old in kwargs:
            warn_renamed(f"{where}({old}=...)", f"{where}({new}=...)", stacklevel=4)
            moved[new] = kwargs.pop(old)
    return moved
