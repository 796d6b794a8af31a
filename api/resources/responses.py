"""Response bodies that are not corpus Structs themselves: list envelopes, summaries, health.

Questions, topics and guides are returned as the corpus Structs parametrised with ``str``
(``corpus.question_view`` and friends); these Structs only wrap, count or link them.
"""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from msgspec import Meta

import search_index
from corpus import Base, Diagnostic, Format, Guide, GuideStats, Question, Topic, TopicRef

T = TypeVar("T")

Url = Annotated[
    str,
    Meta(
        description="Path of this resource in the API, relative to the server root.",
        examples=["/v1/questions/mercor/how-do-you-handle-database-scaling"],
    ),
]
Count = Annotated[int, Meta(ge=0)]


class Page(Base, Generic[T]):
    """One page of a list: the items and where to find the rest."""

    items: Annotated[list[T], Meta(description="The items of this page, in list order.")]
    total: Annotated[Count, Meta(description="Items in the whole list, over all pages.")]
    limit: Annotated[int, Meta(description="The page size asked for.", examples=[20])]
    offset: Annotated[Count, Meta(description="Index of this page's first item in the list.")]
    next: Annotated[
        str | None,
        Meta(
            description="Relative URL of the next page with the same parameters; "
            "null on the last page.",
            examples=["/v1/questions?limit=20&offset=20"],
        ),
    ]


class GuideSummary(Base):
    """A guide as lists show it: its metadata and how much it holds."""

    slug: Annotated[str, Meta(description="The guide's identifier.", examples=["mercor"])]
    title: Annotated[str, Meta(description="The guide's title.")]
    description: Annotated[str, Meta(description="One-paragraph description; may be empty.")]
    file: Annotated[str, Meta(description="Source file name, relative to its guides folder.")]
    tags: Annotated[list[str], Meta(description="Tags from the guide's front matter.")]
    topic_count: Annotated[Count, Meta(description="Topics and sub-topics in the guide.")]
    question_count: Annotated[Count, Meta(description="Questions in the guide.")]
    url: Url


class TopicNode(Base):
    """A topic in a guide's topic tree, with its sub-topics nested."""

    id: Annotated[str, Meta(description="The topic's id.")]
    title: Annotated[str, Meta(description="The topic's heading.")]
    level: Annotated[int, Meta(description="Heading level in the guide (2 for a section).")]
    question_count: Annotated[Count, Meta(description="Questions written directly under it.")]
    total_question_count: Annotated[
        Count, Meta(description="Questions under it and under all its sub-topics.")
    ]
    url: Url
    children: Annotated[list[TopicNode], Meta(description="Its direct sub-topics, in order.")]


class GuideDetail(GuideSummary):
    """One guide with its introduction, its topic tree and its counts."""

    intro: Annotated[
        str | None, Meta(description="Text before the first topic, in the requested format.")
    ]
    stats: Annotated[
        GuideStats, Meta(description="How much the guide holds and how complete its questions are.")
    ]
    topics: Annotated[list[TopicNode], Meta(description="Top-level topics, sub-topics nested.")]
    warnings: Annotated[
        list[Diagnostic], Meta(description="Problems found in the guide while parsing it.")
    ]


class QuestionSummary(Base):
    """A question as a topic lists it: enough to show a link."""

    id: Annotated[str, Meta(description="The question's id, `{guide}/{slug}`.")]
    guide: Annotated[str, Meta(description="Slug of its guide.")]
    topic: Annotated[TopicRef, Meta(description="The topic it is written under.")]
    title: Annotated[str, Meta(description="The question itself.")]
    tags: Annotated[list[str], Meta(description="Its tags.")]
    red_flag_count: Annotated[Count, Meta(description="How many red flags it lists.")]
    follow_up_count: Annotated[Count, Meta(description="How many follow-up questions it lists.")]
    url: Url
    # Deprecated names of the counts (a question's `red_flags` and `follow_ups` are lists).
    red_flags: Annotated[Count, Meta(description="Deprecated: `red_flag_count`.")]
    follow_ups: Annotated[Count, Meta(description="Deprecated: `follow_up_count`.")]


class TopicDetail(Base):
    """One topic with its concept notes, where it sits, and its questions."""

    topic: Annotated[Topic[str], Meta(description="The topic; `notes` in the requested format.")]
    breadcrumbs: Annotated[
        list[TopicRef], Meta(description="Its enclosing topics, outermost first.")
    ]
    questions: Annotated[
        list[QuestionSummary],
        Meta(description="Questions under the topic and its sub-topics, in guide order."),
    ]


class Health(Base):
    """Liveness: the process answers."""

    status: Annotated[Literal["ok"], Meta(description="Always `ok`.")]


class Readiness(Base):
    """Readiness: the corpus and the search index are loaded and consistent."""

    status: Annotated[
        Literal["ready"], Meta(description="Always `ready` (else the answer is a 503 problem).")
    ]
    version: Annotated[str, Meta(description="prepdeck's version.", examples=["0.1.0"])]
    hash: Annotated[str, Meta(description="Content hash of the build being served.")]
    parser_version: Annotated[str, Meta(description="Version of the parser that built it.")]
    index_hash: Annotated[str, Meta(description="Corpus hash the search index was built from.")]
    guides: Annotated[Count, Meta(description="Guides loaded.")]
    topics: Annotated[Count, Meta(description="Topics loaded.")]
    questions: Annotated[Count, Meta(description="Questions loaded.")]


class BulkCorpus(Base):
    """The whole corpus (or one guide) in one document, for an offline copy."""

    hash: Annotated[str, Meta(description="Content hash of the build; changes with any guide.")]
    parser_version: Annotated[str, Meta(description="Version of the parser that built it.")]
    format: Annotated[Format, Meta(description="Representation of every rich-text field.")]
    guides: Annotated[list[Guide[str]], Meta(description="Every guide, complete.")]


class GuideLine(Base, tag="guide", tag_field="kind"):
    """NDJSON line opening a guide; its topics and questions follow."""

    guide: Annotated[GuideSummary, Meta(description="The guide.")]


class TopicLine(Base, tag="topic", tag_field="kind"):
    """NDJSON line holding one topic."""

    topic: Annotated[Topic[str], Meta(description="The topic.")]


class QuestionLine(Base, tag="question", tag_field="kind"):
    """NDJSON line holding one question."""

    question: Annotated[Question[str], Meta(description="The question.")]


BulkLine = GuideLine | TopicLine | QuestionLine


class ResourceLink(Base):
    """Where a resource of the API is, and what it holds."""

    name: Annotated[str, Meta(description="The resource's name.", examples=["questions"])]
    url: Annotated[
        str,
        Meta(
            description="Its path; `{...}` parts are filled in (an RFC 6570 URI template).",
            examples=["/v1/questions"],
        ),
    ]
    description: Annotated[str, Meta(description="What it holds.")]


class ApiIndex(Base):
    """The entry point of the API: its resources and where it is documented."""

    version: Annotated[str, Meta(description="prepdeck's version.", examples=["0.1.0"])]
    resources: Annotated[list[ResourceLink], Meta(description="Every resource, by name.")]
    docs: Annotated[str, Meta(description="The docs page.", examples=["/schema"])]
    openapi: Annotated[
        str, Meta(description="The OpenAPI document.", examples=["/schema/openapi.json"])
    ]
    problems: Annotated[
        str, Meta(description="What each kind of error means.", examples=["/problems"])
    ]


class Hit(search_index.Hit, kw_only=True):
    """One ranked search result, with the URL of the question or topic it found."""

    url: Url


class SearchResult(search_index.SearchResult):
    """One page of ranked hits (each with its URL), the total and facet counts."""

    hits: Annotated[list[Hit], Meta(description="This page of matches, best first.")]
