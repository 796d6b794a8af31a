"""Questions written in a topic's prose, and a topic's notes: what is not a question.

A topic's content is read in order. A question container is a question; a ``**Q:**``
paragraph asks one (its ``A:`` line or paragraph and what follows answer it); in a file
read loosely (``conventions.py``) a paragraph that is all bold and asks is a question,
and a list whose items mostly ask is a list of questions (nested items are follow-ups,
"TODO"-like answers are none); in any file, a list that is all its topic holds is one
when every item asks outright ("...?", "Tell me about ...", "Describe ..."). A
question's answer runs to the next question or container of the topic.

A placeholder container ("Answer", "Show solution") answers the question before it: the
paragraph question being read, else the last paragraph of the notes that asks (what lies
between is the question's body: code, options), else it joins the last question as the
part its title names. Anything else stays in the topic's notes, containers under their
title. Nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .choices import ChoiceReader
from .conventions import Conventions
from .followups import (
    copy_token,
    is_a_lead,
    is_q_lead,
    split_pair,
    strip_lead,
    without_a_label,
)
from .labels import (
    PartKind,
    asks_outright,
    classify,
    classify_title,
    clean_title,
    reads_as_question,
)
from .outline import Container, Item, OutlineReader
from .parts import Parts, title_tokens
from .reader import Block, Segment
from .titles import answers, heading_asks, is_placeholder, no_answer, plain_text

_A_TEXT = re.compile(r"^\s*A\d*\s*[:.)]\s*")


@dataclass
class Found:
    """A question found in a topic, before it is built: where, its title and its parts."""

    title: str
    attrs: dict[str, str]
    line: int
    parts: Parts
    convention: str
    items: list[Item] = field(default_factory=list)


class ProseReader(OutlineReader, ChoiceReader):
    """Reads a topic's content into its questions and its notes."""

    def _read_topic(self, content: list[Item], conv: Conventions) -> tuple[Segment, list[Found]]:
        notes, found = self._scan(content, conv)
        return self._notes(notes), found

    def _scan(self, content: list[Item], conv: Conventions) -> tuple[list[Item], list[Found]]:
        notes: list[Item] = []
        found: list[Found] = []
        current: Found | None = None
        entries = self._entries(content)
        # a list that is all a topic holds: a list of questions when every item asks
        sole = len(entries) == 1
        for entry in entries:
            if isinstance(entry, Container):
                if conv.reads("pairs") and self._holds_pairs(entry):
                    current = None  # a "quick-fire" container: its Q/A pairs are questions
                    inner, questions = self._scan(list(entry.blocks), conv)
                    found.extend(questions)
                    notes.append(self._regroup(entry, inner))  # its title, and any notes
                    continue
                if entry.is_question:
                    current = None
                    found.append(self._from_container(entry))
                elif self._placeholder(entry) and current is not None:
                    self._answer_with(current, entry)
                    current = None
                elif self._placeholder(entry) and (asked := self._asked_before(notes)) is not None:
                    k, title, line = asked
                    q = Found(title, {}, line, Parts(), "paragraphs", notes[k + 1 :])
                    del notes[k:]
                    self._answer_with(q, entry)
                    found.append(q)
                elif found and classify_title(entry.title) is not None:
                    self._facet_into(found[-1].parts, entry.title, entry.blocks, entry.line)
                elif current is not None:
                    current.items.append(entry)
                else:
                    notes.append(entry)
                continue
            unit: list[Block] = entry
            start = unit[0][0]
            tok = self.tokens[start]
            if tok.type == "paragraph_open" and len(unit) == 1:
                inline = self.tokens[start + 1]
                if conv.reads("pairs") and is_q_lead(inline):
                    current = self._pair_question(unit)
                    found.append(current)
                    continue
                if current is not None and current.convention == "pairs" and is_a_lead(inline):
                    children = strip_lead(list(inline.children or []), _A_TEXT)
                    self._seed_answer(current, unit, children)
                    continue
                if conv.reads("bold") and self._bold_question(unit, conv.forced("bold")):
                    line = (tok.map[0] + 1) if tok.map else 1
                    current = Found(self.inline_title(unit[0]), {}, line, Parts(), "bold")
                    found.append(current)
                    continue
            if tok.type in ("bullet_list_open", "ordered_list_open") and (
                conv.reads("lists") or (sole and conv.chosen is None)
            ):
                listed = self._list_questions(unit[0], conv.forced("lists"), every=not conv.loose)
                if listed:
                    current = None
                    found.extend(listed)
                    continue
            (current.items if current is not None else notes).append(unit)
        for q in found:
            if q.items:
                self._fill(q)
        return notes, found

    def _entries(self, content: list[Item]) -> list[list[Block] | Container]:
        """Content as units of blocks (``_units``) and containers, in order."""
        out: list[list[Block] | Container] = []
        run: list[Block] = []
        for item in content:
            if isinstance(item, Container):
                if run:
                    out.extend(self._units(run, 1))
                    run = []
                out.append(item)
            else:
                run.append(item)
        if run:
            out.extend(self._units(run, 1))
        return out

    def _holds_pairs(self, box: Container) -> bool:
        """A container whose text opens with a ``**Q:**`` paragraph: a list of Q/A pairs."""
        first = next((b for b in box.blocks if self.tokens[b[0]].type != "mdx_drop"), None)
        return (
            first is not None
            and self.tokens[first[0]].type == "paragraph_open"
            and is_q_lead(self.tokens[first[0] + 1])
        )

    @staticmethod
    def _regroup(box: Container, inner: list[Item]) -> Container:
        """The notes left in a container of pairs, kept under its title."""
        blocks: list[Block] = []
        for item in inner:
            blocks.extend(item.blocks if isinstance(item, Container) else item)
        return Container(box.name, box.title, box.attrs, box.line, blocks)

    @staticmethod
    def _placeholder(box: Container) -> bool:
        return is_placeholder(box.title)

    def asks_paragraph(self, block: Block) -> bool:
        """A paragraph that asks: it ends with ``?`` or opens with ``Q:``."""
        tok = self.tokens[block[0]]
        if tok.type != "paragraph_open" or block[1] - block[0] != 3:
            return False
        return heading_asks(self.inline_title(block))

    def _asked_before(self, notes: list[Item]) -> tuple[int, str, int] | None:
        """The last note paragraph that asks, with only body blocks (code, lists) after it."""
        for k in range(len(notes) - 1, -1, -1):
            item = notes[k]
            if isinstance(item, Container) or len(item) != 1:
                return None
            if self.asks_paragraph(item[0]):
                tok = self.tokens[item[0][0]]
                return k, self.inline_title(item[0]), (tok.map[0] + 1) if tok.map else 1
            if self.tokens[item[0][0]].type == "heading_open":
                return None
        return None

    def _bold_question(self, unit: list[Block], forced: bool) -> bool:
        """A paragraph that is all bold (emoji aside) and asks, unless it is a label."""
        start = unit[0][0]
        children = [
            c
            for c in self.tokens[start + 1].children or []
            if not (c.type == "text" and not plain_text([c]))
        ]
        if len(children) < 3 or children[0].type != "strong_open":
            return False
        if children[-1].type != "strong_close" or any(
            c.type == "strong_close" for c in children[1:-1]
        ):
            return False
        label = self._lead_label(unit)
        if label and classify(label):
            return False
        title = self.inline_title(unit[0])
        return forced or heading_asks(title) or reads_as_question(title)

    def _pair_question(self, unit: list[Block]) -> Found:
        toks = self._tokens(unit)
        (q_toks, _), (a_toks, a_md) = split_pair(toks, self._md(unit))
        title = plain_text(q_toks[1].children or []) if q_toks else ""
        line = (toks[0].map[0] + 1) if toks[0].map else 1
        q = Found(title, {}, line, Parts(), "pairs")
        q.parts.answer.add(a_toks, a_md)
        return q

    def _seed_answer(self, q: Found, unit: list[Block], children: list) -> None:
        if not children:
            return
        toks = self._tokens(unit)
        inline = toks[1]
        md = without_a_label(self._md(unit))
        q.parts.answer.add([toks[0], copy_token(inline, children=children), toks[2]], md)

    def _answer_with(self, q: Found, box: Container) -> None:
        """A placeholder container answers ``q``; what ``q`` held so far is its body."""
        if not answers(box.title):  # "Red flag answers": what came before is the answer
            self._fill(q)
            self._facet_into(q.parts, box.title, box.blocks, box.line)
            return
        for item in q.items:
            if isinstance(item, Container):
                self._facet_into(q.parts, item.title, item.blocks, item.line)
            else:
                q.parts.body.add(self._tokens(item), self._md(item))
        q.items = []
        self._facet_into(q.parts, box.title, box.blocks, box.line)

    def _fill(self, q: Found) -> None:
        """The parts of a paragraph question from the units and containers after it."""
        run: list[list[Block]] = []
        first = True
        st = None  # kept across a placeholder container under a "Follow-up: ..." heading
        for item in q.items:
            if isinstance(item, Container):
                if first:  # the question's own text: checkbox options (choices.py)
                    run, first = self._choices(run, q.parts), False
                st = self._split_parts(run, "answer", q.parts, st)
                run = []
                if st.kind == "follow_up_answer" and answers(item.title):
                    for unit in self._units(item.blocks, item.line):  # the follow-up's answer
                        st.segment.add(self._tokens(unit), self._md(unit))
                else:
                    st = None
                    self._facet_into(q.parts, item.title, item.blocks, item.line)
            else:
                run.append(item)
        if first:
            run = self._choices(run, q.parts)
        self._split_parts(run, "answer", q.parts, st)
        q.items = []

    def _from_container(self, box: Container) -> Found:
        parts = Parts()
        blocks = box.blocks
        if box.summary_end:
            body = [
                b
                for b in blocks
                if (self.tokens[b[0]].map or [box.summary_end])[0] < box.summary_end
            ]
            for unit in self._units(body, box.line):
                parts.body.add(self._tokens(unit), self._md(unit))
            blocks = blocks[len(body) :]
        self._split_parts(self._units(blocks, box.line), "answer", parts)
        convention = "accordions" if box.name == "Accordion" else "details"
        return Found(clean_title(box.title), box.attrs, box.line, parts, convention)

    def _list_questions(self, block: Block, forced: bool, every: bool = False) -> list[Found]:
        """Each item of a list of questions (nested items are its follow-ups).

        The list is one when most items read as questions, or when forced; with ``every``
        (a structured file), when every item asks outright (``labels.asks_outright``).
        """
        items = self._list_items(self._tokens([block]), self._md([block]))
        toks = self.tokens
        level = toks[block[0]].level + 2
        heads: list[tuple[str, int, list[Block]]] = []
        for item_toks, _ in items:
            if not item_toks or item_toks[0].type != "paragraph_open":
                return []
            start = next(i for i in range(block[0], block[1]) if toks[i] is item_toks[0])
            end = start + len(item_toks)
            inner = self.child_blocks(start, end, level)
            title = self.inline_title(inner[0])
            line = (item_toks[0].map[0] + 1) if item_toks[0].map else 1
            heads.append((title, line, inner))
        asking = sum(heading_asks(t) or reads_as_question(t) for t, _, _ in heads)
        if every:
            enough = all(asks_outright(t) for t, _, _ in heads)
        else:
            enough = 3 * asking >= 2 * len(heads)
        if not heads or not (forced or (len(heads) >= 2 and enough)):
            return []
        out = []
        for title, line, inner in heads:
            parts = Parts()
            kind: PartKind = "answer"
            for b in inner[1:]:
                if self.tokens[b[0]].type in ("bullet_list_open", "ordered_list_open"):
                    kind = "follow_ups"
                    self._split_parts([[b]], kind, parts)
                elif not no_answer(self._md([b])):
                    parts.answer.add(self._tokens([b]), self._md([b]))
            out.append(Found(title, {}, line, parts, "lists"))
        return out

    def _notes(self, notes: list[Item]) -> Segment:
        seg = Segment()
        for item in notes:
            if isinstance(item, Container):
                seg.add(title_tokens(item.title), f"**{item.title}**")
                for unit in self._units(item.blocks, item.line):
                    seg.add(self._tokens(unit), self._md(unit))
            else:
                seg.add(self._tokens(item), self._md(item))
        return seg
