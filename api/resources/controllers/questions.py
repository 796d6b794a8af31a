"""``/v1/questions``: filtered and shuffled lists, one question, and a random draw."""

from __future__ import annotations

import hashlib
import random
import secrets

from litestar import Controller, Response, get

from corpus import Question

from ...errors import NotFound
from ...http.problems import error_responses
from ..catalog import shuffled
from ..pagination import page
from ..params import (
    DEFAULT_PAGE,
    FormatQ,
    GuidePath,
    GuideQ,
    LimitQ,
    OffsetQ,
    OrderQ,
    QuestionPath,
    RedFlagsQ,
    RelatedGuideQ,
    SearchLimitQ,
    SearchOffsetQ,
    SeedQ,
    ServiceDep,
    TagQ,
    TopicQ,
    WithRedFlagQ,
    red_flag_filter,
    strict_red_flags,
)
from ..responses import Page, SearchResult
from .search import with_urls

NO_STORE = {"cache-control": "no-store"}


class QuestionController(Controller):
    path = "/v1/questions"
    tags = ["questions"]

    @get(
        "/",
        operation_id="listQuestions",
        guards=[strict_red_flags],
        summary="List questions",
        responses=error_responses(404),
        sync_to_thread=False,
    )
    def list_questions(
        self,
        service: ServiceDep,
        guide: GuideQ = None,
        topic: TopicQ = None,
        tag: TagQ = None,
        with_red_flag: WithRedFlagQ = None,
        has_red_flags: RedFlagsQ = None,
        order: OrderQ = "guide",
        seed: SeedQ = None,
        format: FormatQ = "markdown",
        limit: LimitQ = DEFAULT_PAGE,
        offset: OffsetQ = 0,
    ) -> Response[Page[Question[str]]]:
        """Questions matching every filter given, complete, with rich text in `format`.

        `order=shuffle&seed=S` walks a reproducible random order page by page (no repeats, no
        server-side session, the same on every server); without a seed the server picks one and
        puts it in the `next` link."""
        cat, store = service.require_catalog(), service.require_store()
        red_flag = red_flag_filter(with_red_flag, has_red_flags)
        questions = cat.select(guide, topic, tag, red_flag)
        headers = {}
        if order == "shuffle":
            if seed is None:
                seed = secrets.token_hex(8)
                headers = NO_STORE
            questions = shuffled(questions, seed)
        params = [
            ("guide", guide),
            ("topic", topic),
            ("tag", tag),
            ("with_red_flag", red_flag),
            ("order", None if order == "guide" else order),
            ("seed", seed if order == "shuffle" else None),
            ("format", None if format == "markdown" else format),
        ]
        return page(
            questions,
            lambda q: store.question(q.id, format),
            "/v1/questions",
            params,
            limit,
            offset,
            headers,
        )

    @get(
        "/random",
        operation_id="randomQuestion",
        guards=[strict_red_flags],
        summary="Draw a random question",
        responses=error_responses(404),
        sync_to_thread=False,
    )
    def random_question(
        self,
        service: ServiceDep,
        guide: GuideQ = None,
        topic: TopicQ = None,
        tag: TagQ = None,
        with_red_flag: WithRedFlagQ = None,
        has_red_flags: RedFlagsQ = None,
        seed: SeedQ = None,
        format: FormatQ = "markdown",
    ) -> Response[Question[str]]:
        """One question drawn at random among those matching the filters ("quiz me").

        With `seed` the draw is reproducible (and cacheable); without one, every request
        draws again. 404 when no question matches the filters."""
        cat, store = service.require_catalog(), service.require_store()
        questions = cat.select(guide, topic, tag, red_flag_filter(with_red_flag, has_red_flags))
        if not questions:
            raise NotFound("no question matches these filters")
        if seed is None:
            chosen = random.choice(questions)
            headers = NO_STORE
        else:
            digest = hashlib.blake2b(seed.encode(), digest_size=8).digest()
            chosen = questions[int.from_bytes(digest, "big") % len(questions)]
            headers = {}
        return Response(store.question(chosen.id, format), headers=headers)  # type: ignore[arg-type]

    @get(
        "/{guide:str}/{slug:str}",
        operation_id="getQuestion",
        summary="Get a question",
        responses=error_responses(404),
        sync_to_thread=False,
    )
    def get_question(
        self,
        service: ServiceDep,
        guide: GuidePath,
        slug: QuestionPath,
        format: FormatQ = "markdown",
    ) -> Question[str]:
        """One question with every part (what it tests, the answer, red flags, follow-ups,
        other labelled parts), rich text in `format`. The question id is `{guide}/{slug}`."""
        found = service.require_catalog().question(guide, slug)
        return service.require_store().question(found.id, format)  # type: ignore[return-value]

    @get(
        "/{guide:str}/{slug:str}/related",
        operation_id="relatedQuestions",
        summary="Questions like this one",
        responses=error_responses(404),
        sync_to_thread=False,
    )
    def related_questions(
        self,
        service: ServiceDep,
        guide: GuidePath,
        slug: QuestionPath,
        in_guide: RelatedGuideQ = None,
        topic: TopicQ = None,
        tag: TagQ = None,
        limit: SearchLimitQ = 10,
        offset: SearchOffsetQ = 0,
    ) -> SearchResult:
        """ "See also": the questions and topics most like this one (more like this over the
        search index: its most telling words, weighted), best first, itself left out. The
        filters, paging and result are those of `/v1/search`; `query` is the question's id.

        Example: `/v1/questions/mercor/how-do-you-handle-database-scaling/related?limit=5`."""
        cat = service.require_catalog()
        question = cat.question(guide, slug)
        index = service.require_index()
        cat.check_filters(in_guide, topic, tag)
        return with_urls(
            index.related(
                question.id, guide=in_guide, topic=topic, tag=tag, limit=limit, offset=offset
            )
        )
