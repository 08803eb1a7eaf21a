"""Facts the fact check of issue 26 found misread, pinned to their sources in the data files."""

from __future__ import annotations

import csv

from routes.inputs.airspace import data_dir


def _schedules() -> list[dict[str, str]]:
    with (data_dir() / "validation" / "schedules.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_transaero_los_angeles_began_in_april_2012():
    row = next(r for r in _schedules() if r["airline"] == "Transaero" and r["to"] == "LAX")
    assert (row["months"], row["schedule_date"], row["scheduled_block_min"]) == ("4", "2012-04", "735")
    assert "In April, Transaero began twice-weekly flights to Los Angeles" in row["note"]
    assert "2012/06/13" in row["note"]  # The Moscow Times, 13 June 2012


def test_finnair_first_russia_avoiding_ay073_flew_north():
    row = next(r for r in _schedules() if r["flight"] == "AY073" and r["scenario"] == "russia-closed")
    assert "flew NORTH" in row["note"] and "Alaska" in row["note"] and "12 h 54 min" in row["note"]
    assert "https://flyteam.jp/news/article/136027" in row["note"]
    assert "southbound-of-Russia" not in row["note"]  # the pre-flight expectation is no longer stated as fact
