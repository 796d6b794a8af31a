"""``/v1/search``: full-text search with highlights, facets and "did you mean"."""

from __future__ import annotations

import msgspec
from litestar import Controller, get

import search_index

from ...http.problems import error_responses
from ..catalog import question_url, topic_url
from ..params import GuideQ, SearchLimitQ, SearchOffsetQ, SearchQ, ServiceDep, TagQ, TopicQ
from ..responses import Hit, SearchResult


class SearchController(Controller):
    path = "/v1/search"
    tags = ["search"]

    @get(
        "/",
        operation_id="search",
        summary="Search questions and topics",
        responses=error_responses(400, 404),
        sync_to_thread=False,
    )
    def search(
        self,
        service: ServiceDep,
        q: SearchQ,
        guide: GuideQ = None,
        topic: TopicQ = None,
        tag: TagQ = None,
        limit: SearchLimitQ = 10,
        offset: SearchOffsetQ = 0,
    ) -> SearchResult:
        """Questions and topics matching `q`, best first, each with its score and highlighted
        title and passage; facet counts by guide, topic and tag over all matches; and a
        spelling suggestion when the query looks mistyped."""
        index = service.require_index()
        service.require_catalog().check_filters(guide, topic, tag)
        found = index.search(q, guide=guide, topic=topic, tag=tag, limit=limit, offset=offset)
        return with_urls(found)


def with_urls(found: search_index.SearchResult) -> SearchResult:
    """A search index's result as the API serves it: each hit with its URL."""
    hits = [
        Hit(
            **msgspec.structs.asdict(h),
            url=question_url(h.id) if h.kind == "question" else topic_url(h.id),
        )
        for h in found.hits
    ]
    return SearchResult(**{**msgspec.structs.asdict(found), "hits": hits})
