"""Example responses for the OpenAPI document, built from the real Structs.

Built as Structs (not JSON literals), so an example that no longer fits its model fails
at import; values are abridged from the embedded guide. ``RESPONSES`` maps an
operation id to the example of its 200 response.
"""

from __future__ import annotations

import msgspec

from corpus import Guide, GuideStats, Question, Source, Topic, TopicRef
from search_index import FacetCount, Highlight

from ..http.problems import problem_type
from ..resources.controllers.index import INDEX
from ..resources.responses import (
    BulkCorpus,
    GuideDetail,
    GuideLine,
    GuideSummary,
    Health,
    Hit,
    Page,
    QuestionLine,
    QuestionSummary,
    Readiness,
    SearchResult,
    TopicDetail,
    TopicNode,
)

HASH = "3f1c9e2a7b6d4e5f8a9b0c1d2e3f4a5b"
SECTION = TopicRef(id="mercor/database-design-architecture", title="Database Design & Architecture")
TOPIC_REF = TopicRef(id="mercor/core-design-principles", title="Core Design Principles")

QUESTION = Question[str](
    id="mercor/how-do-you-handle-database-scaling",
    guide="mercor",
    topic=TOPIC_REF,
    title="How do you handle database scaling?",
    source=Source(file="mercor.md", line=20),
    testing="Whether you understand that scaling is not a single decision but a progression "
    "of strategies, each with different complexity and failure modes.",
    answer="The way I think about database scaling is as a ladder — you climb one rung at a "
    "time, and each rung introduces new complexity.\n\n- **Vertical Scaling (Scale Up):** "
    "Increase CPU/RAM/IOPS on the existing server.\n- **Read Replicas:** Distribute `SELECT` "
    "queries to replicas.",
    red_flags=["Jumping straight to “we should shard” without discussing simpler options first."],
    follow_ups=[
        "You mentioned replication lag with read replicas. How would you handle a user who "
        "immediately sees stale data?",
        "What shard key would you choose for a multi-tenant SaaS application?",
    ],
    tags=["core-design-principles", "database-design-architecture"],
)
TOPIC = Topic[str](
    id=TOPIC_REF.id,
    guide="mercor",
    title=TOPIC_REF.title,
    level=3,
    source=Source(file="mercor.md", line=10),
    parent=SECTION.id,
    questions=[QUESTION.id],
    notes="When designing database architecture for user flows, consider:\n\n1. **Data Flow "
    "Mapping:** Map user actions to CRUD operations and plan transaction boundaries.",
)
SUMMARY = GuideSummary(
    slug="mercor",
    title="Mercor Interview Preparation Guide",
    description="This guide is specifically curated for Software Engineer / Developer "
    "positions at Mercor.",
    file="mercor.md",
    tags=[],
    topic_count=16,
    question_count=17,
    url="/v1/guides/mercor",
)
QUESTION_SUMMARY = QuestionSummary(
    id=QUESTION.id,
    guide="mercor",
    topic=TOPIC_REF,
    title=QUESTION.title,
    tags=QUESTION.tags,
    red_flag_count=1,
    follow_up_count=3,
    url=f"/v1/questions/{QUESTION.id}",
    red_flags=1,
    follow_ups=3,
)
NODE = TopicNode(
    id=SECTION.id,
    title=SECTION.title,
    level=2,
    question_count=0,
    total_question_count=3,
    url=f"/v1/topics/{SECTION.id}",
    children=[
        TopicNode(
            id=TOPIC.id,
            title=TOPIC.title,
            level=3,
            question_count=3,
            total_question_count=3,
            url=f"/v1/topics/{TOPIC.id}",
            children=[],
        )
    ],
)
GUIDE_DETAIL = GuideDetail(
    **msgspec.structs.asdict(SUMMARY),
    intro="This guide is specifically curated for Software Engineer / Developer positions at "
    "Mercor.",
    stats=GuideStats(
        topics=16,
        questions=17,
        with_testing=17,
        with_answer=17,
        with_red_flag=17,
        with_follow_ups=17,
        red_flag_count=17,
        follow_up_count=51,
        red_flags=17,
        follow_ups=51,
    ),
    topics=[NODE],
    warnings=[],
)
SEARCH = SearchResult(
    query="database sharding",
    hits=[
        Hit(
            id=QUESTION.id,
            kind="question",
            guide="mercor",
            topic=TOPIC_REF,
            title=QUESTION.title,
            score=12.5,
            highlights=Highlight(
                title="How do you handle <mark>database</mark> scaling?",
                passage="…<mark>Sharding</mark> (Horizontal Partitioning): Split data across "
                "multiple <mark>database</mark> instances by a shard key…",
            ),
            url=f"/v1/questions/{QUESTION.id}",
        )
    ],
    total=1,
    limit=10,
    offset=0,
    facets={
        "guide": [FacetCount(value="mercor", count=1, title=SUMMARY.title)],
        "topic": [FacetCount(value=TOPIC_REF.id, count=1, title=TOPIC_REF.title)],
    },
    suggestion=None,
)
RELATED = SearchResult(
    query=QUESTION.id,
    hits=[
        Hit(
            id="mercor/how-do-you-choose-between-a-relational-database-and-a-nosql-database",
            kind="question",
            guide="mercor",
            topic=TOPIC_REF,
            title="How do you choose between a relational database and a NoSQL database?",
            score=3.4,
            highlights=Highlight(
                title="How do you choose between a relational <mark>database</mark> and a "
                "<mark>NoSQL</mark> database?",
                passage="…Choose relational (PostgreSQL, MySQL) when your data has well-defined "
                "relationships and you need <mark>joins</mark>…",
            ),
            url="/v1/questions/mercor/how-do-you-choose-between-a-relational-database-and-a-nosql-database",
        )
    ],
    total=1,
    limit=10,
    offset=0,
    facets=SEARCH.facets,
)
BULK = BulkCorpus(
    hash=HASH,
    parser_version="1",
    format="markdown",
    guides=[
        Guide[str](
            slug="mercor",
            title=SUMMARY.title,
            file="mercor.md",
            description=SUMMARY.description,
            topics=[TOPIC],
            questions=[QUESTION],
        )
    ],
)
NDJSON = b"".join(
    msgspec.json.encode(line) + b"\n"
    for line in (GuideLine(guide=SUMMARY), QuestionLine(question=QUESTION))
).decode()


def _page(items: list, total: int, path: str) -> Page:
    return Page(items=items, total=total, limit=1, offset=0, next=f"{path}?limit=1&offset=1")


RESPONSES: dict[str, object] = {
    "getIndex": INDEX,
    "listProblemTypes": [problem_type("not_found"), problem_type("invalid_parameter")],
    "getProblemType": problem_type("not_found"),
    "listGuides": _page([SUMMARY], 1, "/v1/guides"),
    "getGuide": GUIDE_DETAIL,
    "listTopics": _page([TOPIC], 16, "/v1/topics"),
    "getTopic": TopicDetail(topic=TOPIC, breadcrumbs=[SECTION], questions=[QUESTION_SUMMARY]),
    "listQuestions": _page([QUESTION], 17, "/v1/questions"),
    "randomQuestion": QUESTION,
    "getQuestion": QUESTION,
    "search": SEARCH,
    "relatedQuestions": RELATED,
    "bulkJson": BULK,
    "guideBulkJson": BULK,
    "bulkNdjson": NDJSON,
    "guideBulkNdjson": NDJSON,
    "downloadDeck": "(an Anki package: a zip file of the deck's notes and media)",
    "healthz": Health(status="ok"),
    "readyz": Readiness(
        status="ready",
        version="0.1.0",
        hash=HASH,
        parser_version="1",
        index_hash=HASH,
        guides=1,
        topics=16,
        questions=17,
    ),
}
