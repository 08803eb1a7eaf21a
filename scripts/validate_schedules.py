"""Model block times against published schedules (``data/validation/schedules.csv``), both directions.

Usage::

    python scripts/validate_schedules.py

Prints the validation table (`routes.schedule_check.check_schedules`) and the westbound/eastbound
asymmetry (`routes.schedule_check.asymmetry`) as Markdown, for the documentation's validation page.
"""

from __future__ import annotations

from routes.schedule_check import asymmetry, check_schedules


def hm(minutes: float) -> str:
    sign = "-" if minutes < 0 else ""
    m = abs(round(minutes))
    return f"{sign}{m // 60} h {m % 60:02d}"


def main() -> None:
    table = check_schedules()
    print("| flight | dir | airspace | wind | schedule | model | taxi out/in | residual | effects budget | verdict |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for _, r in table.iterrows():
        print(
            f"| {r['flight']} | {r['direction']} | {r['scenario']} | {r['wind']} | {hm(r['scheduled_min'])} "
            f"| {hm(r['model_min'])} | {r['taxi_out_min']:g}/{r['taxi_in_min']:g} | {r['residual_min']:+.0f} min "
            f"({r['residual_pct']:+.1f} %) | {r['effects_low_min']:.0f}-{r['effects_high_min']:.0f} min "
            f"| {r['verdict']} |"
        )
    print()
    print("| westbound | eastbound | published west - east | model west - east | difference |")
    print("|---|---|---|---|---|")
    for _, r in asymmetry(table).iterrows():
        print(
            f"| {r['westbound']} | {r['eastbound']} | {r['published_west_minus_east_min']:+.0f} min "
            f"| {r['model_west_minus_east_min']:+.0f} min | {r['difference_min']:+.0f} min |"
        )


if __name__ == "__main__":
    main()
