"""Reading the response store: detail responses looked up, never computed, by a worker.

A worker opens nothing at start-up but a listing of the store's files: each guide's
database is opened on first use, read-only, immutable and memory-mapped, so the bytes
live once in the host's page cache whatever the number of workers. ``entry`` turns a
stored row into the edge's ``Entry`` (ETag by ``make_etag``, the same variants a handler's
answer would get); a few thousand recent entries are kept ready.

``check`` notices cheaply (a ``stat`` per file) that a file of the store was deleted or
replaced after the worker opened it, for ``/readyz`` to say so.
"""

from __future__ import annotations

import os
import sqlite3
from collections import OrderedDict
from pathlib import Path

from corpus import FORMATS

from ..errors import NotReady
from ..http.caching import Entry, make_entry, make_etag
from .writer import GUIDES, NAME, SUFFIX

JSON = b"application/json"
MAX_OPEN = 256  # databases kept open at once (file descriptors, maps)
MAX_ENTRIES = 4096  # entries kept ready, most recently used
MMAP_BYTES = 1 << 30  # map a whole guide's database (they are a few MB)
_FORMAT_OF = {b"": "markdown", **{f"format={f}".encode(): f for f in FORMATS}}
_RESOURCES = ("questions", "topics", "guides")
_SELECT = "SELECT body, gzip, br FROM responses WHERE path = ? AND format = ?"

Fingerprint = tuple[int, int, int]


def _fingerprint(path: Path) -> Fingerprint:
    st = os.stat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class ResponseStore:
    """The response store of one build, for one worker."""

    def __init__(self, build: Path, corpus_hash: str) -> None:
        self.folder = Path(build) / NAME / GUIDES
        self.hash = corpus_hash
        try:
            names = [p for p in os.listdir(self.folder) if p.endswith(SUFFIX)]
            self.files = {n.removesuffix(SUFFIX): _fingerprint(self.folder / n) for n in names}
        except OSError as exc:
            raise NotReady(f"{self.folder}: response store missing; run `prepdeck build`") from exc
        self._open: OrderedDict[str, sqlite3.Connection] = OrderedDict()
        self._entries: OrderedDict[tuple[str, bytes], Entry] = OrderedDict()

    def entry(self, key: tuple[str, bytes], cache_control: bytes) -> Entry | None:
        """The ready-made response to ``(path, query)``, if the store holds one
        (``cache_control`` is the worker's, the same for every entry)."""
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        path, query = key
        fmt = _FORMAT_OF.get(query)
        parts = path.split("/")  # "", "v1", resource, guide[, slug]
        if fmt is None or len(parts) < 4 or parts[2] not in _RESOURCES or parts[1] != "v1":
            return None
        try:
            db = self._db(parts[3])
            row = None if db is None else db.execute(_SELECT, (path, fmt)).fetchone()
        except sqlite3.Error:  # a file gone or damaged since start-up: `check` says so
            return None
        if row is None:
            return None
        body, gz, br = row
        etag = make_etag(self.hash, path, f"format={fmt}".encode())
        packed = None if gz is None else {"gzip": gz, "br": br}
        found = make_entry(body, JSON, etag, cache_control, packed=packed)
        self._entries[key] = found
        if len(self._entries) > MAX_ENTRIES:
            self._entries.popitem(last=False)
        return found

    def _db(self, slug: str) -> sqlite3.Connection | None:
        db = self._open.get(slug)
        if db is not None:
            self._open.move_to_end(slug)
            return db
        if slug not in self.files:
            return None
        uri = f"{(self.folder / (slug + SUFFIX)).as_uri()}?mode=ro&immutable=1"
        db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        self._open[slug] = db
        if len(self._open) > MAX_OPEN:
            self._open.popitem(last=False)[1].close()
        return db

    def check(self) -> None:
        """``NotReady`` when a file of the store is gone or was replaced since it was opened."""
        for slug, seen in self.files.items():
            path = self.folder / f"{slug}{SUFFIX}"
            try:
                same = _fingerprint(path) == seen
            except OSError:
                same = False
            if not same:
                raise NotReady(
                    f"response store damaged: {path} is missing or was changed; "
                    "run `prepdeck build`"
                )

    def close(self) -> None:
        for db in self._open.values():
            db.close()
        self._open.clear()
        self._entries.clear()
