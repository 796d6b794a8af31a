"""How much a guide holds: the counts `prepdeck build` prints and the API serves."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from .model import Base, Diagnostic, Guide, Rich

Count = Annotated[int, Meta(ge=0)]


class GuideStats(Base):
    """How much a guide holds and how complete its questions are."""

    topics: Annotated[Count, Meta(description="Sections and sub-topics.")]
    questions: Annotated[Count, Meta(description="Questions.")]
    with_testing: Annotated[Count, Meta(description='Questions with a "what they test" part.')]
    with_answer: Annotated[Count, Meta(description="Questions with an answer.")]
    with_red_flag: Annotated[Count, Meta(description="Questions with at least one red flag.")]
    with_follow_ups: Annotated[Count, Meta(description="Questions with follow-up questions.")]
    red_flag_count: Annotated[Count, Meta(description="Red flags in all.")]
    follow_up_count: Annotated[Count, Meta(description="Follow-up questions in all.")]
    # The first names of the two counts, kept for /v1 clients (deprecated in OpenAPI): a
    # question's `red_flags` and `follow_ups` are lists, so counts got names of their own.
    red_flags: Annotated[Count, Meta(description="Deprecated: `red_flag_count`.")]
    follow_ups: Annotated[Count, Meta(description="Deprecated: `follow_up_count`.")]


def guide_stats(g: Guide[Rich]) -> GuideStats:
    """The counts of one guide."""
    qs = g.questions
    return GuideStats(
        topics=len(g.topics),
        questions=len(qs),
        with_testing=sum(q.testing is not None for q in qs),
        with_answer=sum(q.answer is not None for q in qs),
        with_red_flag=sum(bool(q.red_flags) for q in qs),
        with_follow_ups=sum(bool(q.follow_ups) for q in qs),
        red_flag_count=(red_flags := sum(len(q.red_flags) for q in qs)),
        follow_up_count=(follow_ups := sum(len(q.follow_ups) for q in qs)),
        red_flags=red_flags,
        follow_ups=follow_ups,
    )


class GuideEntry(Base):
    """A guide as a build lists it (``prepdeck build`` prints these without the corpus)."""

    slug: str
    title: str
    file: str
    stats: GuideStats
    warnings: list[Diagnostic] = []


def guide_entry(g: Guide[Rich]) -> GuideEntry:
    """The entry of one guide."""
    return GuideEntry(
        slug=g.slug, title=g.title, file=g.file, stats=guide_stats(g), warnings=g.warnings
    )
