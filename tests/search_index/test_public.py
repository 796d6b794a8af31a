"""The public names and shapes the API codes against."""

from __future__ import annotations

import msgspec

import search_index
from search_index import FacetCount, Highlight, Hit, SearchResult


def test_public_names():
    assert set(search_index.__all__) == {
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
    }
    assert issubclass(search_index.QueryError, search_index.SearchError)
    assert issubclass(search_index.SynonymError, search_index.SearchError)
    assert issubclass(search_index.IndexUnavailable, search_index.SearchError)
    assert search_index.MAX_LIMIT == 100
    assert search_index.ARTIFACT.name == "index"


def test_result_shapes():
    def names(cls):
        return [f.name for f in msgspec.structs.fields(cls)]

    assert names(Highlight) == ["title", "passage"]
    assert names(Hit) == [
        *("id", "kind", "guide", "topic", "title", "score", "highlights", "expanded")
    ]
    assert names(FacetCount) == ["value", "count", "title"]
    assert names(SearchResult) == [
        "query",
        "hits",
        "total",
        "limit",
        "offset",
        "facets",
        "suggestion",
    ]
