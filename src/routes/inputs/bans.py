"""Airspace bans by operator: who closes its airspace to whom, since when, and on what source.

The table ``data/airspace/bans.csv`` (see ``data/airspace/README.md``) has one row per measure: the state
whose sovereign airspace is closed, the states of the operators banned (or ``*`` for all civil traffic), the
kind of measure, its dates, status and source. `BanTable.closed_for` answers "which airspace is closed to an
operator of state X on date D"; `routes.Scenario.for_operator` turns that into a scenario.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from routes.errors import BanTableError, ScenarioError, StaleDataWarning
from routes.inputs.airspace import data_dir, normalize_code

EU27 = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
    "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
)  # fmt: skip
"""The 27 EU member states (since 1 Feb 2020)."""
EU_TERRITORY = (*EU27, "ALA", "GUF", "GLP", "MTQ", "REU", "MYT", "MAF")
"""Territory of the Union mapped as separate features: member states, Aland and the French outermost regions."""
EASA_STATES = (*EU27, "NOR", "ISL", "CHE", "LIE")
"""States whose operators EASA safety directives bind."""
GROUPS = {"@EU": EU_TERRITORY, "@EU27": EU27, "@EASA": EASA_STATES}

KINDS = ("ban", "closure", "prohibition", "avoidance")
"""Kinds of measure that close airspace. ban: the airspace state bans those operators; closure: closed to
all civil traffic; prohibition: the operators' own regulator forbids the airspace; avoidance: the
operators' documented own decision."""
LANDING_KINDS = ("landing_ban",)
"""Kinds of measure that close a state's airports but not its airspace (Gibraltar, 28 Feb 2022: "no aircraft
owned, chartered or operated by a person connected with Russia are permitted to land at Gibraltar's
airport"). `BanTable.closed_for` never counts them; `BanTable.landing_bans_for` lists them."""
ALL_KINDS = (*KINDS, *LANDING_KINDS)
STATUSES = ("confirmed", "reported", "unclear")
COLUMNS = (
    "airspace", "operators", "kind", "start", "end", "status", "measure", "source", "source_date", "url", "notes",
)  # fmt: skip


@dataclass(frozen=True)
class Ban:
    """One measure of the ban table.

    Attributes
    ----------
    airspace : tuple of str
        ISO alpha-3 codes of the states whose sovereign airspace the measure closes.
    operators : frozenset of str or None
        States of the operators (or registries) concerned; None for all civil traffic.
    kind, status : str
        See `KINDS` and `STATUSES`.
    start, end : date, date or None
        First and last day in force (``end`` None: still in force at the table's as-of date).
    measure, source, url, notes : str
        What the measure is, the document that reports it and where.
    source_date : date
        Date of the source document.
    line : int
        Line of the row in the table file (for messages).
    """

    airspace: tuple[str, ...]
    operators: frozenset[str] | None
    kind: str
    start: date
    end: date | None
    status: str
    measure: str
    source: str
    source_date: date
    url: str
    notes: str = ""
    line: int = 0

    def concerns(self, operator_state: str) -> bool:
        """True when the measure applies to operators of ``operator_state``."""
        return self.operators is None or operator_state in self.operators

    def in_force(self, on: date) -> bool:
        """True when the measure is in force on ``on``."""
        return self.start <= on and (self.end is None or on <= self.end)

    @property
    def citation(self) -> str:
        """``"measure (source, YYYY-MM-DD) <url>"``."""
        return f"{self.measure} ({self.source}, {self.source_date.isoformat()}) <{self.url}>"


@dataclass(frozen=True)
class BanTable:
    """All measures of a ban table and its as-of date."""

    bans: tuple[Ban, ...]
    as_of: date
    path: str = ""

    @property
    def first_start(self) -> date:
        """The earliest first day of any measure."""
        return min(b.start for b in self.bans)

    def closed_for(
        self, operator_state: str, on: date | str | None = None, kinds: Iterable[str] = KINDS
    ) -> dict[str, tuple[Ban, ...]]:
        """Airspace closed to an operator of ``operator_state`` on a date, with the measures that close it.

        Parameters
        ----------
        operator_state : str
            ISO alpha-3 (or alpha-2) code of the operator's state.
        on : date, ``"YYYY-MM-DD"`` or None
            The day asked about (default: the table's as-of date). Before the first measure nothing is
            closed; after the as-of date the latest state is returned with a `StaleDataWarning`.
        kinds : iterable of str
            Which kinds of measure count (default: every kind that closes airspace, `KINDS`).

        Returns
        -------
        dict
            ``{airspace state: (measures in force, earliest first)}``.
        """
        state = normalize_code(operator_state)
        day = self.as_of if on is None else parse_date(on, "on")
        wanted = _kinds(kinds)
        self._warn_if_stale(day)
        out: dict[str, list[Ban]] = {}
        for ban in self.bans:
            if ban.kind in wanted and ban.concerns(state) and ban.in_force(day) and ban.airspace != (state,):
                for code in ban.airspace:
                    if code != state:
                        out.setdefault(code, []).append(ban)
        return {code: tuple(sorted(v, key=lambda b: b.start)) for code, v in sorted(out.items())}

    def landing_bans_for(self, operator_state: str, on: date | str | None = None) -> dict[str, tuple[Ban, ...]]:
        """States whose airports (not airspace) are closed to an operator of ``operator_state`` on a date.

        Parameters
        ----------
        operator_state : str
            ISO alpha-3 (or alpha-2) code of the operator's state.
        on : date, ``"YYYY-MM-DD"`` or None
            The day asked about (default: the table's as-of date; later days warn as in `closed_for`).

        Returns
        -------
        dict
            ``{state: (landing bans in force, earliest first)}``, e.g. ``{"GIB": (...)}`` for ``"RUS"``.
        """
        state = normalize_code(operator_state)
        day = self.as_of if on is None else parse_date(on, "on")
        self._warn_if_stale(day)
        out: dict[str, list[Ban]] = {}
        for ban in self.bans:
            if ban.kind in LANDING_KINDS and ban.concerns(state) and ban.in_force(day):
                for code in ban.airspace:
                    out.setdefault(code, []).append(ban)
        return {code: tuple(sorted(v, key=lambda b: b.start)) for code, v in sorted(out.items())}

    def _warn_if_stale(self, day: date) -> None:
        if day > self.as_of:
            warnings.warn(
                f"{day.isoformat()} is after the ban table's as-of date {self.as_of.isoformat()} ({self.path}): "
                "answering with the latest known state",
                StaleDataWarning,
                stacklevel=4,
            )


def _kinds(kinds: Iterable[str]) -> set[str]:
    """The kinds of measure asked for: one name (``"ban"``, not three letters) or several.

    A landing kind (`LANDING_KINDS`) is refused first, with a message naming `BanTable.landing_bans_for`.
    """
    if isinstance(kinds, str):
        kinds = (kinds,)
    try:
        if isinstance(kinds, Mapping):
            raise TypeError
        wanted = set(kinds)
    except TypeError:  # not iterable, or unhashable items
        raise ScenarioError(f"kinds: expected names of kinds of measure such as ['ban'], got {kinds!r}") from None
    if landing := wanted & set(LANDING_KINDS):  # before the unknown-kind check: name the right method
        raise ScenarioError(
            f"kind(s) {sorted(landing)} close airports, not airspace; use BanTable.landing_bans_for, or "
            f"choose from {', '.join(KINDS)}"
        )
    if bad := wanted - set(KINDS):
        raise ScenarioError(f"unknown kind(s) of measure {sorted(map(repr, bad))}; choose from {', '.join(KINDS)}")
    return wanted


def day_of(value: object) -> date:
    """A `date` from a `date` or ``"YYYY-MM-DD"`` text; a date and time (`datetime`, a pandas Timestamp) is refused.

    Raises
    ------
    ValueError
        A malformed text, a date and time, or another type (the message names the value, not the key).
    """
    if isinstance(value, datetime):  # a datetime is a date too: check it first
        raise ValueError(
            f"expected a day (YYYY-MM-DD), got a date and time {value.isoformat()!r}; give the day only, "
            f"e.g. {value.date().isoformat()!r} (or .date())"
        )
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a day as a date or 'YYYY-MM-DD' text, got {value!r} ({type(value).__name__})")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"malformed date {value!r}; expected YYYY-MM-DD, e.g. '2025-06-01'") from None


def parse_date(value: date | str, label: str = "date") -> date:
    """A `date` from a `date` or ``"YYYY-MM-DD"`` text (`day_of`).

    Raises
    ------
    ScenarioError
        Naming ``label`` and the malformed value (a date and time too: the day is asked for).
    """
    try:
        return day_of(value)
    except ValueError as exc:
        raise ScenarioError(f"{label}: {exc}") from None


def _states(text: str, where: str, allow_all: bool) -> tuple[str, ...] | None:
    text = text.strip()
    if allow_all and text == "*":
        return None
    out: list[str] = []
    for token in (t.strip() for t in text.split(";")):
        if not token:
            raise BanTableError(f"{where}: empty state code in {text!r}")
        if token.startswith("@"):
            if token not in GROUPS:
                raise BanTableError(f"{where}: unknown group {token!r}; groups: {', '.join(GROUPS)}")
            out.extend(GROUPS[token])
            continue
        try:
            out.append(normalize_code(token))
        except ScenarioError as exc:
            raise BanTableError(f"{where}: {exc}") from None
    return tuple(dict.fromkeys(out))


def load_bans(path: str | Path | None = None) -> BanTable:
    """Read and validate a ban table (default: the built-in ``data/airspace/bans.csv``).

    The file is CSV with the columns of `COLUMNS`, after ``#`` comment lines of which one must read
    ``# as_of: YYYY-MM-DD``.

    Raises
    ------
    BanTableError
        Missing file, missing as-of line, wrong columns, or a row with an unknown state code, kind or status,
        a malformed date, an end before its start, or no source URL; the message names the file and line.
    """
    if path is None:
        return builtin_bans()
    if not isinstance(path, str | Path):
        raise BanTableError(f"table: expected a BanTable or the path of a ban table CSV, got {path!r}")
    return _load(Path(path))


@cache
def builtin_bans() -> BanTable:
    """The built-in ban table."""
    return _load(data_dir() / "airspace" / "bans.csv")


def _load(path: Path) -> BanTable:
    # one reader for the whole file on purpose: the header, then each row checked with its line number
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise BanTableError(f"ban table not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:  # a folder, no permission, a binary file
        raise BanTableError(f"cannot read the ban table {path}: {exc}") from None
    as_of: date | None = None
    start = 0
    for start, text in enumerate(lines):
        if not text.startswith("#"):
            break
        key, _, value = text[1:].partition(":")
        if key.strip() == "as_of":
            as_of = _date(value, f"{path}:{start + 1}: as_of")
    if as_of is None:
        raise BanTableError(f"{path}: no '# as_of: YYYY-MM-DD' line before the header")
    reader = csv.reader(lines[start:])
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise BanTableError(f"{path}:{start + 1}: expected the columns {', '.join(COLUMNS)}; got {header}")
    bans = []
    for offset, rec in enumerate(reader, start=start + 2):
        if not rec or not "".join(rec).strip():
            continue
        where = f"{path}:{offset}"
        if len(rec) != len(COLUMNS):
            raise BanTableError(f"{where}: {len(rec)} fields, expected {len(COLUMNS)} ({', '.join(COLUMNS)})")
        row = dict(zip(COLUMNS, (v.strip() for v in rec), strict=True))
        if row["kind"] not in ALL_KINDS:
            raise BanTableError(f"{where}: unknown kind {row['kind']!r}; choose from {', '.join(ALL_KINDS)}")
        if row["status"] not in STATUSES:
            raise BanTableError(f"{where}: unknown status {row['status']!r}; choose from {', '.join(STATUSES)}")
        begin = _date(row["start"], f"{where}: start")
        end = _date(row["end"], f"{where}: end") if row["end"] else None
        if end is not None and end < begin:
            raise BanTableError(f"{where}: end {end} is before start {begin}")
        if not row["url"].startswith(("http://", "https://")):
            raise BanTableError(f"{where}: every measure needs a source URL (http or https), got {row['url']!r}")
        if not row["source"] or not row["measure"]:
            raise BanTableError(f"{where}: the measure and its source must be named")
        airspace = _states(row["airspace"], f"{where}: airspace", allow_all=False)
        operators = _states(row["operators"], f"{where}: operators", allow_all=True)
        assert airspace is not None
        bans.append(
            Ban(
                airspace=airspace,
                operators=None if operators is None else frozenset(operators),
                kind=row["kind"],
                start=begin,
                end=end,
                status=row["status"],
                measure=row["measure"],
                source=row["source"],
                source_date=_date(row["source_date"], f"{where}: source_date"),
                url=row["url"],
                notes=row["notes"],
                line=offset,
            )
        )
    if not bans:
        raise BanTableError(f"{path}: no measures")
    return BanTable(tuple(bans), as_of, str(path))


def _date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BanTableError(f"{where}: malformed date {text.strip()!r}; expected YYYY-MM-DD") from None
