"""What one worker serves: the build's corpus and search index, loaded once, and readiness.

A worker whose build is missing, unreadable or inconsistent still starts: ``/healthz``
answers, ``/readyz`` says why it is not ready (503), and so does every resource that
needs the missing part. That way a load balancer sees the problem instead of a crash loop.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

import corpus
from corpus.store import MANIFEST_FILE
from search_index import SearchError, SearchIndex

from .catalog import Catalog
from .config import Settings
from .errors import NotReady
from .responses import Readiness

try:
    VERSION = importlib.metadata.version("prepdeck")
except importlib.metadata.PackageNotFoundError:  # running from a plain checkout
    VERSION = "0+unknown"


@dataclass
class Service:
    """The loaded build of one worker; immutable once loaded."""

    settings: Settings
    build: Path | None = None
    catalog: Catalog | None = None
    index: SearchIndex | None = None
    corpus_problem: str | None = None
    index_problem: str | None = None

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
        try:
            index = SearchIndex.open(build, data)
            if index.hash != data.hash:
                raise NotReady(f"index is of corpus {index.hash}, the corpus is {data.hash}")
            service.index = index
        except (SearchError, NotReady) as exc:
            service.index_problem = f"search index not loaded: {exc}"
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
            raise NotReady(self.index_problem or "search index not loaded")
        return self.index

    def readiness(self) -> Readiness:
        """What is served, checked now (a stat and the index's own check); else ``NotReady``."""
        catalog = self.require_catalog()
        index = self.require_index()
        if self.build is not None and not (self.build / MANIFEST_FILE).is_file():
            raise NotReady(
                f"build {self.build.name} was removed from disk; restart to serve a new one"
            )
        try:
            index.check()
        except SearchError as exc:
            raise NotReady(f"search index unusable: {exc}") from exc
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
