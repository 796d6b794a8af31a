"""A question as note content: the HTML of each field, and the note's tags.

HTML comes from the corpus renderer and is already safe (no raw HTML, JSX or scripts from
the guide), and is used as it is, but for the code blocks of fragments that hold code:
those are highlighted with Pygments, taken from the build's code table (``artifact``)
when the export has one, else highlighted here and remembered (see ``highlighted``).
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping
from functools import lru_cache

import corpus

from .artifact import fragment_key, fragments
from .highlight import has_code, highlight_html
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


class FragmentHtml:
    """Fragments as card HTML, code highlighted; ``table`` is a build's code table."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self._table = table

    def __call__(self, fragment: corpus.Rich | None) -> str:
        if fragment is None:
            return ""
        if not has_code(fragment.html):
            return fragment.html
        done = self._table.get(fragment_key(fragment.html)) if self._table else None
        return done if done is not None else highlighted(fragment.html)

    def items(self, fragments: list[corpus.Rich], tag: str) -> str:
        """A list of fragments: one as it is, several as the items of a ``tag`` list."""
        if len(fragments) <= 1:
            return "".join(self(f) for f in fragments)
        items = "".join(f"<li>{self(f)}</li>" for f in fragments)
        return f'<{tag} class="pd-list">{items}</{tag}>'


@lru_cache(maxsize=4096)
def highlighted(fragment_html: str) -> str:
    """``fragment_html`` with its code highlighted, for exports without a code table.

    A server exporting several selections of one corpus highlights each fragment once.
    ``highlighted.cache_clear()`` forgets.
    """
    return highlight_html(fragment_html)


def note_fields(
    guide: corpus.Guide[corpus.Rich],
    question: corpus.Question[corpus.Rich],
    chain: list[corpus.Topic[corpus.Rich]],
    kinds: Collection[str],
    rich: FragmentHtml,
) -> list[str]:
    """The note's fields, in ``FIELDS`` order; ``rich`` makes the fragments' HTML."""
    q = question
    extra = "".join(f"<h4>{html.escape(p.label)}</h4>{rich(p.content)}" for p in question.parts)
    values = {
        QUESTION: html.escape(q.title),
        TESTING: rich(q.testing),
        ANSWER: rich(q.answer),
        RED_FLAGS: rich.items(q.red_flags, "ul"),
        FOLLOW_UPS: rich.items(q.follow_ups, "ol"),
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
        "has-code": any("<pre" in r.html for r in fragments(q)),
    }
    tags += [name for name, yes in present.items() if yes]
    topic_tags = set(slugs)
    tags += [t for t in q.tags if t not in topic_tags]
    return tags
