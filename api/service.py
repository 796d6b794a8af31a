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
import time
from dataclasses import dataclass, field
from pathlib import Path

import corpus
from corpus.store import MANIFEST_FILE
from search_index import SearchError, SearchIndex

from .config import Settings
from .errors import NotReady
from .resources.catalog import Catalog
from .resources.responses import Readiness

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
    corpus_problem: str | None = None
    index_problem: str | None = None
    reopen_at: float = field(default=0.0, repr=False)  # monotonic time of the next attempt

    @classmethod
    def load(cls, settings: Settings) -> Service:
        """Load ``settings.build`` (default: the current build of ``$PREPDECK_HOME``)."""
        service = cls(settings)
        try:
            if settings.build is not None:
                build = settings.build.resolve()
                data = corpus.load_corpus(build.parent.parent, build.name)
            else:
                out = corpus.default_out()
                data = corpus.load_corpus(out)
                build = out / "builds" / data.hash
        except corpus.CorpusError as exc:
            service.corpus_problem = f"corpus not loaded: {exc}"
            return service
        service.build = build
        service.catalog = Catalog(data)
        service.index, service.index_problem = _open_index(build, data)
        return service

    def close(self) -> None:
        """Release the search index's files (at shutdown)."""
        if self.index is not None:
            self.index.close()

    @property
    def output_root(self) -> Path | None:
        """The output folder holding ``builds/`` (and ``cache/``)."""
        return None if self.build is None else self.build.parent.parent

    def require_catalog(self) -> Catalog:
        """The catalog, or ``NotReady`` saying why there is none."""
        if self.catalog is None:
            raise NotReady(self.corpus_problem or "corpus not loaded")
        return self.catalog

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
        except NotReady:
            if not self.reopen_index():
                raise
            index = self._checked_index()
        return Readiness(
            status="ready",
            version=VERSION,
            hash=catalog.hash,
            parser_version=catalog.corpus.parser_version,
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

    def reopen_index(self) -> bool:
        """Open the build's index again (at most once a second); whether one is served now.

        Only the build this worker serves is reopened, and only once it is complete again:
        its hash names its content, so the repaired index answers exactly as the old one.
        Everything that uses the index runs on the event loop, as this does, so the old
        one is closed with no search in the middle of reading it.
        """
        now = time.monotonic()
        if self.catalog is None or self.build is None or now < self.reopen_at:
            return False
        self.reopen_at = now + REOPEN_SECONDS
        if not (self.build / MANIFEST_FILE).is_file():
            return False
        index, problem = _open_index(self.build, self.catalog.corpus)
        if index is None:
            self.index_problem = problem
            return False
        old, self.index, self.index_problem = self.index, index, None
        if old is not None:
            old.close()
        log.warning("search index of build %s reopened from disk", self.build.name)
        return True


def _open_index(build: Path, data: corpus.Corpus) -> tuple[SearchIndex | None, str | None]:
    """The verified index of ``build`` for ``data``, or why there is none."""
    try:
        index = SearchIndex.open(build, data)
    except SearchError as exc:
        return None, f"search index not loaded: {exc}"
    if index.hash != data.hash:
        index.close()
        return None, f"search index not loaded: index is of corpus {index.hash}, not {data.hash}"
    return index, None
