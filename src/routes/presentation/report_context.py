"""The report's words and tables: one context, rendered by both templates (index.html and README.md).

Presentation only: every sentence and figure is formatted from `routes.report_data.ReportData`
(its table, `closures`, `problem`), never written by hand and never computed here. Extra sections
(e.g. fleet and payload) join the list that `report_sections` returns; the templates draw each
`Section` the same way, between the charts and the maps by city pair.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from routes.inputs import airspace
from routes.presentation.formatting import (
    cost_notes,
    figure_range,
    hours_minutes,
    million_usd,
    signed_minutes,
    usd,
)
from routes.presentation.maps import ATTRIBUTION, scenario_color
from routes.report_data import ClosureSummary, ReportData

KEYS = {"origin": "from", "destination": "to", "scenario": "scenario", "aircraft": "aircraft"}


@dataclass(frozen=True)
class TableView:
    """A table as text: a title, column headings (with units), rows of cells, notes below it."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """A titled part of the report: notes, then tables (``id`` is its HTML anchor)."""

    id: str
    title: str
    notes: list[str]
    tables: list[TableView]


@dataclass(frozen=True)
class Chart:
    """A chart file of the report folder (``charts/<name>.png`` and ``.svg``)."""

    name: str
    title: str
    caption: str


def _num(spec: str, scale: float = 1.0) -> Callable[[object], str]:
    return lambda v: "" if pd.isna(v) else format(float(v) / scale, spec)


def _text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def _yes_no(v: object) -> str:
    return "" if pd.isna(v) else ("yes" if bool(v) else "NO")


Column = tuple[str, str, Callable[[object], str]]
"""(compare column, heading with its unit, formatter)"""

TABLE_GROUPS: dict[str, list[Column]] = {
    "Distance and time": [
        ("distance_km", "distance km", _num(",.1f")),
        ("extra_km", "extra km", _num("+,.1f")),
        ("extra_pct", "extra %", _num("+.2f")),
        ("block_time_min", "block time h min", hours_minutes),
        ("extra_min", "extra block time min", signed_minutes),
        ("states_rounded", "states rounded", _text),
    ],
    "Fuel and CO2": [
        ("block_fuel_kg", "block fuel t", _num(",.1f", 1000)),
        ("extra_fuel_kg", "extra fuel t", _num("+,.1f", 1000)),
        ("co2_t", "CO2 t", _num(",.1f")),
        ("extra_co2_t", "extra CO2 t", _num("+,.1f")),
    ],
    "Cost per flight": [
        ("cost_usd", "cost per flight USD", usd),
        ("fuel_cost_usd", "fuel USD", usd),
        ("time_cost_usd", "time USD", usd),
        ("charges_usd", "en-route charges USD", usd),
        ("extra_cost_usd", "extra cost USD", lambda v: usd(v, signed=True)),
    ],
    "Extra cost per flight and per year": [
        ("extra_fuel_cost_usd", "extra fuel USD", lambda v: usd(v, signed=True)),
        ("extra_time_cost_usd", "extra time USD", lambda v: usd(v, signed=True)),
        ("extra_charges_usd", "extra charges USD", lambda v: usd(v, signed=True)),
        ("charges_avoided_usd", "charges avoided USD", usd),
        ("annual_cost_usd", "annual cost M USD", million_usd),
        ("extra_annual_cost_usd", "extra annual M USD", lambda v: million_usd(v, signed=True)),
    ],
    "Feasibility": [
        ("range_feasible", "within range", _yes_no),
        ("range_margin_km", "range margin km", _num(",.0f")),
        ("etops", "ETOPS", _text),
        ("max_diversion_min", "longest diversion min", _num(",.0f")),
        ("max_latitude", "max latitude °", _num(".1f")),
        ("north_of_82_km", "north of 82° km", _num(",.0f")),
    ],
}
"""The report's tables: at most 10 columns each (the 4 keys and these), every unit in its heading."""


TEXT_COLUMNS = {"states_rounded", "etops", "range_feasible"}


def table_view(df: pd.DataFrame, title: str, columns: Sequence[Column], notes: Sequence[str] = ()) -> TableView:
    """The feasible rows of a `routes.comparison.compare` table as text, in ``columns`` (plus the keys)."""
    rows = df[df["feasible"].astype(bool)]
    cells = [[str(r[k]) for k in KEYS] + [fmt(r[c]) for c, _, fmt in columns] for _, r in rows.iterrows()]
    heads = [*KEYS.values(), *(h for _, h, _ in columns)]
    numeric = [False] * len(KEYS) + [c not in TEXT_COLUMNS for c, _, _ in columns]
    return TableView(title, heads, cells, numeric, list(notes))


def pair_name(origin: str, destination: str) -> str:
    """``SVO → LAX``."""
    return f"{origin} → {destination}"


def infeasible_lines(df: pd.DataFrame) -> list[str]:
    """One line per row with no route: ``SVO → LAX, closures-2022: <reason>``."""
    if df.empty:
        return []
    bad = df[~df["feasible"].astype(bool)].drop_duplicates(["origin", "destination", "scenario"])
    return [f"{pair_name(r.origin, r.destination)}, {r.scenario}: {r.reason}" for r in bad.itertuples(index=False)]


def _cities(pairs: Sequence[tuple[str, str]]) -> str:
    origins = list(dict.fromkeys(o for o, _ in pairs))
    names = [d for _, d in pairs] if len(origins) == 1 else [pair_name(o, d) for o, d in pairs]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{origins[0]} to {listed}" if len(origins) == 1 else listed


def closure_sentence(c: ClosureSummary, several_types: bool) -> dict[str, str]:
    """What one closure costs, in one or two sentences (from a `ClosureSummary`): ``who`` (the
    scenario, shown in bold) and ``text`` (what follows it)."""
    who = f"{c.scenario} ({c.aircraft})" if several_types and c.feasible_pairs else c.scenario
    if not c.feasible_pairs:  # no route: the same for every aircraft
        reasons = list(dict.fromkeys(r for _, r in c.infeasible))
        why = "; ".join(reasons) if len(reasons) <= 2 else f"{reasons[0]}; likewise for the other {len(reasons) - 1}"
        return {"who": who, "text": f"has no route from {_cities(c.pairs)}: {why}."}
    n = len(c.feasible_pairs)
    routes_word = "the route" if n == 1 else f"the {n} routes"
    text = (
        f"adds {figure_range(*c.extra_km)} km ({figure_range(*c.extra_pct, fmt='.1f')} %), "
        f"{figure_range(*c.extra_min)} min and {figure_range(*c.extra_cost_usd)} USD per flight "
        f"from {_cities(c.feasible_pairs)} ({c.wind}); over a year, {million_usd(abs(c.extra_annual_cost_usd))} M USD "
        f"{'more' if c.extra_annual_cost_usd >= 0 else 'less'} for {routes_word} at {c.flights_per_week:g} flights "
        "a week each way."
    )
    if c.out_of_range:
        text += f" The {c.aircraft} is out of range on {', '.join(pair_name(*p) for p in c.out_of_range)}."
    if c.flyable_pairs:
        scope = (
            ("the route" if n == 1 else "every route")
            if len(c.flyable_pairs) == n
            else (f"{len(c.flyable_pairs)} of {n} routes")
        )
        text += (
            f" The {c.aircraft} can still fly {scope} non-stop (range margin at least "
            f"{c.min_range_margin_km:,.0f} km; {', '.join(c.etops) or 'no ETOPS'})."
        )
    if c.infeasible:
        text += " No route " + "; ".join(f"to {p[1]}: {r}" for p, r in c.infeasible) + "."
    return {"who": who, "text": text}


def headline_cards(data: ReportData) -> list[dict]:
    """The headline figures: per closure with a route, its ranges of extra km, min and USD."""
    several = len({c.aircraft for c in data.closures}) > 1
    cards = []
    for c in data.closures:
        if not c.feasible_pairs:
            continue
        cards.append(
            {
                "title": f"{c.scenario} ({c.aircraft})" if several else c.scenario,
                "color": scenario_color(c.scenario, _order(data).index(c.scenario)),
                "figures": [
                    (f"{figure_range(*c.extra_km)}", "km per flight"),
                    (f"{figure_range(*c.extra_min)}", "min per flight"),
                    (f"{figure_range(*c.extra_cost_usd)}", "USD per flight"),
                    (million_usd(c.extra_annual_cost_usd, signed=True), _per_year(len(c.feasible_pairs))),
                ],
            }
        )
    return cards


def _per_year(n_routes: int) -> str:
    return "M USD a year" if n_routes == 1 else f"M USD a year, {n_routes} routes"


def _order(data: ReportData) -> list[str]:
    return list(dict.fromkeys(data.table["scenario"])) if not data.table.empty else []


def summary(data: ReportData) -> dict:
    """The summary: a title sentence, the closure sentences, the headline cards, or why there is nothing."""
    if data.problem:
        lines = infeasible_lines(data.table)
        detail = [{"who": "", "text": line} for line in lines] or [
            {"who": "", "text": "Nothing was computed: no maps, charts or tables follow."}
        ]
        return {"problem": data.problem[0].upper() + data.problem[1:] + ".", "lead": "", "sentences": detail,
                "cards": []}  # fmt: skip
    df = data.table
    pairs = list(dict.fromkeys(zip(df["origin"], df["destination"], strict=True)))
    closures = [s for s in _order(data) if s not in data.open_sky]
    types = ", ".join(dict.fromkeys(df["aircraft"]))
    lead = (
        f"{len(pairs)} city pair{'s' if len(pairs) > 1 else ''} ({_cities(pairs)}) under "
        f"{len(closures)} closure scenario{'s' if len(closures) != 1 else ''} ({', '.join(closures) or 'none'}), "
        f"against the pre-2022 great-circle route flown by the same aircraft ({types}, {df['wind'].iloc[0]})."
    )
    several = df["aircraft"].nunique() > 1
    sentences = list({str(x): x for x in (closure_sentence(c, several) for c in data.closures)}.values())
    if not sentences:
        sentences = [{"who": "", "text": "No closure scenario was selected: there is no closure to compare."}]
    if changed := override_lines(data):  # what the reader must know before quoting a figure
        text = "; ".join(changed) + " (see Assumptions used and overrides)."
        sentences.append({"who": "Overridden in this run:", "text": text})
    return {"problem": "", "lead": lead, "sentences": sentences, "cards": headline_cards(data)}


LEGEND_NOTE = (
    "On the static map each closed state takes the colour of the first scenario that closes it; on the "
    "interactive map each scenario's closed airspace is a layer of its own (switch them in the layer control), "
    "so where closures overlap their colours mix."
)


def legend(data: ReportData) -> list[dict]:
    """The map's legend: each scenario's route colour and closed airspace, the pre-2022 geodesic."""
    entries = [{"kind": "dashed", "color": "#333333", "label": "pre-2022 geodesic (great circle)"}]
    shaded: set[str] = set()
    for i, scn in enumerate(dict.fromkeys(r.scenario for r in data.routes)):
        color = scenario_color(scn.name, i)
        if not scn.is_open_sky:
            has_route = any(r.feasible and r.scenario.name == scn.name for r in data.routes)
            label = f"{scn.name} route" if has_route else f"{scn.name}: no route"
            entries.append({"kind": "line", "color": color, "label": label})
        new = sorted(scn.closed_states - shaded)
        if new or (scn.closed_polygons and not shaded):
            shaded |= set(new)
            entries.append(
                {"kind": "area", "color": color, "label": _closed_label(scn.name, new, first=len(shaded) == len(new))}
            )
    return entries


def _closed_label(scenario: str, codes: Sequence[str], first: bool) -> str:
    """``closed in europe-closed (60 states and territories)``; ``also closed in X: Canada``."""
    if len(codes) > 4:
        what = f"{len(codes)} states and territories"
        return f"closed in {scenario} ({what})" if first else f"also closed in {scenario}: {len(codes)} more states"
    names = ", ".join(airspace.state_name(c) for c in codes) or "extra areas"
    return f"closed in {scenario}: {names}" if first else f"also closed in {scenario}: {names}"


def report_sections(data: ReportData, direction_table: pd.DataFrame) -> list[Section]:
    """The table sections, in report order; extra sections are appended to this list."""
    if data.table.empty or not data.table["feasible"].astype(bool).any():
        return []
    df = data.table
    bad = df[~df["feasible"].astype(bool)].drop_duplicates(["origin", "destination", "scenario"])
    no_route = [f"{pair_name(r.origin, r.destination)} ({r.scenario})" for r in bad.itertuples(index=False)]
    g = TABLE_GROUPS
    missing = ["No route, so not in the table: " + "; ".join(no_route) + "."] if no_route else []
    sections = [
        Section("distance-time", "Distance and time", [], [table_view(df, "", g["Distance and time"], missing)]),
        Section("fuel-co2", "Fuel and CO2", [], [table_view(df, "", g["Fuel and CO2"])]),
        Section(
            "cost",
            "Cost",
            cost_notes(df),
            [
                table_view(df, "Cost per flight", g["Cost per flight"]),
                table_view(
                    df,
                    "Extra cost against the pre-2022 route, per flight and per year",
                    g["Extra cost per flight and per year"],
                ),
            ],
        ),
        Section("feasibility", "Feasibility", [], [table_view(df, "", g["Feasibility"], missing)]),
    ]
    sections += [sec for sec in (ranges_section(data), assumptions_section(data), fleet_section(data)) if sec]
    if not direction_table.empty:
        sections.append(directions_section(direction_table))
    return sections


def _rows(df: pd.DataFrame, cells: Sequence[Callable[[pd.Series], str]]) -> list[list[str]]:
    return [[cell(r) for cell in cells] for _, r in df.iterrows()]


def ranges_section(data: ReportData) -> Section | None:
    """The headline deltas with their 5-95 % interval over the assumptions' ranges, and the monthly spread."""
    df = data.ranges
    if df.empty or "extra_min" not in df:
        return None
    df = df[df["extra_min"].notna()]

    def span(m: str, fmt: Callable[[float], str]) -> Callable[[pd.Series], str]:
        return lambda r: f"{fmt(r[m])} ({fmt(r[m + '_low'])} to {fmt(r[m + '_high'])})"

    def monthly(r: pd.Series) -> str:
        if "monthly_extra_min_low" not in r or pd.isna(r["monthly_extra_min_low"]):
            return ""
        return f"{signed_minutes(r['monthly_extra_min_low'])} to {signed_minutes(r['monthly_extra_min_high'])}"

    cells = [
        lambda r: r["origin"], lambda r: r["destination"], lambda r: r["scenario"],
        span("extra_min", signed_minutes), monthly,
        span("extra_usd", lambda v: usd(v, signed=True)), span("extra_usd_marginal", lambda v: usd(v, signed=True)),
        span("extra_usd_per_year", lambda v: million_usd(v)),
    ]  # fmt: skip
    heads = ["from", "to", "scenario", "extra block time min", "extra block time by month min",
             "extra per flight, fully allocated USD", "extra per flight, marginal USD",
             "extra per year, fully allocated M USD"]  # fmt: skip
    label, bars = data.tornado
    notes = [
        "Each cell: the central figure, then (in brackets) the 5-95 % interval of a seeded sampling of every "
        "uncertain input across the "
        "assumptions register's ranges (load factor, passenger mass, taxi times, reserves, route factor, fuel "
        "price, CO2 factor), each from a triangular distribution (low, default, high); fuel and block time from an "
        "additive response surface through one-at-a-time runs, money exactly (routes.sensitivity). The monthly "
        "spread is the extra block time in each month's climatological winds, both directions, beside the interval.",
    ]
    held = [r.setting for r in data.overrides.itertuples() if r.kind == "register"]
    if held:
        notes.append(f"Set by this run, so held at its value and not varied: {', '.join(held)}.")
    if bars:
        top = ", ".join(name.replace("_", " ") for name, *_ in bars[1:4])
        notes.append(f"What moves the extra cost most ({label}): {top} (the tornado chart).")
    table = TableView("", heads, _rows(df, cells), [False] * 3 + [True] * 5, [])
    return Section("ranges", "How sure: ranges on the headline deltas", notes, [table])


def _setting(v: object) -> str:
    """A setting's value as text: numbers without trailing zeros (``0.9``, ``2,500``), text as it is."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float) and not pd.isna(v):
        return f"{v:,.10g}" if abs(v) >= 1000 else f"{v:.10g}"
    return _text(v)


def override_lines(data: ReportData) -> list[str]:
    """Each value the run overrode, ``"load_factor 0.9 (default 0.8)"``, in the order of `ReportData.overrides`."""
    return [f"{r.setting} {_setting(r.value)} (default {_setting(r.default)})" for r in data.overrides.itertuples()]


def assumptions_section(data: ReportData) -> Section:
    """Every value this run changed from its default (first, on its own), then every register entry it used."""
    changed = data.overrides
    if changed.empty:
        notes = ["Overrides: none. Every figure uses the register's defaults and the default study settings."]
        tables = []
    else:
        notes = [f"Overridden in this run ({len(changed)}): " + "; ".join(override_lines(data)) + "."]
        cells = [lambda r: r["setting"], lambda r: r["kind"], lambda r: _setting(r["value"]),
                 lambda r: _setting(r["default"]), lambda r: r["unit"], lambda r: r["default_source"]]  # fmt: skip
        heads = ["setting", "kind", "value used", "default", "unit", "the default's source"]
        tables = [TableView("Overridden in this run", heads, _rows(changed, cells), [False, False, True, True,
                                                                                     False, False])]  # fmt: skip
    used = data.assumptions_used
    notes.append(
        f"Every entry of the assumptions register (data/assumptions.toml, {len(used)} entries; routes assumptions "
        "prints it with every source) with the value this run used; the range is the plausible low-high that the "
        "ranges above vary. Also in assumptions.csv and overrides.csv."
    )
    cells = [
        lambda r: r["name"] + (" (overridden)" if r["overridden"] else ""), lambda r: _setting(r["value"]),
        lambda r: r["unit"],
        lambda r: "" if pd.isna(r["low"]) else f"{_setting(r['low'])}-{_setting(r['high'])}",
        lambda r: r["basis"], lambda r: r["source"],
    ]  # fmt: skip
    heads = ["assumption", "value used", "unit", "range", "basis", "source or convention"]
    tables.append(TableView("Assumptions used", heads, _rows(used, cells), [False, True, False, True, False, False]))
    return Section("assumptions", "Assumptions used and overrides", notes, tables)


def fleet_section(data: ReportData) -> Section | None:
    """Which types of the mission airline's fleet fly each route non-stop, with how many seats, or via which stop."""
    df = data.fleet
    if df.empty:
        return None

    def stop(r: pd.Series) -> str:
        if not isinstance(r.get("stop"), str) or not r["stop"]:
            return ""
        return f"{r['stop']}: {signed_minutes(r['extra_min'])} min, {usd(r['extra_usd'], signed=True)} USD"

    def num(col: str, fmt: str) -> Callable[[pd.Series], str]:
        return lambda r: format(r[col], fmt) if pd.notna(r.get(col)) else ""

    cells = [
        lambda r: r["destination"], lambda r: r["scenario"], lambda r: f"{r['aircraft']} ({r['count']:g})",
        num("max_payload_kg", ",.0f"), lambda r: f"{r['max_seats']:g} of {r['seats']:g}" if pd.notna(r.get("seats"))
        else "", lambda r: r["limit"] if isinstance(r.get("limit"), str) else "", lambda r: str(r["verdict"]), stop,
    ]  # fmt: skip
    heads = ["to", "scenario", "type (aircraft)", "max payload non-stop kg", "seats non-stop", "limit",
             "verdict", "stop for a full load: extra min, USD"]  # fmt: skip
    airline = df["airline"].iloc[0]
    notes = [
        f"The {airline} fleet (data/fleets.csv: counts and sources there; none is primary). Max payload non-stop in "
        "still air with the package's reserves, limited by MZFW, MTOW, MLW or fuel capacity (data/aircraft); a "
        "full load is the type's seats at the register's passenger mass. Where the non-stop cannot carry a full "
        "load, the best technical stop (routes.stops: civil airports with a long enough runway outside closed "
        "airspace) with its penalty against the non-stop flight.",
    ]
    return Section(
        "fleet",
        "Which aircraft can fly it",
        notes,
        [TableView("", heads, _rows(df, cells), [False] * 3 + [True] * 2 + [False] * 3)],
    )


def directions_section(shown: pd.DataFrame) -> Section:
    """Block time both ways (`routes.presentation.report.direction_summary`), split so no table
    has more than 10 columns."""
    keys = ["from", "to", "scenario", "aircraft"]
    heads = {c: f"{c}, h min (extra min)" for c in shown.columns if c not in keys}
    out = [c for c in heads if c.startswith("out ")]
    back = [c for c in heads if c.startswith("back ")]
    groups = [("", out + back)] if len(out + back) <= 6 else [("Outbound", out), ("Return", back)]
    tables = [
        TableView(
            title,
            [*keys, *(heads[c] for c in cols)],
            shown[keys + cols].astype(str).values.tolist(),
            [False] * 4 + [True] * len(cols),
        )
        for title, cols in groups
    ]
    note = (
        "out = as listed (from → to), back = the same track flown the other way; each cell is the block time and, "
        "in brackets, the minutes over the pre-2022 route flown the same way in the same wind. Winds: NCEP/NCAR "
        "Reanalysis 1 monthly mean at 200 hPa (about FL385), applied in climb, cruise and descent. All 12 months, "
        "the seasons and the annual mean: block_times.csv."
    )
    return Section("directions", "Block time both ways, still air and climatological winds", [note], tables)


def method_notes(data: ReportData) -> list[str]:
    """How the figures were made (payload, winds, what "closed" means), and the data's sources."""
    wind = data.table["wind"].iloc[0] if not data.table.empty else "still air"
    return [
        f"Generated {date.today().isoformat()} by polar-routes.",
        f"Aircraft performance: OpenAP; {wind}; payload {data.assumptions.load_factor:.0%} load factor.",
        "Closed airspace = sovereign airspace (land + 12 nm territorial sea); high seas stay usable.",
        "Extra figures are against the pre-2022 WGS84 geodesic flown by the same aircraft.",
        "Settings of this study: " + "; ".join(f"{label}: {text}" for label, text in data.study.describe()) + ".",
        ATTRIBUTION + ".",
    ]
