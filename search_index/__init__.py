"""Full-text search over the corpus: a Whoosh index, queries, highlights and facets.

    ARTIFACT                 the ``index`` artifact ``corpus.build`` writes into a build
    SearchIndex.open(...)    a verified index, for ``search()`` and the ``check()`` probe
    SearchResult, Hit, ...   what a search (or ``related()``) returns (msgspec Structs)
    Synonyms                 the glossary plus synonyms.yaml files, applied at query time
    SearchError              base of QueryError (bad query: 4xx), IndexUnavailable (503)
                             and SynonymError (a synonyms file cannot be used)

Only ``corpus`` is imported; the API and the CLI use these names and nothing else.
"""

from pathlib import Path

import Stemmer
import whoosh

from corpus import Artifact, code_digest

from .errors import IndexUnavailable, QueryError, SearchError
from .loading import ARTIFACT_NAME
from .parts import join, part
from .parts import write as write  # used by benchmarks and tests
from .query import MAX_CLAUSES, MAX_QUERY_CHARS
from .results import FacetCount, Highlight, Hit, HitKind, SearchResult
from .searcher import MAX_LIMIT, MAX_OFFSET, RESULTS, SearchIndex
from .synonyms import FILE_NAME as SYNONYMS_FILE
from .synonyms import SynonymError, Synonyms
from .writer import INDEX_VERSION

# Written guide by guide, in the build's pool (an edit rewrites one chunk of the index). It
# follows the code that decides its terms and writes them, and the stemmer and Whoosh
# versions, so a build made by other code is redone.
_INDEXING = ("analysis.py", "documents.py", "writer.py", "segment.py", "parts.py")
ARTIFACT = Artifact(
    name=ARTIFACT_NAME,
    version=f"{INDEX_VERSION}+whoosh{whoosh.versionstring()}+pystemmer{Stemmer.version()}+"
    + code_digest(*(Path(__file__).with_name(n) for n in _INDEXING)),
    companion=SYNONYMS_FILE,  # carried into the build (synonyms.py)
    part=part,
    join=join,
)

__all__ = [
    "ARTIFACT",
    "INDEX_VERSION",
    "MAX_CLAUSES",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_QUERY_CHARS",
    "RESULTS",
    "FacetCount",
    "Highlight",
    "Hit",
    "HitKind",
    "IndexUnavailable",
    "QueryError",
    "SearchError",
    "SearchIndex",
    "SearchResult",
    "SynonymError",
    "Synonyms",
]
