"""``/v1/topics``: topics (sections and sub-topics) with their concept notes."""

from __future__ import annotations

from litestar import Controller, Response, get

from corpus import Topic

from ...http.problems import error_responses
from ..catalog import topic_url
from ..pagination import page
from ..params import (
    DEFAULT_PAGE,
    FormatQ,
    GuidePath,
    GuideQ,
    LimitQ,
    OffsetQ,
    ServiceDep,
    TopicPath,
)
from ..responses import Page, TopicDetail


class TopicController(Controller):
    path = "/v1/topics"
    tags = ["topics"]

    @get(
        "/",
        operation_id="listTopics",
        summary="List topics",
        responses=error_responses(404),
        sync_to_thread=False,
    )
    def list_topics(
        self,
        service: ServiceDep,
        guide: GuideQ = None,
        format: FormatQ = "markdown",
        limit: LimitQ = DEFAULT_PAGE,
        offset: OffsetQ = 0,
    ) -> Response[Page[Topic[str]]]:
        """Topics in guide order (a section, then its sub-topics), each with its concept notes
        in `format`, its parent, its sub-topics and the ids of the questions written under it."""
        cat, store = service.require_catalog(), service.require_store()
        topics = cat.topics_of(guide)
        params = [("guide", guide), ("format", None if format == "markdown" else format)]
        return page(
            topics,
            lambda t: store.topic(t.guide, t.id, format),
            "/v1/topics",
            params,
            limit,
            offset,
        )

    @get(
        "/{guide:str}/{topic:str}",
        operation_id="getTopic",
        summary="Get a topic",
        responses=error_responses(404),
        sync_to_thread=False,
    )
    def get_topic(
        self, service: ServiceDep, guide: GuidePath, topic: TopicPath, format: FormatQ = "markdown"
    ) -> TopicDetail:
        """One topic: its concept notes in `format`, its enclosing topics, and a summary of
        every question under it or under its sub-topics. The topic id is `{guide}/{topic}`."""
        found = service.require_catalog().topic(guide, topic)
        return service.require_store().body(topic_url(found.id), format)  # type: ignore[return-value]
