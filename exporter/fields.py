"""Card HTML of a question's parts: fragments, titles, answers, and the notes' tags.

HTML comes from the corpus renderer and is already safe (no raw HTML, JSX or scripts from
the guide), and is used as it is, but for three things cards need: code blocks are
highlighted with Pygments (``highlight``), answers lead with their key points
(``keypoints``), both taken from the build's card table (``artifact``) when the export has
one, else made here and remembered; and relative links are made absolute or plain text
(``links``).
"""

from __future__ import annotations

import html
from functools import lru_cache

import corpus

from .artifact import EMPTY, CardTable, fragment_key, fragments
from .highlight import has_code, highlight_html
from .keypoints import KeyPoints, key_points
from .links import absolute_links

TAG_ROOT = "prepdeck"
FULL_ANSWER = "Full answer"


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
    """Fragments as card HTML; ``table`` is a build's card table, ``base_url`` resolves
    relative links (``None``: they become text)."""

    def __init__(self, table: CardTable = EMPTY, base_url: str | None = None) -> None:
        self._table = table
        self.base_url = base_url

    def __call__(self, fragment: corpus.Rich | None) -> str:
        if fragment is None:
            return ""
        done = fragment.html
        if has_code(done):
            found = self._table.html.get(fragment_key(done)) if self._table.html else None
            done = found if found is not None else highlighted(done)
        return self.links(done)

    def links(self, fragment_html: str) -> str:
        """``fragment_html`` with its relative links made absolute or plain text."""
        return absolute_links(fragment_html, self.base_url)

    def items(self, fragments: list[corpus.Rich], tag: str) -> str:
        """A list of fragments: one as it is, several as the items of a ``tag`` list."""
        if len(fragments) <= 1:
            return "".join(self(f) for f in fragments)
        items = "".join(f"<li>{self(f)}</li>" for f in fragments)
        return f'<{tag} class="pd-list">{items}</{tag}>'

    def key_points(self, answer: corpus.Rich) -> KeyPoints:
        """The key points of an answer (from the table, else read now)."""
        found = self._table.points.get(fragment_key(answer.markdown))
        return found if found is not None else read_key_points(answer.markdown)

    def answer(self, answer: corpus.Rich | None) -> str:
        """An answer as a card shows it: its outline, and the whole answer below a fold;
        a short answer whole."""
        if answer is None:
            return ""
        points = self.key_points(answer)
        whole = self(answer)
        if points.whole:
            return whole
        fold = f'<details class="pd-fold"><summary>{FULL_ANSWER}</summary>{whole}</details>'
        return self.links(points.outline) + fold


@lru_cache(maxsize=4096)
def highlighted(fragment_html: str) -> str:
    """``fragment_html`` with its code highlighted, for exports without a card table.

    A server exporting several selections of one corpus highlights each fragment once.
    ``highlighted.cache_clear()`` forgets.
    """
    return highlight_html(fragment_html)


@lru_cache(maxsize=4096)
def read_key_points(markdown: str) -> KeyPoints:
    """``key_points`` remembered, for exports without a card table (like ``highlighted``)."""
    return key_points(markdown)


def title_html(title: str) -> str:
    """A title (plain text as the guide wrote it) as HTML: its `code spans` as code.

    Only code spans are read: anything else that looks like Markdown (``__init__``,
    ``a * b``) is text in a title.
    """
    out = []
    for token in corpus.MD.parseInline(title)[0].children or []:
        if token.type == "code_inline":
            out.append(f"<code>{html.escape(token.content)}</code>")
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        else:  # text as it is, markup (emphasis, links) as written
            out.append(html.escape(token.content or token.markup))
    return "".join(out)


def note_tags(
    question: corpus.Question[corpus.Rich], chain: list[corpus.Topic[corpus.Rich]]
) -> list[str]:
    """Anki tags, all under ``prepdeck::``: the guide, the topic as a hierarchy, the parts
    present (``prepdeck::has::red-flag``) and the guide's own tags (``prepdeck::tag::ops``).

    ``prepdeck::mercor::database-design-architecture::core-design-principles`` nests in
    Anki's tag tree under ``prepdeck::mercor``; searching a parent finds its children.
    """
    q = question
    slugs = [t.id.split("/", 1)[1] for t in chain]
    tags = [f"{TAG_ROOT}::{q.guide}", "::".join([TAG_ROOT, q.guide, *slugs])]
    present = {
        "testing": q.testing is not None,
        "red-flag": bool(q.red_flags),
        "follow-ups": bool(q.follow_ups),
        "code": any("<pre" in r.html for r in fragments(q)),
    }
    tags += [f"{TAG_ROOT}::has::{name}" for name, yes in present.items() if yes]
    topic_tags = set(slugs)
    tags += [f"{TAG_ROOT}::tag::{t}" for t in q.tags if t not in topic_tags]
    return tags
