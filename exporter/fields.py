"""A question as note content: the HTML of each field, and the note's tags.

HTML comes from the corpus renderer and is already safe (no raw HTML, JSX or scripts from
the guide). Only fragments that hold code are rendered again, from their Markdown, with
Pygments highlighting (and remembered, see ``highlighted``); everything else is used as
the corpus rendered it.
"""

from __future__ import annotations

import html
from collections.abc import Collection
from functools import lru_cache

import corpus

from .highlight import highlight
from .notetype import (
    ANSWER,
    EXTRA,
    FIELDS,
    FOLLOW_UPS,
    GUIDE,
    ID,
    KIND_FIELDS,
    QUESTION,
    RED_FLAGS,
    SOURCE,
    TESTING,
    TOPIC,
)

TAG_ROOT = "prepdeck"


class TopicChains:
    """Each topic of one guide with its ancestors, outermost first."""

    def __init__(self, guide: corpus.Guide[corpus.Rich]) -> None:
        self._by_id = {t.id: t for t in guide.topics}
        self._chains: dict[str, list[corpus.Topic[corpus.Rich]]] = {}

    def __call__(self, topic_id: str) -> list[corpus.Topic[corpus.Rich]]:
        chain = self._chains.get(topic_id)
        if chain is None:
            topic = self._by_id[topic_id]
            above = self(topic.parent) if topic.parent in self._by_id else []
            chain = self._chains[topic_id] = [*above, topic]
        return chain


def rich_html(fragment: corpus.Rich | None) -> str:
    """The HTML of one fragment, with its code highlighted."""
    if fragment is None:
        return ""
    if "<pre" not in fragment.html:
        return fragment.html
    return highlighted(fragment.markdown)


@lru_cache(maxsize=4096)
def highlighted(markdown: str) -> str:
    """``markdown`` rendered with its code highlighted.

    Highlighting is most of an export's time; a server exporting several selections of one
    corpus does it once per fragment. ``highlighted.cache_clear()`` forgets.
    """
    return corpus.render_markdown(markdown, highlight=highlight).html


def _items(fragments: list[corpus.Rich], tag: str) -> str:
    if len(fragments) <= 1:
        return "".join(rich_html(f) for f in fragments)
    items = "".join(f"<li>{rich_html(f)}</li>" for f in fragments)
    return f'<{tag} class="pd-list">{items}</{tag}>'


def note_fields(
    guide: corpus.Guide[corpus.Rich],
    question: corpus.Question[corpus.Rich],
    chain: list[corpus.Topic[corpus.Rich]],
    kinds: Collection[str],
) -> list[str]:
    """The note's fields, in ``FIELDS`` order."""
    q = question
    extra = "".join(
        f"<h4>{html.escape(p.label)}</h4>{rich_html(p.content)}" for p in question.parts
    )
    values = {
        QUESTION: html.escape(q.title),
        TESTING: rich_html(q.testing),
        ANSWER: rich_html(q.answer),
        RED_FLAGS: _items(q.red_flags, "ul"),
        FOLLOW_UPS: _items(q.follow_ups, "ol"),
        EXTRA: extra,
        TOPIC: " › ".join(html.escape(t.title) for t in chain),
        GUIDE: html.escape(guide.title),
        SOURCE: html.escape(f"{q.source.file}:{q.source.line}"),
        ID: html.escape(q.id),
    }
    for kind, (switch, part) in KIND_FIELDS.items():
        # the optional card exists when its switch is filled in (and its part is there)
        values[switch] = "y" if kind in kinds and values[part] else ""
    return [values[name] for name in FIELDS]


def note_tags(
    question: corpus.Question[corpus.Rich], chain: list[corpus.Topic[corpus.Rich]]
) -> list[str]:
    """Anki tags: the guide, the topic as a hierarchy, the parts present, the author's tags.

    ``prepdeck::mercor::database-design-architecture::core-design-principles`` nests in
    Anki's tag tree under ``prepdeck::mercor``; searching a parent finds its children.
    """
    q = question
    slugs = [t.id.split("/", 1)[1] for t in chain]
    tags = [f"{TAG_ROOT}::{q.guide}", "::".join([TAG_ROOT, q.guide, *slugs])]
    present = {
        "has-testing": q.testing is not None,
        "has-red-flag": bool(q.red_flags),
        "has-follow-ups": bool(q.follow_ups),
        "has-code": any("<pre" in r.html for r in _fragments(q)),
    }
    tags += [name for name, yes in present.items() if yes]
    topic_tags = set(slugs)
    tags += [t for t in q.tags if t not in topic_tags]
    return tags


def _fragments(q: corpus.Question[corpus.Rich]) -> list[corpus.Rich]:
    main = [r for r in (q.testing, q.answer) if r is not None]
    return [*main, *q.red_flags, *q.follow_ups, *(p.content for p in q.parts)]
