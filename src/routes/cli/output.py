"""Terminal output of the commands: tables that fit 100 columns (``--wide``: every column), long text
below them, and the machine formats (``--format json|csv|geojson``: every column, every figure).

Presentation only: every figure comes from the table of `routes.comparison.compare`.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from routes.inputs.winds import period_label
from routes.presentation.formatting import COST_COLUMN_HEADINGS, hours_minutes, summary_table
from routes.presentation.formatting import cost_notes as shared_cost_notes
from routes.seasonal import period_key

MAX_WIDTH = 100
"""Widest default table, characters: an ordinary terminal. ``--wide`` lifts it."""
WIDE_WIDTH = 1000
err = Console(stderr=True)


def console(wide: bool = False) -> Console:
    """Standard output, `MAX_WIDTH` columns wide (a terminal's own width if it is narrower; output to a
    file or pipe: `MAX_WIDTH`, whatever ``COLUMNS`` says); ``wide``: as wide as the tables are."""
    if wide:
        return Console(width=WIDE_WIDTH, soft_wrap=True)
    probe = Console()
    return Console(width=min(probe.width, MAX_WIDTH) if probe.is_terminal else MAX_WIDTH)


KEEP_WHOLE = {"pair", "scenario", "aircraft", "way"}
"""Text columns never wrapped (nor are figures): a table that must shrink wraps the others (states, ETOPS)."""


def _table(title: str, columns: Sequence[str], right: Callable[[str], bool], whole: bool = True) -> Table:
    """A compact rich table: a rule under the header, two spaces between columns, no frame. The title
    goes above it as a caption line (`_show`), wrapped at the console's width rather than the table's.
    ``whole``: figures are never wrapped (`_fit` makes room for them)."""
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for c in columns:
        number = right(c)
        keep = (number and whole) or c in KEEP_WHOLE
        table.add_column(c, justify="right" if number else "left", overflow="fold", no_wrap=keep)
    return table


def fit_table(
    out: Console, title: str, shown: pd.DataFrame, right: Callable[[str], bool], optional: Sequence[str]
) -> None:
    """Show ``shown`` as a table no wider than the console: while it is too wide, leave out the last of
    the ``optional`` columns still in it (a note under it names them: ``--wide`` shows them); if it is
    still too wide, its figures may wrap, but they are never cut."""
    dropped: list[str] = []
    left = [c for c in optional if c in shown.columns]
    while True:
        columns = [c for c in shown.columns if c not in dropped]
        table = _table(title, columns, right)
        for row in shown[columns].itertuples(index=False):
            table.add_row(*_cells(row))
        if _natural_width(table) <= out.width or not left:
            break
        dropped.append(left.pop())
    if _natural_width(table) > out.width:  # a very narrow terminal: wrap figures rather than cut them
        table = _table(title, columns, right, whole=False)
        for row in shown[columns].itertuples(index=False):
            table.add_row(*_cells(row))
    _show(out, table)
    if dropped:
        names = ", ".join(" ".join(c.split()) for c in reversed(dropped))
        out.print(f"(left out to fit {out.width} columns: {names}; --wide shows every column)", style="dim")


def _natural_width(table: Table) -> int:
    """The width ``table`` takes when nothing limits it (a console's own measure stops at its width)."""
    ruler = Console(width=WIDE_WIDTH, file=io.StringIO())
    return ruler.measure(table).maximum


def _show(out: Console, table: Table) -> None:
    """The table's title on a line of its own, the table, and a blank line."""
    title, table.title = table.title, None
    out.print(title, style="bold", highlight=False)
    out.print(table)
    out.print()


def _cells(row: Iterable[Any]) -> list[str]:
    return [f"{v:,.1f}" if isinstance(v, float) else str(v) for v in row]


def pair_labels(df: pd.DataFrame) -> pd.Series:
    """``"SVO-LAX"`` for each row of a table with ``origin`` and ``destination`` columns."""
    return df["origin"].astype(str) + "-" + df["destination"].astype(str)


def _key_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The default route table: pair, scenario, (aircraft if several), distance, time, fuel, ETOPS, rounds."""
    out = pd.DataFrame({"pair": pair_labels(df), "scenario": df["scenario"]})
    if df["aircraft"].nunique() > 1:
        out["aircraft"] = df["aircraft"]
    ok = df["feasible"].astype(bool)
    out["distance\nkm"] = [f"{v:,.1f}" if k else "no route" for v, k in zip(df["distance_km"], ok, strict=True)]
    out["extra\nkm"] = [f"{v:,.1f}" if k else "" for v, k in zip(df["extra_km"], ok, strict=True)]
    out["block\ntime"] = [hours_minutes(v) for v in df["block_time_min"]]
    out["extra\nmin"] = ["" if pd.isna(v) else f"{v:+.1f}" for v in df["extra_min"]]
    out["fuel\nt"] = ["" if pd.isna(v) else f"{v / 1000:,.1f}" for v in df["block_fuel_kg"]]
    out["payload"] = payload_cells(df)
    out["ETOPS"] = (
        df["etops"].fillna("").astype(str).str.replace(r"not required \((\d+) engines\)", r"none, \1 eng", regex=True)
    )
    out["rounds"] = df["states_rounded"].fillna("")
    return out


SHORT_LIMITS = {"fuel capacity": "fuel", "out of range": "out of range", "no mzfw_kg": "no MZFW data"}
"""How the compact ``payload`` cell names a limit (the others as they are: MZFW, MTOW, MLW)."""


def payload_cells(df: pd.DataFrame) -> list[str]:
    """The non-stop payload of each row in a few characters: ``"69.9 t MZFW"``, ``"out of range"``, or empty
    when there is no route."""
    cells = []
    for kg, limit in zip(df["max_payload_kg"], df["payload_limit"], strict=True):
        if not isinstance(limit, str):
            cells.append("")
        elif limit in ("out of range", "no mzfw_kg"):
            cells.append(SHORT_LIMITS[limit])
        else:
            cells.append(f"{kg / 1000:,.1f} t {SHORT_LIMITS.get(limit, limit)}")
    return cells


def _with_payload(shown: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """The wide route table with the payload columns: tonnes, seats (of the type's), limit, full load."""
    ok = df["max_seats"].notna()
    seats = [f"{m} of {s}" if k else "" for m, s, k in zip(df["max_seats"], df["seats"], ok, strict=True)]
    return shown.assign(
        **{
            "max payload t": ["" if pd.isna(v) else f"{v / 1000:,.1f}" for v in df["max_payload_kg"]],
            "seats non-stop": seats,
            "payload limit": df["payload_limit"].fillna(""),
            "full load": ["" if pd.isna(v) else ("yes" if v else "NO") for v in df["full_load"]],
        }
    )


def route_notes(df: pd.DataFrame) -> list[str]:
    """Long text of a comparison, one line per row that has any: why there is no route, and range short."""
    notes = []
    for row in df.to_dict("records"):
        who = f"{row['origin']}-{row['destination']} {row['scenario']}"
        if not row["feasible"]:
            notes.append(f"{who}: no route: {row['reason']}")
        elif row.get("range_feasible") is False or row.get("range_feasible") == 0:
            margin = row.get("range_margin_km")
            notes.append(f"{who} {row['aircraft']}: beyond the aircraft's range (margin {margin:,.0f} km)")
    return list(dict.fromkeys(notes))


def print_routes(out: Console, df: pd.DataFrame, title: str, wide: bool) -> None:
    """The comparison table (``wide``: every reader-friendly column), then its notes below."""
    shown = _with_payload(summary_table(df), df) if wide else _key_columns(df)
    if not wide:
        title += f" - {', '.join(dict.fromkeys(df['aircraft']))}" if df["aircraft"].nunique() == 1 else ""
    text = {"pair", "scenario", "aircraft", "from", "to", "rounds", "ETOPS", "range ok", "infeasible because",
            "payload", "payload limit", "full load"}  # fmt: skip
    optional = () if wide else ("block\ntime", "extra\nkm", "rounds", "payload", "ETOPS", "fuel\nt")  # last first
    fit_table(out, title, shown, lambda c: c not in text, optional)
    if not wide:
        for note in route_notes(df):
            out.print(note, style="dim")


def direction_rows(df: pd.DataFrame, periods: Sequence[int | str], wide: bool) -> pd.DataFrame:
    """Block time both ways in still air and each period's winds (``"11 h 34 +6"``: extra minutes over
    pre-2022 in the same wind and direction); default one row per direction, ``wide`` both on one row."""
    rows = df[df["feasible"].astype(bool)]
    winds = [("", "still air"), *((f"_{period_key(p)}", period_label(p)[:3]) for p in periods)]
    base = pd.DataFrame({"pair": pair_labels(rows), "scenario": rows["scenario"]})
    if rows["aircraft"].nunique() > 1:
        base["aircraft"] = rows["aircraft"]
    ways = {}
    for prefix, arrow in (("", "out"), ("return_", "back")):
        cells = {}
        for key, name in winds:
            t, x = rows[f"{prefix}block_time{key}_min"], rows[f"{prefix}extra{key}_min"]
            cells[name] = ["" if pd.isna(a) else f"{hours_minutes(a)} {round(b):+d}" for a, b in zip(t, x, strict=True)]
        ways[arrow] = cells
    if wide:  # both directions on one row
        columns = {f"{arrow} {name}": v for arrow, cells in ways.items() for name, v in cells.items()}
        return base.assign(**columns).reset_index(drop=True)
    # default: a row per direction, the two directions of a pair on consecutive rows (the index is the
    # comparison's row)
    parts = [base.assign(way=arrow, **cells) for arrow, cells in ways.items()]
    return pd.concat(parts).sort_index(kind="stable").reset_index(drop=True)


def print_directions(out: Console, df: pd.DataFrame, periods: Sequence[int | str], wide: bool) -> None:
    """Block time both ways, still air and the periods' climatological winds."""
    shown = direction_rows(df, periods, wide)
    if shown.empty:
        return
    title = "Block time both ways, still air and climatological winds (+ min over pre-2022, same wind)"
    text = {"pair", "scenario", "aircraft", "way"}
    optional = () if wide else [c for c in shown.columns if c not in text and c != "still air"]
    fit_table(out, title, shown, lambda c: c not in text, optional)


COST_KEY_COLUMNS = {
    "cost_usd": "cost/\nflight\nUSD\n(full)",
    "extra_cost_usd": "extra\nUSD\n(full)",
    "extra_marginal_cost_usd": "extra\nmarginal\nUSD",
    "extra_fuel_cost_usd": "extra\nfuel\nUSD",
    "extra_time_cost_usd": "extra\ntime\nUSD",
    "extra_charges_usd": "extra\ncharges\nUSD",
    "charges_avoided_usd": "charges\navoided\nUSD",
    "extra_annual_cost_usd": "extra\nannual\nM USD",
}
"""The cost columns of the default table (headings on several lines, so that it fits 100 columns; "(full)"
is the fully allocated cost, the note under the table says what both views hold); ``--wide`` shows every one."""
COST_OPTIONAL = (
    "extra_fuel_cost_usd",
    "extra_time_cost_usd",
    "extra_charges_usd",
    "charges_avoided_usd",
    "cost_usd",
    "extra_annual_cost_usd",
)
"""Default cost columns that may be left out to fit, the last first (the extra cost, full and marginal, stay)."""
COST_WIDE_COLUMNS = COST_COLUMN_HEADINGS
"""Every cost column and its heading (`routes.presentation.formatting.COST_COLUMN_HEADINGS`)."""


def cost_rows(df: pd.DataFrame, wide: bool) -> pd.DataFrame:
    """The cost columns as text: USD per flight with thousands separators, annual figures in millions."""
    rows = df[df["cost_usd"].notna()]
    out = pd.DataFrame({"pair": pair_labels(rows), "scenario": rows["scenario"]})
    if rows["aircraft"].nunique() > 1:
        out["aircraft"] = rows["aircraft"]
    for column, heading in (COST_WIDE_COLUMNS if wide else COST_KEY_COLUMNS).items():
        annual = "annual" in column
        if column not in rows:
            continue
        if column == "charges_fallback":
            out[heading] = rows[column].fillna("").astype(str)
        else:
            out[heading] = [f"{v / 1e6:,.1f}" if annual else f"{v:,.0f}" for v in rows[column]]
    return out.reset_index(drop=True)


def cost_notes(df: pd.DataFrame, fallback: bool = True) -> list[str]:
    """What the cost table assumes (`routes.presentation.formatting.cost_notes`), and with ``fallback`` the
    routes priced with fallback charges (a column of the wide table)."""
    notes = shared_cost_notes(df)
    for row in df[df["cost_usd"].notna()].to_dict("records") if fallback else ():
        if isinstance(row.get("charges_fallback"), str) and row["charges_fallback"]:
            who = f"{row['origin']}-{row['destination']} {row['scenario']}"
            notes.append(f"{who}: fallback charges for {row['charges_fallback']}.")
    return notes


def print_costs(out: Console, df: pd.DataFrame, title: str, wide: bool) -> None:
    """The cost table, then what it assumes below."""
    if "cost_usd" not in df or df["cost_usd"].isna().all():
        return
    shown = cost_rows(df, wide)
    text = {"pair", "scenario", "aircraft", "fallback charges"}
    # left out first when it does not fit: the annual figure, then the cost per flight, then the split
    optional = () if wide else [COST_KEY_COLUMNS[c] for c in COST_OPTIONAL]
    fit_table(out, title, shown, lambda c: c not in text, optional)
    for note in cost_notes(df, fallback=not wide):
        out.print(note, style="dim")


def print_waypoints(out: Console, r: Any, title: str) -> None:
    """A route's waypoints: name, position, the state it rounds, leg length and initial course."""
    table = _table(title, ("name", "lat", "lon", "rounds", "leg km", "course"), lambda c: c not in {"name", "rounds"})
    for w, leg in zip(r.waypoints, [None, *r.legs], strict=True):
        table.add_row(
            w.name,
            f"{w.lat:.4f}",
            f"{w.lon:.4f}",
            w.rounds,
            "" if leg is None else f"{leg.distance_km:,.1f}",
            "" if leg is None else f"{leg.initial_course_deg:05.1f}",
        )
    _show(out, table)


def print_fastest(out: Console, row: pd.Series, fast: Any) -> None:
    """The minimum-time route beside the shortest one."""
    title = f"minimum-time route in {fast.wind} (the shortest route flown in the same wind for reference)"
    table = _table(title, ("route", "distance km", "block time", "saving"), lambda c: c == "distance km")
    table.add_row("shortest", f"{row['distance_km']:,.1f}", hours_minutes(row["block_time_min"]), "")
    saving = row["mintime_saving_min"]
    table.add_row(
        "minimum time",
        f"{row['mintime_distance_km']:,.1f}",
        hours_minutes(row["mintime_block_time_min"]),
        f"{saving:.1f} min" if saving > 0 else "none: the shortest route is the fastest",
    )
    _show(out, table)


def emit(
    df: pd.DataFrame, found: Sequence[Any], fmt: str, output: Path | None, fleet: pd.DataFrame | None = None
) -> None:
    """``--format csv|json|geojson``: every column (GeoJSON: the feasible routes), to ``output`` or stdout.

    With a ``fleet`` table: JSON is ``{"comparison": [...], "fleet": [...]}``; CSV writes the fleet table
    beside ``output`` (`fleet_path`; the caller makes sure there is an ``output``).
    """
    if fmt == "csv":
        text = df.to_csv(index=False)
        if fleet is not None and output is not None:
            fleet_path(output).write_text(fleet.to_csv(index=False))
            err.print(f"wrote {fleet_path(output)}")
    elif fmt == "json" and fleet is not None:
        both = {"comparison": df.to_json(orient="records"), "fleet": fleet.to_json(orient="records")}
        text = json.dumps({k: json.loads(v) for k, v in both.items()}, indent=1)
    elif fmt == "json":
        text = df.to_json(orient="records", indent=1)
    else:
        text = json.dumps({"type": "FeatureCollection", "features": [r.to_geojson() for r in found if r.feasible]})
    if output:
        output.write_text(text)
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text + ("\n" if not text.endswith("\n") else ""))


def fleet_path(output: Path) -> Path:
    """Where ``--format csv --fleet`` writes the fleet table: ``out.csv`` -> ``out_fleet.csv``."""
    return output.with_name(f"{output.stem}_fleet{output.suffix or '.csv'}")


def progress(label: str) -> Callable[[Iterable], Iterable]:
    """A rich progress bar (on stderr) around an iterable."""

    def wrap(items: Iterable) -> Iterable:
        items = list(items)
        with Progress(
            TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
        ) as bar:
            yield from bar.track(items, total=len(items))

    return wrap
