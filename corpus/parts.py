"""The parts of a question: labels split its text into testing, answer, red flags, follow-ups.

Inside a question, a paragraph opening with a label (``labels.py``) starts that part; text
before the first label is the answer; "what they test" is one paragraph; callouts and
other bold lead-ins belong to the answer; each list item (or question paragraph) of a
follow-up part is one follow-up, without its quotes; a list right under a red-flag label
gives one red flag per item.

Follow-ups carry their answers (``Parts.follow_up_answers``, aligned with
``follow_ups``): a ``**Q:** ...`` paragraph asks one and its ``**A:** ...`` line or
paragraph answers it; a paragraph that does not ask, right after a follow-up, answers
it; a ``<details>`` nested in the question whose summary asks is one, its body the
answer; a ``Follow-up: ...`` or ``Going deeper: ...`` heading asks one and what is under it,
up to the next heading of its level, answers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from .followups import (
    is_a_lead,
    is_q_lead,
    opens_question,
    split_pair,
    strip_lead,
    unquote,
    unquote_markdown,
    without_a_label,
)
from .labels import PartKind, classify, classify_title, reads_as_question
from .reader import Block, Segment, TokenReader, is_list, text_tokens
from .render import CALLOUTS
from .titles import follow_up_title, is_placeholder, no_answer

_Q_LABEL = re.compile(r"^\s*Q\d*\s*[:.]", re.IGNORECASE)  # "**Q:**" asks a follow-up
_A_TEXT = re.compile(r"^\s*A\d*\s*[:.)]\s*")


@dataclass
class Parts:
    """What one question holds while read; ``follow_up_answers`` aligns with ``follow_ups``."""

    body: Segment = field(default_factory=Segment)
    testing: Segment = field(default_factory=Segment)
    answer: Segment = field(default_factory=Segment)
    red_flags: list[Segment] = field(default_factory=list)
    follow_ups: list[Segment] = field(default_factory=list)
    follow_up_answers: list[Segment] = field(default_factory=list)
    named: list[tuple[str, str, Segment]] = field(default_factory=list)

    def new_follow_up(self) -> tuple[Segment, Segment]:
        """A new follow-up and its (empty) answer."""
        question, answer = Segment(), Segment()
        self.follow_ups.append(question)
        self.follow_up_answers.append(answer)
        return question, answer


@dataclass
class _State:
    kind: str  # a PartKind, or "follow_up_answer" under a follow-up heading
    segment: Segment
    level: int = 0  # the follow-up heading's level


class PartReader(TokenReader):
    """Splits the units of a question into its ``Parts``."""

    def _split_parts(
        self,
        units: list[list[Block]],
        first_kind: PartKind,
        parts: Parts,
        st: _State | None = None,
        label: str = "",
    ) -> _State:
        """Read ``units`` into ``parts`` from ``first_kind`` (or from ``st``); the state after."""
        st = st or _State(first_kind, self._segment_for(parts, first_kind, label))
        for unit in units:
            head = self.tokens[unit[0][0]]
            if head.type == "heading_open" and self._heading(unit[0], parts, st):
                continue
            if head.type == "mdx_open" and self._nested_question(unit, parts):
                continue
            found = self._lead_label(unit)
            kind = classify(found) if found else None
            if found and kind:
                md = self._strip_label_md(self._md(unit))
                rest = self._without_label(unit)
                if st.kind == "follow_up_answer" and kind == "answer":
                    st.segment.add(rest, md)  # "**Strong answer:**" under a follow-up heading
                    continue
                st.kind, st.segment = kind, self._segment_for(parts, kind, found)
                self._add(parts, st, rest, md)
                if kind in ("testing", "body") and rest:
                    # "what they test" and "the question" are one paragraph; what follows answers
                    st.kind, st.segment = "answer", parts.answer
                continue
            if st.kind == "follow_up_answer":
                st.segment.add(self._tokens(unit), self._md(unit))
                continue
            if head.type == "mdx_open" and head.meta["name"] in CALLOUTS:
                parts.answer.add(self._tokens(unit), self._md(unit))
                continue
            if head.type == "paragraph_open" and len(unit) == 1 and self._pair(unit, parts, st):
                continue
            if found and st.kind in ("follow_ups", "red_flags") and not _Q_LABEL.match(found):
                st.kind, st.segment = "answer", parts.answer  # another bold lead-in
            self._add(parts, st, self._tokens(unit), self._md(unit))
            if st.kind == "body":  # under a bare "**Question:**" label: its one paragraph
                st.kind, st.segment = "answer", parts.answer
        return st

    def _heading(self, block: Block, parts: Parts, st: _State) -> bool:
        """A ``Follow-up: ...`` heading opens a follow-up; a heading above it closes one."""
        level = int(self.tokens[block[0]].tag[1])
        asked = follow_up_title(self.inline_title(block))
        if asked is not None:
            question, answer = parts.new_follow_up()
            question.add(text_tokens(asked), asked)
            st.kind, st.segment, st.level = "follow_up_answer", answer, level
            return True
        if st.kind == "follow_up_answer" and level <= st.level:
            st.kind, st.segment = "answer", parts.answer
        return False

    def _nested_question(self, unit: list[Block], parts: Parts) -> bool:
        """A ``<details>`` that asks, inside a question: a follow-up, its body the answer."""
        head = self.tokens[unit[0][0]]
        title = head.meta["attrs"].get("title", "")
        if head.meta["name"] != "details" or is_placeholder(title):
            return False
        if not reads_as_question(title):
            return False
        question, answer = parts.new_follow_up()
        question.add(text_tokens(title), title)
        inner = [b for b in unit[1:] if self.tokens[b[0]].type != "mdx_close"]
        md = self._md(inner)
        if inner and not no_answer(md):
            answer.add(self._tokens(inner), md)
        return True

    def _pair(self, unit: list[Block], parts: Parts, st: _State) -> bool:
        """``**Q:** ...`` asks a follow-up (its ``A:`` line answers it); ``**A:** ...`` answers."""
        toks = self._tokens(unit)
        if is_q_lead(toks[1]):
            (q_toks, q_md), (a_toks, a_md) = split_pair(toks, self._md(unit))
            question, answer = parts.new_follow_up()
            question.add(unquote(q_toks), unquote_markdown(q_md))
            answer.add(a_toks, a_md)
            st.kind, st.segment = "follow_ups", question
            return True
        if is_a_lead(toks[1]) and parts.follow_ups:
            children = strip_lead(list(toks[1].children or []), _A_TEXT)
            if children:
                inline = Token("inline", "", 0, children=children, level=toks[1].level)
                md = without_a_label(self._md(unit))
                parts.follow_up_answers[-1].add([toks[0], inline, toks[2]], md)
            st.kind = "follow_ups"
            return True
        return False

    def _segment_for(self, parts: Parts, kind: str, label: str) -> Segment:
        if kind in ("body", "testing", "answer"):
            return getattr(parts, kind)
        if kind == "red_flags":
            segment = Segment()
            parts.red_flags.append(segment)
            return segment
        if kind == "follow_ups":
            return parts.new_follow_up()[0]
        segment = Segment()
        parts.named.append((kind, label.strip().rstrip(":").strip(), segment))
        return segment

    def _add(self, parts: Parts, st: _State, toks: list[Token], md: str) -> None:
        kind, segment = st.kind, st.segment
        if kind == "red_flags" and not segment.tokens and toks and is_list(toks[0]):
            for item_toks, item_md in self._list_items(toks, md):  # one red flag per item
                seg = Segment()
                seg.add(item_toks, item_md)
                parts.red_flags.append(seg)
            return
        if kind == "follow_ups" and toks:
            if is_list(toks[0]):
                for item_toks, item_md in self._list_items(toks, md):
                    question, answer = parts.new_follow_up()
                    if (
                        item_toks
                        and item_toks[0].type == "paragraph_open"
                        and is_q_lead(item_toks[1])
                    ):
                        (q_toks, q_md), (a_toks, a_md) = split_pair(item_toks[:3], item_md)
                        question.add(unquote(q_toks), unquote_markdown(q_md))
                        answer.add([*a_toks, *item_toks[3:]], a_md)
                    else:
                        question.add(unquote(item_toks), unquote_markdown(item_md))
                return
            if toks[0].type == "paragraph_open":
                last = parts.follow_ups[-1] if parts.follow_ups else None
                if last is not None and not last.tokens:
                    last.add(unquote(toks), unquote_markdown(md))  # the text of a bare label
                elif last is not None and not opens_question(toks[1]):
                    parts.follow_up_answers[-1].add(toks, md)  # the answer to the one above
                else:
                    question, _ = parts.new_follow_up()
                    question.add(unquote(toks), unquote_markdown(md))
                return
            answers = parts.follow_up_answers
            if answers and answers[-1].tokens:  # code or a table in a follow-up's answer
                answers[-1].add(toks, md)
            else:
                parts.answer.add(toks, md)  # code or tables after follow-ups read as answer
            return
        segment.add(toks, md)

    def _facet_into(self, parts: Parts, title: str, blocks: list[Block], line: int) -> None:
        """Add a facet accordion to a question: a label title opens that part, else the answer."""
        kind = classify_title(title)
        if kind is None:
            if not is_placeholder(title):  # "Show answer" says nothing; "Key design points" does
                parts.answer.add(title_tokens(title), f"**{title}**")
            kind = "answer"
        self._split_parts(self._units(blocks, line), kind, parts, label=title)


def title_tokens(title: str) -> list[Token]:
    """A bold paragraph holding ``title`` (the heading of a kept facet)."""
    return text_tokens(title, bold=True)
