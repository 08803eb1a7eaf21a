"""The register of assumptions (`data/assumptions.toml`): every model default with its source and range.

>>> from routes.inputs.register import assumption_register, default
>>> default("load_factor"), default("kg_co2_per_kg_fuel")
(0.8, 3.16)
>>> entry = assumption_register()["taxi_out_min"]
>>> entry.low, entry.value, entry.high, entry.unit
(10.0, 15.0, 30.0, 'min')
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from routes.errors import RegisterError, SchemaError
from routes.inputs.paths import data_dir

STATUSES = ("primary", "secondary", "derived")
"""How a source was read: the issuing body's own text, a faithful re-publication or press report, or
figures computed from sourced ones (the quote says how)."""


@dataclass(frozen=True)
class Source:
    """Where a value comes from: document, publisher, date, URL, how it was read and the passage."""

    document: str
    publisher: str
    date: str
    url: str
    status: str
    quote: str = ""

    def cite(self) -> str:
        """One line: document, publisher, date, status, URL."""
        return f"{self.document} ({self.publisher}, {self.date}; {self.status}) {self.url}".strip()


@dataclass(frozen=True)
class Entry:
    """One assumption: its default, unit, plausible range, and sources or the reason it is a convention.

    Attributes
    ----------
    name : str
        The key in the register (and usually the parameter name in the code).
    value : float or str
        The default; a few rules are text.
    low, high : float or None
        A plausible range containing ``value`` (None for rules).
    vary : bool
        True for an uncertain input that sensitivity analyses vary; False for settings and conventions.
    """

    name: str
    value: float | str
    unit: str
    low: float | None
    high: float | None
    vary: bool
    used_by: tuple[str, ...]
    sources: tuple[Source, ...]
    convention: str = ""
    range_note: str = ""
    note: str = ""

    @property
    def basis(self) -> str:
        """``"convention"``, or the best status among the sources (``"primary"`` first)."""
        if not self.sources:
            return "convention"
        return min((s.status for s in self.sources), key=STATUSES.index)


class Register(Mapping[str, Entry]):
    """The entries of an assumptions register, by name (a read-only mapping)."""

    def __init__(self, entries: Mapping[str, Entry], as_of: str, path: str) -> None:
        self._entries = dict(entries)
        self.as_of = as_of
        self.path = path

    def __getitem__(self, name: str) -> Entry:
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries))
            raise RegisterError(f"no assumption {name!r} in the register {self.path}; it has: {known}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def value(self, name: str) -> float:
        """The numeric default of ``name``."""
        value = self[name].value
        if isinstance(value, str):
            raise RegisterError(f"assumption {name!r} is a rule ({value!r}), not a number")
        return value

    def varied(self) -> list[Entry]:
        """The uncertain inputs (``vary = true``) whose range is wider than a point."""
        return [e for e in self.values() if e.vary and e.low is not None and e.low < e.high]


def _schema():  # pydantic models, built on first use (see routes.schema)
    from pydantic import Field, model_validator

    from routes.schema import Strict

    class SourceModel(Strict):
        document: str = Field(min_length=3)
        publisher: str = Field(min_length=2)
        date: str = Field(min_length=4)
        url: str = Field(pattern=r"^https?://")
        status: str = Field(pattern="^(" + "|".join(STATUSES) + ")$")
        quote: str = ""

    class EntryModel(Strict):
        value: float | str
        unit: str = Field(min_length=1)
        low: float | None = None
        high: float | None = None
        vary: bool
        used_by: list[str] = Field(min_length=1)
        sources: list[SourceModel] = Field(default_factory=list)
        convention: str = ""
        range_note: str = ""
        note: str = ""

        @model_validator(mode="after")
        def _check(self) -> EntryModel:
            if not self.sources and not self.convention.strip():
                raise ValueError("needs at least one source or a 'convention' saying why it is one")
            if isinstance(self.value, str):
                if self.low is not None or self.high is not None or self.vary:
                    raise ValueError("a rule (text value) takes no low/high range and vary = false")
                return self
            if self.low is None or self.high is None:
                raise ValueError("a numeric value needs a plausible range: low and high")
            if not self.low <= self.value <= self.high:
                raise ValueError(f"the range [{self.low:g}, {self.high:g}] does not contain the value {self.value:g}")
            if self.vary and self.low < self.high and not (self.range_note or len(self.sources) > 1):
                raise ValueError("a varied range needs a range_note saying where it comes from")
            return self

    return EntryModel


def read_register(path: str | Path, check: bool = True) -> Register:
    """Read and check an assumptions register (the packaged one, or a file of the same shape).

    ``check=False`` trusts the file (the packaged register, which the tests check) and skips the schema:
    no pydantic import on the way to a first estimate.

    Raises
    ------
    RegisterError
        Unreadable TOML, an entry without a source or a ``convention``, a range that does not contain its
        value, a source without a URL, date or status, an unknown key; the message names the entry.
    """
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RegisterError(f"cannot read the assumptions register {path}: {exc}") from None
    as_of = doc.pop("as_of", "")
    entries = {}
    for name, table in doc.items():
        if check:
            from routes.schema import validate  # pydantic: only when the file is checked

            try:
                table = validate(_schema(), table, f"{path}: [{name}]").model_dump()
            except SchemaError as exc:
                raise RegisterError(str(exc)) from None
        entries[name] = _entry(name, table)
    if not entries:
        raise RegisterError(f"the assumptions register {path} has no entries")
    return Register(entries, str(as_of), str(path))


def _entry(name: str, t: Mapping) -> Entry:
    number = lambda v: v if v is None or isinstance(v, str) else float(v)  # noqa: E731 - TOML ints as floats
    return Entry(
        name=name,
        value=number(t["value"]),
        unit=t["unit"],
        low=number(t.get("low")),
        high=number(t.get("high")),
        vary=t["vary"],
        used_by=tuple(t["used_by"]),
        sources=tuple(Source(**s) for s in t.get("sources", ())),
        convention=t.get("convention", ""),
        range_note=t.get("range_note", ""),
        note=t.get("note", ""),
    )


def packaged_register_path() -> Path:
    """`data/assumptions.toml` of the installed package."""
    return data_dir() / "assumptions.toml"


@cache
def assumption_register() -> Register:
    """The packaged register (`data/assumptions.toml`), read once per process (checked by the tests)."""
    return read_register(packaged_register_path(), check=False)


def default(name: str) -> float:
    """The packaged default of a numeric assumption (e.g. ``default("load_factor")`` = 0.8)."""
    return assumption_register().value(name)
