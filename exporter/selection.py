"""Which questions an export holds: guides, topics (with their sub-topics) and tags.

Filters of one kind are alternatives (``--tag a --tag b``: either tag); filters of
different kinds must all hold. Everything is checked before any work is done, so a typo
is one clear error rather than an empty deck.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import corpus

from .errors import EmptySelection, UnknownSelection

_MAX_LISTED = 8


@dataclass(frozen=True)
class Selected:
    """One guide of the export and its chosen questions, in guide order."""

    guide: corpus.Guide[corpus.Rich]
    questions: list[corpus.Question[corpus.Rich]]


def select(
    data: corpus.Corpus,
    guides: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
) -> list[Selected]:
    """The guides and questions the filters choose; ``UnknownSelection`` on a bad filter."""
    chosen = _guides(data, guides or ())
    topic_ids = _topics(chosen, topics or ())
    if topics:  # a topic names its guide: only those guides get a deck tree
        owners = {tid.split("/", 1)[0] for tid in topic_ids}
        chosen = [g for g in chosen if g.slug in owners]
    wanted_tags = _tags(chosen, tags or ())
    out = []
    for g in chosen:
        qs = [
            q
            for q in g.questions
            if (not topic_ids or q.topic.id in topic_ids)
            and (not wanted_tags or not wanted_tags.isdisjoint(q.tags))
        ]
        if qs:
            out.append(Selected(g, qs))
    if not out:
        raise EmptySelection(f"no question matches {_describe(guides, topics, tags)}")
    return out


def _guides(data: corpus.Corpus, slugs: Sequence[str]) -> list[corpus.Guide[corpus.Rich]]:
    by_slug = {g.slug: g for g in data.guides}
    for slug in slugs:
        if slug not in by_slug:
            raise UnknownSelection(f'unknown guide "{slug}"; guides: {_listing(by_slug)}')
    wanted = set(slugs)
    return [g for g in data.guides if not wanted or g.slug in wanted]


def _topics(guides: list[corpus.Guide[corpus.Rich]], specs: Sequence[str]) -> set[str]:
    """Ids of the named topics and all their sub-topics.

    A topic is named by its id (``mercor/caching``) or, within the chosen guides, by the
    part after the guide (``caching``).
    """
    if not specs:
        return set()
    by_id = {t.id: t for g in guides for t in g.topics}
    found: set[str] = set()
    for spec in specs:
        matches = [spec] if spec in by_id else [f"{g.slug}/{spec}" for g in guides]
        matches = [m for m in matches if m in by_id]
        if not matches:
            scope = ", ".join(g.slug for g in guides[:_MAX_LISTED])
            raise UnknownSelection(f'unknown topic "{spec}" in guide(s) {scope}')
        stack = list(matches)
        while stack:  # the topic and its sub-topics, however deep
            tid = stack.pop()
            if tid not in found:
                found.add(tid)
                stack.extend(by_id[tid].children)
    return found


def _tags(guides: list[corpus.Guide[corpus.Rich]], tags: Sequence[str]) -> frozenset[str]:
    wanted = frozenset(t.strip().lower() for t in tags if t.strip())
    if wanted:
        known = {t for g in guides for q in g.questions for t in q.tags}
        for tag in sorted(wanted - known):
            raise UnknownSelection(f'unknown tag "{tag}"; no question has it')
    return wanted


def _listing(names: Sequence[str] | dict[str, object]) -> str:
    names = list(names)
    more = len(names) - _MAX_LISTED
    return ", ".join(names[:_MAX_LISTED]) + (f", ... ({more} more)" if more > 0 else "")


def _describe(
    guides: Sequence[str] | None, topics: Sequence[str] | None, tags: Sequence[str] | None
) -> str:
    parts = [
        f"{kind} {' or '.join(repr(v) for v in values)}"
        for kind, values in (("guide", guides), ("topic", topics), ("tag", tags))
        if values
    ]
    return ", ".join(parts) if parts else "the corpus (it has no questions)"
