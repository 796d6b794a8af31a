"""One guide's text to a ``Guide``: markdown-it tokens read into topics and questions.

The rules, in the order they apply:

1. Headings outside accordions make the topic tree (``##`` sections, ``###`` sub-topics,
   deeper levels nest the same way). A single ``#`` heading that comes before all others is
   the page title, not a topic. ``## Title {#my-id}`` pins a topic's id.
2. Every ``<Accordion title="...">`` whose title reads as a question, or whose body carries
   a question label (``labels.py``), is a question of the innermost topic.
   ``<Accordion id="my-id">`` pins its id.
3. Other accordions are *facets*: a section of a longer answer ("Key design points",
   "Red flag answers", "Reveal"). Under a heading that reads as a question (``### Question
   3: Design X``, ``#### Follow-up: ...?``) with no question accordion of its own, that
   heading becomes one question whose answer is its prose plus its facets. Otherwise a
   facet whose title is a label joins the question before it, and any other facet stays
   in its topic's notes under its title. Nothing is lost either way.
4. Inside a question, labels split the text into its parts (``parts.py``).
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it.token import Token

from .ids import SlugAllocator, is_slug, slugify
from .labels import classify_title, clean_title, reads_as_question
from .model import Guide, Part, Question, Rich, Source, Topic, TopicRef
from .parts import Block, Parts, Segment, TokenReader, title_tokens
from .render import KNOWN_COMPONENTS
from .store import code_digest

# Any change to the package's code (the parser or the renderer) makes old builds stale.
PARSER_VERSION = f"1+{code_digest(*sorted(Path(__file__).parent.glob('*.py')))}"

_PINNED_ID = re.compile(r"\s*\{#([^}\s]+)\}\s*$")


@dataclass
class _Accordion:
    title: str
    attrs: dict[str, str]
    line: int
    blocks: list[Block] = field(default_factory=list)
    is_question: bool = False


@dataclass
class _Topic:
    title: str
    level: int
    line: int
    pinned: str | None
    parent: _Topic | None
    blocks: list[Block] = field(default_factory=list)
    accordions: list[_Accordion] = field(default_factory=list)
    children: list[_Topic] = field(default_factory=list)
    id: str = ""


class GuideParser(TokenReader):
    """Reads one guide's structure; use ``parse_guide``."""

    def __init__(self, text: str, file: str, slug: str, forced_slug: str | None = None) -> None:
        super().__init__(text, file)
        self.slug_hint = slug
        self.forced_slug = forced_slug
        self.meta: dict[str, object] = {}
        self._topic_ids = SlugAllocator()

    def _walk(self) -> tuple[list[Block], list[_Topic]]:
        toks = self.tokens
        h1_count = sum(
            1 for t in toks if t.type == "heading_open" and t.tag == "h1" and t.level == 0
        )
        intro: list[Block] = []
        topics: list[_Topic] = []
        stack: list[_Topic] = []
        acc: _Accordion | None = None
        seen_heading = False

        def close(accordion: _Accordion) -> None:
            owner = stack[-1] if stack else self._implicit_topic(topics, stack)
            owner.accordions.append(accordion)

        for block in self._blocks():
            tok = toks[block[0]]
            typ = tok.type
            line = (tok.map[0] + 1) if tok.map else 1
            if typ == "front_matter":
                self._front_matter(tok)
                continue
            if typ == "heading_open" and acc is None:
                level = int(tok.tag[1])
                title = toks[block[0] + 1].content.strip()
                if level == 1 and h1_count == 1 and not seen_heading:
                    self.meta.setdefault("h1", title)
                    seen_heading = True
                    continue
                seen_heading = True
                pinned = None
                m = _PINNED_ID.search(title)
                if m:
                    pinned, title = m.group(1), title[: m.start()].rstrip()
                while stack and stack[-1].level >= level:
                    stack.pop()
                parent = stack[-1] if stack else None
                topic = _Topic(clean_title(title) or title, level, line, pinned, parent)
                if parent:
                    parent.children.append(topic)
                topics.append(topic)
                stack.append(topic)
                continue
            if typ in ("mdx_open", "mdx_close"):
                name = tok.meta["name"]
                if name == "Accordion":
                    if typ == "mdx_open":
                        if acc is not None:
                            self.warn(
                                acc.line, "unclosed <Accordion>: closed where the next one opens"
                            )
                            close(acc)
                        attrs = tok.meta["attrs"]
                        acc = _Accordion(attrs.get("title", "").strip(), attrs, line)
                    elif acc is None:
                        self.warn(line, "</Accordion> without a matching <Accordion>; ignored")
                    else:
                        close(acc)
                        acc = None
                    continue
                if name == "AccordionGroup":
                    if typ == "mdx_close" and acc is not None:
                        self.warn(acc.line, "unclosed <Accordion>: closed at </AccordionGroup>")
                        close(acc)
                        acc = None
                    continue
                if typ == "mdx_open" and name not in KNOWN_COMPONENTS:
                    self.warn(line, f"unknown component <{name}>: markup dropped, content kept")
            if acc is not None:
                acc.blocks.append(block)
            elif stack:
                stack[-1].blocks.append(block)
            else:
                intro.append(block)
        if acc is not None:
            self.warn(acc.line, "unclosed <Accordion>: closed at the end of the file")
            close(acc)
        return intro, topics

    def _implicit_topic(self, topics: list[_Topic], stack: list[_Topic]) -> _Topic:
        """Questions before any heading go to a topic named after the guide."""
        topic = _Topic("General", 2, 1, None, None)
        topics.insert(0, topic)
        stack.append(topic)
        return topic

    def _front_matter(self, tok: Token) -> None:
        try:
            meta = yaml.safe_load(tok.content) or {}
            if not isinstance(meta, dict):
                raise ValueError("not a mapping of keys to values")
        except (yaml.YAMLError, ValueError) as exc:
            where = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
            self.warn(where, f"malformed frontmatter ({str(exc).splitlines()[0]}); ignored")
            return
        self.meta.update({str(k): v for k, v in meta.items()})

    # -- pass 3: build the Structs -------------------------------------------------------
    def parse(self) -> Guide[Rich]:
        intro_blocks, topics = self._walk()
        for topic in topics:
            for acc in topic.accordions:
                acc.is_question = (
                    bool(acc.title)
                    and (reads_as_question(acc.title) or self._has_label(acc.blocks))
                    and classify_title(acc.title) is None
                )
        pinned = self.meta.get("slug")
        if self.forced_slug:
            guide_slug = self.forced_slug
        elif isinstance(pinned, str) and is_slug(pinned):
            guide_slug = pinned
        else:
            guide_slug = slugify(self.slug_hint)
        title = str(self.meta.get("title") or self.meta.get("h1") or self.slug_hint)
        description = str(self.meta.get("description") or "")
        guide_tags = self._tag_list(self.meta.get("tags"))

        scenario = {id(t) for t in topics if self._is_scenario(t)}
        kept = [t for t in topics if id(t) not in scenario]
        self._assign_topic_ids(guide_slug, kept)

        questions: list[tuple[_Topic, str, dict[str, str], int, Parts]] = []
        notes: dict[int, Segment] = {}
        for topic in topics:
            if id(topic) in scenario:
                owner = topic.parent if topic.parent and id(topic.parent) not in scenario else None
                if owner is None:  # a scenario with nowhere to go keeps its own topic
                    scenario.discard(id(topic))
                    kept.append(topic)
                    self._assign_topic_ids(guide_slug, [topic])
                    owner = topic
                parts = Parts()
                self._split_parts(self._units(topic.blocks, topic.line), "answer", parts)
                for acc in topic.accordions:
                    self._facet_into(parts, acc.title, acc.blocks, acc.line)
                questions.append((owner, topic.title, {}, topic.line, parts))
                continue
            seg = notes.setdefault(id(topic), Segment())
            for unit in self._units(topic.blocks, topic.line):
                seg.add(self._tokens(unit), self._md(unit))
            last: Parts | None = None
            for acc in topic.accordions:
                if not acc.title:
                    self.warn(acc.line, "<Accordion> has no title; skipped")
                    continue
                if acc.is_question:
                    parts = Parts()
                    self._split_parts(self._units(acc.blocks, acc.line), "answer", parts)
                    questions.append((topic, clean_title(acc.title), acc.attrs, acc.line, parts))
                    last = parts
                elif last is not None and classify_title(acc.title) is not None:
                    self._facet_into(last, acc.title, acc.blocks, acc.line)
                else:
                    seg.add(title_tokens(acc.title), f"**{acc.title}**")
                    for unit in self._units(acc.blocks, acc.line):
                        seg.add(self._tokens(unit), self._md(unit))

        intro = Segment()
        for unit in self._units(intro_blocks, 1):
            intro.add(self._tokens(unit), self._md(unit))
        built_questions = self._build_questions(guide_slug, guide_tags, questions)
        by_topic: dict[str, list[str]] = {}
        for q in built_questions:
            by_topic.setdefault(q.topic.id, []).append(q.id)
        kept_ids = {id(t) for t in kept}
        built_topics = [
            Topic(
                id=t.id,
                guide=guide_slug,
                title=t.title,
                level=t.level,
                parent=t.parent.id if t.parent and id(t.parent) in kept_ids else None,
                children=[c.id for c in t.children if id(c) in kept_ids],
                questions=by_topic.get(t.id, []),
                notes=notes[id(t)].rich() if id(t) in notes else None,
                source=Source(file=self.file, line=t.line),
            )
            for t in topics
            if id(t) in kept_ids
        ]
        return Guide(
            slug=guide_slug,
            title=title,
            description=description,
            file=self.file,
            intro=intro.rich(),
            tags=guide_tags,
            topics=built_topics,
            questions=built_questions,
            warnings=sorted(self.warnings, key=lambda w: w.line),
        )

    def _is_scenario(self, topic: _Topic) -> bool:
        return (
            bool(topic.accordions)
            and not topic.children
            and not any(a.is_question for a in topic.accordions)
            and reads_as_question(topic.title)
        )

    def _assign_topic_ids(self, guide: str, topics: list[_Topic]) -> None:
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

    def _build_questions(
        self,
        guide: str,
        guide_tags: list[str],
        found: list[tuple[_Topic, str, dict[str, str], int, Parts]],
    ) -> list[Question[Rich]]:
        ids = SlugAllocator()
        titles: dict[str, int] = {}
        slugs: list[str] = [""] * len(found)
        for i, (_, _, attrs, line, _) in enumerate(found):
            pinned = attrs.get("id")
            if pinned and is_slug(pinned):
                if pinned in ids:
                    self.warn(line, f'question id "{pinned}" is already taken')
                slugs[i] = ids.take(pinned)
            elif pinned:
                self.warn(
                    line, f'question id "{pinned}" is not a valid slug; derived from the title'
                )
        out: list[Question[Rich]] = []
        for i, (topic, title, attrs, line, parts) in enumerate(found):
            key = title.lower()
            if key in titles:
                self.warn(line, f'duplicate question title "{title}" (first at line {titles[key]})')
            else:
                titles[key] = line
            answer = parts.answer.rich()
            testing = parts.testing.rich()
            red_flags = [r for r in (s.rich() for s in parts.red_flags) if r]
            follow_ups = [r for r in (s.rich() for s in parts.follow_ups) if r]
            named = [
                Part(kind=k, label=label, content=r)
                for k, label, s in parts.named
                if (r := s.rich()) is not None
            ]
            if answer is None:
                if not (testing or red_flags or follow_ups or named):
                    self.warn(line, f'question "{title}" is empty; skipped')
                    continue
                if not any(k == "strong_candidates" for k, _, _ in parts.named):
                    self.warn(line, f'question "{title}" has no answer')
            slug = slugs[i] or ids.take(slugify(title, "question"))
            tags = sorted({*guide_tags, *self._tag_list(attrs.get("tags")), *_topic_tags(topic)})
            out.append(
                Question(
                    id=f"{guide}/{slug}",
                    guide=guide,
                    topic=TopicRef(id=topic.id, title=topic.title),
                    title=title,
                    testing=testing,
                    answer=answer,
                    red_flags=red_flags,
                    follow_ups=follow_ups,
                    follow_up_answers=[None] * len(follow_ups),
                    parts=named,
                    tags=tags,
                    source=Source(file=self.file, line=line),
                )
            )
        return out

    @staticmethod
    def _tag_list(value: object) -> list[str]:
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list):
            return []
        return [t for t in (slugify(str(v), "") for v in value) if t]


def _topic_tags(topic: _Topic) -> list[str]:
    tags = []
    t: _Topic | None = topic
    while t is not None:
        tags.append(t.id.split("/", 1)[1])
        t = t.parent
    return tags


def parse_guide(text: str, file: str, slug: str | None = None) -> Guide[Rich]:
    """Parse one guide's text; ``file`` names it in sources and warnings.

    The guide's slug is ``slug`` when given, else its frontmatter ``slug:``, else the
    file name.
    """
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    # Parsing allocates hundreds of thousands of short-lived tokens in one go; pausing the
    # cyclic collector meanwhile saves its repeated scans (reference counting still frees
    # everything; the few cycles left are collected once it runs again).
    paused = gc.isenabled()
    gc.disable()
    try:
        return GuideParser(text, file, stem, forced_slug=slug).parse()
    finally:
        if paused:
            gc.enable()
