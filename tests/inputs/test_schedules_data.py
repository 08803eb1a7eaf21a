"""The published schedules: every block time agrees with its own local times, every row has a source."""

from routes.inputs.schedules import published_flights


def test_block_times_agree_with_local_times_and_offsets():
    rows = published_flights()
    assert len(rows) >= 19
    for r in rows:
        implied = r.block_from_times_min()
        if implied is not None:
            assert implied == r.scheduled_block_min, r.label
        assert r.source and r.source_url.startswith("http"), r.label
        assert 300 <= r.scheduled_block_min <= 1000, r.label
        assert r.month is None or 1 <= r.month <= 12


def test_both_directions_of_moscow_new_york_are_there():
    pairs = {(r.origin, r.destination) for r in published_flights()}
    assert {("SVO", "JFK"), ("JFK", "SVO"), ("SVO", "YYZ"), ("YYZ", "SVO"), ("DME", "IAH"), ("IAH", "DME")} <= pairs
