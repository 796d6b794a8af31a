"""Reading the response store: detail responses looked up, never computed, by a worker.

A worker opens each guide's database at start-up (up to ``MAX_OPEN``; others on first
use), read-only and immutable; pages are read through a small cache per database
(``CACHE_KIB``), so the bytes live once in the host's page cache whatever the number of
workers, a worker's memory stays flat, and an open database goes on answering even if
its file is deleted. ``entry`` turns a stored row into the edge's ``Entry`` (ETag by
``make_etag``, the same variants a handler's answer would get), each time: a look-up costs
about 25 us, and keeping them would grow every worker's memory with the corpus.

``check`` notices cheaply (a ``stat`` per file) that a file of the store was deleted or
replaced after the worker opened it, for ``/readyz`` to say so.
"""

from __future__ import annotations

import os
import sqlite3
from collections import OrderedDict
from pathlib import Path

import msgspec

from corpus import FORMATS, Format, Guide, Rich

from ..errors import NotReady
from ..http.caching import Entry, Headers, make_entry
from ..resources.catalog import Catalog, question_url
from ..versions import make_etag
from .writer import CATALOG, GUIDES, NAME, SUFFIX, StoreCatalog

JSON = b"application/json"
MAX_OPEN = 256  # databases kept open at once (file descriptors, maps)
# Pages are read (pread) into a small cache per database rather than memory-mapped:
# measured over 3000 look-ups at 10x the guides, a map grew a worker's resident memory by
# 300 MB (the kernel maps the pages around each one read), reads cost the same 23-26 us
# and kept it flat. Either way the file's pages are one copy in the host's page cache.
CACHE_KIB = 64
_FORMAT_OF = {b"": "markdown", **{f"format={f}".encode(): f for f in FORMATS}}
_RESOURCES = ("questions", "topics", "guides")
_SELECT = "SELECT body, gzip, br FROM responses WHERE path = ? AND format = ?"
_BODY = "SELECT body FROM responses WHERE path = ? AND format = ?"
_catalog_decoder = msgspec.msgpack.Decoder(StoreCatalog)
_guide_decoder = msgspec.msgpack.Decoder(Guide[Rich])

Fingerprint = tuple[int, int, int]


def _fingerprint(path: str | Path) -> Fingerprint:
    st = os.stat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class ResponseStore:
    """The response store of one build, for one worker."""

    def __init__(self, build: Path, corpus_hash: str) -> None:
        self.folder = Path(build) / NAME / GUIDES
        self.hash = corpus_hash
        try:
            names = [p for p in os.listdir(self.folder) if p.endswith(SUFFIX)]
            self.paths = {n.removesuffix(SUFFIX): os.path.join(self.folder, n) for n in names}
            self.files = {slug: _fingerprint(path) for slug, path in self.paths.items()}
            self.catalog_file = self.folder.parent / CATALOG
            self.catalog_seen = _fingerprint(self.catalog_file)
        except OSError as exc:
            raise NotReady(f"{self.folder}: response store missing; run `prepdeck build`") from exc
        self._open: OrderedDict[str, sqlite3.Connection] = OrderedDict()
        try:  # opened now, a database is served even if its file is deleted meanwhile
            for slug in list(self.files)[:MAX_OPEN]:
                self._db(slug)
        except sqlite3.Error as exc:
            self.close()
            raise NotReady(f"{self.folder}: response store unreadable: {exc}") from exc

    def entry(
        self, key: tuple[str, bytes], cache_control: bytes, headers: Headers = ()
    ) -> Entry | None:
        """The ready-made response to ``(path, query)``, if the store holds one, labelled
        with ``cache_control`` and ``headers`` (the worker's, the same for every entry)."""
        path, query = key
        fmt = _FORMAT_OF.get(query)
        parts = path.split("/")  # "", "v1", resource, guide[, slug]
        if fmt is None or len(parts) < 4 or parts[2] not in _RESOURCES or parts[1] != "v1":
            return None
        try:
            db = self._db(parts[3])
            row = None if db is None else db.execute(_SELECT, (path, fmt)).fetchone()
        except (sqlite3.Error, NotReady):  # a file damaged since start-up: `check` says so
            return None
        if row is None:
            return None
        body, gz, br = row
        etag = make_etag(self.hash, path, f"format={fmt}".encode())
        packed = {} if gz is None else {"gzip": gz, "br": br}
        return make_entry(body, JSON, etag, cache_control, list(headers), packed=packed)

    def catalog(self) -> Catalog:
        """The index of every guide of the build (``NotReady`` when it is unreadable)."""
        try:
            got = _catalog_decoder.decode(self.catalog_file.read_bytes())
        except (OSError, msgspec.DecodeError) as exc:
            raise NotReady(
                f"{self.catalog_file}: unreadable catalog ({exc}); run `prepdeck build`"
            ) from exc
        if got.hash != self.hash:
            raise NotReady(f"{self.catalog_file}: catalog of build {got.hash}, not {self.hash}")
        return Catalog(got.guides, got.hash, got.parser_version)

    def body(self, path: str, fmt: Format) -> msgspec.Raw:
        """The body of the detail response at ``path`` (a question, topic or guide URL)."""
        guide = path.split("/")[3]  # "", "v1", resource, guide, ...
        return msgspec.Raw(self._row(guide, _BODY, path, fmt)[0])

    def question(self, question_id: str, fmt: Format) -> msgspec.Raw:
        """The question's JSON in ``fmt`` (the body of its detail response)."""
        return self.body(question_url(question_id), fmt)

    def topic(self, guide: str, topic_id: str, fmt: Format) -> msgspec.Raw:
        """The topic's JSON in ``fmt``, as lists show it."""
        row = self._row(guide, "SELECT body FROM topics WHERE id = ? AND format = ?", topic_id, fmt)
        return msgspec.Raw(row[0])

    def guide(self, slug: str) -> Guide[Rich]:
        """The whole guide, with its rich text in every format (for decks and bulk)."""
        return _guide_decoder.decode(self._row(slug, "SELECT data FROM guide")[0])

    def _row(self, guide: str, sql: str, *args: str) -> tuple:
        try:
            db = self._db(guide)
            row = None if db is None else db.execute(sql, args).fetchone()
        except sqlite3.Error as exc:
            raise NotReady(f"response store unreadable: {exc}; run `prepdeck build`") from exc
        if row is None:
            raise NotReady(f"response store lacks {args or guide}; run `prepdeck build`")
        return row

    def _db(self, slug: str) -> sqlite3.Connection | None:
        """The open database of guide ``slug`` (None: no such guide); ``NotReady`` when its
        file was changed in place (its pages may be anything now). A deleted or replaced
        file is safe: the open file is the one that was opened."""
        seen = self.files.get(slug)
        if seen is None:
            return None
        try:
            now = _fingerprint(self.paths[slug])
        except OSError:
            now = None
        if now is not None and now[0] == seen[0] and now != seen:
            raise NotReady(f"response store damaged: {slug}{SUFFIX} was changed in place")
        db = self._open.get(slug)
        if db is not None:
            self._open.move_to_end(slug)
            return db
        if now is None or now != seen:
            raise NotReady(f"response store damaged: {slug}{SUFFIX} is gone or was replaced")
        uri = f"{(self.folder / (slug + SUFFIX)).as_uri()}?mode=ro&immutable=1"
        db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        db.execute("PRAGMA mmap_size = 0")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        db.execute("PRAGMA schema_version").fetchone()  # opens the file: its first page only
        self._open[slug] = db
        if len(self._open) > MAX_OPEN:
            self._open.popitem(last=False)[1].close()
        return db

    def check(self) -> None:
        """``NotReady`` when a file of the store is gone or was replaced since it was opened."""
        files = {self.catalog_file: self.catalog_seen}
        files.update((self.folder / f"{slug}{SUFFIX}", seen) for slug, seen in self.files.items())
        for path, seen in files.items():
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
