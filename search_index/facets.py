"""Filters and facet counts: which documents belong to which guide, topic and tag.

Both are set and list look-ups over the documents in index order, prepared once
when an index is opened, so neither touches the index itself.
"""

from __future__ import annotations

import heapq
import operator
from collections import Counter
from collections.abc import Iterable

from .errors import QueryError
from .parts import DocMeta
from .results import FacetCount

FACET_LIMIT = 30  # values per facet, the most frequent first


class Facets:
    """Document numbers by guide, topic (with its sub-topics) and tag."""

    def __init__(
        self,
        docs: Iterable[DocMeta],
        guide_titles: dict[str, str],
        topic_titles: dict[str, str],
    ) -> None:
        self._guides: dict[str, set[int]] = {}
        self._topics: dict[str, set[int]] = {}
        self._tags: dict[str, set[int]] = {}
        for n, doc in enumerate(docs):
            self._guides.setdefault(doc.guide, set()).add(n)
            for t in doc.scopes:
                self._topics.setdefault(t, set()).add(n)
            for tag in doc.tags:
                self._tags.setdefault(tag, set()).add(n)
        self._guide_of = [d.guide for d in docs]
        self._topic_of = [d.facet_topic for d in docs]
        self.guide_titles = guide_titles
        self.topic_titles = topic_titles

    def allowed(self, guide: str | None, topic: str | None, tag: str | None) -> set[int] | None:
        """The documents the filters let through (``None``: no filter).

        An unknown guide or topic is a ``QueryError``; an unknown tag just matches nothing.
        """
        sets = []
        if guide is not None:
            if guide not in self.guide_titles:
                known = ", ".join(self.guide_titles) or "none"
                raise QueryError(f"no guide {guide!r}; guides: {known}")
            sets.append(self._guides.get(guide, set()))
        if topic is not None:
            if topic not in self.topic_titles:
                raise QueryError(f"no topic {topic!r}")
            sets.append(self._topics.get(topic, set()))
        if tag is not None:
            sets.append(self._tags.get(tag, set()))
        return set.intersection(*sets) if sets else None

    def counts(self, matches: Iterable[int]) -> dict[str, list[FacetCount]]:
        """Matches per guide and per topic (a topic hit counts under itself)."""
        matches = list(matches)
        guides = Counter(map(self._guide_of.__getitem__, matches))
        topics = Counter(map(self._topic_of.__getitem__, matches))
        topics.pop(None, None)
        return {
            "guide": _top(guides, self.guide_titles),
            "topic": _top(topics, self.topic_titles),
        }


def _top(counter: Counter, titles: dict[str, str]) -> list[FacetCount]:
    """The ``FACET_LIMIT`` most frequent values, ties by value: ``(-count, value)`` pairs
    compared in C (a query over many guides counts thousands of topics)."""
    pairs = zip(map(operator.neg, counter.values()), counter, strict=True)
    top = heapq.nsmallest(FACET_LIMIT, pairs)
    return [FacetCount(value=v, count=-n, title=titles.get(v, "")) for n, v in top]
