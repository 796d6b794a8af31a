"""What a worker keeps of a build to list, filter and look things up: a small index.

Each guide is kept as a ``GuideIndex`` (its summary, its topics without their notes and
its questions as summaries), made at build time by ``guide_index`` and read by a worker
at start-up from the response store (``api.store``), which also holds every rich body.
So a worker's memory and start-up grow with the number of questions, not the corpus's
text. The build-time views of a guide and a topic (``guide_detail``, ``topic_detail``)
use this same index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from msgspec.structs import replace

import corpus
from corpus import Format, Guide, Question, Rich, Topic, TopicRef

from ..errors import NotFound
from .responses import (
    GuideDetail,
    GuideLine,
    GuideSummary,
    QuestionLine,
    QuestionSummary,
    TopicDetail,
    TopicLine,
    TopicNode,
)


class GuideIndex(corpus.Base):
    """What a worker keeps of a guide: no rich text, only what lists and filters need."""

    slug: str
    title: str
    description: str
    file: str
    tags: list[str]
    topics: list[Topic[str]]  # without their notes
    questions: list[QuestionSummary]


def guide_index(g: Guide[Rich]) -> GuideIndex:
    """The index of a guide (at build time)."""
    return GuideIndex(
        slug=g.slug,
        title=g.title,
        description=g.description,
        file=g.file,
        tags=g.tags,
        topics=[replace(corpus.topic_view(t, "text"), notes=None) for t in g.topics],
        questions=[question_summary(q) for q in g.questions],
    )


def question_summary(q: Question[Rich]) -> QuestionSummary:
    """A question as a topic lists it."""
    return QuestionSummary(
        id=q.id,
        guide=q.guide,
        topic=q.topic,
        title=q.title,
        tags=q.tags,
        red_flag_count=len(q.red_flags),
        follow_up_count=len(q.follow_ups),
        url=question_url(q.id),
        red_flags=len(q.red_flags),
        follow_ups=len(q.follow_ups),
    )


API_PREFIX = "/v1"


def guide_url(slug: str) -> str:
    return f"{API_PREFIX}/guides/{slug}"


def topic_url(topic_id: str) -> str:
    return f"{API_PREFIX}/topics/{topic_id}"


def question_url(question_id: str) -> str:
    return f"{API_PREFIX}/questions/{question_id}"


def _known(names: Iterable[str], limit: int = 8) -> str:
    """A few of ``names``, for an error that says what would have been valid."""
    listed = list(names)
    shown = ", ".join(listed[:limit])
    return shown + (f" and {len(listed) - limit} more" if len(listed) > limit else "")


class Catalog:
    """Look-ups and filters over the indexes of a build's guides."""

    def __init__(self, guides: list[GuideIndex], digest: str, parser_version: str) -> None:
        self.hash = digest
        self.parser_version = parser_version
        self.guides: dict[str, GuideIndex] = {g.slug: g for g in guides}
        self.topics: dict[str, Topic[str]] = {t.id: t for g in guides for t in g.topics}
        self.questions: dict[str, QuestionSummary] = {q.id: q for g in guides for q in g.questions}
        self.all_questions = list(self.questions.values())
        # Tags a filter may name: those of the guide's questions (a deck's), and of any.
        self.guide_tags: dict[str, frozenset[str]] = {
            g.slug: frozenset(t for q in g.questions for t in q.tags) for g in guides
        }
        self.tags: frozenset[str] = frozenset().union(*self.guide_tags.values())
        self.all_topics = list(self.topics.values())
        # A topic's sub-tree (itself and every descendant): the "topic" filter covers it.
        self.subtree: dict[str, frozenset[str]] = {}
        for t in reversed(self.all_topics):  # children come after their parent
            ids = {t.id}
            for child in t.children:
                ids |= self.subtree.get(child, frozenset())
            self.subtree[t.id] = frozenset(ids)
        self.subtree_questions = {
            tid: sum(len(self.topics[i].questions) for i in ids if i in self.topics)
            for tid, ids in self.subtree.items()
        }

    # -- look-ups of what a path names (404) and what a filter names (422) ---------------

    def guide(self, slug: str) -> GuideIndex:
        """The guide ``slug``, or ``NotFound``."""
        try:
            return self.guides[slug]
        except KeyError:
            raise NotFound(f"there is no guide {slug!r}; guides: {_known(self.guides)}") from None

    def topic(self, guide: str, slug: str) -> Topic[str]:
        """The topic ``guide/slug``, or ``NotFound``."""
        self.guide(guide)
        try:
            return self.topics[f"{guide}/{slug}"]
        except KeyError:
            raise NotFound(
                f"guide {guide!r} has no topic {slug!r}; see {guide_url(guide)} for its topics"
            ) from None

    def question(self, guide: str, slug: str) -> QuestionSummary:
        """The question ``guide/slug``, or ``NotFound``."""
        self.guide(guide)
        try:
            return self.questions[f"{guide}/{slug}"]
        except KeyError:
            raise NotFound(
                f"guide {guide!r} has no question {slug!r}; "
                f"list them at {API_PREFIX}/questions?guide={guide}"
            ) from None

    def check_filters(self, guide: str | None, topic: str | None, tag: str | None = None) -> None:
        """``NotFound`` when a ``guide``, ``topic`` or ``tag`` filter names nothing that exists."""
        if guide is not None and guide not in self.guides:
            raise NotFound(
                f"guide {guide!r} does not exist; guides: {_known(self.guides)}", "guide"
            )
        if topic is not None and topic not in self.topics:
            raise NotFound(
                f"topic {topic!r} does not exist; topic ids look like "
                f"'{next(iter(self.topics), 'guide/topic')}' (see {API_PREFIX}/topics)",
                "topic",
            )
        if tag is not None and tag not in self.tags:
            raise NotFound(f"no question has the tag {tag!r}; tags: {self.known_tags()}", "tag")

    def check_tags(self, guide: str, tags: Iterable[str]) -> None:
        """``NotFound`` when one of ``tags`` is on none of the questions of ``guide``."""
        for tag in tags:
            if tag not in self.guide_tags[guide]:
                raise NotFound(
                    f"no question of guide {guide!r} has the tag {tag!r}; "
                    f"tags: {self.known_tags(guide)}",
                    "tag",
                )

    def known_tags(self, guide: str | None = None) -> str:
        """A few tags (of ``guide``, or of any), for an error saying what would be valid."""
        return _known(sorted(self.tags if guide is None else self.guide_tags[guide]))

    def select(
        self,
        guide: str | None = None,
        topic: str | None = None,
        tag: str | None = None,
        with_red_flag: bool | None = None,
    ) -> list[QuestionSummary]:
        """The questions matching every given filter, in guide order."""
        self.check_filters(guide, topic, tag)
        topics = self.subtree[topic] if topic is not None else None
        return [
            q
            for q in self.all_questions
            if (guide is None or q.guide == guide)
            and (topics is None or q.topic.id in topics)
            and (tag is None or tag in q.tags)
            and (with_red_flag is None or bool(q.red_flag_count) == with_red_flag)
        ]

    def topics_of(self, guide: str | None) -> list[Topic[str]]:
        """Every topic, or those of one guide, in guide order."""
        self.check_filters(guide, None)
        if guide is None:
            return self.all_topics
        return self.guides[guide].topics

    # -- views ----------------------------------------------------------------------------

    def guide_summary(self, g: GuideIndex) -> GuideSummary:
        """A guide as the guide list shows it."""
        return GuideSummary(
            slug=g.slug,
            title=g.title,
            description=g.description,
            file=g.file,
            tags=g.tags,
            topic_count=len(g.topics),
            question_count=len(g.questions),
            url=guide_url(g.slug),
        )

    # -- views made at build time, from the whole guide (``api.store``) -----------------

    def guide_detail(self, g: Guide[Rich], fmt: Format) -> GuideDetail:
        """A guide with its topic tree and counts, rich text in ``fmt``."""
        summary = self.guide_summary(self.guides[g.slug])
        return GuideDetail(
            **{f: getattr(summary, f) for f in GuideSummary.__struct_fields__},
            intro=None if g.intro is None else g.intro.as_format(fmt),
            stats=corpus.guide_stats(g),
            topics=[self._node(t) for t in self.guides[g.slug].topics if t.parent is None],
            warnings=g.warnings,
        )

    def _node(self, t: Topic[str]) -> TopicNode:
        return TopicNode(
            id=t.id,
            title=t.title,
            level=t.level,
            question_count=len(t.questions),
            total_question_count=self.subtree_questions[t.id],
            url=topic_url(t.id),
            children=[self._node(self.topics[c]) for c in t.children if c in self.topics],
        )

    def topic_detail(self, t: Topic[Rich], fmt: Format) -> TopicDetail:
        """A topic with its notes in ``fmt``, its breadcrumbs and its questions' summaries."""
        crumbs: list[TopicRef] = []
        parent = t.parent
        while parent is not None and parent in self.topics:
            p = self.topics[parent]
            crumbs.append(TopicRef(id=p.id, title=p.title))
            parent = p.parent
        crumbs.reverse()
        inside = self.subtree[t.id]
        return TopicDetail(
            topic=corpus.topic_view(t, fmt),
            breadcrumbs=crumbs,
            questions=[q for q in self.guides[t.guide].questions if q.topic.id in inside],
        )

    def bulk_lines(
        self, guides: list[Guide[Rich]], fmt: Format
    ) -> Iterator[GuideLine | TopicLine | QuestionLine]:
        """The NDJSON records of ``guides``: each guide, then its topics, then its questions."""
        for g in guides:
            yield GuideLine(guide=self.guide_summary(self.guides[g.slug]))
            for t in g.topics:
                yield TopicLine(topic=corpus.topic_view(t, fmt))
            for q in g.questions:
                yield QuestionLine(question=corpus.question_view(q, fmt))


def shuffled(questions: list[QuestionSummary], seed: str) -> list[QuestionSummary]:
    """``questions`` in a pseudo-random order fixed by ``seed``.

    Each question's place depends only on the seed and its own id, so the order is the same
    on every replica and for every page, and unrelated corpus changes do not reshuffle it.
    """
    prefix = seed.encode() + b"\0"

    def key(q: QuestionSummary) -> bytes:
        return hashlib.blake2b(prefix + q.id.encode(), digest_size=8).digest()

    return sorted(questions, key=key)
