"""What a search returns: msgspec Structs the API serves as they are."""

from __future__ import annotations

from typing import Literal

import corpus

HitKind = Literal["question", "topic"]


class Highlight(corpus.Base):
    """Escaped HTML snippets; only ``<mark>`` elements are markup.

    ``title`` is the whole title, ``passage`` the best-matching passage of the answer
    (of the concept notes for a topic hit), cut at word boundaries with ``…``.
    """

    title: str
    passage: str


class Hit(corpus.Base):
    """One ranked result: a question, or a topic whose concept notes matched.

    ``topic`` is the question's topic, or for a topic hit its parent topic (``None``
    for a top-level section). ``expanded`` lists the synonyms and other spellings of
    the query's words that this hit matched ("kubernetes" for ``k8s``), so an app can
    say why it was found.
    """

    id: str
    kind: HitKind
    guide: str
    topic: corpus.TopicRef | None
    title: str
    score: float
    highlights: Highlight
    expanded: list[str] = []


class FacetCount(corpus.Base):
    """How many matching documents have this facet value (``title`` is its label)."""

    value: str
    count: int
    title: str = ""


class SearchResult(corpus.Base):
    """One page of ranked hits, with the total and facet counts over every match.

    ``facets`` has the keys ``guide`` and ``topic``; a question counts under its
    topic, a topic hit under itself. ``suggestion`` is a corrected query when some
    words look misspelled ("did you mean").
    """

    query: str
    hits: list[Hit]
    total: int
    limit: int
    offset: int
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None
