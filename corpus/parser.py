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
4. Inside a question, a paragraph opening with a label starts that part; text before the
   first label is the answer; callouts and other bold lead-ins belong to the answer.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it.token import Token

from .ids import SlugAllocator, is_slug, slugify
from .labels import PartKind, classify, classify_title, clean_title
from .model import Diagnostic, Guide, Part, Question, Rich, Source, Topic, TopicRef
from .render import CALLOUTS, KNOWN_COMPONENTS, MD, render_tokens


def _code_fingerprint() -> str:
    """A digest of this package's code, so any parser change invalidates old builds."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


PARSER_VERSION = f"1+{_code_fingerprint()}"

_QUESTION_WORDS = frozenset(
    "how what why when which where who whom whose explain design describe compare walk tell "
    "should can could would will is are do does did implement build write debug diagnose "
    "you your given imagine suppose estimate list name define".split()
)
_Q_PREFIX = re.compile(r"^\s*q(uestion)?\s*\d+\s*[:.)-]", re.IGNORECASE)
# "Work Sample 2: ...", "Scenario 3: ...": a numbered lead-in before the question proper
_NUMBERED_LEAD = re.compile(r"^[A-Za-z][\w -]{0,30}?\s\d+\s*[:.)]\s*")
_Q_LABEL = re.compile(r"^\s*Q\d*\s*[:.]", re.IGNORECASE)  # "**Q:**" asks a follow-up
_CLAUSE = re.compile(r"\s+(?:—|–|--)\s+")
_PINNED_ID = re.compile(r"\s*\{#([^}\s]+)\}\s*$")
_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’"}
_MD_QUOTED = re.compile(r'^([*_]*)["“](.*?)["”]([*_]*)(?=\s*(?:$|[(:—–-]))', re.S)
# After the closing quote of a quoted follow-up: nothing, or a note like "(Tests ...)" / "-- ..."
_AFTER_QUOTE = re.compile(r"\s*(?:$|[(:—–-])")

Block = tuple[int, int]  # [start, end) token indices of one top-level block


def reads_as_question(title: str) -> bool:
    """True for "How would you ...", "Q7: ...", "... ?" and the like."""
    t = title.strip()
    if not t:
        return False
    if t.endswith("?") or _Q_PREFIX.match(t):
        return True
    rest = _NUMBERED_LEAD.sub("", clean_title(t), count=1)
    return any(
        clause.split(" ", 1)[0].lower().strip(",:") in _QUESTION_WORDS
        for clause in _CLAUSE.split(rest)
    )


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


@dataclass
class _Segment:
    """Tokens and Markdown gathered for one part of a question (or one note)."""

    tokens: list[Token] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)

    def add(self, tokens: list[Token], markdown: str) -> None:
        if tokens:
            self.tokens.extend(tokens)
            if markdown:
                self.markdown.append(markdown)

    def rich(self) -> Rich | None:
        if not self.tokens:
            return None
        rich = render_tokens(self.tokens, "\n\n".join(self.markdown))
        return rich if rich.text or rich.html.strip() else None


@dataclass
class _Parts:
    testing: _Segment = field(default_factory=_Segment)
    answer: _Segment = field(default_factory=_Segment)
    red_flags: list[_Segment] = field(default_factory=list)
    follow_ups: list[_Segment] = field(default_factory=list)
    named: list[tuple[str, str, _Segment]] = field(default_factory=list)


class GuideParser:
    """Reads one guide; use ``parse_guide``."""

    def __init__(self, text: str, file: str, slug: str) -> None:
        self.file = file
        self.slug_hint = slug
        self.lines = text.split("\n")
        self.tokens = MD.parse(text)
        self.warnings: list[Diagnostic] = []
        self.meta: dict[str, object] = {}
        self._labels: dict[int, str | None] = {}

    # -- diagnostics ---------------------------------------------------------------
    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Diagnostic(file=self.file, line=line, message=message))

    # -- pass 1: top-level blocks into topics and accordions -------------------------
    def _blocks(self) -> list[Block]:
        blocks: list[Block] = []
        toks, i, n = self.tokens, 0, len(self.tokens)
        while i < n:
            if toks[i].nesting == 1:
                j = i + 1
                while j < n and not (toks[j].level == 0 and toks[j].nesting == -1):
                    j += 1
                blocks.append((i, j + 1))
                i = j + 1
            else:
                blocks.append((i, i + 1))
                i += 1
        return blocks

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

    # -- pass 2: units, labels and parts ----------------------------------------------
    def _units(self, blocks: list[Block], line: int) -> list[list[Block]]:
        """Group blocks so a callout or container, open to close, is one unit."""
        units: list[list[Block]] = []
        i, toks = 0, self.tokens
        while i < len(blocks):
            tok = toks[blocks[i][0]]
            if tok.type == "mdx_open":
                name, depth, j = tok.meta["name"], 0, i
                while j < len(blocks):
                    t = toks[blocks[j][0]]
                    if t.type in ("mdx_open", "mdx_close") and t.meta["name"] == name:
                        depth += 1 if t.type == "mdx_open" else -1
                        if depth == 0:
                            break
                    j += 1
                if j == len(blocks):
                    self.warn(tok.map[0] + 1 if tok.map else line, f"unclosed <{name}>")
                    j = i
                units.append(blocks[i : j + 1])
                i = j + 1
            else:
                units.append([blocks[i]])
                i += 1
        return units

    def _md(self, blocks: list[Block]) -> str:
        """CommonMark for blocks: source lines, dedented; callouts become block quotes."""
        out: list[str] = []
        depth = 0
        for start, _ in blocks:
            tok = self.tokens[start]
            prefix = "> " * depth
            if tok.type == "mdx_open":
                name = tok.meta["name"]
                title = tok.meta["attrs"].get("title", "")
                if name in CALLOUTS:
                    out.append(f"{prefix}**{title or CALLOUTS[name]}:**")
                    depth += 1
                elif title:
                    out.append(f"{prefix}**{title}**")
                continue
            if tok.type == "mdx_close":
                if tok.meta["name"] in CALLOUTS and depth:
                    depth -= 1
                continue
            if tok.type == "mdx_drop" or not tok.map:
                continue
            text = _dedent("\n".join(self.lines[tok.map[0] : tok.map[1]])).strip("\n")
            if prefix:
                text = "\n".join((prefix + ln).rstrip() for ln in text.split("\n"))
            out.append(text)
        sep = "\n>\n" if depth else "\n\n"
        return sep.join(s for s in out if s)

    def _tokens(self, blocks: list[Block]) -> list[Token]:
        out: list[Token] = []
        for start, end in blocks:
            out.extend(self.tokens[start:end])
        return out

    def _lead_label(self, unit: list[Block]) -> str | None:
        """The label (``**Label:**`` or ``**Label**:``) that opens a paragraph unit, if any."""
        if len(unit) != 1:
            return None
        start, end = unit[0]
        if start in self._labels:
            return self._labels[start]
        self._labels[start] = label = self._read_label(start, end)
        return label

    def _read_label(self, start: int, end: int) -> str | None:
        toks = self.tokens
        if toks[start].type != "paragraph_open" or end - start != 3:
            return None
        children = toks[start + 1].children or []
        k = 0
        while k < len(children) and children[k].type == "text" and not children[k].content.strip():
            k += 1
        if k >= len(children) or children[k].type != "strong_open":
            return None
        label_parts: list[str] = []
        for m in range(k + 1, len(children)):
            child = children[m]
            if child.type == "strong_close":
                label = "".join(label_parts)
                if label.rstrip().endswith(":"):
                    return label
                nxt = children[m + 1] if m + 1 < len(children) else None
                if nxt is not None and nxt.type == "text" and nxt.content.lstrip()[:1] == ":":
                    return label + ":"
                return None  # a bold phrase, not a label
            if child.type not in ("text", "code_inline"):
                return None
            label_parts.append(child.content)
        return None

    def _without_label(self, unit: list[Block]) -> list[Token]:
        """The tokens of a labelled paragraph without its label (none if nothing is left)."""
        start = unit[0][0]
        inline = self.tokens[start + 1]
        children = inline.children or []
        m = next(i for i, c in enumerate(children) if c.type == "strong_close")
        rest = children[m + 1 :]
        if rest and rest[0].type == "text":
            stripped = rest[0].content.lstrip()
            stripped = stripped[1:] if stripped.startswith(":") else stripped
            rest = [_copy(rest[0], content=stripped.lstrip()), *rest[1:]]
        while rest and (
            rest[0].type == "softbreak" or (rest[0].type == "text" and not rest[0].content)
        ):
            rest = rest[1:]
        if not rest:
            return []
        new_inline = _copy(inline, children=rest, content="")
        return [self.tokens[start], new_inline, self.tokens[start + 2]]

    def _strip_label_md(self, markdown: str) -> str:
        first, _, tail = markdown.partition("\n")
        marker = first.lstrip()[:2]
        close = first.find(marker, first.find(marker) + 2)
        if close == -1:
            return markdown
        rest = first[close + 2 :].lstrip()
        rest = rest[1:].lstrip() if rest.startswith(":") else rest
        return (rest + ("\n" + tail if tail else "")).strip()

    def _split_parts(
        self, units: list[list[Block]], first_kind: PartKind, parts: _Parts, label: str = ""
    ) -> None:
        current: PartKind = first_kind
        segment = self._segment_for(parts, current, label)
        for unit in units:
            head = self.tokens[unit[0][0]]
            found = self._lead_label(unit)
            kind = classify(found) if found else None
            if found and kind:
                current = kind
                segment = self._segment_for(parts, current, found)
                md = self._strip_label_md(self._md(unit))
                rest = self._without_label(unit)
                self._add(parts, segment, current, rest, md)
                if kind == "testing" and rest:
                    # "what they test" is one paragraph; what follows it answers
                    current, segment = "answer", parts.answer
                continue
            if head.type == "mdx_open" and head.meta["name"] in CALLOUTS:
                parts.answer.add(self._tokens(unit), self._md(unit))
                continue
            if found and current in ("follow_ups", "red_flags") and not _Q_LABEL.match(found):
                current = "answer"  # another bold lead-in: back to the answer
                segment = parts.answer
            self._add(parts, segment, current, self._tokens(unit), self._md(unit))

    def _segment_for(self, parts: _Parts, kind: PartKind, label: str) -> _Segment:
        if kind in ("testing", "answer"):
            return getattr(parts, kind)
        segment = _Segment()
        if kind == "red_flags":
            parts.red_flags.append(segment)
        elif kind == "follow_ups":
            parts.follow_ups.append(segment)
        else:
            parts.named.append((kind, label.strip().rstrip(":").strip(), segment))
        return segment

    def _add(
        self, parts: _Parts, segment: _Segment, kind: PartKind, toks: list[Token], md: str
    ) -> None:
        if kind == "red_flags" and not segment.tokens and toks and _is_list(toks[0]):
            for item_toks, item_md in self._list_items(toks, md):  # one red flag per item
                seg = _Segment()
                seg.add(item_toks, item_md)
                parts.red_flags.append(seg)
            return
        if kind == "follow_ups" and toks:
            head = toks[0].type
            if _is_list(toks[0]):
                for item_toks, item_md in self._list_items(toks, md):
                    seg = _Segment()
                    seg.add(_unquote(item_toks), _MD_QUOTED.sub(r"\1\2\3", item_md, count=1))
                    parts.follow_ups.append(seg)
                return
            if head == "paragraph_open":
                if parts.follow_ups and not _opens_question(toks[1]):
                    parts.follow_ups[-1].add(toks, md)  # the answer to a "**Q:**" follow-up
                    return
                seg = _Segment()
                seg.add(_unquote(toks), _MD_QUOTED.sub(r"\1\2\3", md, count=1))
                parts.follow_ups.append(seg)
                return
            parts.answer.add(toks, md)  # code or tables after follow-ups read as answer
            return
        segment.add(toks, md)

    def _list_items(self, toks: list[Token], md: str) -> list[tuple[list[Token], str]]:
        """Each item of a top-level list: its inner tokens and its Markdown."""
        items: list[tuple[list[Token], str]] = []
        base = toks[0].level + 1
        i = 1
        while i < len(toks) - 1:
            tok = toks[i]
            if tok.type == "list_item_open" and tok.level == base:
                j = i + 1
                while not (toks[j].type == "list_item_close" and toks[j].level == base):
                    j += 1
                item_md = ""
                if tok.map:
                    raw = _dedent("\n".join(self.lines[tok.map[0] : tok.map[1]]))
                    marker = (tok.info + tok.markup) if tok.info else tok.markup
                    raw = raw.strip("\n")
                    if raw.startswith(marker):
                        raw = raw[len(marker) :]
                    item_md = _dedent(raw.lstrip(" ")).strip()
                items.append((toks[i + 1 : j], item_md))
                i = j + 1
            else:
                i += 1
        return items

    # -- pass 3: build the Structs -------------------------------------------------------
    def parse(self) -> Guide[Rich]:
        intro_blocks, topics = self._walk()
        for topic in topics:
            for acc in topic.accordions:
                acc.is_question = (
                    bool(acc.title)
                    and (reads_as_question(acc.title) or self._has_label(acc))
                    and classify_title(acc.title) is None
                )
        slug = self.meta.get("slug")
        guide_slug = slug if isinstance(slug, str) and is_slug(slug) else slugify(self.slug_hint)
        title = str(self.meta.get("title") or self.meta.get("h1") or self.slug_hint)
        description = str(self.meta.get("description") or "")
        guide_tags = self._tag_list(self.meta.get("tags"))

        scenario = {id(t) for t in topics if self._is_scenario(t)}
        kept = [t for t in topics if id(t) not in scenario]
        self._assign_topic_ids(guide_slug, kept)

        questions: list[tuple[_Topic, str, dict[str, str], int, _Parts]] = []
        notes: dict[int, _Segment] = {}
        for topic in topics:
            if id(topic) in scenario:
                owner = topic.parent if topic.parent and id(topic.parent) not in scenario else None
                if owner is None:  # a scenario with nowhere to go keeps its own topic
                    scenario.discard(id(topic))
                    kept.append(topic)
                    self._assign_topic_ids(guide_slug, [topic], keep_existing=True)
                    owner = topic
                parts = _Parts()
                self._split_parts(self._units(topic.blocks, topic.line), "answer", parts)
                for acc in topic.accordions:
                    self._facet_into(parts, acc)
                questions.append((owner, topic.title, {}, topic.line, parts))
                continue
            seg = notes.setdefault(id(topic), _Segment())
            for unit in self._units(topic.blocks, topic.line):
                seg.add(self._tokens(unit), self._md(unit))
            last: _Parts | None = None
            for acc in topic.accordions:
                if not acc.title:
                    self.warn(acc.line, "<Accordion> has no title; skipped")
                    continue
                if acc.is_question:
                    parts = _Parts()
                    self._split_parts(self._units(acc.blocks, acc.line), "answer", parts)
                    questions.append((topic, clean_title(acc.title), acc.attrs, acc.line, parts))
                    last = parts
                elif last is not None and classify_title(acc.title) is not None:
                    self._facet_into(last, acc)
                else:
                    seg.add(_title_tokens(acc.title), f"**{acc.title}**")
                    for unit in self._units(acc.blocks, acc.line):
                        seg.add(self._tokens(unit), self._md(unit))

        intro = _Segment()
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

    def _has_label(self, acc: _Accordion) -> bool:
        for start, end in acc.blocks:
            if end - start == 3 and self.tokens[start].type == "paragraph_open":
                found = self._lead_label([(start, end)])
                if found and classify(found):
                    return True
        return False

    def _is_scenario(self, topic: _Topic) -> bool:
        return (
            bool(topic.accordions)
            and not topic.children
            and not any(a.is_question for a in topic.accordions)
            and reads_as_question(topic.title)
        )

    def _facet_into(self, parts: _Parts, acc: _Accordion) -> None:
        """Add a facet accordion to a question: a label title opens that part, else the answer."""
        kind = classify_title(acc.title)
        if kind is None:
            parts.answer.add(_title_tokens(acc.title), f"**{acc.title}**")
            kind = "answer"
        self._split_parts(self._units(acc.blocks, acc.line), kind, parts, acc.title)

    def _assign_topic_ids(
        self, guide: str, topics: list[_Topic], keep_existing: bool = False
    ) -> None:
        if not hasattr(self, "_topic_ids"):
            self._topic_ids = SlugAllocator()
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
        found: list[tuple[_Topic, str, dict[str, str], int, _Parts]],
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


def _opens_question(inline: Token) -> bool:
    """A follow-up paragraph that asks (rather than answers the one before it)."""
    children = inline.children or []
    text = "".join(c.content for c in children if c.type in ("text", "code_inline")).strip()
    whole_bold = (
        len(children) >= 2
        and children[0].type == "strong_open"
        and children[-1].type == "strong_close"
    )
    return whole_bold or text.endswith("?") or text.startswith(("Q:", "Q.", '"', "“", "'"))


def _is_list(tok: Token) -> bool:
    return tok.type in ("bullet_list_open", "ordered_list_open")


def _dedent(text: str) -> str:
    """``textwrap.dedent``, skipped for the common case of text with no indentation."""
    if text[:1] in (" ", "\t") or "\n " in text or "\n\t" in text:
        return textwrap.dedent(text)
    return text


def _copy(tok: Token, **changes: object) -> Token:
    new = tok.copy()
    for key, value in changes.items():
        setattr(new, key, value)
    return new


def _title_tokens(title: str) -> list[Token]:
    """A bold paragraph holding ``title`` (the heading of a kept facet)."""
    inline = Token("inline", "", 0, content=title, level=1)
    inline.children = [
        Token("strong_open", "strong", 1, markup="**"),
        Token("text", "", 0, content=title),
        Token("strong_close", "strong", -1, markup="**"),
    ]
    return [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]


def _unquote(toks: list[Token]) -> list[Token]:
    """Tokens of a follow-up without the quotes around the question."""
    for idx, tok in enumerate(toks):
        if tok.type != "inline" or not tok.children:
            continue
        children = list(tok.children)
        texts = [k for k, c in enumerate(children) if c.type == "text" and c.content]
        if not texts:
            return toks
        k0 = texts[0]
        closing = _QUOTES.get(children[k0].content[0])
        if closing is None:
            return toks
        children[k0] = _copy(children[k0], content=children[k0].content[1:])
        for k in texts:
            text = children[k].content
            pos = _closing_quote(text, closing)
            if pos != -1:
                children[k] = _copy(children[k], content=text[:pos] + text[pos + 1 :])
                out = list(toks)
                out[idx] = _copy(tok, children=children)
                return out
        return toks
    return toks


def _closing_quote(text: str, closing: str) -> int:
    """Where the quote that closes a quoted question is: at the end, or before a note."""
    pos = text.find(closing)
    while pos != -1:
        if _AFTER_QUOTE.match(text, pos + 1):
            return pos
        pos = text.find(closing, pos + 1)
    return -1


def parse_guide(text: str, file: str, slug: str | None = None) -> Guide[Rich]:
    """Parse one guide's text; ``file`` names it in sources and warnings."""
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return GuideParser(text, file, slug or stem).parse()
