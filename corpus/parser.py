"""One guide's text to a ``Guide``: markdown-it tokens read into topics and questions.

The rules, in the order they apply (each module's docstring has the details):

1. ``outline.py``: headings make the tree (``##`` sections, ``###`` sub-topics, deeper
   levels the same way; also a heading that opens a list item). A single ``#`` heading
   before all others is the page title. ``## Title {#my-id}`` pins a topic's id.
   ``<Accordion>`` and ``<details>`` blocks are containers of the heading they are under.
2. ``conventions.py``: which containers and headings are questions, and whether the
   loose conventions (bold questions, question lists) are read in this file; the
   frontmatter's ``questions:`` can choose instead. ``pages.py``: a page whose title
   asks is one question; a frontmatter ``questions:`` list of entries lists questions.
3. ``prose.py``: a topic's content: question containers, ``**Q:**`` pairs, bold and listed
   questions (``listed.py``), placeholder containers ("Answer") that answer the question
   before them; the rest is the topic's notes. A question heading's whole section is its
   question.
4. ``parts.py``: labels split a question into its parts; ``questions.py`` gives each its
   id from its title, or from its context when the title repeats.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import markdown_it
import mdit_py_plugins
import yaml
from markdown_it.token import Token

from .conventions import Conventions, decide, is_contents
from .fragments import KEEPING, Fragments
from .ids import SlugAllocator, is_slug, slugify
from .labels import classify, names_questions
from .model import Guide, Question, Rich, Source, Topic
from .outline import Container, Heading, Item
from .pages import listed_in_meta, page_question
from .parts import Parts
from .prose import Found, ProseReader
from .questions import build_question, question_ids, retitle
from .reader import Block, Segment, text_tokens
from .store import code_digest
from .titles import answers, follow_up_title

# Any change to the package's code (the parser or the renderer), or to the Markdown
# libraries it reads with, makes old builds stale.
PARSER_VERSION = (
    f"1+markdown-it-py{markdown_it.__version__}+mdit-py-plugins{mdit_py_plugins.__version__}"
    f"+{code_digest(*sorted(Path(__file__).parent.glob('*.py')))}"
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _characters_only(value: object) -> object:
    """``value`` (YAML data) with every lone surrogate in its strings, which a YAML escape
    such as ``"\\ud800"`` can make but no text can encode, replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_characters_only(v) for v in value]
    if isinstance(value, dict):
        return {_characters_only(k): _characters_only(v) for k, v in value.items()}
    return value


class GuideParser(ProseReader):
    """Reads one guide's structure; use ``parse_guide``."""

    def __init__(self, text: str, file: str, slug: str, forced_slug: str | None = None) -> None:
        super().__init__(text, file)
        self.slug_hint = slug
        self.forced_slug = forced_slug
        self.meta: dict[str, object] = {}
        self._topic_ids = SlugAllocator()

    def _front_matter(self, tok: Token) -> None:
        try:
            meta = yaml.safe_load(tok.content) or {}
            if not isinstance(meta, dict):
                raise ValueError("not a mapping of keys to values")
        except (yaml.YAMLError, ValueError) as exc:
            where = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
            self.warn(where, f"malformed frontmatter ({str(exc).splitlines()[0]}); ignored")
            return
        except RecursionError:  # brackets nested thousands deep: YAML reads them recursively
            self.warn(2, "malformed frontmatter (nested too deeply); ignored")
            return
        text_only = _characters_only(meta)
        if text_only != meta:
            meta = text_only
            self.warn(2, "frontmatter escapes a lone surrogate (not a character); U+FFFD instead")
        self.meta.update({str(k): v for k, v in meta.items()})

    def _base_url(self) -> str | None:
        """The frontmatter's ``base_url`` when it is an absolute http(s) URL (else a warning)."""
        value = self.meta.get("base_url")
        if value is None:
            return None
        url = str(value).strip()
        try:
            parts = urlsplit(url)
        except ValueError:  # "http://[": an IPv6 host never closed
            parts = None
        if parts is not None and parts.scheme in ("http", "https") and parts.netloc:
            return url
        self.warn(1, f"base_url {url!r} is not an absolute http(s) URL; ignored")
        return None

    def parse(self) -> Guide[Rich]:
        """The guide: its metadata, topics and questions."""
        intro_items, headings = self._walk()
        listed = listed_in_meta(self.meta.get("questions"))
        chosen = None if listed else self.meta.get("questions")
        conv = Conventions.from_meta(chosen, lambda m: self.warn(1, m))
        decide(intro_items, headings, conv, self._has_label, self.asks_paragraph, self._holds_pairs)
        page = page_question(self.meta, intro_items, headings, conv)
        if page is not None:  # one question per file: the page's title, answered by the page
            headings.insert(0, page)
            intro_items = []
        pinned = self.meta.get("slug")
        if self.forced_slug:
            guide_slug = self.forced_slug
        elif isinstance(pinned, str) and is_slug(pinned):
            guide_slug = pinned
        else:
            guide_slug = slugify(self.slug_hint)
        title = str(self.meta.get("title") or self.meta.get("h1") or self.slug_hint)
        guide_tags = self._tag_list(self.meta.get("tags"))

        absorbed = {id(h) for h in headings if _under_question(h)}
        topics = [
            h
            for h in headings
            if h.kind == "topic" and id(h) not in absorbed and not self._navigation_only(h)
        ]
        intro, intro_found = self._read_topic(intro_items, conv, names_questions(title))
        for asked, said in listed:
            parts = Parts()
            if said:
                parts.answer.add(text_tokens(said), said)
            intro_found.append(Found(asked, {}, 1, parts, "frontmatter"))
        orphans = [
            h.line
            for h in headings
            if h.kind == "question" and id(h) not in absorbed and _owner(h) is None
        ]
        general: Heading | None = None
        if intro_found or orphans:  # questions under no topic go to one named "General",
            first = 0 if intro_found else orphans[0]  # listed where its first one is
            general = Heading("General", 2, first or 1, None, None)
            topics.insert(sum(t.line < first for t in topics), general)
        self._assign_topic_ids(guide_slug, topics)

        found: list[tuple[Heading, Found]] = []
        notes: dict[int, Segment] = {}
        if general is not None:
            found.extend((general, q) for q in intro_found)
        for h in headings:
            if id(h) in absorbed:
                continue
            if h.kind == "question":
                found.append((_owner(h) or general or h, self._from_heading(h)))
                continue
            notes[id(h)], questions = self._read_topic(h.content, conv, _names_questions(h))
            found.extend((h, q) for q in questions)

        for _, q in found:
            retitle(q)
        warn = self.warn
        qids = question_ids(guide_slug, found, warn)
        built: list[Question[Rich]] = []
        for qid, (topic, q) in zip(qids, found, strict=True):
            tags = sorted({*guide_tags, *self._tag_list(q.attrs.get("tags")), *_topic_tags(topic)})
            question = build_question(qid, guide_slug, topic, q, tags, self.file, warn)
            if question is not None:
                built.append(question)
        if not built and not conv.forced("none"):
            self.warn(
                1,
                "no question found: no accordion, <details>, heading, bold paragraph or list "
                "reads as one (text kept as notes; `questions:` in the frontmatter can choose)",
            )
        by_topic: dict[str, list[str]] = {}
        for q in built:
            by_topic.setdefault(q.topic.id, []).append(q.id)
        kept = {id(t) for t in topics}
        built_topics = [
            Topic(
                id=t.id,
                guide=guide_slug,
                title=t.title,
                level=t.level,
                parent=t.parent.id if t.parent and id(t.parent) in kept else None,
                children=[c.id for c in t.children if id(c) in kept],
                questions=by_topic.get(t.id, []),
                notes=notes[id(t)].rich() if id(t) in notes else None,
                source=Source(file=self.file, line=t.line),
            )
            for t in topics
        ]
        return Guide(
            slug=guide_slug,
            title=title,
            description=str(self.meta.get("description") or ""),
            base_url=self._base_url(),
            file=self.file,
            intro=intro.rich(),
            tags=guide_tags,
            topics=built_topics,
            questions=built,
            warnings=sorted(self.warnings, key=lambda w: w.line),
        )

    def _navigation_only(self, h: Heading) -> bool:
        """A heading over nothing but navigation (a table of contents, rules): not a topic."""
        return (
            bool(h.content)
            and not h.children
            and all(
                not isinstance(i, Container) and self.tokens[i[0]].type in ("mdx_drop", "hr")
                for i in h.content
            )
        )

    def _from_heading(self, h: Heading) -> Found:
        """A question heading: its whole section; what precedes an explicit answer is its body."""
        entries = self._entries(_section(h))
        marker = next(
            (k for k, e in enumerate(entries) if self._opens_answer(e)),
            None,
        )
        found = Found(h.title, {}, h.line, Parts(), "headings")
        if marker and not any(self._labelled(e) for e in entries[:marker]):
            found.items = entries[:marker]
            self._answer_with_items(found, entries[marker:])
        else:
            found.items = entries
            self._fill(found)
        return found

    def _answer_with_items(self, found: Found, rest: list) -> None:
        head = rest[0]
        if isinstance(head, Container):
            self._answer_with(found, head)
            found.items = rest[1:]
        else:
            for item in found.items:
                if isinstance(item, Container):
                    self._facet_into(found.parts, item.title, item.blocks, item.line)
                else:
                    found.parts.body.add(self._tokens(item), self._md(item))
            found.items = rest
        self._fill(found)

    def _opens_answer(self, entry: list[Block] | Container) -> bool:
        """An explicit answer: a placeholder container or an ``**Answer:**`` paragraph."""
        if isinstance(entry, Container):
            return not entry.is_question and answers(entry.title)
        label = self._lead_label(entry)
        return bool(label) and classify(label) == "answer"

    def _labelled(self, entry: list[Block] | Container) -> bool:
        if isinstance(entry, Container):
            return False
        if self.tokens[entry[0][0]].type == "heading_open":
            return True
        label = self._lead_label(entry)
        return bool(label and classify(label))

    def _assign_topic_ids(self, guide: str, topics: list[Heading]) -> None:
        for t in topics:
            if t.pinned:
                if not is_slug(t.pinned):
                    self.warn(
                        t.line,
                        f"topic id {{#{t.pinned}}} is not a valid slug; derived from the title",
                    )
                    t.pinned = None
                elif t.pinned in self._topic_ids:
                    self.warn(t.line, f"topic id {{#{t.pinned}}} is already taken")
                t.id = f"{guide}/{self._topic_ids.take(t.pinned)}" if t.pinned else ""
        for t in topics:
            if not t.id:
                t.id = f"{guide}/{self._topic_ids.take(slugify(t.title, 'topic'))}"

    @staticmethod
    def _tag_list(value: object) -> list[str]:
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list):
            return []
        return [t for t in (slugify(str(v), "") for v in value) if t]


def _section(h: Heading) -> list[Item]:
    """A heading's content followed by its sub-headings' (each heading block first)."""
    items: list[Item] = list(h.content)
    for child in h.children:
        if _separate(child):
            continue
        if child.head is not None:
            items.append(child.head)
        items.extend(_section(child))
    return items


def _separate(h: Heading) -> bool:
    """A question heading that stands on its own (not a follow-up of the one above)."""
    return h.kind == "question" and follow_up_title(h.title) is None


def _under_question(h: Heading) -> bool:
    """Part of the section of a question heading above it (and not a question of its own)."""
    if _separate(h) or h.parent is None:
        return False
    return h.parent.kind == "question" or _under_question(h.parent)


def _owner(h: Heading) -> Heading | None:
    """The topic of a question heading: the nearest topic above it (not contents, no separator)."""
    p = h.parent
    while p is not None and (
        p.kind != "topic" or _under_question(p) or is_contents(p.title) or p.boilerplate
    ):
        p = p.parent
    return p


def _names_questions(h: Heading | None) -> bool:
    """A heading, or one above it, that names questions ("## Interview Questions")."""
    while h is not None:
        if names_questions(h.title):
            return True
        h = h.parent
    return False


def _topic_tags(topic: Heading) -> list[str]:
    tags = []
    t: Heading | None = topic
    while t is not None:
        tags.append(t.id.split("/", 1)[1])
        t = t.parent
    return tags


_LINE_ENDS = re.compile(r"\r\n?")


def parse_guide(
    text: str, file: str, slug: str | None = None, fragments: Fragments | None = None
) -> Guide[Rich]:
    """Parse one guide's text; ``file`` names it in sources and warnings.

    The guide's slug is ``slug`` when given, else its frontmatter ``slug:``, else the
    file name. ``fragments``, when given, keeps the tokens of each rich fragment.
    """
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if "\r" in text:  # CRLF and lone CR line endings read as markdown-it reads them
        text = _LINE_ENDS.sub("\n", text)
    keeping = KEEPING.set(fragments)
    try:
        with collector_paused():
            return GuideParser(text, file, stem, forced_slug=slug).parse()
    finally:
        KEEPING.reset(keeping)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused (unless it already was) for the block.

    Parsing allocates hundreds of thousands of short-lived tokens in one go, which the
    collector would scan again and again; reference counting still frees everything, and
    the few cycles left are collected once it runs again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
