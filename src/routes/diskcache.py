"""A small on-disk cache of prepared objects (obstacles, charts), so a fresh process starts warm.

Each entry is one file ``<folder>/<namespace>/<name>.pkl``::

    MAGIC | digest(namespace, version, key) | digest(namespace, key) | digest(payload) | payload (pickle)

- **Where**: the user's cache folder (`platformdirs.user_cache_dir`), or ``$POLAR_ROUTES_CACHE_DIR``;
  ``POLAR_ROUTES_NO_CACHE=1`` turns the cache off (every object is built in memory only).
- **Keyed** by the caller's key and a *version* string that the caller derives from the data and the
  code that build the object (`fingerprint`): new data or new code never meets old objects. An entry
  of another version (the data or code changed since) is replaced quietly: the file name depends
  on the key only, so an update does not leave the old files behind.
- **Written atomically**: a temporary file in the same folder, then `os.replace`; two processes
  writing the same entry at once leave one whole, valid file.
- **Damaged, truncated or foreign files** (another key under the same name, a failed
  checksum, a payload that does not unpickle) are ignored, removed and rebuilt, with a
  `CacheWarning`; an unwritable folder gives one warning and the objects stay in memory.

The payload is a pickle: the folder belongs to the user, like the caches of pip or matplotlib, and
files that do not carry the header written by this module are never unpickled.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from routes.errors import CacheWarning

ENV_DIR = "POLAR_ROUTES_CACHE_DIR"
"""Environment variable: the cache folder (default: the user's cache folder for polar-routes)."""
ENV_OFF = "POLAR_ROUTES_NO_CACHE"
"""Environment variable: any value but ``""`` or ``"0"`` turns the disk cache off."""
MAGIC = b"polar-routes cache 2\n"
"""First bytes of every cache file (the file format's version is part of it)."""
_DIGEST = 32

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _digest(*parts: bytes | str) -> bytes:
    h = hashlib.blake2b(digest_size=_DIGEST)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def cache_dir() -> Path | None:
    """The cache folder in use, or None when the cache is turned off (`ENV_OFF`)."""
    if os.environ.get(ENV_OFF, "") not in ("", "0"):
        return None
    folder = os.environ.get(ENV_DIR)
    if folder:
        return Path(folder)
    import platformdirs  # light, but only needed here

    return Path(platformdirs.user_cache_dir("polar-routes", appauthor=False))


_FILE_DIGESTS: dict[tuple[str, int, int], str] = {}
LARGE_FILE_BYTES = 256 * 1024
"""Files at least this large have their digest kept on disk too (namespace ``digests``, keyed by
path, size and modification time), so a fresh process does not read megabytes of data to find
its cache entries."""


def _file_digest(path: Path) -> str:
    st = path.stat()
    memo = (str(path), st.st_size, st.st_mtime_ns)
    if memo not in _FILE_DIGESTS:
        store = DiskCache("digests", "1") if st.st_size >= LARGE_FILE_BYTES else None
        key = "|".join(map(str, memo))
        digest = store.load(key) if store is not None else None
        if not isinstance(digest, str):
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            if store is not None:
                store.store(key, digest)
        _FILE_DIGESTS[memo] = digest
    return _FILE_DIGESTS[memo]


def package_sources() -> list[Path]:
    """Every module of the ``routes`` package: for objects whose making may call any of them."""
    return sorted(Path(__file__).parent.rglob("*.py"))


def fingerprint(files: Iterable[Path], *extra: str) -> str:
    """A short hex digest of the contents of ``files`` (data, source code) and ``extra`` strings.

    File digests are remembered per (path, size, modification time) for the life of the process,
    and on disk for files of `LARGE_FILE_BYTES` or more. The Python version is always part of it
    (the payloads are pickles).
    """
    parts: list[str] = [sys.version, *extra]
    for path in sorted(Path(p) for p in files):
        parts.append(f"{path.name}:{_file_digest(path)}")
    return _digest(*parts).hex()[:24]


class DiskCache:
    """Objects stored under string keys in one namespace of the cache folder.

    Parameters
    ----------
    namespace : str
        A subfolder name, e.g. ``"obstacles"``.
    version : str
        Everything the objects depend on besides their key (e.g. `fingerprint` of the data and code);
        files written under another version are foreign and rebuilt.
    folder : Path, optional
        The cache folder; default `cache_dir()` (None there: the cache is off).
    """

    def __init__(self, namespace: str, version: str, folder: Path | None = None) -> None:
        self.namespace = namespace
        self.version = version
        root = folder if folder is not None else cache_dir()
        self.folder = None if root is None else Path(root) / namespace
        self._unwritable = False

    @property
    def enabled(self) -> bool:
        """Whether objects are read from and written to disk."""
        return self.folder is not None and not self._unwritable

    def _id(self, key: str) -> bytes:
        return _digest(self.namespace, self.version, key)

    def path(self, key: str) -> Path | None:
        """The file of ``key`` (None when the cache is off)."""
        if self.folder is None:
            return None
        return self.folder / f"{_digest(self.namespace, key).hex()[:40]}.pkl"

    def load(self, key: str) -> Any | None:
        """The object stored under ``key``, or None (missing, or damaged and removed with a warning)."""
        path = self.path(key)
        if path is None or self._unwritable:
            return None
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            return self._reject(path, f"cannot be read ({exc})")
        head = len(MAGIC) + 3 * _DIGEST
        if len(data) < head or not data.startswith(MAGIC):
            return self._reject(path, "is not a polar-routes cache file or is truncated")
        ident, named, check = (data[len(MAGIC) + i * _DIGEST : len(MAGIC) + (i + 1) * _DIGEST] for i in range(3))
        payload = data[head:]
        if ident != self._id(key):
            if named == _digest(self.namespace, key):  # the same entry built from older data or code
                return None
            return self._reject(path, "belongs to another key (foreign)")
        if _digest(payload) != check:
            return self._reject(path, "fails its checksum (damaged or truncated)")
        try:
            return pickle.loads(payload)  # our own header and checksum: see the module docstring
        except Exception as exc:  # any unpickling failure means a file to rebuild
            return self._reject(path, f"does not unpickle ({type(exc).__name__}: {exc})")

    def _reject(self, path: Path, why: str) -> None:
        warnings.warn(f"ignoring cache file {path}: it {why}; rebuilding it", CacheWarning, stacklevel=3)
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
        return None

    def store(self, key: str, value: Any) -> bool:
        """Write ``value`` under ``key`` atomically; False (with one warning) if it cannot be written."""
        path = self.path(key)
        if path is None or self._unwritable:
            return False
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(MAGIC + self._id(key) + _digest(self.namespace, key) + _digest(payload) + payload)
            os.replace(tmp, path)
        except OSError as exc:
            self._unwritable = True
            warnings.warn(
                f"cannot write the cache folder {path.parent} ({exc}); working without a disk cache "
                f"(set {ENV_DIR} to a writable folder, or {ENV_OFF}=1)",
                CacheWarning,
                stacklevel=2,
            )
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            return False
        return True

    def get(self, key: str, build: Callable[[], T]) -> T:
        """The object under ``key``: read from disk, or built with ``build()`` and written."""
        value = self.load(key)
        if value is None:
            value = build()
            self.store(key, value)
        return value

    def touch(self, key: str) -> None:
        """Mark ``key``'s file as used now (`prune` removes the least recently used first)."""
        path = self.path(key)
        if path is not None:
            try:
                os.utime(path)
            except OSError:
                pass

    def prune(self, keep: int) -> int:
        """Remove all but the ``keep`` most recently used files of this namespace (by modification
        time: `store` and `touch` set it); returns how many were removed."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        files = []
        for path in self.folder.glob("*.pkl"):
            try:
                files.append((path.stat().st_mtime_ns, path))
            except OSError:  # removed meanwhile by another process
                continue
        files.sort(reverse=True)
        for _, path in files[keep:]:
            path.unlink(missing_ok=True)
        self._remove_stale_temporaries()
        return max(len(files) - keep, 0)

    def _remove_stale_temporaries(self, age_s: float = 3600.0) -> None:
        """Remove temporary files left by writers that died before `os.replace` (older than ``age_s``)."""
        now = time.time()
        for path in self.folder.glob(".*.tmp"):
            try:
                if now - path.stat().st_mtime > age_s:
                    path.unlink()
            except OSError:  # gone meanwhile, or not ours to remove
                continue

    def clear(self) -> int:
        """Remove every file of this namespace; returns how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*.pkl"):
            path.unlink(missing_ok=True)
            removed += 1
        return removed


def memoize(namespace: str, files: Callable[[], Iterable[Path]], *extra: str) -> Callable[[F], F]:
    """Decorator: keep the results of a pure function in the disk cache, keyed by ``repr`` of its
    arguments, versioned by `fingerprint` of ``files()`` (called once, on first use) and ``extra``.

    For results that cost much more to compute than to read (a calibration, a search tree); the
    arguments must have a ``repr`` that names their value (numbers, strings, frozen dataclasses).
    Put it under ``functools.cache`` to keep the results in memory too.
    """

    def wrap(func: F) -> F:
        stores: list[DiskCache] = []

        @functools.wraps(func)
        def cached(*args: Any, **kwargs: Any) -> Any:
            if not stores:
                stores.append(DiskCache(namespace, fingerprint(files(), func.__qualname__, *extra)))
            store = stores[0]
            if store.folder != DiskCache(namespace, store.version).folder:  # the cache folder was changed
                stores[0] = store = DiskCache(namespace, store.version)
            return store.get(repr((args, sorted(kwargs.items()))), lambda: func(*args, **kwargs))

        return cached  # type: ignore[return-value]

    return wrap
