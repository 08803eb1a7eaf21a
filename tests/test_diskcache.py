"""The on-disk cache: round trips, damaged/truncated/foreign files rebuilt with a warning, atomic concurrent writes."""

import multiprocessing
import os
import warnings

import pytest

from routes import diskcache
from routes.diskcache import DiskCache, fingerprint
from routes.errors import CacheWarning


@pytest.fixture
def cache(tmp_path):
    return DiskCache("things", "v1", folder=tmp_path)


def _built(counter, value):
    def build():
        counter.append(1)
        return value

    return build


def test_round_trip_builds_once_and_reads_from_disk(cache, tmp_path):
    built = []
    value = {"a": [1, 2, 3], "b": (4.5, "x")}
    assert cache.get("k", _built(built, value)) == value
    again = DiskCache("things", "v1", folder=tmp_path)  # a fresh process would do the same
    assert again.get("k", _built(built, None)) == value
    assert len(built) == 1
    assert list((tmp_path / "things").glob("*.pkl")) == [cache.path("k")]


def test_missing_entry_is_none_without_warning(cache):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cache.load("nothing here") is None


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda b: b[: len(b) // 2], "checksum"),  # truncated payload
        (lambda b: b[:10], "truncated"),  # truncated header
        (lambda b: b[:-1] + bytes([b[-1] ^ 0xFF]), "checksum"),  # one flipped byte
        (lambda b: b"PK\x03\x04 a zip file, not ours" * 10, "not a polar-routes cache file"),
        (lambda b: b"", "truncated"),
    ],
)
def test_damaged_files_are_rebuilt_with_a_warning(cache, damage, why):
    value = list(range(1000))
    cache.store("k", value)
    path = cache.path("k")
    path.write_bytes(damage(path.read_bytes()))
    built = []
    with pytest.warns(CacheWarning, match=why):
        assert cache.get("k", _built(built, value)) == value
    assert built == [1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cache.load("k") == value  # the rebuilt file is whole


def test_a_file_of_another_version_is_replaced_quietly(tmp_path):
    # new data or code: the old entry is never read, and an update is no reason to warn
    DiskCache("things", "old data", folder=tmp_path).store("k", "old")
    new = DiskCache("things", "new data", folder=tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert new.get("k", lambda: "new") == "new"
    assert DiskCache("things", "new data", folder=tmp_path).load("k") == "new"
    assert DiskCache("things", "old data", folder=tmp_path).load("k") is None


def test_a_file_copied_from_another_key_is_foreign(cache):
    cache.store("a", "value of a")
    cache.path("b").write_bytes(cache.path("a").read_bytes())
    with pytest.warns(CacheWarning, match="foreign"):
        assert cache.get("b", lambda: "value of b") == "value of b"


def test_a_payload_that_does_not_unpickle_is_rebuilt(cache):
    # a valid header and checksum round a payload that is not a pickle: still no crash
    payload = b"not a pickle"
    data = diskcache.MAGIC + cache._id("k") + diskcache._digest("things", "k") + diskcache._digest(payload) + payload
    cache.path("k").parent.mkdir(parents=True, exist_ok=True)
    cache.path("k").write_bytes(data)
    with pytest.warns(CacheWarning, match="does not unpickle"):
        assert cache.get("k", lambda: 7) == 7


def test_turned_off_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(diskcache.ENV_DIR, str(tmp_path))
    monkeypatch.setenv(diskcache.ENV_OFF, "1")
    off = DiskCache("things", "v1")
    assert not off.enabled and off.path("k") is None
    assert off.get("k", lambda: 3) == 3
    assert not any(tmp_path.iterdir())
    monkeypatch.setenv(diskcache.ENV_OFF, "0")
    assert diskcache.cache_dir() == tmp_path


def test_unwritable_folder_warns_once_and_still_answers(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    cache = DiskCache("things", "v1", folder=blocker)
    with pytest.warns(CacheWarning, match="cannot write the cache folder"):
        assert cache.get("k", lambda: 1) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cache.get("k2", lambda: 2) == 2  # no second warning
    assert not cache.enabled


def _writer(folder, n):
    cache = DiskCache("race", "v1", folder=folder)
    for i in range(n):
        cache.store("shared", [*range(2000), i % 2])


def test_two_processes_writing_at_once_leave_a_valid_file(tmp_path):
    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    procs = [ctx.Process(target=_writer, args=(tmp_path, 40)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = DiskCache("race", "v1", folder=tmp_path).load("shared")
    assert value[:2000] == list(range(2000)) and value[-1] in (0, 1)
    assert not list((tmp_path / "race").glob(".*.tmp"))  # no temporary file left behind


def test_fingerprint_follows_contents_not_names(tmp_path):
    a = tmp_path / "a.bin"
    a.write_bytes(b"one")
    first = fingerprint([a], "code 1")
    assert fingerprint([a], "code 1") == first
    assert fingerprint([a], "code 2") != first
    a.write_bytes(b"two!")  # another size, so another memo entry
    assert fingerprint([a], "code 1") != first


def test_clear_removes_the_namespace_files(cache):
    cache.store("a", 1)
    cache.store("b", 2)
    assert cache.clear() == 2
    assert cache.load("a") is None


def test_memoize_keeps_results_per_arguments_and_version(tmp_path, monkeypatch):
    monkeypatch.setenv(diskcache.ENV_DIR, str(tmp_path))
    data = tmp_path / "data.txt"
    data.write_text("one")
    calls = []

    def square(x: float) -> float:
        calls.append(x)
        return x * x

    slow = diskcache.memoize("squares", lambda: [data])(square)
    assert (slow(3.0), slow(3.0), slow(4.0)) == (9.0, 9.0, 16.0)
    assert calls == [3.0, 4.0]
    again = diskcache.memoize("squares", lambda: [data])(square)  # a fresh process would do the same
    assert again(3.0) == 9.0 and calls == [3.0, 4.0]
    data.write_text("second")  # new data: computed again
    assert diskcache.memoize("squares", lambda: [data])(square)(3.0) == 9.0 and calls == [3.0, 4.0, 3.0]


def test_prune_keeps_the_most_recently_used_and_removes_stale_temporaries(cache):
    for i, key in enumerate("abcd"):
        cache.store(key, i)
        os.utime(cache.path(key), (1_000_000 + i, 1_000_000 + i))
    cache.touch("a")  # used now: the most recent
    stale = cache.folder / ".dead-writer.tmp"
    stale.write_bytes(b"half a file")
    os.utime(stale, (1_000_000, 1_000_000))
    assert cache.prune(2) == 2
    assert [cache.load(k) for k in "abcd"] == [0, None, None, 3]
    assert not stale.exists()
