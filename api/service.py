"""What one worker serves: the build's corpus and search index, loaded once, and readiness.

A worker whose build is missing, unreadable or inconsistent still starts: ``/healthz``
answers, ``/readyz`` says why it is not ready (503), and so does every resource that
needs the missing part. That way a load balancer sees the problem instead of a crash loop.

A worker serves one build, named by its content hash, for its whole life. When that
build's search index is damaged or deleted on disk, ``/readyz`` says so; once
`prepdeck build` has written the same build again (same hash, so the same content), the
worker opens the repaired index by itself and is ready again. Serving a *different*
build (an edited guide) takes a restart or a reload (``api.supervisor``).
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import corpus
from corpus.store import MANIFEST_FILE
from search_index import SearchError, SearchIndex

from .config import Settings
from .errors import NotReady
from .http.caching import Entry, Headers
from .resources.catalog import Catalog
from .resources.responses import Readiness
from .store import ResponseStore

try:
    VERSION = importlib.metadata.version("prepdeck")
except importlib.metadata.PackageNotFoundError:  # running from a plain checkout
    VERSION = "0+unknown"

REOPEN_SECONDS = 1.0  # a worker tries to reopen a failed index at most this often
log = logging.getLogger("prepdeck.api")


@dataclass
class Service:
    """The loaded build of one worker; only a repaired index of the same build is swapped in."""

    settings: Settings
    build: Path | None = None
    catalog: Catalog | None = None
    index: SearchIndex | None = None
    store: ResponseStore | None = None
    corpus_problem: str | None = None
    index_problem: str | None = None
    store_problem: str | None = None
    reopen_at: float = field(default=0.0, repr=False)  # monotonic time of the next attempt
    # the manifest as last seen: a build written again (repaired) has a new one
    manifest_seen: tuple[int, int] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, settings: Settings) -> Service:
        """Load ``settings.build`` (default: the current build of ``$PREPDECK_HOME``).

        A worker reads the catalog of the response store (every guide's index) and the
        search index's own files, never the corpus.
        """
        service = cls(settings)
        try:
            if settings.build is not None:
                build = settings.build.resolve()
                corpus.read_manifest(build.parent.parent, build.name)  # a complete build
            else:
                out = corpus.default_out()
                build = corpus.build_dir(out, corpus.current_hash(out))
            store = ResponseStore(build, build.name)
            catalog = store.catalog()
        except (corpus.CorpusError, NotReady) as exc:
            service.corpus_problem = f"build not loaded: {exc}"
            return service
        service.build = build
        service.manifest_seen = _stat(build / MANIFEST_FILE)
        service.catalog, service.store = catalog, store
        service.index, service.index_problem = _open_index(build)
        return service

    def close(self) -> None:
        """Release the search index's and the response store's files (at shutdown)."""
        if self.index is not None:
            self.index.close()
        if self.store is not None:
            self.store.close()

    def ready_entry(
        self, key: tuple[str, bytes], cache_control: bytes, headers: Headers
    ) -> Entry | None:
        """The build's ready-made response to ``(path, query)``, if its store has one."""
        return None if self.store is None else self.store.entry(key, cache_control, headers)

    @property
    def output_root(self) -> Path | None:
        """The output folder holding ``builds/`` (and ``cache/``)."""
        return None if self.build is None else self.build.parent.parent

    def require_catalog(self) -> Catalog:
        """The catalog, or ``NotReady`` saying why there is none."""
        if self.catalog is None:
            raise NotReady(self.corpus_problem or "corpus not loaded")
        return self.catalog

    def require_store(self) -> ResponseStore:
        """The response store (every rich body of the build), or ``NotReady``."""
        self.require_catalog()
        if self.store is None:
            raise NotReady(self.store_problem or "response store not loaded")
        return self.store

    def require_index(self) -> SearchIndex:
        """The search index, or ``NotReady`` saying why there is none."""
        self.require_catalog()
        if self.index is None:
            self.reopen_index()
        if self.index is None:
            raise NotReady(self.index_problem or "search index not loaded")
        return self.index

    def readiness(self) -> Readiness:
        """What is served, checked now (a stat and the index's own check); else ``NotReady``."""
        catalog = self.require_catalog()
        try:
            index = self._checked_index()
            self._check_store()
        except NotReady:
            if not self.reopen_index():
                raise
            index = self._checked_index()
            self._check_store()
        return Readiness(
            status="ready",
            version=VERSION,
            hash=catalog.hash,
            parser_version=catalog.parser_version,
            index_hash=index.hash,
            guides=len(catalog.guides),
            topics=len(catalog.topics),
            questions=len(catalog.questions),
        )

    def _checked_index(self) -> SearchIndex:
        index = self.require_index()
        if self.build is not None and not (self.build / MANIFEST_FILE).is_file():
            raise NotReady(
                f"build {self.build.name} was removed from disk; run `prepdeck build` to "
                "write it again, or restart (or reload) to serve another one"
            )
        try:
            index.check()
        except SearchError as exc:
            raise NotReady(f"search index unusable: {exc}; run `prepdeck build`") from exc
        return index

    def _check_store(self) -> None:
        if self.store is None:
            raise NotReady(self.store_problem or "response store not loaded")
        self.store.check()

    def reopen_index(self) -> bool:
        """Open the build's index and response store again (at most once a second); whether
        both are served now.

        Only the build this worker serves is reopened, and only once it is complete again:
        its hash names its content, so the repaired index answers exactly as the old one.
        Everything that uses the index runs on the event loop, as this does, so the old
        one is closed with no search in the middle of reading it.
        """
        now = time.monotonic()
        if self.catalog is None or self.build is None or now < self.reopen_at:
            return False
        self.reopen_at = now + REOPEN_SECONDS
        manifest = _stat(self.build / MANIFEST_FILE)
        if manifest is None or manifest == self.manifest_seen:
            return False  # not written again since it was last found damaged
        self.manifest_seen = manifest
        if corpus.verify_build(self.build.parent.parent, self.build.name) is not None:
            return False
        index, problem = _open_index(self.build)
        store, store_problem = _open_store(self.build, self.catalog.hash)
        if index is None or store is None:
            for opened in (index, store):
                if opened is not None:
                    opened.close()
            self.index_problem, self.store_problem = problem, store_problem
            return False
        for old in (self.index, self.store):
            if old is not None:
                old.close()
        self.index, self.store = index, store
        self.index_problem = self.store_problem = None
        log.warning("search index and response store of build %s reopened", self.build.name)
        return True


def _stat(path: Path) -> tuple[int, int] | None:
    """(inode, modification time) of ``path``, or None when it is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def _open_store(build: Path, corpus_hash: str) -> tuple[ResponseStore | None, str | None]:
    """The response store of ``build``, or why there is none."""
    try:
        return ResponseStore(build, corpus_hash), None
    except NotReady as exc:
        return None, str(exc)


def _open_index(build: Path) -> tuple[SearchIndex | None, str | None]:
    """The verified index of ``build`` (made for the corpus the build is named after), or
    why there is none."""
    try:
        return SearchIndex.open(build), None
    except SearchError as exc:
        return None, f"search index not loaded: {exc}"
